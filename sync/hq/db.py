"""HQ's database connection: SQLite by default, PostgreSQL for HQs that outgrow one machine.

Both speak the same SQL here (``?`` placeholders, ``ON CONFLICT DO NOTHING``);
the schema differs only in column types. ``open_db("postgresql://…")``
needs the ``psycopg`` package; anything else is a SQLite file path.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Final

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS posts (
    post_id TEXT PRIMARY KEY,
    public_key {BLOB} NOT NULL,
    added {REAL} NOT NULL,
    last_seen {REAL},
    status TEXT,
    status_at {REAL},
    max_seq {INT} NOT NULL DEFAULT 0,
    events {INT} NOT NULL DEFAULT 0,
    alerts {INT} NOT NULL DEFAULT 0,
    duplicates {INT} NOT NULL DEFAULT 0,
    batches {INT} NOT NULL DEFAULT 0,
    rejected {INT} NOT NULL DEFAULT 0,
    backlog {INT},
    evicted {INT} NOT NULL DEFAULT 0,
    epoch TEXT,
    conflicts {INT} NOT NULL DEFAULT 0,
    last_batch {REAL}
);
CREATE TABLE IF NOT EXISTS events (
    post_id TEXT NOT NULL,
    epoch TEXT NOT NULL DEFAULT '',
    seq {INT} NOT NULL,
    uuid TEXT NOT NULL,
    kind TEXT NOT NULL,
    priority INTEGER NOT NULL,
    wall_time {REAL} NOT NULL,
    mono_time {REAL} NOT NULL,
    clock_synced INTEGER NOT NULL,
    lane TEXT,
    device TEXT,
    payload TEXT NOT NULL,
    received {REAL} NOT NULL,
    batch_id TEXT NOT NULL,
    CONSTRAINT events_key PRIMARY KEY (post_id, epoch, seq),
    CONSTRAINT events_uuid UNIQUE (uuid)
);
CREATE INDEX IF NOT EXISTS events_alerts ON events(priority, received) WHERE priority >= 2;
CREATE TABLE IF NOT EXISTS gaps (
    post_id TEXT NOT NULL,
    epoch TEXT NOT NULL DEFAULT '',
    lo {INT} NOT NULL,
    hi {INT} NOT NULL,
    since {REAL} NOT NULL DEFAULT 0,
    CONSTRAINT gaps_key PRIMARY KEY (post_id, epoch, lo)
);
CREATE TABLE IF NOT EXISTS epochs (
    post_id TEXT NOT NULL,
    epoch TEXT NOT NULL,
    first_seen {REAL} NOT NULL,
    base {INT} NOT NULL,
    max_seq {INT} NOT NULL,
    events {INT} NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, epoch)
);
CREATE TABLE IF NOT EXISTS conflicts (
    id {SERIAL},
    ts {REAL} NOT NULL,
    post_id TEXT NOT NULL,
    epoch TEXT NOT NULL,
    kind TEXT NOT NULL,
    lo {INT},
    hi {INT},
    detail TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rejects (
    id {SERIAL},
    ts {REAL} NOT NULL,
    post_id TEXT,
    topic TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    size INTEGER NOT NULL
)
"""
# Upgrading an HQ database made before epochs: events and gaps gain the post's database epoch
# ('' for what version-1 batches stored) and are rebuilt with the new keys.
BEFORE_EPOCHS: Final = """
DROP INDEX IF EXISTS events_alerts;
ALTER TABLE events RENAME TO events_v1;
ALTER TABLE gaps RENAME TO gaps_v1;
ALTER TABLE posts ADD COLUMN epoch TEXT;
ALTER TABLE posts ADD COLUMN conflicts {INT} NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN last_batch {REAL}
"""
ADDED_POST_COLUMNS: Final = (("last_batch", "{REAL}"),)
AFTER_EPOCHS: Final = """
INSERT INTO events SELECT post_id, '', seq, uuid, kind, priority, wall_time, mono_time,
    clock_synced, lane, device, payload, received, batch_id FROM events_v1;
INSERT INTO gaps SELECT post_id, '', lo, hi, 0 FROM gaps_v1;
INSERT INTO epochs SELECT post_id, '', added, 0, max_seq, events FROM posts;
UPDATE posts SET epoch = '';
DROP TABLE events_v1;
DROP TABLE gaps_v1
"""
SQLITE_TYPES: Final = {
    "BLOB": "BLOB",
    "REAL": "REAL",
    "INT": "INTEGER",
    "SERIAL": "INTEGER PRIMARY KEY",
}
PG_TYPES: Final = {
    "BLOB": "BYTEA",
    "REAL": "DOUBLE PRECISION",
    "INT": "BIGINT",
    "SERIAL": "BIGSERIAL PRIMARY KEY",
}


class Db:
    """One connection; ``execute`` takes ``?`` placeholders; explicit transactions."""

    kind = "sqlite"
    for_update = ""
    target = ""

    def execute(self, sql: str, args: Any = ()) -> Any:
        """Run one statement; return its cursor."""
        raise NotImplementedError

    def begin(self) -> None:
        """Start a write transaction."""
        self.execute("BEGIN")

    def commit(self) -> None:
        """Commit the transaction."""
        self.execute("COMMIT")

    def rollback(self) -> None:
        """Roll the transaction back."""
        self.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection."""
        raise NotImplementedError

    def create_schema(self, types: dict[str, str]) -> None:
        """Create the tables that are missing (upgrading a database made before epochs)."""
        old = self._columns("events")
        if not old or "epoch" in old:
            self._run(SCHEMA, types)
            self._add_columns(types)
            return
        self.begin()
        try:
            self._run(BEFORE_EPOCHS + ";" + SCHEMA + ";" + AFTER_EPOCHS, types)
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def _add_columns(self, types: dict[str, str]) -> None:
        """Columns added to ``posts`` after it was first shipped (kept by older databases)."""
        have = self._columns("posts")
        for name, kind in ADDED_POST_COLUMNS:
            if name not in have:
                self.execute(f"ALTER TABLE posts ADD COLUMN {name} {kind.format(**types)}")

    def _run(self, script: str, types: dict[str, str]) -> None:
        for statement in script.format(**types).split(";"):
            if statement.strip():
                self.execute(statement)

    def _columns(self, table: str) -> set[str]:
        """The column names of ``table`` (empty when it does not exist)."""
        try:
            cur = self.execute(f"SELECT * FROM {table} LIMIT 0")
        except Exception:  # no such table (sqlite3 and psycopg raise their own types)
            return set()
        return {d[0] for d in cur.description}


class SqliteDb(Db):
    """A SQLite file in WAL mode with ``synchronous=FULL``."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.target = str(path)
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=10000"):
            self._conn.execute(f"PRAGMA {pragma}")
        self.create_schema(SQLITE_TYPES)

    def execute(self, sql: str, args: Any = ()) -> Any:
        """Run one statement; return its cursor."""
        return self._conn.execute(sql, tuple(args))

    def begin(self) -> None:
        """Start a write transaction (taking the write lock now)."""
        self.execute("BEGIN IMMEDIATE")

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


class PostgresDb(Db):
    """A PostgreSQL database (``postgresql://user@host:port/db``) through psycopg 3."""

    kind = "postgresql"
    for_update = " FOR UPDATE"

    def __init__(self, url: str) -> None:
        import psycopg  # type: ignore[import-not-found]

        self.target = url
        self._conn = psycopg.connect(url, autocommit=True)
        self.execute("SELECT pg_advisory_lock(715517)")  # one schema creator at a time
        try:
            self.create_schema(PG_TYPES)
        finally:
            self.execute("SELECT pg_advisory_unlock(715517)")

    def execute(self, sql: str, args: Any = ()) -> Any:
        """Run one statement (``?`` becomes ``%s``); return its cursor."""
        return self._conn.execute(sql.replace("?", "%s"), tuple(args))  # type: ignore[arg-type]

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


def is_url(target: str | Path) -> bool:
    """Whether ``target`` names a PostgreSQL database rather than a SQLite file."""
    return str(target).startswith(("postgresql://", "postgres://"))


def open_db(target: str | Path) -> Db:
    """A PostgreSQL connection for a ``postgresql://`` URL, else a SQLite file."""
    if is_url(target):
        return PostgresDb(str(target))
    return SqliteDb(Path(target))
