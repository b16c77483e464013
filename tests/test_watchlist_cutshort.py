"""A name a document cut short (it fills the zone's name field): screening reads its last word
as the listed word it starts, and finds that word's people, through a real list file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.mrz import parse_mrz
from drivers.mrz.generate import make_td1
from edge.watchlist.cutshort import cut_words, filled
from edge.watchlist.normalize import tokens
from tests.conftest import SHARED_TESTDATA
from tests.test_watchlist_quality import checked, person_record


def card_key(surname: str, given: str) -> dict[str, Any]:
    """The person key of an identity card (TD1, 30 name characters) made out to a name."""
    key = parse_mrz(make_td1(surname, given, "D23145890", "UTO", "800101", "M", "300101")).keys[1]
    return {k: v for k, v in key.items() if k not in ("kind", "birth_date", "sex")}


def test_a_patronymic_cut_at_its_stem_is_read_as_the_patronymic(tmp_path: Path) -> None:
    key = card_key("SHCHERBAKOV", "KIRILL KONSTANTINOVICH")
    assert key["given_names"] == "KIRILL KONSTANTIN" and key["cut_short"] == "given_names"
    records = [
        person_record("son", "SHCHERBAKOV", "Kirill Konstantinovich", "1980-01-01"),
        person_record("father", "SHCHERBAKOV", "Konstantin", "1950-01-01"),
    ]
    unflagged = {k: v for k, v in key.items() if k != "cut_short"}
    card, as_written = checked(tmp_path, records, [key, unflagged])
    assert card[0].entry_id == "son" and card[0].band == "referral"
    assert card[0].explain["cut_short"] == {"KONSTANTIN": "KONSTANTINOVICH"}
    # KONSTANTIN as a whole name is the son's father's name, not his: the flag does it
    assert "son" not in {h.entry_id for h in as_written}


def test_a_cut_word_finds_the_people_whose_name_it_starts(tmp_path: Path) -> None:
    """Every other word is shared with more namesakes than the screener scores: only the cut
    word's completion puts the listed person among the candidates."""
    namesakes = [
        person_record(f"n{i:02}", "MOHAMMAD", f"Ali Mohammad {given}", "1970-01-01")
        for i, given in enumerate(
            ["Reza", "Hassan", "Karim", "Jawad", "Naser", "Amin", "Saeed", "Hadi", "Taqi",
             "Baqer", "Sadeq", "Kazem", "Mahdi", "Hamid", "Majid", "Vahid", "Javad", "Nabi",
             "Qasem", "Rasul", "Salman", "Yusuf", "Zaki", "Jafar", "Kamal", "Latif", "Mansur",
             "Nasim", "Omid", "Parviz"]
        )
    ]  # fmt: skip
    target = person_record("target", "MOHAMMAD", "Ali Mohammad Abutorab Noor", "1970-01-01")
    key = card_key("MOHAMMAD", "ALI MOHAMMAD ABUTORAB NOOR")
    assert key["given_names"] == "ALI MOHAMMAD ABUTORA" and key["cut_short"] == "given_names"
    unflagged = {k: v for k, v in key.items() if k != "cut_short"}
    card, as_written = checked(tmp_path, [*namesakes, target], [key, unflagged])
    assert card[0].entry_id == "target" and card[0].score >= 0.9
    assert "target" not in {h.entry_id for h in as_written}


@pytest.mark.parametrize(
    ("given", "cut"),
    [
        ("KIRILL KONSTANTIN", ("KONSTANTIN",)),
        ("AHMAD ABD", ()),  # ABDUL: half of any name it starts
        ("MUHAMMAD BIN", ()),  # a particle
        ("JIAN XIANG", ()),  # a syllable is more likely whole
        ("JOHN ALE", ()),  # too few letters: ALEXANDER, ALEKSEI or ALE
    ],
)
def test_which_words_are_read_as_cut(given: str, cut: tuple[str, ...]) -> None:
    key = {"cut_short": "given_names"}
    assert cut_words(key, tokens("SMITH"), tokens(given)) == cut
    assert cut_words({"cut_short": "surname"}, tokens("SMITH"), tokens(given)) == ("SMITH",)


@pytest.mark.parametrize("said", [None, "", "nonsense", 5, ["given_names"], "x" * 10_000])
def test_a_cut_short_value_of_no_field_cuts_nothing(said: object) -> None:
    assert cut_words({"cut_short": said}, ["SMITH"], ["KONSTANTIN"]) == ()


def test_only_the_cut_place_is_written_out_and_a_whole_word_stays() -> None:
    query, surname = ("KARIM", "HASAN", "KARIM"), ("KARIM",)
    toks, sur, whole = filled(query, surname, ("KARIM",), ["KARIMULLAH", "HASAN"])
    assert toks == ("KARIM", "HASAN", "KARIMULLAH") and sur == surname
    assert whole == {"KARIM": "KARIMULLAH"}
    assert filled(query, surname, ("KARIM",), ["KARIM", "KARIMULLAH"]) == (query, surname, {})
    assert filled(query, surname, ("KARIM",), ["HASAN"]) == (query, surname, {})
    # a surname alone, cut: the surname is written out too
    assert filled(("ABUTORA",), ("ABUTORA",), ("ABUTORA",), ["ABUTORAB"])[:2] == (
        ("ABUTORAB",),
        ("ABUTORAB",),
    )


WORDS = st.text(alphabet="ABEIKNORSTU", min_size=1, max_size=9)


@given(st.lists(WORDS, min_size=1, max_size=8), st.lists(WORDS, max_size=8), st.data())
def test_writing_out_a_cut_word_changes_that_word_only(
    query: list[str], listed: list[str], data: st.DataObject
) -> None:
    """Whatever the names: as many tokens, the surname still the query's first tokens, and
    only the cut word's last place changed, to a listed word that it starts."""
    surname = query[: data.draw(st.integers(0, len(query)), label="surname length")]
    cut = (query[-1],)
    toks, sur, whole = filled(query, surname, cut, listed)
    assert len(toks) == len(query) and len(sur) == len(surname)
    changed = [i for i, (a, b) in enumerate(zip(query, toks, strict=True)) if a != b]
    if not whole:
        assert toks == tuple(query) and sur == tuple(surname)
        return
    [word] = whole
    assert whole[word] in listed and whole[word].startswith(word) and word not in listed
    assert changed == [len(query) - 1 - query[::-1].index(word)]
    assert sur == toks[: len(sur)]


@pytest.mark.skipif(
    not (SHARED_TESTDATA / "mrz-photos" / "labels.jsonl").exists(),
    reason="shared/testdata/mrz-photos is not beside the repo",
)
def test_real_identity_cards_whose_names_fill_the_field_say_so() -> None:
    """Of the real labelled MRZs (third-party photos and scans), the ID cards whose name runs to
    the field's end (GONZALEZ<MENDEZ<<CRISTINA<MARI …) give a key with ``cut_short``; no other
    does."""
    rows = [json.loads(line) for line in (SHARED_TESTDATA / "mrz-photos" / "labels.jsonl").open()]
    cut, whole = [], 0
    for row in rows:
        if not row.get("lines"):
            continue
        key = parse_mrz(row["lines"]).keys[1]
        name_field = row["lines"][2] if len(row["lines"]) == 3 else row["lines"][0][5:]
        if name_field.rstrip()[-1:].isalpha():
            cut.append((key["given_names"], key.get("cut_short")))
        else:
            whole += "cut_short" not in key
    assert ("CRISTINA MARI", "given_names") in cut and len(cut) == 3, cut
    assert all(flag == "given_names" for _, flag in cut)
    assert whole == sum(1 for r in rows if r.get("lines")) - 3
