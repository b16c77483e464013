"""ICAO Doc 9303 Part 13 visible digital seals (the binary DataMatrix form).

A seal is a header (magic ``0xDC``, version, C40 issuing country, signer and
certificate reference, issue and signature dates, feature reference and
document type), a message zone of TLVs and a signature zone (tag ``0xFF``,
raw ECDSA ``r || s``) over header and message. Visas and residence permits
are mapped to MRZ-like person and document fields for screening.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from drivers.barcode import c40
from drivers.barcode.mrzline import mrz_fields
from drivers.barcode.result import Check, ParsedPayload, PayloadError, build
from drivers.barcode.trust import TrustStore

MAGIC = 0xDC
SIGNATURE_TAG = 0xFF
MAX_SEAL = 4096
PROFILES: dict[tuple[int, int], str] = {(0x5D, 0x01): "visa", (0xFB, 0x06): "residence_permit"}
"""(feature definition reference, document type category) → profile name."""
VISA_TAGS = {1: "mrz_mrva", 2: "mrz_mrvb", 3: "entries", 4: "duration", 5: "passport", 6: "type"}
PERMIT_TAGS = {2: "mrz_td2", 3: "passport"}


@dataclass(frozen=True)
class Header:
    """The seal header."""

    version: int  # 3 or 4 (the byte is version - 1)
    country: str
    signer: str
    cert_ref: str
    issued: dt.date | None
    signed: dt.date | None
    feature_ref: int
    type_category: int
    length: int  # bytes the header occupies


@dataclass(frozen=True)
class Seal:
    """A seal split into its zones."""

    header: Header
    message: tuple[tuple[int, bytes], ...]
    signed_data: bytes
    signature: bytes | None


def looks_like(data: bytes) -> bool:
    """True when ``data`` starts like a seal (magic byte and version 3 or 4)."""
    return len(data) >= 12 and data[0] == MAGIC and data[1] in (0x02, 0x03)


def parse_header(data: bytes) -> Header:
    """The header at the start of ``data``; PayloadError when short or malformed."""
    if not looks_like(data):
        raise PayloadError("not a visible digital seal header")
    country = c40.decode(data[2:4])
    signer, ref, pos = _identifier(data) if data[1] == 0x03 else _identifier_v3(data)
    fixed = _need(data, pos, 8)
    return Header(
        version=data[1] + 1,
        country=country,
        signer=signer,
        cert_ref=ref,
        issued=decode_date(fixed[0:3]),
        signed=decode_date(fixed[3:6]),
        feature_ref=fixed[6],
        type_category=fixed[7],
        length=pos + 8,
    )


def _identifier_v3(data: bytes) -> tuple[str, str, int]:
    """Version 3: signer (4) and certificate reference (5) in 6 C40 bytes."""
    ident = c40.decode(_need(data, 4, 6))
    return ident[:4], ident[4:], 10


def _identifier(data: bytes) -> tuple[str, str, int]:
    """Version 4: signer (4), reference length (2 hex), reference — all C40."""
    head = c40.decode(_need(data, 4, 4))
    if not _is_hex(head[4:6]):
        raise PayloadError("certificate reference length is not hex")
    ref_len = int(head[4:6], 16)
    n = 2 * -(-ref_len // 3)
    return head[:4], c40.decode(_need(data, 8, n))[:ref_len], 8 + n


def split(data: bytes) -> Seal:
    """Header, message TLVs and signature of a complete seal."""
    header = parse_header(data)
    pos, message = header.length, []
    while pos < len(data) and data[pos] != SIGNATURE_TAG:
        tag, value, pos = read_tlv(data, pos)
        message.append((tag, value))
    signed_end, signature = pos, None
    if pos < len(data):
        _, signature, pos = read_tlv(data, pos)
    if pos != len(data):
        raise PayloadError(f"{len(data) - pos} bytes after the signature zone")
    return Seal(header, tuple(message), data[:signed_end], signature)


def complete_length(data: bytes) -> int | None:
    """Bytes of the first whole seal in ``data``, or None while incomplete.

    A framer uses this so a CR or LF byte inside a seal does not end the scan.
    """
    try:
        pos = parse_header(data).length
        while pos < len(data) and pos <= MAX_SEAL:
            tag, _, pos = read_tlv(data, pos)
            if tag == SIGNATURE_TAG:
                return pos
    except PayloadError:
        return None
    return None


def read_tlv(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """One tag, value and the position after it (BER-TLV lengths, one to three bytes)."""
    tag, length, pos = data[pos], _need(data, pos + 1, 1)[0], pos + 2
    if length == 0x81:
        length, pos = _need(data, pos, 1)[0], pos + 1
    elif length == 0x82:
        length, pos = int.from_bytes(_need(data, pos, 2), "big"), pos + 2
    elif length > 0x7F:
        raise PayloadError(f"TLV length form {length:#x} not supported")
    return tag, _need(data, pos, length), pos + length


def decode_date(raw: bytes) -> dt.date | None:
    """A 3-byte seal date (the integer MMDDYYYY), or None when invalid."""
    text = f"{int.from_bytes(raw, 'big'):08d}"
    try:
        return dt.date(int(text[4:]), int(text[:2]), int(text[2:4]))
    except ValueError:
        return None


def encode_date(day: dt.date) -> bytes:
    """A date as the 3 bytes a seal stores."""
    return int(day.strftime("%m%d%Y")).to_bytes(3, "big")


def encode_tlv(tag: int, value: bytes) -> bytes:
    """One BER-TLV element."""
    n = len(value)
    length = bytes([n]) if n < 0x80 else (b"\x81" + bytes([n]) if n < 256 else b"\x82")
    if n >= 256:
        length += n.to_bytes(2, "big")
    return bytes([tag]) + length + value


def _need(data: bytes, pos: int, n: int) -> bytes:
    if n < 0 or pos + n > len(data):
        raise PayloadError("seal ends early")
    return data[pos : pos + n]


def _is_hex(text: str) -> bool:
    return len(text) == 2 and all(c in "0123456789ABCDEFabcdef" for c in text)


# --- parse -----------------------------------------------------------------


def parse(data: bytes, trust: TrustStore | None) -> ParsedPayload:
    """Parse a seal, map its message to fields and keys, and verify its signature."""
    try:
        seal = split(data[:MAX_SEAL])
    except PayloadError as exc:
        return build("vds", {"hex": data[:512].hex()}, [Check("structure", False, str(exc))])
    fields = _header_fields(seal.header)
    checks = [Check("structure", True, "header, message and signature zones")]
    keys: list[dict[str, Any]] = []
    profile = PROFILES.get((seal.header.feature_ref, seal.header.type_category))
    fields["profile"] = profile or "unknown"
    _map_message(seal, profile, fields, checks, keys)
    if fields.get("passport_number"):
        issuer = fields.get("mrz", {}).get("nationality")
        keys.append({"kind": "document", "number": fields["passport_number"],
                     "issuer": issuer, "type": "P"})  # fmt: skip
    checks.append(verify(seal, trust))
    warnings = [] if profile else ["document profile not known; message kept as hex"]
    return build("vds", fields, checks, keys, warnings)


def _header_fields(header: Header) -> dict[str, Any]:
    return {
        "version": header.version,
        "issuing_country": header.country.replace("<", ""),
        "signer": header.signer,
        "certificate_reference": header.cert_ref,
        "issue_date": header.issued.isoformat() if header.issued else None,
        "signature_date": header.signed.isoformat() if header.signed else None,
        "feature_reference": header.feature_ref,
        "document_type_category": header.type_category,
    }


def _map_message(
    seal: Seal,
    profile: str | None,
    fields: dict[str, Any],
    checks: list[Check],
    keys: list[dict[str, Any]],
) -> None:
    """Fill ``fields`` from the message zone; MRZ tags add checks and keys."""
    names = VISA_TAGS if profile == "visa" else PERMIT_TAGS if profile else {}
    fields["message"] = {f"{tag:#04x}": value.hex() for tag, value in seal.message}
    for tag, value in seal.message:
        name = names.get(tag)
        if name is None:
            continue
        if name.startswith("mrz"):
            text = c40.decode(value)
            width = 44 if name == "mrz_mrva" else 36
            fields["mrz"], mrz_checks, mrz_keys = mrz_fields(text[:width], text[width:])
            checks.extend(mrz_checks)
            keys.extend(mrz_keys)
        else:
            field_name, decoded = _value(name, value)
            fields[field_name] = decoded


def _value(name: str, value: bytes) -> tuple[str, Any]:
    """A message field other than the MRZ, by its profile name."""
    if name == "passport":
        return "passport_number", c40.decode(value).replace("<", "")
    if name == "duration":
        return "duration_of_stay", dict(zip(("days", "months", "years"), value, strict=False))
    if name == "entries":
        return "number_of_entries", value[0] if value else None
    return name, value.hex()


def verify(seal: Seal, trust: TrustStore | None) -> Check:
    """The signature check: ok, failed, or not checked when no certificates are configured."""
    if seal.signature is None:
        return Check("signature", False, "seal has no signature zone")
    if trust is None or not trust.certificates:
        return Check("signature", None, "not checked: no signer certificates configured")
    header = seal.header
    candidates = trust.vds_candidates(header.signer[:2], header.cert_ref)
    if not candidates:
        return Check(
            "signature", False, f"no certificate for signer {header.signer} ref {header.cert_ref}"
        )
    for cert in candidates:
        key = cert.public_key()
        if isinstance(key, ec.EllipticCurvePublicKey) and _ecdsa_ok(key, seal):
            return Check("signature", True, f"signed by {cert.subject.rfc4514_string()}")
    return Check("signature", False, "signature does not verify")


def _ecdsa_ok(key: ec.EllipticCurvePublicKey, seal: Seal) -> bool:
    """Verify a raw ``r || s`` ECDSA signature with the hash that fits the curve."""
    sig = seal.signature or b""
    half = len(sig) // 2
    if half == 0 or len(sig) % 2:
        return False
    der = encode_dss_signature(int.from_bytes(sig[:half], "big"), int.from_bytes(sig[half:], "big"))
    algorithm = curve_hash(key.curve.key_size)
    try:
        key.verify(der, seal.signed_data, ec.ECDSA(algorithm))
    except InvalidSignature:
        return False
    return True


def curve_hash(bits: int) -> hashes.HashAlgorithm:
    """SHA-256 for curves up to 256 bits, SHA-384 up to 384, else SHA-512."""
    if bits <= 256:
        return hashes.SHA256()
    return hashes.SHA384() if bits <= 384 else hashes.SHA512()
