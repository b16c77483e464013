"""The UN round trip, and the evaluations the names data's README plans beside it.

``bench/names.py`` runs :func:`round_trip` (key ``un_round_trip``) and :func:`same_script`;
``bench/name_lists.py`` runs :func:`whole_list_round_trip`. Each screens with the product's
:class:`~edge.watchlist.screen.Screener`.

* :func:`round_trip` (the README's evaluation 1): the 512 clean UN names of yente's fixtures
  listed, the treated ones queried (131 changed by the treatments, 381 not), then the 99,991
  generated people on no list. Besides the share of those raising an alert at the decide band
  and each band of ``SWEEP``: the score thresholds at which 1 % and 0.1 % of the non-listed
  people alert, **set on the dev people and reported on both parts**, with recall there;
  recall@1 and recall@5 (the right entry ranked first, or among the first five hits, at any
  score from ``FLOOR``); once by name alone and once with the date of birth on both sides
  (``with_birth_date``: the treatments moved 93 of the queried dates, and the generated
  people have dates of their own).
* :func:`whole_list_round_trip` (evaluation 5): the same treated names against the UN and OFAC
  individuals under all their names (5,057 people), where most clean names are a name of
  some entry, often of one on each list (the right entries: those with the clean name's
  letters, in any order): recall at the decide band, @1 and @5 among 5,057 people.
* :func:`same_script` (evaluation 2): the generated people written in Arabic script or in
  Cyrillic against the 558 UN individuals under all their names, original script included —
  the false alerts within one script; with birth dates, every one the UN gives and its
  first only.
* :func:`listed_birth_dates` (``bench/names.py`` key ``un_birth_dates``): the UN individuals
  listed with several birth dates, queried by name and each date after the first.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.names import SWEEP, THRESHOLD, listed_names, part_of, plain_tokens, rows

FLOOR = 0.30
"""The screener's lowest band here, so that hits below the decide band are ranked too."""
NON_LISTED_SHARES = (0.01, 0.001)
"""False-alert rates per query at which the README asks for the threshold and recall."""
RANKS = (1, 5)
NEGATIVE_FILES = ("yente_negatives_global.csv", "yente_negatives_us.csv")
UN_FILE = "un_sc_individuals.csv"


def non_listed_rows() -> Iterator[dict[str, str]]:
    """The rows of the generated people on no list, both files in turn."""
    for file in NEGATIVE_FILES:
        yield from rows(file)


def best_hit(screener: Any, key: dict[str, Any]) -> tuple[float, str | None]:
    """The highest hit's score and entry for one query (0.0, None: no hit)."""
    top = max(screener.check([key]), key=lambda h: h.score, default=None)
    return (top.score, top.entry_id) if top else (0.0, None)


@contextmanager
def listed_screener(records: Iterable[dict[str, Any]]) -> Iterator[tuple[Any, Any]]:
    """The product's screener over ``records`` (JSON Lines records) imported into a fresh
    watchlist file, and the import report."""
    from edge.watchlist.db import Watchlist
    from edge.watchlist.importers import import_file
    from edge.watchlist.screen import Screener

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "lists.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        wl = Watchlist.open(Path(tmp) / "wl.db")
        try:
            report = import_file(wl, src, "jsonl")
            yield Screener(wl, decide=FLOOR), report
        finally:
            wl.close()


def iso_date(text: str) -> str | None:
    """A fixture's date as ISO 8601 (``1969-7-16`` → ``1969-07-16``; a year alone kept)."""
    parts = text.strip().split("-")
    if not text.strip() or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    return "-".join([parts[0], *(p.zfill(2) for p in parts[1:3])])


def threshold_at(best: Sequence[float], share: float) -> float:
    """The lowest score threshold at which at most ``share`` of the people alert (``best``:
    each person's highest score)."""
    ranked = sorted(best, reverse=True)
    allowed = math.floor(share * len(ranked))
    return math.nextafter(ranked[allowed], 2.0) if allowed < len(ranked) else 0.0


def rank_of(hits: Sequence[Any], wanted: set[str]) -> tuple[float, int | None]:
    """The score and 1-based rank of the first hit on an entry of ``wanted`` (0.0, None:
    not among the hits)."""
    ranked = sorted(hits, key=lambda h: -h.score)
    return next(
        ((h.score, k) for k, h in enumerate(ranked, 1) if h.entry_id in wanted), (0.0, None)
    )


def _query(name: str, date: str, with_birth_date: bool) -> dict[str, Any]:
    key: dict[str, Any] = {"kind": "person", "name": name}
    if with_birth_date and iso_date(date):
        key["birth_date"] = iso_date(date)
    return key


def _share(flags: Sequence[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def recall_figures(found: Sequence[tuple[float, int | None, bool]], threshold: float) -> dict:
    """Recall at ``threshold`` of the queried names, of the changed and of the unchanged
    ones (``found``: the right entry's score and rank, whether the name was changed)."""
    return {
        "recall": _share([s >= threshold for s, _, _ in found]),
        "recall_changed_names": _share([s >= threshold for s, _, c in found if c]),
        "recall_unchanged_names": _share([s >= threshold for s, _, c in found if not c]),
    }


def ranks(found: Sequence[tuple[float, int | None, bool]]) -> dict[str, float | None]:
    """Recall@k: the right entry among the first k hits, at any score from ``FLOOR``."""
    return {
        f"recall_at_{k}": _share([r is not None and r <= k for _, r, _ in found]) for k in RANKS
    }


def calibrated(
    found: Sequence[tuple[float, int | None, bool]], negatives: Sequence[tuple[float, str]]
) -> dict[str, Any]:
    """The thresholds of ``NON_LISTED_SHARES`` set on the dev people, each with the share of
    both parts' people alerting there and the recall; recall@k."""
    by_part = _by_part(negatives)
    out: dict[str, Any] = {}
    for share in NON_LISTED_SHARES:
        t = threshold_at(by_part["dev"], share)
        out[f"non_listed_{share:.1%}"] = {
            "threshold_set_on_dev": round(t, 4),
            "non_listed_alert_share": {
                p: _share([b >= t for b in v]) for p, v in sorted(by_part.items())
            },
            **recall_figures(found, t),
        }  # fmt: skip
    return out | ranks(found)


def _by_part(negatives: Sequence[tuple[float, str]]) -> dict[str, list[float]]:
    """The non-listed people's best scores, by part."""
    by_part: dict[str, list[float]] = defaultdict(list)
    for best, part in negatives:
        by_part[part].append(best)
    return by_part


def _screened(screener: Any, with_birth_date: bool, negative_limit: int) -> dict[str, Any]:
    """One pass of the round trip: each treated name's right entry (score, rank, changed) and
    each non-listed person's best score and part."""
    clean = list(rows("yente_un_positives_untreated.csv"))
    found = []
    for i, (r, c) in enumerate(zip(rows("yente_un_positives_treated.csv"), clean, strict=True)):
        hits = screener.check([_query(r["full_name"], r["date_of_birth"], with_birth_date)])
        found.append((*rank_of(hits, {f"un{i}"}), r["full_name"] != c["full_name"]))
    negatives: list[tuple[float, str]] = []
    started = time.perf_counter()
    for r in non_listed_rows():
        if len(negatives) >= negative_limit:
            break
        best, _ = best_hit(screener, _query(r["full_name"], r["date_of_birth"], with_birth_date))
        negatives.append((best, part_of("generated", r["full_name"])))
    ms = 1000 * (time.perf_counter() - started) / max(1, len(negatives))
    return {"found": found, "negatives": negatives, "ms": ms}


def round_trip(negative_limit: int) -> dict[str, Any]:
    """The figures of the module doc's first item, as one JSON object."""
    clean = list(rows("yente_un_positives_untreated.csv"))
    out: dict[str, Any] = {}
    for with_birth_date in (False, True):
        records = []
        for i, r in enumerate(clean):
            record = {"id": f"un{i}", "kind": "person", "names": [r["full_name"]]}
            if with_birth_date and iso_date(r["date_of_birth"]):
                record["birth_date"] = iso_date(r["date_of_birth"])
            records.append(record)
        with listed_screener(records) as (screener, report):
            run = _screened(screener, with_birth_date, negative_limit)
        found, negatives = run["found"], run["negatives"]
        if with_birth_date:
            out["with_birth_date"] = recall_figures(found, THRESHOLD) | {
                "non_listed_alert_share": _share([b >= THRESHOLD for b, _ in negatives]),
                **calibrated(found, negatives),
            }
            continue
        by_part = _by_part(negatives)
        alerts = sum(b >= THRESHOLD for b, _ in negatives)
        out |= {
            "listed": len(clean), "rejected": len(report.rejects),
            **recall_figures(found, THRESHOLD),
            "non_listed_queried": len(negatives), "non_listed_alerting": alerts,
            "non_listed_alert_share": _share([b >= THRESHOLD for b, _ in negatives]),
            "non_listed_alert_share_by_part": {
                p: _share([b >= THRESHOLD for b in v]) for p, v in sorted(by_part.items())
            },
            "non_listed_alert_share_by_decide_band": {
                p: {f"{band:.2f}": _share([b >= band for b in v]) for band in SWEEP}
                for p, v in sorted(by_part.items())
            },
            "non_listed_ms_per_query": round(run["ms"], 2),
            **calibrated(found, negatives),
        }  # fmt: skip
    return out


def whole_list_round_trip(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of the module doc's second item (``records``: the whole lists)."""

    def key(name: str) -> str:
        return " ".join(sorted(plain_tokens(name)))

    entries: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for name in record["names"]:
            entries[key(name)].add(record["id"])
    clean = list(rows("yente_un_positives_untreated.csv"))
    found = []
    with listed_screener(records) as (screener, _):
        for r, c in zip(rows("yente_un_positives_treated.csv"), clean, strict=True):
            wanted = entries.get(key(c["full_name"]))
            if wanted:
                hits = screener.check([{"kind": "person", "name": r["full_name"]}])
                found.append((*rank_of(hits, wanted), r["full_name"] != c["full_name"]))
    return {"queried": len(found), **recall_figures(found, THRESHOLD), **ranks(found)}


SAME_SCRIPTS = {"Arab": "arabic_script", "Cyrl": "cyrillic"}


def un_dates(row: dict[str, str]) -> list[str]:
    """A UN individual's birth dates as ISO dates, in the list's order (``1969; 1970``)."""
    return [d for d in (iso_date(t) for t in row["date_of_birth"].split(";")) if d]


def same_script() -> dict[str, Any]:
    """The figures of the module doc's third item, as one JSON object: by name alone, and
    with the birth dates of both (``with_birth_date``: every date the UN gives; and
    ``with_first_birth_date``: its first only, as records held them before), as a passport
    gives the traveller's."""
    from edge.watchlist.scripts import script_of

    dates = {r["dataid"]: un_dates(r) for r in rows(UN_FILE)}
    un = [
        {"id": f"{source}{ident}", "kind": "person", "names": names}
        for source, ident, names in listed_names()
        if source == "un"
    ]
    first = {r["id"]: r["names"][0] for r in un}
    people: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in non_listed_rows():
        script = SAME_SCRIPTS.get(script_of(r["full_name"]))
        if script:
            people[script].append((r["full_name"], r["date_of_birth"]))
    out: dict[str, Any] = {"listed": len(un)}
    for run, kept in (("by_name", 0), ("with_birth_date", None), ("with_first_birth_date", 1)):
        records = [r | {"birth_dates": dates[r["id"][2:]][:kept]} for r in un]
        with listed_screener(records) as (screener, _):
            for script, named in sorted(people.items()):
                best = [
                    (*best_hit(screener, _query(name, date, kept != 0)), name)
                    for name, date in named
                ]
                figures = _alerting(best, first)
                if kept == 0:
                    out[script] = {"people": len(named)} | figures
                else:
                    out[script][run] = figures
    return out


def listed_birth_dates() -> dict[str, Any]:
    """The UN individuals the list gives several birth dates (87 of 558), each queried by its
    Latin name and each date after the first: how many are found at the decide band, and how
    many of those lose score for the date, with every date listed and with the first only, as
    records held them before (the old behaviour beside the new in one run)."""
    several = [(r["dataid"], r["name_latin"], un_dates(r)) for r in rows(UN_FILE)]
    several = [p for p in several if len(p[2]) > 1]
    out: dict[str, Any] = {"people": len(several), "queried": sum(len(d) - 1 for *_, d in several)}
    for run, kept in (("every_date", None), ("first_date_only", 1)):
        records = [{"id": i, "kind": "person", "names": [n], "birth_dates": d[:kept]}
                   for i, n, d in several]  # fmt: skip
        found = penalised = 0
        with listed_screener(records) as (screener, _):
            for ident, name, listed in several:
                for born in listed[1:]:
                    query = {"kind": "person", "name": name, "birth_date": born}
                    hit = next((h for h in screener.check([query]) if h.entry_id == ident), None)
                    found += hit is not None and hit.score >= THRESHOLD
                    penalised += hit is not None and hit.explain["adjustment"] < 0
        recall = round(found / out["queried"], 4)
        out[run] = {"found": found, "recall": recall, "date_penalised": penalised}
    return out


def _alerting(best: list[tuple[float, str | None, str]], first: dict[str, str]) -> dict[str, Any]:
    """How many of the people (``best``: each one's top score, entry and name) alert, in all,
    by part, and the ten highest."""
    alerting = [b for b in best if b[0] >= THRESHOLD]
    return {
        "alerting": len(alerting),
        "alert_share": _share([b[0] >= THRESHOLD for b in best]),
        "alert_share_by_part": {
            p: _share([b[0] >= THRESHOLD for b in best if part_of("generated", b[2]) == p])
            for p in ("dev", "held_out")
        },
        "highest": [f"{n} -> {first[e]} ({s:.2f})"
                    for s, e, n in sorted(alerting, reverse=True)[:10]],
    }  # fmt: skip
