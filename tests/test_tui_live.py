"""The console against a real daemon: log in, live lane, alerts, adjudication, roles."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from conftest import RunningDaemon
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from edge.api.client import ApiClient
from edge.store import Store, officers
from tui.app import BorderpostApp
from tui.client import DaemonClient
from tui.screens.adjudicate import AdjudicateDialog, ConfirmDialog
from tui.screens.lane import LaneScreen

pytestmark = pytest.mark.timeout(60)


def add_officer(daemon: RunningDaemon, officer_id: str, role: str, pin: str = "1234") -> None:
    """Create an officer straight in the daemon's store (as `borderpost officer add` does)."""
    store = Store.open(daemon.state_dir / "events.db")
    officers.add(store, officer_id, officer_id.title(), role, pin, "test")
    store.close()


def inject(daemon: RunningDaemon, **request: Any) -> dict[str, Any]:
    """Create an event through the daemon's `inject` request."""
    with ApiClient(daemon.socket) as client:
        return client.call("inject", **request)["event"]


async def wait_for(pilot: Pilot[Any], predicate: Callable[[], object], timeout: float = 10) -> None:
    """Let the app run until ``predicate`` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out waiting for the console"
        await pilot.pause(0.05)


async def login(pilot: Pilot[Any], officer_id: str, pin: str = "1234") -> None:
    """Type the ID and PIN on the log-in screen."""
    app = pilot.app
    assert isinstance(app, BorderpostApp)
    await wait_for(pilot, lambda: app.link_up)
    app.screen.query_one("#officer-id", Input).value = officer_id
    app.screen.query_one("#pin", Input).value = pin
    app.screen.query_one("#pin", Input).focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.officer is not None)


MRZ_PAYLOAD = {"document_number": "L898902C3", "surname": "ERIKSSON", "given_names": "ANNA MARIA",
               "format": "TD3", "valid": True, "checks": {"document_number": True}}  # fmt: skip


def test_officer_sees_a_scan_and_adjudicates_its_alert(daemon: RunningDaemon) -> None:
    add_officer(daemon, "anna", "officer")
    asyncio.run(_officer_flow(daemon))


async def _officer_flow(daemon: RunningDaemon) -> None:
    app = BorderpostApp(DaemonClient(daemon.socket))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "anna")
        await wait_for(pilot, lambda: isinstance(app.screen, LaneScreen))
        lane = app.screen
        assert isinstance(lane, LaneScreen)
        event = await asyncio.to_thread(
            inject, daemon, kind="mrz", payload=MRZ_PAYLOAD, priority=2, alert="watchlist", lane="1"
        )
        table = lane.query_one("#lane-table", DataTable)
        await wait_for(pilot, lambda: str(event["seq"]) in [k.value for k in table.rows])
        await wait_for(pilot, lambda: len(app.open_alerts) == 1)
        assert app.screen.query_one("#banner").display
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AdjudicateDialog))
        app.screen.query_one("#reason", Select).value = "false match: different person"
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.open_alerts)
        with ApiClient(daemon.socket) as client:
            client.call("login", officer_id="anna", pin="1234")
            alerts = client.call("alerts", state="all")["alerts"]
        assert [a["state"] for a in alerts] == ["escalated"]
