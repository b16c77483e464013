"""ICAO 9303 check digits (weights 7, 3, 1) and the MRZ character classes."""

from __future__ import annotations

ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_VALUES = {ch: (int(ch) if ch.isdigit() else (0 if ch == "<" else ord(ch) - 55)) for ch in ALPHABET}

# Characters OCR confuses: digit-class fields take the digit, letter-class fields the letter.
TO_LETTER = {"0": "O", "1": "I", "8": "B", "5": "S", "2": "Z", "6": "G"}
# Swapped either way under a check digit; a digit field also takes D as 0 (a worn 0 reads as D).
AMBIGUOUS = {**TO_LETTER, **{v: k for k, v in TO_LETTER.items()}}
TO_DIGIT = {**{v: k for k, v in TO_LETTER.items()}, "D": "0"}


def _table() -> bytes:
    """A bytes.translate table: MRZ character → its value (255 for others)."""
    table = bytearray([255]) * 256
    for ch, value in _VALUES.items():
        table[ord(ch)] = value
    return bytes(table)


_VALUE_TABLE = _table()


def check_digit(text: str) -> int:
    """The 7-3-1 check digit of MRZ characters (``<`` counts 0); ValueError on others."""
    try:
        values = text.encode("ascii").translate(_VALUE_TABLE)
    except UnicodeEncodeError:
        values = b"\xff"
    if 255 in values:
        bad = next(ch for ch in text if ch not in _VALUES)
        raise ValueError(f"{bad!r} is not an MRZ character")
    return (7 * sum(values[0::3]) + 3 * sum(values[1::3]) + sum(values[2::3])) % 10


def verifies(text: str, digit: str) -> bool:
    """True when ``digit`` is the check digit of ``text``."""
    return digit.isascii() and digit.isdigit() and check_digit(text) == int(digit)
