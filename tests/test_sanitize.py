"""clean_text: untrusted text loses control and format characters and is bounded."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from sync.sanitize import clean_text

DROPPED = ("Cc", "Cf", "Cs", "Co", "Cn")


@given(st.text(), st.integers(min_value=0, max_value=300))
def test_nothing_unsafe_survives_and_the_bound_holds(text: str, max_len: int) -> None:
    out = clean_text(text, max_len)
    assert len(out) <= max_len
    assert all(ch == "\t" or unicodedata.category(ch) not in DROPPED for ch in out)
    kept = "".join(ch for ch in text if ch == "\t" or unicodedata.category(ch) not in DROPPED)
    assert kept.startswith(
        out
    )  # what is kept keeps its order (a long run of controls may cut more)
    if len(text) <= max_len:
        assert out == kept


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F)))
def test_ascii_with_controls_takes_the_careful_path(text: str) -> None:
    """The printable-ASCII shortcut must not let an escape, a bell or a DEL through."""
    assert clean_text(text) == "".join(ch for ch in text if ch == "\t" or 0x20 <= ord(ch) < 0x7F)


def test_terminal_escapes_and_bidi_overrides_are_dropped() -> None:
    assert clean_text("\x1b]0;x\x07A\u202eB\x7f\u200bC", 10) == "]0;xABC"
    assert clean_text("ABCDEF", 3) == "ABC"
