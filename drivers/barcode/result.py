"""What every payload parser returns: kind, fields, checks, watchlist keys, warnings."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_FIELD = 16384
"""Longest text kept in one field: a whole payload (8192 bytes) as hex fits."""


def clean(text: str, max_len: int = MAX_FIELD) -> str:
    """Untrusted text without C0/C1 controls or Unicode format characters, bounded."""
    kept = [
        ch
        for ch in text[: max_len * 2]
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    ]
    return "".join(kept)[:max_len]


@dataclass(frozen=True)
class Check:
    """One validation step: ``ok`` is True, False, or None for "not checked"."""

    name: str
    ok: bool | None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        """The check as ``{"name", "result", "detail"}`` (result: ok/failed/not checked)."""
        result = "not checked" if self.ok is None else ("ok" if self.ok else "failed")
        return {"name": self.name, "result": result, "detail": self.detail}


@dataclass(frozen=True)
class ParsedPayload:
    """A barcode payload understood: what it is, what it says and whether it holds up.

    ``valid`` is True only for a recognised format whose checks all passed (or
    could not be run, like a signature with no trust store); ``keys`` are empty
    unless ``valid``, so a failed check digit never produces a watchlist hit.
    """

    kind: str
    valid: bool
    fields: Mapping[str, Any] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    keys: tuple[dict[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: ``kind, valid, fields, checks, keys, warnings``."""
        return {
            "kind": self.kind,
            "valid": self.valid,
            "fields": dict(self.fields),
            "checks": [c.to_json() for c in self.checks],
            "keys": [dict(k) for k in self.keys] if self.valid else [],
            "warnings": list(self.warnings),
        }


def build(
    kind: str,
    fields: Mapping[str, Any],
    checks: list[Check],
    keys: list[dict[str, Any]] | None = None,
    warnings: list[str] | None = None,
) -> ParsedPayload:
    """A ParsedPayload whose ``valid`` follows from its checks (no check failed)."""
    valid = all(c.ok is not False for c in checks)
    return ParsedPayload(
        kind=kind,
        valid=valid,
        fields=dict(fields),
        checks=tuple(checks),
        keys=tuple(keys or ()) if valid else (),
        warnings=tuple(warnings or ()),
    )


class PayloadError(ValueError):
    """A payload does not have the structure of the format it claims (parsers raise it)."""


# --- check characters -------------------------------------------------------

_LETTER_VALUES: dict[str, int] = {}


def _letter_values() -> dict[str, int]:
    """ISO 6346 letter values: A=10, counting up but skipping multiples of 11."""
    if not _LETTER_VALUES:
        value = 10
        for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            if value % 11 == 0:
                value += 1
            _LETTER_VALUES[letter] = value
            value += 1
    return _LETTER_VALUES


def iso6346_value(ch: str) -> int:
    """The numeric value of one character in ISO 6346 / EU MRN check calculations."""
    if "0" <= ch <= "9":
        return int(ch)
    try:
        return _letter_values()[ch]
    except KeyError:
        raise PayloadError(f"character {ch!r} has no ISO 6346 value") from None


def mod11_remainder(text: str) -> int:
    """Sum of ISO 6346 values × 2^position, mod 11."""
    return sum(iso6346_value(ch) << i for i, ch in enumerate(text)) % 11


def mod11_check(text: str) -> int:
    """ISO 6346 check digit of ``text``: the mod-11 remainder, 10 written as 0."""
    return mod11_remainder(text) % 10


def gs1_check(digits: str) -> int:
    """GS1 mod-10 check digit for ``digits`` (the data without its check digit)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return (10 - total % 10) % 10


def mrz_check(text: str) -> int:
    """ICAO 9303 check digit (weights 7, 3, 1; ``<`` is 0, A is 10)."""
    total = 0
    for i, ch in enumerate(text):
        if "0" <= ch <= "9":
            value = int(ch)
        elif "A" <= ch <= "Z":
            value = ord(ch) - 55
        else:
            value = 0
        total += value * (7, 3, 1)[i % 3]
    return total % 10


def clean_value(value: Any, depth: int = 0) -> Any:
    """A JSON-safe copy of parsed data: strings cleaned, containers bounded, bytes as hex."""
    if depth > 8:
        return None
    if isinstance(value, str):
        return clean(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, bytes):
        return value.hex()[:MAX_FIELD]
    if isinstance(value, Mapping):
        items = list(value.items())[:256]
        return {clean(str(k), 64): clean_value(v, depth + 1) for k, v in items}
    if isinstance(value, list | tuple):
        return [clean_value(v, depth + 1) for v in list(value)[:256]]
    return clean(str(value))


def sanitised(parsed: ParsedPayload) -> ParsedPayload:
    """``parsed`` with every untrusted string in it cleaned and bounded."""
    return ParsedPayload(
        kind=parsed.kind,
        valid=parsed.valid,
        fields=clean_value(parsed.fields),
        checks=tuple(Check(clean(c.name, 64), c.ok, clean(c.detail, 512)) for c in parsed.checks),
        keys=tuple(clean_value(k) for k in parsed.keys),
        warnings=tuple(clean(w, 512) for w in parsed.warnings[:32]),
    )
