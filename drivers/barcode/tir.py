"""TIR carnet reference numbers: two letters and eight digits (format check only)."""

from __future__ import annotations

import re

from drivers.barcode.result import Check, ParsedPayload, build

TIR_RE = re.compile(r"^(?:TIR\s*)?([A-Z]{2})\s?(\d{2})\s?(\d{6})$")
"""A carnet number such as ``XE12345678`` or ``XE 12 345678`` (optionally ``TIR`` first)."""


def looks_like(text: str) -> bool:
    """True when ``text`` has the shape of a TIR carnet number."""
    return bool(TIR_RE.match(text))


def parse(text: str) -> ParsedPayload:
    """Parse a TIR carnet number; the format is all that can be checked offline."""
    match = TIR_RE.match(text)
    if match is None:  # pragma: no cover - guarded by looks_like
        return build("tir", {"text": text}, [Check("format", False, "not a TIR carnet number")])
    series, first, rest = match.groups()
    number = series + first + rest
    checks = [
        Check("format", True, "two letters and eight digits"),
        Check("check digit", None, "TIR carnet numbers carry no check digit"),
    ]
    fields = {"number": number, "series": series}
    keys = [{"kind": "document", "number": number, "issuer": None, "type": "TIR"}]
    return build("tir", fields, checks, keys)
