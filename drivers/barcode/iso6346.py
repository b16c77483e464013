"""ISO 6346 freight container numbers: owner code, category, serial, check digit."""

from __future__ import annotations

import re

from drivers.barcode.result import Check, ParsedPayload, build, mod11_check, mod11_remainder

CONTAINER_RE = re.compile(r"^([A-Z]{3})([A-Z])\s?(\d{6})\s?-?\s?(\d)$")
"""A container number, optionally written with spaces ``CSQU 305438 3``."""

CATEGORIES = {
    "U": "freight container",
    "J": "detachable freight container-related equipment",
    "Z": "trailer or chassis",
}


def looks_like(text: str) -> bool:
    """True when ``text`` has the shape of a container number (any category letter)."""
    return bool(CONTAINER_RE.match(text))


def check_digit(first10: str) -> str:
    """The check digit for owner code, category and serial (10 characters)."""
    return str(mod11_check(first10))


def parse(text: str) -> ParsedPayload:
    """Parse and verify one container number (the caller matched :func:`looks_like`)."""
    match = CONTAINER_RE.match(text)
    if match is None:  # pragma: no cover - guarded by looks_like
        return build("container", {"text": text}, [Check("format", False, "not ISO 6346")])
    owner, category, serial, digit = match.groups()
    number = owner + category + serial + digit
    expected = check_digit(number[:10])
    checks = [
        Check("category", category in CATEGORIES, f"{category!r} must be one of U, J, Z"),
        Check("check digit", digit == expected, f"expected {expected}, got {digit}"),
    ]
    fields = {
        "number": number,
        "owner_code": owner,
        "category": category,
        "category_name": CATEGORIES.get(category, "unknown"),
        "serial": serial,
        "check_digit": digit,
    }
    warnings = []
    if mod11_remainder(number[:10]) == 10:
        warnings.append("remainder 10 (check digit 0): ISO 6346 says such numbers are not issued")
    return build("container", fields, checks, [{"kind": "container", "number": number}], warnings)
