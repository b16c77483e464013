"""Crossings: the readings of one vehicle or traveller at a lane, gathered into one row.

A crossing is what the lane tracker calls one: the documents read at a lane
and the radiation portal's occupancy that follows them (its ``crossing`` lists
the documents it claimed). The console gathers the pushed events the same way,
so the officer sees one row per crossing with one verdict: documents join the
lane's open crossing (within the lane tracker's window); the occupancy joins
the crossing of the documents it lists and closes it (a crossing no occupancy
closes takes documents for three minutes from its first); an alert or a decision
joins the crossing of the event it is about. On a lane without a portal every
document is a crossing of its own. Faults and other device news are rows of
their own; ``rpm.status`` and officer events are not shown here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.display import parse_time

DOCUMENT_KINDS = frozenset({"mrz", "mrz.unreadable", "barcode", "manual", "chip.read"})
ABOUT_KINDS = frozenset({"alert", "adjudication"})  # they name the event they are about
HIDDEN_KINDS = frozenset(
    {"officer.login", "officer.logout", "config.change", "rpm.status", "outbox.evicted"}
    | {"officer.added", "officer.disabled", "officer.pin_reset"}
    | {"chip.card"}  # a card put in / taken out: its chip.read says what matters
)
WINDOW_S = 180.0  # as edge.lanes.CROSSING_WINDOW_S


@dataclass
class Crossing:
    """The events of one crossing (ascending ``seq``); ``key`` is its first event's seq."""

    key: str
    lane: str
    events: list[dict[str, Any]] = field(default_factory=list)
    closed: bool = False

    @property
    def seqs(self) -> list[int]:
        """The sequence numbers of its events."""
        return [seq_of(e) for e in self.events]

    def of_kind(self, *kinds: str) -> list[dict[str, Any]]:
        """Its events of these kinds."""
        return [e for e in self.events if e.get("kind") in kinds]

    @property
    def is_crossing(self) -> bool:
        """True for documents and occupancies; False for a fault or device row."""
        return bool(self.of_kind(*DOCUMENT_KINDS, "rpm.occupancy"))

    @property
    def first_time(self) -> float:
        """When its first event was recorded (UNIX seconds; 0 when unknown). A crossing takes
        documents for ``WINDOW_S`` from then, so steady traffic past a silent portal still
        makes new crossings."""
        return parse_time(self.events[0].get("wall_time")) if self.events else 0.0


class CrossingBook:
    """Events in, crossings out: which crossing each event belongs to, kept up to date."""

    def __init__(self, rpm_lanes: frozenset[str] = frozenset()) -> None:
        self.rpm_lanes = rpm_lanes
        self.crossings: dict[str, Crossing] = {}  # in order of their first event
        self._by_seq: dict[int, Crossing] = {}
        self._open: dict[str, Crossing] = {}  # lane -> the crossing documents still join

    def of(self, seq: int) -> Crossing | None:
        """The crossing an event belongs to."""
        return self._by_seq.get(seq)

    def add(self, event: dict[str, Any]) -> Crossing | None:
        """File an event (in ``seq`` order); the crossing it changed, or None if not shown."""
        kind, seq = str(event.get("kind", "")), seq_of(event)
        if kind in HIDDEN_KINDS or seq in self._by_seq:
            return None
        crossing = self._home(event, kind)
        crossing.events.append(event)
        self._by_seq[seq] = crossing
        return crossing

    def _home(self, event: dict[str, Any], kind: str) -> Crossing:
        lane = str(event.get("lane") or "-")
        if kind in DOCUMENT_KINDS:
            return self._document_home(event, lane)
        if kind == "rpm.occupancy":
            return self._occupancy_home(event, lane)
        about = _payload(event).get("event_seq")
        if kind in ABOUT_KINDS and isinstance(about, int) and about in self._by_seq:
            return self._by_seq[about]
        return self._new(event, lane, closed=True)

    def _document_home(self, event: dict[str, Any], lane: str) -> Crossing:
        current = self._open.get(lane)
        when = parse_time(event.get("wall_time"))
        if current is not None and when - current.first_time <= WINDOW_S:
            return current
        crossing = self._new(event, lane, closed=lane not in self.rpm_lanes)
        if not crossing.closed:
            self._open[lane] = crossing
        return crossing

    def _occupancy_home(self, event: dict[str, Any], lane: str) -> Crossing:
        listed = _payload(event).get("crossing")
        documents = listed.get("documents") if isinstance(listed, dict) else None
        seqs = [s for s in documents or [] if isinstance(s, int) and s in self._by_seq]
        crossing = self._by_seq[max(seqs)] if seqs else self._new(event, lane, closed=True)
        crossing.closed = True
        if self._open.get(lane) is crossing:
            del self._open[lane]
        return crossing

    def _new(self, event: dict[str, Any], lane: str, *, closed: bool) -> Crossing:
        crossing = Crossing(str(seq_of(event)), lane, closed=closed)
        self.crossings[crossing.key] = crossing
        return crossing

    def forget_before(self, seq: int) -> list[Crossing]:
        """Drop crossings whose first event is older than ``seq``; the dropped ones."""
        gone = [c for c in self.crossings.values() if int(c.key) < seq]
        for crossing in gone:
            del self.crossings[crossing.key]
            for s in crossing.seqs:
                self._by_seq.pop(s, None)
            if self._open.get(crossing.lane) is crossing:
                del self._open[crossing.lane]
        return gone


def portal_lanes(status: object) -> frozenset[str]:
    """The lanes with a radiation portal, from the daemon's ``status`` (``lanes.*.rpm``)."""
    lanes = status.get("lanes") if isinstance(status, dict) else None
    if not isinstance(lanes, dict):
        return frozenset()
    return frozenset(str(k) for k, v in lanes.items() if isinstance(v, dict) and v.get("rpm"))


def seq_of(event: dict[str, Any]) -> int:
    """An event's sequence number (0 when it has none)."""
    value = event.get("seq")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _payload(event: dict[str, Any]) -> dict[str, Any]:
    payload = event.get("payload")
    return payload if isinstance(payload, dict) else {}
