"""Hypothesis: the EDIFACT tokenizer and the PAXLST reader never raise, and written messages
read back equal."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.paxlst.edifact import Tokenizer, decode, tokenize
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


MESSAGES = st.lists(
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


@settings(max_examples=100, deadline=None)
@given(MESSAGES)
def test_written_messages_read_back_equal(messages: list[Message]) -> None:
    back = parse(write(messages), TODAY)
    assert all(isinstance(m, Message) for m in back)
    import dataclasses

    def plain(m: Message) -> Message:
        return dataclasses.replace(m, position=None, warnings=())  # type: ignore[arg-type]

    assert [plain(m) for m in back] == [plain(m) for m in messages]  # type: ignore[arg-type]


def _both_ways(text: str) -> None:
    """The fast path (str.split, lazy elements) and the careful one give the same results."""
    fast, careful = Tokenizer(text).segments(), Tokenizer(text, fast=False).segments()
    assert list(fast) == list(careful)
    assert parse(text, TODAY) == parse(text, TODAY, fast=False)


# Without the release character, so the fast path is taken (from the start or after a UNA).
PLAIN_PIECES = st.one_of(
    PIECES.filter(lambda p: "?" not in p),
    st.sampled_from(["\r\n", "\t", "\ufeff", " ", "UN T+1'", " U N H+1+PAXLST'", "''", "x"]),
)
PLAIN = st.text(
    alphabet=st.sampled_from("UNAHTBZGFLDOCM+:'*$ \n\r\t.0123456789\ufeff"), max_size=400
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        PLAIN,
        EDI_TEXT,
        st.lists(PIECES, max_size=40).map("".join),
        st.lists(PLAIN_PIECES, max_size=60).map("".join),
    )
)
def test_fast_and_careful_paths_agree_on_fuzzed_text(text: str) -> None:
    _both_ways(text)


@settings(max_examples=60, deadline=None)
@given(
    MESSAGES,
    st.integers(0, 10_000),
    st.sampled_from(["", " ", "\n", "'", "+", ":", "UNH+9+PAXLST'", "X Y"]),
)
def test_fast_and_careful_paths_agree_on_damaged_messages(
    messages: list[Message], at: int, insert: str
) -> None:
    text = write(messages)
    at %= len(text)
    _both_ways(text[:at] + insert + text[at:])
