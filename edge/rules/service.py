"""The post's rules: the pack in force, applying a new one, and each reading's verdict.

:class:`RulesService` keeps the last good pack in ``<state>/rules/pack.json``
and the lanes' open crossings. Each document, scan or portal occupancy adds
its facts to its lane's crossing and is evaluated with all of them. A portal
occupancy closes the crossing, as ``edge/lanes.py`` does; a crossing older
than ``CROSSING_WINDOW_S`` gives way to a new one, so a lane without a portal
does not grow one without end. A rule alerts once per crossing and traveller.
:meth:`RulesService.apply` is the ``rules`` channel's applier: a pack that
does not load, lints with errors, is expired, or is not newer than the one in
force is refused and the one in force stays.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.events import Body, with_fields
from edge.lanes import CROSSING_WINDOW_S
from edge.rules.attrs import facts_of, merge
from edge.rules.engine import Verdict, evaluate
from edge.rules.evaluate import History
from edge.rules.lint import lint
from edge.rules.pack import Pack, PackError, load_pack
from edge.store import NewAlert, Store
from sync.outbox import PRIORITY_ALERT, PRIORITY_NOTICE
from sync.wldist.trust import Refused

log = logging.getLogger("borderpost.rules")
PACK_FILE = "rules/pack.json"
EVALUATED = ("mrz", "manual", "barcode", "rpm.occupancy")
HistoryFor = Callable[[dict[str, Any], float], History]


@dataclass
class _Crossing:
    id: str
    facts: dict[str, Any]
    started: float
    alerted: set[str] = field(default_factory=set)


def _no_history(_facts: dict[str, Any], _now: float) -> History:
    return lambda _subject, _days: 0


def store_history(store: Store) -> HistoryFor:
    """Earlier crossings from the event store: events of the same document number (its
    index), or carrying the same plate, in the last N days; asked only when a rule does."""

    def history_for(facts: dict[str, Any], now: float) -> History:
        @functools.cache
        def count(subject: str, days: float) -> int:
            since = now - days * 86400
            if subject == "person" and facts.get("document.number"):
                number = str(facts["document.number"])
                return len(store.search(document_number=number, date_from=since, limit=1000))
            if subject == "vehicle" and facts.get("vehicle.plate"):
                return _plate_count(store, str(facts["vehicle.plate"]), since)
            return 0

        return count

    return history_for


def _plate_count(store: Store, plate: str, since: float) -> int:
    sql = (
        "SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE wall_time >= ?"
        " AND json_extract(payload, '$.vehicle.plate') = ? LIMIT 1000)"
    )
    return int(store.conn.execute(sql, (since, plate)).fetchone()[0])


class RulesService:
    """The pack in force and the lanes' open crossings (on the event loop; apply is thread-safe)."""

    def __init__(self, state_dir: Path, history: HistoryFor = _no_history) -> None:
        self.path = state_dir / PACK_FILE
        self.history = history
        self.pack: Pack | None = None
        self.last_refusal: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self._lanes: dict[str, _Crossing] = {}
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            self.pack = load_pack(self.path.read_bytes())
        except (OSError, PackError) as exc:
            log.error("rule pack %s unusable, no rules in force: %s", self.path, exc)

    # -- the channel's applier ----------------------------------------------------------

    def apply(self, data: bytes, now: float | None = None) -> Pack:
        """Check a pack and put it in force; :class:`Refused` leaves the one in force."""
        now = time.time() if now is None else now
        try:
            pack = self._checked(data, now)
        except Refused as exc:
            self.last_refusal = {"reason": exc.code, "message": exc.message, "at": now}
            log.warning("rule pack refused: %s", exc)
            raise
        self._write(data)
        with self._lock:
            self.pack = pack
        log.info("rule pack version %d in force (%d rules)", pack.version, len(pack.rules))
        return pack

    def _checked(self, data: bytes, now: float) -> Pack:
        errors = [f for f in lint(data) if f.severity == "error"]
        if errors:
            raise Refused("invalid", "; ".join(f"{f.rule}: {f.message}" for f in errors[:5]))
        pack = load_pack(data)
        current = self.pack.version if self.pack else 0
        if pack.version <= current:
            raise Refused("rollback", f"version {pack.version} is not newer than {current}")
        if pack.expired(now):
            raise Refused("expired", f"version {pack.version} expired")
        return pack

    def _write(self, data: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    # -- each reading --------------------------------------------------------------------

    def screen(
        self, body: Body, kind: str, lane: str | None, now: float | None = None
    ) -> tuple[Body, list[NewAlert]]:
        """The reading's body with its ``rules`` verdict added, and the alerts it asks for."""
        pack = self.pack
        if pack is None or kind not in EVALUATED:
            return body, []
        now = time.time() if now is None else now
        crossing = self._crossing(lane or "", now)
        crossing.facts = merge(crossing.facts, facts_of(body, kind, now))
        verdict = evaluate(pack, crossing.facts, crossing.id, self.history(crossing.facts, now))
        alerts = self._alerts(verdict, crossing)
        if kind == "rpm.occupancy":
            self._lanes.pop(lane or "", None)
        return with_fields(body, rules=verdict.as_json(pack.random.rate)), alerts

    def _crossing(self, lane: str, now: float) -> _Crossing:
        crossing = self._lanes.get(lane)
        if crossing is None or now - crossing.started > CROSSING_WINDOW_S:
            crossing = self._lanes[lane] = _Crossing(uuid.uuid4().hex, {"lane": lane}, now)
        return crossing

    def _alerts(self, verdict: Verdict, crossing: _Crossing) -> list[NewAlert]:
        """One alert per crossing and traveller for each newly matched alerting rule (and one
        for the random control)."""
        who = str(crossing.facts.get("document.number", ""))
        new = [h for h in verdict.alerting() if f"{h.rule.id}/{who}" not in crossing.alerted]
        crossing.alerted |= {f"{h.rule.id}/{who}" for h in new}
        alerts = []
        if new:
            titles = "; ".join(h.rule.title for h in new[:3])
            summary = f"rules {verdict.lane}: {titles}"
            alerts.append(_alert(verdict, summary, [h.as_json() for h in new]))
        pack = self.pack
        wanted = verdict.selected and pack is not None and pack.random.alert
        if wanted and "random" not in crossing.alerted:
            crossing.alerted.add("random")
            summary = f"random control (pack {verdict.pack}, draw {verdict.draw})"
            alerts.append(_alert(verdict, summary, []))
        return alerts

    def status(self, now: float | None = None) -> dict[str, Any]:
        """``rules_version``, its expiry and rule count, and the last refusal, for ``status``."""
        pack, now = self.pack, time.time() if now is None else now
        return {
            "rules_version": pack.version if pack else None,
            "rules_count": len(pack.rules) if pack else 0,
            "rules_expired": pack.expired(now) if pack else None,
            "rules_refused": self.last_refusal,
        }


def _alert(verdict: Verdict, summary: str, hits: list[dict[str, Any]]) -> NewAlert:
    severity = PRIORITY_ALERT if verdict.lane == "red" else PRIORITY_NOTICE
    hits = [*hits, {"crossing": verdict.crossing, "pack": verdict.pack, "lane": verdict.lane}]
    return NewAlert("rules", summary[:400], severity, hits, [])
