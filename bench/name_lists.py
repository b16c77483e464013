"""People on no list, screened against the UN and OFAC individuals under every name they have.

``bench/names.py`` scores pairs one name to one name, and its round trip lists the UN names
alone. A customs service imports the whole lists: every alias too, nicknames and noms de
guerre of one word among them (``Joe``, ``Caesar``, ``Israel``), and ten times more people
with OFAC. :func:`whole_lists` lists the 558 UN and 4,499 OFAC individuals of
``../shared/testdata/names`` under all their names (primary, aliases, original script; at
most 32 each, as the importer keeps them) and screens people who are on neither list:

* ``us_congress`` — 1,253 real members of the US Congress (``yente_us_congress_untreated``),
  real names and common American ones. None of them is on these lists (the hits shown under
  ``highest`` can be checked by hand). The screener's rules of issue 17's tenth part were
  chosen looking at all of them, so this is no held-out figure; it is split by the same hash
  as the pairs (``part``) all the same.
* ``generated`` — the first ``limit`` generated non-listed people of each part (dev and
  held out; the tenth part looked at the dev part only).

Each is screened by the product's :class:`~edge.watchlist.screen.Screener` (name only, the
people have no full birth date): the share raising an alert at the decide band and at the
bands of ``SWEEP``. Beside it, for the Congress members, both matchers score the same
pairs — each member against every listed person sharing a plain name token with them, under
all that person's names — so logic-v2 and Borderpost are counted on the same inputs.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from bench.name_calibration import (
    best_hit,
    listed_screener,
    non_listed_rows,
    whole_list_round_trip,
)
from bench.names import (
    PEER_THRESHOLD,
    SWEEP,
    THRESHOLD,
    Pair,
    listed_names,
    part_of,
    peer,
    plain_tokens,
    putin_names,
    rows,
)

MAX_NAMES = 32
"""Names kept per listed person (the importer's limit)."""


def listed_records() -> list[dict[str, Any]]:
    """Every UN and OFAC individual as a JSON Lines record with all its names."""
    return [
        {"id": f"{source}{ident}", "kind": "person", "names": names[:MAX_NAMES]}
        for source, ident, names in listed_names()
    ]


def congress() -> list[str]:
    """The names of the US Congress members (real people on no list)."""
    return [r["full_name"] for r in rows("yente_us_congress_untreated.csv")]


def generated(part: str, limit: int) -> Iterator[str]:
    """The first ``limit`` generated non-listed people of one part."""
    count = 0
    for r in non_listed_rows():
        if count >= limit:
            return
        if part_of("generated", r["full_name"]) == part:
            count += 1
            yield r["full_name"]


def screened(records: list[dict[str, Any]], groups: dict[str, list[str]]) -> dict[str, Any]:
    """Each group of people screened by the product's screener against ``records``: the
    share alerting at the decide band and per band, with the highest hits."""
    first = {r["id"]: r["names"][0] for r in records}
    with listed_screener(records) as (screener, report):
        out: dict[str, Any] = {"listed": report.accepted, "rejected": len(report.rejects)}
        for group, people in groups.items():
            started = time.perf_counter()
            best = [best_hit(screener, {"kind": "person", "name": name}) for name in people]
            out[group] = _alerts(people, best, first)
            out[group]["ms_per_query"] = round(
                1000 * (time.perf_counter() - started) / max(1, len(people)), 2
            )
    return out


def _alerts(
    people: list[str], best: list[tuple[float, str | None]], first: dict[str, str]
) -> dict[str, Any]:
    """Alert share at the decide band and per band of ``SWEEP``; the ten highest hits."""
    alerting = sum(score >= THRESHOLD for score, _ in best)
    ranked = sorted(zip(best, people, strict=True), key=lambda x: -x[0][0])[:10]
    return {
        "people": len(people), "alerting": alerting,
        "alert_share": round(alerting / len(people), 4) if people else None,
        "alert_share_by_band": {
            f"{band:.2f}": round(sum(s >= band for s, _ in best) / len(people), 4)
            for band in SWEEP
        } if people else {},
        "highest": [f"{name} -> {first[eid]} ({score:.2f})"
                    for (score, eid), name in ranked if eid is not None],
    }  # fmt: skip


def same_candidates(
    records: list[dict[str, Any]], people: list[str], use_peer: bool
) -> dict[str, Any]:
    """Both matchers on the same pairs: each person against every listed person sharing a
    plain name token with them, under all its names; the share of people whose best pair
    reaches each matcher's alerting threshold."""
    from edge.watchlist.screen import name_similarity

    by_token: dict[str, set[int]] = defaultdict(set)
    for k, record in enumerate(records):
        for name in record["names"]:
            for token in plain_tokens(name):
                by_token[token].add(k)
    pairs: list[tuple[int, int]] = []
    for i, name in enumerate(people):
        found = set().union(*(by_token.get(t, set()) for t in set(plain_tokens(name))))
        pairs += [(i, k) for k in sorted(found)]
    ours = [name_similarity({"name": people[i]}, records[k]["names"])[0] for i, k in pairs]
    out: dict[str, Any] = {"pairs": len(pairs), "borderpost": _share(people, pairs, ours,
                                                                     THRESHOLD)}  # fmt: skip
    if use_peer:
        as_pairs = [Pair(people[i], records[k]["names"][0], False, "us_congress", "")
                    for i, k in pairs]  # fmt: skip
        scores = peer(as_pairs, [records[k]["names"] for _, k in pairs])
        out["logic_v2"] = (
            _share(people, pairs, scores, PEER_THRESHOLD) if scores else "peer not installed"
        )
    return out


def _share(
    people: list[str], pairs: list[tuple[int, int]], scores: list[float], threshold: float
) -> dict[str, Any]:
    best: dict[int, float] = defaultdict(float)
    for (i, _k), score in zip(pairs, scores, strict=True):
        best[i] = max(best[i], score)
    alerting = sum(s >= threshold for s in best.values())
    return {"threshold": threshold, "alerting": alerting,
            "alert_share": round(alerting / len(people), 4)}  # fmt: skip


def whole_lists(use_peer: bool, generated_limit: int = 10_000) -> dict[str, Any]:
    """The figures of the module doc, as one JSON object."""
    records = listed_records()
    members = congress()
    by_part: dict[str, list[str]] = defaultdict(list)
    for name in members:
        by_part[part_of("us_congress", name)].append(name)
    groups = {"us_congress": members, **{f"us_congress_{p}": v for p, v in by_part.items()}}
    groups.update({f"generated_{p}": list(generated(p, generated_limit))
                   for p in ("dev", "held_out")})  # fmt: skip
    groups["putin"] = putin_names()
    out = screened(records, groups)
    out["un_round_trip"] = whole_list_round_trip(records)
    out["us_congress_same_candidates"] = same_candidates(records, members, use_peer)
    return out
