"""Opening the event database with the durability the design promises."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from edge.paths import restrict_database
from edge.store import schema


def connect(
    path: Path, *, synchronous: str = "FULL", migrate: bool = True
) -> sqlite_utils.Database:
    """Open ``path`` in WAL mode with ``synchronous=FULL`` and a busy timeout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
    conn.execute("PRAGMA journal_mode=WAL")
    if new:
        restrict_database(path)
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("PRAGMA foreign_keys=ON")
    if migrate:
        schema.migrate(conn)
    return sqlite_utils.Database(conn)
