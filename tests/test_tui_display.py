"""The console's one display helper, its command palette and its command line."""

from __future__ import annotations

import itertools
import subprocess
import sys
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.display import age_text, clean, plain, short_time
from tui.plot import chart, profile_of
from tui.rows import event_row

HOSTILE = ["[/]", "[@click=app.quit]", "\x1b]0;x\x07", "\u202e", "\x9b31m", "\u2066x\u2069"]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=300))
def test_clean_never_lets_controls_or_format_characters_through(value: str, limit: int) -> None:
    out = clean(value, limit)
    assert len(out) <= limit
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in out)


def test_hostile_strings_stay_literal_text() -> None:
    for value in HOSTILE:
        text = plain(value)
        assert text.spans == [] and "\x1b" not in text.plain and "\u202e" not in text.plain
    assert plain("[b]x[/b]").plain == "[b]x[/b]"
    assert clean("a\tb\nc") == "a b c"


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["seq", "kind", "wall_time", "lane", "payload", "alert_ids"]),
        st.one_of(
            st.none(),
            st.integers(),
            st.text(),
            st.lists(st.integers()),
            st.dictionaries(st.text(max_size=12), st.text()),
        ),
    )
)
def test_any_event_shape_makes_a_row(event: dict[str, object]) -> None:
    cells = event_row(event)
    assert len(cells) == 6


def test_times_and_ages() -> None:
    assert short_time("2026-11-29T10:00:01.123Z") == "10:00:01"
    assert short_time(0) == "00:00:00"
    assert [age_text(x) for x in (None, 5, 120, 7300, 90000)] == ["-", "5s", "2m", "2h", "1d"]


def test_gamma_profile_against_its_threshold() -> None:
    profile = profile_of({"gamma_profile": [[1, 2, 3, 4], 50, "x"], "gamma_threshold": 20})
    assert profile.series == [10.0, 50.0] and profile.threshold == 20.0
    text = chart(profile).plain
    assert "#" in text and "-" in text and "alarm at 20" in text


def _occupancy(extra: list[list[float]]) -> dict[str, Any]:
    """The payload fields the console draws, from the real check over 200 ms rows of four
    detectors at 76 counts each plus ``extra`` in the middle."""
    from drivers.rpm.alarm import gamma_check

    quiet = [[76.0] * 4] * 10
    rows = quiet + [[76.0 + e for e in row] for row in extra] + quiet
    verdict = gamma_check(rows, [380.0] * 4, n=5.0)
    return {
        "gamma_series": [sum(r) for r in rows], "gamma_background_1s": verdict.background_1s,
        "gamma_threshold_1s": verdict.threshold_1s, "sigma": 5.0, "gamma_alarm": verdict.alarm,
        "peak_sigma": verdict.peak_sigma, "peak_group": verdict.peak_group,
    }  # fmt: skip


def test_a_broad_source_that_alarmed_on_its_2s_sum_crosses_the_drawn_line() -> None:
    payload = _occupancy([[7.5] * 4] * 20)  # 4 s of a weak excess: only the 2 s sum passes 5 sigma
    assert payload["gamma_alarm"] and payload["peak_group"] == "all"
    one_s = [
        sum(payload["gamma_series"][i : i + 5]) for i in range(len(payload["gamma_series"]) - 4)
    ]
    assert max(one_s) < payload["gamma_threshold_1s"]  # what the console drew before
    profile = profile_of(payload)
    assert profile.threshold == 5.0 and max(profile.series) > 5.0
    assert max(profile.series) == pytest.approx(payload["peak_sigma"], abs=1e-3)
    assert "alarm at 5.0" in chart(profile).plain and not profile.note
    older = {k: v for k, v in payload.items() if k != "gamma_background_1s"}  # B from T = B + n√B
    assert profile_of(older).series == pytest.approx(profile.series, abs=1e-3)


def test_a_quiet_occupancy_stays_under_the_line_and_a_side_alarm_is_said() -> None:
    quiet = profile_of(_occupancy([[2.0] * 4] * 5))
    assert max(quiet.series) < 5.0 and not quiet.note
    side = _occupancy([[60.0, 60.0, 0.0, 0.0]] * 5)  # one side's pair sees the source
    assert side["gamma_alarm"] and side["peak_group"] == "1+2"
    text = chart(profile_of(side)).plain
    assert "detectors 1+2 on one side" in text


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 5000), min_size=1, max_size=80), st.floats(1.0, 5000.0))
def test_the_drawn_sigma_is_the_alarm_checks_own(totals: list[int], b: float) -> None:
    """The console computes the profile itself (it imports only the API's types): the same
    sigma, interval by interval, as the driver's check."""
    import numpy as np

    from drivers.rpm.alarm import WINDOWS, window_sigmas

    drawn = profile_of({"gamma_series": totals, "gamma_background_1s": b, "sigma": 5}).series
    counts = np.asarray(totals, dtype=float)
    check = np.maximum.reduce([window_sigmas(counts, b, w) for w in WINDOWS])
    assert drawn == pytest.approx(check.tolist(), rel=1e-9, abs=1e-6)


def test_garbage_in_an_occupancy_draws_without_crashing() -> None:
    for payload in (
        {"gamma_series": [1e308] * 12, "gamma_background_1s": 1e308, "sigma": 5},
        {"gamma_series": [float("nan"), 3], "gamma_background_1s": float("inf"), "sigma": 5},
        {"gamma_series": [1, 2], "gamma_background_1s": 10, "sigma": -1, "gamma_threshold": "x"},
        {"gamma_profile": [float("inf"), 1], "gamma_threshold": float("nan")},
        {"gamma_series": [10**400, [10**400, 2**1022, 2**1022]], "gamma_background_1s": 10**400},
        {"gamma_series": [1, 2], "gamma_threshold_1s": 10**400, "sigma": 5},
    ):
        assert isinstance(chart(profile_of(payload)).plain, str)


def test_command_palette_offers_only_the_roles_pages() -> None:
    from tui.app import BorderpostApp

    app = BorderpostApp(backend=None)  # type: ignore[arg-type]
    app.officer = {"officer_id": "tom", "role": "technician"}
    commands = itertools.takewhile(lambda c: c.title != "Help", app.get_system_commands(None))  # type: ignore[arg-type]
    titles = [c.title for c in commands]
    assert "Open Sensors" in titles and "Open Alerts" not in titles


def test_cli_has_the_documented_flags() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "edge", "tui", "--help"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0
    for flag in ("--state-dir", "--socket", "--theme"):
        assert flag in out.stdout


def test_a_scan_row_shows_what_was_read_and_what_it_is() -> None:
    from tui.rows import document_of, name_of

    payload = {
        "symbology": "]C1",
        "text": "CSQU3054383",
        "parsed": {"kind": "container", "valid": True},
    }
    assert document_of(payload) == "CSQU3054383" and name_of(payload) == "container"
    payload["parsed"] = {"kind": "mrn", "valid": False}
    assert name_of(payload) == "mrn (check failed)"


def test_raw_frames_show_the_time_of_day_to_the_millisecond() -> None:
    from tui.screens.diagnostics import frame_time

    assert frame_time(1796437343.25) == "02:22:23.250"  # not the UNIX seconds, cut off
    assert frame_time(1e30) == "?" and frame_time("\x1b[2Jx") == "[2Jx"


def test_the_sync_screen_names_each_figure_once() -> None:
    from tui.screens.sync import sync_text

    broker = {"connected": True, "broker": "hq:8883", "backlog": 1, "last_ack_seq": 40}
    shown = sync_text({"broker": broker, "backlog": 0, "last_ack_seq": 41}).plain.splitlines()
    firsts = [line.split()[0] for line in shown]
    assert len(firsts) == len(set(firsts)), shown  # one 'broker', one 'backlog', one ack
    assert shown[0].split() == ["link", "ONLINE"] and "backlog               0" in shown
