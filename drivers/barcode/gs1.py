"""GS1 element strings: application identifiers (AIs), FNC1/GS separators, check digits.

Every AI in GS1's syntax dictionary is known (the table biip ships, kept current
upstream): its data title, length, character set and whether FNC1 must end it.
Check digits, YYMMDD dates (day 00 = end of month) and decimal AIs (``310n``–``369n``,
``390n``–``395n``: the last AI digit places the decimal point) are read out.

Accepts the raw form (AIs run together, variable-length fields ended by GS,
``\\x1d``, the transmitted form of FNC1) and the human-readable form
``(01)09501101530003(17)140704(10)AB-123``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from drivers.barcode.result import Check, ParsedPayload, PayloadError, build, gs1_check

GS = "\x1d"
MAX_ELEMENTS = 64


@dataclass(frozen=True)
class AiSpec:
    """How one application identifier's data is written."""

    title: str
    length: int  # fixed data length, or the maximum when ``variable``
    variable: bool = False
    numeric: bool = True
    check: int = 0  # check digit at the end of the first ``check`` digits (0: none)
    date: bool = False


CHECK_DIGITS = {"00": 18, "01": 14, "02": 14, "253": 13, "255": 13, "402": 17, "8003": 14,
                "8006": 14, "8017": 18, "8018": 18, "8026": 14}  # fmt: skip
CHECK_DIGITS.update({str(ai): 13 for ai in range(410, 418)})
"""AIs whose first N digits end in a GS1 mod-10 check digit (GS1 General Specifications
3.2 and the syntax dictionary's ``csum`` marks): SSCC, GTIN, GDTI, GCN, GSIN, GLNs, GRAI,
ITIP, GSRN."""
DECIMAL_PREFIXES = tuple(str(n) for n in (*range(310, 370), *range(390, 396)))
"""Four-digit AIs whose last digit places the decimal point (measures, amounts, prices)."""
CURRENCY_FIRST = ("391", "393")
"""Decimal AIs whose value starts with an ISO 4217 currency code (three digits)."""


def _spec(title: str, description: str, fmt: str, separator: bool) -> AiSpec:
    """An AI's spec from its GS1 data title, description and format (``N2+N14``,
    ``N3+X..20``, ``N4+N6[+N6]`` …) as the GS1 syntax dictionary writes them."""
    parts = fmt.split("+")[1:]
    sizes = [int(found[-1]) if (found := re.findall(r"\d+", p)) else 1 for p in parts]
    variable = separator or any(".." in p or "[" in p for p in parts)
    numeric = all(p.lstrip("[").startswith("N") for p in parts)
    return AiSpec(title, sum(sizes), variable, numeric, date="(YYMMDD" in description)


@functools.lru_cache(maxsize=1024)
def _known(data: str) -> tuple[str, AiSpec] | None:
    """The AI that ``data`` (its first four characters) starts with, and its spec."""
    from biip import ParseError
    from biip.gs1_application_identifiers import GS1ApplicationIdentifier

    try:
        entry = GS1ApplicationIdentifier.extract(data)
    except ParseError:
        return None
    spec = _spec(entry.data_title, entry.description, entry.format, entry.separator_required)
    return entry.ai, dataclasses.replace(spec, check=CHECK_DIGITS.get(entry.ai, 0))


HRI_RE = re.compile(r"^\((\d{2,4})\)")


def lookup(data: str) -> tuple[str, AiSpec]:
    """The AI at the start of ``data`` and its spec (every AI in GS1's syntax dictionary, as
    biip ships it); PayloadError when unknown."""
    found = _known(data[:4]) if data[:2].isdigit() else None
    if found is None:
        raise PayloadError(f"unknown application identifier at {data[:4]!r}")
    return found


def decimal(ai: str, value: str) -> str | None:
    """The value of a decimal AI (``3103`` ``000750`` → ``0.750``), else None."""
    if len(ai) != 4 or not ai.startswith(DECIMAL_PREFIXES) or not value.isdigit():
        return None
    digits = value[3:] if ai.startswith(CURRENCY_FIRST) else value
    places = int(ai[3])
    if not digits or places > len(digits) + 9:
        return None
    whole, frac = digits[: len(digits) - places] or "0", digits[len(digits) - places :]
    number = (whole.lstrip("0") or "0") + ("." + frac.rjust(places, "0") if places else "")
    return f"{value[:3]} {number}" if ai.startswith(CURRENCY_FIRST) else number


def looks_like(text: str) -> bool:
    """True for a GS1 element string in raw (with GS) or human-readable form."""
    if HRI_RE.match(text):
        return True
    body = text.lstrip(GS)
    return GS in body and body[:2].isdigit()


def plausible(text: str) -> bool:
    """True for a bare element string (no GS, no AIM) that starts with an SSCC/GTIN AI
    and parses with every check passing — what a camera reading GS1-128 gives."""
    if text[:2] not in ("00", "01", "02") or not text[:18].isdigit():
        return False
    elements, error = split(text)
    return error is None and bool(elements) and build_ok(elements)


def build_ok(elements: list[tuple[str, AiSpec, str]]) -> bool:
    """True when no element check fails."""
    return all(c.ok is not False for ai, spec, v in elements for c in _element_checks(ai, spec, v))


def parse(text: str) -> ParsedPayload:
    """Parse a GS1 element string; every AI's check digit and date are checked."""
    elements, error = split(text)
    checks: list[Check] = [Check("structure", error is None, error or "all AIs known")]
    fields: dict[str, Any] = {"elements": [], "ai": {}}
    for ai, spec, value in elements:
        checks.extend(_element_checks(ai, spec, value))
        element = {"ai": ai, "title": spec.title, "value": value}
        fields["ai"].setdefault(ai, value)
        if spec.date and _date(value[:6]) is not None:
            fields.setdefault("dates", {})[ai] = _date_iso(value[:6])
        if (number := decimal(ai, value)) is not None:
            fields.setdefault("decimals", {})[ai] = element["decimal"] = number
        fields["elements"].append(element)
    if not elements:
        checks.append(Check("elements", False, "no element string found"))
    return build("gs1", fields, checks)


def split(text: str) -> tuple[list[tuple[str, AiSpec, str]], str | None]:
    """Elements ``(ai, spec, value)`` and an error for the part that could not be read."""
    if HRI_RE.match(text):
        return _split_hri(text)
    data = text.lstrip(GS)
    out: list[tuple[str, AiSpec, str]] = []
    try:
        while data and len(out) < MAX_ELEMENTS:
            ai, spec = lookup(data)
            value, data = _take(data[len(ai) :], spec)
            out.append((ai, spec, value))
            data = data.lstrip(GS)
    except PayloadError as exc:
        return out, str(exc)
    return out, None if not data else "too many elements"


def _take(rest: str, spec: AiSpec) -> tuple[str, str]:
    """Split one element's value off ``rest`` by the AI's length rules."""
    if spec.variable:
        end = rest.find(GS)
        end = len(rest) if end < 0 else end
        if end > spec.length:
            raise PayloadError(f"{spec.title} longer than {spec.length} characters")
        return rest[:end], rest[end:]
    if len(rest) < spec.length:
        raise PayloadError(f"{spec.title} needs {spec.length} characters, got {len(rest)}")
    return rest[: spec.length], rest[spec.length :]


def _split_hri(text: str) -> tuple[list[tuple[str, AiSpec, str]], str | None]:
    """Elements of the bracketed human-readable form."""
    out: list[tuple[str, AiSpec, str]] = []
    for match in re.finditer(r"\((\d{2,4})\)([^()]*)", text[:4096]):
        ai, value = match.groups()
        try:
            found, spec = lookup(ai + value)
        except PayloadError as exc:
            return out, str(exc)
        if found != ai:
            return out, f"({ai}) is not an application identifier"
        out.append((ai, spec, value))
    return out[:MAX_ELEMENTS], None


def _element_checks(ai: str, spec: AiSpec, value: str) -> list[Check]:
    """Length, character set, check digit and date checks for one element."""
    checks: list[Check] = []
    if not spec.variable and len(value) != spec.length:
        checks.append(Check(f"AI {ai} length", False, f"{len(value)} != {spec.length}"))
    if spec.numeric and not (value.isdigit() and value.isascii()):
        checks.append(Check(f"AI {ai} digits", False, "must be digits only"))
        return checks
    if spec.check and len(value) >= spec.check and value[: spec.check].isdigit():
        body, digit = value[: spec.check - 1], value[spec.check - 1]
        expected = gs1_check(body)
        checks.append(Check(f"AI {ai} check digit", int(digit) == expected, f"expected {expected}"))
    if spec.date:
        ok = _date(value[:6]) is not None
        checks.append(Check(f"AI {ai} date", ok, value if ok else f"{value!r} is not YYMMDD"))
    return checks


def _date(value: str) -> dt.date | None:
    """A GS1 YYMMDD date (day 00 means the last day of the month), or None."""
    if len(value) != 6 or not value.isdigit():
        return None
    year = _century(int(value[:2]))
    month, day = int(value[2:4]), int(value[4:6])
    try:
        if day == 0:
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_iso(value: str) -> str:
    found = _date(value)
    return found.isoformat() if found else value


def _century(yy: int) -> int:
    """GS1 sliding century window around the current year."""
    this = dt.date.today().year
    diff = yy - this % 100
    base = this - this % 100
    if diff >= 51:
        base -= 100
    elif diff <= -50:
        base += 100
    return base + yy


def gtin_parse(digits: str) -> ParsedPayload:
    """A bare GTIN-8/12/13/14 from an EAN/UPC/ITF symbol."""
    expected = gs1_check(digits[:-1])
    ok = int(digits[-1]) == expected
    checks = [Check("check digit", ok, f"expected {expected}, got {digits[-1]}")]
    return build("gs1", {"gtin": digits.zfill(14), "ai": {"01": digits.zfill(14)}}, checks)
