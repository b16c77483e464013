"""The request handlers of the local API, over the post's services (``edge.services``)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from drivers.base import Reading
from drivers.events import Alert, Body, CodecError, WatchlistKey, decode_key
from edge import __version__
from edge.api.manual import manual_reading
from edge.api.params import integer, label, text
from edge.api.protocol import PROTOCOL, ApiError
from edge.api.server import Handler, Session
from edge.config import ConfigError, load, redacted
from edge.events import event_json
from edge.services import Device, Services
from edge.storage import StorageFull
from edge.store import NewEvent, StoreError, audit
from edge.store import alerts as alert_store
from edge.store import officers as officer_store
from edge.store.officers import LockedOut

Impl = Callable[[Services, Session, dict[str, Any]], Awaitable[dict[str, Any]]]
HANDLERS: dict[str, Impl] = {}
T = TypeVar("T")


def handler(name: str) -> Callable[[Impl], Impl]:
    """Register an implementation for request type ``name``."""

    def wrap(fn: Impl) -> Impl:
        HANDLERS[name] = fn
        return fn

    return wrap


def make_handlers(services: Services) -> dict[str, Handler]:
    """Every request type bound to ``services``; store errors become ``bad_request``."""
    return {name: functools.partial(_guarded, fn, services) for name, fn in HANDLERS.items()}


async def _guarded(
    fn: Impl, svc: Services, session: Session, request: dict[str, Any]
) -> dict[str, Any]:
    try:
        return await fn(svc, session, request)
    except (StoreError, ConfigError) as exc:
        raise ApiError("bad_request", str(exc)) from None
    except StorageFull as exc:  # the verdict goes with the refusal: the officer still sees it
        raise ApiError("storage_full", str(exc), alerts=exc.alerts) from None
    except LookupError as exc:
        raise ApiError("not_found", str(exc).strip("'\"")) from None


def _events(svc: Services, events: list[Any]) -> list[dict[str, Any]]:
    ids = svc.store.alert_ids_for([e.seq for e in events])
    return [event_json(e, ids.get(e.seq, [])) for e in events]


async def _off_loop(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` in a worker thread: hashing a PIN or waiting for the store's writer to
    commit must not hold up the loop."""
    call = functools.partial(fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(None, call)


def watchlist_keys(body: Body) -> list[WatchlistKey]:
    """The typed keys an alert was raised on (a key this version cannot type is skipped)."""
    keys = []
    for obj in body.keys if isinstance(body, Alert) else ():
        try:
            keys.append(decode_key(obj))
        except (CodecError, AttributeError):
            continue
    return keys


def _actor(session: Session) -> str:
    return session.officer["officer_id"] if session.officer else "anonymous"


@handler("hello")
async def _hello(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    return {
        "protocol": PROTOCOL,
        "server": f"borderpost/{__version__}",
        "post_id": svc.config.settings.post.id,
        "reasons": list(alert_store.REASONS),
    }


@handler("status")
async def _status(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    return {**svc.status.status(), "officer": session.officer}


@handler("login")
async def _login(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    officer_id, pin = text(req, "officer_id", 32), text(req, "pin", 64)
    auth = svc.config.settings.auth
    try:
        officer = await _off_loop(
            officer_store.login, svc.store, officer_id, pin,
            max_failures=auth.max_failures, lockout_s=auth.lockout_s,
        )  # fmt: skip
    except LockedOut as exc:
        raise ApiError(
            "locked_out", "too many failed log-ins", retry_after_s=round(exc.retry_after_s)
        ) from None
    if officer is None:
        raise ApiError("bad_credentials", "wrong officer ID or PIN")
    session.officer = {"officer_id": officer.officer_id, "name": officer.name, "role": officer.role}
    await svc.recorder.record_async(NewEvent("officer.login", {"officer_id": officer.officer_id}))
    return dict(session.officer)


@handler("logout")
async def _logout(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    if session.officer:
        await svc.recorder.record_async(NewEvent("officer.logout", {"officer_id": _actor(session)}))
    session.officer, session.subscribed = None, False
    return {}


@handler("subscribe")
async def _subscribe(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    kinds = req.get("kinds")
    if kinds is not None and (
        not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds)
    ):
        raise ApiError("bad_request", "kinds must be a list of event kinds")
    session.kinds = frozenset(kinds) if kinds is not None else None
    session.subscribed = True
    return {"last_seq": svc.store.last_seq()}


@handler("unsubscribe")
async def _unsubscribe(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    session.subscribed = False
    return {}


@handler("events")
async def _events_page(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    before = integer(req, "before_seq", None, 1, 2**62)
    events = svc.store.events(
        before_seq=before,
        limit=integer(req, "limit", 100, 1, 500),
        lane=text(req, "lane", 16, required=False),
        kind=text(req, "kind", 40, required=False),
    )
    return {"events": _events(svc, events)}


@handler("event")
async def _event(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    seq = integer(req, "seq", None, 1, 2**62, required=True)
    event = svc.store.get_event(seq)
    if event is None:
        raise ApiError("not_found", f"no event {seq}")
    number = event.payload.get("document_number")
    related = svc.store.search(document_number=str(number), limit=20, exact=True) if number else []
    return {
        "event": _events(svc, [event])[0],
        "alerts": alert_store.alerts_for_event(svc.store, seq),
        "related": _events(svc, [e for e in related if e.seq != seq]),
    }


@handler("alerts")
async def _alerts(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    state = text(req, "state", 8, required=False) or "open"
    if state not in ("open", "all"):
        raise ApiError("bad_request", "state must be open or all")
    limit = integer(req, "limit", 100, 1, 500)
    return {"alerts": alert_store.list_alerts(svc.store, state=state, limit=limit)}


@handler("adjudicate")
async def _adjudicate(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    decision = text(req, "decision", 10)
    if decision == "escalate" and req.get("confirm") is not True:
        raise ApiError("bad_request", "escalate needs confirm: true")
    d = alert_store.Decision(
        integer(req, "alert_id", None, 1, 2**62, required=True),
        decision,
        text(req, "reason", 100),
        text(req, "note", 500, required=False) or "",
        _actor(session),
    )
    alert, event = await _off_loop(alert_store.adjudicate, svc.store, d)
    if decision == "clear" and alert["kind"] == "watchlist":
        cause = svc.store.get_event(alert["alert_seq"])
        keys = watchlist_keys(cause.body) if cause else []
        await _off_loop(svc.screening.remember_cleared, keys, alert["hits"])
    return {"alert": alert, "event": event_json(event)}  # the recorder publishes the event


@handler("search")
async def _search(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    number = text(req, "document_number", 40, required=False)
    name = text(req, "name", 80, required=False)
    start, end = _date(req, "date_from"), _date(req, "date_to")
    if not (number or name or start or end):
        raise ApiError("bad_request", "give a document number, a name or a date")
    if end is not None:
        end += 86400
    events = svc.store.search(
        document_number=number,
        name=name,
        date_from=start,
        date_to=end,
        limit=integer(req, "limit", 100, 1, 500),
    )
    return {"events": _events(svc, events)}


def _date(req: dict[str, Any], key: str) -> float | None:
    value = text(req, key, 10, required=False)
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC).timestamp()
    except ValueError:
        raise ApiError("bad_request", f"{key} must be an ISO date (YYYY-MM-DD)") from None


@handler("manual")
async def _manual(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    reading = manual_reading(req, _actor(session))
    lane = label(req, "lane", 16) or "1"
    recorded = await svc.ingest(reading, lane=lane, device="manual")
    return {
        "event": event_json(recorded.event, list(recorded.alert_ids)),
        "alerts": alert_store.alerts_for_event(svc.store, recorded.event.seq),
    }


@handler("inject")
async def _inject(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    if not svc.allow_inject:
        raise ApiError("forbidden", "inject is enabled only with borderpost run --allow-inject")
    payload, keys = req.get("payload", {}), req.get("keys", [])
    if not isinstance(payload, dict) or not isinstance(keys, list):
        raise ApiError("bad_request", "payload must be an object and keys a list")
    try:
        reading = Reading.of(
            label(req, "kind", 40, required=True) or "",
            payload,
            integer(req, "priority", 0, 0, 2),
            [k for k in keys if isinstance(k, dict)],
            label(req, "alert", 40),
        )
    except CodecError as exc:
        raise ApiError("bad_request", str(exc)) from None
    recorded = await svc.ingest(
        reading, lane=label(req, "lane", 16), device=label(req, "device", 32)
    )
    return {"event": event_json(recorded.event, list(recorded.alert_ids))}


@handler("devices")
async def _devices(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    return {"devices": [d.as_json() for d in svc.devices.all()]}


def _runner(svc: Services, req: dict[str, Any]) -> Device:
    name = text(req, "name", 32)
    device = svc.devices.get(name)
    if device is None:
        raise ApiError("not_found", f"no device {name!r}")
    return device


@handler("device.reconnect")
async def _reconnect(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    _runner(svc, req).reconnect()
    return {}


@handler("device.raw")
async def _raw(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    runner, limit = _runner(svc, req), integer(req, "limit", 50, 1, 200)
    return {"frames": [{"t": t, "hex": h} for t, h in list(runner.raw)[-limit:]]}


@handler("config.get")
async def _config_get(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    return redacted(svc.config.settings)


@handler("config.set")
async def _config_set(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    name, key = text(req, "device", 32), text(req, "key", 32)
    if svc.devices.get(name) is None:
        raise ApiError("not_found", f"no device {name!r}")
    if key == "name" or "value" not in req:
        raise ApiError("bad_request", "give a device key other than name, and a value")
    overrides = svc.store.get_setting("overrides", {})
    merged = {"devices": {n: dict(v) for n, v in overrides.get("devices", {}).items()}}
    merged["devices"].setdefault(name, {})[key] = req["value"]
    settings = load(svc.config.config_path, merged)  # raises ConfigError: nothing changes
    await _off_loop(svc.store.set_setting, "overrides", merged, _actor(session))
    await svc.config.apply_device(name, settings)
    await svc.recorder.record_async(
        NewEvent(
            "config.change",
            {"device": name, "key": key, "value": req["value"], "by": _actor(session)},
        )
    )
    device = svc.devices.get(name)
    return {"device": device.as_json() if device is not None else None}


@handler("sync.now")
async def _sync_now(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    if svc.uplink is not None:
        svc.uplink.notify()
    return {}


@handler("system")
async def _system(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    return svc.status.system()


@handler("officers")
async def _officers(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    return {"officers": [dataclasses.asdict(o) for o in officer_store.listing(svc.store)]}


@handler("officer.add")
async def _officer_add(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    officer_id = text(req, "officer_id", 32)
    await _off_loop(
        officer_store.add,
        svc.store,
        officer_id,
        text(req, "name", 80),
        text(req, "role", 12),
        text(req, "pin", 64),
        _actor(session),
    )
    return {"officer_id": officer_id}


@handler("officer.disable")
async def _officer_disable(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    officer_id = text(req, "officer_id", 32)
    await _off_loop(officer_store.disable, svc.store, officer_id, _actor(session))
    return {"sessions_ended": svc.sessions.end_officer_sessions(officer_id)}


@handler("officer.reset_pin")
async def _officer_reset(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    await _off_loop(
        officer_store.reset_pin,
        svc.store, text(req, "officer_id", 32), text(req, "pin", 64), _actor(session),
    )  # fmt: skip
    return {}


@handler("audit")
async def _audit(svc: Services, session: Session, req: dict[str, Any]) -> dict[str, Any]:
    limit = integer(req, "limit", 100, 1, 500)
    report = audit.verify(svc.store.conn)
    rows = audit.recent(svc.store.conn, limit)
    return {"rows": rows, "chain_ok": report.ok, "broken_at": report.broken_at}
