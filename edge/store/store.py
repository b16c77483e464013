"""The post's event store: append-only events written with their outbox rows.

An event and its alerts are written in one SQLite transaction together with
their outbox rows before anybody is told about them (WAL, ``synchronous=FULL``),
so an event the officer has seen survives any crash and reaches HQ.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from edge.clock import clock_synced
from edge.sanitize import clean_text
from edge.store import audit
from edge.store.db import connect
from sync.outbox import PRIORITY_ALERT, OutboundEvent

MAX_PAYLOAD = 256 * 1024
PERSONAL_KINDS = ("mrz", "mrz.unreadable", "barcode", "manual", "alert", "adjudication")
EVENT_COLUMNS = (
    "seq, uuid, kind, priority, wall_time, mono_time, clock_synced, lane, device, payload"
)


class StoreError(ValueError):
    """A write was refused (bad input); nothing was changed."""


@dataclass(frozen=True)
class NewEvent:
    """An event to record."""

    kind: str
    payload: dict[str, Any]
    priority: int = 0
    lane: str | None = None
    device: str | None = None


@dataclass(frozen=True)
class NewAlert:
    """An alert raised by an event (watchlist hit, radiation alarm, fault)."""

    kind: str
    summary: str
    severity: int = PRIORITY_ALERT
    hits: list[dict[str, Any]] = field(default_factory=list)
    keys: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Recorded:
    """What one ``record`` call wrote: the event, and one alert event per alert."""

    event: OutboundEvent
    alert_events: tuple[OutboundEvent, ...]
    alert_ids: tuple[int, ...]


def row_to_event(row: Sequence[Any]) -> OutboundEvent:
    """An ``events`` row (in ``EVENT_COLUMNS`` order) as an event record."""
    seq, uid, kind, prio, wall, mono, synced, lane, device, payload = row
    return OutboundEvent(
        seq, uid, kind, prio, wall, mono, bool(synced), lane, device, json.loads(payload)
    )


def _search_fields(kind: str, payload: dict[str, Any]) -> tuple[str | None, str | None]:
    number = payload.get("document_number")
    names = [payload.get("surname"), payload.get("given_names")]
    name = " ".join(str(n) for n in names if n) or None
    return (str(number).upper() if number else None), (name.upper() if name else None)


class Store:
    """The daemon's SQLite event store; one instance per thread that writes."""

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.conn: sqlite3.Connection = db.conn
        self.path = path
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: Path, *, synchronous: str = "FULL") -> Store:
        """Open (creating and migrating) the database at ``path``."""
        return cls(connect(path, synchronous=synchronous), path)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on any error)."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    # -- writing events -------------------------------------------------

    def record(self, event: NewEvent, alerts: Sequence[NewAlert] = ()) -> Recorded:
        """Write an event, its alerts and their outbox rows in one transaction."""
        with self.transaction() as conn:
            stored = self._insert(conn, event)
            alert_events, alert_ids = [], []
            for alert in alerts:
                alert_id, alert_event = self._insert_alert(conn, stored, alert)
                alert_ids.append(alert_id)
                alert_events.append(alert_event)
        return Recorded(stored, tuple(alert_events), tuple(alert_ids))

    def _insert(self, conn: sqlite3.Connection, event: NewEvent) -> OutboundEvent:
        text = json.dumps(event.payload, ensure_ascii=False, separators=(",", ":"))
        if len(text) > MAX_PAYLOAD:
            raise StoreError(f"event payload of {len(text)} bytes exceeds {MAX_PAYLOAD}")
        seq = int(conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM events").fetchone()[0])
        row = (
            seq,
            str(uuid.uuid4()),
            event.kind,
            event.priority,
            time.time(),
            time.monotonic(),
            int(clock_synced()),
            event.lane,
            event.device,
            text,
        )
        doc, name = _search_fields(event.kind, event.payload)
        conn.execute(
            f"INSERT INTO events ({EVENT_COLUMNS}, doc_number, name)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (*row, doc, name),
        )
        conn.execute(
            "INSERT INTO outbox (seq, priority, size) VALUES (?,?,?)",
            (seq, event.priority, len(text)),
        )
        return row_to_event(row)

    def _insert_alert(
        self, conn: sqlite3.Connection, cause: OutboundEvent, alert: NewAlert
    ) -> tuple[int, OutboundEvent]:
        alert_id = int(
            conn.execute("SELECT COALESCE(MAX(alert_id), 0) + 1 FROM alerts").fetchone()[0]
        )
        payload = {
            "alert_id": alert_id,
            "event_seq": cause.seq,
            "event_uuid": cause.uuid,
            "kind": alert.kind,
            "severity": alert.severity,
            "summary": clean_text(alert.summary, 400),
            "hits": alert.hits,
            "keys": alert.keys,
        }
        alert_event = self._insert(
            conn, NewEvent("alert", payload, alert.severity, cause.lane, cause.device)
        )
        conn.execute(
            "INSERT INTO alerts (alert_id, event_seq, alert_seq, created, kind, severity, summary,"
            " hits) VALUES (?,?,?,?,?,?,?,?)",
            (
                alert_id,
                cause.seq,
                alert_event.seq,
                alert_event.wall_time,
                alert.kind,
                alert.severity,
                payload["summary"],
                json.dumps(alert.hits, ensure_ascii=False),
            ),
        )
        return alert_id, alert_event

    # -- reading events -------------------------------------------------

    def last_seq(self) -> int:
        """The newest sequence number (0 when empty)."""
        return int(self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])

    def get_event(self, seq: int) -> OutboundEvent | None:
        """One event by sequence."""
        row = self.conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE seq = ?", (seq,)
        ).fetchone()
        return row_to_event(row) if row else None

    def events(
        self,
        *,
        before_seq: int | None = None,
        limit: int = 100,
        lane: str | None = None,
        kind: str | None = None,
    ) -> list[OutboundEvent]:
        """Newest-first page of events, optionally by lane and kind."""
        return self._newest(
            [("seq < ?", before_seq if before_seq is not None else 2**62),
             ("lane = ?", lane), ("kind = ?", kind)],
            limit,
        )  # fmt: skip

    def search(
        self,
        *,
        document_number: str | None = None,
        name: str | None = None,
        date_from: float | None = None,
        date_to: float | None = None,
        limit: int = 100,
    ) -> list[OutboundEvent]:
        """Earlier crossings by document number, name (substring) or time range."""
        pattern = None
        if name:
            escaped = name.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{escaped}%"
        return self._newest(
            [("purged = ?", 0), ("doc_number = ?", (document_number or "").upper() or None),
             ("name LIKE ? ESCAPE '\\'", pattern), ("wall_time >= ?", date_from),
             ("wall_time < ?", date_to)],
            limit,
        )  # fmt: skip

    def _newest(self, conditions: list[tuple[str, Any]], limit: int) -> list[OutboundEvent]:
        """Events matching every condition whose value is not None, newest first."""
        used = [(clause, value) for clause, value in conditions if value is not None]
        where = " AND ".join(clause for clause, _ in used)
        sql = f"SELECT {EVENT_COLUMNS} FROM events WHERE {where} ORDER BY seq DESC LIMIT ?"
        rows = self.conn.execute(sql, (*(value for _, value in used), limit))
        return [row_to_event(r) for r in rows]

    def alert_ids_for(self, seqs: Sequence[int]) -> dict[int, list[int]]:
        """Alert IDs raised by each of ``seqs``."""
        if not seqs:
            return {}
        marks = ",".join("?" * len(seqs))
        found: dict[int, list[int]] = {}
        for seq, alert_id in self.conn.execute(
            f"SELECT event_seq, alert_id FROM alerts WHERE event_seq IN ({marks})", list(seqs)
        ):
            found.setdefault(seq, []).append(alert_id)
        return found

    # -- settings, retention ---------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A JSON value kept in the ``settings`` table."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any, actor: str) -> None:
        """Keep a JSON value, audited."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (key, json.dumps(value)),
            )
            audit.append(conn, actor, "setting", {"key": key, "value": value})

    def purge_personal(self, older_than_days: float, now: float | None = None) -> int:
        """Blank the personal data of acknowledged events older than the retention period."""
        cutoff = (now if now is not None else time.time()) - older_than_days * 86400
        marks = ",".join("?" * len(PERSONAL_KINDS))
        with self.transaction() as conn:
            cursor = conn.execute(
                f"UPDATE events SET payload = '{{\"purged\":true}}', doc_number = NULL,"
                f" name = NULL, purged = 1 WHERE purged = 0 AND wall_time < ?"
                f" AND kind IN ({marks}) AND seq NOT IN (SELECT seq FROM outbox)",
                (cutoff, *PERSONAL_KINDS),
            )
            conn.execute(
                "UPDATE alerts SET hits = '[]', summary = '(purged)', note = NULL"
                " WHERE event_seq IN (SELECT seq FROM events WHERE purged = 1)"
                " AND summary != '(purged)'"
            )
            audit.append(
                conn,
                "system",
                "retention.purge",
                {"events": cursor.rowcount, "days": older_than_days},
            )
        return int(cursor.rowcount)
