"""Hypothesis: the EDIFACT tokenizer and the PAXLST reader never raise, and written messages
read back equal."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.paxlst.edifact import decode, tokenize
from sync.paxlst.model import Document, Message, Place, Transport, Traveller
from sync.paxlst.parse import parse
from sync.paxlst.write import write

TODAY = dt.date(2026, 12, 4)
EDI_TEXT = st.text(alphabet=st.sampled_from("UNAHTBZGFLDOCM+:'?*$ \n\r.0123456789"), max_size=400)
PIECES = st.sampled_from(
    ["UNA:+.? '", "UNA:*.? $", "UNA", "UNB+X'", "UNH+1+PAXLST'", "UNT+2+1'", "UNZ+1'",
     "NAD+FL+++A:B'", "NAD+FM+++", "DOC+P+X'", "DTM+329:991231'", "DTM+36:", "LOC+91+", "?",
     "'", "+", ":", "\n", "TDT+20+X+++Y'", "LOC+125+A'", "DTM+189:2601011200:201'", "BGM+250'"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(EDI_TEXT, st.lists(PIECES, max_size=40).map("".join)))
def test_never_raises_on_any_text(text: str) -> None:
    for seg in tokenize(text):
        assert seg.position.line >= 1
    parse(text, TODAY)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_never_raises_on_any_bytes(data: bytes) -> None:
    decode(data)
    parse(data, TODAY)


WORD = (
    st.text(alphabet=st.sampled_from("ABCXYZ'+:?* -ÉÖ"), min_size=1, max_size=12)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
DATE = st.dates(dt.date(1920, 1, 1), dt.date(2090, 12, 31)).map(dt.date.isoformat)
CODE = st.sampled_from(["FRA", "UTO", "D", "GBR"])
DOC = st.builds(Document, st.sampled_from(["P", "I", "V", None]), WORD, CODE, DATE)
TRAVELLER = st.builds(
    Traveller,
    WORD.filter(lambda w: w.strip() == w and " " not in w),
    st.lists(WORD.filter(lambda w: " " not in w), max_size=3).map(" ".join),
    DATE,
    st.sampled_from(["M", "F", "X"]),
    CODE,
    st.sampled_from(["passenger", "crew"]),
    st.lists(DOC, max_size=2).map(tuple),
)
TIME = st.datetimes(dt.datetime(2001, 1, 1), dt.datetime(2090, 1, 1)).map(
    lambda t: t.isoformat(timespec="minutes")
)
TRANSPORT = st.builds(
    Transport,
    st.sampled_from(["air", "road", "sea", "rail"]),
    st.sampled_from(["AB", "XY"]),
    WORD.filter(lambda w: w.strip() == w),
    st.builds(Place, CODE, TIME),
    st.builds(Place, CODE, TIME),
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.builds(
            Message,
            st.sampled_from(["passenger_list", "crew_list"]),
            WORD.filter(lambda w: w.strip() == w),
            TRANSPORT,
            st.lists(TRAVELLER, min_size=1, max_size=4).map(tuple),
            st.none(),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_written_messages_read_back_equal(messages: list[Message]) -> None:
    back = parse(write(messages), TODAY)
    assert all(isinstance(m, Message) for m in back)
    import dataclasses

    def plain(m: Message) -> Message:
        return dataclasses.replace(m, position=None, warnings=())  # type: ignore[arg-type]

    assert [plain(m) for m in back] == [plain(m) for m in messages]  # type: ignore[arg-type]
