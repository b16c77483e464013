"""The post's event store: append-only events written with their outbox rows.

An event and its alerts are written in one SQLite transaction together with
their outbox rows before anybody is told about them (WAL, ``synchronous=FULL``),
so an event the officer has seen survives any crash and reaches HQ. All
writes go through one writer thread that commits waiting writes together
(``edge/store/writer.py``); queries use read-only connections, one per thread.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from drivers.events import Alert, Body, Event, decode_body_or_unknown, encode_body
from edge.clock import clock_synced
from edge.sanitize import clean_text
from edge.severity import outbox_priority
from edge.store import audit
from edge.store.db import connect
from edge.store.writer import Tx, Writer, WriterStats
from sync.outbox import PRIORITY_ALERT

T = TypeVar("T")

MAX_PAYLOAD = 256 * 1024
MAX_NUMBER = 40  # a searchable number (document, plate, MRN …), stored upper case
PARTIAL_MIN = 4  # a number this long or longer is searched inside stored ones too
PERSONAL_KINDS = (
    "mrz", "mrz.unreadable", "barcode", "manual", "alert", "adjudication", "chip.read",
)  # fmt: skip
EVENT_COLUMNS = (
    "seq, uuid, kind, priority, wall_time, mono_time, clock_synced, lane, device, payload"
)


class StoreError(ValueError):
    """A write was refused (bad input); nothing was changed."""


@dataclass(frozen=True)
class NewEvent:
    """An event to record: its payload typed (``drivers.events``) or, from a reading, JSON."""

    kind: str
    payload: dict[str, Any] | Body
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

    event: Event
    alert_events: tuple[Event, ...]
    alert_ids: tuple[int, ...]

    @property
    def all_events(self) -> tuple[Event, ...]:
        """The event, then its alert events, in sequence order."""
        return (self.event, *self.alert_events)


def row_to_event(row: Sequence[Any]) -> Event:
    """An ``events`` row (in ``EVENT_COLUMNS`` order) as a typed event."""
    seq, uid, kind, prio, wall, mono, synced, lane, device, payload = row
    body = decode_body_or_unknown(kind, json.loads(payload))
    return Event(seq, uid, kind, prio, wall, mono, bool(synced), lane, device, body)


def _search_fields(kind: str, payload: dict[str, Any]) -> tuple[str | None, str | None]:
    names = [payload.get("surname"), payload.get("given_names")]
    name = " ".join(str(n) for n in names if n) or None
    return search_number(_number_of(kind, payload)), (name.upper() if name else None)


def _number_of(kind: str, payload: dict[str, Any]) -> object:
    """The number an officer searches an event by: a document's, a typed plate, or what a
    barcode turned out to be (MRN, container, VIN …; else its text when short)."""
    number = payload.get("document_number") or payload.get("plate")
    parsed = payload.get("parsed") if kind == "barcode" else None
    if number or not isinstance(parsed, dict):
        return number
    keys = [k for k in parsed.get("keys") or [] if isinstance(k, dict)]
    key = keys[0] if keys else {}
    found = next((key[f] for f in ("number", "mrn", "vin", "plate") if key.get(f)), None)
    text = str(payload.get("text") or "")
    return found or (text if len(text) <= MAX_NUMBER else None)


def search_number(value: object) -> str | None:
    """A number as stored and searched: upper case, no spaces, at most ``MAX_NUMBER``."""
    text = "".join(str(value).upper().split())[:MAX_NUMBER] if value else ""
    return text or None


def _number_condition(number: str | None, exact: bool) -> list[tuple[str, Any]]:
    """Exact below ``PARTIAL_MIN`` characters (or when asked); from there any stored number
    containing it (prefix or inside), found by a scan of the document-number index only."""
    wanted = search_number(number)
    if wanted is None or exact or len(wanted) < PARTIAL_MIN:
        return [("doc_number = ?", wanted)]
    inside = "SELECT rowid FROM events INDEXED BY events_doc WHERE doc_number IS NOT NULL"
    return [(f"seq IN ({inside} AND instr(doc_number, ?) > 0)", wanted)]


def record_in(tx: Tx, event: NewEvent | Encoded, alerts: Sequence[NewAlert] = ()) -> Recorded:
    """Inside a write job: write an event, its alerts and their outbox rows; list them in ``tx``."""
    stored = insert_event(tx.conn, event)
    alert_events, alert_ids = [], []
    for alert in alerts:
        alert_id, alert_event = _insert_alert(tx.conn, stored, alert)
        alert_ids.append(alert_id)
        alert_events.append(alert_event)
    recorded = Recorded(stored, tuple(alert_events), tuple(alert_ids))
    tx.written.append(recorded)
    return recorded


@dataclass(frozen=True)
class Encoded:
    """An event encoded before it reaches the writer, which then only numbers and inserts it."""

    event: NewEvent
    body: Body
    text: str
    doc_number: str | None
    name: str | None
    size: int  # UTF-8 bytes of ``text``: what the outbox's batches are sized by


def encode_new(event: NewEvent) -> Encoded:
    """The stored JSON, typed body and search fields of an event; ``StoreError`` if too big."""
    if isinstance(event.payload, Body):
        body, payload = event.payload, encode_body(event.payload)
    else:
        body, payload = decode_body_or_unknown(event.kind, event.payload), event.payload
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    size = len(text.encode())  # bytes, not characters: a batch of one event always fits a packet
    if size > MAX_PAYLOAD:
        raise StoreError(f"event payload of {size} bytes exceeds {MAX_PAYLOAD}")
    return Encoded(event, body, text, *_search_fields(event.kind, payload), size)


def insert_event(conn: sqlite3.Connection, event: NewEvent | Encoded) -> Event:
    """Inside a write job: the event row and its outbox row, with the next sequence number."""
    ready = event if isinstance(event, Encoded) else encode_new(event)
    new = ready.event
    seq = int(conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM events").fetchone()[0])
    stored = Event(seq, str(uuid.uuid4()), new.kind, new.priority, time.time(), time.monotonic(),
                   clock_synced(), new.lane, new.device, ready.body)  # fmt: skip
    conn.execute(
        f"INSERT INTO events ({EVENT_COLUMNS}, doc_number, name) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (stored.seq, stored.uuid, new.kind, new.priority, stored.wall_time, stored.mono_time,
         int(stored.clock_synced), new.lane, new.device, ready.text, ready.doc_number, ready.name),
    )  # fmt: skip
    conn.execute(
        "INSERT INTO outbox (seq, priority, size) VALUES (?,?,?)",
        (seq, new.priority, ready.size),
    )
    return stored


def _insert_alert(conn: sqlite3.Connection, cause: Event, alert: NewAlert) -> tuple[int, Event]:
    alert_id = int(conn.execute("SELECT COALESCE(MAX(alert_id), 0) + 1 FROM alerts").fetchone()[0])
    payload = Alert(
        alert_id=alert_id, event_seq=cause.seq, event_uuid=cause.uuid, kind=alert.kind,
        severity=alert.severity, summary=clean_text(alert.summary, 400), hits=tuple(alert.hits),
        keys=tuple(alert.keys),
    )  # fmt: skip
    alert_event = insert_event(
        conn, NewEvent("alert", payload, outbox_priority(alert.severity), cause.lane, cause.device)
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
            payload.summary,
            json.dumps(alert.hits, ensure_ascii=False),
        ),
    )
    return alert_id, alert_event


def index_new_names(conn: sqlite3.Connection) -> None:
    """Add the names of events not yet in the name search index (once per group commit)."""
    conn.execute(
        "INSERT INTO events_name (rowid, name) SELECT seq, name FROM events"
        " WHERE seq > COALESCE((SELECT rowid FROM events_name ORDER BY rowid DESC LIMIT 1), 0)"
        " AND name IS NOT NULL"
    )


def _name_condition(name: str | None) -> list[tuple[str, Any]]:
    """The WHERE clause finding ``name`` as a substring of the stored names."""
    if not name:
        return []
    upper = name.upper()
    if len(upper) >= 3:
        phrase = '"' + upper.replace('"', '""') + '"'
        return [("seq IN (SELECT rowid FROM events_name WHERE events_name MATCH ?)", phrase)]
    escaped = upper.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [("name LIKE ? ESCAPE '\\'", f"%{escaped}%")]


class Store:
    """The daemon's SQLite event store: one writer thread, a read connection per thread.

    Every change goes through ``write``/``submit`` (see ``edge/store/writer.py``);
    ``conn`` and ``db`` are the calling thread's read-only connection.
    """

    def __init__(self, path: Path, *, synchronous: str = "FULL") -> None:
        self.path = path
        self._synchronous = synchronous
        write_conn = connect(path, synchronous=synchronous).conn
        self._writer = Writer(write_conn, before_commit=(index_new_names,))
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        weakref.finalize(self, self._writer.stop)

    @classmethod
    def open(cls, path: Path, *, synchronous: str = "FULL") -> Store:
        """Open (creating and migrating) the database at ``path``."""
        return cls(path, synchronous=synchronous)

    def close(self) -> None:
        """Commit what is queued, stop the writer, close every read connection."""
        self._writer.close()
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's read-only connection (``PRAGMA query_only``) for queries."""
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path, synchronous=self._synchronous, migrate=False)
            db.conn.execute("PRAGMA query_only=ON")
            with self._readers_lock:
                self._readers.append(db.conn)
            self._local.db = db
        return db

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's read-only connection."""
        return self.db.conn

    @property
    def writer_stats(self) -> WriterStats:
        """Groups and jobs committed so far."""
        return self._writer.stats

    # -- writing ------------------------------------------------------------

    def write(self, job: Callable[[Tx], T]) -> T:
        """Run ``job`` on the writer thread; return once it is on disk (or raise its error)."""
        return self._writer.run(job)

    def submit(self, job: Callable[[Tx], T]) -> Future[T]:
        """Queue ``job``; the future resolves once it is on disk."""
        return self._writer.submit(job)

    def subscribe(self, listener: Callable[[list[Recorded]], None]) -> None:
        """Call ``listener`` on the writer thread with each group's events, after its commit."""
        self._writer.listeners.append(listener)

    def record(self, event: NewEvent, alerts: Sequence[NewAlert] = ()) -> Recorded:
        """Write an event, its alerts and their outbox rows in one transaction."""
        ready = encode_new(event)
        return self.write(lambda tx: record_in(tx, ready, alerts))

    def submit_record(self, event: NewEvent, alerts: Sequence[NewAlert] = ()) -> Future[Recorded]:
        """``record`` without waiting: the future resolves once the event is on disk.

        The event is encoded here, on the caller's thread, so the writer's
        part of each commit stays short.
        """
        ready = encode_new(event)
        return self.submit(lambda tx: record_in(tx, ready, alerts))

    # -- reading events -------------------------------------------------

    def last_seq(self) -> int:
        """The newest sequence number (0 when empty)."""
        return int(self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])

    def get_event(self, seq: int) -> Event | None:
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
    ) -> list[Event]:
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
        exact: bool = False,
    ) -> list[Event]:
        """Earlier crossings by number (document, plate, MRN, container: exact, or any
        that contains it from four characters on unless ``exact``), name (substring) or
        time range.

        A name of three letters or more is looked up in the trigram index
        (``events_name``); a shorter one is compared with every stored name.
        """
        return self._newest(
            [("purged = ?", 0), *_number_condition(document_number, exact),
             *_name_condition(name), ("wall_time >= ?", date_from), ("wall_time < ?", date_to)],
            limit,
        )  # fmt: skip

    def _newest(self, conditions: list[tuple[str, Any]], limit: int) -> list[Event]:
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

        def job(tx: Tx) -> None:
            tx.conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (key, json.dumps(value)),
            )
            audit.append(tx.conn, actor, "setting", {"key": key, "value": value})

        self.write(job)

    def purge_personal(self, older_than_days: float, now: float | None = None) -> int:
        """Blank the personal data of acknowledged events older than the retention period."""
        cutoff = (now if now is not None else time.time()) - older_than_days * 86400
        return self.write(lambda tx: _purge(tx.conn, cutoff, older_than_days))


def _purge(conn: sqlite3.Connection, cutoff: float, older_than_days: float) -> int:
    marks = ",".join("?" * len(PERSONAL_KINDS))
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
    detail = {"events": cursor.rowcount, "days": older_than_days}
    audit.append(conn, "system", "retention.purge", detail)
    return int(cursor.rowcount)
