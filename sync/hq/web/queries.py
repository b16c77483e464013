"""Every query the console makes of the HQ database, in one place.

``alert_page`` is the hot one (the alerts page, its filters and the live
stream all use it): it reads ``events`` through the index on
``(kind, received)`` — or ``(post_id, kind, received)`` with a post filter —
newest first, stopping at ``limit``, and joins the console's own
``web_alert_state`` by the alert's UUID. Strings from posts come back as
stored; the templates escape them and ``clean`` strips what must not be
shown at all.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Final

from sync.hq.db import Db, rows
from sync.hq.store import find_events
from sync.hq.terms import NAME_FIELDS
from sync.hq.web.auth import audit
from sync.outbox import PRIORITY_ALERT
from sync.sanitize import clean_payload, clean_text

STATUSES: Final = ("new", "assigned", "acknowledged")
BANDS: Final = {"alert": ">=", "notice": "<"}
ACTIONS: Final = ("acknowledge", "assign", "note")
ONLINE_WITHIN_S: Final = 120.0  # four of a post's 30 s status reports
MAX_FLAT: Final = 200
ALERT_COLUMNS: Final = (
    "e.uuid, e.post_id, e.epoch, e.seq, e.received, e.wall_time, e.priority, e.lane, e.device,"
    " e.payload, s.status, s.assignee"
)

# An event by UUID: event_keys holds every UUID once (uniquely indexed) with the event's key;
# PostgreSQL's events, partitioned by month, have no index of their own on the UUID.
BY_UUID: Final = (
    "event_keys k JOIN events e ON e.post_id = k.post_id AND e.epoch = k.epoch"
    " AND e.seq = k.seq AND e.received = k.received"
)


@dataclass(frozen=True)
class AlertFilters:
    """What the alerts page shows: a post, an alert kind, a band, a time window, a status."""

    post: str = ""
    kind: str = ""
    band: str = ""  # 'alert' (severity >= 2: referral, radiation, red lane) or 'notice'
    since: float | None = None  # HQ's receive time, seconds since the epoch
    until: float | None = None
    status: str = ""  # one of STATUSES, '' for any


class Params:
    """The values of one statement, each added where it is used and named ``$1``, ``$2``…"""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        """The placeholder of ``value`` in the statement being written."""
        self.values.append(value)
        return f"${len(self.values)}"


def alert_page(
    db: Db, filters: AlertFilters, limit: int = 100, after: float | None = None
) -> list[dict[str, Any]]:
    """The newest alerts matching ``filters`` (or, with ``after``, those received since,
    oldest first, for the live stream), each with its payload read and its HQ status."""
    p = Params()
    where = ["e.kind = 'alert'", *_filter_clauses(db, filters, p)]
    if after is not None:
        where.append(f"e.received > {p(after)}")
    order = "ASC" if after is not None else "DESC"
    sql = (
        f"SELECT {ALERT_COLUMNS} FROM events e"
        " LEFT JOIN web_alert_state s ON s.alert_uuid = e.uuid"
        f" WHERE {' AND '.join(where)} ORDER BY e.received {order} LIMIT {p(limit)}"
    )
    return [_alert(r) for r in rows(db, sql, p.values)]


def _filter_clauses(db: Db, f: AlertFilters, p: Params) -> list[str]:
    out = []
    if f.post:
        out.append(f"e.post_id = {p(f.post)}")
    if f.kind:
        out.append(f"{_json_text(db, 'e.payload', 'kind')} = {p(f.kind)}")
    if f.band in BANDS:
        out.append(f"e.priority {BANDS[f.band]} {p(PRIORITY_ALERT)}")
    if f.since is not None:
        out.append(f"e.received >= {p(f.since)}")
    if f.until is not None:
        out.append(f"e.received < {p(f.until)}")
    # As filters on the newest-first scan, not as joins: planners that cannot tell how many
    # alerts match otherwise read and sort every alert before the limit applies.
    if f.status == "new":
        out.append("e.uuid NOT IN (SELECT alert_uuid FROM web_alert_state)")
    elif f.status in STATUSES:
        out.append(
            f"e.uuid IN (SELECT alert_uuid FROM web_alert_state WHERE status = {p(f.status)})"
        )
    return out


def _json_text(db: Db, column: str, key: str) -> str:
    """SQL for a top-level text field of a JSON column (``key`` is a constant, never input)."""
    if db.kind == "postgresql":
        return f"(({column})::jsonb ->> '{key}')"
    return f"json_extract({column}, '$.{key}')"


def _payload(value: Any) -> dict[str, Any]:
    """A stored payload as a dict (text in SQLite, text or jsonb in PostgreSQL), every string
    in it cleaned (no controls or format characters such as bidi overrides)."""
    try:
        got = value if isinstance(value, dict) else json.loads(value)
    except (TypeError, ValueError):
        return {}
    return clean_payload(got) if isinstance(got, dict) else {}


def _alert(row: dict[str, Any]) -> dict[str, Any]:
    """An alert row for the pages and the live stream (every string cleaned)."""
    p = _payload(row.pop("payload"))
    hits = [h for h in p.get("hits", []) if isinstance(h, dict)]
    bands = [str(h["band"]) for h in hits if h.get("band")]
    return {
        **row,
        "status": row["status"] or "new",
        "kind": clean_text(str(p.get("kind", "")), 40),
        "summary": clean_text(str(p.get("summary", "")), 400),
        "band": "alert" if row["priority"] >= PRIORITY_ALERT else "notice",
        "match_band": clean_text(bands[0], 20) if bands else "",
        "alert_id": p.get("alert_id"),
        "event_seq": p.get("event_seq"),
        "hits": hits,
        "post_id": clean_text(str(row["post_id"]), 64),
        "lane": clean_text(str(row["lane"] or ""), 64),
    }


ALERT_KINDS: Final = ("watchlist", "radiation", "rpm-fault", "rules", "prearrival", "chip")


def post_ids(db: Db) -> list[str]:
    """Every registered post's id."""
    return [str(r["post_id"]) for r in rows(db, "SELECT post_id FROM posts ORDER BY post_id")]


# --- one alert ---------------------------------------------------------------------------


def alert_detail(db: Db, uuid: str) -> dict[str, Any] | None:
    """An alert with the event that raised it, the post's adjudications and HQ's actions."""
    found = rows(
        db,
        f"SELECT {ALERT_COLUMNS} FROM {BY_UUID} LEFT JOIN web_alert_state s"
        " ON s.alert_uuid = e.uuid WHERE k.uuid = $1 AND e.kind = 'alert'",
        [uuid],
    )
    if not found:
        return None
    alert = _alert(found[0])
    cause = rows(
        db,
        "SELECT kind, wall_time, lane, device, payload FROM events"
        " WHERE post_id = $1 AND epoch = $2 AND seq = $3",
        [alert["post_id"], alert["epoch"], alert["event_seq"] or -1],
    )
    alert["cause"] = {**cause[0], "payload": _payload(cause[0]["payload"])} if cause else None
    alert["adjudications"] = _adjudications(db, alert)
    alert["actions"] = rows(
        db,
        "SELECT ts, user_id, action, detail FROM web_alert_actions"
        " WHERE alert_uuid = $1 ORDER BY id",
        [uuid],
    )
    return alert


def _adjudications(db: Db, alert: dict[str, Any]) -> list[dict[str, Any]]:
    """The officer's decisions at the post on this alert (same post database, same id)."""
    found = rows(
        db,
        "SELECT wall_time, payload FROM events WHERE post_id = $1 AND kind = 'adjudication'"
        " AND received >= $2 ORDER BY received LIMIT 500",
        [alert["post_id"], alert["received"]],
    )
    out = []
    for r in found:
        p = _payload(r["payload"])
        if p.get("alert_id") == alert["alert_id"]:
            said = {k: clean_text(str(p.get(k) or ""), 400) for k in _ADJ_FIELDS}
            out.append({"wall_time": r["wall_time"], **said})
    return out


_ADJ_FIELDS: Final = ("decision", "reason", "note", "officer_id")


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested JSON as (dotted key, text) pairs, cleaned and bounded, for a key-value table."""
    out: list[tuple[str, str]] = []
    items: list[tuple[str, Any]]
    if isinstance(value, dict):
        items = [(f"{prefix}{clean_text(str(k), 64)}", v) for k, v in value.items()]
    elif isinstance(value, list | tuple):
        items = [(f"{prefix}{i}", v) for i, v in enumerate(value)]
    else:
        return [(prefix.rstrip("."), clean_text(str(value), 400))]
    for key, v in items:
        if isinstance(v, dict | list | tuple) and v:
            out.extend(flatten(v, key + "."))
        else:
            out.append((key, clean_text(json.dumps(v, ensure_ascii=False) if v == [] else str(v))))
        if len(out) >= MAX_FLAT:
            return out[:MAX_FLAT]
    return out


# --- actions -----------------------------------------------------------------------------


def act(db: Db, uuid: str, who: str, action: str, detail: str, addr: str) -> bool:
    """Acknowledge, assign (``detail``: to whom) or note an alert, audited; False when
    there is no such alert."""
    if action not in ACTIONS:
        raise ValueError(f"action {action!r}: use one of {', '.join(ACTIONS)}")
    found = db.execute(f"SELECT 1 FROM {BY_UUID} WHERE k.uuid = $1 AND e.kind = 'alert'", (uuid,))
    if found.fetchone() is None:
        return False
    detail, now = clean_text(detail, 1000), time.time()
    with db.transaction():
        db.execute(
            "INSERT INTO web_alert_actions (alert_uuid, ts, user_id, action, detail)"
            " VALUES ($1, $2, $3, $4, $5)",
            (uuid, now, who, action, detail),
        )
        _set_state(db, uuid, action, detail, now)
        audit(db, who, f"alert.{action}", uuid, detail, addr)
    return True


def _set_state(db: Db, uuid: str, action: str, detail: str, now: float) -> None:
    if action == "note":
        return
    status = "acknowledged" if action == "acknowledge" else "assigned"
    db.execute(
        "INSERT INTO web_alert_state (alert_uuid, status, assignee, updated)"
        " VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (alert_uuid) DO UPDATE SET updated = excluded.updated,"
        " assignee = COALESCE(excluded.assignee, web_alert_state.assignee),"
        " status = CASE WHEN web_alert_state.status = 'acknowledged' THEN 'acknowledged'"
        " ELSE excluded.status END",
        (uuid, status, detail if action == "assign" else None, now),
    )


# --- posts -------------------------------------------------------------------------------


def posts(db: Db, now: float | None = None) -> list[dict[str, Any]]:
    """Every post as its last status says: online, last seen, backlog, clock, devices and the
    versions in force, ``stale`` naming what the post itself reports as stale or expired."""
    now = time.time() if now is None else now
    found = rows(
        db,
        "SELECT post_id, last_seen, status, status_at, backlog, max_seq, events, alerts,"
        " conflicts FROM posts ORDER BY post_id",
    )
    return [_post(r, now) for r in found]


def _post(r: dict[str, Any], now: float) -> dict[str, Any]:
    status = _payload(r.pop("status"))
    fresh = r["status_at"] is not None and now - float(r["status_at"]) <= ONLINE_WITHIN_S
    prearrival, csca = _section(status, "prearrival"), _section(status, "csca")
    stale = [
        name
        for name, flag in (
            ("watchlist", status.get("watchlist_stale")),
            ("rule pack", status.get("rules_expired")),
            ("pre-arrival", prearrival.get("stale")),
        )
        if flag
    ]
    devices = [d for d in status.get("devices", []) if isinstance(d, dict)]
    return {
        **r,
        "post_id": clean_text(str(r["post_id"]), 64),
        "online": bool(fresh and status.get("online")),
        "clock_synced": status.get("clock_synced"),
        "post_time": status.get("ts"),
        "devices": [
            {k: clean_text(str(d.get(k) or ""), 80) for k in ("name", "kind", "state", "fault")}
            for d in devices
        ],
        "versions": {
            "watchlist": _text(status.get("watchlist_version")),
            "rule pack": _text(status.get("rules_version")),
            "master list": _text(csca.get("version")),
            "pre-arrival": _text(prearrival.get("version")),
        },
        "stale": stale,
    }


def _section(status: dict[str, Any], key: str) -> dict[str, Any]:
    value = status.get(key)
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return "" if value is None else clean_text(str(value), 80)


# --- traffic -----------------------------------------------------------------------------


def traffic(db: Db, hours: int = 24, now: float | None = None) -> dict[str, Any]:
    """Events and alerts per post per hour over the last ``hours`` (through the index on
    ``received``): the hours' starts and, per post, two lists of counts."""
    now = time.time() if now is None else now
    first = int(now // 3600) - hours + 1
    pg = db.kind == "postgresql"
    bucket = "FLOOR(received / 3600)" if pg else "CAST(received / 3600 AS INTEGER)"
    # Without statistics SQLite would rather scan all of (post_id, kind, received), which
    # covers the query, than read the window's range of (received): tell it.
    source = "events" if pg else "events INDEXED BY events_received"
    found = rows(
        db,
        f"SELECT post_id, {bucket} AS hour, COUNT(*) AS n,"
        " SUM(CASE WHEN kind = 'alert' THEN 1 ELSE 0 END) AS alerts"
        f" FROM {source} WHERE received >= $1 GROUP BY post_id, hour",
        [first * 3600.0],
    )
    series: dict[str, dict[str, list[int]]] = {}
    for r in found:
        post = series.setdefault(clean_text(str(r["post_id"]), 64), _empty(hours))
        i = int(r["hour"]) - first
        if 0 <= i < hours:
            post["events"][i] += int(r["n"])
            post["alerts"][i] += int(r["alerts"] or 0)
    return {
        "hours": [(first + i) * 3600 for i in range(hours)],
        "posts": dict(sorted(series.items())),
    }


def _empty(hours: int) -> dict[str, list[int]]:
    return {"events": [0] * hours, "alerts": [0] * hours}


# --- search ------------------------------------------------------------------------------

SEARCH_FIELDS: Final = {
    # what the search page offers: the payload fields (sync/hq/terms.py) each one looks in
    "document": ("document_number", "number"),
    "name": tuple(sorted(NAME_FIELDS)),
    "plate": ("plate", "vin"),
    "mrn": ("mrn",),
    "container": ("container", "container_number", "number"),
}


def search(db: Db, field: str, text: str, since: float, limit: int = 100) -> list[dict[str, Any]]:
    """Events received since ``since`` found by ``text`` — a prefix of a term in one of the
    ``field`` category's payload fields (a SEARCH_FIELDS key) — newest first."""
    found = find_events(db, text, fields=SEARCH_FIELDS[field], since=since, limit=limit)
    return [_found(r) for r in found]


def _found(r: dict[str, Any]) -> dict[str, Any]:
    """A search result: the event's header and the payload values of the field that matched."""
    field = r["field"]
    pairs = flatten(_payload(r.pop("payload")))
    values = [v for k, v in pairs if k.rsplit(".", 1)[-1] == field] or [str(r["term"])]
    post, lane = clean_text(str(r["post_id"]), 64), clean_text(str(r["lane"] or ""), 64)
    return {**r, "post_id": post, "lane": lane, "values": values}
