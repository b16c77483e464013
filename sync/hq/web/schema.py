"""The console's own tables in the HQ database, and one index of its own on ``events``.

Created through the ``Db`` API, so the same script serves SQLite and
PostgreSQL (``{REAL}``/``{SERIAL}`` become each one's types). The indexes
the console's queries want on HQ's own tables — ``events (kind, received)``,
``(post_id, kind, received)``, ``(received)`` and ``event_terms (term,
received)`` — are made by the store's migrations (``sync/hq/migrations_sql.py``);
the one on an alert's kind, which reads the payload, is made here.
"""

from __future__ import annotations

from typing import Final

from sync.hq.db import Db
from sync.hq.migrations_sql import TYPES, run_script

SCHEMA: Final = """
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


def apply(db: Db) -> None:
    """Create the console's tables (idempotent)."""
    run_script(db, SCHEMA.format(**TYPES[db.kind]))
    db.execute(ALERT_KIND_INDEX[db.kind])
