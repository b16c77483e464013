"""The console's chip panel: the verdict in words, each check, the face in half blocks, opened
from the crossing's detail (fixed daemon answers; snapshots at 80x24, dark and 16 colours)."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import numpy as np
import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tests.test_tui_snapshots import FROZEN, HOSTILE, FixedBackend, _event, _settle, dataset
from tui.app import BorderpostApp
from tui.crossing import CrossingBook
from tui.screens.chip import GREYS, HALF, ChipScreen, face_text
from tui.screens.detail import DetailScreen
from tui.verdict import Level, verdict

pytestmark = pytest.mark.timeout(60)
GENUINE = {
    "status": "read", "summary": "Genuine chip, matches the page", "genuine": True,
    "reader": "Virtual PCD 00 00", "access": "BAC", "passive_authentication": "ok",
    "csca": "ok", "chip_authentication": "not_supported", "active_authentication": "ok",
    "dg1_matches_page": True, "mismatches": [], "reasons": [], "document_number": "L898902C3",
    "issuing_state": "UTO", "surname": "ERIKSSON", "given_names": "ANNA MARIA",
    "nationality": "UTO", "birth_date": "1974-08-12", "document_signer_country": "UT",
    "data_groups": [1, 2, 15], "face": {"format": "jpeg2000", "width": 413, "height": 531},
    "mrz_seq": 2, "apdus": 19, "seconds": 0.89,
}  # fmt: skip
CLONE = GENUINE | {
    "genuine": False,
    "active_authentication": "failed",
    "summary": "Chip NOT genuine: it failed active authentication, so it is a copy of the "
    "signed data on another chip",
    "reasons": ["the chip failed active authentication: it does not hold the key of DG15, "
                "so it is a copy of the signed data on another chip"],
}  # fmt: skip


def _face() -> dict[str, Any]:
    """A fixed 64x80 picture: a light oval on a dark ground, a colour band at the bottom."""
    ys, xs = np.mgrid[0:80, 0:64]
    oval = ((xs - 32) / 22.0) ** 2 + ((ys - 36) / 30.0) ** 2 < 1
    image = np.zeros((80, 64, 3), np.uint8)
    image[oval] = (230, 190, 160)
    image[70:, :] = (40, 80, 200)
    return {"width": 64, "height": 80, "rgb_b64": base64.b64encode(image.tobytes()).decode()}


def _data(payload: dict[str, Any], face: bool = True) -> dict[str, Any]:
    data = dataset(lambda s: s)
    chip = _event(9, "chip.read", payload, device="chip-1")
    data["events"]["events"].insert(0, chip)
    if face:
        data["chip.face"] = _face()
    return data


async def _login(pilot: Pilot[Any]) -> BorderpostApp:
    app = pilot.app
    assert isinstance(app, BorderpostApp)
    await pilot.pause()
    await app.logged_in({"officer_id": "anna", "name": "Anna", "role": "officer"})
    await _settle(pilot)
    return app


def _text(app: BorderpostApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.mark.parametrize("theme", ["dark", "ansi"])
def test_chip_panel_snapshot(snap_compare: Any, theme: str) -> None:
    data = _data(GENUINE)
    app = BorderpostApp(FixedBackend(data), theme=theme, clock=lambda: FROZEN)

    async def before(pilot: Pilot[Any]) -> None:
        await _login(pilot)
        await app.push_screen(ChipScreen(data["events"]["events"][0]))
        await _settle(pilot)
        app.clear_notifications()

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_detail_shows_the_chip_line_and_opens_the_panel() -> None:
    asyncio.run(_detail_shows_the_chip_line_and_opens_the_panel())


async def _detail_shows_the_chip_line_and_opens_the_panel() -> None:
    app = BorderpostApp(FixedBackend(_data(CLONE)), clock=lambda: FROZEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await _login(pilot)
        await app.push_screen(DetailScreen(2))
        await _settle(pilot)
        line = _text(app, "#detail-chip")
        assert line.startswith("Chip: Chip NOT genuine: it failed active authentication")
        await pilot.press("h")
        await _settle(pilot)
        assert isinstance(app.screen, ChipScreen)
        panel = _text(app, "#chip-text")
        assert "ERIKSSON, ANNA MARIA" in panel and "FAILED: a copy of the data" in panel
        assert "does not hold the key of DG15" in panel
        assert HALF in _text(app, "#chip-face")
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(app.screen, DetailScreen)


def test_no_chip_no_line_and_a_face_gone_is_said() -> None:
    asyncio.run(_no_chip_no_line_and_a_face_gone_is_said())


async def _no_chip_no_line_and_a_face_gone_is_said() -> None:
    data = dataset(lambda s: s)
    app = BorderpostApp(FixedBackend(data), clock=lambda: FROZEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await _login(pilot)
        await app.push_screen(DetailScreen(2))
        await _settle(pilot)
        assert not app.screen.query_one("#detail-chip", Static).display
        await pilot.press("h")  # no chip: the key does nothing
        assert isinstance(app.screen, DetailScreen)
        await app.push_screen(ChipScreen(_event(9, "chip.read", GENUINE)))
        await _settle(pilot)
        assert "face not shown: no fixed answer for chip.face" in _text(app, "#chip-face")


def test_hostile_chip_text_shows_literally() -> None:
    asyncio.run(_hostile_chip_text_shows_literally())


async def _hostile_chip_text_shows_literally() -> None:
    hostile = GENUINE | {"surname": HOSTILE, "summary": HOSTILE, "reasons": [HOSTILE]}
    app = BorderpostApp(FixedBackend(_data(hostile)), clock=lambda: FROZEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await _login(pilot)
        await app.push_screen(ChipScreen(_event(9, "chip.read", hostile)))
        await _settle(pilot)
        assert app.is_running
        panel = _text(app, "#chip-text")
        assert "[@click=app.quit]" in panel and "\x1b" not in panel and "\u202e" not in panel


def test_face_in_grey_shades_for_a_16_colour_console() -> None:
    grey = face_text(_face(), 16, grey=True)
    lines = grey.plain.splitlines()
    assert len(lines) == 16 and len(lines[0]) == round(64 * 32 / 80)
    colours = {str(s.style.color.name) for s in grey.spans if s.style.color}  # type: ignore[union-attr]
    assert colours <= set(GREYS) and len(colours) >= 2
    colour = face_text(_face(), 16, grey=False)
    assert any(s.style.color.triplet for s in colour.spans)  # type: ignore[union-attr]
    assert "no usable image" in face_text({"width": 3}, 4, grey=False).plain


def test_the_chip_read_joins_its_crossing_and_its_alert_decides_it() -> None:
    """On a portal lane the chip's verdict and its alert join the page's crossing; the card
    put in and taken out are not rows of their own."""
    book = CrossingBook(frozenset({"1"}))
    mrz = _event(2, "mrz", {"document_number": "L898902C3", "surname": "ERIKSSON"})
    card = _event(3, "chip.card", {"reader": "Virtual PCD 00 00", "present": True})
    chip = _event(4, "chip.read", CLONE, alert_ids=[7], priority=2)
    alert = _event(5, "alert", {"alert_id": 7, "event_seq": 4, "kind": "chip", "severity": 3,
                                "summary": CLONE["summary"]})  # fmt: skip
    for event in (mrz, card, chip, alert):
        book.add(event)
    (crossing,) = book.crossings.values()
    assert crossing.seqs == [2, 4, 5]
    level, found = verdict(crossing, FROZEN.date())
    assert level is Level.CHECK and found[0].sentence == CLONE["summary"]  # the officer checks
