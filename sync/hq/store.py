"""HQ's event database (SQLite or PostgreSQL): registered posts, events, gaps, conflicts.

A post's events are keyed by (post, epoch, sequence): the epoch is the
identity of the post's database, so a database that was replaced or came
back empty starts a new epoch instead of colliding with what HQ holds. A
batch is stored in one transaction, or several batches in one (``store_batches``,
each as if alone). An event whose UUID HQ already holds is
a duplicate (a re-send or a replay) and is skipped; an event whose (post,
epoch, sequence) HQ holds under *another* UUID is a conflict: it is not
stored, the batch is not acknowledged, and the conflict is recorded
(``conflicts``) like every new epoch. Each epoch's missing sequence ranges
are kept up to date incrementally (``gaps``, with the time each opened), so
an acknowledgement can name them and HQ can report one held open too long.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sync.hq.db import Db, rows
from sync.hq.migrations import open_db
from sync.hq.migrations_sql import EVENT_COLUMNS, insert_terms
from sync.hq.retention import MonthPartitions, RetentionResult, apply_retention
from sync.hq.terms import prefix_range
from sync.outbox import PRIORITY_ALERT, OutboundEvent

KEY_COLUMNS: Final = ("post_id", "epoch", "seq", "uuid", "received")
MAX_MISSING_REPORTED: Final = 64
MAX_REJECTS_KEPT: Final = 10_000
STALE_GAP_S: Final = 300.0
SILENT_STATUS_S: Final = 120.0  # a post's status younger than this says it is alive


@dataclass(frozen=True)
class PostEpoch:
    """Which database of the post a batch came from: its epoch (hex; '' for version-1
    batches) and the last sequence before that epoch began."""

    id: str = ""
    base: int = 0


@dataclass(frozen=True)
class IncomingBatch:
    """A verified batch to store: the post, its batch id (hex), events and reported state."""

    post_id: str
    batch_id: str
    events: tuple[OutboundEvent, ...]
    backlog: int | None = None
    evicted: int | None = None
    epoch: PostEpoch = PostEpoch()


class HqStoreError(ValueError):
    """A request to the HQ store that cannot be done (e.g. unknown post)."""


@dataclass(frozen=True)
class StoreResult:
    """What storing one batch did, and what HQ now holds of that post."""

    stored: int
    duplicates: int
    hwm: int
    max_seq: int
    missing: tuple[tuple[int, int], ...]
    conflicts: tuple[int, ...] = ()
    new_epoch: str | None = None  # the conflict kind recorded when this batch began an epoch


class HqStore:
    """HQ's database; thread-safe (one connection behind a lock).

    ``target`` is a SQLite file path or a ``postgresql://`` URL.
    """

    def __init__(self, target: Path | str) -> None:
        self.path = target
        self._lock = threading.RLock()
        self._db: Db = open_db(target)
        self._months = MonthPartitions()

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self, pipelined: bool = False) -> Iterator[Db]:
        with self._lock, self._db.pipelined() if pipelined else self._db.transaction() as db:
            yield db

    # --- posts ------------------------------------------------------------

    def add_post(self, post_id: str, public_key: bytes) -> bool:
        """Register (or re-key) a post; True if it was new."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE posts SET public_key = $1 WHERE post_id = $2", (public_key, post_id)
            )
            if cur.rowcount:
                return False
            db.execute(
                "INSERT INTO posts (post_id, public_key, added) VALUES ($1, $2, $3)",
                (post_id, public_key, time.time()),
            )
            return True

    def public_keys(self) -> dict[str, bytes]:
        """Every registered post's raw Ed25519 public key."""
        with self._lock:
            rows = self._db.execute("SELECT post_id, public_key FROM posts").fetchall()
        return {str(p): bytes(k) for p, k in rows}

    def record_status(self, post_id: str, status: dict[str, Any]) -> None:
        """Keep a registered post's latest status message."""
        self.record_statuses({post_id: status})

    def record_statuses(self, statuses: Mapping[str, dict[str, Any]]) -> None:
        """Keep each post's latest status message, all in one transaction (one commit),
        in post order (the order ``store_batches`` locks posts in)."""
        now = time.time()
        with self._tx() as db:
            for post_id in sorted(statuses):
                status = _with_last_known(db, post_id, statuses[post_id])
                backlog = status.get("backlog")
                db.execute(
                    "UPDATE posts SET status = $1, status_at = $2, last_seen = $3,"
                    " backlog = COALESCE($4, backlog) WHERE post_id = $5",
                    (
                        json.dumps(status),
                        now,
                        now,
                        backlog if type(backlog) is int and 0 <= backlog < 2**53 else None,
                        post_id,
                    ),
                )

    def record_reject(
        self, post_id: str | None, topic: str, reason: str, detail: str, size: int
    ) -> None:
        """Log a refused batch (kept for ``MAX_REJECTS_KEPT`` rows)."""
        with self._tx() as db:
            db.execute(
                "INSERT INTO rejects (ts, post_id, topic, reason, detail, size)"
                " VALUES ($1, $2, $3, $4, $5, $6)",
                (time.time(), post_id, topic[:200], reason, detail[:500], size),
            )
            db.execute("UPDATE posts SET rejected = rejected + 1 WHERE post_id = $1", (post_id,))
            db.execute(
                "DELETE FROM rejects WHERE id <= (SELECT MAX(id) FROM rejects) - $1",
                (MAX_REJECTS_KEPT,),
            )

    def retention(self, keep_months: int, dry_run: bool = False) -> RetentionResult:
        """Remove the events received before the month ``keep_months`` before this one."""
        with self._lock:
            return apply_retention(self._db, keep_months, dry_run=dry_run)

    # --- batches ----------------------------------------------------------

    def store_batch(
        self,
        post_id: str,
        batch_id: str,
        events: Sequence[OutboundEvent],
        *,
        backlog: int | None = None,
        evicted: int | None = None,
        epoch: PostEpoch = PostEpoch(),
    ) -> StoreResult:
        """Store a verified batch in one transaction: duplicates skipped, conflicts refused."""
        item = IncomingBatch(post_id, batch_id, tuple(events), backlog, evicted, epoch)
        now = self._now()
        with self._tx() as db:
            return self._store_in(db, item, now)

    def store_batches(self, items: Sequence[IncomingBatch]) -> list[StoreResult | Exception]:
        """Store verified batches in ONE transaction (one commit for the group), each exactly
        as ``store_batch`` would one after another. If the group's transaction fails (an
        unregistered post, a database error), it is rolled back and every batch is stored
        on its own instead, so one bad batch never takes the others down: each result is
        then what storing that batch alone gave (its ``StoreResult`` or the exception)."""
        now = self._now()
        # Posts locked in post order (a batch's row lock on its post lasts to the commit):
        # two receivers' groups never wait on each other in a cycle, a deadlock the database
        # would break by failing one group. A post's batches keep their order.
        order = sorted(range(len(items)), key=lambda i: items[i].post_id)
        try:
            with self._tx(pipelined=True) as db:
                done = {i: self._store_in(db, items[i], now) for i in order}
            return [done[i] for i in range(len(items))]
        except Exception:  # the batches are retried one by one below
            if len(items) == 1:
                raise
        return [self._store_alone(item) for item in items]

    def _store_alone(self, item: IncomingBatch) -> StoreResult | Exception:
        try:
            with self._tx() as db:
                return self._store_in(db, item, self._now())
        except Exception as exc:  # handed back as this batch's result
            return exc

    def _now(self) -> float:
        """The time stamped on what is stored now (its month's partitions made first)."""
        now = time.time()
        with self._lock:
            self._months.ensure(self._db, now)
        return now

    def _store_in(self, db: Db, item: IncomingBatch, now: float) -> StoreResult:
        """One batch within the caller's transaction (seven statements when its epoch is
        known and it leaves no gap, two of them waited for in pipeline mode)."""
        post_id, epoch, events = item.post_id, item.epoch, item.events
        key = (post_id, epoch.id)
        # The post's row is locked first; the epoch's state is read by the next statement,
        # which (READ COMMITTED) sees what a group that held the lock before committed.
        # Both are sent before either answer is read (one round trip in pipeline mode).
        lock = db.execute("SELECT evicted FROM posts WHERE post_id = $1" + db.for_update, key[:1])
        state = db.execute(
            "SELECT (SELECT max_seq FROM epochs WHERE post_id = $1 AND epoch = $2),"
            " EXISTS (SELECT 1 FROM gaps WHERE post_id = $1 AND epoch = $2)",
            key,
        )
        row = lock.fetchone()
        if row is None:
            raise HqStoreError(f"post {post_id!r} is not registered")
        known, gaps = state.fetchone()
        began = None
        if known is None:
            began = _new_epoch(db, post_id, epoch, now)
        max_seq = epoch.base if known is None else int(known)
        new = _insert(db, key, item.batch_id, events, now)
        kept = {e.seq for e in new}
        clash = _conflicts(db, post_id, epoch, [e for e in events if e.seq not in kept], now)
        top, opened = _update_gaps(db, key, max_seq, sorted(e.seq for e in new), now)
        dups = len(events) - len(new) - len(clash)
        counts = (len(new), dups, top, max(int(row[0]), item.evicted or 0))
        _update_counters(db, key, new, counts, now, item.backlog)
        missing = _missing(db, key) if gaps or opened else []
        hwm = missing[0][0] - 1 if missing else top
        return StoreResult(len(new), dups, hwm, top, tuple(missing), tuple(clash), began)

    # --- queries ----------------------------------------------------------

    def alerts(
        self, limit: int = 100, post_id: str | None = None, kind: str | None = None
    ) -> list[dict[str, Any]]:
        """The latest alert events (newest received first), of one post or kind if given."""
        # ``priority >= 2`` (PRIORITY_ALERT) written out: the partial indexes' own condition
        where, args = ["priority >= 2"], []
        for column, value in (("post_id", post_id), ("kind", kind)):
            if value:
                args.append(value)
                where.append(f"{column} = ${len(args)}")
        sql = f"SELECT * FROM events WHERE {' AND '.join(where)}"
        sql += f" ORDER BY received DESC, post_id, seq DESC LIMIT ${len(args) + 1}"
        return self._rows(sql, [*args, limit])

    def search(self, query: str, limit: int = 100) -> list[dict[str, Any]]:
        """Events found by a document number, name, plate, MRN or container (``find_events``
        over every field and time), newest received first, each with the ``field`` that matched."""
        with self._lock:
            return find_events(self._db, query, limit=limit)

    def events(self, post_id: str, after_seq: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        """A post's events in sequence order."""
        return self._rows(
            "SELECT * FROM events WHERE post_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            [post_id, after_seq, limit],
        )

    def posts(self) -> list[dict[str, Any]]:
        """Every registered post with its last status and counters."""
        rows = self._rows("SELECT * FROM posts ORDER BY post_id", [])
        for r in rows:
            r["public_key"] = bytes(r["public_key"]).hex()
            r["status"] = json.loads(r["status"]) if r["status"] else None
        return rows

    def stats(self) -> list[dict[str, Any]]:
        """Per post: events, alerts, max sequence, missing ranges, duplicates, rejects."""
        out = []
        for p in self._rows("SELECT * FROM posts ORDER BY post_id", []):
            gaps = self._rows(
                "SELECT lo, hi FROM gaps WHERE post_id = $1 ORDER BY lo", [p["post_id"]]
            )
            out.append(
                {
                    "post_id": p["post_id"],
                    "events": p["events"],
                    "alerts": p["alerts"],
                    "max_seq": p["max_seq"],
                    "missing": [[g["lo"], g["hi"]] for g in gaps],
                    "missing_count": sum(g["hi"] - g["lo"] + 1 for g in gaps),
                    "duplicates_ignored": p["duplicates"],
                    "batches": p["batches"],
                    "rejected": p["rejected"],
                    "evicted_at_post": p["evicted"],
                    "backlog": p["backlog"],
                }
            )
        return out

    def rejects(self, limit: int = 100) -> list[dict[str, Any]]:
        """The latest refused batches."""
        return self._rows("SELECT * FROM rejects ORDER BY id DESC LIMIT $1", [limit])

    def conflicts(
        self, limit: int = 100, stale_after_s: float = STALE_GAP_S
    ) -> list[dict[str, Any]]:
        """Recorded conflicts (new epochs, sequences backwards or reused), newest first,
        then every gap open longer than ``stale_after_s`` (kind ``gap``: batches never came)."""
        rows = self._rows("SELECT * FROM conflicts ORDER BY id DESC LIMIT $1", [limit])
        return rows + self.stale_gaps(stale_after_s) + self.silent_posts(stale_after_s)

    def silent_posts(self, older_than_s: float = STALE_GAP_S) -> list[dict[str, Any]]:
        """Posts whose status (fresh: within ``SILENT_STATUS_S``) says events wait to be
        sent, from which no batch arrived for ``older_than_s`` (kind ``silent``): the batches
        HQ expects last, whose loss no later sequence would show as a gap."""
        now = time.time()
        out = []
        for p in self._rows("SELECT post_id, epoch, status, status_at, last_batch FROM posts", []):
            status = json.loads(p["status"]) if p["status"] else {}
            waiting = status.get("in_flight") if isinstance(status, dict) else None
            fresh = p["status_at"] is not None and now - p["status_at"] <= SILENT_STATUS_S
            since = p["last_batch"] or 0.0
            if fresh and isinstance(waiting, int) and waiting > 0 and now - since >= older_than_s:
                detail = f"its status says {waiting} batches in flight; none arrived"
                out.append({**p, "kind": "silent", "ts": since, "detail": detail})
        for p in out:
            del p["status"], p["status_at"], p["last_batch"]
        return out

    def stale_gaps(self, older_than_s: float = STALE_GAP_S) -> list[dict[str, Any]]:
        """Missing ranges open for longer than ``older_than_s`` (oldest first)."""
        cutoff = time.time() - older_than_s
        gaps = self._rows(
            "SELECT post_id, epoch, lo, hi, since FROM gaps WHERE since <= $1 ORDER BY since, lo",
            [cutoff],
        )
        for g in gaps:
            g.update(kind="gap", ts=g["since"], detail=f"{g['hi'] - g['lo'] + 1} events missing")
        return gaps

    def _rows(self, sql: str, args: Sequence[Any]) -> list[dict[str, Any]]:
        with self._lock:
            return rows(self._db, sql, args)


def find_events(
    db: Db,
    query: str,
    *,
    fields: Sequence[str] = (),
    since: float | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Events with a term starting with ``query`` (``sync/hq/terms.py``: spaces and punctuation
    ignored; none when it folds to fewer than two characters) in one of ``fields`` (any field
    when empty), received since ``since`` when given; newest received first, each row the
    event's columns with the ``field`` and ``term`` that matched. One index range scan of
    ``event_terms``: the console's search and ``HqStore.search`` both ask this."""
    span = prefix_range(query)
    if span is None:
        return []
    args: list[Any] = [*span]
    where = ["t.term >= $1", "t.term < $2"]
    if fields:
        marks = [f"${n}" for n in range(len(args) + 1, len(args) + len(fields) + 1)]
        where.append(f"t.field IN ({', '.join(marks)})")
        args.extend(fields)
    if since is not None:
        args.append(since)
        where.append(f"t.received >= ${len(args)}")
    columns = ", ".join(f"e.{c.strip()}" for c in EVENT_COLUMNS.split(","))
    return rows(
        db,
        f"SELECT {columns}, t.field, t.term FROM event_terms t JOIN events e"
        " ON e.post_id = t.post_id AND e.epoch = t.epoch AND e.seq = t.seq"
        f" AND e.received = t.received WHERE {' AND '.join(where)}"
        f" ORDER BY t.received DESC, t.post_id, t.seq DESC LIMIT ${len(args) + 1}",
        [*args, limit],
    )


WILL_KEYS: Final = frozenset({"post", "state", "online"})  # the post's last will (offline)


def _with_last_known(db: Db, post_id: str, status: dict[str, Any]) -> dict[str, Any]:
    """``status``; a last will (``{post, state: offline, online: false}``, sent by the broker
    when a post goes away) on top of the post's previous status, so that HQ keeps what the
    post last said it had in force — watchlist and rule versions, devices, clock."""
    if status.get("online") is not False or not status.keys() <= WILL_KEYS:
        return status
    row = db.execute("SELECT status FROM posts WHERE post_id = $1", (post_id,)).fetchone()
    try:
        before = json.loads(row[0]) if row and row[0] else {}
    except (TypeError, ValueError):
        before = {}
    return {**before, **status} if isinstance(before, dict) else status


def _insert(
    db: Db, key: tuple[str, str], batch_id: str, events: Sequence[OutboundEvent], now: float
) -> list[OutboundEvent]:
    """Store the events whose key and UUID HQ does not hold yet (``event_keys``: unique
    across every month partition); return those stored. A few statements per batch."""
    post, epoch = key
    keys = [(post, epoch, e.seq, e.uuid, now) for e in events]
    tail = " ON CONFLICT DO NOTHING RETURNING seq, uuid"
    taken = {(int(s), str(u)) for s, u in db.insert_rows("event_keys", KEY_COLUMNS, keys, tail)}
    new = []
    for e in events:  # an event twice in one batch is stored once
        if (e.seq, e.uuid) in taken:
            taken.discard((e.seq, e.uuid))
            new.append(e)
    rows = [
        (post, epoch, e.seq, e.uuid, e.kind, e.priority, e.wall_time, e.mono_time,
         int(e.clock_synced), e.lane, e.device, json.dumps(e.payload, ensure_ascii=False),
         now, batch_id)
        for e in new
    ]  # fmt: skip
    db.insert_rows("events", [c.strip() for c in EVENT_COLUMNS.split(",")], rows)
    insert_terms(db, (((post, epoch, e.seq, now), e.payload) for e in new))
    return new


def _new_epoch(db: Db, post: str, epoch: PostEpoch, now: float) -> str | None:
    """Register the epoch of a post's first batch from it; when the post had another epoch
    before, record that as a conflict and return its kind (else None)."""
    prev = db.execute(
        "SELECT epoch, max_seq FROM epochs WHERE post_id = $1 ORDER BY first_seen DESC LIMIT 1",
        (post,),
    ).fetchone()
    db.execute(
        "INSERT INTO epochs (post_id, epoch, first_seen, base, max_seq)"
        " VALUES ($1, $2, $3, $4, $5)",
        (post, epoch.id, now, epoch.base, epoch.base),
    )
    db.execute("UPDATE posts SET epoch = $1 WHERE post_id = $2", (epoch.id, post))
    if prev is None:
        return None
    kind = "seq_backwards" if epoch.base < int(prev[1]) else "new_epoch"
    detail = (
        f"the post's database changed: epoch {epoch.id or 'v1'} begins after sequence "
        f"{epoch.base}; the previous epoch {prev[0] or 'v1'} reached {prev[1]}"
    )
    _record_conflict(db, (post, epoch.id), kind, (epoch.base, int(prev[1])), detail, now)
    return kind


def _conflicts(
    db: Db, post: str, epoch: PostEpoch, skipped: Sequence[OutboundEvent], now: float
) -> list[int]:
    """The skipped events whose UUID HQ does not hold: their (post, epoch, sequence) holds
    another event. Recorded as one ``seq_reused`` conflict; never acknowledged."""
    clash = [
        e.seq
        for e in skipped
        if db.execute("SELECT 1 FROM event_keys WHERE uuid = $1", (e.uuid,)).fetchone() is None
    ]
    if clash:
        detail = f"{len(clash)} events reuse sequences HQ holds under other UUIDs (not stored)"
        _record_conflict(db, (post, epoch.id), "seq_reused", (min(clash), max(clash)), detail, now)
    return clash


def _record_conflict(
    db: Db, key: tuple[str, str], kind: str, span: tuple[int, int], detail: str, now: float
) -> None:
    db.execute(
        "INSERT INTO conflicts (ts, post_id, epoch, kind, lo, hi, detail)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        (now, *key, kind, *span, detail),
    )
    db.execute("UPDATE posts SET conflicts = conflicts + 1 WHERE post_id = $1", (key[0],))


def _update_gaps(
    db: Db, key: tuple[str, str], max_seq: int, seqs: list[int], now: float
) -> tuple[int, bool]:
    """Record newly stored ``seqs`` (sorted) in the epoch's gap table; return the new max
    and whether a gap was opened. A few statements per run of consecutive sequences, not
    per sequence: a returning post's 500-event batch that lands before the one ahead of
    it fills that gap in one go."""
    opened = False
    for lo, hi in _runs(seqs):
        if lo > max_seq + 1:
            opened = True
            db.execute(
                "INSERT INTO gaps (post_id, epoch, lo, hi, since) VALUES ($1, $2, $3, $4, $5)",
                (*key, max_seq + 1, lo - 1, now),
            )
        if lo <= max_seq:
            _fill(db, key, lo, min(hi, max_seq))
        max_seq = max(max_seq, hi)
    return max_seq, opened


def _missing(db: Db, key: tuple[str, str]) -> list[tuple[int, int]]:
    """The epoch's first missing ranges (at most ``MAX_MISSING_REPORTED``)."""
    gaps = db.execute(
        "SELECT lo, hi FROM gaps WHERE post_id = $1 AND epoch = $2 ORDER BY lo LIMIT $3",
        (*key, MAX_MISSING_REPORTED),
    ).fetchall()
    return [(int(a), int(b)) for a, b in gaps]


def _runs(seqs: list[int]) -> list[tuple[int, int]]:
    """Sorted sequences as runs of consecutive ones, (first, last) each."""
    runs: list[tuple[int, int]] = []
    for s in seqs:
        if runs and s <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(s, runs[-1][1]))
        else:
            runs.append((s, s))
    return runs


def _fill(db: Db, key: tuple[str, str], a: int, b: int) -> None:
    """Take the stored sequences ``a``-``b`` out of the gaps they fall in (keeping each
    rest of a gap with the time it opened)."""
    rows = db.execute(
        "SELECT lo, hi, since FROM gaps WHERE post_id = $1 AND epoch = $2 AND lo <= $3"
        " AND hi >= $4",
        (*key, b, a),
    ).fetchall()
    insert = "INSERT INTO gaps (post_id, epoch, lo, hi, since) VALUES ($1, $2, $3, $4, $5)"
    for row in rows:
        lo, hi, since = int(row[0]), int(row[1]), float(row[2])
        db.execute("DELETE FROM gaps WHERE post_id = $1 AND epoch = $2 AND lo = $3", (*key, lo))
        if lo < a:
            db.execute(insert, (*key, lo, a - 1, since))
        if b < hi:
            db.execute(insert, (*key, b + 1, hi, since))


def _update_counters(
    db: Db,
    key: tuple[str, str],
    new: Sequence[OutboundEvent],
    counts: tuple[int, int, int, int],
    now: float,
    backlog: int | None,
) -> None:
    stored, dups, max_seq, evicted = counts
    alerts = sum(1 for e in new if e.priority >= PRIORITY_ALERT)
    db.execute(
        "UPDATE epochs SET max_seq = $1, events = events + $2 WHERE post_id = $3 AND epoch = $4",
        (max_seq, stored, *key),
    )
    db.execute(
        "UPDATE posts SET events = events + $1, alerts = alerts + $2, duplicates = duplicates + $3,"
        " batches = batches + 1, last_seen = $4, last_batch = $5, backlog = COALESCE($6, backlog),"
        " evicted = $7,"
        " max_seq = CASE WHEN epoch = $8 THEN $9 ELSE max_seq END WHERE post_id = $10",
        (stored, alerts, dups, now, now, backlog, evicted, key[1], max_seq, key[0]),
    )
