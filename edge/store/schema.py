"""The event database's schema as forward-only migrations.

``PRAGMA user_version`` is the schema version; opening a database applies
every migration above it, each in its own transaction. Never edit a shipped
migration: add a new one.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: events and their outbox
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        priority INTEGER NOT NULL,
        wall_time REAL NOT NULL,
        mono_time REAL NOT NULL,
        clock_synced INTEGER NOT NULL,
        lane TEXT,
        device TEXT,
        payload TEXT NOT NULL
    );
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY REFERENCES events(seq),
        priority INTEGER NOT NULL,
        size INTEGER NOT NULL
    );
    CREATE INDEX outbox_order ON outbox(priority DESC, seq);
    """,
    # 2: alerts, officers and the audit chain
    """
    CREATE TABLE alerts (
        alert_id INTEGER PRIMARY KEY,
        event_seq INTEGER NOT NULL REFERENCES events(seq),
        alert_seq INTEGER NOT NULL REFERENCES events(seq),
        created REAL NOT NULL,
        kind TEXT NOT NULL,
        severity INTEGER NOT NULL,
        summary TEXT NOT NULL,
        hits TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'open',
        decision TEXT, reason TEXT, note TEXT, officer_id TEXT, decided REAL, decision_seq INTEGER
    );
    CREATE INDEX alerts_state ON alerts(state, alert_id);
    CREATE TABLE officers (
        officer_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        pin_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        locked_until REAL NOT NULL DEFAULT 0,
        created REAL NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    """,
    # 3: search columns, retention marker, device state, technician overrides
    """
    ALTER TABLE events ADD COLUMN doc_number TEXT;
    ALTER TABLE events ADD COLUMN name TEXT;
    ALTER TABLE events ADD COLUMN purged INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX events_doc ON events(doc_number) WHERE doc_number IS NOT NULL;
    CREATE INDEX events_wall ON events(wall_time);
    CREATE TABLE device_state (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL, lane TEXT NOT NULL, url TEXT NOT NULL,
        state TEXT NOT NULL, last_seen REAL, readings INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0, fault TEXT, restarts INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 4: a trigram index of names, so a name search does not read every event
    """
    CREATE VIRTUAL TABLE events_name USING fts5(name, tokenize = 'trigram');
    INSERT INTO events_name (rowid, name) SELECT seq, name FROM events WHERE name IS NOT NULL;
    CREATE TRIGGER events_name_insert AFTER INSERT ON events WHEN new.name IS NOT NULL BEGIN
        INSERT INTO events_name (rowid, name) VALUES (new.seq, new.name);
    END;
    CREATE TRIGGER events_name_update AFTER UPDATE OF name ON events BEGIN
        DELETE FROM events_name WHERE rowid = old.seq;
        INSERT INTO events_name (rowid, name) SELECT new.seq, new.name WHERE new.name IS NOT NULL;
    END;
    """,
    # 5: new names are indexed once per group commit (store.index_new_names), not by a
    # trigger per event: one statement a group instead of one per event on the write path
    """
    DROP TRIGGER events_name_insert;
    """,
    # 6: the database's identity, sent with every batch: a random epoch made when the database
    # is created, and the last sequence before it (an older database upgraded here keeps its
    # sequences, and HQ counts this epoch's missing events only above that base)
    """
    INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', lower(hex(randomblob(16))));
    INSERT OR IGNORE INTO meta (key, value) SELECT 'epoch_base', COALESCE(MAX(seq), 0) FROM events;
    """,
)

LATEST = len(MIGRATIONS)


def version(conn: sqlite3.Connection) -> int:
    """The schema version of an open database (0 for a new file)."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> int:
    """Apply the migrations from the database's version up to ``target``; return it."""
    current = version(conn)
    if current > LATEST:
        raise RuntimeError(
            f"database schema version {current} is newer than this borderpost ({LATEST})"
        )
    for number in range(current + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return max(current, target)


def _statements(script: str) -> list[str]:
    """The script's statements; a trigger's body (``BEGIN … END;``) stays whole."""
    statements, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip())
            pending = ""
    return statements
