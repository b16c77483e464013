"""A sans-IO UN/EDIFACT tokenizer: text in, segments with their positions out.

Real interchanges break strict readers, so this one is tolerant where it can
be and says where it gave up: a UNA service string advice sets the
separators (and another UNA after a UNZ sets them again: several interchanges
in one file); a UNA whose segment terminator never occurs in the rest is
ignored in favour of the defaults (a typographic apostrophe, a missing
character); whitespace and line breaks around segments are dropped, so are
spaces around a tag; text after the last terminator is kept as an
unterminated segment, which the reader of the messages may ignore. The
release character makes the next character literal. Nothing here raises on
any input: a fuzz test (``tests/test_paxlst_fuzz.py``) checks it.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

WHITESPACE: Final = " \t\r\n\ufeff"
TAG: Final = re.compile(r"[A-Z0-9]{3}")
SPACE: Final = re.compile(f"[{WHITESPACE}]*")


@dataclass(frozen=True)
class Service:
    """The service characters: component, element, decimal, release, repetition, terminator."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = " "
    terminator: str = "'"

    @property
    def una(self) -> str:
        """The UNA segment announcing these characters."""
        return (
            "UNA"
            + self.component
            + self.element
            + self.decimal
            + self.release
            + (self.repetition + self.terminator)
        )

    def usable(self) -> bool:
        """True when the separators and the release character are distinct characters."""
        chars = (self.component, self.element, self.release, self.terminator)
        return all(len(c) == 1 for c in chars) and len(set(chars)) == 4


DEFAULT: Final = Service()


@dataclass(frozen=True)
class Position:
    """Where something starts: 1-based line and column, and the segment's index in the file."""

    line: int
    column: int
    segment: int

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column} (segment {self.segment})"


class Segment:
    """One segment: its tag, its elements (each a tuple of components) and its position.

    Made for speed (a 40-traveller message has about 290 of them): a plain
    class with slots, not a frozen dataclass; read-only by convention. Where
    the release character does not occur, the elements are kept as the raw
    element strings and split into components only when asked; the position
    is worked out from the offset only when asked.
    """

    __slots__ = ("_comp", "_elements", "_index", "_lines", "_offset", "_parts", "tag", "terminated")

    def __init__(
        self,
        tag: str,
        parts: list[str] | tuple[tuple[str, ...], ...],
        comp: str,
        where: tuple[int, int, list[int] | Callable[[], list[int]]],
        terminated: bool = True,
    ) -> None:
        """``parts``: the raw element strings, tag first (lazy), or the elements split already;
        ``where``: the offset, the index and every line's start (or what gives them)."""
        self.tag = tag
        self.terminated = terminated
        self._parts: list[str] | None = None
        self._elements: tuple[tuple[str, ...], ...] = ()
        if isinstance(parts, list):
            self._parts = parts
        else:
            self._elements = parts
        self._comp = comp
        self._offset, self._index, self._lines = where

    @property
    def elements(self) -> tuple[tuple[str, ...], ...]:
        """Every element after the tag, each a tuple of its components."""
        if self._parts is None:
            return self._elements
        return tuple([tuple(p.split(self._comp)) for p in self._parts[1:]])

    @property
    def position(self) -> Position:
        """Where the segment starts (line and column 1-based) and its index in the file."""
        lines, off = self._lines, self._offset
        if not isinstance(lines, list):
            lines = lines()
        line = bisect.bisect_right(lines, off) - 1
        return Position(line + 1, off - lines[line] + 1, self._index)

    def get(self, element: int, component: int = 0) -> str:
        """Element ``element`` (1 = the first after the tag), component ``component``; ''."""
        parts = self._parts
        if parts is None:
            comps = self.components(element)
            return comps[component] if 0 <= component < len(comps) else ""
        if not 0 < element < len(parts):
            return ""
        if component == 0:
            return parts[element].split(self._comp, 1)[0]
        split = parts[element].split(self._comp)
        return split[component] if 0 < component < len(split) else ""

    def components(self, element: int) -> tuple[str, ...]:
        """All components of element ``element`` (empty when absent)."""
        if self._parts is not None:
            ok = 0 < element < len(self._parts)
            return tuple(self._parts[element].split(self._comp)) if ok else ()
        els = self._elements
        return els[element - 1] if 1 <= element <= len(els) else ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Segment):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[object, ...]:
        return (self.tag, self.elements, self.position, self.terminated)

    def __repr__(self) -> str:
        return f"Segment({self.tag!r}, {self.elements!r}, {self.position!r}, {self.terminated})"


@dataclass(frozen=True)
class Service_:
    service: Service
    segment: re.Pattern[str]
    element: re.Pattern[str]
    component: re.Pattern[str]
    released: re.Pattern[str]


@lru_cache(maxsize=32)
def _compiled(s: Service) -> Service_:
    rel, term, elem, comp = (
        re.escape(c) for c in (s.release, s.terminator, s.element, s.component)
    )
    return Service_(
        s,
        re.compile(f"((?:[^{rel}{term}]|{rel}.)*){term}", re.S),
        re.compile(f"((?:[^{rel}{elem}]|{rel}.|{rel}$)*)({elem}|$)", re.S),
        re.compile(f"((?:[^{rel}{comp}]|{rel}.|{rel}$)*)({comp}|$)", re.S),
        re.compile(f"{rel}(.)", re.S),
    )


def _split(text: str, sep: str, pattern: re.Pattern[str], release: str) -> list[str]:
    """``text`` split on ``sep`` where it is not released (released pairs kept)."""
    if release not in text:
        return text.split(sep)
    parts, pos = [], 0
    while (m := pattern.match(text, pos)) is not None:
        parts.append(m.group(1))
        if not m.group(2):
            break
        pos = m.end()
    return parts


def _unrelease(text: str, c: Service_) -> str:
    return c.released.sub(r"\1", text) if c.service.release in text else text


def split_segment(body: str, c: Service_) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """The tag and the elements (each a tuple of components, releases undone) of a segment."""
    s = c.service
    if s.release not in body:
        parts = body.split(s.element)
        comp = s.component
        return _tag(parts[0]), tuple([tuple(p.split(comp)) for p in parts[1:]])
    elements = _split(body, s.element, c.element, s.release)
    out = []
    for raw in elements[1:]:
        comps = _split(raw, s.component, c.component, s.release)
        out.append(tuple(_unrelease(x, c) for x in comps))
    return _tag(elements[0]), tuple(out)


def _tag(text: str) -> str:
    return text.strip(WHITESPACE).replace(" ", "")


def read_una(text: str, pos: int) -> tuple[Service, int]:
    """The service characters of a UNA at ``pos`` and where the segments start after it.

    A UNA that cannot be used (repeated characters, or a terminator that never
    occurs again) gives the defaults, keeping a usable release character.
    """
    chars = text[pos + 3 : pos + 9]
    if len(chars) == 6:
        declared = Service(*chars)
        if declared.usable() and declared.terminator in text[pos + 9 :]:
            return declared, pos + 9
    end = pos + 3 + len(chars)
    rel = chars[3] if len(chars) > 3 and chars[3] not in ":+'" else DEFAULT.release
    return Service(release=rel), end


class Tokenizer:
    """Segments of a whole text (several interchanges, each with its own UNA).

    Two ways to the same segments: where the rest of the text holds neither the
    release character nor another UNA, it is cut with ``str.split`` and each
    segment split lazily (the fast path); elsewhere segment by segment with the
    release character honoured (the careful path). ``fast=False`` forces the
    careful path everywhere (the test that both agree uses it).
    """

    def __init__(self, text: str, fast: bool = True) -> None:
        self.text = text
        self.fast = fast
        self._line_starts = line_starts(text)

    def position(self, offset: int, index: int) -> Position:
        """The line and column of ``offset``."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line + 1, offset - self._line_starts[line] + 1, index)

    def segments(self) -> Iterator[Segment]:
        """Every segment in order; a UNA changes the service characters from there on."""
        text, pos, index = self.text, 0, 0
        c, plain = _compiled(DEFAULT), DEFAULT.release not in text
        while True:
            pos = SPACE.match(text, pos).end()  # type: ignore[union-attr]  # always matches
            if pos >= len(text):
                return
            if text.startswith("UNA", pos):
                service, pos = read_una(text, pos)
                c, plain = _compiled(service), service.release not in text[pos:]
                continue
            if self.fast and plain and "UNA" not in text[pos:]:
                yield from self._split(pos, index, c.service)
                return
            index += 1
            end = _end(text, pos, c, plain)
            body = text[pos:end] if end >= 0 else text[pos:]
            tag, elements = split_segment(body, c)
            where = (pos, index, self._line_starts)
            yield Segment(tag, elements, c.service.component, where, end >= 0)
            if end < 0:
                return
            pos = end + 1

    def _split(self, pos: int, index: int, s: Service) -> Iterator[Segment]:
        """The fast path: the segments from ``pos`` on, where no release character occurs."""
        pieces = self.text[pos:].split(s.terminator)
        last, lines, sep, comp = len(pieces) - 1, self._line_starts, s.element, s.component
        for k, piece in enumerate(pieces):
            body = piece.lstrip(WHITESPACE)
            if k == last and not body:
                return
            start = pos + len(piece) - len(body)
            pos += len(piece) + 1
            index += 1
            parts = body.split(sep)
            tag = parts[0] if len(parts[0]) == 3 and parts[0].isalnum() else _tag(parts[0])
            yield Segment(tag, parts, comp, (start, index, lines), k != last)


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts (for :class:`Segment` positions)."""
    lengths = map((1).__add__, map(len, text.split("\n")))  # in C: no Python loop
    return list(itertools.accumulate(lengths, initial=0))[:-1]


def _end(text: str, pos: int, c: Service_, plain: bool) -> int:
    """Where the segment at ``pos`` ends (its terminator), or -1 when it is not terminated."""
    if plain:
        return text.find(c.service.terminator, pos)
    m = c.segment.match(text, pos)
    return m.end() - 1 if m else -1


def decode(data: bytes) -> str:
    """The text of a file: UTF-8 (a BOM dropped), else Latin-1 (every byte is a character)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def tokenize(text: str) -> list[Segment]:
    """All segments of ``text`` (see :class:`Tokenizer`)."""
    return list(Tokenizer(text).segments())


def is_tag(tag: str) -> bool:
    """True for a well-formed segment tag (three upper-case letters or digits)."""
    return TAG.fullmatch(tag) is not None


def escape(value: str, s: Service = DEFAULT) -> str:
    """``value`` with every service character released (for the writer)."""
    specials = {s.release, s.component, s.element, s.terminator}
    return "".join(s.release + ch if ch in specials else ch for ch in value)
