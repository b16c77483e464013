"""BER-TLV as smart cards and the LDS use it: one- to three-byte tags, definite lengths.

Sans-IO and strict: every length is checked against the bytes at hand, and anything that
does not fit raises :class:`TlvError` saying where and why.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


class ChipFormatError(ValueError):
    """Bytes from a chip or a file that do not have the structure the standard requires."""


class TlvError(ChipFormatError):
    """A TLV element is truncated, has a bad length or an unexpected tag."""


@dataclass(frozen=True)
class Tlv:
    """One element: its tag (as an int, e.g. 0x5F01), value, and total encoded length."""

    tag: int
    value: bytes
    size: int


def _read_tag(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise TlvError(f"tag expected at offset {pos}, data ends")
    tag, pos = data[pos], pos + 1
    if tag & 0x1F == 0x1F:
        for _ in range(3):
            if pos >= len(data):
                raise TlvError("multi-byte tag truncated")
            tag, pos = (tag << 8) | data[pos], pos + 1
            if not data[pos - 1] & 0x80:
                return tag, pos
        raise TlvError("tag longer than four bytes")
    return tag, pos


def _read_length(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise TlvError(f"length expected at offset {pos}, data ends")
    first, pos = data[pos], pos + 1
    if first < 0x80:
        return first, pos
    count = first & 0x7F
    if count == 0 or count > 4:
        raise TlvError(f"unsupported length form 0x{first:02X} at offset {pos - 1}")
    if pos + count > len(data):
        raise TlvError("length field truncated")
    return int.from_bytes(data[pos : pos + count], "big"), pos + count


def parse_one(data: bytes, pos: int = 0) -> Tlv:
    """The element starting at ``pos``."""
    tag, p = _read_tag(data, pos)
    length, p = _read_length(data, p)
    if p + length > len(data):
        raise TlvError(f"tag 0x{tag:X} says {length} bytes, only {len(data) - p} follow")
    return Tlv(tag, data[p : p + length], p + length - pos)


def header_length(data: bytes) -> tuple[int, int]:
    """(header size, value length) of the element at the start of ``data`` (file sizing)."""
    tag_end = _read_tag(data, 0)[1]
    length, end = _read_length(data, tag_end)
    return end, length


def iter_tlv(data: bytes) -> Iterator[Tlv]:
    """Every element of a concatenation, in order."""
    pos = 0
    while pos < len(data):
        item = parse_one(data, pos)
        pos += item.size
        yield item


def parse_all(data: bytes) -> dict[int, bytes]:
    """Tag → value of a concatenation (the first element wins for a repeated tag)."""
    out: dict[int, bytes] = {}
    for item in iter_tlv(data):
        out.setdefault(item.tag, item.value)
    return out


def expect(data: bytes, tag: int) -> bytes:
    """The value of the single element ``data`` must be, with tag ``tag``."""
    item = parse_one(data)
    if item.tag != tag:
        raise TlvError(f"expected tag 0x{tag:X}, found 0x{item.tag:X}")
    if item.size != len(data):
        raise TlvError(f"{len(data) - item.size} bytes after tag 0x{tag:X}")
    return item.value


def encode_length(length: int) -> bytes:
    """DER length octets."""
    if length < 0x80:
        return bytes([length])
    raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def encode(tag: int, value: bytes) -> bytes:
    """One element."""
    return tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big") + encode_length(len(value)) + value
