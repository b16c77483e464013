"""HQ's event database (SQLite or PostgreSQL): registered posts, events, gaps, rejects.

A batch is stored in one transaction. An event already present — same UUID,
or same (post, sequence) — is ignored and counted as a duplicate, so a
re-sent or replayed batch never stores anything twice. Each post's missing
sequence ranges are kept up to date incrementally (``gaps``), so an
acknowledgement can name them without scanning the post's events.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sync.hq.db import Db, open_db
from sync.outbox import PRIORITY_ALERT, OutboundEvent

MAX_MISSING_REPORTED: Final = 64
MAX_REJECTS_KEPT: Final = 10_000


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


class HqStore:
    """HQ's database; thread-safe (one connection behind a lock).

    ``target`` is a SQLite file path or a ``postgresql://`` URL.
    """

    def __init__(self, target: Path | str) -> None:
        self.path = target
        self._lock = threading.RLock()
        self._db: Db = open_db(target)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[Db]:
        with self._lock:
            self._db.begin()
            try:
                yield self._db
            except BaseException:
                self._db.rollback()
                raise
            self._db.commit()

    # --- posts ------------------------------------------------------------

    def add_post(self, post_id: str, public_key: bytes) -> bool:
        """Register (or re-key) a post; True if it was new."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE posts SET public_key = ? WHERE post_id = ?", (public_key, post_id)
            )
            if cur.rowcount:
                return False
            db.execute(
                "INSERT INTO posts (post_id, public_key, added) VALUES (?, ?, ?)",
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
        backlog = status.get("backlog")
        with self._tx() as db:
            db.execute(
                "UPDATE posts SET status = ?, status_at = ?, last_seen = ?,"
                " backlog = COALESCE(?, backlog) WHERE post_id = ?",
                (
                    json.dumps(status),
                    time.time(),
                    time.time(),
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
                " VALUES (?, ?, ?, ?, ?, ?)",
                (time.time(), post_id, topic[:200], reason, detail[:500], size),
            )
            db.execute("UPDATE posts SET rejected = rejected + 1 WHERE post_id = ?", (post_id,))
            db.execute(
                "DELETE FROM rejects WHERE id <= (SELECT MAX(id) FROM rejects) - ?",
                (MAX_REJECTS_KEPT,),
            )

    # --- batches ----------------------------------------------------------

    def store_batch(
        self,
        post_id: str,
        batch_id: str,
        events: Sequence[OutboundEvent],
        *,
        backlog: int | None = None,
        evicted: int | None = None,
    ) -> StoreResult:
        """Store a verified batch in one transaction, ignoring duplicates."""
        now = time.time()
        with self._tx() as db:
            row = db.execute(
                "SELECT max_seq, evicted FROM posts WHERE post_id = ?" + db.for_update, (post_id,)
            ).fetchone()
            if row is None:
                raise HqStoreError(f"post {post_id!r} is not registered")
            new = [e for e in events if _insert(db, post_id, batch_id, e, now)]
            max_seq = _update_gaps(db, post_id, int(row[0]), sorted(e.seq for e in new))
            counts = (len(new), len(events) - len(new), max_seq, max(int(row[1]), evicted or 0))
            _update_counters(db, post_id, new, counts, now, backlog)
            return self._result(db, post_id, len(new), len(events) - len(new), max_seq)

    def _result(self, db: Db, post_id: str, stored: int, dups: int, max_seq: int) -> StoreResult:
        gaps = db.execute(
            "SELECT lo, hi FROM gaps WHERE post_id = ? ORDER BY lo LIMIT ?",
            (post_id, MAX_MISSING_REPORTED),
        ).fetchall()
        hwm = int(gaps[0][0]) - 1 if gaps else max_seq
        return StoreResult(stored, dups, hwm, max_seq, tuple((int(a), int(b)) for a, b in gaps))

    # --- queries ----------------------------------------------------------

    def alerts(self, limit: int = 100, post_id: str | None = None) -> list[dict[str, Any]]:
        """The latest alert events (newest received first)."""
        sql = "SELECT * FROM events WHERE priority >= ?"
        args: list[Any] = [PRIORITY_ALERT]
        if post_id:
            sql += " AND post_id = ?"
            args.append(post_id)
        sql += " ORDER BY received DESC, post_id, seq DESC LIMIT ?"
        return self._rows(sql, [*args, limit])

    def events(self, post_id: str, after_seq: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        """A post's events in sequence order."""
        return self._rows(
            "SELECT * FROM events WHERE post_id = ? AND seq > ? ORDER BY seq LIMIT ?",
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
                "SELECT lo, hi FROM gaps WHERE post_id = ? ORDER BY lo", [p["post_id"]]
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
        return self._rows("SELECT * FROM rejects ORDER BY id DESC LIMIT ?", [limit])

    def _rows(self, sql: str, args: Sequence[Any]) -> list[dict[str, Any]]:
        with self._lock:
            cur = self._db.execute(sql, list(args))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _insert(db: Db, post: str, batch_id: str, e: OutboundEvent, now: float) -> bool:
    cur = db.execute(
        "INSERT INTO events (post_id, seq, uuid, kind, priority, wall_time, mono_time,"
        " clock_synced, lane, device, payload, received, batch_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (
            post,
            e.seq,
            e.uuid,
            e.kind,
            e.priority,
            e.wall_time,
            e.mono_time,
            int(e.clock_synced),
            e.lane,
            e.device,
            json.dumps(e.payload, ensure_ascii=False),
            now,
            batch_id,
        ),
    )
    return bool(cur.rowcount == 1)


def _update_gaps(db: Db, post: str, max_seq: int, seqs: list[int]) -> int:
    """Record newly stored ``seqs`` (sorted) in the post's gap table; return the new max."""
    for s in seqs:
        if s > max_seq + 1:
            db.execute(
                "INSERT INTO gaps (post_id, lo, hi) VALUES (?, ?, ?)", (post, max_seq + 1, s - 1)
            )
        if s > max_seq:
            max_seq = s
            continue
        _fill(db, post, s)
    return max_seq


def _fill(db: Db, post: str, s: int) -> None:
    row = db.execute(
        "SELECT lo, hi FROM gaps WHERE post_id = ? AND lo <= ? ORDER BY lo DESC LIMIT 1", (post, s)
    ).fetchone()
    if row is None or row[1] < s:
        return
    lo, hi = int(row[0]), int(row[1])
    db.execute("DELETE FROM gaps WHERE post_id = ? AND lo = ?", (post, lo))
    if lo < s:
        db.execute("INSERT INTO gaps (post_id, lo, hi) VALUES (?, ?, ?)", (post, lo, s - 1))
    if s < hi:
        db.execute("INSERT INTO gaps (post_id, lo, hi) VALUES (?, ?, ?)", (post, s + 1, hi))


def _update_counters(
    db: Db,
    post: str,
    new: Sequence[OutboundEvent],
    counts: tuple[int, int, int, int],
    now: float,
    backlog: int | None,
) -> None:
    stored, dups, max_seq, evicted = counts
    alerts = sum(1 for e in new if e.priority >= PRIORITY_ALERT)
    db.execute(
        "UPDATE posts SET events = events + ?, alerts = alerts + ?, duplicates = duplicates + ?,"
        " batches = batches + 1, last_seen = ?, max_seq = ?, backlog = COALESCE(?, backlog),"
        " evicted = ? WHERE post_id = ?",
        (stored, alerts, dups, now, max_seq, backlog, evicted, post),
    )
