"""``prearrival.db``: the expected lists in force, who arrived, who came unannounced.

Its own SQLite file (not the event store) so personal data in expected lists
can expire with its window: a list and everything recorded against it are
deleted when its ``expires`` time passes (HQ sets it: the window's end plus
the retention it was published with). One connection, used under a lock by
the applier's thread, the service's thread and the loop's reads.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sync.paxlst.expected import ExpectedList, expected_list, to_json

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lists (
    list_id TEXT PRIMARY KEY, window_to REAL NOT NULL, expires REAL NOT NULL,
    closed INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS arrived (
    list_id TEXT NOT NULL, kind TEXT NOT NULL, idx INTEGER NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (list_id, kind, idx));
CREATE TABLE IF NOT EXISTS unannounced (
    list_id TEXT NOT NULL, at REAL NOT NULL, read TEXT NOT NULL);
"""


class PrearrivalStore:
    """The post's pre-arrival file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(SCHEMA)

    def close(self) -> None:
        """Close the file."""
        with self.lock:
            self.conn.close()

    def version(self) -> int:
        """The version of the lists in force (0 before the first)."""
        with self.lock:
            row = self.conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        return int(row[0]) if row else 0

    def lists(self) -> list[ExpectedList]:
        """Every list held."""
        with self.lock:
            rows = self.conn.execute("SELECT body FROM lists ORDER BY list_id").fetchall()
        return [expected_list(json.loads(r[0])) for r in rows]

    def replace(self, version: int, lists: Iterable[ExpectedList]) -> None:
        """Hold exactly ``lists`` as ``version`` (one transaction): lists gone are deleted with
        what was recorded against them; a list kept keeps its arrivals and closed state."""
        keep = {x.list_id: x for x in lists}
        with self.lock, self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            held = {r[0] for r in self.conn.execute("SELECT list_id FROM lists")}
            self._delete(held - set(keep))
            for x in keep.values():
                self.conn.execute(
                    "INSERT INTO lists (list_id, window_to, expires, body) VALUES (?,?,?,?)"
                    " ON CONFLICT(list_id) DO UPDATE SET window_to=excluded.window_to,"
                    " expires=excluded.expires, body=excluded.body",
                    (x.list_id, x.window_to, x.expires, json.dumps(to_json(x))),
                )
            self.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)", (str(version),)
            )

    def _delete(self, ids: Iterable[str]) -> None:
        for table in ("lists", "arrived", "unannounced"):
            self.conn.executemany(f"DELETE FROM {table} WHERE list_id = ?", [(i,) for i in ids])

    def mark(
        self, arrived: list[tuple[str, str, int, float]], unannounced: list[tuple[str, float, str]]
    ) -> None:
        """Record arrivals (list, kind, index, time) and unannounced reads (list, time, JSON)."""
        if not arrived and not unannounced:
            return
        with self.lock, self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany("INSERT OR IGNORE INTO arrived VALUES (?,?,?,?)", arrived)
            self.conn.executemany("INSERT INTO unannounced VALUES (?,?,?)", unannounced)

    def to_close(self, now: float) -> list[str]:
        """Lists whose window has ended and that were not yet reported."""
        with self.lock:
            sql = "SELECT list_id FROM lists WHERE closed = 0 AND window_to < ? ORDER BY window_to"
            return [r[0] for r in self.conn.execute(sql, (now,))]

    def arrivals(self, list_id: str) -> tuple[set[tuple[str, int]], list[dict[str, Any]]]:
        """(kind, index) of the items that arrived, and the unannounced reads, of a list."""
        with self.lock:
            got = self.conn.execute("SELECT kind, idx FROM arrived WHERE list_id=?", (list_id,))
            seen = {(str(k), int(i)) for k, i in got}
            rows = self.conn.execute(
                "SELECT read FROM unannounced WHERE list_id=? ORDER BY at", (list_id,)
            ).fetchall()
        return seen, [json.loads(r[0]) for r in rows]

    def set_closed(self, list_id: str) -> None:
        """The list's window was reported."""
        with self.lock, self.conn:
            self.conn.execute("UPDATE lists SET closed = 1 WHERE list_id = ?", (list_id,))

    def purge(self, now: float) -> int:
        """Delete lists past their expiry with everything recorded against them."""
        with self.lock, self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            ids = [
                r[0]
                for r in self.conn.execute("SELECT list_id FROM lists WHERE expires < ?", (now,))
            ]
            self._delete(ids)
        return len(ids)
