"""The ingest pipeline: a reading in, its event cleaned, screened, on disk and published.

:class:`IngestPipeline` is the one path from a device reading (or a manual
entry) to an event: the lane tracker prepares it, screening adds the alerts
its typed keys raise, the recorder stores event, alerts and outbox rows in one
group-committed transaction and publishes them once they are on disk. Device
readings are stored in arrival order by one task (:meth:`IngestPipeline.run`);
every ``CAP_CHECK_EVERY`` writes the outbox's disk cap is checked in a worker
thread. ``edge.daemon.build_post`` wires it; the API gets :meth:`ingest`.
A write the store refuses is handed to ``refused`` (the daemon's full-disk
handling, ``edge/storage.py``), which says whether it dealt with it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from drivers.base import Reading
from drivers.events import Body
from edge.devices import DeviceRunner
from edge.events import clean_body
from edge.lanes import LaneTracker
from edge.recorder import StoreRecorder
from edge.rules.service import RulesService
from edge.sanitize import clean_text
from edge.screening import ScreeningService
from edge.severity import severity_of
from edge.storage import StorageFull
from edge.store import NewAlert, NewEvent, Recorded, Store
from edge.store.outbox import enforce_cap
from sync.outbox import PRIORITY_ALERT

log = logging.getLogger("borderpost.daemon")
CAP_CHECK_EVERY = 500

Queued = tuple[DeviceRunner, Reading]
Submitted = tuple[DeviceRunner, Reading, "asyncio.Future[Recorded]"]
Refused = Callable[[NewEvent, Sequence[NewAlert], BaseException], bool]


class Judge(Protocol):
    """What screening asks of the pre-arrival lists (``edge.prearrival.service``)."""

    def judge(
        self, reading: Reading, body: Body, alerts: list[NewAlert], lane: str | None
    ) -> tuple[Body, list[NewAlert]]:
        """The body with the read's verdict and the alerts (merged where both say something)."""
        ...


def graded(alerts: Sequence[NewAlert]) -> list[NewAlert]:
    """``alerts`` with each severity taken from the one table (``edge/severity.py``)."""
    return [dataclasses.replace(a, severity=severity_of(a.kind, a.hits)) for a in alerts]


def _unhandled(event: NewEvent, alerts: Sequence[NewAlert], exc: BaseException) -> bool:
    return False


class IngestPipeline:
    """Readings become events: clean, screen, store and publish (the recorder), in order."""

    def __init__(
        self,
        store: Store,
        recorder: StoreRecorder,
        screening: ScreeningService,
        lane_tracker: LaneTracker,
        outbox_cap_bytes: int,
        refused: Refused = _unhandled,
        rules: RulesService | None = None,
    ) -> None:
        self.store = store
        self.rules = rules
        self.refused = refused
        self.recorder = recorder
        self.screening = screening
        self.lane_tracker = lane_tracker
        self.outbox_cap_bytes = outbox_cap_bytes
        self._since_cap_check = 0
        self._cap_check: asyncio.Future[int] | None = None
        self._readings: asyncio.Queue[Queued | None] = asyncio.Queue()
        self.prearrival: Judge | None = None  # expected lists (edge/prearrival), when wired

    async def ingest(self, reading: Reading, *, lane: str | None, device: str | None) -> Recorded:
        """Clean, screen, store and publish one reading; the wait for the disk leaves the loop
        free (the recorder publishes)."""
        reading = self.lane_tracker.prepare(reading, lane)
        event, alerts = self._screen(reading, lane, device)
        try:
            recorded = await self.recorder.record_async(event, alerts)
        except Exception as exc:
            if self.refused(event, alerts, exc):
                raise StorageFull(alerts) from exc
            raise
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
        if self.prearrival is not None:
            body, alerts = self.prearrival.judge(reading, body, alerts, lane)
        if self.rules is not None:  # the rule pack's verdict (edge/rules) comes last: it reads
            body, rule_alerts = self.rules.screen(body, reading.kind, lane)  # pre-arrival's
            alerts += rule_alerts
        return NewEvent(reading.kind, body, reading.priority, lane, device), graded(alerts)

    def record(self, event: NewEvent, alerts: list[NewAlert] | None = None) -> None:
        """Queue an event the post itself raises (faults, watchlist updates); nothing waits
        for its commit on the loop, and the recorder publishes it once it is on disk."""
        alerts = graded(alerts or [])
        future = self.recorder.submit(event, alerts)
        future.add_done_callback(functools.partial(self._recorded, event, alerts))

    def _recorded(
        self, event: NewEvent, alerts: list[NewAlert], future: asyncio.Future[Recorded]
    ) -> None:
        if self._failed(event, alerts, future):
            return
        self._after_write()

    def _failed(
        self, event: NewEvent, alerts: list[NewAlert], future: asyncio.Future[Recorded]
    ) -> bool:
        """True when ``future`` failed; logged unless ``refused`` dealt with it."""
        if future.cancelled():
            return True
        exc = future.exception()
        if exc is not None and not self.refused(event, alerts, exc):
            log.error("%s from %s could not be stored: %r", event.kind, event.device, exc)
        return exc is not None

    def _after_write(self) -> None:
        """Every ``CAP_CHECK_EVERY`` writes, check the outbox's disk cap in a worker thread."""
        self._since_cap_check += 1
        if self._since_cap_check >= CAP_CHECK_EVERY and self._cap_check is None:
            self._since_cap_check = 0
            loop = asyncio.get_running_loop()
            self._cap_check = loop.run_in_executor(
                None, enforce_cap, self.store, self.outbox_cap_bytes
            )
            self._cap_check.add_done_callback(self._cap_checked)

    def _cap_checked(self, future: asyncio.Future[int]) -> None:
        self._cap_check = None
        if not future.cancelled() and future.exception() is not None:
            log.error("outbox cap check failed: %r", future.exception())

    # -- device readings ----------------------------------------------------------

    def on_reading(self, runner: DeviceRunner, reading: Reading) -> None:
        """A device's reading (the device pool calls this on the loop): queued for :meth:`run`."""
        self._readings.put_nowait((runner, reading))

    def finish(self) -> None:
        """Let :meth:`run` store what is queued and return."""
        self._readings.put_nowait(None)

    async def run(self) -> None:
        """Store device readings in arrival order, off the loop's back, until :meth:`finish`.

        Readings that wait together are submitted together, so they share one
        commit; an occupancy first waits for the documents before it, which
        its crossing lists.
        """
        while True:
            batch = [await self._readings.get()]
            while not self._readings.empty():
                batch.append(self._readings.get_nowait())
            submitted: list[Submitted] = []
            for item in batch:
                if item is None or item[1].kind == "rpm.occupancy":
                    await self._stored(submitted)
                    submitted = []
                if item is None:
                    return
                submitted.append(self._submit(*item))
            await self._stored(submitted)

    def _submit(self, runner: DeviceRunner, reading: Reading) -> Submitted:
        lane, device = runner.settings.lane, runner.settings.name
        reading = self.lane_tracker.prepare(reading, lane)
        event, alerts = self._screen(reading, lane, device)
        future = self.recorder.submit(event, alerts)
        future.add_done_callback(functools.partial(self._failed, event, alerts))
        return runner, reading, future

    async def _stored(self, submitted: list[Submitted]) -> None:
        """Wait for submitted readings in order; tell the lane tracker their sequences."""
        for runner, reading, future in submitted:
            lane, device = runner.settings.lane, runner.settings.name
            try:
                recorded = await future
            except Exception:  # logged (or shown as storage full) by _failed
                runner.errors += 1
                continue
            self.lane_tracker.stored(reading, lane, device, recorded.event.seq)
            self._after_write()
