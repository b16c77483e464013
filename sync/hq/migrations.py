"""HQ's schema as a numbered list of migrations, run in order when the database is opened.

``schema_version`` records each migration applied (version, name, when). A
database made before this list (no ``schema_version``) starts at 0: migration
1 creates what is missing and upgrades a database from before epochs, so
every HQ database, old or new, ends at the same schema. Each migration runs
in one transaction (PostgreSQL and SQLite both roll DDL back), and on
PostgreSQL under an advisory lock so that receivers starting together
migrate once. SQL is written per dialect where the dialects differ.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sync.hq import migrations_sql as schema
from sync.hq.db import SCHEMA_LOCK, Db, connect
from sync.hq.retention import create_months_holding

BACKFILL_PAGE: Final = 5000


class SchemaError(RuntimeError):
    """The database's schema is newer than this program knows."""


@dataclass(frozen=True)
class Migration:
    """One step of the schema: what it does, for each dialect."""

    version: int
    name: str
    sqlite: Callable[[Db], None]
    postgresql: Callable[[Db], None]

    def run(self, db: Db) -> None:
        """Apply this step to ``db`` (inside the caller's transaction)."""
        (self.postgresql if db.kind == "postgresql" else self.sqlite)(db)


def _script(sql: str) -> Callable[[Db], None]:
    def run(db: Db) -> None:
        schema.run_script(db, sql)

    return run


def _partition_events(db: Db) -> None:
    """PostgreSQL: ``events`` rebuilt partitioned by month, rows copied, the ledger filled."""
    schema.run_script(db, schema.PG_UNPARTITION)
    schema.run_script(db, schema.PG_PARTITIONED_EVENTS)
    create_months_holding(db, "events_unpartitioned", ("events",))
    schema.run_script(db, schema.PG_COPY_EVENTS)


def _terms_pg(db: Db) -> None:
    schema.run_script(db, schema.PG_TERMS)
    create_months_holding(db, "events", ("event_terms",))
    _backfill_terms(db)


def _terms_sqlite(db: Db) -> None:
    schema.run_script(db, schema.SQLITE_TERMS)
    _backfill_terms(db)


def _backfill_terms(db: Db) -> None:
    """Search terms for the events stored before ``event_terms`` existed (page by page)."""
    after: tuple[str, str, int] = ("", "", -1)
    while rows := db.execute(
        "SELECT post_id, epoch, seq, received, payload FROM events"
        " WHERE (post_id, epoch, seq) > ($1, $2, $3) ORDER BY post_id, epoch, seq LIMIT $4",
        (*after, BACKFILL_PAGE),
    ).fetchall():
        schema.insert_terms(db, (((p, e, int(s), float(r)), _json(d)) for p, e, s, r, d in rows))
        after = (str(rows[-1][0]), str(rows[-1][1]), int(rows[-1][2]))


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


MIGRATIONS: Final = (
    Migration(1, "tables (and the upgrade of a database from before epochs)",
              schema.create_tables, schema.create_tables),
    Migration(2, "exactly-once ledger event_keys; events partitioned by month on PostgreSQL",
              _script(schema.SQLITE_LEDGER), _partition_events),
    Migration(3, "search terms, the console's indexes, retention log",
              _terms_sqlite, _terms_pg),
    Migration(4, "the web console's tables and its alert-kind index",
              schema.create_web_tables, schema.create_web_tables),
)  # fmt: skip
LATEST: Final = MIGRATIONS[-1].version


def version(db: Db) -> int:
    """The schema version ``db`` is at (0: made before versioned migrations, or empty)."""
    row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(db: Db) -> list[int]:
    """Apply the migrations ``db`` lacks, each in one transaction; return their versions."""
    if db.kind == "postgresql":
        db.execute("SELECT pg_advisory_lock($1)", (SCHEMA_LOCK,))
    try:
        db.execute(schema.SCHEMA_VERSION)
        current = version(db)
        if current > LATEST:
            raise SchemaError(
                f"the HQ database is at schema version {current}, newer than this borderpost "
                f"knows ({LATEST}): upgrade borderpost on this machine"
            )
        return [_apply(db, m) for m in MIGRATIONS if m.version > current]
    finally:
        if db.kind == "postgresql":
            db.execute("SELECT pg_advisory_unlock($1)", (SCHEMA_LOCK,))


def _apply(db: Db, m: Migration) -> int:
    with db.transaction():
        m.run(db)
        db.execute(
            "INSERT INTO schema_version (version, name, applied) VALUES ($1, $2, $3)",
            (m.version, m.name, time.time()),
        )
    return m.version


def open_db(target: str | Path) -> Db:
    """A connection to ``target`` (a SQLite file or a ``postgresql://`` URL), migrated."""
    db = connect(target)
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db
