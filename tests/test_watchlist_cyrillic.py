"""Names written in the Cyrillic letters of Central Asia, Mongolia, the Volga and the Caucasus
(``OTHER_LETTERS`` of :mod:`edge.watchlist.normalize`), and Azerbaijani Ə — letters the ICAO
tables lack, which were dropped (Нұрсұлтан was N RS LTAN).

The names are public figures', with the Latin spelling each uses. ``PUBLIC_FIGURES`` were
looked at while the table was written; ``NOT_LOOKED_AT`` were written down before the table
was first run on them, and none was changed after.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from conftest import screened_ids

from edge.watchlist.normalize import OTHER_LETTERS, OTHER_LETTERS_ALT, renderings, to_mrz
from edge.watchlist.screen import DECIDE, name_similarity
from edge.watchlist.scripts import script_of

PUBLIC_FIGURES = [
    ("Нұрсұлтан Әбішұлы Назарбаев", "Nursultan Abishuly Nazarbayev"),
    ("Қасым-Жомарт Тоқаев", "Kassym-Jomart Tokayev"),
    ("Эмомалӣ Раҳмон", "Emomali Rahmon"),
    ("Өмүрбек Бабанов", "Omurbek Babanov"),
    ("Минтимер Шәймиев", "Mintimer Shaimiev"),
    ("Ғани Мұратбаев", "Gani Muratbayev"),
    ("Әлихан Смайылов", "Alikhan Smailov"),
    ("Ерлан Қошанов", "Yerlan Koshanov"),
    ("İlham Əliyev", "Ilham Aliyev"),
]
NOT_LOOKED_AT = [
    ("Мұхтар Әуезов", "Mukhtar Auezov"),
    ("Бауыржан Момышұлы", "Baurzhan Momyshuly"),
    ("Димаш Құдайберген", "Dimash Kudaibergen"),
    ("Чыңгыз Айтматов", "Chingiz Aitmatov"),
    ("Өмүрбек Текебаев", "Omurbek Tekebayev"),
    ("Раҳматулло Зойиров", "Rakhmatullo Zoirov"),
    ("Ҳоҷӣ Акбар Тураҷонзода", "Hoji Akbar Turajonzoda"),
    ("Маҳмадсаид Убайдуллоев", "Mahmadsaid Ubaydulloyev"),
    ("Ухнаагийн Хүрэлсүх", "Ukhnaagiin Khurelsukh"),
    ("Лувсаннамсрайн Оюун-Эрдэнэ", "Luvsannamsrain Oyun-Erdene"),
    ("Мөнхбаяр", "Munkhbayar"),
    ("Мортаза Рәхимов", "Murtaza Rakhimov"),
    ("Mehriban Əliyeva", "Mehriban Aliyeva"),
    ("Elmar Məmmədyarov", "Elmar Mammadyarov"),
]
SIGNS = {"Ь", "ь", "Ҍ", "ҍ", "Ꙏ", "ꙏ", "ꙿ", "ꚝ", "Ӏ", "ӏ", "Ԧ", "ԧ"}
"""Cyrillic letters that are spelt as nothing: the soft and semi-soft signs and the yers,
which mark the letter before them, the palochka, and SHHA with descender, which
anyascii does not spell."""


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("Нұрсұлтан", "NURSULTAN"),  # Ұ U
        ("Тоқаев", "TOKAEV"),  # Қ K
        ("Өмүрбек", "OMURBEK"),  # Ө O, Ү U
        ("Раҳмон", "RAHMON"),  # Ҳ H (Х is KH)
        ("Ҷалол", "JALOL"),  # Ҷ J
        ("Ғафур", "GAFUR"),  # Ғ G
        ("Мөңгөнцэцэг", "MONGONTSETSEG"),  # Ң N
        ("Шәймиев", "SHAIMIEV"),  # Ә A
        ("Әліұлы", "ALIULY"),  # Kazakh І as Ukrainian І: I
        ("Ахьмад", "AKHMAD"),  # a soft sign is not spelt
        ("ГӀалгӀай", "GALGAI"),  # nor the palochka
        ("Əliyev", "ALIYEV"),  # Azerbaijani Ə A
    ],
)
def test_the_letters_are_spelt_as_passports_print_them(written: str, latin: str) -> None:
    assert to_mrz(written) == latin
    assert script_of(written) == ("Latn" if written.startswith("Ə") else "Cyrl")


def test_a_letter_with_two_common_spellings_gives_both() -> None:
    """Tajik and Uzbek Latin write Қ Q and Ғ GH; a name spelt from its Russian form Ҳ KH."""
    assert renderings("Қурбонов Ғулом") == ("KURBONOV GULOM", "QURBONOV GHULOM")
    assert renderings("Ҳамидов") == ("HAMIDOV", "KHAMIDOV")
    assert set(OTHER_LETTERS_ALT) <= set(OTHER_LETTERS)


def test_no_cyrillic_letter_is_dropped_but_the_signs() -> None:
    """Every letter of the Cyrillic blocks, between two letters, adds a Latin letter — the
    table's, or anyascii's for a letter it has no row for (Komi Ԁ, Abkhaz Ҭ) — but the signs."""
    blocks = [*range(0x400, 0x530), *range(0x1C80, 0x1C90), *range(0xA640, 0xA6A0)]
    letters = [chr(cp) for cp in blocks if chr(cp).isalpha()]
    dropped = {ch for ch in letters if to_mrz(f"A{ch}A").replace(" ", "") == "AA"}
    assert dropped == SIGNS
    assert all(unicodedata.name(ch).startswith("CYRILLIC") for ch in OTHER_LETTERS if ch != "Ə")


def test_no_letter_is_dropped_for_want_of_a_row() -> None:
    """Latin letters outside the ICAO table with no decomposition go through anyascii, as every
    letter of a script without a table does (Ewe and Akan Ɛ Ɔ)."""
    assert to_mrz("Ɛfua Ɔsei") == "EFUA OSEI"
    assert to_mrz("Ꚁ") != ""


@pytest.mark.parametrize(("written", "latin"), PUBLIC_FIGURES + NOT_LOOKED_AT)
def test_public_figures_are_found_by_the_spelling_they_use(written: str, latin: str) -> None:
    assert name_similarity({"name": written}, [latin])[0] >= DECIDE
    assert name_similarity({"name": latin.upper()}, [written])[0] >= DECIDE


def test_the_screener_finds_them_both_ways(tmp_path: Path) -> None:
    """Through the index: a passport's Latin name finds the person listed in Kazakh or Tajik
    Cyrillic, and a query written so the person listed in Latin letters."""
    listed = {
        "tokayev": "Қасым-Жомарт Тоқаев",
        "rahmon": "Эмомалӣ Раҳмон",
        "nazarbayev": "NAZARBAYEV, Nursultan",
        "aliyev": "Əliyev, İlham",
    }
    queries = {
        "TOKAYEV KASSYM JOMART": {"tokayev"},
        "RAKHMON EMOMALI": {"rahmon"},
        "Нұрсұлтан Назарбаев": {"nazarbayev"},
        "ALIYEV ILHAM": {"aliyev"},
    }
    assert screened_ids(tmp_path / "wl.db", listed, queries) == queries
