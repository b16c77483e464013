"""The audit log: every officer decision and change, hash-chained.

Each row's hash covers its own fields and the previous row's hash, so editing,
deleting or re-ordering any row breaks the chain from that row on.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def _digest(prev_hash: str, row_id: int, ts: float, actor: str, action: str, detail: str) -> str:
    material = json.dumps([prev_hash, row_id, repr(ts), actor, action, detail], ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def append(conn: sqlite3.Connection, actor: str, action: str, detail: dict[str, Any]) -> int:
    """Add one audit row; call inside the caller's transaction."""
    last = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    row_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    ts = time.time()
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True)
    digest = _digest(prev, row_id, ts, actor, action, text)
    conn.execute(
        "INSERT INTO audit (id, ts, actor, action, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
        (row_id, ts, actor, action, text, prev, digest),
    )
    return row_id


def recent(conn: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    """The newest ``limit`` rows, newest first (id, ts, actor, action, detail)."""
    sql = "SELECT id, ts, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?"
    cur = conn.execute(sql, (limit,))
    names = [c[0] for c in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


@dataclass(frozen=True)
class ChainReport:
    """The result of walking the audit chain."""

    ok: bool
    rows: int
    broken_at: int | None
    reason: str | None


def verify(conn: sqlite3.Connection) -> ChainReport:
    """Walk the whole chain; report the first row that does not fit."""
    prev, expected_id, count = GENESIS, 1, 0
    cursor = conn.execute(
        "SELECT id, ts, actor, action, detail, prev_hash, hash FROM audit ORDER BY id"
    )
    for row_id, ts, actor, action, detail, prev_hash, digest in cursor:
        count += 1
        if row_id != expected_id:
            return ChainReport(False, count, row_id, f"row {expected_id} is missing")
        if prev_hash != prev:
            return ChainReport(False, count, row_id, "previous hash does not match")
        if _digest(prev, row_id, ts, actor, action, detail) != digest:
            return ChainReport(False, count, row_id, "row content does not match its hash")
        prev, expected_id = digest, row_id + 1
    return ChainReport(True, count, None, None)
