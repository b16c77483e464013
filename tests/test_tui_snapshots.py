"""SVG snapshots of every console screen at 80x24, dark and 16-colour ANSI themes.

The daemon's answers here are fixed data (so the pictures are deterministic: frozen
clock, fixed times, fixed sequence numbers); the behaviour against a real daemon is
in test_tui_live.py. One data set is full of hostile strings that must show literally.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from edge.api.protocol import ApiError
from tui.app import BorderpostApp
from tui.client import EventCallback, LinkCallback
from tui.screens.detail import DetailScreen

pytestmark = pytest.mark.timeout(60)

FROZEN = dt.datetime(2026, 11, 29, 10, 0, 0, tzinfo=dt.UTC)
HOSTILE = "[/]x[@click=app.quit]y\x1b]0;x\x07z\u202eevil[b]bold"
REASONS = [
    "false match: different person",
    "identity confirmed: referred per instruction",
    "radiation: NORM cargo confirmed",
    "other (see note)",
]


def _event(seq: int, kind: str, payload: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "seq": seq,
        "uuid": f"u{seq}",
        "kind": kind,
        "priority": extra.pop("priority", 0),
        "wall_time": f"2026-11-29T09:{seq:02d}:00.000Z",
        "mono_time": float(seq),
        "clock_synced": True,
        "lane": "1",
        "device": "mrz-1",
        "payload": payload,
        "alert_ids": [],
        **extra,
    }


MRZ = {
    "format": "TD3",
    "document_code": "P",
    "issuing_state": "UTO",
    "surname": "ERIKSSON",
    "given_names": "ANNA MARIA",
    "document_number": "L898902C3",
    "nationality": "UTO",
    "birth_date": "1974-08-12",
    "sex": "F",
    "expiry_date": "2012-04-15",
    "valid": False,
    "checks": {
        "document_number": True,
        "birth_date": True,
        "expiry_date": False,
        "optional_data": None,
        "composite": False,
    },
    "corrections": ["document_number[3] O->0"],
    "warnings": ["expired"],
    "raw": [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ],
}
RPM = {
    "occupancy": 4711,
    "speed_kmh": 7.5,
    "peak_sigma": 9.3,
    "gamma_background_cps": 410,
    "gamma_alarm": True,
    "neutron_alarm": False,
    "norm_suspect": False,
    "gamma_profile": [400, 420, 450, 700, 1300, 1900, 1500, 800, 460, 420],
    "gamma_threshold": 1100,
}
HIT = {
    "list": "EU-consolidated v42",
    "entry_id": "EU.123",
    "category": "person",
    "score": 0.93,
    "band": "referral",
    "matched": "ERIKSSON, ANNA MARIA",
    "explain": {"alias": "ERIKSSON Anna Maria (latin)", "dob": "exact", "nationality": "same"},
}


def dataset(text: Callable[[str], str]) -> dict[str, Any]:
    """Fixed answers; ``text`` turns every untrusted string hostile or leaves it."""
    mrz = {**MRZ, "surname": text("ERIKSSON"), "document_number": text("L898902C3")}
    reading = _event(2, "mrz", mrz, alert_ids=[7], priority=2)
    alert = {
        "alert_id": 7,
        "event_seq": 2,
        "alert_seq": 3,
        "created": "2026-11-29T09:02:00.000Z",
        "kind": "watchlist",
        "severity": 2,
        "summary": text("ERIKSSON on EU list"),
        "state": "open",
        "hits": [{**HIT, "matched": text("ERIKSSON")}],
        "decision": None,
        "reason": None,
        "note": None,
        "officer_id": None,
        "decided": None,
    }
    rpm_alert = {
        **alert,
        "alert_id": 8,
        "event_seq": 4,
        "kind": "radiation",
        "summary": "gamma alarm, lane 1",
        "hits": [],
    }
    events = [
        _event(1, "barcode", {"number": text("CSQU3054383"), "summary": text("container")}),
        reading,
        _event(4, "rpm.occupancy", RPM, alert_ids=[8], priority=2),
        _event(5, "manual", {"document_number": "X1234567", "surname": text("DOE")}),
        _event(6, "device.fault", {"error": text("no line for 10 s")}, priority=1),
    ]
    device = {
        "name": text("rpm-1"),
        "kind": "rpm",
        "lane": "1",
        "url": "socket://127.0.0.1:1600",
        "state": "fault",
        "last_seen": "2026-11-29T09:59:50.000Z",
        "readings": 1200,
        "errors": 12,
        "fault": text("no line for 10 s"),
        "restarts": 1,
    }
    mrz_dev = {**device, "name": "mrz-1", "kind": "mrz", "state": "ok", "fault": None, "errors": 0}
    status = {
        "post_id": "post-01",
        "version": "0.1.0",
        "devices": [device, mrz_dev],
        "last_seq": 6,
        "backlog": 42,
        "evicted": 0,
        "last_ack_seq": 3,
        "watchlist_version": 42,
        "watchlist_age_s": 7300,
        "broker": {"connected": False, "mode": "offline", "host": "hq.example"},
        "lanes": {"1": {"protected": False, "rpm": "rpm-1"}},
        "clock_synced": True,
    }
    return {
        "hello": {
            "protocol": 1,
            "server": "borderpost/0.1.0",
            "post_id": "post-01",
            "reasons": REASONS,
        },
        "status": status,
        "events": {"events": events[::-1]},
        "event:2": {"event": reading, "alerts": [alert], "related": [events[3]]},
        "event:4": {"event": events[2], "alerts": [rpm_alert], "related": []},
        "alerts": {"alerts": [alert, rpm_alert]},
        "search": {"events": [reading, events[3]]},
        "devices": {"devices": [device, mrz_dev]},
        "device.raw": {
            "frames": [{"t": 100.5 + i, "hex": text("4753") + "2c30303031" * 3} for i in range(4)]
        },
        "config.get": {
            "devices": [
                {
                    "name": "rpm-1",
                    "kind": "rpm",
                    "url": "socket://127.0.0.1:1600",
                    "lane": "1",
                    "options": {"sigma": 5.0},
                },
                {"name": text("mrz-1"), "kind": "mrz"},
            ]
        },
        "system": {
            "version": "0.1.0",
            "disk_free_mb": 2048,
            "db_size_mb": 12.5,
            "clock_synced": False,
            "uptime_s": 7300,
        },
        "audit": {
            "rows": [
                {
                    "id": 3,
                    "ts": "2026-11-29T09:03:00Z",
                    "actor": "anna",
                    "action": "adjudicate",
                    "detail": text("alert 7 cleared"),
                },
                {
                    "id": 2,
                    "ts": "2026-11-29T09:01:00Z",
                    "actor": "sue",
                    "action": "officer.add",
                    "detail": "anna",
                },
            ],
            "chain_ok": False,
            "broken_at": 2,
        },
        "officers": {
            "officers": [
                {
                    "officer_id": "anna",
                    "name": text("Anna Eriksson"),
                    "role": "officer",
                    "disabled": False,
                    "failures": 0,
                },
                {
                    "officer_id": "tom",
                    "name": "Tom",
                    "role": "technician",
                    "disabled": True,
                    "failures": 3,
                },
            ]
        },
    }


class FixedBackend:
    """Answers from fixed data; never pushes events."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.hello: dict[str, Any] = data["hello"]

    async def call(self, request_type: str, /, **params: Any) -> dict[str, Any]:
        key = f"event:{params['seq']}" if request_type == "event" else request_type
        if key not in self.data:
            raise ApiError("not_found", f"no fixed answer for {key}")
        return copy.deepcopy(self.data[key])  # type: ignore[no-any-return]

    async def login(self, officer_id: str, pin: str) -> dict[str, Any]:
        return {"officer_id": officer_id, "name": officer_id.title(), "role": "officer"}

    async def logout(self) -> None:
        return None

    async def subscribe(self) -> None:
        return None

    async def run(self, on_event: EventCallback, on_link: LinkCallback) -> None:
        on_link(True, "connected")


ROLE = {
    "sensors": "technician",
    "config": "technician",
    "diagnostics": "technician",
    "sync": "technician",
    "system": "technician",
    "audit": "supervisor",
    "officers": "supervisor",
}


async def _open(pilot: Pilot[Any], view: str) -> None:
    app = pilot.app
    assert isinstance(app, BorderpostApp)
    await pilot.pause()
    if view != "login":
        role = ROLE.get(view.split(":")[0], "officer")
        await app.logged_in({"officer_id": "anna", "name": "Anna", "role": role})
        await _settle(pilot)
        await VIEWS[view](pilot, app)
    await _settle(pilot)
    app.clear_notifications()
    for box in app.screen.query(Input):
        box.cursor_blink = False  # a blinking cursor would make the picture depend on timing
    await pilot.pause()


async def _settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()


async def _go(name: str, pilot: Pilot[Any], app: BorderpostApp) -> None:
    app.action_go(name)


async def _detail(seq: int, pilot: Pilot[Any], app: BorderpostApp) -> None:
    await app.push_screen(DetailScreen(seq))


async def _adjudicate(pilot: Pilot[Any], app: BorderpostApp) -> None:
    app.action_go("alerts")
    await _settle(pilot)
    await pilot.press("enter")
    await _settle(pilot)
    await pilot.press("1")
    app.screen.query_one("#note", Input).value = "spoke to traveller"


async def _search(pilot: Pilot[Any], app: BorderpostApp) -> None:
    app.action_go("search")
    await _settle(pilot)
    app.screen.query_one("#document_number", Input).value = "L898902C3"
    await pilot.press("enter")


async def _help(pilot: Pilot[Any], app: BorderpostApp) -> None:
    app.action_help()


VIEWS: dict[str, Callable[[Pilot[Any], BorderpostApp], Any]] = {
    "lane": lambda p, a: _go("lane", p, a),
    "alerts": lambda p, a: _go("alerts", p, a),
    "detail-mrz": lambda p, a: _detail(2, p, a),
    "detail-rpm": lambda p, a: _detail(4, p, a),
    "adjudicate": _adjudicate,
    "manual": lambda p, a: _go("manual", p, a),
    "search": _search,
    "help": _help,
    "sensors": lambda p, a: _go("sensors", p, a),
    "config": lambda p, a: _go("config", p, a),
    "diagnostics": lambda p, a: _go("diagnostics", p, a),
    "sync": lambda p, a: _go("sync", p, a),
    "system": lambda p, a: _go("system", p, a),
    "audit": lambda p, a: _go("audit", p, a),
    "officers": lambda p, a: _go("officers", p, a),
}
HOSTILE_VIEWS = ("lane", "detail-mrz")
CASES = [(v, False) for v in ("login", *VIEWS)] + [(v, True) for v in HOSTILE_VIEWS]


@pytest.mark.parametrize("theme", ["dark", "ansi"])
@pytest.mark.parametrize(
    ("view", "hostile"), CASES, ids=[f"{v}{'-hostile' if h else ''}" for v, h in CASES]
)
def test_screen_snapshot(snap_compare: Any, theme: str, view: str, hostile: bool) -> None:
    data = dataset((lambda s: HOSTILE + s) if hostile else (lambda s: s))
    app = BorderpostApp(FixedBackend(data), theme=theme, clock=lambda: FROZEN)

    async def before(pilot: Pilot[Any]) -> None:
        await _open(pilot, view)
        if hostile:
            assert app.is_running, "a hostile string made the console quit"

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)
