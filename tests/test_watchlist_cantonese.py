"""Chinese names read in Cantonese as Hong Kong spells them (:mod:`edge.watchlist.cantonese`),
and what that changes for the screener.

The names are public figures' of Hong Kong (chief executives, ministers, the police chief,
tycoons, actors) in Chinese characters, with the spelling of their Hong Kong papers. Read in
Mandarin alone, none of the 32 the rules were written on and 5 of the 30 listed beforehand
were found both ways (the name in characters against the Latin one, and the Latin one against
the characters); now 30 and 20. Across these 62 and the 186 foreign names of
``test_watchlist_loanwords.py``, no name is found for another at the band (0 of 30,752 pairs).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import names_screener, screened_ids
from hypothesis import given
from hypothesis import strategies as st

from edge.watchlist import cantonese as cantonese_module
from edge.watchlist import index, normalize
from edge.watchlist.cantonese import cantonese, hong_kong
from edge.watchlist.db import Watchlist
from edge.watchlist.index import person_forms
from edge.watchlist.model import Person, entry_from_json
from edge.watchlist.normalize import renderings
from edge.watchlist.screen import DECIDE, Screener, name_similarity, person_query
from edge.watchlist.syllables import hong_kong_key, is_syllable


@pytest.mark.parametrize(
    ("jyutping", "spelt"),
    [
        ("zoeng1", "CHEUNG"),  # Z as CH; OE as EU
        ("dang6", "TANG"),  # plain D as T
        ("bing2", "PING"),
        ("gaa1", "KA"),  # the long AA as A
        ("gwok3", "KWOK"),
        ("zan3", "CHUN"),  # the short A before N after a hissing consonant: U
        ("man4", "MAN"),  # and A after M
        ("sam1", "SUM"),
        ("seon3", "SHUN"),  # S before a rounded vowel: SH
        ("ceoi4", "CHUI"),
        ("jyut6", "YUET"),  # J as Y, YU kept
        ("syun1", "SUEN"),
        ("si1", "SZE"),
        ("ji4", "YEE"),
        ("ng4", "NG"),  # a nasal alone
        ("gou1", "KO"),
        ("x9", ""),  # no syllable
    ],
)
def test_jyutping_is_spelt_as_hong_kong_spells_names(jyutping: str, spelt: str) -> None:
    assert hong_kong(jyutping) == spelt


def test_surnames_are_spelt_as_their_holders_spell_them() -> None:
    assert hong_kong("zau1", "周") == "CHOW"  # by the rules CHAU
    assert hong_kong("lei5", "李") == "LEE"
    assert hong_kong("zau1") == "CHAU"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("李家超", "LEE KA CHIU"),
        ("林鄭月娥", "LAM CHENG YUET NGO"),
        ("林郑月娥", "LAM CHENG YUET NGO"),  # simplified characters too
        ("梁 振英", "LEUNG CHUN YING"),  # written words kept apart
        ("Lee 家超", "KA CHIU"),  # only the characters are read
    ],
)
def test_a_name_is_read_character_by_character(written: str, read: str) -> None:
    assert cantonese(written) == read


def test_a_character_is_read_as_in_names_not_as_alone() -> None:
    """ToJyutping reads 平 alone peng4, in words ping4; names read it so too."""
    assert cantonese("鄧小平") == "TANG SIU PING"
    assert cantonese("建平 刘") == "KIN PING LAU"


_READ_IN_A_FRESH_PROCESS = """
import resource, sys
from edge.watchlist.cantonese import cantonese
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(cantonese("李家超"), "ToJyutping" in sys.modules, "janome" in sys.modules,
      (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def _fresh(code: str, *args: str) -> list[str]:
    """What a fresh interpreter running ``code`` prints, split in words."""
    run = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    return run.stdout.split()


def test_the_table_is_made_by_a_child_process_and_tojyutping_is_not_kept() -> None:
    """The reading needs a character table of some 5 MB; ToJyutping holds 70 MB to give it,
    which stay with the child that made it. (The Japanese dictionary, which tells Japanese
    names apart, is loaded: about 75 MB.)"""
    *read, kept, japanese, added_mb = _fresh(_READ_IN_A_FRESH_PROCESS)
    assert (" ".join(read), kept, japanese) == ("LEE KA CHIU", "False", "True")
    assert int(added_mb) < 120  # with ToJyutping here too, some 145


_SCREEN_IN_A_FRESH_PROCESS = """
import sys
from edge.watchlist import cantonese, japanese
from edge.watchlist.db import Watchlist
from edge.watchlist.screen import Screener
screener = Screener(Watchlist.open(sys.argv[1]))
for surname, given in (("LIANG", "CHAO"), ("KIMURA", "KYOSUKE"), ("LEUNG", "CHIU")):
    key = {"kind": "person", "surname": surname, "given_names": given}
    print(",".join(sorted(h.entry_id for h in screener.check([key]))) or "-")
print(japanese._tokenizer is None, cantonese._table is None)
"""


def test_screening_names_in_latin_letters_reads_no_listed_name_again(tmp_path: Path) -> None:
    """A list's readings are made when it is imported; a post screening passports (MRZ, Latin
    letters) against people listed in Chinese characters or kanji loads neither reader."""
    with names_screener(tmp_path / "wl.db", {"a": "梁 超", "b": "木村 京助"}):
        pass
    found = _fresh(_SCREEN_IN_A_FRESH_PROCESS, str(tmp_path / "wl.db"))
    assert found == ["a", "b", "a", "True", "True"]


def test_the_childs_table_is_tojyutpings() -> None:
    table = cantonese_module._from_child()
    assert table == cantonese_module.readings()
    assert table["李"] == "lei5" and table["平"] == "ping4" and len(table) > 25_000


@pytest.mark.parametrize(
    ("program", "why"),
    [
        ("/nonexistent/python", "No such file"),  # no interpreter to run
        ("/bin/false", "non-zero exit status 1"),  # the child fails
        ("/bin/echo", "Expecting value"),  # it prints no JSON
    ],
)
def test_without_a_child_the_table_is_made_here(
    program: str, why: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sys, "executable", program)
    monkeypatch.setattr(cantonese_module, "_table", None)
    assert cantonese_module._from_child() is None
    assert "no child process" in caplog.text and why in caplog.text
    assert cantonese_module._loaded() == cantonese_module.readings()


@pytest.mark.parametrize(
    "other", ["Lee Ka-chiu", "ドナルド・トランプ", "唐纳德·特朗普", "山田 たろう", "김정은", ""]
)
def test_only_chinese_names_are_read(other: str) -> None:
    """Latin, kana (a Japanese name), a dot between words (a foreign name), Hangul."""
    assert cantonese(other) is None


@given(st.text(st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF), max_size=20))
def test_any_characters_are_read_as_syllables_in_latin_capitals(text: str) -> None:
    read = cantonese(text)
    assert read is None or all(is_syllable(s) for s in read.split())


@given(st.text(max_size=30))
def test_any_text_is_read_or_refused_without_error(text: str) -> None:
    read = cantonese(text)
    assert read is None or (read == read.strip() and all(is_syllable(s) for s in read.split()))


def test_the_reading_is_one_rendering_beside_mandarin() -> None:
    assert renderings("李家超") == ("LI JIA CHAO", "LEE KA CHIU", "LI CHIA CHAO")  # + Wade–Giles
    query = person_query({"name": "李家超"})
    assert query is not None and query.tokens == ("LI", "JIA", "CHAO")
    heard, wade_giles = query.others
    assert heard.tokens == ("LEE", "KA", "CHIU") and heard.strict == "cantonese"
    assert heard.syllables and heard.words == (0, 0, 0)
    assert wade_giles.strict == "wade_giles"
    assert cantonese("馬") is None  # MA, as pinyin spells it: no reading of its own
    listed = entry_from_json({"id": "1", "kind": "person", "names": ["李家超"]}).subject
    assert isinstance(listed, Person)  # its stored forms say which readings are strict
    assert [form[3:] for form in person_forms(listed)] == [(), ("cantonese",), ("wade_giles",)]


HONG_KONG = [
    ("李家超", "LEE Ka-chiu"),
    ("林鄭月娥", "LAM CHENG Yuet-ngor"),
    ("鄭若驊", "CHENG Yeuk-wah"),
    ("鄧炳強", "TANG Ping-keung"),
    ("曾國衞", "TSANG Kwok-wai"),
    ("梁振英", "LEUNG Chun-ying"),
    ("曾蔭權", "TSANG Yam-kuen"),
    ("何鴻燊", "HO Hung-sun"),
    ("李嘉誠", "LI Ka-shing"),
    ("黎智英", "LAI Chee-ying"),
    ("黃之鋒", "WONG Chi-fung"),
    ("周庭", "CHOW Ting"),
    ("羅冠聰", "LAW Kwun-chung"),
    ("張建宗", "CHEUNG Kin-chung"),
    ("陳國基", "CHAN Kwok-ki"),
    ("梁君彥", "LEUNG Kwan-yen"),
    ("聶德權", "NIP Tak-kuen"),
    ("蕭澤頤", "SIU Chak-yee"),
    ("盧偉聰", "LO Wai-chung"),
    ("劉江華", "LAU Kong-wah"),
    ("楊潤雄", "YEUNG Yun-hung"),
    ("陳肇始", "CHAN Siu-chee"),
    ("黃錦星", "WONG Kam-sing"),
    ("邱騰華", "YAU Tang-wah"),
    ("周潤發", "CHOW Yun-fat"),
    ("梁朝偉", "LEUNG Chiu-wai"),
    ("劉德華", "LAU Tak-wah"),
    ("張學友", "CHEUNG Hok-yau"),
    ("郭富城", "KWOK Fu-shing"),
    ("張國榮", "CHEUNG Kwok-wing"),
]
"""30 of the 32 names the rules were written on; not found: 董建華 TUNG Chee-hwa (建 is KIN
in Cantonese; CHEE is his family's Shanghainese) and 陳茂波 CHAN Mo-po (茂 MAU)."""

HONG_KONG_BEFOREHAND = [
    ("周星馳", "CHOW Sing-chi"),
    ("梅艷芳", "MUI Yim-fong"),
    ("陳港生", "CHAN Kong-sang"),
    ("李振藩", "LEE Jun-fan"),
    ("吳宇森", "NG Yu-sum"),
    ("何厚鏵", "HO Hau-wah"),
    ("崔世安", "CHUI Sai-on"),
    ("范徐麗泰", "FAN HSU Lai-tai"),
    ("曾俊華", "TSANG Chun-wah"),
    ("黃仁龍", "WONG Yan-lung"),
    ("李國章", "LI Kwok-cheung"),
    ("羅致光", "LAW Chi-kwong"),
    ("許正宇", "HUI Ching-yu"),
    ("陳帆", "CHAN Fan"),
    ("孫玉菡", "SUN Yuk-han"),
    ("謝展寰", "TSE Chin-wan"),
    ("麥美娟", "MAK Mei-kuen"),
    ("湯家驊", "TONG Ka-wah"),
    ("霍英東", "FOK Ying-tung"),
    ("鄭裕彤", "CHENG Yu-tung"),
]
"""20 of 30 names listed before the rules were run on them (5 found before, by Mandarin).
Not found: spellings a family keeps rather than the sound — 王家衛 WONG Kar-wai (家 KA),
葉劉淑儀 IP LAU Suk-yee (葉 YIP), 唐英年 TANG Ying-yen (唐 TONG), 林瑞麟 LAM Sui-lung (瑞
SHUI, 麟 LUN), 李兆基 LEE Shau-kee (兆 SIU), 吳光正 WOO Kwong-ching (吳 NG), 梁愛詩 LEUNG
Oi-sie (詩 SZE), 孫逸仙 SUN Yat-sen (孫 SUEN, 仙 SIN) —, Macau's (尹國駒 WAN Kuok-koi) and a
Mandarin surname in a Hong Kong name (陳方安生 CHAN FANG On-sang, 方 FONG). Read as loosely as
romanisations are compared, 24 were found; the strict comparison costs four."""


@pytest.mark.parametrize(("written", "latin"), HONG_KONG + HONG_KONG_BEFOREHAND)
def test_hong_kong_people_are_found_by_the_spelling_they_use(written: str, latin: str) -> None:
    assert _score(written, latin) >= DECIDE
    assert _score(latin.upper(), written) >= DECIDE  # a passport's name against the listing


@pytest.mark.parametrize(
    ("written", "latin"), [HONG_KONG[0], HONG_KONG[5], HONG_KONG[23], HONG_KONG_BEFOREHAND[0]]
)
def test_the_cantonese_reading_is_what_finds_them(
    written: str, latin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        m.setattr(normalize, "cantonese", lambda text: None)
        m.setattr(index, "cantonese", lambda text: None)
        assert _score(written, latin) < DECIDE
        assert _score(latin.upper(), written) < DECIDE
    assert _score(written, latin) >= DECIDE


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("周庭", "CHOW Sing-chi"),  # CHOW is a syllable, so TING is compared as one: no SING
        ("CHOW TING", "周星馳"),
        ("俊 王", "WANG, Chen"),  # CHUN WONG: near syllables, 0.90 if compared loosely
        ("刚 王", "WONG KAM KONG"),  # WONG KONG: a syllable left over is another name's
        ("KEVIN AARON LEE", "军 李"),  # KWAN LEE: the listed reading wholly found or none
        ("楠 李", "RI HO NAM"),
        ("亮 蒋", "WANG CHUNG LUNG"),  # LEUNG CHEUNG: Korean's EU is U, Cantonese's is not
    ],
)
def test_another_name_is_not_found(query: str, listed: str) -> None:
    assert _score(query, listed) < DECIDE


def test_a_name_besides_the_syllables_may_be_left_over() -> None:
    """An English given name beside the Chinese one is no syllable of it."""
    assert _score("LEE KA CHIU JOHN", "李家超") >= DECIDE
    assert _score("李家超", "LEE Ka-chiu John") >= DECIDE


@pytest.mark.parametrize(
    ("a", "b"),
    [("LEE", "LI"), ("LEI", "LEE"), ("KEI", "KI"), ("CHOW", "CHAU"), ("LAW", "LO"),
     ("POON", "PUN"), ("NGOR", "NGO"), ("KWUN", "KUN"), ("SZE", "SI"), ("TSANG", "CHANG")],
)  # fmt: skip
def test_hong_kong_spellings_of_one_sound_are_one_syllable(a: str, b: str) -> None:
    assert hong_kong_key(a) == hong_kong_key(b)


@pytest.mark.parametrize(("a", "b"), [("CHEUNG", "CHUNG"), ("CHUN", "CHEN"), ("WONG", "WANG")])
def test_other_sounds_are_other_syllables(a: str, b: str) -> None:
    assert hong_kong_key(a) != hong_kong_key(b)


@pytest.mark.parametrize("token", ["CHOW", "LAW", "NG", "M", "SZE", "NGAN", "YUET"])
def test_hong_kong_spellings_are_syllables(token: str) -> None:
    assert is_syllable(token)


def _score(query: str, listed: str) -> float:
    cantonese_module._cantonese.cache_clear()
    renderings.cache_clear()
    return name_similarity({"name": query}, [listed])[0]


def test_the_screener_finds_them_both_ways(tmp_path: Path) -> None:
    """Through the index: a Hong Kong passport's name finds the person listed in characters,
    and a query in characters the person listed in Latin letters."""
    listed = {
        "lee": "李家超",
        "lam": "LAM CHENG, Yuet-ngor",
        "tang": "鄧炳強",
        "xi": "XI Jinping",
    }
    queries = {
        "LEE KA CHIU": {"lee"},
        "林鄭月娥": {"lam"},
        "TANG PING KEUNG": {"tang"},
        "習近平": {"xi"},
        "CHAN KWOK KI": set(),
    }
    assert screened_ids(tmp_path / "wl.db", listed, queries) == queries


@pytest.mark.parametrize(
    ("name", "forms_before", "keys_added", "schema", "spelt", "key"),
    [
        # schema 17 adds the Cantonese reading: the Mandarin one only before
        ("李家超", '[["LI JIA CHAO","","李家超"]]', ("eCHIU", "eKA"), 16, "LEE KA CHIU", "eCHIU"),
        # schema 18 adds the Wade–Giles reading, found by the Taiwan spelling
        (
            "陳建仁",
            '[["CHEN JIAN REN","","陳建仁"],["CHAN KIN YAN","","陳建仁"]]',
            ("eCHIEN", "eJEN"),
            17,
            "CHEN CHIEN JEN",
            "eCHIEN",
        ),
    ],
)
def test_an_older_list_gets_the_readings_of_chinese_names(
    tmp_path: Path,
    name: str,
    forms_before: str,
    keys_added: tuple[str, str],
    schema: int,
    spelt: str,
    key: str,
) -> None:
    """Schemas 17 and 18 rebuild the forms and keys of a list imported before: a person
    listed in characters is then found by the Hong Kong or the Taiwan spelling."""
    path = tmp_path / "wl.db"
    wl = Watchlist.open(path)
    wl.apply([entry_from_json({"id": "1", "kind": "person", "names": [name]})])
    forms = wl.conn().execute("SELECT forms FROM entries").fetchall()
    keys = wl.conn().execute("SELECT * FROM postings ORDER BY key").fetchall()
    assert (key, 1) in keys
    wl.close()
    with sqlite3.connect(path) as conn:  # as the older schema left it: no such reading
        conn.execute("UPDATE entries SET forms=?", (forms_before,))
        conn.execute("DELETE FROM postings WHERE key IN (?, ?)", keys_added)
        conn.execute(f"PRAGMA user_version={schema}")
    wl = Watchlist.open(path)
    assert wl.conn().execute("SELECT forms FROM entries").fetchall() == forms
    assert wl.conn().execute("SELECT * FROM postings ORDER BY key").fetchall() == keys
    query = {"kind": "person", "name": spelt}
    assert [h.entry_id for h in Screener(wl).check([query])] == ["1"]
    wl.close()
