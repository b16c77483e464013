"""Both matchers beside the US Treasury's own Sanctions List Search on the queries OpenSanctions
recorded from it (``nomenklatura_ofac_search_fixtures.csv``: query, result, OFAC's score 0-100).

These are the reference tool's rankings, not identity labels (OFAC's tool is loose by design:
``PUTIN`` returns ``PUNTI, Pere`` at 90), so no precision or recall is drawn from them. Said
instead, for each matcher on the same pairs: how its scores rank against OFAC's (Spearman's
rho over every pair OFAC scored, and the mean Kendall tau-b within each query with two scored
results or more) and how many of OFAC's results it would alert on (at its own band, and
among those OFAC scored 90 or more).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from typing import Any

from bench.names import PEER_THRESHOLD, THRESHOLD, Pair, ours, peer, rows

STRONG = 90
"""OFAC scores from which its tool's result is a strong one."""


def fixtures() -> list[tuple[Pair, int]]:
    """Each recorded (query, result) as a pair with OFAC's score (-1: not scored)."""
    return [
        (Pair(r["query_name"], r["result_name"], False, "ofac_search", ""), int(r["ofac_score"]))
        for r in rows("nomenklatura_ofac_search_fixtures.csv")
    ]


def _ranks(values: list[float]) -> list[float]:
    """Ranks from 1, ties given their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    for _value, group in itertools.groupby(order, key=lambda i: values[i]):
        same = list(group)
        first = order.index(same[0])
        for i in same:
            out[i] = first + (len(same) + 1) / 2
    return out


def spearman(a: list[float], b: list[float]) -> float | None:
    """Spearman's rank correlation (Pearson's on the ranks; None when a side is constant)."""
    ra, rb = _ranks(a), _ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    var = math.sqrt(sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb))
    return round(cov / var, 3) if var else None


def kendall_tau_b(a: list[float], b: list[float]) -> float | None:
    """Kendall's tau-b over all pairs of items (None when either side is all ties)."""
    concordant = discordant = ties_a = ties_b = 0
    for i, j in itertools.combinations(range(len(a)), 2):
        da, db = a[i] - a[j], b[i] - b[j]
        ties_a += da == 0 and db != 0
        ties_b += db == 0 and da != 0
        if da and db:
            concordant += (da > 0) == (db > 0)
            discordant += (da > 0) != (db > 0)
    n = concordant + discordant
    denominator = math.sqrt((n + ties_a) * (n + ties_b))
    return (concordant - discordant) / denominator if denominator else None


def _agreement(
    scored: list[tuple[Pair, int]], scores: list[float], threshold: float
) -> dict[str, Any]:
    ofac = [float(s) for _, s in scored]
    by_query: dict[str, list[int]] = defaultdict(list)
    for k, (pair, _) in enumerate(scored):
        by_query[pair.query].append(k)
    taus = [kendall_tau_b([ofac[k] for k in ks], [scores[k] for k in ks])
            for ks in by_query.values() if len(ks) >= 2]  # fmt: skip
    taus_known = [t for t in taus if t is not None]
    strong = [k for k, s in enumerate(ofac) if s >= STRONG]
    return {
        "threshold": threshold, "spearman_rho": spearman(ofac, scores),
        "mean_kendall_tau_b": round(sum(taus_known) / len(taus_known), 3) if taus_known else None,
        "queries_ranked": len(taus_known),
        "alerting": sum(s >= threshold for s in scores),
        "alerting_where_ofac_strong": sum(scores[k] >= threshold for k in strong),
    }  # fmt: skip


def ofac_search(use_peer: bool) -> dict[str, Any]:
    """Both matchers on the OFAC search fixtures (module doc)."""
    scored = [(p, s) for p, s in fixtures() if s >= 0]
    pairs = [p for p, _ in scored]
    out: dict[str, Any] = {
        "pairs": len(scored), "ofac_strong": sum(s >= STRONG for _, s in scored),
        "borderpost": _agreement(scored, ours(pairs), THRESHOLD),
    }  # fmt: skip
    peer_scores = peer(pairs) if use_peer else None
    out["logic_v2"] = (
        _agreement(scored, peer_scores, PEER_THRESHOLD) if peer_scores else "peer not installed"
    )
    return out
