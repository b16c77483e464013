"""IATA Bar Coded Boarding Passes (Resolution 792, format ``M``): the mandatory items."""

from __future__ import annotations

import re
from typing import Any

from drivers.barcode.result import Check, ParsedPayload, build

MIN_LENGTH = 60
LEG_ITEMS = (  # name, start, end within the first leg
    ("pnr", 23, 30),
    ("from", 30, 33),
    ("to", 33, 36),
    ("carrier", 36, 39),
    ("flight", 39, 44),
    ("julian_date", 44, 47),
    ("compartment", 47, 48),
    ("seat", 48, 52),
    ("sequence", 52, 57),
    ("status", 57, 58),
)


def looks_like(text: str) -> bool:
    """True for ``M`` + leg count 1-4 and at least the mandatory length."""
    return len(text) >= MIN_LENGTH and re.match(r"^M[1-4]", text) is not None


def parse(text: str) -> ParsedPayload:
    """Parse the mandatory items of the first leg and the passenger name."""
    surname, _, given = text[2:22].strip().partition("/")
    leg: dict[str, Any] = {k: text[a:b].strip() for k, a, b in LEG_ITEMS}
    fields = {
        "legs": int(text[1]),
        "passenger_name": text[2:22].strip(),
        "eticket": text[22] == "E",
        **leg,
    }
    julian = leg["julian_date"]
    checks = [
        Check("airports", bool(re.match(r"^[A-Z]{6}$", leg["from"] + leg["to"])), "IATA codes"),
        Check("flight date", julian.isdigit() and 1 <= int(julian) <= 366, julian),
        Check("conditional size", _hex2(text[58:60]), text[58:60]),
    ]
    keys = []
    if surname.strip():
        names = _given(given)
        person = {"kind": "person", "surname": surname.strip(), "given_names": names,
                  "birth_date": None, "nationality": None, "sex": None}  # fmt: skip
        cut = _cut_short(text[2:22], names, given)
        if cut:
            person["cut_short"] = cut
        keys.append(person)
    return build("bcbp", fields, checks, keys)


def _cut_short(field: str, given: str, written: str) -> str | None:
    """Which name a passenger name that fills its 20 characters may have lost the end of
    (a person key's ``cut_short``): the given names, or the surname when there are none; not
    a name that ends with a title, which is whole."""
    if len(field) < 20 or field[-1] == " " or given != " ".join(written.split()):
        return None
    return "given_names" if given else "surname"


def _given(text: str) -> str:
    """Given names without a trailing title (MR, MRS, MS …)."""
    words = text.split()
    if words and words[-1] in ("MR", "MRS", "MS", "MISS", "MSTR", "DR"):
        words = words[:-1]
    return " ".join(words)


def _hex2(text: str) -> bool:
    return len(text) == 2 and all(c in "0123456789ABCDEFabcdef" for c in text)
