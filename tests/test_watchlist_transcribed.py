"""English names as other scripts write their sounds.

George is Джордж, Τζορτζ, Ջորջ and ჯორჯ, JORJ read back, whose first letter and ending are not
GEORGE's; the name tables hold JORJ as George in another language (``EQUIVALENTS`` of
:mod:`edge.watchlist.nametables`), as they hold JORGE and GIORGIO. Of 17 names of public
figures so written, written down before the table was changed, 4 were found both ways before
(those in Arabic and Hebrew letters, by the consonants an abjad writes), 15 now. Not found:
``Джордж Уэа`` (George Weah: Уэа, W as У), ``جورج واشنطن`` (Washington).

Russian writes an English W as У before a vowel (Уильям, Уоррен, Уэйн), which ICAO's letters
spell U: a name with such a word gets a reading with W for it
(:func:`edge.watchlist.loanwords.loan_readings`). Of 12 such names written down beforehand 1
was found both ways before, 10 now (not William Hague, Хейг; William Wallace, Уоллес WOLLES);
of 50 English and other Western names in Russian letters, 39 before and 42 now. Both are
issue 17's thirty-third part.
"""

from __future__ import annotations

import pytest
from conftest import found_for_another, found_without, scores_both_ways

from edge.watchlist import normalize
from edge.watchlist.normalize import renderings
from edge.watchlist.screen import DECIDE

GEORGE = [
    ("Джордж Буш", "George Bush"),
    ("Джордж Сорос", "George Soros"),
    ("Джордж Клуни", "George Clooney"),
    ("Джордж Вашингтон", "George Washington"),
    ("Джордж Оруэлл", "George Orwell"),
    ("Τζορτζ Μπους", "George Bush"),
    ("Τζορτζ Σόρος", "George Soros"),
    ("Τζορτζ Κλούνεϊ", "George Clooney"),
    ("جورج بوش", "George Bush"),
    ("جورج سوروس", "George Soros"),
    ("ג'ורג' בוש", "George Bush"),
    ("ג'ורג' סורוס", "George Soros"),
    ("Ջորջ Բուշ", "George Bush"),
    ("ჯორჯ ბუში", "George Bush"),
    ("Джордж Буш", "George W. Bush"),
]


W_NAMES = [
    ("Уолтер Кронкайт", "Walter Cronkite"),
    ("Уэсли Снайпс", "Wesley Snipes"),
    ("Уэнди Шерман", "Wendy Sherman"),
    ("Уоррен Кристофер", "Warren Christopher"),
    ("Уолтер Мондейл", "Walter Mondale"),
    ("Уилл Смит", "Will Smith"),
    ("Уэйн Гретцки", "Wayne Gretzky"),
    ("Уоррен Баффет", "Warren Buffett"),
    ("Уэйн Руни", "Wayne Rooney"),
    ("Уолт Дисней", "Walt Disney"),
]


@pytest.mark.parametrize(("written", "latin"), GEORGE)
def test_george_is_found_as_other_scripts_write_him(written: str, latin: str) -> None:
    assert min(scores_both_ways(written, latin)) >= DECIDE


def test_no_george_is_found_for_another_nor_a_relative() -> None:
    assert found_for_another([*GEORGE[:5], ("Джеб Буш", "Jeb Bush")]) == []


def test_a_russian_u_before_a_vowel_is_read_as_w_too() -> None:
    assert renderings("Уоррен Баффет") == ("UORREN BAFFET", "WORREN BAFFET")
    assert renderings("Пётр Ушаков") == ("PETR USHAKOV", "PYOTR USHAKOV")  # У before a consonant


@pytest.mark.parametrize(("written", "latin"), W_NAMES)
def test_english_w_names_in_russian_letters_are_found(written: str, latin: str) -> None:
    assert min(scores_both_ways(written, latin)) >= DECIDE


@pytest.mark.parametrize(("written", "latin"), W_NAMES[:4])
def test_the_w_reading_is_what_finds_them(
    written: str, latin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = [(normalize, "loan_readings", lambda text: ())]
    assert found_without(monkeypatch, taken, written, latin) == (False, True)


def test_no_w_name_is_found_for_another() -> None:
    assert found_for_another(W_NAMES) == []
