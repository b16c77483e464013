"""PAXLST: every shared sample parses to golden values; our writer round trips; bad messages
give a reason and a position."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from conftest import SHARED_TESTDATA

from sync.paxlst.edifact import Tokenizer, decode, tokenize
from sync.paxlst.model import Message, Unusable, message_json
from sync.paxlst.parse import parse
from sync.paxlst.write import write

PAXLST = SHARED_TESTDATA / "paxlst"
needs_samples = pytest.mark.skipif(
    not PAXLST.is_dir(), reason=f"the shared PAXLST samples are not at {PAXLST}"
)
TODAY = dt.date(2026, 12, 4)
# file -> (messages, travellers, reference, vehicle, departure, arrival, first traveller fields)
GOLDEN = {
    "gtas_loader_multiple_flight_leg_apis.txt": (
        "passenger_list", "BART34567890", 2, "QQ827", ("JFK", "2008-08-10T20:00"),
        ("CDG", "2008-08-11T06:30"),
        {"surname": "BARRETT", "given_names": "TODD", "birth_date": "1968-02-23", "sex": "M",
         "nationality": "FRA", "document_type": "P", "document_number": "YY3478621G",
         "document_issuer": "FRA", "role": "passenger"},
    ),
    "gtas_parsers_apisMessage.txt": (
        "passenger_list", "AJYTR1070219", 2, "AA124", ("ORD", "2007-02-19T18:40"),
        ("JFK", "2007-02-19T19:55"),
        {"surname": "CLARK", "given_names": "MICHAEL", "birth_date": "1972-09-07", "sex": "M",
         "nationality": None, "document_type": None, "document_number": None,
         "document_issuer": None, "role": "passenger"},
    ),
    "gtas_loader_Test1.txt": (
        "crew_list", "1402010600", 8, "UA0989", ("FRA", "2017-01-27T17:25"),
        ("IAD", "2017-01-28T07:10"),
        {"surname": "Steur", "given_names": "Andrea Pat", "birth_date": "1978-07-06",
         "sex": "F", "nationality": "GBR", "document_type": "P", "document_number": "123456789",
         "document_issuer": "GBR", "role": "crew"},
    ),
    "gtas_loader_Test3.txt": (
        "passenger_list", "WSPDLA", 260, "UA0989", ("FRA", "2017-01-27T17:25"),
        ("IAD", "2017-01-28T07:10"), {"surname": "Kuchel", "given_names": "Rachel Pat"},
    ),
    "gtas_loader_airline2.edi": (
        "passenger_list", "1402111800", 10, "TN506", ("BRE", "2014-05-11T13:40"),
        ("YEU", "2014-05-11T17:00"),
        {"surname": "BETTON", "given_names": "DAVID", "birth_date": "1954-10-16",
         "document_number": "178556534", "document_issuer": "USA"},
    ),
    "gtas_tamr_flight1.txt": (
        "passenger_list", "53371718146010", 10, "LA532", ("SCL", "2020-01-19T23:00"),
        ("JFK", "2020-01-20T07:40"),
        {"surname": "JIANG", "given_names": "HSIUYUAN", "birth_date": "1967-06-03",
         "document_type": None, "document_number": "433419360"},
    ),
    "gtas_tamr_flight2.txt": (
        "passenger_list", "53371718146010", 10, "FI615", ("KEF", "2020-02-26T12:00"),
        ("JFK", "2020-02-26T18:00"), {"surname": "WATERFIELD", "given_names": "RHYS THOMAS"},
    ),
    "gtas_tamr_flight3.txt": (
        "passenger_list", "53371718146010", 10, "YY123", ("IAD", "2020-04-24T12:00"),
        ("BRU", "2020-04-24T13:22"), {"surname": "MCLOUGHLIN", "document_type": "P"},
    ),
}  # fmt: skip


@needs_samples
@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_every_sample_parses_to_its_golden_values(name: str) -> None:
    kind, ref, count, vehicle, dep, arr, first = GOLDEN[name]
    results = parse((PAXLST / name).read_bytes(), TODAY)
    assert len(results) == 1 and isinstance(results[0], Message), results
    got = message_json(results[0])
    assert (got["message_type"], got["reference"], len(got["travellers"])) == (kind, ref, count)
    t = got["transport"]
    assert (t["mode"], t["vehicle"]) == ("air", vehicle)
    assert (t["departure"]["place"], t["departure"]["time"]) == dep
    assert (t["arrival"]["place"], t["arrival"]["time"]) == arr
    assert {k: got["travellers"][0][k] for k in first} == first


@needs_samples
def test_a_wrong_unt_count_is_a_warning_not_a_refusal() -> None:
    (m,) = parse((PAXLST / "gtas_loader_Test1.txt").read_bytes(), TODAY)
    assert isinstance(m, Message)
    assert m.warnings == ("UNT says 152 segments, the message has 107",)


@needs_samples
def test_non_default_service_characters_and_second_document() -> None:
    segs = tokenize(decode((PAXLST / "gtas_loader_airline2.edi").read_bytes()))
    assert [s.tag for s in segs[:3]] == ["UNB", "UNG", "UNH"]  # 'UNG *' has a space in its tag
    assert segs[2].position.line == 4
    (m,) = parse((PAXLST / "gtas_tamr_flight1.txt").read_bytes(), TODAY)
    assert isinstance(m, Message)
    docs = m.travellers[0].documents
    assert [(d.type, d.number, d.issuer) for d in docs][:2] == [
        (None, "433419360", "CHN"),
        ("V", "57131424", "USA"),
    ]


@needs_samples
def test_pnrgov_messages_are_refused_with_their_position() -> None:
    for path in sorted((PAXLST / "pnrgov").rglob("*"))[:40]:
        if path.is_file():
            results = parse(path.read_bytes(), TODAY)
            assert results, path
            assert all(isinstance(r, Unusable) for r in results), path
    (r,) = parse((PAXLST / "pnrgov" / "gtas-parsers" / "pnrBadFormat.txt").read_bytes(), TODAY)
    assert isinstance(r, Unusable) and "PNRGOV" in r.reason and r.position.line >= 1


@needs_samples
def test_our_writer_round_trips_every_sample() -> None:
    messages = [m for name in GOLDEN for m in parse((PAXLST / name).read_bytes(), TODAY)]
    back = parse(write([m for m in messages if isinstance(m, Message)]), TODAY)
    plain = [_plain(m) for m in messages]
    assert [_plain(m) for m in back] == plain


def _plain(m: Message | Unusable) -> Message | Unusable:
    if isinstance(m, Message):
        return dataclasses.replace(m, position=None, warnings=())  # type: ignore[arg-type]
    return m


def _crew(extra: str = "", unt: str = "UNT+5+1'") -> str:
    return (
        "UNB+UNOA:4+A+B+260101:0000+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+250'"
        f"NAD+FM+++DOE:JANE'{extra}{unt}UNZ+1+1'"
    )


@pytest.mark.parametrize(
    ("text", "reason", "line"),
    [
        ("UNH+7+PAXLST:D:05B:UN:IATA'\nBGM+745'\nNAD+FL+++A:B'\n", "end of the file", 1),
        (_crew(unt=""), "end of the interchange", 1),
        ("UNH+1+PAXLST:D:05B'BGM+745'UNT+2+1'", "no travellers", 1),
        ("UNH+1+PNRGOV:11:1:IA'UNT+2+1'", "PNRGOV", 1),
        ("\n\nBGM+745'", "outside a message", 3),
        ("UNH+1+PAXLST'NAD+FL+++X'\nUNH+2+PAXLST'NAD+FL+++Y'UNT+3+2'", "next UNH", 1),
    ],
)
def test_unusable_messages_say_why_and_where(text: str, reason: str, line: int) -> None:
    results = parse(text, TODAY)
    bad = [r for r in results if isinstance(r, Unusable)]
    assert bad and reason in bad[0].reason, results
    assert bad[0].position.line == line


def test_release_character_and_una_in_the_middle() -> None:
    text = (
        "UNA:+.? 'UNH+1+PAXLST'NAD+FL+++O?'BRIEN?:X:ANN?+MARIE'UNT+3+1'UNZ+1+1'\n"
        "UNA:*.\\ $UNH*2*PAXLST$NAD*FM***SMITH:JO\\*E$UNT*3*2$UNZ*1*1$"
    )
    a, b = parse(text, TODAY)
    assert isinstance(a, Message) and isinstance(b, Message)
    assert (a.travellers[0].surname, a.travellers[0].given_names) == ("O'BRIEN:X", "ANN+MARIE")
    assert (b.travellers[0].surname, b.travellers[0].given_names) == ("SMITH", "JO*E")
    assert b.position.line == 2


def test_a_una_that_cannot_be_used_falls_back_to_the_defaults() -> None:
    text = "UNA:+.? \u2019UNH+1+PAXLST'NAD+FL+++DOE:JO'UNT+3+1'"
    (m,) = parse(text, TODAY)
    assert isinstance(m, Message) and m.travellers[0].surname == "DOE"


def test_birth_dates_in_the_past_and_expiry_in_the_future(tmp_path: Path) -> None:
    text = "UNH+1+PAXLST'NAD+FL+++A:B'DTM+329:300101'DOC+P+X1'DTM+36:300101'UNT+6+1'"
    (m,) = parse(text, TODAY)
    assert isinstance(m, Message)
    t = m.travellers[0]
    assert t.birth_date == "1930-01-01" and t.documents[0].expiry == "2030-01-01"


@needs_samples
def test_fast_and_careful_paths_agree_on_every_sample() -> None:
    files = sorted(p for p in PAXLST.rglob("*") if p.is_file() and p.suffix in (".txt", ".edi"))
    assert len(files) >= 8
    for path in files:
        text = decode(path.read_bytes())
        fast, careful = Tokenizer(text).segments(), Tokenizer(text, fast=False).segments()
        assert list(fast) == list(careful), path.name
        assert parse(text, TODAY) == parse(text, TODAY, fast=False), path.name


def test_hostile_traveller_text_is_cleaned_on_ingest() -> None:
    """Names, codes and document numbers are untrusted: control and format characters
    (a terminal title escape, a bidi override) never leave the parser, and names are bounded."""
    hostile = "\x1b]0;x\x07EVIL\u202eNAME"
    text = _crew(
        "NAT+2+D\u202eEU'DOC+P\x1b+C\x07123'",
        unt="UNT+7+1'",
    ).replace("DOE:JANE", f"{hostile}:{'J' * 500}")
    (m,) = parse(text.encode(), TODAY)
    assert isinstance(m, Message), m
    (t,) = m.travellers
    assert t.surname == "]0;xEVILNAME" and len(t.given_names) == 70
    assert t.nationality == "DEU"
    (doc,) = t.documents
    assert (doc.type, doc.number) == ("P", "C123")
