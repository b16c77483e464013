"""The crossing view: readings gathered into one crossing, one verdict, the evidence in words.

Grouping and verdicts are checked on event lists; the screens as SVG snapshots at
80x24 in both themes, one crossing per verdict (GO, CHECK, STOP) and a NORM load,
from fixed daemon answers (the live behaviour is in test_tui_live.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from test_tui_snapshots import FROZEN, HOSTILE, FixedBackend, _event, _settle, dataset
from textual.pilot import Pilot

from edge.severity import severity_of
from tui.app import BorderpostApp
from tui.crossing import CrossingBook
from tui.screens.detail import DetailScreen
from tui.verdict import Level, hit_sentence, verdict

pytestmark = pytest.mark.timeout(60)
TODAY = FROZEN.date()

MRZ_OK = {
    "format": "TD3",
    "document_code": "P",
    "issuing_state": "D",
    "surname": "MUSTERMANN",
    "given_names": "ERIKA",
    "document_number": "C01X00T47",
    "nationality": "D",
    "birth_date": "1964-08-12",
    "sex": "F",
    "expiry_date": "2031-10-31",
    "valid": True,
    "checks": {"document_number": True, "birth_date": True, "expiry_date": True},
}
MRZ_BAD = {
    **MRZ_OK,
    "surname": "ERIKSSON",
    "given_names": "ANNA MARIA",
    "document_number": "L898902C3",
    "issuing_state": "UTO",
    "nationality": "UTO",
    "expiry_date": "2012-04-15",
    "valid": False,
    "checks": {"document_number": True, "expiry_date": False, "composite": False},
}
RPM_QUIET = {
    "occupancy": 4710,
    "speed_kmh": 8.1,
    "peak_sigma": 1.2,
    "sigma": 5.0,
    "gamma_background_cps": 410,
    "neutron_series": [0, 1, 0, 2, 1],
    "neutron_threshold": 6,
    "neutron_window_s": 1,
    "neutron_window_counts": 2,
}
RPM_ALARM = {
    **RPM_QUIET,
    "occupancy": 4711,
    "peak_sigma": 9.3,
    "gamma_alarm": True,
    "gamma_series": [80, 84, 90, 140, 260, 380, 300, 160, 92, 84, 82, 80, 80, 81, 80],
    "gamma_threshold_1s": 1100,
}
MRN = "21ATQ4CP8DYZB3ZWR2"
MRN_HIT = {
    "list": "demo",
    "entry_id": "demo-mrn-2",
    "category": "smuggling",
    "action": "refer",
    "score": 1.0,
    "band": "referral",
    "matched": f"mrn {MRN}",
    "explain": {"key": "mrn", "query": MRN, "listed": MRN, "ocr_folded": False},
}


def _alert(alert_id: int, seq: int, kind: str, summary: str, hits: list[Any]) -> dict[str, Any]:
    return {"alert_id": alert_id, "event_seq": seq, "alert_seq": seq + 1,
            "created": "2026-11-29T09:20:00.000Z", "kind": kind,
            "severity": severity_of(kind, hits),
            "summary": summary, "state": "open", "hits": hits, "decision": None,
            "reason": None, "note": None, "officer_id": None, "decided": None}  # fmt: skip


def _occupancy(seq: int, payload: dict[str, Any], documents: list[int], **extra: Any) -> Any:
    crossing = {"lane": "1", "documents": documents}
    return _event(seq, "rpm.occupancy", {**payload, "crossing": crossing}, device="rpm-1", **extra)


def crossings(text: Any = lambda s: s) -> dict[str, Any]:
    """Three crossings on lane 1: GO (10-11), CHECK (20-23), STOP (30-32), NORM (40-41)."""
    mrn_alert = _alert(5, 21, "watchlist", text(f"watchlist referral: mrn {MRN}"),
                       [{**MRN_HIT, "list": text("demo")}])  # fmt: skip
    rpm_alert = _alert(6, 31, "radiation", "gamma alarm, lane 1", [])
    bad = {**MRZ_BAD, "surname": text("ERIKSSON")}
    scan = {"symbology": "code128", "text": MRN, "parsed": {"kind": "mrn", "valid": True}}
    events = [
        _event(10, "mrz", MRZ_OK),
        _occupancy(11, RPM_QUIET, [10]),
        _event(20, "mrz", bad),
        _event(21, "barcode", scan, device="scan-1", alert_ids=[5], priority=2),
        _event(22, "alert", mrn_alert, device=None),
        _occupancy(23, RPM_QUIET, [20, 21]),
        _event(
            30, "barcode", {"text": "CSQU3054383", "parsed": {"kind": "container", "valid": True}}
        ),
        _occupancy(31, RPM_ALARM, [30], alert_ids=[6], priority=2),
        _event(32, "alert", rpm_alert, device=None),
        _occupancy(
            40, {**RPM_ALARM, "occupancy": 4712, "norm_suspect": True, "peak_sigma": 6.1}, []
        ),
    ]
    data = dataset(text)
    data["events"] = {"events": events[::-1]}
    data["alerts"] = {"alerts": [mrn_alert, rpm_alert]}
    data["status"]["lanes"] = {"1": {"protected": True, "rpm": "rpm-1"}}
    for event in events:
        alerts = [a for a in (mrn_alert, rpm_alert) if a["event_seq"] == event["seq"]]
        data[f"event:{event['seq']}"] = {"event": event, "alerts": alerts, "related": []}
    return data


def _book(events: list[dict[str, Any]]) -> CrossingBook:
    book = CrossingBook(frozenset({"1"}))
    for event in sorted(events, key=lambda e: e["seq"]):
        book.add(event)
    return book


def test_readings_of_one_crossing_are_one_row_with_one_verdict() -> None:
    book = _book(crossings()["events"]["events"])
    groups = {key: c.seqs for key, c in book.crossings.items()}
    assert groups == {"10": [10, 11], "20": [20, 21, 22, 23], "30": [30, 31, 32], "40": [40]}
    verdicts = {key: verdict(c, TODAY)[0] for key, c in book.crossings.items()}
    assert verdicts == {"10": Level.GO, "20": Level.CHECK, "30": Level.STOP, "40": Level.CHECK}
    found = verdict(book.crossings["20"], TODAY)[1]
    assert [f.short for f in found] == ["listed: smuggling", "doc expired", "check digit"]


def test_a_lane_without_a_portal_makes_each_document_its_own_crossing() -> None:
    book = CrossingBook()
    for seq in (1, 2):
        book.add(_event(seq, "mrz", MRZ_OK))
    assert list(book.crossings) == ["1", "2"]


def test_documents_after_the_window_start_a_new_crossing() -> None:
    late = {**_event(9, "mrz", MRZ_OK), "wall_time": "2026-11-29T09:05:01.000Z"}
    book = _book([_event(1, "mrz", MRZ_OK), late])  # 09:01:00, then 4 min later
    assert list(book.crossings) == ["1", "9"]


def test_a_cleared_alert_no_longer_counts() -> None:
    events = crossings()["events"]["events"]
    decided = _event(24, "adjudication", {"alert_id": 5, "event_seq": 21, "decision": "clear"})
    book = _book([e for e in events if e["seq"] in (21, 22)] + [decided])
    assert verdict(book.crossings["21"], TODAY)[0] is Level.GO


def test_the_hit_reads_as_a_sentence() -> None:
    assert hit_sentence(MRN_HIT) == (
        f"Listed for smuggling: the transit declaration MRN {MRN} is on list demo, "
        "exact match - refer to secondary."
    )


async def _detail(pilot: Pilot[Any], seq: int) -> None:
    app = pilot.app
    assert isinstance(app, BorderpostApp)
    await pilot.pause()
    await app.logged_in({"officer_id": "anna", "name": "Anna", "role": "officer"})
    await _settle(pilot)
    if seq:
        lane = app.screen
        book = lane.book  # type: ignore[attr-defined]
        await app.push_screen(DetailScreen(seq, book.crossings[str(seq)]))
    await _settle(pilot)
    app.clear_notifications()
    await pilot.pause()


VIEWS = {"lane": 0, "go": 10, "check": 20, "stop": 30, "norm": 40}


@pytest.mark.parametrize("theme", ["dark", "ansi", "mono"])
@pytest.mark.parametrize("view", [*VIEWS, "check-hostile"])
def test_crossing_snapshot(snap_compare: Any, theme: str, view: str) -> None:
    hostile = view.endswith("-hostile")
    data = crossings((lambda s: HOSTILE + s) if hostile else (lambda s: s))
    app = BorderpostApp(FixedBackend(data), theme=theme, clock=lambda: FROZEN)

    async def before(pilot: Pilot[Any]) -> None:
        await _detail(pilot, VIEWS[view.removesuffix("-hostile")])
        assert app.is_running

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_an_occupancy_claims_its_documents_so_the_next_one_does_not_list_them() -> None:
    from drivers.base import Reading
    from edge.lanes import LaneTracker

    lanes = LaneTracker()
    lanes.stored(Reading.of("mrz", {}), "1", "mrz-1", 10)
    first = lanes.prepare(Reading.of("rpm.occupancy", {"occupancy": 1}), "1")
    lanes.stored(Reading.of("mrz", {}), "1", "mrz-1", 12)
    second = lanes.prepare(Reading.of("rpm.occupancy", {"occupancy": 2}), "1")
    assert first.payload["crossing"]["documents"] == [10]
    assert second.payload["crossing"]["documents"] == [12]


def test_only_lanes_with_a_portal_gather_documents() -> None:
    from tui.crossing import portal_lanes

    status = {"lanes": {"1": {"protected": False, "rpm": None}, "2": {"rpm": "rpm-2"}}}
    assert portal_lanes(status) == frozenset({"2"})


def test_an_alert_opens_with_its_reason_and_is_decided_in_three_keys(daemon: Any) -> None:
    """Against a real daemon: Enter on the crossing shows the reason and the form; '1' and 'c'
    decide it without leaving the screen; the next open alert follows; the last goes back."""
    from test_tui_live import add_officer

    add_officer(daemon, "anna", "officer")
    asyncio.run(_three_keys(daemon))


async def _three_keys(daemon: Any) -> None:
    from test_tui_live import login, raise_alert, wait_for

    from edge.api.client import ApiClient
    from tui.client import DaemonClient
    from tui.screens.lane import LaneScreen

    app = BorderpostApp(DaemonClient(daemon.socket))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "anna")
        await wait_for(pilot, lambda: isinstance(app.screen, LaneScreen))
        for _ in range(2):
            await asyncio.to_thread(raise_alert, daemon)
        await wait_for(pilot, lambda: len(app.open_alerts) == 2)
        await pilot.press("enter")  # the newest crossing
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        first = app.screen
        assert isinstance(first, DetailScreen)
        await wait_for(pilot, lambda: first.open_alert() is not None)
        shown = str(first.query_one("#detail-text").render())  # the reason, on the screen
        assert "watchlist" in shown and "STOP" not in shown, shown
        assert "Decide alert" in str(first.query_one("#decide-text").render())
        await pilot.press("1", "c")
        await wait_for(pilot, lambda: app.screen is not first)
        second = app.screen
        assert isinstance(second, DetailScreen)  # the next open alert followed
        await wait_for(pilot, lambda: second.open_alert() is not None)
        await pilot.press("c")  # no reason yet: nothing is sent
        assert "Choose a reason" in str(second.query_one("#decide-text").render())
        await pilot.press("2", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, LaneScreen))
        with ApiClient(daemon.socket) as client:
            client.call("login", officer_id="anna", pin="1234")
            alerts = client.call("alerts", state="all")["alerts"]
    assert sorted(a["state"] for a in alerts) == ["cleared", "cleared"]


@pytest.mark.parametrize("view", ["lane", "go", "check", "stop", "norm"])
def test_the_officer_guide_shows_the_current_screens(view: str) -> None:
    """docs/officer-guide/*.svg are the ANSI snapshots: copy them again when these change."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    snapshot = (
        root / "tests/__snapshots__/test_tui_crossing" / f"test_crossing_snapshot[{view}-ansi].raw"
    )
    assert (root / "docs/officer-guide" / f"{view}.svg").read_text() == snapshot.read_text()


@pytest.mark.parametrize("configured", [True, False])
def test_the_bell_speaks_the_verdict_where_configured(configured: bool) -> None:
    from tui.console import EventPushed

    data = crossings()
    data["events"] = {"events": []}
    app = BorderpostApp(FixedBackend(data), clock=lambda: FROZEN, verdict_bell=configured)
    rings: list[float] = []

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await app.logged_in({"officer_id": "anna", "name": "Anna", "role": "officer"})
            await _settle(pilot)
            app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
            lane = app.screen
            lane.post_message(EventPushed({**_event(50, "mrz", MRZ_OK)}))
            await pilot.pause(0.5)
            assert rings == []  # GO says nothing
            lane.post_message(EventPushed(_occupancy(51, RPM_ALARM, [50])))
            await pilot.pause(1.2)

    asyncio.run(run())
    assert len(rings) == (3 if configured else 0)


def test_steady_traffic_past_a_silent_portal_still_makes_new_crossings() -> None:
    events = []
    for i in range(40):  # a document every 10 s for 400 s, no occupancy
        minute, second = divmod(i * 10, 60)
        event = _event(100 + i, "mrz", MRZ_OK)
        events.append({**event, "wall_time": f"2026-11-29T10:{minute:02d}:{second:02d}.000Z"})
    assert len(_book(events).crossings) == 3


RULES = {"pack": 7, "crossing": "c-42", "lane": "yellow", "action": "none",
         "hits": [{"id": "P-001", "title": "young traveller from a listed country",
                   "lane": "yellow", "alert": False,
                   "because": [{"condition": "person.age < 25", "values": {"person.age": 22}}]}],
         "random": {"selected": False, "draw": 0.61, "rate": 0.02}}  # fmt: skip


def test_the_rule_packs_verdict_counts_once_per_crossing() -> None:
    from tui.evidence import evidence_text

    events = [_event(60, "mrz", {**MRZ_OK, "rules": RULES}),
              _occupancy(61, {**RPM_QUIET, "rules": RULES}, [60])]  # fmt: skip
    level, found = verdict(_book(events).crossings["60"], TODAY)
    assert level is Level.CHECK and [f.short for f in found] == [
        "rule: young traveller from a listed country"]  # fmt: skip
    assert "person.age < 25" in found[0].sentence
    shown = evidence_text(events, [], TODAY, portal=True).plain
    assert "Risk rules    YELLOW" in shown, shown
    red = {**RULES, "lane": "red", "hits": [{**RULES["hits"][0], "lane": "red"}]}  # type: ignore[index]
    assert verdict(_book([_event(70, "mrz", {**MRZ_OK, "rules": red})]).crossings["70"],
                   TODAY)[0] is Level.STOP  # fmt: skip
    drawn = {**RULES, "hits": [], "random": {"selected": True}}
    found = verdict(_book([_event(80, "mrz", {**MRZ_OK, "rules": drawn})]).crossings["80"], TODAY)[
        1
    ]
    assert [f.short for f in found] == ["random control"]


def test_the_mono_theme_draws_no_colour() -> None:
    """Monochrome (high contrast): every cell in the terminal's own colours; the verdict
    and the cursor read by words, bold and reverse video alone."""
    import re

    def colours(theme: str) -> set[str]:
        async def run() -> str:
            app = BorderpostApp(FixedBackend(crossings()), theme=theme, clock=lambda: FROZEN)
            async with app.run_test(size=(80, 24)) as pilot:
                await _detail(pilot, VIEWS["stop"])
                return app.export_screenshot()

        svg = asyncio.run(run())
        return set(re.findall(r"(?:fill|color): (#[0-9a-f]{6})", svg))

    def grey(colour: str) -> bool:
        channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        return max(channels) - min(channels) <= 8

    assert not all(grey(c) for c in colours("ansi"))  # red, yellow, green …
    assert all(grey(c) for c in colours("mono")), colours("mono")  # greys only


def test_the_neutron_line_compares_the_best_window_with_its_threshold() -> None:
    """The alarm level is for the best window of up to 3 s, so the line gives that window's
    counts, not the busiest second's (which read as 'most 9 counts in 3 s (alarm above 14)')."""
    from tui.evidence import _neutron_words

    payload = {"neutron_series": [1, 9, 6, 0], "neutron_threshold": 14, "neutron_window_s": 3,
               "neutron_window_counts": 16}  # fmt: skip
    assert _neutron_words(payload) == "16 counts in the best 3 s (alarm at 14)"
    older = {"neutron_series": [1, 9, 6, 0], "neutron_threshold": 14, "neutron_window_s": 3}
    assert _neutron_words(older) == "most 9 counts in 1 s"
