"""The names bench's own arithmetic: rank correlations of ``bench/name_ofac.py``."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO, SHARED_TESTDATA

sys.path.insert(0, str(REPO))

from bench.name_ofac import fixtures, kendall_tau_b, spearman


def test_spearman_ranks_ties_by_their_mean() -> None:
    assert spearman([1, 2, 3], [10, 20, 30]) == 1.0
    assert spearman([1, 2, 3], [3, 2, 1]) == -1.0
    assert spearman([1, 1, 2], [1, 2, 3]) == pytest.approx(0.866, abs=1e-3)
    assert spearman([1, 1, 1], [1, 2, 3]) is None


def test_kendall_tau_b_counts_concordant_pairs() -> None:
    assert kendall_tau_b([1, 2, 3], [1, 3, 2]) == pytest.approx(1 / 3)
    assert kendall_tau_b([1, 2, 3], [3, 2, 1]) == -1.0
    assert kendall_tau_b([5, 5], [1, 2]) is None


@pytest.mark.skipif(not (SHARED_TESTDATA / "names").exists(), reason="no third-party name data")
def test_the_ofac_fixtures_load_with_their_scores() -> None:
    rows = fixtures()
    assert len(rows) == 96 and sum(score < 0 for _, score in rows) == 3


def test_threshold_at_lets_at_most_that_share_alert() -> None:
    from bench.name_calibration import threshold_at

    best = [0.9, 0.8, 0.8, 0.7, 0.5] + [0.1] * 95  # 100 people
    t = threshold_at(best, 0.01)  # one may alert
    assert sum(b >= t for b in best) == 1 and 0.8 < t < 0.9
    t = threshold_at(best, 0.02)  # two may, but the second and third tie: only one does
    assert sum(b >= t for b in best) == 1
    t = threshold_at(best, 0.03)
    assert sum(b >= t for b in best) == 3 and 0.7 < t <= 0.8
    assert threshold_at(best, 0.001) > 0.9  # none may
    assert threshold_at([], 0.01) == 0.0


def test_rank_of_counts_from_the_highest_hit() -> None:
    from types import SimpleNamespace as Hit

    from bench.name_calibration import rank_of, ranks, recall_figures

    hits = [
        Hit(entry_id="b", score=0.7),
        Hit(entry_id="a", score=0.9),
        Hit(entry_id="c", score=0.8),
    ]
    assert rank_of(hits, {"c"}) == (0.8, 2)
    assert rank_of(hits, {"c", "b"}) == (0.8, 2)  # the first of the wanted entries
    assert rank_of(hits, {"z"}) == (0.0, None)
    found = [(0.8, 2, True), (0.95, 1, False), (0.0, None, False), (0.5, 6, True)]
    assert ranks(found) == {"recall_at_1": 0.25, "recall_at_5": 0.5}
    assert recall_figures(found, 0.6) == {
        "recall": 0.5, "recall_changed_names": 0.5, "recall_unchanged_names": 0.5,
    }  # fmt: skip


def test_fixture_dates_become_iso_dates() -> None:
    from bench.name_calibration import iso_date

    assert iso_date("1969-7-16") == "1969-07-16"
    assert iso_date("1954") == "1954"
    assert iso_date("1960-06-29") == "1960-06-29"
    assert iso_date("") is None and iso_date("about 1950") is None and iso_date("60-1-1") is None


def test_documents_count_own_entries_of_names_cut_short() -> None:
    """Two listed people and a passport (TD3) and a card (TD1) made out to each of their
    names: the card cuts the patronymic, and only the flag it sets finds its holder first."""
    from bench.name_documents import _own_entries, person_key
    from drivers.mrz.generate import make_td1, make_td3

    assert "cut_short" not in person_key(make_td3, "SHCHERBAKOV", "KIRILL KONSTANTINOVICH")
    card = person_key(make_td1, "SHCHERBAKOV", "KIRILL KONSTANTINOVICH")
    assert card["given_names"] == "KIRILL KONSTANTIN" and card["cut_short"] == "given_names"
    records = [
        {"id": "ofac1", "kind": "person", "names": ["SHCHERBAKOV, Kirill Konstantinovich"]},
        {"id": "ofac2", "kind": "person", "names": ["SHCHERBAKOV, Konstantin"]},
    ]
    from bench.name_calibration import listed_screener
    from bench.names import part_of

    with listed_screener(records) as (screener, _report):
        td1 = _own_entries(screener, records, make_td1, {})
    parts = {part_of("ofac", "1"), part_of("ofac", "2")}
    total = {k: sum(td1[p].get(k, 0) for p in parts) for k in ("names", "own_first", "cut")}
    assert total == {"names": 2, "own_first": 2, "cut": 1}
    cut_part = td1[part_of("ofac", "1")]
    assert cut_part["cut_own_first"] == 1 and cut_part["cut_own_first_unflagged"] == 0
