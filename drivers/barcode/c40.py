"""C40 encoding as ICAO 9303 Part 13 uses it: three characters in two bytes."""

from __future__ import annotations

from drivers.barcode.result import PayloadError

_ALPHABET = "   <0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
"""C40 values 0-39: 0-2 are shifts (only ever padding here), 3 is space (shown as ``<``)."""


def decode(data: bytes) -> str:
    """C40 bytes to text; space decodes to ``<`` as in an MRZ."""
    if len(data) % 2:
        raise PayloadError("C40 data has an odd number of bytes")
    out: list[str] = []
    for i in range(0, len(data), 2):
        first, second = data[i], data[i + 1]
        if first == 0xFE:
            out.append(_single(second))
            continue
        value = first * 256 + second - 1
        if value < 0 or value >= 64000:
            raise PayloadError(f"C40 value {value + 1} out of range")
        for part in (value // 1600, value // 40 % 40, value % 40):
            if part >= 3:
                out.append(_ALPHABET[part])
    return "".join(out)


def _single(byte: int) -> str:
    """The character after an 0xFE unlatch: ASCII value + 1."""
    ch = chr(byte - 1) if byte else ""
    if not (ch.isascii() and (ch.isalnum() or ch in " <")):
        raise PayloadError("C40 single character out of range")
    return "<" if ch == " " else ch


def _value(ch: str) -> int:
    if ch == " ":
        return 3
    index = _ALPHABET.find(ch, 3)
    if index < 0:
        raise PayloadError(f"{ch!r} cannot be C40 encoded")
    return index


def encode(text: str) -> bytes:
    """Text (A-Z, 0-9, ``<`` or space) to C40 bytes, padded as ICAO 9303 Part 13 says."""
    out = bytearray()
    for i in range(0, len(text) - len(text) % 3, 3):
        a, b, c = (_value(ch) for ch in text[i : i + 3])
        out += (1600 * a + 40 * b + c + 1).to_bytes(2, "big")
    rest = text[len(text) - len(text) % 3 :]
    if len(rest) == 2:
        a, b = (_value(ch) for ch in rest)
        out += (1600 * a + 40 * b + 1).to_bytes(2, "big")
    elif len(rest) == 1:
        _value(rest)
        out += bytes([0xFE, ord(" " if rest == "<" else rest) + 1])
    return bytes(out)
