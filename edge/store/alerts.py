"""Alerts and the officer's adjudication of them."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from drivers.events import Adjudication, Event, encode_body
from edge.sanitize import clean_text
from edge.store import audit
from edge.store.store import NewEvent, Store, StoreError, record_in
from edge.store.writer import Tx
from sync.outbox import PRIORITY_NOTICE

DECISIONS = {"clear": "cleared", "refer": "referred", "escalate": "escalated"}
REASONS = (
    "false match: different person",
    "false match: different document",
    "identity confirmed: referred per instruction",
    "radiation: NORM cargo confirmed",
    "radiation: source found",
    "radiation: background or fault",
    "document defect",
    "other (see note)",
)
ALERT_COLUMNS = (
    "alert_id, event_seq, alert_seq, created, kind, severity, summary, hits, state,"
    " decision, reason, note, officer_id, decided, decision_seq"
)


def _alert_row(row: tuple[Any, ...]) -> dict[str, Any]:
    names = [c.strip() for c in ALERT_COLUMNS.split(",")]
    alert = dict(zip(names, row, strict=True))
    alert["hits"] = json.loads(alert["hits"])
    return alert


def get_alert(store: Store, alert_id: int) -> dict[str, Any] | None:
    """One alert as a dict, or None."""
    return _get_alert(store.conn, alert_id)


def _get_alert(conn: sqlite3.Connection, alert_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        f"SELECT {ALERT_COLUMNS} FROM alerts WHERE alert_id = ?", (alert_id,)
    ).fetchone()
    return _alert_row(row) if row else None


def list_alerts(store: Store, *, state: str = "open", limit: int = 100) -> list[dict[str, Any]]:
    """Open alerts oldest first, or all alerts newest first."""
    if state == "open":
        sql = f"SELECT {ALERT_COLUMNS} FROM alerts WHERE state = 'open' ORDER BY alert_id LIMIT ?"
    else:
        sql = f"SELECT {ALERT_COLUMNS} FROM alerts ORDER BY alert_id DESC LIMIT ?"
    return [_alert_row(r) for r in store.conn.execute(sql, (limit,))]


def alerts_for_event(store: Store, seq: int) -> list[dict[str, Any]]:
    """The alerts an event raised."""
    sql = f"SELECT {ALERT_COLUMNS} FROM alerts WHERE event_seq = ? ORDER BY alert_id"
    return [_alert_row(r) for r in store.conn.execute(sql, (seq,))]


@dataclass(frozen=True)
class Decision:
    """An officer's verdict on one alert."""

    alert_id: int
    decision: str
    reason: str
    note: str
    officer_id: str


def adjudicate(store: Store, d: Decision) -> tuple[dict[str, Any], Event]:
    """Record a decision as an event, update the alert, audit it — one transaction.

    It goes through the store's writer like every event, so the console and
    the uplink hear of it the same way.
    """
    if d.decision not in DECISIONS:
        raise StoreError(f"decision must be one of {', '.join(DECISIONS)}")
    if d.reason not in REASONS:
        raise StoreError("reason must be one of the listed reasons")
    return store.write(lambda tx: _adjudicate(tx, d, clean_text(d.note, 500)))


def _adjudicate(tx: Tx, d: Decision, note: str) -> tuple[dict[str, Any], Event]:
    alert = _get_alert(tx.conn, d.alert_id)
    if alert is None:
        raise LookupError(f"no alert {d.alert_id}")
    if alert["state"] != "open":
        raise StoreError(f"alert {d.alert_id} is already {alert['state']}")
    body = Adjudication(
        alert_id=d.alert_id, event_seq=alert["event_seq"], decision=d.decision, reason=d.reason,
        note=note, officer_id=d.officer_id,
    )  # fmt: skip
    event = record_in(tx, NewEvent("adjudication", body, PRIORITY_NOTICE)).event
    tx.conn.execute(
        "UPDATE alerts SET state = ?, decision = ?, reason = ?, note = ?, officer_id = ?,"
        " decided = ?, decision_seq = ? WHERE alert_id = ?",
        (DECISIONS[d.decision], d.decision, d.reason, note, d.officer_id, event.wall_time,
         event.seq, d.alert_id),
    )  # fmt: skip
    audit.append(tx.conn, d.officer_id, "adjudicate", encode_body(body))
    updated = _get_alert(tx.conn, d.alert_id)
    assert updated is not None
    return updated, event
