"""Listed people as their documents print them, screened against the whole lists.

A traveller's name reaches the screener from a document: surname and given names apart, in
the letters of a machine-readable zone, and cut to its field when long — 39 characters in a
passport (TD3), 30 in an identity card (TD1); the reading's person key then says the field
may be cut (``cut_short``). :func:`documents` makes every UN and OFAC name written
``SURNAME, Given`` into both documents (``drivers.mrz.generate``), reads each back with the
product's MRZ parser and screens its person key against the 5,057 listed people under all
their names (as ``bench/name_lists.py`` lists them). Per document and part (the pairs'
``part_of`` split of the listed person):

* ``names``, and ``own_first``: those whose own entry is the highest hit (ties allowed) at
  the decide band or above; ``cut`` the names the field cut, ``cut_own_first`` of those,
  and ``cut_own_first_unflagged`` the same keys without ``cut_short`` (as before the
  twenty-sixth part of issue 17). A man both the UN and OFAC list is two entries, and the
  other can be first by right: ``misses`` shows the first ten of each part to read.
* ``td1_generated``: the generated people on no list (``yente_negatives_*``, per part) whose
  names a card cuts, and how many of them alert with the flag and without it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from bench.name_calibration import best_hit, listed_screener, non_listed_rows
from bench.names import THRESHOLD, part_of

DOCUMENTS = ("td3", "td1")
MAX_MISSES = 10


def documents(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of the module doc, as one JSON object."""
    from drivers.mrz.generate import make_td1, make_td3

    makers = {"td3": make_td3, "td1": make_td1}
    out: dict[str, Any] = {}
    with listed_screener(records) as (screener, _report):
        seen: dict[tuple[Any, ...], bool] = {}  # a name neither cuts is one key: checked once
        for layout in DOCUMENTS:
            out[layout] = _own_entries(screener, records, makers[layout], seen)
        out["td1_generated"] = _generated_cut(screener, make_td1)
    return out


def person_key(make: Callable[..., list[str]], surname: str, given: str) -> dict[str, Any]:
    """The person key the product's MRZ parser gives for a document made out to a name."""
    from drivers.mrz import parse_mrz

    lines = make(surname, given, "D23145890", "UTO", "700101", "M", "300101")
    key = dict(parse_mrz(lines).keys[1])
    return {k: key[k] for k in ("kind", "surname", "given_names", "cut_short") if k in key}


def _comma_names(records: list[dict[str, Any]]) -> Iterator[tuple[str, str, str, str]]:
    """(entry id, part, surname, given names) of each listed name written ``SURNAME, Given``,
    in MRZ letters (remarks in brackets left out)."""
    from edge.watchlist.normalize import bracketed, comma_surname, to_mrz

    for record in records:
        source, ident = ("un", record["id"][2:]) if record["id"].startswith("un") else (
            "ofac", record["id"][4:])  # fmt: skip
        part = part_of(source, ident)
        for name in dict.fromkeys(bracketed(n)[0] for n in record["names"]):
            surname = comma_surname(name)
            given = name.split(",", 1)[1] if surname else ""
            if surname and to_mrz(surname):
                yield record["id"], part, to_mrz(surname), to_mrz(given)


def _own_entries(
    screener: Any,
    records: list[dict[str, Any]],
    make: Callable[..., list[str]],
    seen: dict[tuple[Any, ...], bool],
) -> dict[str, Any]:
    """Per part: names, own entry first, and of the names cut, with the flag and without
    (``seen``: the answers for keys checked before, by key and entry)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    misses: dict[str, list[str]] = defaultdict(list)
    for entry_id, part, surname, given in _comma_names(records):
        key = person_key(make, surname, given)
        asked = (*key.items(), entry_id)
        if asked not in seen:
            seen[asked] = _own_first(screener, key, entry_id)
        first = seen[asked]
        tally = counts[part]
        tally["names"] += 1
        tally["own_first"] += first
        if not first and len(misses[part]) < MAX_MISSES:
            misses[part].append(f"{key['surname']} / {key['given_names']} ({entry_id})")
        if "cut_short" in key:
            unflagged = {k: v for k, v in key.items() if k != "cut_short"}
            tally["cut"] += 1
            tally["cut_own_first"] += first
            tally["cut_own_first_unflagged"] += _own_first(screener, unflagged, entry_id)
    return {part: {**counts[part], "misses": misses[part]} for part in sorted(counts)}


def _own_first(screener: Any, key: dict[str, Any], entry_id: str) -> bool:
    """Whether ``entry_id`` is among the highest hits for ``key``, at the decide band or above."""
    hits = screener.check([key])
    mine = max((h.score for h in hits if h.entry_id == entry_id), default=0.0)
    return mine >= THRESHOLD and mine >= max(h.score for h in hits)


def _generated_cut(screener: Any, make: Callable[..., list[str]]) -> dict[str, Any]:
    """Per part: the generated people on no list whose names a card cuts, and how many of
    them alert, with the flag and without it."""
    from edge.watchlist.normalize import to_mrz

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in non_listed_rows():
        given = " ".join(filter(None, (row["first_name"], row["middle_name"])))
        key = person_key(make, to_mrz(row["last_name"]), to_mrz(given))
        if "cut_short" not in key:
            continue
        tally = counts[part_of("generated", row["full_name"])]
        tally["cut"] += 1
        tally["alerting"] += best_hit(screener, key)[0] >= THRESHOLD
        unflagged = {k: v for k, v in key.items() if k != "cut_short"}
        tally["alerting_unflagged"] += best_hit(screener, unflagged)[0] >= THRESHOLD
    return {part: dict(counts[part]) for part in sorted(counts)}
