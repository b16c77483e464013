"""Chinese names written in Cyrillic by the Palladius system (:mod:`edge.watchlist.palladius`)
read back in pinyin — and what that changes for the screener.

The names are Chinese public figures' (party and state leaders, ministers, a businessman), as
Russian writes them, with the pinyin of their passports. They were written down before the
reading was run (issue 17's thirty-second part): 6 of the 20 were found both ways before (the
name in Cyrillic against the pinyin, and the pinyin in a passport's capitals against the
Cyrillic), by the letters ICAO's Cyrillic table gives (SI TSZINPIN); all 20 now. Among them
no name is found for another (0 of 380 pairs). ``UKRAINIAN``: seven of them in Ukrainian
letters.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import found_for_another, scores_both_ways, screened_ids
from hypothesis import given
from hypothesis import strategies as st

from edge.watchlist.normalize import renderings, to_mrz
from edge.watchlist.palladius import cyrillic, palladius, russian_letters, word
from edge.watchlist.screen import DECIDE
from edge.watchlist.syllables import syllable_key

CHINESE_IN_CYRILLIC = [
    ("Си Цзиньпин", "Xi Jinping"),
    ("Ху Цзиньтао", "Hu Jintao"),
    ("Мао Цзэдун", "Mao Zedong"),
    ("Ли Кэцян", "Li Keqiang"),
    ("Ван И", "Wang Yi"),
    ("Дэн Сяопин", "Deng Xiaoping"),
    ("Чжоу Эньлай", "Zhou Enlai"),
    ("Цзян Цзэминь", "Jiang Zemin"),
    ("Вэнь Цзябао", "Wen Jiabao"),
    ("Ли Цян", "Li Qiang"),
    ("Чжао Лэцзи", "Zhao Leji"),
    ("Ван Хунин", "Wang Huning"),
    ("Цай Ци", "Cai Qi"),
    ("Дин Сюэсян", "Ding Xuexiang"),
    ("Хань Чжэн", "Han Zheng"),
    ("Чэнь Шуйбянь", "Chen Shui-bian"),
    ("Лай Циндэ", "Lai Ching-te"),
    ("Ма Юнь", "Ma Yun"),
    ("Го Вэньгуй", "Guo Wengui"),
    ("Чжан Ливэй", "Zhang Liwei"),
]

UKRAINIAN = [
    # the same names as Ukrainian writes them, with its own letters (І for И, И for Ы, Е for Э),
    # written down before they were read (1 of 7 found before, by ICAO's letters; 7 now)
    ("Сі Цзіньпін", "Xi Jinping"),
    ("Ху Цзіньтао", "Hu Jintao"),
    ("Мао Цзедун", "Mao Zedong"),
    ("Ден Сяопін", "Deng Xiaoping"),
    ("Лі Кецян", "Li Keqiang"),
    ("Ван І", "Wang Yi"),
    ("Лі Цян", "Li Qiang"),
]


@pytest.mark.parametrize(
    ("pinyin", "spelt"),
    [
        ("JIN", "цзинь"),  # J as ЦЗ; -N as НЬ
        ("PING", "пин"),  # -NG as Н
        ("XI", "си"),
        ("SI", "сы"),  # I after Z, C, S: Ы
        ("ZI", "цзы"),
        ("ZHONG", "чжун"),  # ZH as ЧЖ; ONG as УН
        ("RI", "жи"),  # R as Ж
        ("JU", "цзюй"),  # U after J, Q, X is Ü
        ("XUE", "сюэ"),
        ("DE", "дэ"),  # E after a consonant: Э
        ("XIE", "се"),  # IE: Е
        ("LUO", "ло"),  # UO: О
        ("WEN", "вэнь"),
        ("YU", "юй"),
        ("YE", "е"),
    ],
)
def test_pinyin_is_spelt_as_palladius_spells_it(pinyin: str, spelt: str) -> None:
    assert cyrillic(pinyin) == spelt


def test_every_syllable_is_read_back_as_itself() -> None:
    """Palladius spells each pinyin syllable one way: read back, each is itself, but two
    interjections: LO, spelt ЛО as LUO is and read as the name LUO, and YO, Ё, read as the Е
    Russian writes for it (YE)."""
    from anyascii import anyascii

    syllables = {anyascii(chr(c)).upper() for c in range(0x4E00, 0xA000)}
    spelt = {s: cyrillic(s) for s in syllables if s.isalpha()}
    read = {s: word(c) for s, c in spelt.items() if c is not None}
    assert len(read) > 400
    assert {s for s, r in read.items() if r != s} == {"LO", "YO"}


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("цзиньпин", "JINPING"),
        ("Хунин", "HUNING"),  # ХУ НИН: a vowel after Н starts no syllable without Ъ
        ("хунъин", "HONGYING"),
        ("тяньаньмэнь", "TIANANMEN"),  # after НЬ it may
        ("Чжоу", "ZHOU"),
        ("цзиньпинпинпин", None),  # four syllables: no Chinese name's word
        ("Петров", None),
        ("Ольга", None),
    ],
)
def test_a_word_is_read_syllable_by_syllable(written: str, read: str | None) -> None:
    assert word(written) == read


@pytest.mark.parametrize(
    "name", ["Иван Петров", "Си", "Xi Jinping", "Си Jinping", "习近平", "Александр Си"]
)
def test_only_a_name_of_palladius_syllables_is_read(name: str) -> None:
    """Two words at least, each in Cyrillic and one to three syllables."""
    assert palladius(name) is None


def test_the_reading_is_one_rendering_more() -> None:
    """ICAO's letters stay first: the MRZ of a Russian document prints them."""
    assert renderings("Си Цзиньпин") == ("SI TSZINPIN", "XI JINPING")
    assert to_mrz("Си Цзиньпин") == "SI TSZINPIN"
    assert palladius("Анна Ли") == "ANGNA LI"  # a Russian name that parses gains a reading


def test_cyrillic_ya_ye_yu_are_syllables_with_y() -> None:
    """ICAO spells Ю IU: ЮНЬ's IUN is the syllable YUN (馬雲 Ma Yun's given name)."""
    assert syllable_key("IUN") == syllable_key("YUN")
    assert syllable_key("IAN") == syllable_key("YAN")
    assert syllable_key("LIU") != syllable_key("LYU")


def test_ukrainian_letters_are_read_as_russian_ones() -> None:
    assert russian_letters("Сі Цзіньпін") == "Си Цзиньпин"
    assert russian_letters("Ден Сяопін") == "Дэн Сяопин"
    assert russian_letters("Дэн Сяопин") == "Дэн Сяопин"  # no letter only Ukrainian has
    assert palladius("Сі Цзіньпін") == "XI JINPING"


@pytest.mark.parametrize(("written", "latin"), CHINESE_IN_CYRILLIC + UKRAINIAN)
def test_chinese_names_in_cyrillic_are_found_both_ways(written: str, latin: str) -> None:
    assert min(scores_both_ways(written, latin)) >= DECIDE


def test_a_name_is_not_found_for_another() -> None:
    names = [(w, latin) for w, latin in CHINESE_IN_CYRILLIC if w.startswith(("Ли", "Ван"))]
    assert found_for_another(names) == []


def test_the_screener_finds_them_both_ways(tmp_path: Path) -> None:
    listed = {"xi": "Си Цзиньпин", "li": "LI, Keqiang", "wang": "Ван Хунин"}
    queries = {
        "XI JINPING": {"xi"},  # a Chinese passport's MRZ
        "Ли Кэцян": {"li"},  # a Russian-language record
        "WANG HUNING": {"wang"},
        "WANG YI": set(),
        "LI QIANG": set(),
    }
    assert screened_ids(tmp_path / "wl.db", listed, queries) == queries


@given(st.text(st.characters(min_codepoint=0x400, max_codepoint=0x4FF), max_size=30))
def test_any_cyrillic_is_read_in_latin_capitals_or_not_at_all(text: str) -> None:
    read = palladius(text + " " + text[::-1])
    assert read is None or set(read) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ ")
