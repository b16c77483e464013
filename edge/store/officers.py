"""Officers who log in to the console: ID, role, PIN hashed with scrypt, lock-out.

Adding, disabling and resetting an officer is an audit row and an event
(``officer.added``, ``officer.disabled``, ``officer.pin_reset``; never the
PIN) in one transaction, so the console and HQ see it too.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import time
from dataclasses import dataclass
from typing import Any

from drivers.events import OfficerAction
from edge.sanitize import clean_text
from edge.store import audit
from edge.store.store import NewEvent, Store, StoreError, record_in
from edge.store.writer import Tx
from sync.outbox import PRIORITY_NOTICE

ROLES = ("officer", "supervisor", "technician")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")
ADMIN_EVENT_KINDS = {
    "officer.add": "officer.added",
    "officer.disable": "officer.disabled",
    "officer.reset_pin": "officer.pin_reset",
}


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """``scrypt$salt$hash`` for a PIN."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, maxmem=64 * 1024 * 1024, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """Constant-time check of a PIN against ``hash_pin`` output."""
    try:
        _, salt, _digest = stored.split("$")
        return hmac.compare_digest(hash_pin(pin, bytes.fromhex(salt)), stored)
    except ValueError:
        return False


def check_pin_format(pin: str) -> None:
    """Refuse PINs that are too short or too long."""
    if not (4 <= len(pin) <= 64) or not pin.isprintable():
        raise StoreError("PIN must be 4 to 64 printable characters")


class LockedOut(Exception):
    """Too many failed log-ins; try again after ``retry_after_s``."""

    def __init__(self, retry_after_s: float) -> None:
        super().__init__(f"locked out for {retry_after_s:.0f} s")
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Officer:
    """A logged-in or listed officer."""

    officer_id: str
    name: str
    role: str
    disabled: bool = False
    failures: int = 0


def add(store: Store, officer_id: str, name: str, role: str, pin: str, actor: str) -> None:
    """Create an officer; refuse bad IDs, roles, PINs and duplicates."""
    if not _ID.fullmatch(officer_id):
        raise StoreError("officer ID must be 1–32 letters, digits, '.', '-' or '_'")
    if role not in ROLES:
        raise StoreError(f"role must be one of {', '.join(ROLES)}")
    check_pin_format(pin)
    name = clean_text(name.strip(), 80) or officer_id
    pin_hash = hash_pin(pin)

    def job(tx: Tx) -> None:
        if tx.conn.execute("SELECT 1 FROM officers WHERE officer_id = ?", (officer_id,)).fetchone():
            raise StoreError(f"officer {officer_id} exists already")
        tx.conn.execute(
            "INSERT INTO officers (officer_id, name, role, pin_hash, created) VALUES (?,?,?,?,?)",
            (officer_id, name, role, pin_hash, time.time()),
        )
        _admin_event(tx, actor, "officer.add", {"officer_id": officer_id, "role": role})

    store.write(job)


def _admin_event(tx: Tx, actor: str, action: str, detail: dict[str, Any]) -> None:
    """The audit row and the event of one officer admin action."""
    audit.append(tx.conn, actor, action, detail)
    absent = frozenset() if "role" in detail else frozenset({"role"})
    body = OfficerAction(officer_id=detail["officer_id"], role=detail.get("role"), by=actor,
                         absent=absent)  # fmt: skip
    record_in(tx, NewEvent(ADMIN_EVENT_KINDS[action], body, PRIORITY_NOTICE))


def listing(store: Store) -> list[Officer]:
    """Every officer, by ID."""
    rows = store.conn.execute(
        "SELECT officer_id, name, role, disabled, failures FROM officers ORDER BY officer_id"
    )
    return [Officer(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]


def _update(
    store: Store, officer_id: str, actor: str, action: str, sql: str, params: tuple[Any, ...]
) -> None:
    def job(tx: Tx) -> None:
        if tx.conn.execute(sql, (*params, officer_id)).rowcount == 0:
            raise LookupError(f"no officer {officer_id}")
        _admin_event(tx, actor, action, {"officer_id": officer_id})

    store.write(job)


def is_active(store: Store, officer_id: str) -> bool:
    """True while the officer exists and is not disabled (checked on each request)."""
    row = store.conn.execute(
        "SELECT disabled FROM officers WHERE officer_id = ?", (officer_id,)
    ).fetchone()
    return row is not None and not row[0]


def disable(store: Store, officer_id: str, actor: str) -> None:
    """Stop an officer from logging in."""
    _update(
        store,
        officer_id,
        actor,
        "officer.disable",
        "UPDATE officers SET disabled = 1 WHERE officer_id = ?",
        (),
    )


def reset_pin(store: Store, officer_id: str, pin: str, actor: str) -> None:
    """Give an officer a new PIN and lift any lock-out."""
    check_pin_format(pin)
    _update(
        store,
        officer_id,
        actor,
        "officer.reset_pin",
        "UPDATE officers SET pin_hash = ?, failures = 0, locked_until = 0 WHERE officer_id = ?",
        (hash_pin(pin),),
    )


def login(
    store: Store, officer_id: str, pin: str, *, max_failures: int, lockout_s: float
) -> Officer | None:
    """The officer when ID and PIN match; None otherwise. Raises ``LockedOut``.

    The attempt is counted as a failure before the PIN is checked, in the same
    write transaction that checks the lock-out (:func:`_claim`), so concurrent
    attempts can never try more than ``max_failures`` PINs; a right PIN then
    clears the count (:func:`_settle`). The PIN is hashed outside the writer.
    """
    claim = store.write(lambda tx: _claim(tx, officer_id, max_failures, lockout_s))
    if claim is None:
        hash_pin(pin)  # same cost as a real check: IDs cannot be probed by timing
        return None
    ok = pin_matches(pin, claim.pin_hash) and not claim.disabled
    store.write(lambda tx: _settle(tx, officer_id, ok, claim.locked))
    return Officer(officer_id, claim.name, claim.role) if ok else None


@dataclass(frozen=True)
class _Claim:
    """An attempt counted against an officer: what is needed to check the PIN."""

    name: str
    role: str
    pin_hash: str
    disabled: bool
    locked: bool


def _claim(tx: Tx, officer_id: str, max_failures: int, lockout_s: float) -> _Claim | None:
    """In one transaction: refuse a locked-out officer, else count this attempt as a failure."""
    row = tx.conn.execute(
        "SELECT name, role, pin_hash, disabled, failures, locked_until FROM officers"
        " WHERE officer_id = ?",
        (officer_id,),
    ).fetchone()
    if row is None:
        return None
    name, role, pin_hash, disabled, failures, locked_until = row
    now = time.time()
    if locked_until > now:
        raise LockedOut(locked_until - now)
    failures += 1
    locked = failures >= max_failures
    tx.conn.execute(
        "UPDATE officers SET failures = ?, locked_until = ? WHERE officer_id = ?",
        (0 if locked else failures, now + lockout_s if locked else 0, officer_id),
    )
    return _Claim(name, role, pin_hash, bool(disabled), locked)


def _settle(tx: Tx, officer_id: str, ok: bool, locked: bool) -> None:
    """After the PIN check: a right PIN clears the count and any lock-out; audit the outcome."""
    if ok:
        tx.conn.execute(
            "UPDATE officers SET failures = 0, locked_until = 0 WHERE officer_id = ?",
            (officer_id,),
        )
    action = "login" if ok else ("login.locked" if locked else "login.failed")
    audit.append(tx.conn, officer_id, action, {})
