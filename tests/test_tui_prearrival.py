"""The console's pre-arrival view of a lane (opened with p from the live lane) and the crossing
detail's pre-arrival line (fixed daemon answers; snapshots at 80x24, dark and 16 colours)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.test_tui_chip import _login, _text
from tests.test_tui_snapshots import FROZEN, HOSTILE, FixedBackend, _settle, dataset
from tui.app import BorderpostApp
from tui.screens.detail import DetailScreen
from tui.screens.lane import LaneScreen
from tui.screens.prearrival import PrearrivalScreen, verdict_words

pytestmark = pytest.mark.timeout(60)


def _person(surname: str, given: str, doc: str, role: str = "passenger") -> dict[str, Any]:
    return {"item": "traveller", "surname": surname, "given_names": given,
            "document_number": doc, "role": role}  # fmt: skip


def view(name: str = "HALVORSEN") -> dict[str, Any]:
    """A lane's view: a coach half arrived with one overdue, a lorry still to come."""
    bus = {
        "list_id": "paxlst:RB-2026-1129-0417", "reference": "RB-2026-1129-0417", "lane": None,
        "window": {"from": "2026-11-29T07:15:00+00:00", "to": "2026-11-29T13:15:00+00:00"},
        "arrival": "2026-11-29T09:15:00+00:00",
        "arrived": [_person(name, "MARIT ELISE", "U10482257", "crew"),
                    _person("BERGSTROM", "ANNA LOUISE", "U30551872")],
        "expected": [], "overdue": [_person("NOWAK", "PIOTR", "XB0087312")],
        "not_expected": [{"kind": "mrz", "document_number": "Q7777777", "surname": "STOWAWAY"}],
    }  # fmt: skip
    lorry = {
        "list_id": "LORRY-UT7731", "reference": "TRANSIT 26UT00000000004417", "lane": "1",
        "window": {"from": "2026-11-29T09:00:00+00:00", "to": "2026-11-29T13:00:00+00:00"},
        "arrival": "2026-11-29T10:40:00+00:00", "arrived": [], "overdue": [], "not_expected": [],
        "expected": [_person("LINDQVIST", "TOMAS", "U50332190", "crew"),
                     {"item": "vehicle", "plate": "UT-7731-TR", "country": "UTO"},
                     {"item": "consignment", "mrn": "26UT00000000004417",
                      "containers": ["MSCU1234565"]}],
    }  # fmt: skip
    return {"lane": "1", "now": "2026-11-29T10:00:00+00:00", "lists": [bus, lorry]}


class AskedBackend(FixedBackend):
    """Fixed answers, remembering the parameters of each pre-arrival request."""

    asked: list[dict[str, Any]]

    async def call(self, request_type: str, /, **params: Any) -> dict[str, Any]:
        if request_type == "prearrival":
            self.asked = [*getattr(self, "asked", []), params]
        return await super().call(request_type, **params)


def _data(name: str = "HALVORSEN", verdict: dict[str, Any] | None = None) -> dict[str, Any]:
    data = dataset(lambda s: s)
    data["prearrival"] = view(name)
    if verdict is not None:
        for key in ("events", "event:2"):
            for event in _events_of(data[key]):
                if event.get("seq") == 2:
                    event["payload"]["prearrival"] = verdict
    return data


def _events_of(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in [*answer.get("events", []), answer.get("event") or {}] if e]


@pytest.mark.parametrize("theme", ["dark", "ansi"])
def test_prearrival_view_snapshot(snap_compare: Any, theme: str) -> None:
    app = BorderpostApp(FixedBackend(_data()), theme=theme, clock=lambda: FROZEN)

    async def before(pilot: Pilot[Any]) -> None:
        await _login(pilot)
        await app.push_screen(PrearrivalScreen("1"))
        await _settle(pilot)
        app.clear_notifications()

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_p_on_the_lane_opens_the_view_of_that_lane() -> None:
    asyncio.run(_p_on_the_lane_opens_the_view_of_that_lane())


async def _p_on_the_lane_opens_the_view_of_that_lane() -> None:
    backend = AskedBackend(_data())
    app = BorderpostApp(backend, clock=lambda: FROZEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await _login(pilot)
        assert isinstance(app.screen, LaneScreen)
        await pilot.press("p")
        await _settle(pilot)
        assert isinstance(app.screen, PrearrivalScreen) and app.screen.lane == "1"
        assert backend.asked[-1] == {"hours": 4, "lane": "1"}
        shown = _text(app, "#prearrival-text")
        assert "lane 1, the next 4 hours, at 10:00:00" in shown
        assert "Overdue (1)" in shown and "NOWAK PIOTR  XB0087312  passenger" in shown
        assert "Arrived (2)" in shown and "Not expected (1)" in shown and "STOWAWAY" in shown
        assert "due 10:40, window 09:00-13:00" in shown and "vehicle UT-7731-TR UTO" in shown
        assert "consignment MRN 26UT00000000004417 MSCU1234565" in shown
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(app.screen, LaneScreen)


def test_the_detail_says_the_verdict_in_words() -> None:
    asyncio.run(_the_detail_says_the_verdict_in_words())


async def _the_detail_says_the_verdict_in_words() -> None:
    expected = {"verdict": "expected", "list_id": "BUS-17", "reference": "REF-BUS-17",
                "item": "traveller", "reason": "traveller on the list",
                "arrival": "2026-11-29T09:14:00+00:00"}  # fmt: skip
    app = BorderpostApp(FixedBackend(_data(verdict=expected)), clock=lambda: FROZEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await _login(pilot)
        await app.push_screen(DetailScreen(2))
        await _settle(pilot)
        said = _text(app, "#detail-text")
        assert "Pre-arrival: expected on list BUS-17 (ref REF-BUS-17), arrived 12 min early" in said
    mismatch = {**expected, "verdict": "mismatch", "reason": "surname on the list 'DOE', read 'X'"}
    assert verdict_words(mismatch, None)[0] == (
        "mismatch on list BUS-17 (ref REF-BUS-17): surname on the list 'DOE', read 'X'"
    )
    other = {**expected, "verdict": "not_expected"}
    assert verdict_words(other, None)[0].startswith("not on any pre-arrival list; list BUS-17")
    late = verdict_words(expected, "2026-11-29T09:20:00Z")[0]
    assert late.endswith("arrived 6 min late")


def test_no_verdict_no_line_and_hostile_names_show_literally() -> None:
    asyncio.run(_no_verdict_no_line_and_hostile_names_show_literally())


async def _no_verdict_no_line_and_hostile_names_show_literally() -> None:
    app = BorderpostApp(FixedBackend(_data(name=HOSTILE)), clock=lambda: FROZEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await _login(pilot)
        await app.push_screen(DetailScreen(2))
        await _settle(pilot)
        assert "Pre-arrival" not in _text(app, "#detail-text")
        await app.push_screen(PrearrivalScreen(None))
        await _settle(pilot)
        assert app.is_running
        shown = _text(app, "#prearrival-text")
        assert "every lane" in shown and "[@click=app.quit]" in shown
        assert "\x1b" not in shown and "\u202e" not in shown
