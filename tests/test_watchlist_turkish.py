"""Arabic names as Turkish spells them (:func:`edge.watchlist.sounds.turkish`): C for the J of
other spellings and P for a last B (Cemal / Jamal, Recep / Rajab), which a Turkish passport's
MRZ keeps as C and P.

The pairs were written down before the reading was run (issue 17's thirty-third part), Turkish
spelling against the Arabic one lists use and against Arabic script: 1 of 19 was found both
ways before, 8 now. Not found: a C that starts a word before A (CAFER / JAFAR, CAHIT / JAHID:
read so, a Spanish CANAS was a Latvian JANIS, a synthetic negative of the default 1M bench
alerting); names whose vowels differ too (Turkish writes E for many an Arabic A: RECEP /
RAJAB, CEVDET / JAWDAT, NECMETTIN / NAJMUDDIN, TACETTIN / TAJUDDIN, alike at 0.85 by their
consonants — between two Latin spellings the reading must give a near match, 0.9, or TRACY
read TRAJY was TREJO: four more of 21,253 dev people on no list alerting against the whole
UN and OFAC lists, none with the near match); CEM (three letters); and four in Arabic script
(Khashoggi, Cavusoglu, Davutoglu, Erbakan: names Arabic writes in two words where Turkish
writes one, or with a Ş).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import found_for_another, scores_both_ways, screened_ids

from edge.watchlist.screen import DECIDE, name_similarity
from edge.watchlist.sounds import turkish

FOUND = [
    ("Cemal Yilmaz", "Jamal Yilmaz"),
    ("Cengiz Aksoy", "Jengiz Aksoy"),
    ("Celal Bayar", "Jalal Bayar"),
    ("Mucahit Kaya", "Mujahid Kaya"),
    ("Necati Sasmaz", "Najati Sasmaz"),
    ("Cemil Cicek", "Jamil Chichek"),
    ("Hacer Demir", "Hajar Demir"),
    ("رجب طيب أردوغان", "Recep Tayyip Erdogan"),
]
NOT_FOUND = [
    ("Cahit Arf", "Jahid Arf"),
    ("Cafer Tayyar", "Jafar Tayyar"),
    ("Recep Tayyip Erdogan", "Rajab Tayyib Erdoghan"),
    ("Cevdet Sunay", "Jawdat Sunay"),
    ("Necmettin Erbakan", "Najmuddin Erbakan"),
    ("Tacettin Kara", "Tajuddin Kara"),
    ("Cem Ozdemir", "Jem Ozdemir"),
    ("جمال خاشقجي", "Cemal Kasikci"),
    ("مولود جاويش أوغلو", "Mevlut Cavusoglu"),
    ("أحمد داود أوغلو", "Ahmet Davutoglu"),
    ("نجم الدين أربكان", "Necmettin Erbakan"),
]


@pytest.mark.parametrize(
    ("token", "read"),
    [
        ("CEMAL", "JEMAL"),
        ("RECEP", "REJEB"),  # a last P: B
        ("NECATI", "NEJATI"),  # between vowels
        ("CANAS", "CANAS"),  # a first C before A: the K of Spanish and Italian names
        ("CICEK", "JIJEK"),  # Ç in the MRZ is a C too: CHICHEK is spelt apart by the scoring
        ("MICHAEL", "MICHAEL"),  # CH is no C
        ("CHEN", "CHEN"),
        ("CAO", "CAO"),  # a Chinese syllable is read as its own romanisation writes it
        ("TAYYIP", "TAYYIP"),  # no C: as written
    ],
)
def test_turkish_c_is_read_as_j(token: str, read: str) -> None:
    assert turkish(token) == read


@pytest.mark.parametrize(("written", "latin"), FOUND)
def test_turkish_spellings_are_found_both_ways(written: str, latin: str) -> None:
    assert min(scores_both_ways(written, latin)) >= DECIDE


def test_without_a_near_match_a_c_read_as_j_finds_no_other_name() -> None:
    """Read TRAJY, TRACY has TREJO's consonants (0.85): not a near match, no hit."""
    assert max(scores_both_ways("Tracy Lopez", "LOPEZ TREJO, Fernando")) < DECIDE
    assert max(scores_both_ways("Albert Jones", "CANAS PULIDO, Ramon Alberto")) < DECIDE
    spanish = {"surname": "CANAS", "given_names": "LUIS MIGUEL"}
    assert name_similarity(spanish, [{"surname": "Lūsis", "given_names": "Jānis"}])[0] < 0.5
    assert found_for_another(FOUND) == []


def test_the_screener_finds_them(tmp_path: Path) -> None:
    listed = {"jamal": "YILMAZ, Jamal", "erdogan": "رجب طيب أردوغان"}
    queries = {
        "CEMAL YILMAZ": {"jamal"},  # a Turkish passport's MRZ
        "RECEP TAYYIP ERDOGAN": {"erdogan"},
        "KEMAL YILMAZ": set(),
    }
    assert screened_ids(tmp_path / "wl.db", listed, queries) == queries
