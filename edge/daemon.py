"""``borderpost run``: the one asyncio process that owns devices, database and uplink.

Readings from devices (and manual entries) are cleaned, screened against the
watchlist, written with their alerts and outbox rows in one transaction, and
only then pushed to the console and the uplink.

:func:`build_post` is the composition root: it opens the store and wires the
narrow services of ``edge/services.py`` — the recorder, the ingest pipeline
(``edge/ingest.py``), the devices, the post's status and its snapshot
(``edge/post_status.py``), screening, the link to HQ — into the local API's
handlers and the :class:`Daemon`, which owns their life cycle. Nothing
reaches into the daemon: each part gets the services it uses.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import functools
import logging
import os
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from edge import metrics, systemd
from edge.api.handlers import make_handlers
from edge.api.server import ApiServer
from edge.chip.booth import ChipBooth
from edge.chip.channel import CscaApplier
from edge.config import ConfigError, Settings, load
from edge.devices import BurstLog, DevicePool, DeviceRunner
from edge.events import event_json
from edge.ingest import IngestPipeline
from edge.lanes import LaneTracker
from edge.post_status import PostStatus
from edge.prearrival.service import PrearrivalService
from edge.recorder import StoreRecorder
from edge.rules.channel import RULES_CHANNEL, RulesApplier
from edge.rules.service import RulesService, store_history
from edge.screening import ScreeningService
from edge.services import Services
from edge.storage import StorageState, is_full, unrecorded
from edge.store import NewAlert, NewEvent, Recorded, Store
from edge.store import devices as device_store
from edge.store import officers as officer_store
from edge.store.epoch import check_state
from edge.store.outbox import enforce_cap
from edge.uplink import HqLink
from sync.outbox import PRIORITY_NOTICE
from sync.wldist.channel import Channel
from sync.wldist.payload import Applier

log = logging.getLogger("borderpost.daemon")
MAINTENANCE_S = 3600.0
SNAPSHOT_S = 1.0
LOCK_FILE = "daemon.lock"


class StateFolderBusy(OSError):
    """Another daemon serves this state folder (``borderpost run`` reports it and exits)."""


def lock_state_folder(state_dir: Path) -> int:
    """Hold ``daemon.lock`` in ``state_dir`` for the life of the process (its open descriptor).

    A second daemon on the same folder is refused here, before it opens the
    database, the socket or the link to HQ, so it changes nothing.
    """
    fd = os.open(state_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise StateFolderBusy(
            f"another borderpost daemon (pid {holder}) is already running on this state folder;"
            " stop it first (systemctl stop borderpost), or give this one its own --state-dir"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def _with_overrides(settings: Settings, config_path: Path | None, overrides: Any) -> Settings:
    """The file's settings with the technician's overrides, or the file's alone (logged as
    an error) when an override no longer fits: a device URL or option a newer version
    refuses must cost that device its override, not stop the whole post from screening."""
    try:
        return load(config_path, overrides)
    except ConfigError as exc:
        log.error(
            "technician overrides not applied, running on the configuration file alone: %s"
            " (set that device's key again from the console's configuration view)",
            exc,
        )
        return settings


def build_post(
    settings: Settings,
    state_dir: Path,
    *,
    config_path: Path | None = None,
    allow_inject: bool = False,
) -> Daemon:
    """The composition root: open the store, wire every service, return the daemon to run.

    Technician overrides stored in the database are applied over ``settings``
    (the file alone, logged, if they no longer fit it).
    """
    lock_fd = lock_state_folder(state_dir)
    os.umask(0o027)  # databases and keys this process creates: 0640 / 0750, not world-readable
    check_state(state_dir)  # refuse an empty, damaged or foreign database (epoch.py)
    store = Store.open(state_dir / "events.db")
    overrides = store.get_setting("overrides")
    if overrides:
        settings = _with_overrides(settings, config_path, overrides)
    handlers: dict[str, Any] = {}
    sock = Path(settings.api.socket)
    api = ApiServer(
        sock if sock.is_absolute() else state_dir / sock,
        handlers,
        group=settings.api.socket_group,
        max_clients=settings.api.max_clients,
        officer_active=functools.partial(officer_store.is_active, store),
    )
    daemon = Daemon(settings, state_dir, store, api, config_path=config_path)
    if settings.uplink is not None:
        link = HqLink.build(settings, state_dir, daemon.status.outbox, daemon.status.hq_status)
        daemon.link = daemon.status.link = link
    services = Services(
        store=store,
        recorder=daemon.recorder,
        ingest=daemon.pipeline.ingest,
        devices=daemon.devices,
        screening=daemon.screening,
        status=daemon.status,
        config=daemon,
        sessions=api,
        uplink=daemon.link,
        allow_inject=allow_inject,
    )
    handlers.update(make_handlers(services))
    handlers["chip.face"] = daemon.chip.face_request  # the chip's face, never in events
    handlers["prearrival"] = daemon.prearrival.lane_request  # a lane's expected lists
    daemon.lock_fd = lock_fd
    return daemon


class Daemon:
    """The running post: owns the parts ``build_post`` wires and their life cycle.

    The ingest pipeline (``edge/ingest.py``) turns readings into events; the
    post's status (``edge/post_status.py``) computes the figures and the
    snapshot; the daemon starts and stops them, the devices, the local API and
    the link to HQ, and is the :class:`~edge.services.Config` the API changes.
    """

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
        self.store = store
        self.api = api
        with systemd.extending_start(
            "opening the watchlist (an upgrade of a large list takes minutes)"
        ):
            self.screening = ScreeningService(state_dir, settings.screening)
        self.recorder = StoreRecorder(self.store, self._publish)
        self.lane_tracker = lane_tracker = LaneTracker()
        self.rules = RulesService(state_dir, store_history(store))  # edge/rules, docs/rules.md
        self.pipeline = IngestPipeline(
            store,
            self.recorder,
            self.screening,
            lane_tracker,
            settings.store.outbox_cap_mb * 1024 * 1024,
            self._refused,
            rules=self.rules,
        )
        self.devices = DevicePool(
            self.pipeline.on_reading, self._on_state, settings.daemon.device_backoff_max_s
        )
        self.storage = StorageState()
        self.status = PostStatus(
            self, store, self.devices, lane_tracker, self.screening, self.storage
        )
        self.status.rules = self.rules
        self.link: HqLink | None = None
        # Distribution channels' appliers (pre-arrival, rules, CSCA), started with the link.
        self.appliers: dict[Channel, Applier] = {}
        self.prearrival = PrearrivalService(state_dir, settings.post.id)
        self.pipeline.prearrival = self.status.prearrival = self.prearrival
        self.appliers[Channel("pax", settings.post.id)] = self.prearrival
        self.appliers[RULES_CHANNEL] = RulesApplier(self.rules, self.recorder.record)
        self.status.csca = self.appliers[Channel("csca")] = CscaApplier(state_dir / "csca")
        self.chip = ChipBooth(state_dir / "csca", self.pipeline.ingest)  # reads cards put in
        self.lock_fd: int | None = None  # the state folder's lock, held until the process ends
        self.stopping = asyncio.Event()

    def _publish(self, recorded: Recorded) -> None:
        """Tell consoles and the uplink of a committed event (the recorder calls this)."""
        ids = {recorded.event.seq: list(recorded.alert_ids)}
        for ev in (recorded.event, *recorded.alert_events):
            self.api.broadcast(ev.kind, event_json(ev, ids.get(ev.seq, [])))
        if self.link is not None:
            self.link.notify()
        self.chip.seen(recorded.event)  # a card put in, or the MRZ that opens it (edge/chip)

    def _refused(self, event: NewEvent, alerts: Sequence[NewAlert], exc: BaseException) -> bool:
        """A write refused: on a full disk, count it and still show consoles its verdict."""
        if not self.storage.refuse(exc):
            return False
        for ev in unrecorded(event, alerts):
            self.api.broadcast(ev.kind, event_json(ev))
        return True

    async def _storage_check(self) -> None:
        """While the disk is full: try to record the episode's fault; success ends it."""
        if self.storage.full_since is None:
            return
        try:
            await self.recorder.record_async(self.storage.fault_event())
        except Exception as exc:
            if not is_full(exc):
                raise
            return
        self.storage.recovered()
        self.status.refresh()

    def _on_state(self, runner: DeviceRunner, state: str, fault: str | None) -> None:
        """A device changed state: save it, refresh the snapshot, record a fault or recovery."""
        device_store.save(self.store, runner.as_json())
        self.status.refresh()
        if state not in ("ok", "fault"):
            return
        if state == "ok":  # a fresh decoder reports the device's faults anew
            self.lane_tracker.forget(runner.settings.name)
        priority = PRIORITY_NOTICE if state == "fault" else 0
        event = NewEvent(
            f"device.{state}",
            runner.as_json(),
            priority,
            runner.settings.lane,
            runner.settings.name,
        )
        self.pipeline.record(event)

    async def apply_device(self, name: str, settings: Settings) -> None:
        """Put ``settings`` in force and restart device ``name`` with them."""
        self.settings = settings
        await self.devices.replace(next(d for d in settings.devices if d.name == name))
        self.status.refresh()

    # -- life cycle ---------------------------------------------------------------

    async def run(self) -> None:
        """Serve until SIGTERM or SIGINT, then stop everything within 2 s."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stopping.set)
        self.recorder.attach(loop)
        ingesting = asyncio.create_task(self.pipeline.run())
        await self.api.start()
        metrics.attach(self)  # /metrics, one log line per event of interest (edge/metrics.py)
        self.devices.start(self.settings.devices)
        self.status.refresh()
        self._start_link(loop)
        self.prearrival.start(lambda e: loop.call_soon_threadsafe(self.pipeline.record, e))
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
            self.pipeline.finish()
            try:
                await asyncio.wait_for(ingesting, 1.0)
            except TimeoutError:  # what was submitted is still committed by store.close()
                log.warning("readings were still being stored after 1 s; stopping anyway")
        await self.api.stop()
        if self.link is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.link.stop, 0.8)
        self.screening.close()
        self.prearrival.close()
        self.store.close()
        if self.lock_fd is not None:  # the state folder is free for the next daemon
            os.close(self.lock_fd)
            self.lock_fd = None
        log.info("stopped")

    def _start_link(self, loop: asyncio.AbstractEventLoop) -> None:
        if self.link is None:
            log.info("no [broker] configured: offline, events wait in the outbox")
            return

        def record(event: NewEvent) -> None:  # from the watchlist's threads
            loop.call_soon_threadsafe(self.pipeline.record, event)

        self.link.start(record, self.screening, self.appliers)

    async def _snapshots(self) -> None:
        """Every second: the status snapshot, disabled officers' sessions, the end of a full
        disk; never ends early."""
        trouble = BurstLog("the status snapshot")
        while True:
            await asyncio.sleep(SNAPSHOT_S)
            try:
                self.status.refresh()
                self.api.sweep_disabled()
                await self._storage_check()
            except Exception as exc:
                trouble.failed(exc)

    async def _watchdog(self) -> None:
        interval = systemd.watchdog_interval()
        while True:
            backlog = self.status.outbox.backlog()
            status = f"STATUS=backlog {backlog}, seq {self.store.last_seq()}"
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
