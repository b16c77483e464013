"""Month partitions of HQ's events (PostgreSQL) and retention of old months (both databases).

On PostgreSQL ``events`` and ``event_terms`` are partitioned by month of
``received`` (HQ's own clock, not a post's): one table per UTC month, named
``events_pYYYYMM``, created ahead (this month and the next) at open and when
the month turns. Retention then drops whole months — instant, and no bloat —
where SQLite deletes the rows. The exactly-once ledger ``event_keys`` is not
partitioned (a unique key must hold across every month); retention deletes
its rows of the months dropped. Every run is logged and kept in
``retention_log``.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from sync.hq.db import SCHEMA_LOCK, Db

log = logging.getLogger("sync.hq")

PARTITIONED: Final = ("events", "event_terms")
MONTHS_AHEAD: Final = 2  # partitions exist for this month and the next
_NAME: Final = re.compile(r"_p(\d{4})(\d{2})$")


class RetentionError(ValueError):
    """A retention request that cannot be done (e.g. keeping fewer than one month)."""


@dataclass(frozen=True)
class RetentionResult:
    """What a retention run removed (or would remove, when a dry run)."""

    keep_months: int
    cutoff: float
    partitions: tuple[str, ...]
    events: int
    keys: int
    dry_run: bool = False


def month_start(ts: float, months: int = 0) -> datetime:
    """The UTC start of the month holding ``ts``, moved by ``months``."""
    d = datetime.fromtimestamp(ts, UTC)
    index = d.year * 12 + d.month - 1 + months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def create_months(db: Db, first: float, last: float, tables: tuple[str, ...] = PARTITIONED) -> int:
    """Create the month partitions of ``tables`` from ``first``'s month to ``MONTHS_AHEAD``
    past ``last``'s (PostgreSQL only; existing ones kept); return how many months."""
    if db.kind != "postgresql":
        return 0
    months, m = 0, month_start(first)
    end = month_start(last, MONTHS_AHEAD)
    while m < end:
        _create_month(db, m, tables)
        m, months = month_start(m.timestamp(), 1), months + 1
    return months


def create_months_holding(db: Db, source: str, tables: tuple[str, ...]) -> int:
    """Create the partitions of ``tables`` for each month in which ``source`` (a table of
    ours) holds events, and for this month and the next; return how many months."""
    rows = db.execute(
        "SELECT DISTINCT EXTRACT(EPOCH FROM date_trunc('month',"
        f" to_timestamp(received) AT TIME ZONE 'UTC')) FROM {source}"
    ).fetchall()
    for (start,) in rows:
        _create_month(db, month_start(float(start)), tables)
    return len(rows) + create_months(db, time.time(), time.time(), tables)


def _create_month(db: Db, m: datetime, tables: tuple[str, ...]) -> None:
    nxt = month_start(m.timestamp(), 1)
    for table in tables:
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {table}_p{m:%Y%m} PARTITION OF {table}"
            f" FOR VALUES FROM ({m.timestamp():.0f}) TO ({nxt.timestamp():.0f})"
        )


class MonthPartitions:
    """Keeps the coming months' partitions in place while a store runs (PostgreSQL)."""

    def __init__(self) -> None:
        self._ready_until = 0.0

    def ensure(self, db: Db, now: float) -> None:
        """Create this month's and the next month's partitions if not done this month."""
        if db.kind != "postgresql" or now < self._ready_until:
            return
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock($1)", (SCHEMA_LOCK,))
            create_months(db, now, now)
        self._ready_until = month_start(now, 1).timestamp()


def partitions(db: Db, table: str) -> list[tuple[str, datetime]]:
    """The month partitions of ``table`` (PostgreSQL), oldest first."""
    rows = db.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1",
        (table,),
    ).fetchall()
    out = []
    for (name,) in rows:
        if found := _NAME.search(str(name)):
            out.append((str(name), datetime(int(found[1]), int(found[2]), 1, tzinfo=UTC)))
    return sorted(out, key=lambda p: p[1])


def apply_retention(
    db: Db, keep_months: int, now: float | None = None, dry_run: bool = False
) -> RetentionResult:
    """Remove what was received before the month ``keep_months`` before this one: whole
    partitions on PostgreSQL, rows on SQLite, and their exactly-once keys; in one
    transaction, logged and recorded in ``retention_log`` (not when ``dry_run``)."""
    if keep_months < 1:
        raise RetentionError(f"--keep-months must be 1 or more, not {keep_months}")
    now = time.time() if now is None else now
    cutoff = month_start(now, -keep_months).timestamp()
    db.begin()
    try:
        result = _remove(db, keep_months, cutoff, dry_run)
        if not dry_run:
            _record(db, result, now)
    except BaseException:
        db.rollback()
        raise
    if dry_run:
        db.rollback()
    else:
        db.commit()
    return result


def _remove(db: Db, keep_months: int, cutoff: float, dry_run: bool) -> RetentionResult:
    count = "SELECT COUNT(*) FROM event_keys WHERE received < $1"
    keys = int(db.execute(count, (cutoff,)).fetchone()[0])
    if db.kind == "postgresql":
        old = [n for t in PARTITIONED for n, m in partitions(db, t) if m.timestamp() < cutoff]
        gone = [n for n in old if n.startswith("events_p")]
        events = sum(int(db.execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0]) for n in gone)
        if not dry_run:
            for name in old:
                db.execute(f"DROP TABLE {name}")
    else:
        old = []
        events = int(db.execute("SELECT COUNT(*) FROM events WHERE received < $1", (cutoff,))
                     .fetchone()[0])  # fmt: skip
        if not dry_run:
            db.execute("DELETE FROM events WHERE received < $1", (cutoff,))
            db.execute("DELETE FROM event_terms WHERE received < $1", (cutoff,))
    if not dry_run:
        db.execute("DELETE FROM event_keys WHERE received < $1", (cutoff,))
    return RetentionResult(keep_months, cutoff, tuple(old), events, keys, dry_run)


def _record(db: Db, r: RetentionResult, now: float) -> None:
    db.execute(
        "INSERT INTO retention_log (ts, keep_months, cutoff, partitions, events, event_keys)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        (now, r.keep_months, r.cutoff, " ".join(r.partitions), r.events, r.keys),
    )
    log.warning(
        "retention: removed %d events and %d keys received before %s (%s)",
        r.events,
        r.keys,
        datetime.fromtimestamp(r.cutoff, UTC).date().isoformat(),
        ", ".join(r.partitions) or "rows deleted",
    )
