"""ICAO 9303 check digits (weights 7, 3, 1) and the MRZ character classes."""

from __future__ import annotations

from operator import mul

ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_VALUES = {ch: (int(ch) if ch.isdigit() else (0 if ch == "<" else ord(ch) - 55)) for ch in ALPHABET}
_WEIGHT_CYCLE = (7, 3, 1) * 40  # long enough for the longest composite

# Characters OCR confuses: digit-class fields take the digit, letter-class fields the letter.
TO_DIGIT = {"O": "0", "I": "1", "B": "8", "S": "5", "Z": "2", "G": "6"}
TO_LETTER = {v: k for k, v in TO_DIGIT.items()}
AMBIGUOUS = {**TO_DIGIT, **TO_LETTER}


def check_digit(text: str) -> int:
    """The 7-3-1 check digit of MRZ characters (``<`` counts 0); ValueError on others."""
    try:
        total: int = sum(map(mul, map(_VALUES.__getitem__, text), _WEIGHT_CYCLE))
        return total % 10
    except KeyError as exc:
        raise ValueError(f"{exc.args[0]!r} is not an MRZ character") from None


def verifies(text: str, digit: str) -> bool:
    """True when ``digit`` is the check digit of ``text``."""
    return digit.isascii() and digit.isdigit() and check_digit(text) == int(digit)
