"""GS1 element strings: application identifiers (AIs), FNC1/GS separators, check digits.

Accepts the raw form (AIs run together, variable-length fields ended by GS,
``\\x1d``, the transmitted form of FNC1) and the human-readable form
``(01)09501101530003(17)140704(10)AB-123``.
"""

from __future__ import annotations

import datetime as dt
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


def _fixed(title: str, n: int, check: bool = False) -> AiSpec:
    return AiSpec(title, n, check=n if check else 0)


def _var(title: str, n: int, numeric: bool = False, check: int = 0) -> AiSpec:
    return AiSpec(title, n, variable=True, numeric=numeric, check=check)


def _dated(title: str) -> AiSpec:
    return AiSpec(title, 6, date=True)


AIS: dict[str, AiSpec] = {
    "00": _fixed("SSCC", 18, True),
    "01": _fixed("GTIN", 14, True),
    "02": _fixed("CONTENT", 14, True),
    "10": _var("BATCH/LOT", 20),
    "11": _dated("PROD DATE"),
    "12": _dated("DUE DATE"),
    "13": _dated("PACK DATE"),
    "15": _dated("BEST BEFORE"),
    "16": _dated("SELL BY"),
    "17": _dated("USE BY"),
    "20": _fixed("VARIANT", 2),
    "21": _var("SERIAL", 20),
    "22": _var("CPV", 20),
    "235": _var("TPX", 28),
    "240": _var("ADDITIONAL ID", 30),
    "241": _var("CUST. PART No.", 30),
    "242": _var("MTO VARIANT", 6, numeric=True),
    "250": _var("SECONDARY SERIAL", 30),
    "251": _var("REF. TO SOURCE", 30),
    "253": _var("GDTI", 30, check=13),
    "254": _var("GLN EXTENSION COMPONENT", 20),
    "255": _var("GCN", 25, numeric=True, check=13),
    "30": _var("VAR. COUNT", 8, numeric=True),
    "37": _var("COUNT", 8, numeric=True),
    "400": _var("ORDER NUMBER", 30),
    "401": _var("GINC", 30),
    "402": _fixed("GSIN", 17, True),
    "403": _var("ROUTE", 30),
    "420": _var("SHIP TO POST", 20),
    "421": _var("SHIP TO POST", 12),
    "422": _fixed("ORIGIN", 3),
    "423": _var("COUNTRY - INITIAL PROCESS.", 15, numeric=True),
    "424": _fixed("COUNTRY - PROCESS.", 3),
    "425": _var("COUNTRY - DISASSEMBLY", 15, numeric=True),
    "426": _fixed("COUNTRY - FULL PROCESS", 3),
    "7001": _fixed("NSN", 13),
    "7003": _fixed("EXPIRY TIME", 10),
    "8003": _var("GRAI", 30),
    "8004": _var("GIAI", 30),
    "8006": AiSpec("ITIP", 18, check=14),
    "8017": _fixed("GSRN - PROVIDER", 18, True),
    "8018": _fixed("GSRN - RECIPIENT", 18, True),
    "8020": _var("REF No.", 25),
    "90": _var("INTERNAL", 30),
}
for _gln, _title in enumerate(("SHIP TO LOC", "BILL TO", "PURCHASE FROM", "SHIP FOR LOC")):
    AIS[str(410 + _gln)] = _fixed(_title, 13, True)
for _gln, _title in enumerate(("LOC No.", "PAY TO", "PROD/SERV LOC", "PARTY")):
    AIS[str(414 + _gln)] = _fixed(_title, 13, True)
for _internal in range(91, 100):
    AIS[str(_internal)] = _var("INTERNAL", 90)

_MEASURE_PREFIXES = {str(n) for n in range(310, 370)}
_AMOUNT_PREFIXES = {"390": ("AMOUNT", 15), "391": ("AMOUNT", 18), "392": ("PRICE", 15),
                    "393": ("PRICE", 18)}  # fmt: skip
HRI_RE = re.compile(r"^\((\d{2,4})\)")


def lookup(data: str) -> tuple[str, AiSpec]:
    """The AI at the start of ``data`` and its spec; PayloadError when unknown."""
    head4 = data[:4]
    if len(head4) == 4 and head4.isdigit():
        if head4[:3] in _MEASURE_PREFIXES:
            return head4, AiSpec(f"MEASURE {head4[:3]} (decimals {head4[3]})", 6)
        if head4[:3] in _AMOUNT_PREFIXES:
            title, n = _AMOUNT_PREFIXES[head4[:3]]
            return head4, _var(f"{title} (decimals {head4[3]})", n, numeric=True)
    for size in (2, 3, 4):
        ai = data[:size]
        if ai in AIS:
            return ai, AIS[ai]
    raise PayloadError(f"unknown application identifier at {data[:4]!r}")


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
        fields["elements"].append({"ai": ai, "title": spec.title, "value": value})
        fields["ai"].setdefault(ai, value)
        if spec.date and _date(value) is not None:
            fields.setdefault("dates", {})[ai] = _date_iso(value)
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
        ok = _date(value) is not None
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
