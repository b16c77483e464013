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
