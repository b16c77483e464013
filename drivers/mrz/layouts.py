"""Where each field sits in each MRZ format (ICAO 9303 Parts 4–7, French ID card).

Positions are 0-based (line, start, end) with ``end`` exclusive. A field's
class decides OCR correction: ``digit`` and ``alpha`` fields are corrected by
class, ``alnum`` fields only under a check digit, ``name`` fields also turn
``K``/``X`` inside filler runs into ``<``.
"""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int, int]


@dataclass(frozen=True)
class FieldSpec:
    """One field: its name, span and character class."""

    name: str
    span: Span
    kind: str  # digit | alpha | alnum | name | sex


@dataclass(frozen=True)
class CheckSpec:
    """One check digit: the spans it covers and where it sits."""

    name: str
    spans: tuple[Span, ...]
    digit: tuple[int, int]
    empty_ok: bool = False  # `<` or `0` allowed when the covered text is all filler
    digits: bool = False  # the covered field is digit-only: a letter there fails the check


@dataclass(frozen=True, eq=False)  # one instance per format: identity is equality (fast hash)
class Layout:
    """One MRZ format: line count and length, fields and check digits."""

    name: str
    lines: int
    length: int
    fields: tuple[FieldSpec, ...]
    checks: tuple[CheckSpec, ...]


def _f(name: str, line: int, start: int, end: int, kind: str) -> FieldSpec:
    return FieldSpec(name, (line, start, end), kind)


def _two_line(name: str, length: int, visa: bool) -> Layout:
    """TD2, TD3, MRV-A and MRV-B share the second line up to position 28."""
    opt_end = length if visa else (length - 2 if length == 44 else length - 1)
    fields = (
        _f("document_code", 0, 0, 2, "alpha"), _f("issuing_state", 0, 2, 5, "alpha"),
        _f("names", 0, 5, length, "name"), _f("document_number", 1, 0, 9, "alnum"),
        _f("nationality", 1, 10, 13, "alpha"), _f("birth_date", 1, 13, 19, "digit"),
        _f("sex", 1, 20, 21, "sex"), _f("expiry_date", 1, 21, 27, "digit"),
        _f("optional_data", 1, 28, opt_end, "alnum"),
    )  # fmt: skip
    checks = [
        CheckSpec("document_number", ((1, 0, 9),), (1, 9)),
        CheckSpec("birth_date", ((1, 13, 19),), (1, 19), digits=True),
        CheckSpec("expiry_date", ((1, 21, 27),), (1, 27), digits=True),
    ]
    if length == 44 and not visa:
        checks.append(CheckSpec("optional_data", ((1, 28, 42),), (1, 42), empty_ok=True))
    if not visa:
        spans = ((1, 0, 10), (1, 13, 20), (1, 21, length - 1))
        checks.append(CheckSpec("composite", spans, (1, length - 1)))
    return Layout(name, 2, length, fields, tuple(checks))


TD1 = Layout(
    "TD1", 3, 30,
    (
        _f("document_code", 0, 0, 2, "alpha"), _f("issuing_state", 0, 2, 5, "alpha"),
        _f("document_number", 0, 5, 14, "alnum"), _f("optional_data", 0, 15, 30, "alnum"),
        _f("birth_date", 1, 0, 6, "digit"), _f("sex", 1, 7, 8, "sex"),
        _f("expiry_date", 1, 8, 14, "digit"), _f("nationality", 1, 15, 18, "alpha"),
        _f("optional_data_2", 1, 18, 29, "alnum"), _f("names", 2, 0, 30, "name"),
    ),
    (
        CheckSpec("document_number", ((0, 5, 14),), (0, 14)),
        CheckSpec("birth_date", ((1, 0, 6),), (1, 6), digits=True),
        CheckSpec("expiry_date", ((1, 8, 14),), (1, 14), digits=True),
        CheckSpec("composite", ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)), (1, 29)),
    ),
)  # fmt: skip
TD2 = _two_line("TD2", 36, visa=False)
TD3 = _two_line("TD3", 44, visa=False)
MRVA = _two_line("MRVA", 44, visa=True)
MRVB = _two_line("MRVB", 36, visa=True)
FRA_ID = Layout(
    "FRA_ID", 2, 36,
    (
        _f("document_code", 0, 0, 2, "alpha"), _f("issuing_state", 0, 2, 5, "alpha"),
        _f("surname", 0, 5, 30, "name"), _f("optional_data", 0, 30, 36, "alnum"),
        _f("document_number", 1, 0, 12, "alnum"), _f("given_names", 1, 13, 27, "name"),
        # the card number is issue year and month, office (may hold a letter: 2A, 2B), serial
        _f("issue_month", 1, 0, 4, "digit"), _f("card_serial", 1, 7, 12, "digit"),
        _f("birth_date", 1, 27, 33, "digit"), _f("sex", 1, 34, 35, "sex"),
    ),
    (
        CheckSpec("document_number", ((1, 0, 12),), (1, 12)),
        CheckSpec("birth_date", ((1, 27, 33),), (1, 33), digits=True),
        CheckSpec("composite", ((0, 0, 36), (1, 0, 35)), (1, 35)),
    ),
)  # fmt: skip
LAYOUTS = {layout.name: layout for layout in (TD1, TD2, TD3, MRVA, MRVB, FRA_ID)}


def detect(lines: list[str]) -> Layout | None:
    """The format of normalised, equal-length lines, or None."""
    count, length = len(lines), len(lines[0]) if lines else 0
    if (count, length) == (3, 30):
        return TD1
    if count != 2 or length not in (36, 44):
        return None
    if lines[0].startswith("V"):
        return MRVA if length == 44 else MRVB
    if length == 36 and lines[0].startswith("IDFRA") and not lines[1][13:14].isdigit():
        return FRA_ID
    return TD3 if length == 44 else TD2
