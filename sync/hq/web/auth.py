"""Console users, their passwords, sessions, log-in throttling and the audit log.

Passwords are kept as scrypt hashes (``hashlib.scrypt``, a random salt each).
A session is a random token in an HttpOnly cookie; HQ keeps only its SHA-256,
with a CSRF token every POST must carry, an idle limit and an absolute
expiry. After ``MAX_FAILURES`` failed log-ins for one user name (or from one
address) within ``THROTTLE_S``, log-in is refused until the window passes.
Every log-in, failure, log-out and user change is a row of ``web_audit``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any, Final

from sync.hq.db import Db, rows
from sync.sanitize import clean_text

ROLES: Final = ("duty_officer", "analyst", "admin")
ACTING_ROLES: Final = frozenset({"duty_officer", "admin"})  # may acknowledge and assign
MIN_PASSWORD: Final = 10
SESSION_S: Final = 8 * 3600.0
IDLE_S: Final = 30 * 60.0
MAX_FAILURES: Final = 5
THROTTLE_S: Final = 15 * 60.0
_SCRYPT: Final = {"n": 2**14, "r": 8, "p": 1}
_DUMMY_HASH: Final = "scrypt$" + "00" * 16 + "$" + "00" * 32


class AuthError(ValueError):
    """A user command or log-in that cannot be done; the message says why."""


class Throttled(AuthError):
    """Too many failed log-ins: try again later."""


@dataclass(frozen=True)
class Session:
    """A logged-in user: who, with which role, and the CSRF token their forms carry."""

    user_id: str
    role: str
    csrf: str
    token_hash: str

    @property
    def may_act(self) -> bool:
        """Whether the user may acknowledge and assign alerts (duty officers and admins)."""
        return self.role in ACTING_ROLES


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password`` as stored in ``web_users``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (constant time in the digest)."""
    try:
        scheme, salt, digest = stored.split("$")
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    except ValueError:
        return False
    return scheme == "scrypt" and hmac.compare_digest(got.hex(), digest)


def audit(db: Db, who: str, action: str, subject: str, detail: str = "", addr: str = "") -> None:
    """One row of the audit log (inside the caller's transaction, if any)."""
    db.execute(
        "INSERT INTO web_audit (ts, user_id, action, subject, detail, addr)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        (
            time.time(),
            clean_text(who, 64),
            action,
            clean_text(subject, 200),
            clean_text(detail, 500),
            clean_text(addr, 100),
        ),
    )


# --- users (the `borderpost hq user` commands) ----------------------------------------------


def add_user(db: Db, user_id: str, role: str, password: str, by: str = "cli") -> None:
    """Create a user; ``AuthError`` for a taken name, a bad role or a short password."""
    _check_role(role)
    if not user_id.isascii() or not user_id.replace(".", "").replace("-", "").isalnum():
        raise AuthError(f"user id {user_id!r}: letters, digits, '.' and '-' only")
    _check_password(password)
    with db.transaction():
        if db.execute("SELECT 1 FROM web_users WHERE user_id = $1", (user_id,)).fetchone():
            raise AuthError(f"user {user_id!r} exists already")
        db.execute(
            "INSERT INTO web_users (user_id, pw_hash, role, created) VALUES ($1, $2, $3, $4)",
            (user_id, hash_password(password), role, time.time()),
        )
        audit(db, by, "user.added", user_id, role)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AuthError(f"role {role!r}: use one of {', '.join(ROLES)}")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"the password needs at least {MIN_PASSWORD} characters")


def list_users(db: Db) -> list[dict[str, Any]]:
    """Every user with role, state, creation and last log-in (no hashes)."""
    found = rows(
        db, "SELECT user_id, role, disabled, created, last_login FROM web_users ORDER BY user_id"
    )
    return [{**u, "disabled": bool(u["disabled"])} for u in found]


def disable_user(db: Db, user_id: str, by: str = "cli", addr: str = "") -> None:
    """Disable a user and end their sessions; ``AuthError`` when there is no such user."""
    _change(db, user_id, "disabled = 1", (), ("user.disabled", ""), by, addr)


def enable_user(db: Db, user_id: str, by: str = "cli", addr: str = "") -> None:
    """Let a disabled user log in again (their old sessions stay ended)."""
    _change(db, user_id, "disabled = 0", (), ("user.enabled", ""), by, addr)


def set_password(db: Db, user_id: str, password: str, by: str = "cli", addr: str = "") -> None:
    """Give a user a new password and end their sessions (whoever held them must log in)."""
    _check_password(password)
    _change(db, user_id, "pw_hash = $2", (hash_password(password),), ("user.password", ""), by,
            addr)  # fmt: skip


def set_role(db: Db, user_id: str, role: str, by: str = "cli", addr: str = "") -> None:
    """Change what a user may do; it holds from their next request (sessions read the role)."""
    _check_role(role)
    _change(db, user_id, "role = $2", (role,), ("user.role", role), by, addr, end_sessions=False)


def _change(
    db: Db, user_id: str, assignment: str, values: tuple[str, ...], what: tuple[str, str],
    by: str, addr: str, end_sessions: bool = True,
) -> None:  # fmt: skip
    """One audited change of a user row; ``AuthError`` when there is no such user."""
    with db.transaction():
        cur = db.execute(
            f"UPDATE web_users SET {assignment} WHERE user_id = $1", (user_id, *values)
        )
        if not cur.rowcount:
            raise AuthError(f"no user {user_id!r} (see `borderpost hq user list`)")
        if end_sessions:
            db.execute("DELETE FROM web_sessions WHERE user_id = $1", (user_id,))
        audit(db, by, what[0], user_id, what[1], addr)


# --- log-in and sessions --------------------------------------------------------------------


def log_in(db: Db, user_id: str, password: str, addr: str) -> tuple[str, Session]:
    """A new session (its cookie token and itself) for a right password; ``AuthError`` else."""
    now = time.time()
    _check_throttle(db, clean_text(user_id, 64), clean_text(addr, 100), now)
    found = rows(db, "SELECT pw_hash, role, disabled FROM web_users WHERE user_id = $1", [user_id])
    ok = verify_password(password, found[0]["pw_hash"] if found else _DUMMY_HASH)
    if not (found and ok and not found[0]["disabled"]):
        with db.transaction():
            audit(db, user_id[:64], "login.failed", user_id[:64], addr=addr)
        raise AuthError("wrong user name or password")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session = Session(user_id, str(found[0]["role"]), csrf, _digest(token))
    with db.transaction():
        db.execute(
            "INSERT INTO web_sessions (token_hash, user_id, csrf, created, last_used, expires)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            (session.token_hash, user_id, csrf, now, now, now + SESSION_S),
        )
        db.execute("UPDATE web_users SET last_login = $1 WHERE user_id = $2", (now, user_id))
        db.execute("DELETE FROM web_sessions WHERE expires < $1", (now,))
        audit(db, user_id, "login", user_id, addr=addr)
    return token, session


def _check_throttle(db: Db, user_id: str, addr: str, now: float) -> None:
    since = now - THROTTLE_S
    for column, value in (("subject", user_id), ("addr", addr)):
        n = db.execute(
            f"SELECT COUNT(*) FROM web_audit WHERE action = 'login.failed' AND {column} = $1"
            " AND ts > $2",
            (value, since),
        ).fetchone()[0]
        if n >= MAX_FAILURES:
            raise Throttled(f"too many failed log-ins; try again in {THROTTLE_S / 60:.0f} minutes")


def session_for(db: Db, token: str | None) -> Session | None:
    """The live session of a cookie token (its idle clock restarted), or None."""
    if not token:
        return None
    now = time.time()
    found = rows(
        db,
        "SELECT s.user_id, u.role, s.csrf, s.token_hash, s.last_used, s.expires"
        " FROM web_sessions s JOIN web_users u ON u.user_id = s.user_id"
        " WHERE s.token_hash = $1 AND u.disabled = 0",
        [_digest(token)],
    )
    if not found or found[0]["expires"] < now or found[0]["last_used"] < now - IDLE_S:
        return None
    s = found[0]
    db.execute(
        "UPDATE web_sessions SET last_used = $1 WHERE token_hash = $2", (now, s["token_hash"])
    )
    return Session(s["user_id"], s["role"], s["csrf"], s["token_hash"])


def log_out(db: Db, session: Session, addr: str) -> None:
    """End a session (the cookie no longer opens anything)."""
    with db.transaction():
        db.execute("DELETE FROM web_sessions WHERE token_hash = $1", (session.token_hash,))
        audit(db, session.user_id, "logout", session.user_id, addr=addr)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
