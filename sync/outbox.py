"""What the uplink needs from the post's store, without knowing the store.

The daemon's SQLite store (``edge``) implements ``OutboxSource``; the uplink
(``sync``) drains it. Each method is safe to call from the uplink's own
thread: an implementation uses its own database connection there.

The domain's event type is not here: events are typed by the codec in
``drivers/events.py``, and ``sync`` carries the codec's JSON as an opaque
payload behind the transport header fields it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

PRIORITY_ROUTINE = 0
PRIORITY_NOTICE = 1
PRIORITY_ALERT = 2


@dataclass(frozen=True)
class OutboundEvent:
    """One event as the transport carries it: its header fields and its payload as stored.

    The payload is the event codec's JSON (``drivers/events.py``), opaque to
    ``sync``: the wire format and HQ keep it as it came.
    """

    seq: int
    uuid: str
    kind: str
    priority: int
    wall_time: float
    mono_time: float
    clock_synced: bool
    lane: str | None
    device: str | None
    payload: dict[str, Any]


@dataclass(frozen=True)
class Epoch:
    """The identity of the post's database, sent with every batch: a random 16-byte id
    made when the database was created, and the last sequence before it began."""

    id: bytes
    base: int = 0


class OutboxSource(Protocol):
    """The post's durable outbox as the uplink sees it."""

    def pending(
        self, *, limit: int, max_bytes: int, exclude: Sequence[int] = ()
    ) -> list[OutboundEvent]:
        """Up to ``limit`` events (about ``max_bytes`` of payload) not yet
        acknowledged: highest priority first, then by sequence; ``exclude``
        lists sequences already in flight."""
        ...

    def acknowledge(self, seqs: Sequence[int]) -> None:
        """HQ has stored these sequences: remove them from the outbox."""
        ...

    def backlog(self) -> int:
        """How many events wait in the outbox."""
        ...

    def evicted(self) -> int:
        """How many routine events the disk cap has evicted, ever."""
        ...
