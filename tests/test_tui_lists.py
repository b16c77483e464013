"""Lists keep the officer's place: a refresh never moves the cursor to another item (issue 27)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from conftest import RunningDaemon, start_daemon
from rich.text import Text
from test_tui_live import _start, decide, login, raise_alert, wait_for
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, Select

from edge.api.client import ApiClient
from tui.app import BorderpostApp
from tui.client import DaemonClient
from tui.rowlist import RowList
from tui.screens.alerts import AlertsScreen
from tui.screens.detail import DetailScreen
from tui.tables import cursor_key

pytestmark = pytest.mark.timeout(60)


def test_a_new_or_decided_alert_does_not_move_the_cursor(daemon: RunningDaemon) -> None:
    _start(daemon, "officer", _alerts_keep_cursor)


async def _alerts_keep_cursor(daemon: RunningDaemon) -> None:
    for _ in range(4):
        await asyncio.to_thread(raise_alert, daemon)
    app = BorderpostApp(DaemonClient(daemon.socket))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "user")
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, AlertsScreen))
        table = app.screen.query_one("#alerts-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 4)
        table.focus()
        await pilot.press("down", "down")
        assert cursor_key(table) == "3"
        await asyncio.to_thread(raise_alert, daemon)  # a new alert arrives
        await wait_for(pilot, lambda: table.row_count == 5)
        assert cursor_key(table) == "3"
        await asyncio.to_thread(
            decide, daemon, "user", 1, "clear"
        )  # another officer decides one above it
        await wait_for(pilot, lambda: table.row_count == 4)
        assert cursor_key(table) == "3"
        await pilot.press("enter")  # Enter opens the alert the officer was on, to decide it
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert isinstance(app.screen, DetailScreen)
        screen = app.screen
        await wait_for(pilot, lambda: screen.open_alert() is not None)
        assert screen.open_alert()["alert_id"] == 3  # type: ignore[index]


TWO_SCANNERS = """
[[devices]]
name = "scan-1"
kind = "scanner"
url = "socket://127.0.0.1:9"
lane = "1"

[[devices]]
name = "scan-2"
kind = "scanner"
url = "socket://127.0.0.1:9"
lane = "2"
"""


def test_device_settings_stay_on_the_chosen_device_after_apply(tmp_path: Path) -> None:
    config = tmp_path / "borderpost.toml"
    config.write_text(TWO_SCANNERS)
    daemon = start_daemon(tmp_path / "state", "--allow-inject", "--config", str(config))
    try:
        _start(daemon, "technician", _apply_twice)
    finally:
        daemon.stop()


def _devices(daemon: RunningDaemon) -> dict[str, dict[str, Any]]:
    with ApiClient(daemon.socket) as client:
        client.call("login", officer_id="user", pin="1234")
        return {d["name"]: d for d in client.call("config.get")["devices"]}


async def _apply_twice(daemon: RunningDaemon) -> None:
    from tui.screens.config import ConfigScreen

    before = await asyncio.to_thread(_devices, daemon)
    app = BorderpostApp(DaemonClient(daemon.socket))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "user")
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfigScreen))
        screen = app.screen
        select = screen.query_one("#device", Select)
        await wait_for(pilot, lambda: select.value == "scan-1")
        select.value = "scan-2"
        screen.query_one("#key", Input).value = "baudrate"
        screen.query_one("#value", Input).value = "19200"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "Applied" in str(screen.query_one("#config-answer").content))
        await wait_for(pilot, lambda: "19200" in str(screen.query_one("#config-current").content))
        assert select.value == "scan-2"
        assert screen.query_one("#key", Input).value == ""
        assert screen.query_one("#value", Input).value == ""
        await pilot.press("ctrl+r")  # a second Apply has nothing to apply
        await wait_for(
            pilot, lambda: "Choose a device" in str(screen.query_one("#config-answer").content)
        )
    after = await asyncio.to_thread(_devices, daemon)
    assert after["scan-2"]["baudrate"] == 19200
    assert after["scan-1"] == before["scan-1"]


class _ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield RowList([("Key", 6)], id="list")


def test_rowlist_keeps_the_cursor_on_its_row_when_the_rows_are_replaced() -> None:
    async def run() -> None:
        app = _ListApp()
        async with app.run_test(size=(40, 10)):
            rows = app.query_one("#list", RowList)
            rows.set_rows((k, (Text(k),)) for k in ("a", "b", "c"))
            rows.move_cursor(2)
            rows.set_rows((k, (Text(k),)) for k in ("z", "a", "b", "c"))
            assert rows.cursor_key == "c"
            rows.set_rows((k, (Text(k),)) for k in ("x", "y"))
            assert rows.cursor_key == "x"

    asyncio.run(run())
