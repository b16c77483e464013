"""The logical data structure (ICAO 9303-10): EF.COM and the data groups an inspection reads.

Each parser takes the raw bytes of one file, as read, and returns a frozen dataclass or
raises :class:`~drivers.chip.tlv.ChipFormatError` saying what is wrong. Text from the chip
is untrusted: it is kept as read here and sanitised where it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import keys

from drivers.chip.pace import SecurityInfos
from drivers.chip.tlv import ChipFormatError, TlvError, expect, iter_tlv, parse_all

DG_TAGS = {0x61: 1, 0x75: 2, 0x63: 3, 0x76: 4, 0x65: 5, 0x66: 6, 0x67: 7, 0x68: 8, 0x69: 9,
           0x6A: 10, 0x6B: 11, 0x6C: 12, 0x6D: 13, 0x6E: 14, 0x6F: 15, 0x70: 16}  # fmt: skip
"""Outer tag of each data group → its number."""
TAG_OF_DG = {n: tag for tag, n in DG_TAGS.items()}
FID_OF_DG = {n: 0x0100 + n for n in range(1, 17)}
"""File identifiers: DG1 is 0101 … DG16 0110."""
FID_COM, FID_SOD, FID_CARD_ACCESS = 0x011E, 0x011D, 0x011C


@dataclass(frozen=True)
class ChipFiles:
    """The files of one read document, raw as read (from a chip or a folder)."""

    com: bytes | None
    sod: bytes | None
    data_groups: dict[int, bytes]


@dataclass(frozen=True)
class EfCom:
    """EF.COM: LDS and Unicode versions and the data groups the chip says it holds."""

    lds_version: str
    unicode_version: str
    data_groups: tuple[int, ...]


def parse_com(data: bytes) -> EfCom:
    """EF.COM (tag 60)."""
    fields = _fields(data, 0x60, "EF.COM")
    if 0x5C not in fields:
        raise ChipFormatError("EF.COM has no data group list (tag 5C)")
    unknown = [t for t in fields[0x5C] if t not in DG_TAGS]
    if unknown:
        raise ChipFormatError(f"EF.COM lists unknown data group tags {bytes(unknown).hex()}")
    dgs = tuple(DG_TAGS[t] for t in fields[0x5C])
    return EfCom(_text(fields.get(0x5F01, b"")), _text(fields.get(0x5F36, b"")), dgs)


def _fields(data: bytes, tag: int, what: str) -> dict[int, bytes]:
    try:
        return parse_all(expect(data, tag))
    except TlvError as exc:
        raise ChipFormatError(f"{what}: {exc}") from exc


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def dg_number(data: bytes) -> int:
    """The data group a file holds, from its outer tag."""
    if not data or data[0] not in DG_TAGS:
        raise ChipFormatError(f"not a data group (outer tag {data[:1].hex() or 'missing'})")
    return DG_TAGS[data[0]]


def parse_dg1(data: bytes) -> tuple[str, ...]:
    """DG1: the MRZ as lines (2×44, 2×36 or 3×30 characters)."""
    mrz = _text(_fields(data, 0x61, "DG1").get(0x5F1F, b""))
    width = {88: 44, 72: 36, 90: 30}.get(len(mrz))
    if width is None:
        raise ChipFormatError(f"DG1 MRZ of {len(mrz)} characters is not a TD1, TD2 or TD3 zone")
    return tuple(mrz[i : i + width] for i in range(0, len(mrz), width))


@dataclass(frozen=True)
class FaceImage:
    """One face image of DG2: its encoding (``jpeg`` / ``jpeg2000``), size and bytes."""

    format: str
    width: int
    height: int
    data: bytes


def parse_dg2(data: bytes) -> list[FaceImage]:
    """DG2: the face images of the biometric templates (ISO/IEC 19794-5 records)."""
    group = _fields(data, 0x75, "DG2").get(0x7F61)
    if group is None:
        raise ChipFormatError("DG2 has no biometric information group template (7F61)")
    try:
        templates = [t.value for t in iter_tlv(group) if t.tag == 0x7F60]
        blocks = [_bdb(parse_all(t)) for t in templates]
    except TlvError as exc:
        raise ChipFormatError(f"DG2: {exc}") from exc
    return [img for block in blocks for img in _faces(block)]


def _bdb(template: dict[int, bytes]) -> bytes:
    block = template.get(0x5F2E, template.get(0x7F2E))
    if block is None:
        raise ChipFormatError("DG2 template without a biometric data block (5F2E/7F2E)")
    return block


def _faces(block: bytes) -> list[FaceImage]:
    if block[:4] != b"FAC\x00" or len(block) < 14:
        raise ChipFormatError("DG2 biometric data block is not an ISO 19794-5 face record")
    count, pos, out = int.from_bytes(block[12:14], "big"), 14, []
    for _ in range(count):
        length = int.from_bytes(block[pos : pos + 4], "big")
        if length < 32 or pos + length > len(block):
            raise ChipFormatError(f"DG2 face record of {length} bytes does not fit the block")
        out.append(_face(block[pos : pos + length]))
        pos += length
    return out


def _face(record: bytes) -> FaceImage:
    points = int.from_bytes(record[4:6], "big")
    info = 20 + 8 * points
    if info + 12 > len(record):
        raise ChipFormatError("DG2 face record too short for its feature points")
    kind = {0: "jpeg", 1: "jpeg2000"}.get(record[info + 1])
    if kind is None:
        raise ChipFormatError(f"DG2 image data type {record[info + 1]} is not JPEG or JPEG 2000")
    width = int.from_bytes(record[info + 2 : info + 4], "big")
    height = int.from_bytes(record[info + 4 : info + 6], "big")
    return FaceImage(kind, width, height, record[info + 12 :])


DG11_FIELDS = {0x5F0E: "full_name", 0x5F10: "personal_number", 0x5F11: "place_of_birth",
               0x5F2B: "date_of_birth", 0x5F42: "address", 0x5F12: "telephone",
               0x5F13: "profession", 0x5F14: "title", 0x5F15: "personal_summary",
               0x5F17: "other_travel_documents", 0x5F18: "custody"}  # fmt: skip
DG12_FIELDS = {0x5F19: "issuing_authority", 0x5F26: "date_of_issue", 0x5F1B: "endorsements",
               0x5F1C: "tax_exit_requirements", 0x5F55: "personalisation_time",
               0x5F56: "personalisation_device"}  # fmt: skip


def parse_text_dg(data: bytes) -> dict[str, str]:
    """DG11 (additional personal details) or DG12 (document details): named text fields."""
    number = dg_number(data)
    names = {11: DG11_FIELDS, 12: DG12_FIELDS}.get(number)
    if names is None:
        raise ChipFormatError(f"DG{number} is not a text data group (DG11 or DG12)")
    fields = _fields(data, TAG_OF_DG[number], f"DG{number}")
    return {name: _text(fields[tag]) for tag, name in names.items() if tag in fields}


@dataclass(frozen=True)
class ChipSecurity:
    """DG14: the protocols the chip supports (OIDs) and its chip-authentication public keys."""

    protocols: tuple[str, ...]
    public_keys: tuple[bytes, ...]


def parse_dg14(data: bytes) -> ChipSecurity:
    """DG14 (SecurityInfos for chip authentication, PACE, terminal authentication)."""
    raw = expect_dg(data, 14)
    try:
        infos = SecurityInfos.load(raw, strict=True)
        oids = tuple(i["protocol"].dotted for i in infos)
        pks = tuple(i["required"].dump() for i in infos if i["protocol"].dotted.startswith(_CA_PK))
    except (ValueError, TypeError, KeyError) as exc:
        raise ChipFormatError(f"DG14 is not a SecurityInfos set: {exc}") from exc
    return ChipSecurity(oids, pks)


_CA_PK = "0.4.0.127.0.7.2.2.1"
"""id-PK: chip authentication public key infos."""


def parse_dg15(data: bytes) -> keys.PublicKeyInfo:
    """DG15: the active-authentication public key (RSA or EC SubjectPublicKeyInfo)."""
    raw = expect_dg(data, 15)
    try:
        info = keys.PublicKeyInfo.load(raw, strict=True)
        _ = info["algorithm"]["algorithm"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise ChipFormatError(f"DG15 is not a public key: {exc}") from exc
    return info


def expect_dg(data: bytes, number: int) -> bytes:
    """The content of data group ``number`` (its outer tag checked)."""
    try:
        return expect(data, TAG_OF_DG[number])
    except TlvError as exc:
        raise ChipFormatError(f"DG{number}: {exc}") from exc
