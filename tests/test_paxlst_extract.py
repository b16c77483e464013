"""The extractor (sync/paxlst/extract.py) reads what the careful reader reads, or steps aside.

Hypothesis builds PAXLST texts of the common shape with awkward fields (spaces, tabs,
non-ASCII and format characters, long values, odd and two-digit dates, wrong counts,
segments out of order or missing) and checks that ``parse`` (extractor first) gives
exactly what the careful path gives, and that the extractor is really taken on the
plain ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import random

import pytest
from conftest import SHARED_TESTDATA
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.paxlst.edifact import decode
from sync.paxlst.extract import extract
from sync.paxlst.fields import iso_date, iso_time
from sync.paxlst.model import Document, Message, Place, Transport, Traveller
from sync.paxlst.parse import parse
from sync.paxlst.write import write

TODAY = dt.date(2026, 12, 4)
VALUE = st.integers(0, 9).flatmap(
    lambda k: st.text(
        alphabet=st.sampled_from("AZ09 -" if k > 3 else "AZ É\u202e\u00a0" if k else "A \t\x07"),
        max_size=8 if k > 3 else 40,
    )
)  # mostly plain ASCII; non-ASCII, format characters (cleaned) and no-break spaces (stripped);
# controls (not extracted)
PLAIN = st.text(alphabet=st.sampled_from("AZ09 -É\u00a0"), max_size=12)  # what it extracts
SHORT = st.text(alphabet=st.sampled_from("AZ09 -É"), max_size=6)
DATE = st.sampled_from(
    ["19800101", "800101", "991231", "20300615", "20000229", "19000229", "1980013", "", " 19800101",
     "²00101", "00000101", "20261304", "19800101 "]
)  # fmt: skip
OTHER = st.sampled_from(
    ["FTX+AAA+++X", "LOC+22+IAD", "LOC+180+:::H", "RFF+AVF:X", "MEA+CT++KGM:1", "COM+1:TE",
     "LOC+91:X+Y", "LOC+91", "LOC", "LOC+9+Z", "DTM+5:19800101", "ATT+1++X", "NAD+MS+++X",
     "NAD+FL:X+++Y", "UNE+1", "CNT+42:1"]
)  # fmt: skip
SEP = st.sampled_from(["", "\n", "\r\n", " \ufeff", "\n\t", "\n\x0c"])


def _traveller_segments(draw: st.DrawFn, value: st.SearchStrategy[str]) -> list[str]:
    role = draw(st.sampled_from(["FL", "FM", "VW", "DDT", "DDU"]))
    surname = draw(st.sampled_from(["SMITH", "O NEIL", " LEE "]) | value)
    names = ":".join([surname, *draw(st.lists(value, max_size=2))])
    segs = [f"NAD+{role}+++{names}" + draw(st.sampled_from(["", "+X", "+X:Y"]))]
    optional = [
        f"ATT+2++{draw(value)}" + draw(st.sampled_from(["", ":Z"])),
        f"DTM+329:{draw(DATE)}" + draw(st.sampled_from(["", ":102", ":102+X"])),
        f"NAT+2+{draw(value)}",
    ]
    segs += [s for s in optional if draw(st.booleans())]
    plain = value is PLAIN  # fewer of what makes the extractor step aside
    for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
        segs.append(f"DOC+{draw(SHORT)}+{draw(value)}")
        segs += [
            s for s in (f"DTM+36:{draw(DATE)}", f"LOC+91+{draw(SHORT)}") if draw(st.booleans())
        ]
    for _ in range(
        draw(st.sampled_from([0, 0, 0, 1] if plain else [0, 0, 1, 2]))
    ):  # skipped, or not
        segs.insert(draw(st.integers(1, len(segs))), draw(OTHER))
    if not plain and draw(st.integers(0, 9)) == 0:
        draw(st.randoms()).shuffle(segs)  # out of order: the careful path must take it
    return segs


@st.composite
def texts(draw: st.DrawFn) -> str:
    """An interchange of one or two messages of (mostly) the common shape."""
    una = draw(
        st.sampled_from(["", "UNA:+.? '", "UNA:+.? '\n", "UNA:+.?*'", "UNA:+,? '", "UNA:+.? "])
    )
    out = [una + "UNB+UNOC:4+A+B+260101:0000+1"]
    value = draw(st.sampled_from([VALUE, PLAIN]))  # PLAIN: the extractor takes most of them
    for n in range(draw(st.integers(1, 2))):
        body = [f"UNH+M{n}+PAXLST:D:05B:UN:IATA", "BGM+745", "RFF+TN:R1", "TDT+20+X1+3++BUS",
                "LOC+125+AAA", "DTM+189:202612041000:203"]  # fmt: skip
        body[2:2] = draw(st.sampled_from([[], [], ["NAD+MS+++AGENT", "COM+1:TE"], ["NAD+FL"]]))
        travellers = draw(st.integers(1, 3))
        for _ in range(travellers):
            body += _traveller_segments(draw, value)
        body.append(f"CNT+42:{travellers + draw(st.sampled_from([0, 0, 1]))}")
        body.append(f"UNT+{len(body) + 1 + draw(st.sampled_from([0, 0, 2]))}+M{n}")
        out += body
    out.append("UNZ+1+1")
    sep = draw(SEP)
    return "".join(s + "'" + sep for s in out) + draw(st.sampled_from(["", "", "\n", "\n", "TAIL"]))


@settings(max_examples=300, deadline=None)
@given(texts())
def test_the_extractor_reads_what_the_careful_reader_reads(text: str) -> None:
    assert parse(text, TODAY) == parse(text, TODAY, fast=False)


def _bus(rng: random.Random, n: int) -> Message:
    people = tuple(
        Traveller(f"NAME{rng.randrange(999)}", rng.choice(["", "ANNA", "ANNA MARIA"]),
                  rng.choice([None, "1980-02-29"]), rng.choice([None, "F", "M"]),
                  rng.choice([None, "UTO"]), rng.choice(["passenger", "crew"]),
                  rng.choice([(), (Document(rng.choice(["P", None]), f"P{n}", "UTO", None),)]))
        for _ in range(rng.randrange(1, 6))
    )  # fmt: skip
    where = Transport("road", "BUSCO", f"UT{n}", Place("AAA", "2026-12-04T10:00"), Place())
    return Message("passenger_list", f"R{n}", where, people, None)  # type: ignore[arg-type]


def test_the_extractor_is_taken_on_plain_messages_and_reads_the_same() -> None:
    rng = random.Random(5)
    text = write([_bus(rng, n) for n in range(40)])
    found = extract(text, TODAY)
    assert found is not None and len(found) == 40
    assert found == parse(text, TODAY, fast=False)


EMPTY_FIELDS = (
    "UNH+1+PAXLST'NAD+FL+++ A :: B :'ATT+2++'DTM+329:'NAT+2+'DOC++X1 'DTM+36:'LOC+91+'UNT+9+1'",
    "UNH+1+PAXLST'NAD+VW+++A'DOC+P+ 'DTM+36:300101'LOC+91+UTO'CNT+41:2'UNT+6+1'",
    "UNH+1+PAXLST'BGM+250'NAD+FM+++\u202eA'ATT+2++\u200bF'NAT+2+\u00c9'UNT+6+1'",
    "UNH+1+PAXLST'NAD+FL+++A:\u00a0B:C\u2003'UNT+3+1'",  # given names: other spaces stripped
    "UNH+1+PAXLST'NAD+FL+++A'DTM+329:19800229'DOC+P+X'DTM+36:20300615'UNT+6+1'",  # two dates
    "UNH+1+PAXLST'NAD+FL+++A'DTM+329:19810229'DOC+P+X'DTM+36:00000615'UNT+6+1'",  # not dates
)


ASIDE = (
    "UNH+1+PAXLST'NAD+FL+++A'DOC+P+X'LOC+91+A'LOC+91+B'UNT+6+1'",  # the last issuer counts
    "UNA:+.! 'UNH+1+PAXLST'NAD+FL+++A!+B:C'UNT+3+1'",  # another release character
    "UNA:+.? 'UNH+1+PAXLST'NAD+FL+++A:B'UNT+3+1'UNA:*.? $UNH+2+PAXLST$UNT+1+2$",
)


def test_where_the_extractor_steps_aside_the_results_are_the_same() -> None:
    for text in ASIDE:
        assert extract(text, TODAY) is None, text
        assert parse(text, TODAY) == parse(text, TODAY, fast=False), text


def test_the_extractor_reads_empty_and_blank_fields_as_the_careful_reader() -> None:
    for text in EMPTY_FIELDS:
        found = extract(text, TODAY)
        assert found is not None and found == parse(text, TODAY, fast=False), text


SECOND_DOCUMENTS = (
    "UNH+1+PAXLST'NAD+FL+++A'DOC+V+V1'DTM+36:20300101'LOC+91+X'FTX+A'DOC+P+P1'DTM+36:291231'"
    "LOC+91+Y'NAD+FM+++B'DOC+P+ 'DOC+P+P2'LOC+22+Z'DOC+I+I1'CNT+42:2'UNT+13+1'",
    "UNH+1+PAXLST'NAD+FL+++\u00c9'DOC+V+V1'DOC+P+\u202eP1'DTM+36:2030\u200b0101'UNT+6+1'",
)  # a visa before the passport, a document without a number, three, non-ASCII fields


def test_the_extractor_reads_second_documents_as_the_careful_reader() -> None:
    for text in SECOND_DOCUMENTS:
        found = extract(text, TODAY)
        assert found is not None and found == parse(text, TODAY, fast=False), text
    first = extract(SECOND_DOCUMENTS[0], TODAY)[0].travellers  # type: ignore[index, union-attr]
    assert [d.number for t in first for d in t.documents] == ["V1", "P1", "P2", "I1"]
    assert first[0].document == Document("P", "P1", "Y", "2029-12-31")


def test_the_extractor_steps_aside_for_what_is_not_plain() -> None:
    text = write([_bus(random.Random(6), 1)])
    odd_ones = ("NAD+FL+++A?+B'", "DTM+5:1'", "UNA:+.? '", "NAD+FL+++A:B'DOC+P+1'DOC+V+2'NAT+2+X'")
    for odd in odd_ones:
        at = text.index("CNT")
        assert extract(text[:at] + odd + text[at:], TODAY) is None, odd
    assert extract(text.replace("PAXLST", "PNRGOV"), TODAY) is None
    assert extract(text.replace("UNT+", "XXX+"), TODAY) is None


STAMP = st.one_of(
    st.text(alphabet=st.sampled_from("0123456789²"), min_size=12, max_size=12),
    st.tuples(
        st.sampled_from([0, 1, 1900, 2000, 2024, 2026, 2100]), st.integers(0, 13),
        st.integers(0, 32), st.integers(0, 25), st.integers(0, 61),
    ).map(lambda t: "{:04d}{:02d}{:02d}{:02d}{:02d}".format(*t)),
)  # fmt: skip


EDGES = ["202602281200", "190002291200", "200002291200", "210002290000", "202402290000",
         "202302290000", "202612312359", "202612312400", "202601010060"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.sampled_from(EDGES), STAMP))
def test_times_and_dates_read_as_datetime_reads_them(v: str) -> None:
    try:
        expected: str | None = dt.datetime.strptime(v, "%Y%m%d%H%M").isoformat(timespec="minutes")
    except ValueError:
        expected = None
    assert iso_time(v, "203", TODAY) == expected
    try:
        day: str | None = dt.date(int(v[:4]), int(v[4:6]), int(v[6:8])).isoformat()
    except ValueError:
        day = None
    assert iso_date(v[:8], TODAY, future=True) == day


@pytest.mark.skipif(
    not (SHARED_TESTDATA / "paxlst").is_dir(), reason="the shared PAXLST samples are not there"
)
def test_the_extractor_reads_real_airline_lists_as_the_careful_reader() -> None:
    """Six GTAS samples have the common shape with segments the reader skips (FTX, RFF,
    LOC+22/174/178, an agent's NAD+MS in the head, UNA with another repetition mark) and
    travellers with two documents (passport and visa)."""
    names = ["gtas_loader_Test1.txt", "gtas_loader_Test3.txt", "gtas_parsers_apisMessage.txt"]
    for name in names + [f"gtas_tamr_flight{n}.txt" for n in (1, 2, 3)]:  # a second DOC
        text = decode((SHARED_TESTDATA / "paxlst" / name).read_bytes())
        found = extract(text, TODAY)
        assert found is not None and found == parse(text, TODAY, fast=False), name


@pytest.mark.parametrize("cls", [Traveller, Document])
def test_the_written_out_inits_take_the_fields_as_the_generated_one_would(cls: type) -> None:
    """Traveller and Document write their instance dict in __init__ (for speed): the same
    parameters as the fields, in order, with their defaults, and still frozen values."""
    params = list(inspect.signature(cls).parameters.values())
    missing = dataclasses.MISSING
    assert [(p.name, p.default) for p in params] == [
        (f.name, inspect.Parameter.empty if f.default is missing else f.default)
        for f in dataclasses.fields(cls)
    ]
    values = [f"v{i}" for i in range(len(params))]
    obj = cls(*values)
    assert [getattr(obj, p.name) for p in params] == values
    assert dataclasses.replace(obj) == obj and hash(dataclasses.replace(obj)) == hash(obj)
    assert obj != cls(*values[:-1], "other")
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, params[0].name, "x")
