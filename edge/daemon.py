"""``borderpost run``: the one asyncio process that owns devices, database and uplink.

Readings from devices (and manual entries) are cleaned, screened against the
watchlist, written with their alerts and outbox rows in one transaction, and
only then pushed to the console and the uplink.

:func:`build_post` is the composition root: it opens the store and wires the
narrow services of ``edge/services.py`` — the recorder, the devices, the
status snapshot, screening, the link to HQ — into the local API's handlers
and the :class:`Daemon`, which runs them and owns their life cycle. Nothing
reaches into the daemon: each part gets the services it uses.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import signal
import time
from pathlib import Path
from typing import Any

from drivers.base import Reading
from edge import __version__, systemd
from edge.api.handlers import make_handlers
from edge.api.server import ApiServer
from edge.clock import clock_synced
from edge.config import Settings, load
from edge.devices import DevicePool, DeviceRunner
from edge.events import clean_body, event_json
from edge.lanes import LaneTracker
from edge.recorder import StoreRecorder
from edge.sanitize import clean_text
from edge.screening import ScreeningService
from edge.services import Services, StatusSnapshot
from edge.store import NewAlert, NewEvent, Recorded, Store
from edge.store import devices as device_store
from edge.store.outbox import StoreOutbox, enforce_cap
from edge.uplink import HqLink
from edge.watchlist_sync import status_fields
from sync.outbox import PRIORITY_ALERT, PRIORITY_NOTICE

log = logging.getLogger("borderpost.daemon")
CAP_CHECK_EVERY = 500
MAINTENANCE_S = 3600.0
SNAPSHOT_S = 1.0


def build_post(
    settings: Settings,
    state_dir: Path,
    *,
    config_path: Path | None = None,
    allow_inject: bool = False,
) -> Daemon:
    """The composition root: open the store, wire every service, return the daemon to run.

    Technician overrides stored in the database are applied over ``settings``
    (``ConfigError`` if they no longer fit the file).
    """
    store = Store.open(state_dir / "events.db")
    overrides = store.get_setting("overrides")
    if overrides:
        settings = load(config_path, overrides)
    handlers: dict[str, Any] = {}
    sock = Path(settings.api.socket)
    api = ApiServer(
        sock if sock.is_absolute() else state_dir / sock,
        handlers,
        group=settings.api.socket_group,
        max_clients=settings.api.max_clients,
    )
    daemon = Daemon(settings, state_dir, store, api, config_path=config_path)
    if settings.uplink is not None:
        daemon.link = HqLink.build(settings, state_dir, daemon.outbox, daemon.hq_status)
    services = Services(
        store=store,
        recorder=daemon.recorder,
        ingest=daemon.ingest,
        devices=daemon.devices,
        screening=daemon.screening,
        status=daemon,
        config=daemon,
        uplink=daemon.link,
        allow_inject=allow_inject,
    )
    handlers.update(make_handlers(services))
    return daemon


class Daemon:
    """The running post: store, devices, screening, local API and uplink."""

    def __init__(
        self,
        settings: Settings,
        state_dir: Path,
        store: Store,
        api: ApiServer,
        *,
        config_path: Path | None = None,
    ):
        self.settings = settings
        self.config_path = config_path
        self.state_dir = state_dir
        self.started = time.monotonic()
        self.store = store
        self.api = api
        self.outbox = StoreOutbox(self.store)
        self.screening = ScreeningService(state_dir, settings.screening)
        self.devices = DevicePool(
            self._on_reading, self._on_state, settings.daemon.device_backoff_max_s
        )
        self.lane_tracker = LaneTracker()
        self.link: HqLink | None = None
        self.snapshot = StatusSnapshot()
        self.stopping = asyncio.Event()
        self._since_cap_check = 0
        self._cap_check: asyncio.Future[int] | None = None
        self.recorder = StoreRecorder(self.store, self._publish)
        self._readings: asyncio.Queue[tuple[DeviceRunner, Reading] | None] = asyncio.Queue()

    # -- the pipeline ---------------------------------------------------------

    async def ingest(self, reading: Reading, *, lane: str | None, device: str | None) -> Recorded:
        """Clean, screen, store and publish one reading; the wait for the disk leaves the loop
        free (the recorder publishes)."""
        reading = self.lane_tracker.prepare(reading, lane)
        recorded = await self.recorder.record_async(*self._screen(reading, lane, device))
        self.lane_tracker.stored(reading, lane, device, recorded.event.seq)
        self._after_write()
        return recorded

    def _screen(
        self, reading: Reading, lane: str | None, device: str | None
    ) -> tuple[NewEvent, list[NewAlert]]:
        """The cleaned event of a reading and the alerts its typed keys raise."""
        body = clean_body(reading.body)
        alerts = [*self.screening.alerts_for(reading.keys)]
        if reading.alert:
            given = getattr(body, "summary", None) or body.extra.get("summary")
            summary = clean_text(str(given or reading.alert), 400)
            alerts.append(NewAlert(reading.alert, summary, PRIORITY_ALERT))
        return NewEvent(reading.kind, body, reading.priority, lane, device), alerts

    def record(self, event: NewEvent, alerts: list[NewAlert] | None = None) -> None:
        """Queue an event the daemon itself raises (faults, watchlist updates); nothing waits
        for its commit on the loop, and the recorder publishes it once it is on disk."""
        future = self.recorder.submit(event, alerts or [])
        future.add_done_callback(self._recorded)

    def _recorded(self, future: asyncio.Future[Recorded]) -> None:
        if future.cancelled() or future.exception() is not None:
            log.error("an event of the daemon could not be stored: %r", future.exception())
            return
        self._after_write()

    def _publish(self, recorded: Recorded) -> None:
        """Tell consoles and the uplink of a committed event (the recorder calls this)."""
        ids = {recorded.event.seq: list(recorded.alert_ids)}
        for ev in (recorded.event, *recorded.alert_events):
            self.api.broadcast(ev.kind, event_json(ev, ids.get(ev.seq, [])))
        if self.link is not None:
            self.link.notify()

    def _after_write(self) -> None:
        """Every ``CAP_CHECK_EVERY`` writes, check the outbox's disk cap in a worker thread."""
        self._since_cap_check += 1
        if self._since_cap_check >= CAP_CHECK_EVERY and self._cap_check is None:
            self._since_cap_check = 0
            cap = self.settings.store.outbox_cap_mb * 1024 * 1024
            loop = asyncio.get_running_loop()
            self._cap_check = loop.run_in_executor(None, enforce_cap, self.store, cap)
            self._cap_check.add_done_callback(self._cap_checked)

    def _cap_checked(self, future: asyncio.Future[int]) -> None:
        self._cap_check = None
        if not future.cancelled() and future.exception() is not None:
            log.error("outbox cap check failed: %r", future.exception())

    # -- devices ------------------------------------------------------------------

    def _on_reading(self, runner: DeviceRunner, reading: Reading) -> None:
        self._readings.put_nowait((runner, reading))

    async def _ingest_readings(self) -> None:
        """Store device readings in arrival order, off the loop's back.

        Readings that wait together are submitted together, so they share one
        commit; an occupancy first waits for the documents before it, which
        its crossing lists.
        """
        while True:
            batch = [await self._readings.get()]
            while not self._readings.empty():
                batch.append(self._readings.get_nowait())
            submitted: list[tuple[DeviceRunner, Reading, asyncio.Future[Recorded]]] = []
            for item in batch:
                if item is None or item[1].kind == "rpm.occupancy":
                    await self._stored(submitted)
                    submitted = []
                if item is None:
                    return
                runner, reading = item
                reading = self.lane_tracker.prepare(reading, runner.settings.lane)
                event, alerts = self._screen(reading, runner.settings.lane, runner.settings.name)
                submitted.append((runner, reading, self.recorder.submit(event, alerts)))
            await self._stored(submitted)

    async def _stored(
        self, submitted: list[tuple[DeviceRunner, Reading, asyncio.Future[Recorded]]]
    ) -> None:
        """Wait for submitted readings in order; tell the lane tracker their sequences."""
        for runner, reading, future in submitted:
            lane, device = runner.settings.lane, runner.settings.name
            try:
                recorded = await future
            except Exception:
                runner.errors += 1
                log.exception("reading from %s could not be stored", device)
                continue
            self.lane_tracker.stored(reading, lane, device, recorded.event.seq)
            self._after_write()

    def _on_state(self, runner: DeviceRunner, state: str, fault: str | None) -> None:
        device_store.save(self.store, runner.as_json())
        self._refresh_snapshot()
        if state == "ok":  # a fresh decoder reports the device's faults anew
            self.lane_tracker.forget(runner.settings.name)
        if state == "fault":
            self.record(
                NewEvent(
                    "device.fault",
                    runner.as_json(),
                    PRIORITY_NOTICE,
                    runner.settings.lane,
                    runner.settings.name,
                )
            )
        elif state == "ok":
            self.record(
                NewEvent(
                    "device.ok", runner.as_json(), 0, runner.settings.lane, runner.settings.name
                )
            )

    async def apply_device(self, name: str, settings: Settings) -> None:
        """Put ``settings`` in force and restart device ``name`` with them."""
        self.settings = settings
        await self.devices.replace(next(d for d in settings.devices if d.name == name))
        self._refresh_snapshot()

    # -- status -------------------------------------------------------------------

    def lanes(self) -> dict[str, dict[str, Any]]:
        """Per lane: protected when an RPM on it runs and reports no fault."""
        lanes: dict[str, dict[str, Any]] = {}
        for runner in self.devices.all():
            empty: dict[str, Any] = {"protected": False, "rpm": None, "faults": []}
            lane = lanes.setdefault(runner.settings.lane, empty)
            if runner.settings.kind == "rpm" and not lane["protected"]:
                reported_ok, faults = self.lane_tracker.rpm_state(runner.settings.name)
                running = runner.state == "ok" and runner.fault is None
                lane.update(
                    rpm=runner.settings.name,
                    protected=running and reported_ok,
                    faults=faults if running else [runner.fault or runner.state],
                )
        return lanes

    def status(self) -> dict[str, Any]:
        """The figures ``borderpost status --json`` prints."""
        uplink = self.link.state() if self.link is not None else None
        return {
            "post_id": self.settings.post.id,
            "version": __version__,
            "uptime_s": round(time.monotonic() - self.started, 3),
            "devices": [r.as_json() for r in self.devices.all()],
            "last_seq": self.store.last_seq(),
            "backlog": self.outbox.backlog(),
            "evicted": self.outbox.evicted(),
            "last_ack_seq": self.outbox.last_ack_seq(),
            **self._watchlist_status(),
            "broker": uplink if uplink is not None else {"connected": False, "mode": "offline"},
            "lanes": self.lanes(),
            "clock_synced": clock_synced(),
        }

    def _watchlist_status(self) -> dict[str, Any]:
        sync = self.link.watchlist if self.link is not None else None
        return status_fields(self.screening, self.settings.watchlist, sync)

    def _refresh_snapshot(self) -> None:
        """Replace the snapshot other threads read (on the loop only)."""
        self.snapshot = StatusSnapshot(
            tuple(r.as_json() for r in self.devices.all()),
            self.lanes(),
            self._watchlist_status(),
        )

    def hq_status(self) -> dict[str, Any]:
        """Status for HQ, read on the uplink's thread: the loop's snapshot and the outbox."""
        snap = self.snapshot
        return {
            "backlog": self.outbox.backlog(),
            "last_ack_seq": self.outbox.last_ack_seq(),
            "evicted": self.outbox.evicted(),
            **snap.watchlist,
            "clock_synced": clock_synced(),
            "devices": list(snap.devices),
            "lanes": snap.lanes,
        }

    def system(self) -> dict[str, Any]:
        """Version, disk, database size, clock."""
        usage = shutil.disk_usage(self.state_dir)
        return {
            "version": __version__,
            "disk_free_mb": usage.free // 2**20,
            "db_size_mb": round(self.store.path.stat().st_size / 2**20, 2),
            "clock_synced": clock_synced(),
            "uptime_s": round(time.monotonic() - self.started, 3),
        }

    # -- life cycle ---------------------------------------------------------------

    async def run(self) -> None:
        """Serve until SIGTERM or SIGINT, then stop everything within 2 s."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stopping.set)
        self.recorder.attach(loop)
        ingesting = asyncio.create_task(self._ingest_readings())
        await self.api.start()
        self.devices.start(self.settings.devices)
        self._refresh_snapshot()
        self._start_link(loop)
        tasks = [
            asyncio.create_task(self._watchdog()),
            asyncio.create_task(self._maintenance()),
            asyncio.create_task(self._snapshots()),
        ]
        systemd.notify(f"READY=1\nSTATUS=serving post {self.settings.post.id}")
        log.info("serving post=%s socket=%s", self.settings.post.id, self.api.path)
        await self.stopping.wait()
        systemd.notify("STOPPING=1")
        await self.shutdown(tasks, ingesting)

    async def shutdown(
        self, tasks: list[asyncio.Task[None]], ingesting: asyncio.Task[None] | None = None
    ) -> None:
        """Stop tasks, devices, the API and the uplink; store queued readings; close the store."""
        for task in tasks:
            task.cancel()
        await self.devices.stop(1.0)
        if ingesting is not None:  # readings already received are stored before we stop
            self._readings.put_nowait(None)
            try:
                await asyncio.wait_for(ingesting, 1.0)
            except TimeoutError:  # what was submitted is still committed by store.close()
                log.warning("readings were still being stored after 1 s; stopping anyway")
        await self.api.stop()
        if self.link is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.link.stop, 0.8)
        self.screening.close()
        self.store.close()
        log.info("stopped")

    def _start_link(self, loop: asyncio.AbstractEventLoop) -> None:
        if self.link is None:
            log.info("no [broker] configured: offline, events wait in the outbox")
            return

        def record(event: NewEvent) -> None:  # from the watchlist's threads
            loop.call_soon_threadsafe(self.record, event)

        self.link.start(record, self.screening)

    async def _snapshots(self) -> None:
        while True:
            await asyncio.sleep(SNAPSHOT_S)
            self._refresh_snapshot()

    async def _watchdog(self) -> None:
        interval = systemd.watchdog_interval()
        while True:
            status = f"STATUS=backlog {self.outbox.backlog()}, seq {self.store.last_seq()}"
            systemd.notify(("WATCHDOG=1\n" if interval else "") + status)
            await asyncio.sleep(interval or 10.0)

    async def _maintenance(self) -> None:
        """Once an hour, in a worker thread: the retention purge and the outbox's disk cap."""
        loop = asyncio.get_running_loop()
        while True:
            with contextlib.suppress(Exception):
                await loop.run_in_executor(None, self._maintain)
            await asyncio.sleep(MAINTENANCE_S)

    def _maintain(self) -> None:
        self.store.purge_personal(self.settings.store.retention_days)
        enforce_cap(self.store, self.settings.store.outbox_cap_mb * 1024 * 1024)
