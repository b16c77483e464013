"""A full disk, seen by the officer: what was refused, since when, and the fault once it ends.

When the event store refuses writes for lack of space (SQLite's
``SQLITE_FULL``, or ``ENOSPC``), every reading is lost until space returns.
:class:`StorageState` records that: the daemon's ``status`` says
``storage full — readings not recorded`` (the console shows it on its status
line), the log says it once, and the screening verdict of each refused
reading is still pushed to the consoles (not recorded). The daemon tries to
record the ``device.fault`` event of the episode every second; the first
write that succeeds ends it, so HQ and the console learn of it as soon as
space returns.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from drivers.events import Alert, Body, DeviceFault, Event, decode_body_or_unknown, iso
from edge.clock import clock_synced
from edge.store import NewAlert, NewEvent
from sync.outbox import PRIORITY_NOTICE

log = logging.getLogger("borderpost.storage")
MESSAGE = "storage full — readings not recorded"
SQLITE_FULL = 13


def is_full(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) is the disk or the database being full."""
    while exc is not None:
        if isinstance(exc, sqlite3.Error) and getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL:
            return True
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


class StorageFull(Exception):
    """A reading was refused for lack of space; its screening verdict travels with this."""

    def __init__(self, alerts: Sequence[NewAlert]) -> None:
        super().__init__(MESSAGE)
        self.alerts = [
            {"kind": a.kind, "severity": a.severity, "summary": a.summary, "hits": a.hits}
            for a in alerts
        ]


@dataclass
class StorageState:
    """Whether writes are being refused for lack of space, since when, and how many."""

    full_since: float | None = None
    refused: int = 0

    def refuse(self, exc: BaseException) -> bool:
        """Count a refused write; True when it was for lack of space (logged once per episode)."""
        if not is_full(exc):
            return False
        if self.full_since is None:
            self.full_since = time.time()
            log.error(
                "%s: the event store refuses writes (%s); free space on its disk", MESSAGE, exc
            )
        self.refused += 1
        return True

    def as_json(self) -> dict[str, Any]:
        """The ``storage`` object of ``status``."""
        if self.full_since is None:
            return {"full": False}
        return {"full": True, "since": iso(self.full_since), "refused": self.refused,
                "message": MESSAGE}  # fmt: skip

    def fault_event(self) -> NewEvent:
        """The ``device.fault`` event of the episode, recorded once space has returned."""
        since = self.full_since or time.time()
        detail = (
            f"storage full from {iso(since)} to {iso(time.time())}: {self.refused} writes refused"
        )
        body = DeviceFault(name="storage", state="fault", fault=detail, error=MESSAGE)
        return NewEvent("device.fault", body, PRIORITY_NOTICE, None, "storage")

    def recovered(self) -> None:
        """The episode's fault event is on disk: writes work again."""
        log.warning("storage writable again after %d refused writes", self.refused)
        self.full_since, self.refused = None, 0


def unrecorded(event: NewEvent, alerts: Sequence[NewAlert]) -> list[Event]:
    """A refused reading and its alerts as events to push to consoles (sequence 0: not
    recorded), so an officer still sees the screening verdict."""
    now, synced = time.time(), clock_synced()

    def make(kind: str, priority: int, body: Any) -> Event:
        return Event(0, "", kind, priority, now, time.monotonic(), synced, event.lane,
                     event.device, body)  # fmt: skip

    body = event.payload
    if not isinstance(body, Body):
        body = decode_body_or_unknown(event.kind, body)
    verdicts = [make("alert", a.severity, _alert_body(a)) for a in alerts]
    return [make(event.kind, event.priority, body), *verdicts]


def _alert_body(alert: NewAlert) -> Alert:
    return Alert(kind=alert.kind, severity=alert.severity, summary=alert.summary,
                 hits=tuple(alert.hits), keys=tuple(alert.keys))  # fmt: skip
