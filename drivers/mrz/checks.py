"""ICAO 9303 check digits (weights 7, 3, 1) and the MRZ character classes."""

from __future__ import annotations

ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_VALUES = {ch: (int(ch) if ch.isdigit() else (0 if ch == "<" else ord(ch) - 55)) for ch in ALPHABET}

# Characters OCR confuses: digit-class fields take the digit, letter-class fields the letter.
TO_DIGIT = {"O": "0", "I": "1", "B": "8", "S": "5", "Z": "2", "G": "6"}
TO_LETTER = {v: k for k, v in TO_DIGIT.items()}
AMBIGUOUS = {**TO_DIGIT, **TO_LETTER}


def _table(weight: int) -> bytes:
    """A bytes.translate table: MRZ character → its value × weight (255 for others)."""
    table = bytearray([255]) * 256
    for ch, value in _VALUES.items():
        table[ord(ch)] = value * weight
    return bytes(table)


_T7, _T3, _T1 = _table(7), _table(3), _table(1)


def check_digit(text: str) -> int:
    """The 7-3-1 check digit of MRZ characters (``<`` counts 0); ValueError on others."""
    try:
        data = text.encode("ascii")
    except UnicodeEncodeError:
        data = b"\xff"
    a, b, c = data[0::3].translate(_T7), data[1::3].translate(_T3), data[2::3].translate(_T1)
    if 255 in a or 255 in b or 255 in c:
        bad = next(ch for ch in text if ch not in _VALUES)
        raise ValueError(f"{bad!r} is not an MRZ character")
    return (sum(a) + sum(b) + sum(c)) % 10


def verifies(text: str, digit: str) -> bool:
    """True when ``digit`` is the check digit of ``text``."""
    return digit.isascii() and digit.isdigit() and check_digit(text) == int(digit)
