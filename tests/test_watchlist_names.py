"""Names in every script on real lists: the UN list imports whole, cross-script pairs find
their entry, a fixed slice of real pairs keeps an F1 floor, hostile names stay harmless.

The data is third-party: the UN individuals (Apache-2.0) are copied in ``tests/data/names``;
the F1 slice needs ``../shared/testdata/names`` (see its README) and skips when it is absent.
The pairs and the split are the benchmark's (``bench/names.py``).
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edge.watchlist import index, joins, likeness, match
from edge.watchlist.db import MIGRATIONS, Watchlist
from edge.watchlist.importers import import_file
from edge.watchlist.joins import joined
from edge.watchlist.match import name_score
from edge.watchlist.model import Person, entry_from_json
from edge.watchlist.normalize import renderings
from edge.watchlist.screen import DECIDE, REFERRAL, Screener, name_similarity
from edge.watchlist.syllables import syllabic
from tests.conftest import REPO, SHARED_TESTDATA, TESTDATA

NAMES = SHARED_TESTDATA / "names"
needs_names = pytest.mark.skipif(
    not NAMES.exists(),
    reason=f"third-party name data (part CC BY-NC) not found at {NAMES} (see shared/)",
)
UN_INDIVIDUALS = TESTDATA / "names" / "un_sc_individuals.csv"  # Apache-2.0 copy, see its README
needs_un = pytest.mark.skipif(
    not UN_INDIVIDUALS.exists(), reason=f"{UN_INDIVIDUALS} is missing from the checkout"
)
NOT_FOUND_YET: dict[str, str] = {
    "6908097": "list data: القبيسي (AL-QUBAISI) is listed in Latin as AL-ZUBAISI (ق is no Z); "
    "Latin to original only, the Latin aliases find it the other way",
}
"""The UN entries (``dataid``) whose cross-script pair is not found, with why: every other one
of the 241 UN original-script names (234 Arabic, 7 Cyrillic) must find its entry, both ways.
The one left is list data — the Latin family name is not a romanisation of the original-script
one — and a matcher that found it would be finding another name. The other of that kind, هاشم
(HASHIM) listed in Latin as HISHAN, an inner name of ``أكرم تركي هاشم المزيده`` whose own,
father's and family names agree, is found since issue 17's seventeenth part (0.587 -> 0.652: an
inner name of an Arabic chain that differs is no conflict). Ceilings of 7 and 9, then 6 and
8, then 3 and 5 misses stood here before; the last of them went with issue 17's eighth part:
ما يشو / MAYCHOU (a name in two pieces of two consonants), and the three held-out pairs that
the part before reported and did not work on — طه / TAHA, عیسی / ESSA, فيصل / FAYCAL — worked
on after being seen, so the cross-script pairs are no longer held out (see docs/watchlist.md).
Two held-out ones, أبوغيث / ABO GHAITH and بنحسين / BEN HASSINE, were found by the seventh
part's particle joins (chosen on the dev part and constructed names)."""
F1_FLOOR = 0.838
"""F1 of the fixed slice below (949 pairs) at the decide band; measured 0.8407 (precision
0.988, recall 0.732) with issue 17's tenth part, 0.8409 (precision 0.986, recall 0.733) with
the ninth (floor 0.838), 0.8383 (precision 0.986,
recall 0.729) with the eighth part (floor 0.835, 0.825 before); 0.8255 (precision
0.989, recall 0.708) with the pair builder's fix of issue 17's fifth part (0.8225 on 951
pairs before it; a floor of 0.81, then 0.815, before), 0.8257 (precision 0.970, recall
0.719) with the sixth part's rules and the band at 0.60 (floor 0.82), and 0.8284 (precision
0.970, recall 0.723) with the seventh part's rules, so a real regression fails (see
docs/watchlist.md)."""


def scores_both_ways(a: str, b: str) -> list[float]:
    """The name score of ``b`` listed for ``a`` queried, and of ``a`` listed for ``b``."""
    return [name_similarity({"name": q}, [c])[0] for q, c in ((a, b), (b, a))]


def un_rows() -> Iterator[dict[str, str]]:
    with UN_INDIVIDUALS.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def un_record(row: dict[str, str], *, original: bool = True) -> dict[str, Any]:
    """A UN individual as our JSON Lines record: Latin name, aliases, original script, and its
    birth dates as the list writes them (``1969; 1970; 1971``)."""
    names = [row["name_latin"]] + [a["name"] for a in json.loads(row["aliases_json"])]
    if original and row["name_original_script"]:
        names.append(row["name_original_script"])
    return {"id": row["dataid"], "kind": "person", "names": names[:32],
            "birth_date": row["date_of_birth"]}  # fmt: skip


@pytest.fixture(scope="module")
def un_list(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Watchlist]:
    """The UN individuals with Latin names and aliases only (no original script)."""
    if not UN_INDIVIDUALS.exists():
        pytest.skip(f"{UN_INDIVIDUALS} is missing from the checkout")
    path = tmp_path_factory.mktemp("un") / "un.jsonl"
    path.write_text("".join(json.dumps(un_record(r, original=False)) + "\n" for r in un_rows()))
    wl = Watchlist.open(path.with_suffix(".db"))
    assert import_file(wl, path, "jsonl").accepted > 500
    yield wl
    wl.close()


@needs_un
def test_every_un_individual_imports_with_its_original_script(tmp_path: Path) -> None:
    path = tmp_path / "un.jsonl"
    records = [un_record(r) for r in un_rows()]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    wl = Watchlist.open(tmp_path / "wl.db")
    result = import_file(wl, path, "jsonl")
    assert result.rejects == [] and result.accepted == len(records)
    assert_every_birth_date_kept(wl, records)


@needs_un
def test_every_un_individual_imports_as_ftm(tmp_path: Path) -> None:
    """The same list as FollowTheMoney Person entities, the original script as an alias."""
    path = tmp_path / "un.ftm.jsonl"
    entities = [
        {"id": r["id"], "schema": "Person", "properties": {
            "name": r["names"][:1], "alias": r["names"][1:],
            "birthDate": [d.strip() for d in r["birth_date"].split(";") if d.strip()]}}
        for r in map(un_record, un_rows())
    ]  # fmt: skip
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities))
    wl = Watchlist.open(tmp_path / "wl.db")
    result = import_file(wl, path, "ftm")
    assert result.rejects == [] and result.accepted == len(entities)
    assert_every_birth_date_kept(wl, list(map(un_record, un_rows())))


def assert_every_birth_date_kept(wl: Watchlist, records: list[dict[str, Any]]) -> None:
    """Each record's birth dates, in the list's order, each once (87 of the copy's UN
    individuals have two to seven)."""
    several = 0
    for record in records:
        entry = wl.entry(record["id"])
        dates = [d.strip() for d in record["birth_date"].split(";") if d.strip()]
        assert entry is not None and isinstance(entry.subject, Person)
        assert entry.subject.birth_dates == tuple(dict.fromkeys(dates)), record
        several += len(entry.subject.birth_dates) > 1
    assert several >= 87


def test_a_person_with_many_names_imports_with_every_one(tmp_path: Path) -> None:
    """Constructed: an FtM person with 46 names (OFAC's 2021 list has one; OpenSanctions'
    entities carry one per language) is imported whole and found by its last alias."""
    aliases = [f"Karim {a}{b}ovski" for a in "BCDFGHJKLM" for b in "AEIOU"][:45]
    entity = {"id": "many", "schema": "Person",
              "properties": {"name": ["Karim Testname"], "alias": aliases}}  # fmt: skip
    path = tmp_path / "many.ftm.jsonl"
    path.write_text(json.dumps(entity) + "\n")
    wl = Watchlist.open(tmp_path / "wl.db")
    assert import_file(wl, path, "ftm").accepted == 1
    hits = Screener(wl).check([{"kind": "person", "name": aliases[-1]}])
    assert hits and hits[0].entry_id == "many" and hits[0].score == 1.0


@needs_un
def test_every_un_original_script_name_finds_its_latin_entry(un_list: Watchlist) -> None:
    """Every UN original-script name, screened as a traveller's name alone (no birth date),
    has its Latin entry (primary name and aliases, no original script) among the hits at the
    decide band, but for the pairs of ``NOT_FOUND_YET``."""
    screener = Screener(un_list)
    missed = []
    for row in un_rows():
        if row["name_original_script"]:
            hits = screener.check([{"kind": "person", "name": row["name_original_script"]}])
            if row["dataid"] not in {h.entry_id for h in hits}:
                missed.append(row["dataid"])
    assert set(missed) <= NOT_FOUND_YET.keys(), [m for m in missed if m not in NOT_FOUND_YET]


@needs_un
def test_every_latin_name_finds_its_original_script_entry(tmp_path: Path) -> None:
    """The other way: every UN Latin name finds its entry listed under its original-script
    name only, at the decide band, but for the pairs of ``NOT_FOUND_YET``."""
    wl = Watchlist.open(tmp_path / "wl.db")
    rows = [r for r in un_rows() if r["name_original_script"]]
    wl.apply([entry_from_json({"id": r["dataid"], "kind": "person",
                               "names": [r["name_original_script"]]}) for r in rows])  # fmt: skip
    screener = Screener(wl)
    missed = [
        r["dataid"]
        for r in rows
        if r["dataid"]
        not in {h.entry_id for h in screener.check([{"kind": "person", "name": r["name_latin"]}])}
    ]
    assert set(missed) <= NOT_FOUND_YET.keys(), [m for m in missed if m not in NOT_FOUND_YET]


@needs_names
def test_every_watchman_cross_script_pair_is_a_hit() -> None:
    """Every pair of watchman's cross-script file (Arabic, Cyrillic, Chinese, Korean, Japanese
    in kanji, Greek, Hebrew, Thai) scores at the decide band, the written name queried for the
    Latin one listed, and the other way."""
    sys.path.insert(0, str(REPO))
    from bench.names import WATCHMAN_COLUMNS, rows

    pairs = [(r["query"], r["expected_match"]) for r in rows(
        "watchman_cross_script_pairs.csv", WATCHMAN_COLUMNS)]  # fmt: skip
    assert len(pairs) == 17
    low = {pair: s for pair in pairs for s in scores_both_ways(*pair) if s < DECIDE}
    assert not low, low


def test_a_listed_names_brackets_give_its_other_names(tmp_path: Path) -> None:
    """Brackets as the UN and OFAC lists write them: another spelling, other names, a remark
    (:func:`edge.watchlist.normalize.bracketed`); the record keeps the name as listed."""
    wl = Watchlist.open(tmp_path / "wl.db")
    names = ["SANTOS, Ahmad (Ahmed)", "حسن غول (Hassan Ghul; Hasan Gul)", "EL PARA (COMBAT NAME)"]
    wl.apply([entry_from_json({"id": str(i), "kind": "person", "names": [n]})
              for i, n in enumerate(names)])  # fmt: skip
    screener = Screener(wl)
    for query, entry in (("AHMED SANTOS", "0"), ("GUL HASAN", "1"), ("El Para", "2")):
        hits = screener.check([{"kind": "person", "name": query}])
        assert [h.entry_id for h in hits if h.score >= 0.95] == [entry], query
    assert screener.check([{"kind": "person", "name": "Combat Name"}]) == []
    listed = wl.entry("0")
    assert listed is not None and isinstance(listed.subject, Person)
    assert listed.subject.names[0].full == "SANTOS, Ahmad (Ahmed)"


def test_the_explanation_shows_both_scripts(tmp_path: Path) -> None:
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json({"id": "1", "kind": "person", "names": ["Владимир Путин"]})])
    hit = Screener(wl).check([{"kind": "person", "name": "Vladimir Putin"}])[0]
    assert hit.explain["listed_original"] == "Владимир Путин"
    assert hit.explain["listed_rendering"] == "VLADIMIR PUTIN"
    assert hit.matched == "VLADIMIR PUTIN (Владимир Путин)"  # what the console shows first
    hit = Screener(wl).check([{"kind": "person", "name": "Владимир Путин"}])[0]
    assert hit.explain["query_original"] == "Владимир Путин"


@needs_names
def test_real_pairs_keep_the_f1_floor() -> None:
    """A fixed slice of the held-out pairs (every 5th): Borderpost's F1 at the decide band."""
    sys.path.insert(0, str(REPO))
    from bench.names import THRESHOLD, all_pairs, metrics, ours

    pairs = [p for p in all_pairs(generated=600) if p.part == "held_out"][::5]
    result = metrics(pairs, ours(pairs), THRESHOLD)
    assert result["f1"] >= F1_FLOOR, result


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("احمد ضیا آغا", "AHMAD ZIA AGHA"),  # ض read Z in a Persian spelling (ی)
        ("سيد غیاث الدین آغا", "SAYYED GHIASSOUDDINE AGHA"),  # ث read S, AL assimilated
        ("نظر محمدعبد البصیر", "NAZIR MOHAMMAD ABDUL BASIR"),  # عبد written onto MHMD
        ("جمال لونيسي", "DJAMEL LOUNICI"),  # French C before I is S
        ("محمد سرور صدیق مل", "MOHAMMAD SARWAR SIDDIQMAL"),  # a piece written apart
        ("NASSEREDDINE, Ghazi", "NASR AL DIN, Ghazi"),  # Latin both: the article assimilated
        ("AL-AWLAKI, Anwar", "AL-AULAQI, Anwar"),  # two Latin spellings, one consonant line
        # ABD's article said as the sun letter after it (real UN and OFAC SDN 2021 pairs)
        ("Hafiz Abdussalaam Bhutvi", "HAFIZ ABDUL SALAM BHUTTAVI"),
        ("BA'ASYIR, Abdurrahim", "BA'ASYIR, Abdul Rahim"),
        ("SHAHLAI, 'Abdorreza", "SHAHLAI, Abdul Reza"),
        ("AYASH, Hassan Muhammad", "AYACHE, Hassan Mahmoud"),  # French CH: two consonants
        ("HOCINE, Seif Allah Ben", "HASSINE, Seifallah Ben"),  # five letters: 2/3 alike
        ("KANAN, Fouzi", "KAN'AN, Fawzi"),
        # constructed: short tokens two-thirds alike, one vowel spelt otherwise
        ("ISSA, Karim Saleh", "ESSA, Karim Saleh"),
        ("HEQ, Yusuf Nadir", "HAQ, Yusuf Nadir"),
        # constructed: spellings alike as written, less so once folded (OU as French U)
        ("LOUN, Karim Saleh", "LOAN, Karim Saleh"),
        ("BADGIE, Karim", "BADJIE, Karim"),
        # constructed: a given name of a variant group written onto the next (Persian)
        ("KARIMI, Mohammadreza", "KARIMI, Mohammed Reza"),
        ("PAULAU, Igor Anatolievich", "PAULAU, Ihar Anatoljevich"),  # Belarusian H for G
        ("HOSSEINZADEH, Ali", "HUSSEINZADEH, Ali"),
    ],
)
def test_romanisations_of_one_arabic_or_persian_name_match(query: str, listed: str) -> None:
    assert min(scores_both_ways(query, listed)) >= 0.8, (query, listed)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # constructed: a particle Arabic script writes onto the next word, read joined and
        # split, against Latin written joined, apart, with a Mashriqi or Maghrebi spelling
        ("سعيد أبوزيد", "SAID ABO ZAID"),
        ("سعيد أبوزيد", "SAID ABOU ZEID"),
        ("علي بوغانم", "ALI BOU GHANEM"),
        ("كريم بنعلي", "KARIM BEN ALI"),
        ("وليد بنحسين", "WALID BIN HUSSEIN"),
        ("حسن ابنسينا", "HASSAN IBN SINA"),
        ("ABO ZAID, Said", "ABUZAID, Said"),
        # the article of ...الدين written, or said as DIN's D (EDDINE, UDDIN)
        ("عمر نورالدين", "OMAR NOUR EDDINE"),
        ("صلاحالدين كريم", "SALAH UDDIN KARIM"),
        # Maghrebi French spellings: C before E or I as S, OU before a vowel as W
        ("عبدالرحمن يوسف", "ABDERRAHMANE YOUCEF"),
        ("وليد بن حسين", "OUALID BEN HOCINE"),
        # ق said G (Gulf, Libyan, Sudanese Arabic): Q, K and G are one consonant class
        ("قاسم رزاق", "GASIM RAZZAG"),
        ("عبد الرزاق الشريف", "ABDELRAZAG ELSHARIF"),
        # Pashto letters, which the table lacked
        ("ځلمی خان", "ZALMAY KHAN"),
        ("ښکلی ګل", "SHKALAY GUL"),
        # constructed: a Ç written without its cedilla (FAYCAL), طه read as ث's TH, a long
        # vowel written ی where Latin writes the vowel (عیسی / ESSA), a name written in two
        # pieces of two consonants (ما يشو / MAYCHOU)
        ("فيصل كريم", "FAYCAL KARIM"),
        ("طه كريم الدوري", "TAHA KARIM AL-DOURI"),
        ("عیسی کریمی", "ESSA KARIMI"),
        ("كريم ما يشو", "KARIM MAYCHOU"),
    ],
)
def test_particles_articles_and_letters_of_arabic_script_names_match(
    query: str, listed: str
) -> None:
    assert min(scores_both_ways(query, listed)) >= DECIDE, (query, listed)


INDEXED_PAIRS = [
    ("سعيد أبوزيد", "SAID ABO ZAID"),
    ("كريم بنعلي", "KARIM BEN ALI"),
    ("حسن ابنسينا", "HASSAN IBN SINA"),
    ("وليد بنحسين", "WALID BIN HUSSEIN"),
    ("عمر نورالدين", "OMAR NOUR EDDINE"),
    ("علي بوغانم", "ALI BOU GHANEM"),
]
"""Constructed pairs that the posting index must bring together among the UN individuals'
names (many SAIDs, ALIs and HASSANs): particles joined, and DIN with its article said."""


@needs_un
def test_joined_particles_are_found_among_many(tmp_path: Path) -> None:
    """Each constructed name finds its other writing among the ~700 UN individuals, both
    ways, through the posting index (a name scored alike but not among the candidates is
    not found)."""
    records = [un_record(r, original=False) for r in un_rows()]
    for i, (arabic, latin) in enumerate(INDEXED_PAIRS):
        records += [{"id": f"a{i}", "kind": "person", "names": [arabic]},
                    {"id": f"l{i}", "kind": "person", "names": [latin]}]  # fmt: skip
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json(r) for r in records])
    screener = Screener(wl)
    for i, (arabic, latin) in enumerate(INDEXED_PAIRS):
        for name, other in ((arabic, f"l{i}"), (latin, f"a{i}")):
            found = {h.entry_id for h in screener.check([{"kind": "person", "name": name}])}
            assert other in found, (name, other)


@pytest.mark.parametrize(
    ("apart", "joined"),
    [
        ("Koumta Madji", "Koumtamadji"),  # as long as the two
        ("Moon Chi", "Munchi"),  # a letter shorter once folded (OO)
        ("Mohammed Hassan", "Mohamedhasan"),  # two shorter: doubled letters (JOIN_SLACK)
        ("Abd Al Rahman Nasser", "Abdalrahman Nasser"),  # three words as one
    ],
)
def test_words_written_as_one_match(apart: str, joined: str) -> None:
    """Words one writing keeps apart and another joins are one name, whichever side is the
    query: a token is tried as a join of two or three only when about as long as they are
    (within ``JOIN_SLACK``, two letters; the real pairs of the bench are at most one off)."""
    assert scores_both_ways(apart, joined) == [1.0, 1.0], (apart, joined)


def test_a_name_against_no_tokens_scores_nothing() -> None:
    """The scorer takes a side with no tokens (nothing to join onto, nothing aligned) to 0."""
    assert name_score(["JOHN", "SMITH"], (), [], ())[0] == 0.0
    assert name_score([], (), ["JOHN"], ())[0] == 0.0


@pytest.mark.parametrize(
    ("apart", "joined", "alike"),
    [
        ("SULTAN MOHMADI, Mohhamad", "SOLTANMOHAMMADI, Mohammad", True),
        ("KHALED, Abul Baki", "KHALED, Abdulbaqi", True),
        ("KHEIR BEIK, Mohamad", "KHAYRBIK, Muhammad", True),
        # a whole name joined into one word is alike to too many (MARKMURPHY / MAAROUFI)
        ("Mark Murphy", "Tarek Maaroufi", False),
    ],
)
def test_words_apart_match_one_word_spelt_otherwise(apart: str, joined: str, alike: bool) -> None:
    """Constructed, after OFAC aliases: words one writing keeps apart are one word of the
    other spelt otherwise, when they are not the whole name."""
    assert [s >= DECIDE for s in scores_both_ways(apart, joined)] == [alike, alike], (apart, joined)


@pytest.mark.parametrize(
    ("somali", "other", "alike"),
    [
        ("Maxamed Cali Xasan", "Mohamed Ali Hassan", True),
        ("XIRSI, Xasan Cabdulle", "AL-TURKI, Hassan Abdullah Hersi", True),
        ("Cumar Faarax", "Umar Farah", True),
        ("BAYNAX, Yasiin Cali", "BAYNAH, Yasin Ali", True),
        # only a near match once read counts, and a Chinese syllable is not read
        ("Carrie Sherman", "Harry Sherman", False),
        ("Alexander Johnson", "Andre Johnson", False),
        ("XU Bin", "HU Bin", False),
    ],
)
def test_somali_spellings_match(somali: str, other: str, alike: bool) -> None:
    """Constructed, after UN and OFAC aliases of Somali names: X is the H of ``ح`` and an
    initial C the ``ع`` other writings leave out."""
    assert [s >= DECIDE for s in scores_both_ways(somali, other)] == [alike, alike], (somali, other)


@pytest.mark.parametrize(
    ("egyptian", "other", "alike"),
    [
        ("Gamal Hegazi", "Jamal Hijazi", True),
        ("Naguib Ragab", "Najib Rajab", True),
        ("Gomaa Tarek", "Jumaa Tariq", True),
        # not GH (غ), not the NG of YOUNG, not a Chinese or Korean syllable
        ("Gang Li", "Jang Li", False),
        ("Young Kim", "Jong Kim", False),
        ("Greg Jones", "Jerry Jones", False),
        ("Jae Haroun", "Gaye Haroun", False),  # short tokens are not read so
    ],
)
def test_egyptian_spellings_with_g_match(egyptian: str, other: str, alike: bool) -> None:
    """Constructed, after OFAC aliases (TORGAMAN / TURJUMAN): Egyptian names write ``ج``
    as G."""
    assert [s >= DECIDE for s in scores_both_ways(egyptian, other)] == [alike, alike], (
        egyptian,
        other,
    )


@pytest.mark.parametrize(
    ("indonesian", "other", "alike"),
    [
        ("Abdul Rochim Sulaiman", "Abdul Rahim Sulaiman", True),
        ("Mochtar Rochim", "Mukhtar Rahim", True),
        ("Naim Barich", "Naim Bareh", True),
        # a CH read as H must leave the other's consonants: MIHAEL is no MIKHAILOVNA
        ("Michael Allen", "ALLEN, Olga Mikhailovna", False),
    ],
)
def test_a_ch_after_a_vowel_may_write_h(indonesian: str, other: str, alike: bool) -> None:
    """Constructed, after OFAC aliases (``BASHIR, Abdul Rochim`` / ``BA'ASYIR, Abdul Rahim``):
    Dutch-era Indonesian and Malay spelling writes the H and KH of Arabic names as CH."""
    assert [s >= DECIDE for s in scores_both_ways(indonesian, other)] == [alike, alike]


READINGS = {"_slavic_sim": lambda _q, _c: 0.0, "_persian_fits": lambda _r, _o: False}
"""The token readings of :mod:`edge.watchlist.likeness` a test takes away, as they are taken."""


@pytest.mark.parametrize(
    ("spelt", "other", "reading"),
    [
        # constructed from public figures' names as German, Polish, French and Dutch write them
        ("GORBATSCHOW", "GORBACHEV", "_slavic_sim"),  # German TSCH, W
        ("CHRUSCHTSCHOW", "KHRUSHCHEV", "_slavic_sim"),  # German CH for KH, SCHTSCH
        ("JANUKOWYTSCH", "YANUKOVYCH", "_slavic_sim"),  # German J
        ("GORBACZOW", "GORBACHEV", "_slavic_sim"),  # Polish CZ
        ("CHRUSZCZOW", "KHRUSHCHEV", "_slavic_sim"),  # Polish SZCZ
        ("JELCYN", "YELTSIN", "_slavic_sim"),  # Polish C for TS
        ("JIRINOVSKI", "ZHIRINOVSKY", "_slavic_sim"),  # French J for ZH
        ("KHROUCHTCHEV", "KHRUSHCHEV", "_slavic_sim"),  # French CH for SH, TCH
        ("GORBATSJOV", "GORBACHEV", "_slavic_sim"),  # Dutch TSJ
        ("CHROESJTSJOV", "KHRUSHCHEV", "_slavic_sim"),  # Dutch CH for KH, OE, SJ, TSJ
        # constructed: Iranian GH for the Q of an Arabic romanisation (ق)
        ("GHASEM", "QASIM", "_persian_fits"),
        ("SADEGH", "SADIQ", "_persian_fits"),
        ("BAGHER", "BAQIR", "_persian_fits"),
        ("ESHAGH", "ISHAQ", "_persian_fits"),
        ("HAGHIGHI", "HAQIQI", "_persian_fits"),
    ],
)
def test_a_spelling_read_as_its_language_writes_matches(
    spelt: str, other: str, reading: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    alike = likeness.token_sim(spelt, other)
    assert alike == likeness.token_sim(other, spelt) >= likeness.SKELETON_SIM
    likeness.token_sim.cache_clear()
    monkeypatch.setattr(likeness, reading, READINGS[reading])
    assert likeness.token_sim(spelt, other) < alike, "the reading is what matches them"
    likeness.token_sim.cache_clear()


def test_spanish_j_is_not_read_as_kh() -> None:
    """Spanish writes Х as J (JRUSHCHOV), but read so JALIL was KHALIL (1.0) and JAMAL KAMAL
    (0.91): other Arabic names."""
    assert likeness.token_sim("JALIL", "KHALIL") < likeness.NEAR_MATCH
    assert likeness.token_sim("JAMAL", "KAMAL") < likeness.NEAR_MATCH


def test_a_cyrillic_name_spelt_the_german_way_matches_whole() -> None:
    """Constructed: the surname that the English-like spelling shares with no other writing
    is what a German spelling of it is told by (0.37 without the readings)."""
    for spelt, english in (("Michail Gorbatschow", "Mikhail Gorbachev"),
                           ("Boris Jelzin", "Boris Yeltsin")):  # fmt: skip
        assert min(scores_both_ways(spelt, english)) >= 0.9, (spelt, english)


@pytest.mark.parametrize(
    ("short", "long_"), [("KHAN", "HASSAN"), ("ALI", "SALIH"), ("SAM", "SALAM")]
)
def test_a_short_name_inside_a_longer_one_is_no_spelling_of_it(
    short: str, long_: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """KHAN folds to HAN, whose letters HASAN has in order (edit likeness 0.75): no match."""
    assert likeness.token_sim(short, long_) == likeness.token_sim(long_, short) == 0.0
    likeness.token_sim.cache_clear()
    monkeypatch.setattr(likeness, "_short_in_long", lambda *_a: False)
    assert likeness.token_sim(short, long_) >= likeness.TOKEN_FLOOR, "the rule is what parts them"
    likeness.token_sim.cache_clear()


def test_a_surname_that_differs_by_a_short_name_is_no_referral() -> None:
    """Constructed, of the issue's first error kind: given names agree, the surnames differ."""
    assert name_similarity({"name": "Mohammed Ali Khan"}, ["Mohammed Ali Hassan"])[0] < REFERRAL
    assert name_similarity({"name": "Imran Khan"}, ["Imran Hassan"])[0] < DECIDE


def test_a_slavic_reading_keeps_the_other_tokens_first_letter() -> None:
    """Polish W as V reads WENJI (a Chinese given name) as VENYI, one letter from PENNY: a
    reading that does not give the other token's own first letter is no match."""
    assert likeness.token_sim("WENJI", "PENNY") == 0.0
    assert likeness.token_sim("LAWROW", "LAVROV") >= likeness.NEAR_MATCH


def test_a_german_spelling_finds_its_candidate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screener, not only the scorer: a surname alone written the German (Polish, Dutch)
    way is keyed as read too, so it finds the person listed in the English-like spelling."""
    names = ["GORBACHEV, Mikhail", "GORBUNOV, Mikhail", "YELTSIN, Boris", "YELISEEV, Boris"]
    names += ["KHRUSHCHEV, Nikita", "KHRUSTALEV, Nikita"]
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json({"id": str(i), "kind": "person", "names": [n]})
              for i, n in enumerate(names)])  # fmt: skip
    for query, listed in (("Gorbatschow", "0"), ("Gorbaczow", "0"), ("Chruschtschow", "4"),
                          ("Gorbatsjov", "0"), ("Chroesjtsjov", "4")):  # fmt: skip
        hits = Screener(wl).check([{"kind": "person", "name": query}])
        assert [h.entry_id for h in hits][:1] == [listed], (query, hits)
    monkeypatch.setattr(index, "KEY_READERS", ())
    assert not Screener(wl).check([{"kind": "person", "name": "Gorbatschow"}])


def test_a_persian_spelling_finds_its_candidate_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screener: SADEGH alone finds SADIQ, and SADIQ finds SADEGH (query keys of both
    readings), among names of one given name."""
    names = ["MUHAMMAD SADIQ", "MUHAMMAD SADEGH", "MUHAMMAD SALIH", "MUHAMMAD SAID"]
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json({"id": str(i), "kind": "person", "names": [n]})
              for i, n in enumerate(names)])  # fmt: skip
    for query, other in (("Sadegh", "0"), ("Sadiq", "1")):
        found = [h.entry_id for h in Screener(wl).check([{"kind": "person", "name": query}])]
        assert other in found, (query, found)
    monkeypatch.setattr(index, "persian_q", lambda t: t)
    monkeypatch.setattr(index, "_q_as_gh", lambda t: t)
    found = [h.entry_id for h in Screener(wl).check([{"kind": "person", "name": "Sadegh"}])]
    assert "0" not in found


def test_an_egyptian_spelling_finds_its_candidate_both_ways(tmp_path: Path) -> None:
    """The screener: a query with G finds the person listed with J, and one with J the person
    listed with G, among others (query keys of both readings)."""
    names = ["JAMAL HIJAZI", "NAGUIB RAGAB", "GAMIL HASSAN", "HAMID JALAL", "ALI TAHA"]
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json({"id": str(i), "kind": "person", "names": [n]})
              for i, n in enumerate(names)])  # fmt: skip
    screener = Screener(wl)
    for name, listed in (("Gamal Hegazi", "0"), ("Najib Rajab", "1")):
        hits = screener.check([{"kind": "person", "name": name}])
        assert [h.entry_id for h in hits][:1] == [listed], (name, hits)


def test_a_name_in_the_somali_alphabet_finds_its_candidate(tmp_path: Path) -> None:
    """The screener, not only the scorer: a query written in the Somali alphabet is keyed as
    read too, so it finds the person listed in another writing among others."""
    names = ["HASSAN ABDULLAH HERSI AL-TURKI", "MOHAMED ALI HASSAN", "UMAR FARAH", "ABDI ALI"]
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json({"id": str(i), "kind": "person", "names": [n]})
              for i, n in enumerate(names)])  # fmt: skip
    screener = Screener(wl)
    queries = ["XIRSI, Xasan Cabdulle", "Maxamed Cali Xasan", "Cumar Faarax", "Cabdi Cali"]
    for i, name in enumerate(queries):
        hits = screener.check([{"kind": "person", "name": name}])
        assert [h.entry_id for h in hits][:1] == [str(i)], (name, hits)


def test_a_particle_written_onto_the_next_word_finds_the_candidate(tmp_path: Path) -> None:
    """أبوزيد / ABO ZAID, both ways, through the posting index (not only the scoring)."""
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json({"id": "l", "kind": "person", "names": ["SAID ABO ZAID"]}),
              entry_from_json({"id": "a", "kind": "person", "names": ["كريم بنعلي"]})])  # fmt: skip
    assert "l" in {
        h.entry_id for h in Screener(wl).check([{"kind": "person", "name": "سعيد أبوزيد"}])
    }
    assert "a" in {
        h.entry_id for h in Screener(wl).check([{"kind": "person", "name": "Karim Ben Ali"}])
    }


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Juan Saavedra", "ALI BEN TAHER BEN FALEH OUNI HARZI"),  # consonants alone: JN/ON
        ("Richard Evrard", "RICARDO PEREZ AYERAS"),
        ("رامي المشاولة", "MATIULLAH"),  # ش is no T
        ("هادي آل حسين", "ABDOULAYE HISSENE"),  # آل, a family, joins no name
        ("מוחמד עבד כהן", "MUSTAFA MUHAMMAD KHAN"),
        ("Abu Ali al-Kawari", "ABD AL-LATIF BIN ABDALLAH SALIH MUHAMMAD"),
        # constructed: a particle joined to the next word only where the consonants agree
        ("Omar Bou Zid", "OMAR BAZZAZ"),
        ("Said Abu Nasr", "SAID ABNER"),
        ("Nour Eddine Salem", "NADIR SALEM"),
    ],
)
def test_consonants_alone_do_not_make_a_match(query: str, listed: str) -> None:
    assert name_similarity({"name": query}, [listed])[0] < 0.7


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # real OFAC SDN 2021 a.k.a. pairs (a US-government work, public domain)
        ("ZUBKOU, Siarhei Yaugenavich", "ZUBKOV, Sergei Yevgenevich"),  # Belarusian Ў as В
        ("IPATOV, Vadim Dmitrievich", "IPATAU, Vadzim Dzmitrievich"),
        ("MEJIA GUTIERREZ, Nacho", "MEJIA GUTIERREZ, Ignacio"),  # Spanish short forms
        ("ALVAREZ ALVAREZ, Wencho", "ALVAREZ ALVAREZ, Wenceslao"),
        ("KUCHUMOVA, Nadia", "KUCHUMOVA, Nadezhda Leonidovna"),
        ("SWE, Khin Mg", "SWE, Khin Maung"),  # Burmese MG, Maung as Myanmar abbreviates it
        ("Kostya Belov", "BELOV, Konstantin"),  # constructed: Russian short forms
        ("Slava Petrov", "PETROV, Vyacheslav"),
    ],
)
def test_belarusian_spellings_and_short_forms_match(query: str, listed: str) -> None:
    assert name_similarity({"name": query}, [listed])[0] >= DECIDE


def test_an_inner_name_that_differs_costs_arabic_script_what_it_costs_latin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Constructed: the own, father's and family names agree and the grandfather's differs.
    Written in Arabic script the name scores as its Latin writing does (its matched tokens
    are consonants only, 0.85 each, so the conflict factors took it 0.08 lower); a differing
    own name stays far below the band."""
    arabic = scores_both_ways("أحمد خالد هاشم العتيبي", "AHMED KHALID SAMIR AL-OTAIBI")
    latin = scores_both_ways("AHMED KHALID HASHIM AL-OTAIBI", "AHMED KHALID SAMIR AL-OTAIBI")
    assert all(a >= DECIDE and abs(a - b) < 0.03 for a, b in zip(arabic, latin, strict=True))
    assert max(scores_both_ways("محمد خالد هاشم العتيبي", "AHMED KHALID HASHIM AL-OTAIBI")) < 0.5
    monkeypatch.setattr(match, "_inner_only", lambda _a: False)
    without = scores_both_ways("أحمد خالد هاشم العتيبي", "AHMED KHALID SAMIR AL-OTAIBI")
    assert all(a < b - 0.05 for a, b in zip(without, latin, strict=True))


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # real pairs of different listed people, relatives and namesakes whose first written
        # word differs (the own name before the father's, or the family name): two brothers
        # of the UN list (its copy in tests/data), then OFAC SDN 2021 people (public domain)
        ("UDAY SADDAM HUSSEIN AL-TIKRITI", "QUSAY SADDAM HUSSEIN AL-TIKRITI"),
        ("DIAZ OREJUELA, Miguel Angel", "RODRIGUEZ OREJUELA, Miguel Angel"),
        ("BELIK, Dmitry Anatolievich", "POLONSKY, Dmitry Anatolievich"),
        ("Xu Ju", "XU, Bin"),  # constructed: BIN ending a two-word name is the given name
        ("Moussa Ali", "MWSWY"),  # constructed: French OU inside a word is no Ў
        # constructed: siblings written SURNAME, Given: the own name after the comma differs
        ("MARTINEZ SOLIS, Daniel Alberto", "MARTINEZ SOLIS, Roberto Alberto"),
        ("AL-HAKIM, Yasser Hussein", "AL-HAKIM, Rana Hussein"),
    ],
)
def test_relatives_and_namesakes_stay_below_the_decide_band(query: str, listed: str) -> None:
    assert name_similarity({"name": query}, [listed])[0] < DECIDE


@pytest.mark.parametrize(
    ("query", "listed", "alike"),
    [
        # constructed: middle initials after a found given name may stand for names the other
        # writing leaves out; a name written twice where the other writes it once
        ("AL-KARIMI, Fahad H.A.", "AL-KARIMI, Fahd Muhammad 'Abd Al-'Aziz", True),
        ("Peter J. Olsen", "Peter Andreas Olsen", True),
        ("HAMDAN, Hamdan Saleh", "HAMDAN SALEH AL-OMARI", True),
        # but an initial for the own name tells, and so does another name beside a repeat
        ("R. Smithson", "John Smithson", False),
        ("Hamdan Hamdan Ali", "Hamdan Hassan", False),
    ],
)
def test_initials_and_repeats_left_over_make_no_conflict(
    query: str, listed: str, alike: bool
) -> None:
    assert [s >= DECIDE for s in scores_both_ways(query, listed)] == [alike, alike], (query, listed)


def test_a_travellers_own_name_tells_a_sibling_on_the_list_apart(tmp_path: Path) -> None:
    """Constructed: a document's surname and given names against a list written ``SURNAME,
    Given``: the sibling with another own name stays below the decide band, the listed
    person is found."""
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json({"id": "1", "kind": "person",
                               "names": ["MARTINEZ SOLIS, Roberto Alberto"]})])  # fmt: skip
    screener = Screener(wl)
    sibling = {"kind": "person", "surname": "MARTINEZ SOLIS", "given_names": "DANIEL ALBERTO"}
    listed = {"kind": "person", "surname": "MARTINEZ SOLIS", "given_names": "ROBERTO ALBERTO"}
    assert all(h.score < DECIDE for h in screener.check([sibling]))
    assert [h.entry_id for h in screener.check([listed])] == ["1"]


def test_dentals_read_alike_find_the_candidate(tmp_path: Path) -> None:
    """فيض (FYD) finds FAIZ and FAIZ finds فيض: the index keys every dental read alike."""
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json({"id": "l", "kind": "person", "names": ["FAIZ"]}),
              entry_from_json({"id": "a", "kind": "person", "names": ["فيض"]})])  # fmt: skip
    hits = Screener(wl).check([{"kind": "person", "name": "فيض"}])
    assert "l" in {h.entry_id for h in hits}
    hits = Screener(wl).check([{"kind": "person", "name": "Faiz"}])
    assert "a" in {h.entry_id for h in hits}


HOSTILE = [
    "\u202eNIHTUP RIMIDALV",
    "[/]\x1b]0;x\x07 Smith",
    "A" * 5000,
    "\u0301\u0301\u0301 Ivanov",
    "ﷺ محمد",
    "𓂀 𝔍𝔬𝔥𝔫 𝕊𝕞𝕚𝕥𝕙",
    "Иван 习 محمد Ωμέγα ვანო",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_stored_and_screened_without_harm(tmp_path: Path, name: str) -> None:
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json({"id": "x", "kind": "person", "names": [name, "Ivan Ivanov"]})])
    for hit in Screener(wl).check([{"kind": "person", "name": name}]):
        assert not any(ch in json.dumps(hit.to_json()) for ch in "\x1b\x07\u202e")
    assert name_similarity({"name": name}, ["Ivan Ivanov"])[0] <= 1.0


def test_a_schema_2_list_gets_names_in_every_script(tmp_path: Path) -> None:
    path = tmp_path / "wl.db"
    wl = Watchlist.open(path)
    wl.apply([entry_from_json({"id": "1", "kind": "person", "names": ["عمر", "Omar Ali"]})])
    today = wl.conn().execute("SELECT forms FROM entries").fetchall()
    keys = wl.conn().execute("SELECT * FROM postings ORDER BY key").fetchall()
    wl.close()
    with sqlite3.connect(path) as conn:  # as schema 2 left it: Latin forms only, no originals
        conn.execute("""UPDATE entries SET forms='[["OMAR ALI","OMAR ALI"]]'""")
        conn.execute("DELETE FROM postings WHERE key LIKE 'pA%'")
        conn.execute("PRAGMA user_version=2")
    wl = Watchlist.open(path)
    assert wl.stats()["schema"] == len(MIGRATIONS) == 43
    assert wl.conn().execute("SELECT forms FROM entries").fetchall() == today
    assert wl.conn().execute("SELECT * FROM postings ORDER BY key").fetchall() == keys


@pytest.mark.parametrize(
    ("name", "key", "old_key", "schema"),
    [
        # schema 9 keys a variant group's given name written onto the next by the group's
        # label (MOHAMMADREZA as MUHAMMADREZA)
        ("Mohammadreza Karimi", "eMUHAMMADREZA", "eMOHAMADREZA", 8),
        # schema 13 keys ABDULLAH (ABDALLAH, ABDOULAYE …) by a group of its own, no longer
        # ABDUL's, the half of ABDUL AZIZ
        ("Abdallah Faiz", "eABDULLAH", "eABDUL", 12),
        # schema 14 spells the scripts of India with the vowel their letters carry
        ("मनमोहन सिंह", "eMANMOHAN", "eMNMOHN", 13),
        # schema 16 reads a foreign name in Hangul as the word it transcribes too
        ("도널드 트럼프", "eDONELD", "eDONEOLDEU", 15),
        # schema 21 spells the Cyrillic letters of Central Asia that it dropped (M RBEK)
        ("Өмүрбек Бабанов", "eOMURBEK", "eRBEK", 20),
        # schema 22 folds AEE as the long I it spells (SAEED as SAID)
        ("Saeed Ahmed", "eSAID", "eSAED", 21),
        # schema 23 drops a title written in Arabic script (ملا MLA) as MULLAH is dropped
        ("ملا محمد عمر", "fAMR.MHMD", "fAMR.MHMD.MLA", 22),
        # schema 24 reads Lao script as Thai (ໄກສອນ KAISON, anyascii's AIKSN)
        ("ໄກສອນ ພົມວິຫານ", "eKAISON", "eAIKSN", 23),
        # schema 25 reads a Thai tone mark as standing on a syllable's last first consonant
        # (แก้ว KAEO, no cluster KWAE) and keys Thai after its letters in the order said
        ("ชลน่าน ศรีแก้ว", "eSRIKAO", "eSRIKVA", 24),
        # schema 26 reads Uyghur's Arabic script as an alphabet (نۇر بەكرى NUR BEKRI)
        ("نۇر بەكرى", "eBEKRI", "eBEKRA", 25),
        # schema 27 reads Bengali ও before য় as W (ওয়াদুদ WADUD)
        ("আবদুল ওয়াদুদ", "eVADUD", "eOIADUD", 26),
        # schema 29 spells Tibetan script as said, two syllables a word (BSTN DZIN before)
        ("བསྟན་འཛིན་རྒྱ་མཚོ", "eTENDZIN", "eBSTN", 28),
        # schema 30 reads Syriac by the Arabic letters of its sounds (anyascii dropped ܐ)
        ("ܐܒܪܗܡ ܣܪܓܝܣ", "eABRHM", "eBRHM", 29),
        # schema 31 reads a Thai ห before a sonorant with an unwritten vowel as silent
        ("หลวง", "eLUANG", "eHALUANG", 30),
        # schema 32 reads initials, Tamil's letters as said, Malayalam ന്റ and Rao in the
        # scripts of India (இராமதாசு RAMATHASU, no I before the R)
        ("அன்புமணி இராமதாசு", "eRAMATHASU", "eIRAMATHASU", 31),
        # schema 33 spells Greek ΕΥ, ΑΥ before a voiceless consonant EF, AF (ELOT 743)
        ("Ελευθέριος Βενιζέλος", "eELEFTHERIOS", "eELEVTHERIOS", 32),
        # schema 34 reads Urdu's names of English letters and Hebrew letters a dot ends as
        # the initials they are
        ("ایم۔ علی جناح", "fALI.JNAH", "fAIM.ALI.JNAH", 33),
        # schema 37 keys MD, as Bangladesh shortens Muhammad, by MUHAMMAD's group
        ("Md. Yunus", "eMUHAMMAD", "eMD", 36),
        # schema 39 folds DZH, Cyrillic Дж as ICAO spells it, as J (DZHUMA as JUMA)
        ("Джума Намангани", "eJUMA", "eDZHUMA", 38),
        # schema 40 reads a Hebrew letter with the geresh as the sound it marks (ע׳ GH)
        ("ע'סאן כנפאני", "eGHSN", "eSN", 39),
    ],
)
def test_an_older_lists_keys_are_rebuilt_as_a_new_list_has_them(
    tmp_path: Path, name: str, key: str, old_key: str, schema: int
) -> None:
    path = tmp_path / "wl.db"
    wl = Watchlist.open(path)
    wl.apply([entry_from_json({"id": "1", "kind": "person", "names": [name]})])
    keys = wl.conn().execute("SELECT * FROM postings ORDER BY key").fetchall()
    assert (key, 1) in keys and (old_key, 1) not in keys
    wl.close()
    wl = _reopened_as(path, schema, "UPDATE postings SET key=? WHERE key=?", (old_key, key))
    assert wl.conn().execute("SELECT * FROM postings ORDER BY key").fetchall() == keys
    assert Screener(wl).check([{"kind": "person", "name": name.upper()}])
    wl.close()


@pytest.mark.parametrize(
    ("name", "new_keys", "query", "schema"),
    [
        # schema 38 reads katakana with the sounds a name of the continent has (ウラジーミル
        # VLADIMIR, プーチン PUTIN): keys an older list lacks
        (
            "ウラジーミル・プーチン",
            ("eVLADIMIR", "ePUTIN", "fPUTIN.VLADIMIR"),
            "PUTIN VLADIMIR",
            37,
        ),
        # schema 41 reads a Chinese name written in Cyrillic by the Palladius system in pinyin
        ("Си Цзиньпин", ("eJINPING", "eKSI", "fJINPING.KSI"), "XI JINPING", 40),
        # schema 42 reads a Korean name written in Cyrillic by its syllables, strictly
        ("Ким Чен Ын", ("eEUN", "fCHEN.EUN.KIM"), "KIM JONG UN", 41),
        # schema 43 reads a name in Greek letters as Greek writes a foreign name (ΜΠ B, ΝΤ D,
        # ΤΖ J, ΟΥ U, Χ H), ...
        ("Σαντάμ Χουσεΐν", ("eSADAM", "fHUSSEIN.SADAM"), "SADDAM HUSSEIN", 42),
        # and a Cyrillic У before a vowel starting a word as the W of an English name
        ("Уоррен Баффет", ("eVOREN", "fBAFET.VOREN"), "WARREN BUFFETT", 42),
    ],
)
def test_an_older_list_gets_the_keys_of_new_readings(
    tmp_path: Path, name: str, new_keys: tuple[str, ...], query: str, schema: int
) -> None:
    path = tmp_path / "wl.db"
    wl = Watchlist.open(path)
    wl.apply([entry_from_json({"id": "1", "kind": "person", "names": [name]})])
    keys = wl.conn().execute("SELECT * FROM postings ORDER BY key").fetchall()
    assert all((key, 1) in keys for key in new_keys)
    wl.close()
    undo = f"DELETE FROM postings WHERE key IN ({','.join('?' * len(new_keys))})"
    wl = _reopened_as(path, schema, undo, new_keys)
    assert wl.conn().execute("SELECT * FROM postings ORDER BY key").fetchall() == keys
    assert [h.entry_id for h in Screener(wl).check([{"kind": "person", "name": query}])] == ["1"]
    wl.close()


def _reopened_as(path: Path, schema: int, undo: str, params: tuple[str, ...]) -> Watchlist:
    """The watchlist file at ``path`` put back as ``schema`` left it (``undo``, an SQL
    statement with ``params``, takes back what a later schema wrote), then opened."""
    with sqlite3.connect(path) as conn:
        conn.execute(undo, params)
        conn.execute(f"PRAGMA user_version={schema}")
    return Watchlist.open(path)


@pytest.mark.parametrize(
    ("name", "as_said", "query", "schema"),
    [
        # schema 35 renders a name of India whose initials are written joined as letters'
        # names with those read as the letters too (एमएस धोनी M S DHONI)
        ("एमएस धोनी", "EMAES DHONI", "M. S. Dhoni", 34),
        # schema 36 so renders Urdu letters' names in a row with no dots (اے آر A R)
        ("ایچ ایم ارشاد", "AYCH AYM ARSHAD", "H. M. Ershad", 35),
    ],
)
def test_an_older_list_gets_unmarked_initials_read_as_initials(
    tmp_path: Path, name: str, as_said: str, query: str, schema: int
) -> None:
    """The keys stay; the forms the scoring reads are rebuilt."""
    path = tmp_path / "wl.db"
    wl = Watchlist.open(path)
    wl.apply([entry_from_json({"id": "1", "kind": "person", "names": [name]})])
    (today,) = wl.conn().execute("SELECT forms FROM entries").fetchone()
    assert json.loads(today)[0] == [as_said, "", name] and len(json.loads(today)) == 2
    wl.close()
    wl = _reopened_as(
        path, schema, "UPDATE entries SET forms = ?", (json.dumps([[as_said, "", name]]),)
    )
    assert wl.conn().execute("SELECT forms FROM entries").fetchone() == (today,)
    assert Screener(wl).check([{"kind": "person", "name": query}])
    wl.close()


def test_a_schema_9_list_keys_names_as_read_in_the_somali_alphabet(tmp_path: Path) -> None:
    """Schema 10 keys a name as read in the Somali alphabet too, so a Latin query finds a
    person listed only so (and the upgrade rebuilds a schema 9 list's keys that way)."""
    path = tmp_path / "wl.db"
    wl = Watchlist.open(path)
    names = ["XIRSI, Xasan Cabdulle", "Mohamed Ali Hassan", "Umar Farah", "Abdi Ali"]
    wl.apply([entry_from_json({"id": str(i), "kind": "person", "names": [n]})
              for i, n in enumerate(names)])  # fmt: skip
    query = {"kind": "person", "name": "HASSAN ABDULLAH HERSI"}
    assert [h.entry_id for h in Screener(wl).check([query])][:1] == ["0"]
    keys, upgraded = _keys_rebuilt(wl, ("eHASAN", "eHIRSI"), 9)
    assert upgraded == keys


def _keys_rebuilt(wl: Watchlist, dropped: tuple[str, ...], schema: int) -> tuple[list, list]:
    """The posting rows of ``wl`` (closed here), and those of the same file once put back to
    ``schema`` without the ``dropped`` keys of a reading it did not have, and opened again."""
    keys = wl.conn().execute("SELECT * FROM postings ORDER BY key").fetchall()
    wl.close()
    with sqlite3.connect(wl.path) as conn:  # as the older schema left it
        conn.executemany("DELETE FROM postings WHERE key = ?", [(k,) for k in dropped])
        conn.execute(f"PRAGMA user_version={schema}")
    upgraded = Watchlist.open(wl.path)
    try:
        return keys, upgraded.conn().execute("SELECT * FROM postings ORDER BY key").fetchall()
    finally:
        upgraded.close()


def test_a_schema_27_list_keys_persian_zh_as_j(tmp_path: Path) -> None:
    """Schema 28 keys a name romanised from Arabic script with its ZH (``ژ``) read as the J
    Iranian names' Latin spellings write, so BIJAN finds ``بیژن`` through the index."""
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json({"id": "1", "kind": "person", "names": ["بیژن زنگنه"]})])
    keys, upgraded = _keys_rebuilt(wl, ("pBJN",), 27)
    assert ("pBJN", 1) in keys and upgraded == keys


def test_a_schema_10_list_keeps_a_family_name_that_is_a_title(tmp_path: Path) -> None:
    """Schema 11 computes the name forms again: an article and a title that end a name are a
    family name (AHMED EL SHEIKH, which schema 10 read as AHMED), so the upgrade finds the
    entry under it."""
    path = tmp_path / "wl.db"
    wl = Watchlist.open(path)
    wl.apply([entry_from_json({"id": "1", "kind": "person", "names": ["Ahmed El Sheikh"]})])
    today = wl.conn().execute("SELECT forms FROM entries").fetchall()
    assert "EL SHEIKH" in today[0][0]
    wl.close()
    with sqlite3.connect(path) as conn:  # as schema 10 left it
        conn.execute("""UPDATE entries SET forms='[["AHMED",""]]'""")
        conn.execute("DELETE FROM postings WHERE key LIKE '%SHEIKH%'")
        conn.execute("PRAGMA user_version=10")
    wl = Watchlist.open(path)
    assert wl.conn().execute("SELECT forms FROM entries").fetchall() == today
    hits = Screener(wl).check([{"kind": "person", "name": "Ahmed Elsheikh"}])
    assert [h.entry_id for h in hits if h.score >= DECIDE] == ["1"]


def test_a_schema_11_list_reads_kanji_in_japanese_and_the_brackets(tmp_path: Path) -> None:
    """Schema 12 computes the name forms again: a name in kanji read in Japanese too, and a
    name's brackets read, so the upgrade finds both entries as a new list does."""
    path = tmp_path / "wl.db"
    wl = Watchlist.open(path)
    names = ["田中花子", "Ezatullah Haqqani (previously listed as)"]
    wl.apply([entry_from_json({"id": str(i), "kind": "person", "names": [n]})
              for i, n in enumerate(names, 1)])  # fmt: skip
    today = wl.conn().execute("SELECT forms FROM entries ORDER BY rid").fetchall()
    keys = wl.conn().execute("SELECT * FROM postings ORDER BY key").fetchall()
    wl.close()
    with sqlite3.connect(path) as conn:  # as schema 11 left them
        conn.execute("""UPDATE entries SET forms='[["TIAN ZHONG HUA ZI","","田中花子"]]'
                        WHERE rid=1""")  # fmt: skip
        conn.execute("""UPDATE entries SET forms='[["EZATULLAH HAQQANI PREVIOUSLY LISTED AS",""]]'
                        WHERE rid=2""")  # fmt: skip
        conn.execute("DELETE FROM postings WHERE key LIKE '%TANAKA%' OR key LIKE '%HANAKO%'")
        conn.execute("PRAGMA user_version=11")
    wl = Watchlist.open(path)
    assert wl.conn().execute("SELECT forms FROM entries ORDER BY rid").fetchall() == today
    assert wl.conn().execute("SELECT * FROM postings ORDER BY key").fetchall() == keys
    for name, rid in (("TANAKA Hanako", "1"), ("HAQQANI, Ezatullah", "2")):
        hits = Screener(wl).check([{"kind": "person", "name": name}])
        assert [h.entry_id for h in hits if h.score >= 0.9] == [rid]


def test_a_schema_7_list_reads_the_pashto_letters(tmp_path: Path) -> None:
    """Schema 8 computes the name forms again: ځ, which schema 7 dropped (ځلمی was LMY), is
    read (ZLMY), so ZALMAY finds the entry."""
    path = tmp_path / "wl.db"
    wl = Watchlist.open(path)
    wl.apply([entry_from_json({"id": "1", "kind": "person", "names": ["ځلمی خان"]})])
    today = wl.conn().execute("SELECT forms FROM entries").fetchall()
    wl.close()
    with sqlite3.connect(path) as conn:  # as schema 7 left it
        conn.execute("""UPDATE entries SET forms='[["LMY KHAN","","ځلمی خان"]]'""")
        conn.execute("DELETE FROM postings")
        conn.execute("PRAGMA user_version=7")
    wl = Watchlist.open(path)
    assert wl.conn().execute("SELECT forms FROM entries").fetchall() == today
    assert [h.entry_id for h in Screener(wl).check([{"kind": "person", "name": "Zalmay Khan"}])]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # constructed: one Korean or Chinese name in two romanisation systems
        ("PAK Chin Hyok", "PARK Jin Hyeok"),  # McCune-Reischauer / Revised, English PARK
        ("CHONG Man Pok", "JEONG Man Bok"),
        ("KANG P'il Hun", "GANG Phil Hun"),
        ("CHO Il Woo", "JO Il U"),
        ("WEI Hsueh Kang", "WEI Xue Kang"),  # Wade-Giles / pinyin
    ],
)
def test_korean_and_chinese_romanisations_of_one_name_match(query: str, listed: str) -> None:
    assert min(scores_both_ways(query, listed)) >= DECIDE, (query, listed)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # constructed: names of syllables where another syllable is spelt alike
        ("Yeong Cheol I", "JO Yong Chol"),  # the family names I and JO differ
        ("LI Jun", "RI Un Song"),  # JUN is no UN
        ("KIM Jong Nam", "GIM Jeong Un"),
        ("John Chan", "Jon Jan"),  # JOHN is no syllable: no consonant fold
        ("WANG Fang", "WANG Fan"),  # F starts Chinese syllables too: FANG is no FAN
    ],
)
def test_other_syllables_of_korean_and_chinese_names_do_not_match(query: str, listed: str) -> None:
    assert name_similarity({"name": query}, [listed])[0] < DECIDE


@pytest.mark.parametrize(
    ("apart", "one_word"),
    [
        # constructed from public figures' names: Wade-Giles or McCune-Reischauer apart,
        # pinyin or a list's Korean as one word
        ("Hu Chin-tao", "Hu Jintao"),
        ("Mao Tse-tung", "Mao Zedong"),  # Wade-Giles TUNG for pinyin DONG
        ("Kim Chong Un", "Kim Jongun"),
    ],
)
def test_two_syllables_apart_match_one_word_of_another_romanisation(
    apart: str, one_word: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert min(scores_both_ways(apart, one_word)) >= DECIDE, (apart, one_word)
    monkeypatch.setattr(joins, "_syllables_joined", lambda _p, _o: None)
    assert max(scores_both_ways(apart, one_word)) < DECIDE, "the join is what matches them"


def test_a_name_of_syllables_is_compared_so_with_one_whose_given_name_is_one_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pinyin writes a given name's two syllables as one word (XI JINPING): the names are
    still compared syllable by syllable, so that Wade-Giles HSI is pinyin XI, which as Latin
    spellings they are not; and YOUNG, two letters from JONG, is no syllable of it."""
    assert min(scores_both_ways("Hsi Chin-ping", "Xi Jinping")) >= DECIDE
    assert max(scores_both_ways("June Young", "KIM Jung Jong")) < DECIDE

    def wholly(tokens: list[str], beside: int = 0) -> bool:
        return syllabic(tokens)  # wholly in syllables, as before

    monkeypatch.setattr(match, "in_syllables", wholly)
    assert max(scores_both_ways("Hsi Chin-ping", "Xi Jinping")) < DECIDE
    assert max(scores_both_ways("June Young", "KIM Jung Jong")) >= DECIDE


def test_syllables_are_joined_only_as_their_romanisation_allows() -> None:
    """Korean writes SONG (송) and SUNG (성) for two vowels: TUNG is pinyin DONG only beside a
    letter that only pinyin writes (ZEDONG). A query in Chinese script keeps its written
    words: HONG of 小红 and LI of 莉 are no HONGRI (LI, Hong Ri, 0.83 joined)."""
    assert max(scores_both_ways("Kim Song Min", "Kim Sungmin")) < DECIDE
    # McCune-Reischauer CHUNG and CHONG are two vowels too: CH is no pinyin C
    assert joins.joined(["KIM", "CHUNG", "HO"], ["KIM", "CHONGHO"]) == ["KIM", "CHUNG", "HO"]
    assert joins.joined(["MAO", "TSE", "TUNG"], ["MAO", "ZEDONG"]) == ["MAO", "ZEDONG"]
    assert name_similarity({"name": "小红 莉 李"}, ["LI, Hong Ri"])[0] < DECIDE


def test_a_word_spelt_like_the_other_sides_is_not_joined_to_the_next() -> None:
    """Words joined because together they are spelt like a word of the other side (SULTAN
    MOHMADI / SOLTANMOHAMMADI), but not a word already spelt more like it alone: GHIASUDDIN
    SAYED is no GHIASSOUDDINE (a real UN alias of the dev part joined them, and GHIASUDDIN
    went unmatched)."""
    query, listed = ["SAYED", "GHIASUDDIN", "SAYED", "GHOUSUDDIN"], ["SAYYED", "GHIASSOUDDINE"]
    assert joined(query, listed) == query
    assert joined(["ALI", "SULTAN", "MOHMADI"], ["SOLTANMOHAMMADI", "ALI"]) == [
        "ALI",
        "SULTANMOHMADI",
    ]


def test_a_whole_name_is_not_joined_by_its_consonants_alone() -> None:
    """Constructed token lists: a name romanised from an abjad, its two words run together,
    has the consonants of one listed word (SYNA YZDY, SNDY: S N D); a piece of a longer name,
    a compound of Arabic names or a join spelt as the other's word still joins. Then a dev
    generated person on no list (yente's negatives) against a UN name, 0.70 before."""
    assert joined(["SYNA", "YZDY"], ["ABDULLAH", "AL", "SNDY"], abjad="Arab") == ["SYNA", "YZDY"]
    assert joined(["SDYQ", "ML", "KHAN"], ["SIDDIQMAL", "KHAN", "ALI"], "Arab")[0] == "SDYQML"
    assert joined(["ABDUL", "RHMN"], ["ABDELRAHMAN"], abjad="Arab") == ["ABDULRHMN"]
    assert name_similarity({"name": "سينا یزدی"}, ["عبدالله السندي"])[0] < DECIDE


@pytest.mark.parametrize(
    ("query", "listed", "matches"),
    [
        # constructed: titles, ranks and the Hajj of a pilgrim dropped; AL-HAJJ, a family name
        ("SALEM, Al Hajj Omar", "AL-TAHIRI, Omar Salem", True),
        ("NADIRI, Hajj Karim", "NADIRI, Karim Yusuf", True),
        ("Maj. Peter Varga", "PETER VARGA", True),
        ("BAKOS, Doctor Imre", "BAKOS, Imre Laszlo", True),
        ("Maulavi Karim Nazari", "KARIM NAZARI AHMADZAI", True),  # Mawlawi as Pashto writes it
        ("AL-HAJJ, Karim", "AL-MASRI, Karim", False),
    ],
)
def test_titles_and_ranks_are_dropped(query: str, listed: str, matches: bool) -> None:
    assert (name_similarity({"name": query}, [listed])[0] >= DECIDE) == matches


@pytest.mark.parametrize(
    ("query", "listed", "matches"),
    [
        # constructed: an honorific that is a name too, written by one side only
        ("Karim Nazari Akhund", "KARIM NAZARI AHMADZAI", True),
        ("Tarzi Baba", "JAWED TARZI", True),
        ("Hanif Sahib", "HANIF OMAR JALALI", True),
        ("KIBWANA, Mzee", "KIBWANA, Juma Salim", True),
        # both sides write it (matched as a name), or another name is left over beside it
        ("BABA, Ahmed", "BABA, Musa", False),
        ("Karim Bhai Ahmadzai", "KARIM NAZARI", False),
        # a listed name of one word and an honorific is no alert on every traveller of that name
        ("YUSUF ISMAIL PATEL", "Yusuf Bhai", False),
    ],
)
def test_an_honorific_one_side_writes_is_no_other_name(
    monkeypatch: pytest.MonkeyPatch, query: str, listed: str, matches: bool
) -> None:
    """AKHUND, BABA, SAHIB … (``HONORIFIC_NAMES``) left over one side weigh as particles and
    make no conflict; without that the true pairs here score 0.36-0.68, below the band."""
    assert (name_similarity({"name": query}, [listed])[0] >= DECIDE) == matches
    monkeypatch.setattr(match, "HONORIFIC_NAMES", frozenset())
    assert name_similarity({"name": query}, [listed])[0] < DECIDE


@pytest.mark.parametrize(
    ("query", "listed", "kinds"),
    [
        # constructed: one of issue 17's kinds each, found by plain tests of the names
        ("J0hn Sm1th", "John Smith", ["digits", "swapped_or_dropped_letters"]),
        ("J. R. Smith", "John Robert Smith", ["initials"]),
        ("JohnSmith", "John Smith", ["joined_or_split"]),
        ("SMITH, John Robert", "John Robert Smith", ["order"]),
        ("Dr. John Smith", "John Smith", ["titles"]),
        ("Qasim Ali", "Kasim Ali", ["first_letter_sound"]),
        ("Jonh Smith", "John Smith", ["swapped_or_dropped_letters"]),
        ("Ali al-Hassan", "Ali Hassan", ["particles"]),
        ("Иван Петров", "Ivan Petrov", ["script"]),
        ("Ahmed Zaki", "Karim Hassan", ["other"]),
    ],
)
def test_the_bench_tells_issue_17s_error_kinds(query: str, listed: str, kinds: list[str]) -> None:
    sys.path.insert(0, str(REPO))
    from bench.name_kinds import kinds_of
    from bench.names import Pair

    assert kinds_of(Pair(query, listed, True, "constructed", "dev")) == kinds


def test_the_bench_counts_each_matcher_per_error_kind() -> None:
    sys.path.insert(0, str(REPO))
    from bench.name_kinds import by_error_kind
    from bench.names import Pair

    pairs = [Pair("Jonh Smith", "John Smith", True, "x", "dev"),
             Pair("Jonh Smyth", "John Smith", True, "x", "dev"),
             Pair("Ali Hassan", "Omar Hassan", False, "neg_one_token_differs", "dev")]  # fmt: skip
    out = by_error_kind(pairs, {"a": ([0.9, 0.1, 0.7], 0.6), "b": ([0.9, 0.9, 0.1], 0.7)})
    assert out["swapped_or_dropped_letters"] == {"pairs": 2, "a": {"recall": 0.5},
                                                 "b": {"recall": 1.0}}  # fmt: skip
    assert out["one_name_differs"] == {"pairs": 1, "a": {"matched": 1.0}, "b": {"matched": 0.0}}


_NAME_LETTERS = (
    "ABCDEGHIJKLMNORSTUXYZ" + "abcgjxh" + "-' ," + "محمدعليحسن" + "李王金" + "ИВАНОВ"
    + "ئىۇۋژ" + "ܐܥܦ" + "བྱྲ་" + "กว้์"
)  # fmt: skip
"""Letters of names in several scripts, X, C, G and J for the Somali and Egyptian readings, the
letters of Uyghur's Arabic script and Persian ZH, Syriac, Tibetan stacks and syllable marks,
Thai tone and silencing marks, and the separators."""


_NAMES = st.text(_NAME_LETTERS, min_size=1, max_size=40).filter(lambda t: bool(renderings(t)))
"""Names as a list may hold them: with a letter in some rendering (a list refuses a name of
none, as of a lone ``ئ``, which only bears a vowel)."""


@settings(max_examples=300, deadline=None)
@given(_NAMES, _NAMES)
def test_any_two_names_score_between_0_and_1_and_a_name_matches_itself(a: str, b: str) -> None:
    """Property: the scorer, with its joins and readings, takes any two names in either
    order to a score in 0..1, and a name alerts against itself (1 unless it has more words
    than a query keeps, ``MAX_QUERY_TOKENS``: ``A李李A李A-A李A`` scores 0.98)."""
    for q, c in ((a, b), (b, a), (a, a)):
        score = name_similarity({"name": q}, [c])[0]
        assert 0.0 <= score <= 1.0, (q, c, score)
    assert name_similarity({"name": a}, [a])[0] >= DECIDE, a
