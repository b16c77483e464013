"""The post's pre-arrival service: applier of the ``pax`` channel, judge of each read,
reporter of closed windows.

* As the channel's applier (``sync.wldist.payload.Applier``) it replaces the
  lists in ``prearrival.db`` with each verified version and swaps in a new
  :class:`~edge.prearrival.index.Index` (look-ups never see half a version).
* :meth:`judge` (called by the ingest pipeline for every reading) says whether
  a read is **expected** (list and reference), **not expected** (the lane's
  current trip is covered by a list that does not name it) or a **mismatch**
  (the document is on a list with another surname or birth date); the verdict
  goes into the reading's event as ``prearrival``. A mismatch is an alert; a
  watchlist alert on an expected traveller carries both reasons (one alert).
* Every ``tick_s`` its thread records arrivals, reports each list whose window
  has closed (``prearrival.window_closed``: who did not arrive, who came
  unannounced) and deletes lists past their expiry.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

from drivers.base import Reading
from drivers.events import Body, ContainerKey, DocumentKey, MrnKey, PersonKey, encode_key
from edge.api.params import integer, label
from edge.prearrival.index import Index, Verdict
from edge.prearrival.store import PrearrivalStore
from edge.sanitize import clean_text
from edge.store import NewAlert, NewEvent
from sync.hq.prearrival import DEFAULT_RETENTION_H, with_expiry
from sync.outbox import PRIORITY_ALERT, PRIORITY_NOTICE
from sync.paxlst.expected import ExpectedList, FormatError, expected_list, iso
from sync.wldist.manifest import Manifest
from sync.wldist.trust import Refused

log = logging.getLogger("borderpost.prearrival")
FILE: Final = "prearrival.db"
TRIP_S: Final = 600.0  # a lane's trip stays open this long after its last expected read
AHEAD_H: Final = 4  # the lane view shows lists whose window opens within this many hours
GRACE_S: Final = 900.0  # an item not seen this long after its list's arrival time is overdue
KEEP_SHOWN_S: Final = 3600.0  # a list stays in the lane view this long after its window
MAX_PAYLOAD: Final = 64 * 1024 * 1024
Record = Callable[[NewEvent], object]


def read_payload(data: bytes, post_id: str | None) -> list[ExpectedList]:
    """The lists of a ``pax`` payload; :class:`Refused` ``malformed`` when unusable."""
    try:
        body = json.loads(data)
        if not isinstance(body, dict) or body.get("format") != 1:
            raise FormatError("not a pre-arrival payload of format 1")
        if post_id is not None and body.get("post") != post_id:
            raise FormatError(f"payload for post {body.get('post')!r}")
        lists = [expected_list(x, f"list [{i}]") for i, x in enumerate(body.get("lists") or [])]
        return [with_expiry(x, DEFAULT_RETENTION_H) for x in lists]
    except (ValueError, FormatError) as exc:
        raise Refused("malformed", clean_text(str(exc), 300)) from None


class PrearrivalService:
    """See the module docstring; ``record`` (thread-safe) is set by :meth:`start`."""

    def __init__(self, state_dir: Path, post_id: str | None = None, tick_s: float = 5.0) -> None:
        self.store = PrearrivalStore(state_dir / FILE)
        self.post_id, self.tick_s = post_id, tick_s
        self.store.purge(time.time())
        self.index = Index(self.store.lists())
        self._version = self.store.version()  # kept here: status never waits for the file
        self.record: Record | None = None
        self._lock = threading.Lock()
        self._arrived: list[tuple[str, str, int, float]] = []
        self._unannounced: list[tuple[str, float, str]] = []
        self._trips: dict[str, tuple[Verdict, float]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the pax channel's applier ------------------------------------------------

    def version(self) -> int:
        """The version of the lists in force."""
        return self._version

    def apply(self, m: Manifest, data: bytes) -> None:
        """Hold the payload's lists as version ``m.version`` (all or nothing)."""
        if len(data) > MAX_PAYLOAD:
            raise Refused("malformed", f"payload of {len(data)} bytes is too large")
        lists = read_payload(data, self.post_id)
        self.store.replace(m.version, lists)
        self.index, self._version = Index(lists), m.version
        people = sum(len(x.travellers) for x in lists)
        log.info("pre-arrival version %s: %d lists, %d travellers", m.version, len(lists), people)
        payload = {"version": m.version, "lists": len(lists), "items": sum(x.size for x in lists)}
        self._emit(NewEvent("prearrival.applied", payload, 0, None, None))

    def refused(self, code: str, message: str, details: dict[str, Any]) -> None:
        """An update refused: an event to HQ (as the watchlist's)."""
        payload = {"reason": code, "message": clean_text(message, 400), **details}
        self._emit(NewEvent("prearrival.refused", payload, 1, None, None))

    # -- reads ---------------------------------------------------------------------

    def judge(
        self, reading: Reading, body: Body, alerts: list[NewAlert], lane: str | None
    ) -> tuple[Body, list[NewAlert]]:
        """The reading's body with its ``prearrival`` verdict, and its alerts (merged)."""
        now = time.time()
        verdict = self.verdict(reading, body, lane, now)
        if verdict is None:
            return body, alerts
        v = verdict.to_json()
        listed = self.index.lists.get(verdict.list_id)
        if listed is not None and listed.arrival is not None:
            v["arrival"] = iso(listed.arrival)  # the console says how early or late
        body = dataclasses.replace(body, extra={**body.extra, "prearrival": v})
        return body, self._alerts(verdict, alerts, reading)

    def verdict(self, reading: Reading, body: Body, lane: str | None, now: float) -> Verdict | None:
        """Match the read; remember an arrival, or an unannounced read on the lane's trip."""
        index = self.index
        verdict = index.match(reading.keys, now)
        plate = body.extra.get("plate") if isinstance(body.extra.get("plate"), str) else None
        if verdict is None and plate:
            verdict = index.match_plate(plate, body.extra.get("country"), now)
        if verdict is not None and verdict.item is not None:
            with self._lock:
                self._arrived.append((*verdict.item.ref, now))
                if lane is not None:
                    self._trips[lane] = (verdict, now + TRIP_S)
            return verdict
        return (
            self._unannounced_on_trip(reading, lane, now) if _identifies(reading, plate) else None
        )

    def _unannounced_on_trip(
        self, reading: Reading, lane: str | None, now: float
    ) -> Verdict | None:
        trip = self._trips.get(lane or "")
        if trip is None or trip[1] < now or not self.index.in_force(trip[0].list_id, now):
            return None
        covering = trip[0]
        why = f"not on list {covering.list_id}, which covers this trip"
        with self._lock:
            self._unannounced.append((covering.list_id, now, json.dumps(_read_summary(reading))))
        return Verdict("not_expected", None, covering.list_id, covering.reference, why)

    @staticmethod
    def _alerts(verdict: Verdict, alerts: list[NewAlert], reading: Reading) -> list[NewAlert]:
        hit = {"source": "prearrival", **verdict.to_json()}
        said = f"pre-arrival: {verdict.verdict.replace('_', ' ')} (list {verdict.list_id}, "
        said += f"ref {verdict.reference}; {verdict.reason})"
        for i, a in enumerate(alerts):
            if a.kind == "watchlist":  # one alert with both reasons
                merged = NewAlert(
                    a.kind, f"{a.summary}; {said}", a.severity, [*a.hits, hit], a.keys
                )
                return [*alerts[:i], merged, *alerts[i + 1 :]]
        if verdict.verdict != "mismatch":
            return alerts
        keys = [encode_key(k) for k in reading.keys]
        return [*alerts, NewAlert("prearrival", clean_text(said, 400), PRIORITY_ALERT, [hit], keys)]

    # -- windows and retention ----------------------------------------------------------

    def tick(self, now: float | None = None) -> list[NewEvent]:
        """Record arrivals, report closed windows, purge expired lists; the events raised."""
        now = time.time() if now is None else now
        self.flush()
        events = [self._closed(list_id) for list_id in self.store.to_close(now)]
        if self.store.purge(now):
            self.index = Index(self.store.lists())
        for event in events:
            self._emit(event)
        return events

    def flush(self) -> None:
        """Write the arrivals and unannounced reads remembered since the last flush."""
        with self._lock:
            arrived, self._arrived = self._arrived, []
            unannounced, self._unannounced = self._unannounced, []
        self.store.mark(arrived, unannounced)

    def _closed(self, list_id: str) -> NewEvent:
        x = self.index.lists.get(list_id) or next(
            x for x in self.store.lists() if x.list_id == list_id
        )
        seen, unannounced = self.store.arrivals(list_id)
        missing = _missing(x, seen)
        self.store.set_closed(list_id)
        payload = {
            "list_id": x.list_id,
            "reference": x.reference,
            "window_from": x.window_from,
            "window_to": x.window_to,
            "expected": x.size,
            "arrived": len(seen),
            "missing": missing,
            "unannounced": unannounced,
        }
        priority = PRIORITY_NOTICE if missing or unannounced else 0
        return NewEvent("prearrival.window_closed", payload, priority, None, None)

    def _emit(self, event: NewEvent) -> None:
        if self.record is not None:
            self.record(event)

    def start(self, record: Record) -> None:
        """Record events with ``record`` and run :meth:`tick` every ``tick_s`` in a thread."""
        self.record = record
        self._thread = threading.Thread(target=self._run, name="prearrival", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.tick_s):
            try:
                self.tick()
            except Exception:
                log.exception("pre-arrival tick failed")

    def close(self) -> None:
        """Stop the thread, write what is pending, close the file (windows that closed
        meanwhile are reported at the next start)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)
        try:
            self.flush()
        finally:
            self.store.close()

    # -- the console's view of a lane -------------------------------------------------

    async def lane_request(self, session: Any, req: dict[str, Any]) -> dict[str, Any]:
        """``prearrival {lane, hours}``: :meth:`lane_view` for the local API."""
        lane = label(req, "lane", 16)
        hours = integer(req, "hours", AHEAD_H, 1, 48)
        view = functools.partial(self.lane_view, lane, time.time(), hours * 3600.0)
        return await asyncio.get_running_loop().run_in_executor(None, view)

    def lane_view(self, lane: str | None, now: float, ahead_s: float) -> dict[str, Any]:
        """What a lane may expect: each list for that lane (or for no lane) whose window is
        open, opens within ``ahead_s`` or closed within the last hour, with its items
        expected, arrived and overdue, and the reads on its trip that it did not name."""
        self.flush()
        shown = [
            x
            for x in self.index.lists.values()
            if (lane is None or x.lane in (None, lane))
            and x.window_from - ahead_s <= now <= x.window_to + KEEP_SHOWN_S
        ]
        shown.sort(key=lambda x: (x.arrival or x.window_from, x.list_id))
        return {"lane": lane, "now": iso(now), "lists": [self._list_view(x, now) for x in shown]}

    def _list_view(self, x: ExpectedList, now: float) -> dict[str, Any]:
        seen, unannounced = self.store.arrivals(x.list_id)
        due = x.arrival if x.arrival is not None else x.window_to
        late = now > due + GRACE_S
        out: dict[str, Any] = {
            "list_id": x.list_id, "reference": x.reference, "lane": x.lane,
            "window": {"from": iso(x.window_from), "to": iso(x.window_to)},
            "arrival": iso(x.arrival) if x.arrival is not None else None,
            "expected": [], "arrived": [], "overdue": [], "not_expected": unannounced,
        }  # fmt: skip
        for kind, index, item in _items(x):
            state = "arrived" if (kind, index) in seen else "overdue" if late else "expected"
            out[state].append(item)
        return out

    def status(self) -> dict[str, Any]:
        """Figures for status: version, lists and items held."""
        lists = self.index.lists.values()
        return {"version": self.version(), "lists": len(lists), "items": sum(x.size for x in lists)}


def _identifies(reading: Reading, plate: str | None) -> bool:
    """True for a read that identifies a person, vehicle or consignment."""
    kinds = (DocumentKey, ContainerKey, MrnKey)
    return bool(plate) or any(isinstance(k, kinds) for k in reading.keys)


def _read_summary(reading: Reading) -> dict[str, Any]:
    """What HQ is told of an unannounced read: the keys it carried."""
    out: dict[str, Any] = {"kind": reading.kind}
    for k in reading.keys:
        if isinstance(k, DocumentKey):
            out.update(document_number=k.number, document_issuer=k.issuer)
        elif isinstance(k, PersonKey):
            out.update(surname=k.surname, given_names=k.given_names, birth_date=k.birth_date)
        elif isinstance(k, ContainerKey):
            out["container"] = k.number
        elif isinstance(k, MrnKey):
            out["mrn"] = k.mrn
    plate = reading.payload.get("plate")
    if isinstance(plate, str):
        out["plate"] = plate
    return out


def _items(x: ExpectedList) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(kind, index, what to say of it) for every item of a list."""
    for i, p in enumerate(x.travellers):
        yield "traveller", i, {"item": "traveller", "surname": p.surname,
                               "given_names": p.given_names,
                               "document_number": p.document_number, "role": p.role}  # fmt: skip
    for i, v in enumerate(x.vehicles):
        yield "vehicle", i, {"item": "vehicle", "plate": v.plate, "country": v.country}
    for i, c in enumerate(x.consignments):
        yield "consignment", i, {"item": "consignment", "mrn": c.mrn,
                                 "containers": list(c.containers)}  # fmt: skip


def _missing(x: ExpectedList, seen: set[tuple[str, int]]) -> list[dict[str, Any]]:
    return [item for kind, i, item in _items(x) if (kind, i) not in seen]
