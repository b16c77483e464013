"""The SQL of HQ's schema migrations (``sync/hq/migrations.py``), per dialect where it differs.

Migration 1 keeps the tables as first shipped (their column types filled in
per dialect) with the upgrade of a database from before epochs; the later
ones are written out for SQLite and for PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from sync.hq.db import Db
from sync.hq.terms import search_terms

SCHEMA_VERSION: Final = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied DOUBLE PRECISION NOT NULL)"""

# --- migration 1: the tables as first shipped -------------------------------------------

TABLES: Final = """
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
# A database made before epochs: events and gaps gain the post's database epoch ('' for
# what version-1 batches stored) and are rebuilt with the new keys.
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
TYPES: Final = {
    "sqlite": {"BLOB": "BLOB", "REAL": "REAL", "INT": "INTEGER", "SERIAL": "INTEGER PRIMARY KEY"},
    "postgresql": {
        "BLOB": "BYTEA",
        "REAL": "DOUBLE PRECISION",
        "INT": "BIGINT",
        "SERIAL": "BIGSERIAL PRIMARY KEY",
    },
}

# --- migration 2: the exactly-once ledger; events partitioned by month (PostgreSQL) --------

SQLITE_LEDGER: Final = """
CREATE TABLE event_keys (
    post_id TEXT NOT NULL, epoch TEXT NOT NULL, seq INTEGER NOT NULL, uuid TEXT NOT NULL,
    received REAL NOT NULL,
    CONSTRAINT event_keys_key PRIMARY KEY (post_id, epoch, seq),
    CONSTRAINT event_keys_uuid UNIQUE (uuid)
);
CREATE INDEX event_keys_received ON event_keys (received);
INSERT INTO event_keys SELECT post_id, epoch, seq, uuid, received FROM events
"""
PG_UNPARTITION: Final = """
DROP INDEX IF EXISTS events_alerts;
ALTER TABLE events RENAME TO events_unpartitioned;
ALTER TABLE events_unpartitioned RENAME CONSTRAINT events_key TO events_unpartitioned_key;
ALTER TABLE events_unpartitioned RENAME CONSTRAINT events_uuid TO events_unpartitioned_uuid
"""
# A partitioned table's unique keys must hold its partition key (received), so the
# key (post, epoch, seq) and the UUID are made unique across months by event_keys.
PG_PARTITIONED_EVENTS: Final = """
CREATE TABLE events (
    post_id TEXT NOT NULL,
    epoch TEXT NOT NULL DEFAULT '',
    seq BIGINT NOT NULL,
    uuid TEXT NOT NULL,
    kind TEXT NOT NULL,
    priority INTEGER NOT NULL,
    wall_time DOUBLE PRECISION NOT NULL,
    mono_time DOUBLE PRECISION NOT NULL,
    clock_synced INTEGER NOT NULL,
    lane TEXT,
    device TEXT,
    payload TEXT NOT NULL,
    received DOUBLE PRECISION NOT NULL,
    batch_id TEXT NOT NULL,
    CONSTRAINT events_key PRIMARY KEY (post_id, epoch, seq, received)
) PARTITION BY RANGE (received);
CREATE TABLE event_keys (
    post_id TEXT NOT NULL, epoch TEXT NOT NULL, seq BIGINT NOT NULL, uuid TEXT NOT NULL,
    received DOUBLE PRECISION NOT NULL,
    CONSTRAINT event_keys_key PRIMARY KEY (post_id, epoch, seq),
    CONSTRAINT event_keys_uuid UNIQUE (uuid)
);
CREATE INDEX event_keys_received ON event_keys (received)
"""
EVENT_COLUMNS: Final = (
    "post_id, epoch, seq, uuid, kind, priority, wall_time, mono_time, clock_synced, lane,"
    " device, payload, received, batch_id"
)
PG_COPY_EVENTS: Final = f"""
INSERT INTO events ({EVENT_COLUMNS}) SELECT {EVENT_COLUMNS} FROM events_unpartitioned;
INSERT INTO event_keys (post_id, epoch, seq, uuid, received)
    SELECT post_id, epoch, seq, uuid, received FROM events_unpartitioned;
DROP TABLE events_unpartitioned
"""

# --- migration 3: search terms, the console's indexes, the retention log ------------------

# The alerts page reads events of one kind (or one post's), newest received first; the
# traffic plots count by received time; ``hq alerts`` reads priority >= 2 (PRIORITY_ALERT).
CONSOLE_INDEXES: Final = """
CREATE INDEX event_terms_term ON event_terms (term, received);
DROP INDEX IF EXISTS events_alerts;
CREATE INDEX events_alerts ON events (received) WHERE priority >= 2;
CREATE INDEX events_alerts_post ON events (post_id, received) WHERE priority >= 2;
CREATE INDEX IF NOT EXISTS events_kind_received ON events (kind, received);
CREATE INDEX IF NOT EXISTS events_post_kind_received ON events (post_id, kind, received);
CREATE INDEX IF NOT EXISTS events_received ON events (received)
"""
SQLITE_TERMS: Final = (
    """
CREATE TABLE event_terms (
    term TEXT NOT NULL, field TEXT NOT NULL, post_id TEXT NOT NULL, epoch TEXT NOT NULL,
    seq INTEGER NOT NULL, received REAL NOT NULL
);
CREATE TABLE retention_log (
    id INTEGER PRIMARY KEY, ts REAL NOT NULL, keep_months INTEGER NOT NULL,
    cutoff REAL NOT NULL, partitions TEXT NOT NULL, events INTEGER NOT NULL,
    event_keys INTEGER NOT NULL
);"""
    + CONSOLE_INDEXES
)
PG_TERMS: Final = (
    """
CREATE TABLE event_terms (
    term TEXT COLLATE "C" NOT NULL, field TEXT NOT NULL, post_id TEXT NOT NULL,
    epoch TEXT NOT NULL, seq BIGINT NOT NULL, received DOUBLE PRECISION NOT NULL
) PARTITION BY RANGE (received);
CREATE TABLE retention_log (
    id BIGSERIAL PRIMARY KEY, ts DOUBLE PRECISION NOT NULL, keep_months INTEGER NOT NULL,
    cutoff DOUBLE PRECISION NOT NULL, partitions TEXT NOT NULL, events BIGINT NOT NULL,
    event_keys BIGINT NOT NULL
);"""
    + CONSOLE_INDEXES
)


# Migration 4: the web console's own tables (users, sessions, alert actions and state, its
# audit log), made by the console itself with IF NOT EXISTS before they were versioned.
WEB_TABLES: Final = """
CREATE TABLE IF NOT EXISTS web_users (
    user_id TEXT PRIMARY KEY,
    pw_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created {REAL} NOT NULL,
    last_login {REAL}
);
CREATE TABLE IF NOT EXISTS web_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created {REAL} NOT NULL,
    last_used {REAL} NOT NULL,
    expires {REAL} NOT NULL
);
CREATE TABLE IF NOT EXISTS web_alert_actions (
    id {SERIAL},
    alert_uuid TEXT NOT NULL,
    ts {REAL} NOT NULL,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_alert_state (
    alert_uuid TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    assignee TEXT,
    updated {REAL} NOT NULL
);
CREATE TABLE IF NOT EXISTS web_audit (
    id {SERIAL},
    ts {REAL} NOT NULL,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    addr TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS web_actions_alert ON web_alert_actions(alert_uuid, id);
CREATE INDEX IF NOT EXISTS web_audit_subject ON web_audit(action, subject, ts);
CREATE INDEX IF NOT EXISTS web_audit_addr ON web_audit(action, addr, ts);
CREATE INDEX IF NOT EXISTS web_state_status ON web_alert_state(status, alert_uuid);
CREATE INDEX IF NOT EXISTS web_sessions_expires ON web_sessions(expires)
"""
# The alerts page's kind filter reads an alert's kind from its payload; this (partial: alerts
# only) index keeps that filter a newest-first index scan. The expression is the one
# ``queries._json_text`` writes, per dialect.
ALERT_KIND_INDEX: Final = {
    "sqlite": "CREATE INDEX IF NOT EXISTS events_alert_kind ON events"
    " (json_extract(payload, '$.kind'), received) WHERE kind = 'alert'",
    "postgresql": "CREATE INDEX IF NOT EXISTS events_alert_kind ON events"
    " (((payload)::jsonb ->> 'kind'), received) WHERE kind = 'alert'",
}


def create_web_tables(db: Db) -> None:
    """Migration 4: the console's tables and its alert-kind index (kept if already made)."""
    run_script(db, WEB_TABLES.format(**TYPES[db.kind]))
    db.execute(ALERT_KIND_INDEX[db.kind])


def run_script(db: Db, script: str) -> None:
    """Run each ``;``-separated statement of ``script`` (ours: no ``;`` inside literals)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def create_tables(db: Db) -> None:
    """Migration 1: the tables that are missing (upgrading a database from before epochs)."""
    types = TYPES[db.kind]
    old = db.columns("events")
    if old and "epoch" not in old:
        run_script(db, (BEFORE_EPOCHS + ";" + TABLES + ";" + AFTER_EPOCHS).format(**types))
        return
    run_script(db, TABLES.format(**types))
    have = db.columns("posts")
    for name, kind in ADDED_POST_COLUMNS:
        if name not in have:
            db.execute(f"ALTER TABLE posts ADD COLUMN {name} {kind.format(**types)}")


TERM_COLUMNS: Final = ("term", "field", "post_id", "epoch", "seq", "received")


def insert_terms(db: Db, events: Iterable[tuple[tuple[str, str, int, float], Any]]) -> None:
    """Index events — (post, epoch, sequence, received) and payload each — by the terms
    their payloads hold."""
    rows = [(t, f, *key) for key, payload in events for f, t in search_terms(payload)]
    db.insert_rows("event_terms", TERM_COLUMNS, rows)
