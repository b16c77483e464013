"""Every birth date a list gives one person: lists write several where they are unsure (the UN's
``1969; 1970; 1971``), and a traveller born on any of them matches that date, not a namesake
born years off. Names and dates are constructed unless a comment says otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edge.watchlist import adjustments
from edge.watchlist.db import Watchlist, stored_dates
from edge.watchlist.importers import import_file
from edge.watchlist.model import DATE_RE, MAX_BIRTH_DATES, EntryError, Person, entry_from_json
from edge.watchlist.screen import DECIDE, Screener
from tests.test_watchlist_names import needs_un, un_record, un_rows

SEVEN = "1959; 1960; 1961; 1963; 1964-09-18; 1965; 1961-01-01"
"""Seven dates as the UN list gives them for one individual (real data, the dates only)."""
DATES = tuple(SEVEN.split("; "))


def person(name: str = "OKELLO BRUNO ACHOLI", **dates: Any) -> dict[str, Any]:
    return {"id": "p", "kind": "person", "names": [name], **dates}


@pytest.mark.parametrize(
    "dates",
    [
        {"birth_date": SEVEN},
        {"birth_dates": list(DATES)},
        {"birth_dates": [*DATES, " 1965 ", ""]},  # a date twice, spaces, an empty one
        {"birth_dates": list(DATES), "birth_date": "2001"},  # the list wins
    ],
)
def test_a_person_keeps_every_birth_date_in_order_once(dates: dict[str, Any]) -> None:
    entry = entry_from_json(person(**dates))
    assert isinstance(entry.subject, Person)
    assert entry.subject.birth_dates == DATES and entry.subject.birth_date == "1959"
    out = entry.to_json()
    assert out["birth_date"] == "1959" and out["birth_dates"] == list(DATES)
    assert entry_from_json(out) == entry


def test_one_birth_date_is_written_as_before() -> None:
    out = entry_from_json(person(birth_date="1974-08-12")).to_json()
    assert out["birth_date"] == "1974-08-12" and "birth_dates" not in out
    assert entry_from_json(person(birth_date=1974)).to_json()["birth_date"] == "1974"
    assert "birth_date" not in entry_from_json(person(birth_date="")).to_json()


@pytest.mark.parametrize(
    ("dates", "said"),
    [
        ({"birth_date": "1969; 1970-13-01"}, r"birth_date: '1970-13-01' is not"),
        ({"birth_dates": ["1969", "19x0"]}, r"birth_dates: '19x0' is not"),
        ({"birth_dates": {"year": 1969}}, r"birth_dates: expected a date or a list of dates"),
        ({"birth_date": True}, r"birth_date: expected a date"),
        ({"birth_dates": [True]}, r"birth_dates: True is not"),
        ({"birth_dates": ["1970"] * (MAX_BIRTH_DATES + 1)}, r"more than 16 birth dates"),
    ],
)
def test_bad_birth_dates_are_rejected_with_the_field(dates: dict[str, Any], said: str) -> None:
    with pytest.raises(EntryError, match=said):
        entry_from_json(person(**dates))


@given(st.one_of(st.text(max_size=40), st.lists(st.one_of(st.text(max_size=12), st.integers()))))
def test_any_birth_dates_are_taken_whole_or_refused(raw: Any) -> None:
    try:
        entry = entry_from_json(person(birth_dates=raw))
    except EntryError:
        return
    assert isinstance(entry.subject, Person)
    dates = entry.subject.birth_dates
    assert len(dates) == len(set(dates)) <= MAX_BIRTH_DATES
    assert all(DATE_RE.match(d) for d in dates)


def test_a_csv_column_of_dates_apart_by_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("ref,name,dob\nR1,Okello Bruno Acholi,1969; 1970; 1971-03-02\n", "utf-8")
    wl = Watchlist.open(tmp_path / "wl.db")
    mapping = {"ref": "id", "name": "name", "dob": "birth_date"}
    assert import_file(wl, path, "csv", mapping=mapping, kind="person").accepted == 1
    entry = wl.entry("R1")
    assert entry is not None and isinstance(entry.subject, Person)
    assert entry.subject.birth_dates == ("1969", "1970", "1971-03-02")
    wl.close()


def test_a_traveller_born_on_any_listed_date_matches_that_date(tmp_path: Path) -> None:
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json(person(birth_date=SEVEN))])
    screener = Screener(wl)
    for born in (*DATES, "1964", "1961-01-01"):
        [hit] = screener.check([{"kind": "person", "name": "OKELLO BRUNO ACHOLI",
                                 "birth_date": born}])  # fmt: skip
        assert hit.score >= 1.0 and "one of 7 listed" in hit.explain["dob"], (born, hit.explain)
    [hit] = screener.check([{"kind": "person", "name": "OKELLO BRUNO ACHOLI",
                             "birth_date": "1964-09-18"}])  # fmt: skip
    assert hit.explain["dob"] == "exact (1964-09-18, one of 7 listed)"
    # ten years after the last date given: a namesake, as with one date
    namesake = {"kind": "person", "name": "OKELLO BRUNO ACHOLI", "birth_date": "1975-02-02"}
    assert screener.check([namesake]) == []
    wl.close()


def test_a_namesake_crowd_is_told_apart_by_any_listed_date(tmp_path: Path) -> None:
    """More OKELLOs than a posting list may hold: the target listed with two dates is found by
    an initial and the second date (the whole-date key of every listed date is indexed)."""
    givens = [f"{a}{b}{c}{d}" for a in "BDKLMNPST" for b in "AEIOU"
              for c in ("BA", "DO", "KA", "MI", "NU", "RA", "SE", "TO")
              for d in ("", "N", "S", "LA", "RO")]  # fmt: skip
    crowd = [
        {"id": f"N{i}", "kind": "person", "names": [{"surname": "Okello", "given_names": given}],
         "birth_date": f"{1950 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}"}
        for i, given in enumerate(givens)
    ]  # fmt: skip
    assert len(crowd) > 1500
    crowd.append({"id": "target", "kind": "person", "birth_date": "1978; 1980-03-14",
                  "names": [{"surname": "Okello", "given_names": "Yowana"}]})  # fmt: skip
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json(r) for r in crowd])
    query = {"kind": "person", "surname": "OKELLO", "given_names": "Y", "birth_date": "1980-03-14"}
    assert "target" in [h.entry_id for h in Screener(wl).check([query])]
    wl.close()


def test_the_stored_column_holds_the_dates_apart_by_spaces(tmp_path: Path) -> None:
    wl = Watchlist.open(tmp_path / "wl.db")
    wl.apply([entry_from_json(person(birth_date=SEVEN))])
    [(column,)] = wl.conn().execute("SELECT birth_date FROM entries").fetchall()
    assert stored_dates(column) == DATES
    assert stored_dates("1974-08-12") == ("1974-08-12",) and stored_dates(None) == ()
    wl.close()


@needs_un
def test_un_individuals_are_found_by_each_birth_date_the_list_gives(tmp_path: Path) -> None:
    """Real data: the 87 UN individuals listed with two to seven birth dates, each queried by
    its Latin name and each of its other dates (137). Every one must match its date (no date
    penalty). Against the first date alone, as records held it before, 31 of them read as a
    namesake's (0.45 off: the exact name fell below the decide band) and 49 more lost 0.30."""
    records = [un_record(r, original=False) for r in un_rows() if ";" in r["date_of_birth"]]
    path = tmp_path / "un.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    wl = Watchlist.open(tmp_path / "wl.db")
    assert import_file(wl, path, "jsonl").accepted == len(records) >= 87
    screener = Screener(wl)
    queried, off_the_first, wrong = 0, 0, []
    for record in records:
        dates = [d.strip() for d in record["birth_date"].split(";")]
        for born in dates[1:]:
            queried += 1
            off_the_first += adjustments.dob_adjust(born, dates[0])[0] <= adjustments.DOB_NEAR
            query = {"kind": "person", "name": record["names"][0], "birth_date": born}
            hits = {h.entry_id: h for h in screener.check([query])}
            hit = hits.get(record["id"])
            if hit is None or hit.score < DECIDE or hit.explain["adjustment"] < 0:
                wrong.append((record["names"][0], born, hit and hit.explain["dob"]))
    assert not wrong and queried == 137 and off_the_first == 80, (queried, off_the_first, wrong)
    wl.close()
