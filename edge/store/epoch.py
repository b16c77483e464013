"""The event database's identity (its epoch), and the start-up check that guards it.

Every ``events.db`` gets a random epoch when it is created (schema migration
6); every batch carries it, and HQ keeps each post's events per (epoch,
sequence), so a database that was replaced, restored or came back empty can
never have its events taken for ones HQ already holds.

The state folder keeps a small marker beside the database, ``events.epoch``,
naming the epoch of the database that belongs there. :func:`check_state`
runs before the daemon opens the store and refuses — with a message that
says what to do — a database that is empty (0 bytes), missing where one
existed, damaged (``PRAGMA quick_check``), or another one than the marker
names. :func:`new_epoch` is the recovery (``borderpost database new-epoch``).
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from edge.store.db import connect

DB_NAME: Final = "events.db"
MARKER_NAME: Final = "events.epoch"
RECOVERY: Final = (
    "Keep the file as it is for the investigation and start a new epoch with "
    "`borderpost database new-epoch --state-dir {state}` (it moves a damaged or empty "
    "database aside and creates a new one; see the technician guide, 'Recovery')."
)


class DatabaseRefused(RuntimeError):
    """The daemon must not start on this database; the message says why and what to do."""


@dataclass(frozen=True)
class Identity:
    """A database's epoch (32 hex digits) and the last sequence before it began."""

    epoch: str
    base: int


def read_identity(conn: sqlite3.Connection) -> Identity:
    """The epoch of an open, migrated event database."""
    rows = dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'epoch%'").fetchall())
    return Identity(str(rows["epoch"]), int(rows.get("epoch_base", 0)))


def identity_of(state_dir: Path) -> Identity:
    """The epoch of the state folder's database (opening and migrating it)."""
    db = connect(state_dir / DB_NAME)
    try:
        return read_identity(db.conn)
    finally:
        db.conn.close()


def check_state(state_dir: Path) -> Identity:
    """Refuse (``DatabaseRefused``) a damaged database, and an empty, missing or foreign
    one where the marker says a database existed; otherwise open it (creating a new one
    on first start), keep its epoch in the marker and return its identity."""
    path, marker = state_dir / DB_NAME, _read_marker(state_dir)
    if marker is not None and path.exists() and path.stat().st_size == 0:
        _refuse(state_dir, f"{path} is empty (0 bytes), but this state folder had epoch {marker}")
    if not path.exists() and marker is not None:
        _refuse(state_dir, f"{path} is missing, but this state folder had epoch {marker}")
    if path.exists() and path.stat().st_size > 0:
        quick_check(path, state_dir)
    found = _peek_epoch(path) if path.exists() and path.stat().st_size > 0 else None
    if marker is not None and marker != found:
        _refuse(
            state_dir,
            f"{path} is another database (epoch {found or 'none'}) than the one this state "
            f"folder had (epoch {marker}): it was replaced or restored from another copy",
        )
    ident = identity_of(state_dir)
    if marker is None:
        write_marker(state_dir, ident)
    return ident


def quick_check(path: Path, state_dir: Path | None = None) -> None:
    """``PRAGMA quick_check`` on ``path``; ``DatabaseRefused`` naming the damage."""
    problems = damage(path)
    if problems:
        _refuse(state_dir or path.parent, f"{path} is damaged: {'; '.join(problems[:3])}")


def damage(path: Path) -> list[str]:
    """What ``PRAGMA quick_check`` finds wrong with ``path`` (empty when it is sound)."""
    try:
        conn = sqlite3.connect(path, timeout=10.0)
        try:  # as bytes: the names in its report may be damaged too
            rows = conn.execute(
                "SELECT CAST(quick_check AS BLOB) FROM pragma_quick_check"
            ).fetchall()
        finally:
            conn.close()
    except (sqlite3.Error, ValueError) as exc:
        return [f"{type(exc).__name__}: {exc}"]
    found = [bytes(r[0]).decode(errors="replace")[:300] for r in rows]
    return [] if found == ["ok"] else found


def unreadable_events(path: Path, limit: int = 20) -> list[int]:
    """Sequences of events whose stored text is no longer valid UTF-8 JSON (damage that
    ``quick_check`` cannot see: it checks the file's structure, not what rows hold).
    Reads every event: for ``audit verify``, not for every start."""
    bad: list[int] = []
    conn = sqlite3.connect(path, timeout=10.0)
    conn.text_factory = bytes
    try:
        for seq, kind, payload in conn.execute("SELECT seq, kind, payload FROM events"):
            try:
                kind.decode()
                json.loads(payload.decode())
            except (UnicodeDecodeError, ValueError, AttributeError):
                bad.append(int(seq))
                if len(bad) >= limit:
                    break
    finally:
        conn.close()
    return bad


def new_epoch(state_dir: Path, now: float | None = None) -> dict[str, object]:
    """Start a new epoch: re-key a sound database in place (its outbox is sent again under
    the new epoch), or move an empty/damaged one aside and create a new database."""
    path = state_dir / DB_NAME
    try:
        old = _read_marker(state_dir)
    except DatabaseRefused:  # a damaged marker is replaced below
        old = "unreadable"
    moved: list[str] = []
    if path.exists() and (path.stat().st_size == 0 or damage(path)):
        moved = _move_aside(path, now or time.time())
    ident = _rekey(path) if path.exists() else identity_of(state_dir)
    write_marker(state_dir, ident)
    return {"epoch": ident.epoch, "base": ident.base, "previous": old, "moved_aside": moved}


def write_marker(state_dir: Path, ident: Identity) -> None:
    """Write ``events.epoch`` atomically (mode 0640)."""
    tmp = state_dir / (MARKER_NAME + ".tmp")
    body = json.dumps({"epoch": ident.epoch, "base": ident.base, "written": time.time()})
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(fd, "w") as f:
        f.write(body + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, state_dir / MARKER_NAME)


def _read_marker(state_dir: Path) -> str | None:
    path = state_dir / MARKER_NAME
    try:
        epoch = json.loads(path.read_text()).get("epoch")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, AttributeError):
        raise DatabaseRefused(
            f"{path} is unreadable; it names the epoch of this post's database. "
            + RECOVERY.format(state=state_dir)
        ) from None
    return str(epoch) if epoch else None


def _peek_epoch(path: Path) -> str | None:
    """The epoch stored in ``path`` without migrating it (None before migration 6)."""
    conn = sqlite3.connect(path, timeout=10.0)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()
    except sqlite3.OperationalError:  # no meta table: not one of our databases
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None


def _rekey(path: Path) -> Identity:
    db = connect(path)
    try:
        conn = db.conn
        previous = read_identity(conn)
        epoch = secrets.token_hex(16)
        base = int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [("epoch", epoch), ("epoch_base", str(base)), ("previous_epoch", previous.epoch)],
        )
        conn.execute("COMMIT")
        return Identity(epoch, base)
    finally:
        db.conn.close()


def _move_aside(path: Path, now: float) -> list[str]:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    moved = []
    for suffix in ("", "-wal", "-shm"):
        src = path.with_name(path.name + suffix)
        if src.exists():
            dst = path.with_name(f"{path.name}.{stamp}.aside{suffix}")
            os.replace(src, dst)
            moved.append(str(dst))
    return moved


def _refuse(state_dir: Path, why: str) -> None:
    raise DatabaseRefused(f"{why}. " + RECOVERY.format(state=state_dir))
