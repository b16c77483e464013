"""Names written in Myanmar script, spelt as Burmese names are spelt in Latin
(:mod:`edge.watchlist.myanmar`), and what that changes for the screener.

The names are public figures' (MIN AUNG HLAING, THAN SHWE, U THANT) and common Burmese names,
with the Latin spelling their bearers use; a table of letters alone (anyascii) spells
``မင်းအောင်လှိုင်`` MNEANLHIUN.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edge.watchlist import scripts
from edge.watchlist.myanmar import myanmar_words
from edge.watchlist.normalize import renderings
from edge.watchlist.screen import DECIDE, name_similarity


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("မင်းအောင်လှိုင်", "MIN AUNG HLAING"),  # င် after the inherent vowel, ော, ို; လှ HL
        ("အောင်ဆန်းစုကြည်", "AUNG SAN SU KYI"),  # အ a vowel's bearer; ဆ S; ကြ KY; ည် I
        ("သန်းရွှေ", "THAN SHWE"),  # သ TH; ရှ SH with ွ W
        ("နေဝင်း", "NE WIN"),
        ("ကျော်ဇော်", "KYAW ZAW"),  # ေ with ာ: AW, the asat on it a tone
        ("ချစ်", "CHIT"),  # ချ CH
        ("ဖြိုး", "PHYO"),  # ို after a medial Y: O
        ("စိုးမိုး", "SOE MOE"),  # ... else with the high tone OE
        ("ကို", "KO"),  # ... and with no tone mark O
        ("မြင့်", "MYINT"),  # the creaky dot on a nasal rhyme: T
        ("ထွန်း", "HTUN"),  # ထ HT; ွ with the inherent vowel before a final: U
        ("သိန်း", "THEIN"),  # ိ with န်: EIN
        ("ဦးသန့်", "U THANT"),  # ဦး first: the honorific U
        ("ထွန်းထွန်းဦး", "HTUN HTUN OO"),  # ... after a name: OO
        ("x ၁၂ y", "x y"),  # digits are no syllable
    ],
)
def test_burmese_names_are_spelt_a_word_a_syllable(written: str, latin: str) -> None:
    assert myanmar_words(written).split() == latin.split()


@given(st.text(st.characters(min_codepoint=0x1000, max_codepoint=0x109F), max_size=30))
def test_any_run_of_myanmar_script_is_spelt_in_latin_capitals(text: str) -> None:
    spelt = myanmar_words(text)
    assert all(c.isascii() and not c.islower() for c in spelt if not c.isspace())


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("မင်းအောင်လှိုင်", "Min Aung Hlaing"),  # anyascii: MNEANLHIUN, 0
        ("ဦး ခင်မောင်ဆွေ", "SWE, U Khin Maung"),  # U KHNMEANCHVE, 0.06
        ("စိုးဝင်း", "SOE WIN"),
    ],
)
def test_a_name_in_myanmar_script_finds_the_latin_one(
    query: str, listed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def score() -> float:
        scripts.romanise.cache_clear()
        renderings.cache_clear()
        return name_similarity({"name": query}, [listed])[0]

    with monkeypatch.context() as m:
        m.setattr(scripts, "myanmar_words", lambda text: text)  # anyascii alone
        assert score() < DECIDE
    assert score() >= DECIDE
