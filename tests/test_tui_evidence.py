"""The crossing's evidence in words (issue 27): a listed document names its holder beside the
traveller on the page; a barcode has its own section; search finds partial numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from edge.watchlist.db import Watchlist
from edge.watchlist.model import entry_from_json
from edge.watchlist.screen import Screener
from tui.evidence import checks_text
from tui.verdict import hit_sentence

TODAY = dt.date(2026, 11, 29)
LISTED = {"id": "w1", "kind": "person", "category": "wanted", "action": "detain",
          "names": [{"surname": "IVANOV", "given_names": "Ivan"}], "birth_date": "1970-01-02",
          "identifiers": [{"type": "passport", "number": "P1234567", "issuer": "RUS"}]}  # fmt: skip


def _hit(tmp_path: Path, listed: dict[str, Any] = LISTED) -> dict[str, Any]:
    """The hit a passport P1234567 read raises against a list holding it under IVANOV."""
    wl = Watchlist.open(tmp_path / "watchlist.db")
    try:
        wl.apply([entry_from_json(listed)], version=1)
        key = {"kind": "document", "number": "P1234567", "issuer": "RUS", "type": "P"}
        [hit] = Screener(wl).check([key])
    finally:
        wl.close()
    return hit.to_json()


def test_a_document_hit_names_the_listed_holder(tmp_path: Path) -> None:
    hit = _hit(tmp_path)
    assert hit["explain"]["listed_name"] == "IVANOV, Ivan"
    assert hit["explain"]["birth_date"] == "1970-01-02"
    sentence = hit_sentence(hit)
    assert "P1234567 is on list default: IVANOV, Ivan, born 1970-01-02" in sentence, sentence


def test_a_holder_listed_with_several_birth_dates_is_named_with_each(tmp_path: Path) -> None:
    hit = _hit(tmp_path, {**LISTED, "birth_date": "1969; 1970-01-02; 1971"})
    assert hit["explain"]["birth_date"] == "1969; 1970-01-02; 1971"
    sentence = hit_sentence(hit)
    assert "IVANOV, Ivan, born 1969; 1970-01-02; 1971, exact match" in sentence, sentence


def test_the_detail_sets_the_traveller_on_the_page_beside_the_holder(tmp_path: Path) -> None:
    hit = _hit(tmp_path)
    page = {"surname": "PETROV", "given_names": "Petr", "birth_date": "1980-03-04",
            "document_number": "P1234567"}  # fmt: skip
    alert = {"kind": "watchlist", "state": "open", "hits": [hit]}
    text = checks_text([{"kind": "mrz", "payload": page}], [alert], TODAY, portal=False).plain
    flat = " ".join(text.split())
    assert "born 1970-01-02" in flat, text
    assert "the traveller on the page is PETROV, Petr, born 1980-03-04 - NOT the listed" in flat
    same = {**page, "surname": "IVANOV", "given_names": "Ivan"}
    text = checks_text([{"kind": "mrz", "payload": same}], [alert], TODAY, portal=False).plain
    assert "- the same name" in " ".join(text.split()), text


MRN = "21ATQAZXWSEDCRFVT9"
PARSED = {"kind": "mrn", "valid": False, "checks": [{"name": "check digit", "result": "failed",
          "detail": "expected 6, got 9"}], "keys": [],
          "fields": {"mrn": MRN, "year": 2021, "country": "AT", "check_digit": "9",
                     "procedure_name": "entry summary declaration only"}}  # fmt: skip
SCAN = {"seq": 5, "kind": "barcode", "lane": "1", "wall_time": "2026-11-29T09:02:00.000Z",
        "payload": {"symbology": "code128", "text": MRN, "parsed": PARSED}}  # fmt: skip


def test_the_lane_shows_a_whole_mrn_in_80_columns() -> None:
    from tui.crossing import Crossing
    from tui.verdict import COLUMNS, crossing_row

    cells = crossing_row(Crossing("5", "1", [SCAN]), TODAY)
    widths = [w for _, w in COLUMNS]
    document = cells[3].copy()
    document.truncate(widths[3], overflow="ellipsis")
    assert document.plain == MRN
    assert sum(widths) + 2 * (len(widths) - 1) <= 76  # the rest of 80 is margin and scroll bar


def test_a_barcode_has_its_section_in_words() -> None:
    text = " ".join(checks_text([SCAN], [], TODAY, portal=False).plain.split())
    assert f"Barcode CHECK transit declaration MRN {MRN} (code128): year 2021, country AT" in text
    assert "check digit: FAILED (expected 6, got 9) - misread" in text, text
    ok = {**SCAN, "payload": {**SCAN["payload"], "parsed": {**PARSED, "valid": True,  # type: ignore[dict-item]
          "checks": [{"name": "check digit", "result": "ok", "detail": ""}]}}}  # fmt: skip
    text = " ".join(checks_text([ok], [], TODAY, portal=False).plain.split())
    assert "Barcode OK transit declaration MRN" in text and "check digit: ok" in text, text


def test_a_radiation_alarm_reads_alarm_not_alert() -> None:
    from tui.rows import badge

    occupancy = {"kind": "rpm.occupancy", "priority": 2, "alert_ids": [3],
                 "payload": {"occupancy": 7, "gamma_alarm": True}}  # fmt: skip
    assert badge(occupancy).plain == "ALARM"
    assert badge({**occupancy, "payload": {"occupancy": 8}}).plain == "ALERT"


def test_a_name_the_document_cut_says_which_word_was_read_as_which(tmp_path: Path) -> None:
    """A TD1 card's KIRILL KONSTANTIN found its holder as KONSTANTINOVICH: the officer reads
    why the card's name scores in full."""
    wl = Watchlist.open(tmp_path / "wl.db")
    try:
        name = {"surname": "SHCHERBAKOV", "given_names": "Kirill Konstantinovich"}
        listed = {"id": "p1", "kind": "person", "names": [name]}
        wl.apply([entry_from_json(listed)], version=1)
        key = {"kind": "person", "surname": "SHCHERBAKOV", "given_names": "KIRILL KONSTANTIN",
               "cut_short": "given_names"}  # fmt: skip
        [hit] = Screener(wl).check([key])
    finally:
        wl.close()
    sentence = hit_sentence(hit.to_json())
    assert "(the document cut the name: KONSTANTIN read as KONSTANTINOVICH)" in sentence
    hostile = {**hit.to_json(), "explain": {"cut_short": {"[@click=app.quit]": "\x1b]0;x\x07"}}}
    assert "\x1b" not in hit_sentence(hostile)
