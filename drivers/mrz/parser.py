"""ICAO 9303 machine-readable zones: normalise, correct, check and read the fields.

``parse_mrz`` accepts TD1 (3×30), TD2 (2×36), TD3 (2×44), MRV-A (2×44), MRV-B
(2×36) and the pre-2021 French identity card (2×36). Anything that is not an
MRZ at all raises ``NotAnMrz``; an MRZ with bad check digits, impossible dates
or odd codes is returned with ``valid`` false and ``warnings`` saying why.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Sequence

from drivers.mrz.checks import ALPHABET
from drivers.mrz.correct import (
    Check,
    Correction,
    by_class,
    class_clean,
    correct,
    correctable,
    rows_of,
)
from drivers.mrz.fields import build
from drivers.mrz.layouts import CheckSpec, Layout, Span, detect
from drivers.mrz.result import MrzResult, NotAnMrz

MAX_LINES = 8
MAX_LINE = 128
MAX_BAD_CHARS = 2
MIN_LINE = 5  # shorter lines are not an MRZ line with its trailing fillers dropped
LENGTHS = {2: (36, 44), 3: (30,)}
CHECK_NAMES = ("document_number", "birth_date", "expiry_date", "optional_data", "composite")
_BAD = re.compile(r"[^A-Z0-9<]")
_CLEAN_LINE = re.compile(r"[A-Z0-9<]+")
_FILLERS = str.maketrans({"«": "<", "_": "<", "‹": "<"})


def parse_mrz(
    lines: Sequence[str], *, today: datetime.date | None = None, max_corrections: int = 2
) -> MrzResult:
    """Parse MRZ lines (or one string with line breaks); NotAnMrz when it is none.

    ``max_corrections`` bounds the check-digit-guided changes per check digit;
    0 turns every correction off (class corrections included).
    """
    if today is None:
        today = datetime.datetime.now(datetime.UTC).date()
    text = normalise(lines)
    warnings: list[str] = []
    fixes: list[Correction] = []
    rows = _replace_bad(_fit(text, warnings), fixes)
    layout = detect(rows)
    if layout is None:  # pragma: no cover - _fit guarantees a shape detect knows
        raise NotAnMrz("unknown MRZ shape")
    if max_corrections > 0 and not class_clean(rows, layout):
        grid = [list(row) for row in rows]
        by_class(grid, layout, fixes)
        rows = rows_of(grid)
    if not rows[0][0].isalpha():
        raise NotAnMrz(f"document code {rows[0][0]!r} does not start with a letter")
    return _read(layout, rows, text, today, max_corrections, warnings, fixes)


def normalise(lines: Sequence[str]) -> list[str]:
    """Lines cleaned of spaces, controls and case; `«`/`_` as filler; blank lines dropped."""
    if isinstance(lines, str):
        lines = [lines]
    if len(lines) > MAX_LINES:
        raise NotAnMrz(f"{len(lines)} lines; an MRZ has 2 or 3")
    out: list[str] = []
    for item in lines:
        if not isinstance(item, str) or len(item) > MAX_LINE * 3:
            raise NotAnMrz("each line must be a string of at most a few hundred characters")
        if _CLEAN_LINE.fullmatch(item):  # the usual case: already an MRZ line
            out.append(item)
            continue
        for part in item.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            text = _clean(part)
            if text:
                out.append(text)
    return out


def _clean(text: str) -> str:
    if not (text.isascii() and text.isprintable()):
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    text = text.strip().upper().translate(_FILLERS)
    if " " in text and len(text) not in (30, 36, 44) and len(text.replace(" ", "")) in (30, 36, 44):
        text = text.replace(" ", "")
    return text


def _fit(lines: list[str], warnings: list[str]) -> list[str]:
    """Check the shape; pad lines whose trailing fillers a reader dropped."""
    allowed = LENGTHS.get(len(lines))
    if allowed is not None and len({len(x) for x in lines}) == 1 and len(lines[0]) in allowed:
        return list(lines)  # the usual case: every line complete
    longest = max((len(x) for x in lines), default=0)
    if allowed is None or longest not in allowed:
        shape = ", ".join(str(len(x)) for x in lines) or "nothing"
        raise NotAnMrz(f"expected 2 lines of 36 or 44 characters or 3 lines of 30; got {shape}")
    out = []
    for n, line in enumerate(lines, 1):
        if len(line) < MIN_LINE:
            raise NotAnMrz(f"line {n} has {len(line)} characters; the others have {longest}")
        if len(line) < longest:
            warnings.append(f"line_padded: line {n} had {len(line)} characters; filled with '<'")
        out.append(line.ljust(longest, "<"))
    return out


def _replace_bad(lines: list[str], fixes: list[Correction]) -> list[str]:
    """A few characters outside the MRZ alphabet become `<`; more are not an MRZ."""
    if not _BAD.search("".join(lines)):
        return lines
    bad = [
        (r, c) for r, line in enumerate(lines) for c, ch in enumerate(line) if ch not in ALPHABET
    ]
    if len(bad) > MAX_BAD_CHARS:
        raise NotAnMrz(f"{len(bad)} characters outside A-Z, 0-9 and '<'")
    grid = [list(line) for line in lines]
    for r, c in bad:
        fixes.append(Correction(r + 1, c + 1, grid[r][c], "<", "not an MRZ character"))
        grid[r][c] = "<"
    return rows_of(grid)


def _read(layout: Layout, rows: list[str], raw: list[str], today: datetime.date, budget: int,
          warnings: list[str], fixes: list[Correction]) -> MrzResult:  # fmt: skip
    """Checks, corrections and fields of lines whose format is known."""
    notes: list[str] = []
    checks, number, optional = _checks(layout, rows, notes)
    failing = [c for c in checks if not c.passes(rows)]
    if budget > 0 and failing and correctable(rows, layout, checks, failing):
        grid = [list(row) for row in rows]
        count = len(fixes)
        warnings.extend(correct(grid, layout, checks, budget, fixes, failing))
        if len(fixes) > count:
            rows, notes = rows_of(grid), []
            checks, number, optional = _checks(layout, rows, notes)
            failing = [c for c in checks if not c.passes(rows)]
    results = {c.name: c not in failing for c in checks}
    warnings.extend(notes)
    return build(layout, rows, raw, today, results, (number, optional), warnings, fixes)


def _checks(
    layout: Layout, rows: list[str], warnings: list[str]
) -> tuple[list[Check], str, str | None]:
    """The check digits of this document, a long document number taken into account."""
    checks = list(_base_checks(layout))
    if layout.name not in ("TD1", "TD2"):
        return checks, "", None
    spec, opt = _number_and_optional(layout)
    row, col = spec.digit
    if rows[row][col] != "<":  # the usual case: the number fits its field
        return checks, "", None
    ext = rows[opt[0]][opt[1] : opt[2]].split("<")[0]
    if len(ext) < 2:
        return checks, "", None
    return _long_number(checks, spec.spans[0], opt, len(ext), rows, warnings)


@functools.cache
def _number_and_optional(layout: Layout) -> tuple[CheckSpec, Span]:
    """The document-number check and the optional-data span a long number spills into."""
    spec = next(s for s in layout.checks if s.name == "document_number")
    return spec, next(s for s in layout.fields if s.name == "optional_data").span


@functools.cache
def _base_checks(layout: Layout) -> tuple[Check, ...]:
    """The check digits of a format."""
    return tuple(Check(s.name, s.spans, s.digit, s.empty_ok, s.digits) for s in layout.checks)


def _long_number(checks: list[Check], span: Span, opt: Span, n: int, rows: list[str],
                 warnings: list[str]) -> tuple[list[Check], str, str]:  # fmt: skip
    """Document numbers over 9 characters: the rest and its check digit in optional data."""
    tail = (opt[0], opt[1], opt[1] + n - 1)
    digit = (opt[0], opt[1] + n - 1)
    plain = Check("document_number", (span, tail), digit)
    filled = Check("document_number", ((span[0], span[1], span[2] + 1), tail), digit)
    chosen, how = plain, "under neither convention (assumed without the filler)"
    if plain.passes(rows):
        how = "without the filler at position 15"
    elif filled.passes(rows):
        chosen, how = filled, "with the filler at position 15 included"
    number = plain.text(rows).replace("<", "")
    warnings.append(f"long_document_number: {len(number)} characters; check digit verified {how}")
    rest = rows[opt[0]][opt[1] + n : opt[2]].strip("<")
    out = [chosen if c.name == "document_number" else c for c in checks]
    return out, number, rest


__all__ = ["MrzResult", "NotAnMrz", "normalise", "parse_mrz"]
