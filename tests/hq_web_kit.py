"""Shared pieces of the HQ web console tests: a seeded HQ store, users, alert events.

The HQ database is real (a SQLite file, or PostgreSQL through the
``postgres_url`` fixture) and filled through the store's own API
(``HqStore.store_batch``), as the receiver fills it.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sync.hq.db import Db
from sync.hq.migrations import open_db
from sync.hq.store import HqStore
from sync.hq.web import auth
from sync.outbox import OutboundEvent

HOSTILE = "<script>alert(1)</script> {{7*7}} \u202eevil"
PASSWORD = "correct horse battery"
POSTS = ("post-a", "post-b")


def event(seq: int, kind: str, payload: dict[str, Any], priority: int = 0) -> OutboundEvent:
    """One event as a post sends it."""
    return OutboundEvent(
        seq, str(uuid.uuid4()), kind, priority, time.time(), time.monotonic(), True, "lane-1",
        "dev", payload,
    )  # fmt: skip


def alert(
    seq: int, cause: int, summary: str, kind: str = "watchlist", priority: int = 2
) -> OutboundEvent:
    """An alert event raised by the event ``cause`` (sequence) with one watchlist hit."""
    hit = {"entry_id": "E1", "list": "national", "category": "wanted", "action": "stop",
           "score": 0.97, "band": "referral", "matched": summary,
           "explain": {"why": summary}}  # fmt: skip
    body = {"alert_id": seq, "event_seq": cause, "event_uuid": "", "kind": kind,
            "severity": priority, "summary": summary, "hits": [hit], "keys": []}  # fmt: skip
    return event(seq, "alert", body, priority)


def mrz(seq: int, surname: str, number: str) -> OutboundEvent:
    """A passport read."""
    body = {"surname": surname, "given_names": "ANNA", "document_number": number, "valid": True}
    return event(seq, "mrz", body)


def seed(target: str | Path) -> HqStore:
    """Two posts; post-a: a hostile passport read and its alert, then an adjudication;
    post-b: a routine read and a radiation alert. post-a reports a stale watchlist."""
    store = HqStore(target)
    for post in POSTS:
        store.add_post(post, bytes(32))
    adjudication = {"alert_id": 2, "event_seq": 1, "decision": "refer", "reason": "checked",
                    "note": HOSTILE, "officer_id": "o-7"}  # fmt: skip
    store.store_batch("post-a", "b1", [mrz(1, HOSTILE, "X1234567"), alert(2, 1, HOSTILE),
                                       event(3, "adjudication", adjudication, 1)])  # fmt: skip
    store.store_batch("post-b", "b2", [mrz(1, "SMITH", "P7654321"),
                                       alert(2, 1, "radiation alarm", "radiation")])  # fmt: skip
    store.record_status("post-a", {"online": True, "backlog": 3, "clock_synced": False,
                                   "watchlist_version": 41, "watchlist_stale": True,
                                   "rules_version": "r-9", "devices": [
                                       {"name": HOSTILE, "kind": "rpm", "state": "fault",
                                        "fault": "no data"}]})  # fmt: skip
    return store


def web_db(target: str | Path) -> Db:
    """The console's own connection to the HQ database."""
    return open_db(target)


def add_user(target: str | Path, user: str, role: str) -> None:
    """A console user with ``PASSWORD``."""
    db = web_db(target)
    try:
        auth.add_user(db, user, role, PASSWORD)
    finally:
        db.close()


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@contextmanager
def serving(db: Path, *extra: str) -> Iterator[str]:
    """`borderpost hq web` as its own process on a free loopback port: its URL (no '/')."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    command = ["hq", "web", "--db", str(db), "--listen", f"127.0.0.1:{port}", *extra]
    proc = subprocess.Popen(
        [sys.executable, "-m", "edge", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    try:
        yield str(json.loads(proc.stdout.readline())["hq_web"]).rstrip("/")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
