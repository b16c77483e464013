"""Names written in Japanese kanji and kana, read as Japanese passports spell them
(:mod:`edge.watchlist.japanese`), and what that changes for the screener.

The kana spellings are the Hepburn rules Japanese passports follow (long vowels unwritten,
ん as M before B, M, P, っ doubling the next consonant); the names are constructed, common
Japanese and Chinese names. The real pairs (watchman's 山田太郎 / Yamada Taro) are in
``test_watchlist_names.py``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edge.watchlist.db import Watchlist
from edge.watchlist.japanese import _reading, hepburn, reading
from edge.watchlist.model import entry_from_json
from edge.watchlist.normalize import renderings
from edge.watchlist.screen import DECIDE, Screener, name_similarity


@pytest.mark.parametrize(
    ("kana", "latin"),
    [
        ("タロウ", "TARO"),  # a long O unwritten
        ("しんぞう", "SHINZO"),  # hiragana as its katakana; SHI
        ("ジュンイチロウ", "JUNICHIRO"),  # a small YU after JI: JU, not JIYU
        ("キョウコ", "KYOKO"),  # KI and a small YO
        ("ちゃ", "CHA"),
        ("ユウコ", "YUKO"),  # a long U unwritten
        ("オオノ", "ONO"),  # OO unwritten too
        ("ホンマ", "HOMMA"),  # ん before M
        ("サンペイ", "SAMPEI"),  # ん before P; EI kept
        ("ケンイチ", "KENICHI"),  # ん before a vowel stays N
        ("ハットリ", "HATTORI"),  # っ doubles the next consonant
        ("はっちょう", "HATCHO"),  # ... as T before CH
        ("フミ", "FUMI"),
        ("ツヨシ", "TSUYOSHI"),
        ("ファ", "FA"),  # a small vowel replaces the mora's
        ("ティム", "TIMU"),
        ("ラーメン", "RAMEN"),  # the long-vowel mark unwritten
        ("オウ", "OU"),  # no name of one letter: O would read as an initial
    ],
)
def test_kana_are_spelt_as_passports_spell_them(kana: str, latin: str) -> None:
    assert hepburn(kana) == latin


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("山田太郎", "YAMADA TARO"),  # surname and given name written as one word
        ("田中花子", "TANAKA HANAKO"),
        ("山田 太郎", "YAMADA TARO"),
        ("佐藤健", "SATO KEN"),  # a given name of one kanji after a surname of two
        ("くみ子 香織 佐藤", "KUMIKO KAORI SATO"),  # given names first, kana in one
        ("山田 たろう", "YAMADA TARO"),  # kanji and kana
        ("やまだ たろう", "YAMADA TARO"),  # kana alone, no dictionary
        ("ヤマダ・タロウ", "YAMADA TARO"),  # the middle dot parts two names
        ("東條英機", "TOJO HIDEKI"),
    ],
)
def test_japanese_names_are_read_in_japanese(name: str, read: str) -> None:
    assert reading(name) == read


@pytest.mark.parametrize(
    "name",
    [
        "王伟",  # simplified: 伟 is no Japanese word
        "习近平",
        "李明",  # a surname of one kanji written onto the given name: Chinese
        "王 明",  # one kanji a word: written as Chinese names are
        "麗美 雅玲 林",  # 雅玲 would be two Japanese names, 雅 and 玲
        "健一 拓真 山崎",  # 拓真 cut into common words (TSUBUSE SHIN)
        "山田 Taro",  # a word in Latin
        "やまだ Taro",  # ... after kana too: no reading that leaves TARO out
        "김정은",  # Hangul
        "Yamada Taro",
        "",
    ],
)
def test_names_the_dictionary_does_not_read_as_japanese_get_no_reading(name: str) -> None:
    assert reading(name) is None


def test_a_kanji_name_is_indexed_under_both_readings() -> None:
    forms = renderings("山田太郎")
    assert forms[0] == "SHAN TIAN TAI LANG"  # anyascii's Mandarin first, as before
    assert "YAMADA TARO" in forms
    assert all("YAMADA" not in f for f in renderings("王伟"))


@pytest.fixture
def screener(tmp_path: Path) -> Screener:
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply(
        [
            entry_from_json({"id": "jp", "kind": "person", "names": ["YAMADA, Taro"]}),
            entry_from_json({"id": "kanji", "kind": "person", "names": ["田中花子"]}),
            entry_from_json({"id": "cn", "kind": "person", "names": ["WANG, Wei"]}),
        ]
    )
    return Screener(wl)


def test_a_query_in_kanji_finds_the_latin_entry_and_says_how_it_was_read(
    screener: Screener,
) -> None:
    hits = screener.check([{"kind": "person", "name": "山田太郎"}])
    assert [h.entry_id for h in hits] == ["jp"] and hits[0].score >= DECIDE
    assert hits[0].explain["query_rendering"] == "YAMADA TARO"
    assert hits[0].explain["query_original"] == "山田太郎"


def test_a_passport_name_finds_an_entry_listed_in_kanji(screener: Screener) -> None:
    hits = screener.check([{"kind": "person", "surname": "TANAKA", "given_names": "HANAKO"}])
    assert [h.entry_id for h in hits] == ["kanji"]
    assert hits[0].matched == "TANAKA HANAKO (田中花子)"


def test_a_chinese_name_is_still_read_in_mandarin(screener: Screener) -> None:
    hits = screener.check([{"kind": "person", "name": "王伟"}])
    assert [h.entry_id for h in hits] == ["cn"]
    assert name_similarity({"name": "王伟"}, ["YAMADA, Taro"])[0] < DECIDE


def test_a_name_with_kana_is_read_in_japanese_only() -> None:
    """Kana make a name Japanese: its kanji are not also read as Chinese syllables (the
    generated さゆり 中川, SAYURI NAKAGAWA, alerted at 0.77 on a listed ZHANG, Chunxian as
    SAYURI ZHONG CHUAN). A name wholly in kanji may be either and keeps both readings."""
    assert name_similarity({"name": "さゆり 中川"}, ["NAKAGAWA, Sayuri"])[0] >= DECIDE
    assert name_similarity({"name": "さゆり 中川"}, ["ZHANG, Chunxian"])[0] < DECIDE
    assert name_similarity({"name": "中川"}, ["ZHONG, Chuan"])[0] >= DECIDE
    assert name_similarity({"name": "中川"}, ["NAKAGAWA"])[0] >= DECIDE


def test_a_chinese_syllable_is_no_western_given_name() -> None:
    """娟 read JUAN is no JOHN (the name tables' equivalent of the Spanish JUAN): a generated
    丽娟 吴 alerted on LEE, John Ka-chiu, a.k.a. LEE, John. Written in Latin letters, JUAN
    still is JOHN."""
    assert name_similarity({"name": "丽娟 吴"}, ["LEE, John"])[0] < DECIDE
    assert name_similarity({"name": "丽娟 吴"}, ["WU, Li Juan"])[0] >= DECIDE
    assert name_similarity({"name": "Juan Lee"}, ["LEE, John"])[0] >= DECIDE


def test_readings_from_many_threads_agree() -> None:
    """The dictionary is loaded once and read under a lock: threads get the same answers."""
    names = ["山田太郎", "田中花子", "佐藤健", "王伟"] * 25
    want = [_reading.__wrapped__(n) for n in names]
    got: list[str | None] = [None] * len(names)

    def read(i: int) -> None:
        got[i] = _reading.__wrapped__(names[i])

    threads = [threading.Thread(target=read, args=(i,)) for i in range(len(names))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == want


_JAPANESE_TEXT = st.text(
    alphabet=st.sampled_from("山田太郎花子佐藤王伟李明やまだたろうヤマダッーャュョァ・ 　,A1\x00"),
    max_size=80,
)


@given(_JAPANESE_TEXT)
def test_any_text_reads_as_latin_letters_or_none(text: str) -> None:
    read = reading(text)
    assert read is None or (read.replace(" ", "").isalpha() and read.isascii() and read.isupper())
    assert read is None or len(read) <= 4 * 64  # a hostile name stays bounded
