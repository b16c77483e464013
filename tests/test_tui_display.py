"""The console's one display helper, its command palette and its command line."""

from __future__ import annotations

import itertools
import subprocess
import sys
import unicodedata

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
    series, threshold = profile_of(
        {"gamma_profile": [[1, 2, 3, 4], 50, "x"], "gamma_threshold": 20}
    )
    assert series == [10.0, 50.0] and threshold == 20.0
    text = chart(series, threshold).plain
    assert "#" in text and "-" in text and "threshold 20" in text


def test_rpm_payload_profile_is_one_second_sums_against_the_1s_threshold() -> None:
    from drivers.rpm.alarm import gamma_check

    quiet, hot = [76.0 * 4] * 10, [120.0 * 2 + 90.0 * 2] * 5
    series = quiet + hot + quiet
    verdict = gamma_check([[v / 4] * 4 for v in series], [380.0] * 4, n=5.0)
    payload = {"gamma_series": series, "gamma_threshold_1s": verdict.threshold_1s}
    sums, threshold = profile_of(payload)
    assert len(sums) == len(series) - 4 and max(sums) == sum(hot)
    assert threshold == verdict.threshold_1s
    assert (max(sums) > threshold) == verdict.alarm


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
