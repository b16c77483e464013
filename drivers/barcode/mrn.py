"""EU customs Movement Reference Numbers (18 characters, ISO 6346 mod-11 check).

Layout: ``YY`` year, ``CC`` ISO country of the office, a unique part, and a
check digit. In the Union Customs Code / NCTS phase 5 layout the 17th
character is a letter naming the procedure (``J`` transit only …); the legacy
layout has 13 free characters before the check digit.
"""

from __future__ import annotations

import re
from typing import Any

from drivers.barcode.result import Check, ParsedPayload, build, mod11_check

MRN_RE = re.compile(r"^\d{2}[A-Z]{2}[A-Z0-9]{13}[0-9]$")
"""Shape of an MRN, before its check digit is verified."""

PROCEDURES: dict[str, str] = {
    "A": "export only",
    "B": "export and exit summary declaration",
    "C": "exit summary declaration only",
    "D": "re-export notification",
    "E": "dispatch of goods to or from special fiscal territories",
    "J": "transit declaration only",
    "K": "transit declaration and exit summary declaration",
    "L": "transit declaration and entry summary declaration",
    "M": "transit declaration, exit and entry summary declarations",
    "N": "proof of the customs status of Union goods",
    "R": "import declaration only",
    "S": "import declaration and entry summary declaration",
    "T": "entry summary declaration only",
    "U": "temporary storage declaration",
    "V": "introduction of goods to or from special fiscal territories",
    "W": "temporary storage and entry summary declarations",
}
"""UCC procedure letters (17th character) this parser names."""


def looks_like(text: str) -> bool:
    """True when ``text`` has the shape of an MRN (check digit not yet verified)."""
    return bool(MRN_RE.match(text))


def check_char(body: str) -> str:
    """The check digit for the first 17 characters of an MRN."""
    return str(mod11_check(body))


def parse(text: str) -> ParsedPayload:
    """Parse and verify one MRN (the caller has matched :func:`looks_like`)."""
    expected = check_char(text[:17])
    checks = [Check("check digit", text[17] == expected, f"expected {expected}, got {text[17]}")]
    fields, warnings = _fields(text)
    keys = [{"kind": "mrn", "mrn": text}]
    return build("mrn", fields, checks, keys, warnings)


def _fields(text: str) -> tuple[dict[str, Any], list[str]]:
    """The named parts of an MRN and any warnings about them."""
    letter = text[16]
    fields: dict[str, Any] = {
        "mrn": text,
        "year": 2000 + int(text[:2]),
        "country": text[2:4],
        "check_digit": text[17],
    }
    warnings: list[str] = []
    if letter in PROCEDURES and int(text[:2]) >= 21:  # UCC layout from 2021 on
        fields.update(
            layout="ucc",
            unique=text[4:16],
            procedure=letter,
            procedure_name=PROCEDURES[letter],
        )
    else:
        fields.update(layout="legacy", unique=text[4:17])
        if letter.isalpha() and int(text[:2]) >= 21:
            warnings.append(f"17th character {letter!r} is not a known UCC procedure letter")
    return fields, warnings
