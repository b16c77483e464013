"""Issue 27's console defects, each with a test that fails without its fix: a frozen daemon
is said to be not answering, an unprotected lane is a banner and a bell with the reason in
words, the banner names the newest alert and is never cut at 80 columns, the command palette
offers no screenshot, the help screen lists only the console's own keys."""

from __future__ import annotations

import asyncio
import signal
import time
from typing import Any

import pytest
from conftest import RunningDaemon
from test_tui_live import add_officer, login, wait_for
from test_tui_snapshots import FROZEN, FixedBackend, _settle, dataset

from tui.app import BorderpostApp
from tui.client import DaemonClient
from tui.widgets import banner_text, remember_portal_fault, unprotected_lanes

pytestmark = pytest.mark.timeout(60)


def test_a_frozen_daemon_is_not_answering_within_5_s(daemon: RunningDaemon) -> None:
    add_officer(daemon, "anna", "officer")
    asyncio.run(_frozen(daemon))


async def _frozen(daemon: RunningDaemon) -> None:
    app = BorderpostApp(DaemonClient(daemon.socket))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "anna")
        status = app.screen.query_one("#status")
        assert "DAEMON ok" in str(status.render())
        daemon.proc.send_signal(signal.SIGSTOP)
        try:
            frozen_at = time.monotonic()
            await wait_for(pilot, lambda: "NOT ANSWERING" in str(status.render()), timeout=8)
            assert time.monotonic() - frozen_at <= 5.0
        finally:
            daemon.proc.send_signal(signal.SIGCONT)
        await wait_for(pilot, lambda: "DAEMON ok" in str(status.render()), timeout=8)


FAULT = {"kind": "rpm.fault", "device": "rpm-1",
         "payload": {"fault": "silence", "detail": "no line for 58.2 s"}}  # fmt: skip


def test_the_unprotected_lane_says_why_in_words() -> None:
    words: dict[str, str] = {}
    remember_portal_fault(words, FAULT)
    status = {"lanes": {"1": {"protected": False, "rpm": "rpm-1", "faults": ["silence"]},
                        "2": {"protected": False, "rpm": None, "faults": []}}}  # fmt: skip
    lanes = unprotected_lanes(status, words)
    assert lanes == [("1", "rpm-1: silence - no line for 58.2 s")]
    line = banner_text([], lanes).plain
    assert line.startswith(" LANE 1 NOT PROTECTED ") and "no line for 58.2 s" in line
    remember_portal_fault(words, {**FAULT, "payload": {"fault": "silence", "cleared": True}})
    assert unprotected_lanes(status, words) == [("1", "rpm-1: silence")]


def test_an_unprotected_lane_rings_and_shows_the_banner() -> None:
    data = dataset(lambda s: s)
    data["alerts"] = {"alerts": []}
    app = BorderpostApp(FixedBackend(data), clock=lambda: FROZEN)
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await app.logged_in({"officer_id": "anna", "name": "Anna", "role": "officer"})
            await _settle(pilot)
            await pilot.pause(0.2)
            banner = app.screen.query_one("#banner")
            assert banner.display
            assert "LANE 1 NOT PROTECTED" in str(banner.render())

    asyncio.run(run())
    assert rings, "no bell when the lane lost its protection"


def _alert(alert_id: int, summary: str) -> dict[str, Any]:
    return {"alert_id": alert_id, "kind": "watchlist", "summary": summary}


def test_the_banner_names_the_newest_alert_and_fits_80_columns() -> None:
    alerts = [_alert(3, "old one"), _alert(9, "NEWEST " + "X" * 200), _alert(5, "middle")]
    line = banner_text(alerts).plain
    assert len(line) <= 80, line
    assert "NEWEST XXX" in line and line.endswith("F3"), line
    assert "old one" not in line


def test_the_palette_offers_pages_not_a_screenshot() -> None:
    app = BorderpostApp(FixedBackend(dataset(lambda s: s)), clock=lambda: FROZEN)

    async def run() -> list[str]:
        async with app.run_test(size=(80, 24)) as pilot:
            await app.logged_in({"officer_id": "anna", "name": "Anna", "role": "officer"})
            await _settle(pilot)
            return [c.title for c in app.get_system_commands(app.screen)]

    titles = asyncio.run(run())
    assert "Open Live lane" in titles
    assert not [t for t in titles if "screenshot" in t.lower() or "theme" in t.lower()], titles


def test_help_lists_only_the_consoles_keys() -> None:
    from tui.screens.help import HelpScreen

    app = BorderpostApp(FixedBackend(dataset(lambda s: s)), clock=lambda: FROZEN)

    async def run() -> str:
        async with app.run_test(size=(80, 24)) as pilot:
            await app.logged_in({"officer_id": "anna", "name": "Anna", "role": "officer"})
            await _settle(pilot)
            app.action_help()
            await _settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            return " ".join(str(w.render()) for w in app.screen.query("*") if hasattr(w, "render"))

    shown = asyncio.run(run())
    assert "Live lane" in shown or "Lane" in shown
    for framework in ("Focus Next", "Focus Previous", "Toggle Dark", "Screenshot", "Maximize"):
        assert framework.lower() not in shown.lower(), framework


class SilentBackend(FixedBackend):
    """A daemon that never answers in time."""

    async def call(self, request_type: str, /, **params: Any) -> dict[str, Any]:
        raise TimeoutError


def test_no_answer_is_said_in_words_not_an_empty_message() -> None:
    from tui.screens.base import ask

    app = BorderpostApp(SilentBackend(dataset(lambda s: s)), clock=lambda: FROZEN)
    said: list[str] = []

    async def run() -> None:
        async with app.run_test(size=(80, 24)):
            app.notify = lambda message, **kw: said.append(str(message))  # type: ignore[method-assign]
            assert await ask(app, "manual", document_number="X1") is None

    asyncio.run(run())
    assert said and "not answering" in said[-1], said


def test_a_wrong_pin_is_cleared(daemon: RunningDaemon) -> None:
    add_officer(daemon, "anna", "officer")
    asyncio.run(_wrong_pin(daemon))


async def _wrong_pin(daemon: RunningDaemon) -> None:
    from textual.widgets import Input

    app = BorderpostApp(DaemonClient(daemon.socket))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.link_up)
        app.screen.query_one("#officer-id", Input).value = "anna"
        pin = app.screen.query_one("#pin", Input)
        pin.value = "9999"
        pin.focus()
        await pilot.press("enter")
        error = app.screen.query_one("#login-error")
        await wait_for(pilot, lambda: "Wrong" in str(error.render()))
        assert pin.value == ""


def test_search_says_when_nothing_matches_and_shows_the_date() -> None:
    from textual.widgets import Input

    from tui.rowlist import RowList
    from tui.screens.search import SearchScreen

    data = dataset(lambda s: s)
    app = BorderpostApp(FixedBackend(data), clock=lambda: FROZEN)
    said: list[str] = []

    async def run() -> tuple[str, ...]:
        async with app.run_test(size=(80, 24)) as pilot:
            await app.logged_in({"officer_id": "anna", "name": "Anna", "role": "officer"})
            app.action_go("search")
            await _settle(pilot)
            screen = app.screen
            assert isinstance(screen, SearchScreen)
            screen.query_one("#document_number", Input).value = "L898902C3"
            await pilot.press("enter")
            await _settle(pilot)
            table = screen.query_one("#search-table", RowList)
            first = tuple(c.plain for c in table.get_row(table.cursor_key or ""))
            data["search"] = {"events": []}
            app.notify = lambda message, **kw: said.append(str(message))  # type: ignore[method-assign]
            screen.query_one("#document_number", Input).focus()
            await pilot.press("enter")
            await _settle(pilot)
            return first

    first = asyncio.run(run())
    assert first[0] == "2026-11-29 09:02", first
    assert "Nothing found for number L898902C3." in said, said


def test_a_search_result_opens_with_its_crossings_portal_reading() -> None:
    """Opened from search, a document the lane grouped with the portal's occupancy shows that
    occupancy too — not 'Radiation: not measured yet' and a GO for a vehicle that alarmed."""
    from textual.widgets import Input

    from tui.screens.detail import DetailScreen
    from tui.screens.search import SearchScreen

    data = dataset(lambda s: s)
    for event in data["events"]["events"]:  # the portal names the documents it measured
        if event["kind"] == "rpm.occupancy":
            event["payload"] = {**event["payload"], "crossing": {"lane": "1", "documents": [1, 2]}}
    app = BorderpostApp(FixedBackend(data), clock=lambda: FROZEN)

    async def run() -> list[int]:
        async with app.run_test(size=(80, 24)) as pilot:
            await app.logged_in({"officer_id": "anna", "name": "Anna", "role": "officer"})
            await _settle(pilot)
            app.action_go("search")
            await _settle(pilot)
            assert isinstance(app.screen, SearchScreen)
            app.screen.query_one("#document_number", Input).value = "L898902C3"
            await pilot.press("enter")
            await _settle(pilot)
            app.screen.query_one("#search-table").focus()
            await pilot.press("enter")
            await _settle(pilot)
            assert isinstance(app.screen, DetailScreen)
            return app.screen.seqs

    assert 4 in asyncio.run(run())  # seq 4: the rpm.occupancy of the reading's crossing


def test_audit_details_read_as_words() -> None:
    from tui.screens.audit import detail_words

    text = '{"alert_id": 7, "decision": "clear", "note": ""}'
    assert detail_words(text, 60) == "alert_id 7, decision clear"


def test_a_supervisor_sees_the_escalated_alerts(daemon: RunningDaemon) -> None:
    add_officer(daemon, "sue", "supervisor")
    asyncio.run(_escalated(daemon))


async def _escalated(daemon: RunningDaemon) -> None:
    from test_tui_live import decide, raise_alert
    from textual.widgets import DataTable

    from tui.screens.alerts import AlertsScreen

    event = await asyncio.to_thread(raise_alert, daemon)
    await asyncio.to_thread(decide, daemon, "sue", event["alert_ids"][0], "escalate", confirm=True)
    app = BorderpostApp(DaemonClient(daemon.socket))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "sue")
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, AlertsScreen))
        table = app.screen.query_one("#alerts-table", DataTable)
        assert table.row_count == 0  # it left the open alerts
        await pilot.press("v")
        await wait_for(pilot, lambda: table.row_count == 1)
        assert "Escalated alerts (1)" in str(app.screen.query_one("#title").render())


def test_a_portal_fault_alert_says_why_in_words(daemon: RunningDaemon) -> None:
    from edge.api.client import ApiClient

    add_officer(daemon, "anna", "officer")
    with ApiClient(daemon.socket) as client:
        fault = {"fault": "silence", "detail": "no line for 58.2 s"}
        client.call("inject", kind="rpm.fault", lane="1", device="rpm-1", priority=2,
                    alert="rpm-fault", payload=fault)  # fmt: skip
        client.call("login", officer_id="anna", pin="1234")
        [alert] = client.call("alerts")["alerts"]
    assert alert["summary"] == "lane 1 not protected: silence - no line for 58.2 s"


def test_a_cleared_document_is_noted_on_its_next_crossing(daemon: RunningDaemon) -> None:
    add_officer(daemon, "anna", "officer")
    asyncio.run(_cleared_before(daemon))


async def _cleared_before(daemon: RunningDaemon) -> None:
    from test_tui_live import MRZ_PAYLOAD, decide, inject, raise_alert

    from tui.screens.detail import DetailScreen

    first = await asyncio.to_thread(raise_alert, daemon)
    await asyncio.to_thread(
        decide, daemon, "anna", first["alert_ids"][0], "clear", note="twin brother"
    )
    again = await asyncio.to_thread(inject, daemon, kind="mrz", payload=MRZ_PAYLOAD, lane="1")
    app = BorderpostApp(DaemonClient(daemon.socket))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "anna")
        await app.push_screen(DetailScreen(again["seq"]))
        text = lambda: str(app.screen.query_one("#detail-text").render())  # noqa: E731
        await wait_for(pilot, lambda: "CLEARED" in text())
        assert "by anna" in text() and "twin brother" in text(), text()


def test_the_alert_list_says_what_each_kind_asks() -> None:
    from tui.screens.alerts import _row

    seize = {"kind": "watchlist", "severity": 2, "hits": [{"action": "seize", "score": 1.0}]}
    refer = {"kind": "watchlist", "severity": 2, "hits": [{"action": "refer", "score": 1.0}]}
    words = [_row(a)[3].plain for a in (seize, refer, {"kind": "radiation", "severity": 2},
                                        {"kind": "rpm-fault", "severity": 2})]  # fmt: skip
    assert words == ["STOP", "CHECK", "STOP", "CHECK"]


def test_a_late_daemon_answer_while_the_console_closes_draws_nothing() -> None:
    """A status answer that lands after the last screen is gone (the console is
    quitting) is dropped: redrawing the chrome then raised ScreenStackError, and
    the worker's crash took the console down with a traceback."""

    async def run() -> None:
        app = BorderpostApp(FixedBackend(dataset(lambda s: s)), clock=lambda: FROZEN)
        assert not app.screen_stack  # not running yet: no screen, as while closing
        app._redraw_chrome()
        async with app.run_test(size=(100, 30)) as pilot:
            await _settle(pilot)
        assert not app.screen_stack
        app._redraw_chrome()
        app.officer = {"officer_id": "anna", "name": "Anna", "role": "officer"}
        app.action_go("lane")  # a log-in that completes after the console closed
        await app.action_logout()  # a refused re-login after it closed

    asyncio.run(run())
