"""The extractor: PAXLST messages of the common shape read straight from the text.

A 40-traveller message has about 290 segments; an object for each is most of
what the reader in :mod:`sync.paxlst.parse` costs. Where the whole text is
plain (no UNA, or one with the default separators and release character; no
release character in the text; no second UNA) and every message has the
common shape (UNH+…+PAXLST, head segments, then travellers each
``NAD [ATT+2] [DTM+329] [NAT] {DOC [DTM+36] [LOC+91]}`` in that order, with
segments the careful reader skips anyway in between, then CNT and UNT, with
only UNB/UNG/UNE/UNZ between messages), one compiled regular expression takes
each traveller whole with its first document (another takes each further
document, a visa …) and its fields straight into the frozen values; only the
few head segments become :class:`~sync.paxlst.edifact.Segment` objects, read
by the same code as the careful reader's (:mod:`sync.paxlst.fields`).
Anything else anywhere (a DTM, ATT, NAT or LOC+91 out of place, a
traveller without a surname, control characters or over-long fields, another
message type, a message cut short, stray text) makes :func:`extract` return
None and the caller reads the whole text the careful way, so the results are
the same: tests compare both on every sample and on fuzzed messages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Final

from sync.paxlst.edifact import DEFAULT, SPACE, Position, Segment, line_starts
from sync.paxlst.fields import CODE_MAX, NAME_MAX, ROLES, check_counts, iso_date, message, ymd
from sync.paxlst.model import Document, Message, Traveller, Unusable
from sync.sanitize import clean_text

# Every repetition is possessive (``*+``, ``{m,n}+``): each stops at a separator or a tag
# that what follows it must start with, so giving characters back can never make a match;
# not trying to is an eighth of the expression's time.
_W: Final = "[ \t\r\n\ufeff]*+"  # what the tokenizer drops before a segment
_REST: Final = f"(?:\\+[^']*+)?'{_W}"  # the elements not read, the terminator, the space after
_MORE: Final = "(?::[^'+]*+)?"  # the components of an element after the one read
_TEXT: Final = r"[^'+:\x00-\x1f\x7f]"  # a character of a field read: no control characters
_CODE: Final = f"({_TEXT}{{0,{CODE_MAX}}}+){_MORE}"  # a code, no longer than clean_text cuts it
_NAMES: Final = f"((?:{_TEXT}{{0,{NAME_MAX}}}+)(?::{_TEXT}{{0,{NAME_MAX}}}+)*+)"
# A date: CCYY and MMDD when it is eight ASCII digits, else the value as it is
_DATE: Final = "(?:([0-9]{4})([0-9]{4})(?=[:+'])|([^'+:]*+))"
SEGMENT: Final = re.compile(f"(([A-Z0-9]{{3}})(?:\\+[^']*+)?)'{_W}")
_SKIP: Final = (  # segments the careful reader skips in a traveller: other tags, LOC but +91
    f"(?:(?:(?!NAD|DTM|ATT|NAT|DOC|LOC|CNT|UN)[A-Z0-9]{{3}}|LOC(?=\\+|')(?!\\+91[+:']))"
    f"(?:\\+[^']*+)?'{_W})*+"
)
_DOC: Final = (  # a document: type, number, expiry, issuer
    f"DOC\\+{_CODE}\\+{_CODE}{_REST}(?:DTM\\+36:{_DATE}{_MORE}{_REST})?"
    f"(?:LOC\\+91\\+{_CODE}{_REST})?{_SKIP}"
)
TRAVELLER: Final = re.compile(
    f"NAD\\+({'|'.join(ROLES)})\\+[^'+]*+\\+[^'+]*+\\+{_NAMES}{_REST}{_SKIP}"
    f"(?:ATT\\+2\\+[^'+]*+\\+{_CODE}{_REST}{_SKIP})?"
    f"(?:DTM\\+329:{_DATE}{_MORE}{_REST}{_SKIP})?"
    f"(?:NAT\\+[^'+]*+\\+{_CODE}{_REST}{_SKIP})?"
    f"(?:{_DOC})?"
)
DOCUMENT: Final = re.compile(_DOC)  # a traveller's second document and more (a visa …)
TRAVELLER_NAD: Final = re.compile(f"NAD\\+(?:{'|'.join(ROLES)})[+:']")  # the careful reader's test
BETWEEN: Final = frozenset({"UNB", "UNG", "UNE", "UNZ"})
Result = Message | Unusable


class _Cursor:
    """Where the extractor is in the text: offset, segments so far, and the line it is on."""

    __slots__ = ("_line", "_starts", "ascii", "index", "pos", "text")

    def __init__(self, text: str, pos: int) -> None:
        self.text, self.pos, self.index, self.ascii = text, pos, 0, text.isascii()
        self._starts: list[int] | None = None
        self._line = (0, 1)  # an offset and its line, so lines are counted once

    def segment(self, m: re.Match[str]) -> Segment:
        """The segment ``m`` (a :data:`SEGMENT` match at the cursor) as the tokenizer makes it."""
        self.index += 1
        seg = Segment(m.group(2), m.group(1).split("+"), ":", (self.pos, self.index, self.starts))
        self.pos = m.end()
        return seg

    def starts(self) -> list[int]:
        """Every line's start (worked out when a segment's position is first asked)."""
        if self._starts is None:
            self._starts = line_starts(self.text)
        return self._starts

    def position_at(self, offset: int, index: int) -> Position:
        """The position of a segment at ``offset`` (offsets asked only grow): what its
        ``position`` says, without every line's start."""
        last, line = self._line
        line += self.text.count("\n", last, offset)
        self._line = (offset, line)
        return Position(line, offset - self.text.rfind("\n", 0, offset), index)


def extract(text: str, today: dt.date) -> list[Result] | None:
    """Every message of ``text``, or None when anything in it is not of the common shape."""
    start = _start(text)
    if start is None:
        return None
    cur, out = _Cursor(text, start), list[Result]()
    while cur.pos < len(text):
        m = SEGMENT.match(text, cur.pos)
        if m is None:
            return None
        if m.group(2) in BETWEEN:
            cur.segment(m)
            continue
        where = cur.position_at(cur.pos, cur.index + 1)
        if m.group(2) != "UNH" or (found := _message(cur, cur.segment(m), where, today)) is None:
            return None
        out.append(found)
    return out


def _start(text: str) -> int | None:
    """Where the segments start, when the text is plain (else None)."""
    pos = SPACE.match(text).end()  # type: ignore[union-attr]  # always matches
    if text.startswith("UNA", pos):
        chars = text[pos + 3 : pos + 9]  # the decimal mark and repetition: not used
        if len(chars) < 6 or chars[0:2] + chars[3] + chars[5] != ":+?'":
            return None
        pos = SPACE.match(text, pos + 9).end()  # type: ignore[union-attr]
    plain = text.find(DEFAULT.release, pos) < 0 and text.find("UNA", pos) < 0
    return pos if plain else None


def _message(cur: _Cursor, unh: Segment, where: Position, today: dt.date) -> Message | None:
    """The message from ``unh`` to its UNT, or None when it is not of the common shape."""
    if clean_text(unh.get(2, 0), 20) != "PAXLST":
        return None
    first, head = cur.index, []
    while (m := SEGMENT.match(cur.text, cur.pos)) is not None:
        if m.group(2).startswith("UN") or TRAVELLER_NAD.match(cur.text, cur.pos):
            break
        head.append(cur.segment(m))
    if m is None or m.group(2).startswith("UN"):
        return None
    travellers = _travellers(cur, today)
    if travellers is None:
        return None
    while (m := SEGMENT.match(cur.text, cur.pos)) is not None and m.group(2) == "CNT":
        head.append(cur.segment(m))
    if m is None or m.group(2) != "UNT":
        return None
    unt, warnings = cur.segment(m), list[str]()
    check_counts(unt, cur.index - first + 1, head, len(travellers), warnings)
    return message(unh, where, head, travellers, warnings, today)


def _travellers(cur: _Cursor, today: dt.date) -> list[Traveller] | None:
    """The travellers from the cursor on (at least one), or None for one without a surname."""
    text, out, pos, plain = cur.text, [], cur.pos, cur.ascii
    while (m := TRAVELLER.match(text, pos)) is not None:
        found = _traveller(m.groups() if plain else _cleaned(m.groups(), _RAW), today)
        if found is None:
            return None
        pos = m.end()
        if text.startswith("DOC", pos):  # a second document (a visa …)
            found, pos = _more_documents(found, text, pos, plain, today)
        out.append(found)
    cur.index += text.count("'", cur.pos, pos)
    cur.pos = pos
    return out or None


_RAW: Final = frozenset({0, 3, 4, 5, 9, 10, 11})  # the role and the dates: read as they are
_DOC_RAW: Final = frozenset({2, 3, 4})  # in a DOCUMENT match: the expiry date


def _cleaned(g: tuple[str | None, ...], raw: frozenset[int]) -> tuple[str | None, ...]:
    """The fields with what ``clean_text`` drops dropped, but those in ``raw`` (the
    expression bounds their lengths, so nothing is cut; ASCII fields without control
    characters are clean already)."""
    return tuple(clean_text(v, len(v)) if v and i not in raw else v for i, v in enumerate(g))


def _traveller(g: tuple[str | None, ...], today: dt.date) -> Traveller | None:
    """The traveller of a :data:`TRAVELLER` match's clean fields, as the careful reader reads it."""
    role, raw, sex, by, bmd, birth, nat, kind, number, ey, emd, expiry, issuer = g
    surname, _, given = raw.partition(":")  # type: ignore[union-attr]  # always matches
    if not (surname := surname.strip()):
        return None
    if given:
        given = _given(given)
    docs: tuple[Document, ...] = ()
    if number and (number := number.strip()):  # as in _document, written out: the hot path
        until = ymd(ey, emd) if ey else _date(expiry, today, future=True)  # type: ignore[arg-type]
        docs = (Document(kind or None, number, issuer or None, until),)
    born = ymd(by, bmd) if by else _date(birth, today, future=False)  # type: ignore[arg-type]
    return Traveller(surname, given, born, sex or None, nat or None, ROLES[role], docs)  # type: ignore[index]


def _more_documents(
    found: Traveller, text: str, pos: int, plain: bool, today: dt.date
) -> tuple[Traveller, int]:
    """``found`` with the documents of the DOC groups at ``pos`` added, and where they end."""
    docs = list(found.documents)
    while (d := DOCUMENT.match(text, pos)) is not None:
        doc = _document(d.groups() if plain else _cleaned(d.groups(), _DOC_RAW), today)
        docs += [doc] if doc is not None else []
        pos = d.end()
    return dataclasses.replace(found, documents=tuple(docs)), pos


def _document(g: tuple[str | None, ...], today: dt.date) -> Document | None:
    """The document of a DOC group's fields (type, number, expiry as CCYY and MMDD or as
    sent, issuer), or None when it has no number (the careful reader leaves it out too)."""
    kind, number, ey, emd, expiry, issuer = g
    if not number or not (number := number.strip()):
        return None
    until = ymd(ey, emd) if ey else _date(expiry, today, future=True)  # type: ignore[arg-type]
    return Document(kind or None, number, issuer or None, until)


def _date(value: str | None, today: dt.date, future: bool) -> str | None:
    """A date that is not eight digits (those the expression splits for :func:`ymd`)."""
    return None if value is None else iso_date(value, today, future)


def _given(rest: str) -> str:
    """The given names of a NAD's name components after the surname (``rest``, joined by
    ``:``): each stripped, the empty ones left out, joined by spaces, as the careful reader
    does; for the common ASCII case (no space, no empty component) one ``replace``."""
    if rest.isascii() and " " not in rest and "::" not in rest and rest[0] != ":" != rest[-1]:
        return rest.replace(":", " ")  # _TEXT leaves no other ASCII whitespace to strip
    return " ".join(filter(None, map(str.strip, rest.split(":"))))
