"""OCR correction of an MRZ: by field class, then a search guided by check digits.

Lines are a mutable grid (one list of characters per line). Every change is a
``Correction``; nothing changes where a field class or a check digit does not
say so, and a search that finds more than one smallest answer changes nothing.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from drivers.mrz import countries
from drivers.mrz.checks import AMBIGUOUS, TO_DIGIT, TO_LETTER, check_digit
from drivers.mrz.layouts import Layout, Span

Grid = list[list[str]]
Pos = tuple[int, int]
MAX_SEARCH_POSITIONS = 24
STATE_CODES = ("issuing_state", "nationality")  # no check digit covers them
_CLASS_RE = {"digit": "[0-9<]", "alpha": "[A-Z<]", "name": "[A-Z<]"}
_DIGIT_TABLE = str.maketrans(TO_DIGIT)
_LETTER_TABLE = str.maketrans(TO_LETTER)
_DIGIT_VALUE = {str(n): n for n in range(10)}
_LONE = re.compile(r"<<<[A-Z](?:<|$)", re.MULTILINE)  # a lone letter in a filler run


@dataclass(frozen=True)
class Correction:
    """One character changed: 1-based line and position, old and new, and why."""

    line: int
    position: int
    old: str
    new: str
    reason: str

    def to_json(self) -> dict[str, object]:
        """The JSON form used in ``corrections``."""
        return {"line": self.line, "position": self.position, "from": self.old, "to": self.new,
                "reason": self.reason}  # fmt: skip


@dataclass(frozen=True, eq=False)  # identity: cheap to hash as a cache key
class Check:
    """A check digit as found in one document: covered positions and its own position."""

    name: str
    spans: tuple[Span, ...]
    digit: Pos
    empty_ok: bool = False
    digits: bool = False

    @functools.cached_property
    def positions(self) -> tuple[Pos, ...]:
        """Every covered position, in order."""
        return tuple((r, c) for r, s, e in self.spans for c in range(s, e))

    def text(self, rows: Sequence[str]) -> str:
        """The covered characters."""
        if len(self.spans) == 1:
            r, s, e = self.spans[0]
            return rows[r][s:e]
        return "".join([rows[r][s:e] for r, s, e in self.spans])

    def passes(self, rows: Sequence[str]) -> bool:
        """True when the check digit matches (or is `<`/`0` over an all-filler field)."""
        row, col = self.digit
        text, digit = self.text(rows), rows[row][col]
        if self.empty_ok and digit in "<0" and text.strip("<") == "":
            return True
        if self.digits and not text.replace("<", "0").isdigit():
            return False
        want = _DIGIT_VALUE.get(digit)
        return want is not None and check_digit(text) == want


def _change(grid: Grid, pos: Pos, new: str, reason: str, out: list[Correction]) -> None:
    r, c = pos
    out.append(Correction(r + 1, c + 1, grid[r][c], new, reason))
    grid[r][c] = new


@functools.cache
def _clean_pattern(layout: Layout) -> re.Pattern[str]:
    """Matches a layout's lines when no field holds a character of the wrong class."""
    classes = [["[A-Z0-9<]"] * layout.length for _ in range(layout.lines)]
    for spec in layout.fields:
        row, start, end = spec.span
        cls = _CLASS_RE.get(spec.kind)
        if cls:
            classes[row][start:end] = [cls] * (end - start)
    for check in layout.checks:
        classes[check.digit[0]][check.digit[1]] = "[0-9<]"
    return re.compile("\n".join("".join(row) for row in classes))


@functools.cache
def _number_span(layout: Layout) -> Span:
    """Where the document number sits."""
    return next(s.span for s in layout.fields if s.name == "document_number")


def rows_of(grid: Grid) -> list[str]:
    """The grid as strings."""
    return ["".join(row) for row in grid]


def class_clean(rows: Sequence[str], layout: Layout) -> bool:
    """True when no field holds a character of the wrong class (nothing for ``by_class``)."""
    text = "\n".join(rows)
    if not _clean_pattern(layout).fullmatch(text) or _LONE.search(text):
        return False
    row, start, end = _number_span(layout)
    return "<" not in rows[row][start:end].rstrip("<")


def by_class(grid: Grid, layout: Layout, out: list[Correction]) -> None:
    """Digit fields take digits, letter fields letters, lone letters in filler runs `<`.

    A filler inside the document number becomes `0`.
    """
    for spec in layout.fields:
        row, start, end = spec.span
        text = "".join(grid[row][start:end])
        if spec.kind == "digit" and text.translate(_DIGIT_TABLE) != text:
            _map(grid, row, range(start, end), TO_DIGIT, "digit-only field", out)
        elif spec.kind in ("alpha", "name") and _to_letters(spec.name, text):
            _map(grid, row, range(start, end), TO_LETTER, "letter-only field", out)
        if spec.kind == "name" and "<<<" in text:
            _fillers(grid, row, start, end, out)
        if spec.name == "document_number" and "<" in text.rstrip("<"):
            _inner_fillers(grid, row, start, start + len(text.rstrip("<")), out)
    for check in layout.checks:
        r, c = check.digit
        _map(grid, r, (c,), TO_DIGIT, "check digit", out)


def _to_letters(name: str, text: str) -> bool:
    """Whether a letter field's digits are turned into look-alike letters.

    A state code is turned only into a known ICAO 9303 code: one that stays
    unknown is no more right for it (``132`` would become ``I3Z``) and is
    flagged as read.
    """
    letters = text.translate(_LETTER_TABLE)
    if letters == text:
        return False
    return name not in STATE_CODES or countries.is_known(countries.normalise_code(letters))


def _map(grid: Grid, row: int, cols: Iterable[int], table: dict[str, str], reason: str,
         out: list[Correction]) -> None:  # fmt: skip
    line = grid[row]
    for c in cols:
        new = table.get(line[c])
        if new is not None:
            _change(grid, (row, c), new, reason, out)


def _inner_fillers(grid: Grid, row: int, start: int, end: int, out: list[Correction]) -> None:
    """A filler before the end of a document number is a misread `0` (same check value).

    Fillers only pad a number on the right; `0` is the one character that keeps
    the check digit as it was.
    """
    for c in range(start, end):
        if grid[row][c] == "<":
            _change(grid, (row, c), "0", "filler inside the document number", out)


def _fillers(grid: Grid, row: int, start: int, end: int, out: list[Correction]) -> None:
    """A lone letter after three fillers (no name separator is that long) is a filler.

    OCR reads a chevron as `K` or `X`, and one on guilloche as almost anything.
    """
    line = grid[row]
    for c in range(start + 3, end):
        if not line[c].isalpha() or line[c - 1] != "<" or line[c - 2] != "<" or line[c - 3] != "<":
            continue
        if c + 1 >= end or line[c + 1] == "<":
            _change(grid, (row, c), "<", "lone letter inside a filler run", out)


def guided(grid: Grid, check: Check, candidates: list[Pos], budget: int,
           out: list[Correction], tiebreak: Check | None = None) -> str | None:  # fmt: skip
    """Fix a failing check by swapping look-alike characters; a warning when ambiguous.

    When several smallest changes satisfy ``check``, the one that also satisfies
    ``tiebreak`` (the composite) wins if it is the only one.
    """
    cands = [p for p in candidates if grid[p[0]][p[1]] in AMBIGUOUS][:MAX_SEARCH_POSITIONS]
    for size in range(1, min(budget, len(cands)) + 1):
        found = [combo for combo in itertools.combinations(cands, size) if _try(grid, check, combo)]
        if len(found) > 1 and tiebreak is not None:
            both = [combo for combo in found if _try(grid, tiebreak, combo)]
            found = both if len(both) == 1 else found
        if len(found) == 1:
            for pos in found[0]:
                _change(grid, pos, AMBIGUOUS[grid[pos[0]][pos[1]]], f"{check.name} check digit",
                        out)  # fmt: skip
            return None
        if found:
            return (
                f"ambiguous_correction: {len(found)} ways to satisfy the {check.name} check digit"
            )
    return None


def _try(grid: Grid, check: Check, combo: tuple[Pos, ...]) -> bool:
    saved = [grid[r][c] for r, c in combo]
    for r, c in combo:
        grid[r][c] = AMBIGUOUS[grid[r][c]]
    ok = check.passes(rows_of(grid))
    for (r, c), ch in zip(combo, saved, strict=True):
        grid[r][c] = ch
    return ok


@functools.cache
def field_positions(layout: Layout, kind: str) -> frozenset[Pos]:
    """Every position that belongs to a field of class ``kind``."""
    out: set[Pos] = set()
    for spec in layout.fields:
        if spec.kind == kind:
            row, start, end = spec.span
            out.update((row, c) for c in range(start, end))
    return frozenset(out)


def correct(grid: Grid, layout: Layout, checks: list[Check], budget: int,
            out: list[Correction], failing: list[Check] | None = None) -> list[str]:  # fmt: skip
    """Look-alike swaps that make every check digit pass at once; else field by field.

    The joint search (at most ``budget`` changes) uses the composite as a second
    witness. When it has no single answer (several, or another field is broken
    beyond look-alikes), each failing field check is searched on its own, and a
    field with several answers is left alone and reported.
    """
    if failing is None:
        rows = rows_of(grid)
        failing = [c for c in checks if not c.passes(rows)]
    cands = list(_candidates(layout, tuple(checks), tuple(failing)))
    if not any(grid[r][c] in AMBIGUOUS for r, c in cands):
        return []  # nothing a look-alike swap could change
    ordered = failing + [c for c in checks if c not in failing]  # fail fast in the search
    solutions = _search(grid, ordered, cands, budget) if _reachable(failing, cands) else []
    if len(solutions) == 1:
        _apply(grid, solutions[0], "check digits", out)
        return []
    return _field_by_field(grid, layout, failing, checks, budget, out)


def _field_by_field(grid: Grid, layout: Layout, failing: list[Check], checks: list[Check],
                    budget: int, out: list[Correction]) -> list[str]:  # fmt: skip
    """Each failing field check searched alone, within what is left of the budget."""
    composite = next((c for c in checks if c.name == "composite"), None)
    alnum = field_positions(layout, "alnum")
    start, warnings = len(out), []
    for check in failing:
        left = budget - (len(out) - start)
        if check.name != "composite" and left > 0:
            own = [p for p in (*check.positions, check.digit) if p in alnum]
            warnings.append(guided(grid, check, own, left, out, composite) or "")
    return [w for w in warnings if w]


def correctable(rows: Sequence[str], layout: Layout, checks: list[Check],
                failing: list[Check]) -> bool:  # fmt: skip
    """Whether ``correct`` could change anything: a look-alike where the failing checks allow."""
    cands = _candidates(layout, tuple(checks), tuple(failing))
    return any(rows[r][c] in AMBIGUOUS for r, c in cands)


@functools.lru_cache(maxsize=256)
def _candidates(
    layout: Layout, checks: tuple[Check, ...], failing: tuple[Check, ...]
) -> tuple[Pos, ...]:
    """Positions in failing fields, and in what only a failing composite covers."""
    out: list[Pos] = []
    for check in failing:
        out += _searchable(layout, checks, check)
    return tuple(dict.fromkeys(out))


@functools.lru_cache(maxsize=64)
def _searchable(layout: Layout, checks: tuple[Check, ...], check: Check) -> tuple[Pos, ...]:
    """Alphanumeric positions a failing ``check`` may change (the key keeps its checks alive)."""
    alnum = field_positions(layout, "alnum")
    if check.name != "composite":
        return tuple(p for p in (*check.positions, check.digit) if p in alnum)
    own = {p for c in checks if c.name != "composite" for p in (*c.positions, c.digit)}
    return tuple(p for p in check.positions if p in alnum and p not in own)


def _reachable(failing: list[Check], cands: list[Pos]) -> bool:
    """Whether every failing check covers at least one candidate (else no swap can fix all)."""
    pool = set(cands)
    return all(pool.intersection((*c.positions, c.digit)) for c in failing)


def _search(
    grid: Grid, checks: list[Check], cands: list[Pos], budget: int
) -> list[tuple[Pos, ...]]:
    """The smallest sets of look-alike swaps after which every check passes."""
    cands = [p for p in cands if grid[p[0]][p[1]] in AMBIGUOUS][:MAX_SEARCH_POSITIONS]
    for size in range(1, min(budget, len(cands)) + 1):
        found = [combo for combo in itertools.combinations(cands, size)
                 if _try_all(grid, checks, combo)]  # fmt: skip
        if found:
            return found
    return []


def _try_all(grid: Grid, checks: list[Check], combo: tuple[Pos, ...]) -> bool:
    saved = [grid[r][c] for r, c in combo]
    for r, c in combo:
        grid[r][c] = AMBIGUOUS[grid[r][c]]
    rows = rows_of(grid)
    ok = all(check.passes(rows) for check in checks)
    for (r, c), ch in zip(combo, saved, strict=True):
        grid[r][c] = ch
    return ok


def _apply(grid: Grid, combo: tuple[Pos, ...], reason: str, out: list[Correction]) -> None:
    for pos in combo:
        _change(grid, pos, AMBIGUOUS[grid[pos[0]][pos[1]]], reason, out)
