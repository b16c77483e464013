"""The console against a real daemon: log in, live lane, alerts, adjudication, roles."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from conftest import RunningDaemon
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from edge.api.client import ApiClient
from edge.store import Store, officers
from tui.app import BorderpostApp
from tui.client import DaemonClient
from tui.rowlist import RowList
from tui.screens.adjudicate import ConfirmDialog
from tui.screens.detail import DetailScreen
from tui.screens.lane import LaneScreen
from tui.screens.login import LoginScreen

pytestmark = pytest.mark.timeout(60)
FLOW_DEADLINE = 45  # below the timeout, so a hung flow says where it waits


def run_flow(flow: Coroutine[Any, Any, None]) -> None:
    """Run a console flow; past ``FLOW_DEADLINE`` print where every task waits, then fail.

    The stacks go to the process's own stderr, which pytest does not capture: a
    hang whose cleanup hangs too still leaves them in the log.
    """

    async def guarded() -> None:
        task = asyncio.ensure_future(flow)
        done, _ = await asyncio.wait({task}, timeout=FLOW_DEADLINE)
        if done:
            return task.result()
        for waiting in asyncio.all_tasks():
            print(f"--- {waiting.get_name()}", *_awaits(waiting.get_coro()), file=sys.__stderr__)
        pytest.fail(f"the console flow did not end in {FLOW_DEADLINE} s (stacks on stderr)")

    asyncio.run(guarded())


def _awaits(coro: object) -> list[str]:
    """Where a suspended coroutine waits, outermost first, following what each awaits."""
    lines = []
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is not None:
            lines.append(f"\n  {frame.f_code.co_filename}:{frame.f_lineno} {frame.f_code.co_name}")
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return lines


def add_officer(daemon: RunningDaemon, officer_id: str, role: str, pin: str = "1234") -> None:
    """Create an officer straight in the daemon's store (as `borderpost officer add` does)."""
    store = Store.open(daemon.state_dir / "events.db")
    officers.add(store, officer_id, officer_id.title(), role, pin, "test")
    store.close()


def inject(daemon: RunningDaemon, **request: Any) -> dict[str, Any]:
    """Create an event through the daemon's `inject` request."""
    with ApiClient(daemon.socket) as client:
        return client.call("inject", **request)["event"]


def raise_alert(daemon: RunningDaemon) -> dict[str, Any]:
    """An MRZ read on lane 1 with a watchlist alert (the event, with its ``alert_ids``)."""
    return inject(daemon, kind="mrz", payload=MRZ_PAYLOAD, priority=2, alert="watchlist", lane="1")


def decide(
    daemon: RunningDaemon, officer_id: str, alert_id: int, decision: str, **extra: Any
) -> None:
    """``officer_id`` decides an alert over the API, giving the first reason the daemon offers."""
    with ApiClient(daemon.socket) as client:
        client.call("login", officer_id=officer_id, pin="1234")
        reason = client.hello["reasons"][0]
        client.call("adjudicate", alert_id=alert_id, decision=decision, reason=reason, **extra)


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
    await wait_for(
        pilot, lambda: app.officer is not None and not isinstance(app.screen, LoginScreen)
    )


MRZ_PAYLOAD = {"document_number": "L898902C3", "surname": "ERIKSSON", "given_names": "ANNA MARIA",
               "format": "TD3", "valid": True, "checks": {"document_number": True}}  # fmt: skip


def test_officer_sees_a_scan_and_adjudicates_its_alert(daemon: RunningDaemon) -> None:
    add_officer(daemon, "anna", "officer")
    run_flow(_officer_flow(daemon))


async def _officer_flow(daemon: RunningDaemon) -> None:
    app = BorderpostApp(DaemonClient(daemon.socket))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "anna")
        await wait_for(pilot, lambda: isinstance(app.screen, LaneScreen))
        lane = app.screen
        assert isinstance(lane, LaneScreen)
        event = await asyncio.to_thread(raise_alert, daemon)
        table = lane.query_one("#lane-table", RowList)
        await wait_for(pilot, lambda: table.has_row(str(event["seq"])))
        await wait_for(pilot, lambda: len(app.open_alerts) == 1)
        assert app.screen.query_one("#banner").display
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        await wait_for(pilot, lambda: app.screen.open_alert() is not None)  # type: ignore[attr-defined]
        await pilot.press("1", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.open_alerts)
        with ApiClient(daemon.socket) as client:
            client.call("login", officer_id="anna", pin="1234")
            alerts = client.call("alerts", state="all")["alerts"]
        assert [a["state"] for a in alerts] == ["escalated"]


def _start(daemon: RunningDaemon, role: str, flow: Callable[..., Any], *args: Any) -> None:
    add_officer(daemon, "user", role)
    run_flow(flow(daemon, *args))


def test_officer_types_a_document_number_and_searches_for_it(daemon: RunningDaemon) -> None:
    _start(daemon, "officer", _manual_and_search)


async def _manual_and_search(daemon: RunningDaemon) -> None:
    from tui.screens.detail import DetailScreen
    from tui.screens.manual import ManualDialog
    from tui.screens.search import SearchScreen

    app = BorderpostApp(DaemonClient(daemon.socket))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "user")
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, ManualDialog))
        app.screen.query_one("#number", Input).value = "x1234567"
        await pilot.press("enter")  # Enter sends (F2 is the live lane everywhere)
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        await wait_for(pilot, lambda: "X1234567" in _text(app, "#detail-text"))
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        app.screen.query_one("#document_number", Input).value = "X1234567"
        await pilot.press("enter")
        table = app.screen.query_one("#search-table", RowList)
        await wait_for(pilot, lambda: table.row_count == 1)


def _text(app: BorderpostApp, selector: str) -> str:
    from textual.widgets import Static

    return str(app.screen.query_one(selector, Static).content)


SCANNER_CONFIG = """
[[devices]]
name = "scan-1"
kind = "scanner"
url = "socket://127.0.0.1:9"
lane = "2"
"""


@pytest.fixture
def configured(tmp_path: Path) -> Any:
    """A real daemon with one (unreachable) scanner configured."""
    from conftest import start_daemon

    config = tmp_path / "borderpost.toml"
    config.write_text(SCANNER_CONFIG)
    running = start_daemon(tmp_path / "state", "--allow-inject", "--config", str(config))
    yield running
    running.stop()


def test_technician_screens_work_against_the_daemon(
    configured: RunningDaemon, tmp_path: Path
) -> None:
    _start(configured, "technician", _technician, tmp_path)


async def _technician(daemon: RunningDaemon, tmp_path: Path) -> None:
    from tui.screens.config import ConfigScreen
    from tui.screens.sensors import SensorsScreen

    bundles = tmp_path / "bundles"  # --bundle-dir names a folder not made yet: the console makes it
    app = BorderpostApp(DaemonClient(daemon.socket), bundle_dir=bundles)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "user")
        await wait_for(pilot, lambda: isinstance(app.screen, SensorsScreen))
        assert app.check_action("go", ("alerts",)) is False  # an officer's page
        table = app.screen.query_one("#sensors-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfigScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.query_one("#device", Select).value == "scan-1")
        screen.query_one("#key", Input).value = "baudrate"
        screen.query_one("#value", Input).value = '"fast"'
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "Not applied" in _text(app, "#config-answer"))
        screen.query_one("#value", Input).value = "19200"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "Applied" in _text(app, "#config-answer"), timeout=15)
        await pilot.press("f10")
        await wait_for(pilot, lambda: "version" in _text(app, "#system-text"))
        await pilot.press("b")
        await wait_for(pilot, lambda: list(bundles.glob("borderpost-support-*.json")))
        written = next(bundles.glob("borderpost-support-*.json"))
        assert written.stat().st_mode & 0o777 == 0o600
        bundle = written.read_text()
        assert "scan-1" in bundle and '"user"' not in bundle and "officer" not in bundle


def test_supervisor_adds_and_disables_an_officer(daemon: RunningDaemon) -> None:
    _start(daemon, "supervisor", _supervisor)


async def _supervisor(daemon: RunningDaemon) -> None:
    from tui.screens.officers import FormDialog

    app = BorderpostApp(DaemonClient(daemon.socket))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "user")
        await pilot.press("f12")
        table = app.screen.query_one("#officers-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        for key, value in (("officer_id", "bob"), ("name", "Bob"), ("role", "chief")):
            form.query_one(f"#f-{key}", Input).value = value
        form.query_one("#f-pin", Input).value = "9876"
        form.query_one("#f-pin", Input).focus()
        await pilot.press("enter")  # refused (no such role): the dialog stays with what was typed
        await wait_for(pilot, lambda: "Refused" in str(form.query_one("#dialog-error").render()))
        assert app.screen is form and form.query_one("#f-officer_id", Input).value == "bob"
        form.query_one("#f-role", Input).value = "officer"
        await pilot.press("enter")
        await wait_for(pilot, lambda: table.row_count == 2)
        table.move_cursor(row=[o["officer_id"] for o in app.screen.officers].index("bob"))
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: any(o.get("disabled") for o in app.screen.officers))
        await pilot.press("f11")
        await wait_for(pilot, lambda: "intact" in _text(app, "#audit-chain"))


HOSTILE = "[/]x[@click=app.quit]y\x1b]0;x\x07z\u202eevil"


def test_reconnects_by_itself_and_shows_hostile_text_literally(tmp_path: Path) -> None:
    from conftest import start_daemon

    daemon = start_daemon(tmp_path / "state", "--allow-inject")
    add_officer(daemon, "user", "officer")
    try:
        run_flow(_reconnect(daemon, tmp_path))
    finally:
        for running in _restarted:
            running.stop()
        daemon.stop()


_restarted: list[RunningDaemon] = []


async def _reconnect(daemon: RunningDaemon, tmp_path: Path) -> None:
    from conftest import start_daemon

    app = BorderpostApp(DaemonClient(daemon.socket))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "user")
        await wait_for(pilot, lambda: isinstance(app.screen, LaneScreen))
        await asyncio.to_thread(daemon.stop)
        await wait_for(pilot, lambda: not app.link_up)
        _restarted.append(
            await asyncio.to_thread(start_daemon, tmp_path / "state", "--allow-inject")
        )
        await wait_for(pilot, lambda: app.link_up, timeout=15)
        assert app.officer is not None  # logged in again without asking
        payload = {"document_number": HOSTILE, "surname": HOSTILE}
        event = await asyncio.to_thread(inject, _restarted[0], kind="mrz", payload=payload)
        lane = app.screen
        assert isinstance(lane, LaneScreen)
        table = lane.query_one("#lane-table", RowList)
        await wait_for(pilot, lambda: table.has_row(str(event["seq"])))
        cells = [str(c) for c in table.get_row(str(event["seq"]))]
        assert any(c.startswith("[/]x[@click=app.quit]y]0;xz") for c in cells), cells
        table.move_cursor(table.row_index(str(event["seq"])))
        await pilot.press("d")
        await wait_for(pilot, lambda: "evil" in _text(app, "#detail-text"))
        assert "[/]x[@click=app.quit]y]0;xzevil" in _text(app, "#detail-text")
        assert app.is_running
