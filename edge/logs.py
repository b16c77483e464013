"""The post's log: journald priorities, repeats limited (``sync/logs.py``), and one line per
event of interest as it reaches the disk.

``setup`` is what ``borderpost run`` calls. :func:`event_line` is a store listener
(``Store.subscribe``, attached by ``edge/metrics.py``): a device fault or recovery, an alert,
a watchlist update or refusal, an outbox eviction each give one line, at a priority an
operator can filter on (``journalctl -u borderpost -p warning``). No names or document
numbers go to the log: it is kept apart from the database's retention purge.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final

from drivers.events import Event
from edge.store import Recorded
from sync import logs
from sync.sanitize import clean_text

log = logging.getLogger("borderpost.events")
LEVELS: Final = {
    "device.fault": logging.ERROR,
    "device.ok": logging.INFO,
    "alert": logging.WARNING,
    "watchlist.applied": logging.INFO,
    "watchlist.refused": logging.WARNING,
    "outbox.evicted": logging.WARNING,
}
"""The events of interest and the level each is logged at."""
FIELDS: Final = (
    "kind",
    "alert_id",
    "severity",
    "name",
    "state",
    "fault",
    "version",
    "reason",
    "count",
)
"""Payload fields a line may carry (none of them personal data)."""


def setup(level: str = "info") -> None:
    """Log every project logger's records to stderr at ``level`` (journald priorities under
    systemd, time-stamped lines elsewhere; at most a few lines a minute for one message)."""
    logs.setup(level)


def event_line(group: Sequence[Recorded]) -> None:
    """Log one line for each event of interest in a committed group (on the writer thread)."""
    for recorded in group:
        for event in recorded.all_events:
            level = LEVELS.get(event.kind)
            if level is not None:
                log.log(level, "%s", describe(event))


def describe(event: Event) -> str:
    """``kind seq=… lane=… device=…`` and the payload's non-personal fields, one line."""
    payload: dict[str, Any] = event.payload
    parts = [event.kind, f"seq={event.seq}", f"lane={event.lane}", f"device={event.device}"]
    parts += [f"{k}={_value(payload[k])}" for k in FIELDS if payload.get(k) is not None]
    return " ".join(parts)


def _value(value: object) -> str:
    text = clean_text(str(value), 200)
    return repr(text) if " " in text or not text else text
