"""The public entry point: any barcode payload in, a :class:`ParsedPayload` out.

``parse_payload`` recognises the format (AIM identifier, symbology hint and
content), hands the payload to its parser and never raises: anything it
cannot read is kept as ``text`` or ``binary`` with a warning.
"""

from __future__ import annotations

from collections.abc import Callable

from drivers.barcode import aamva, aim, bcbp, gs1, hc1, iso6346, mrn, tir, vds
from drivers.barcode.result import ParsedPayload, PayloadError, clean, sanitised
from drivers.barcode.trust import TrustStore

MAX_PAYLOAD = 8192
"""Largest payload parsed (a QR code holds at most 2953 bytes)."""

EAN_LIKE = frozenset({"ean", "itf", "databar"})
TextParser = Callable[[str], ParsedPayload]
TEXT_PARSERS: tuple[tuple[Callable[[str], bool], TextParser], ...] = (
    (mrn.looks_like, mrn.parse),
    (iso6346.looks_like, iso6346.parse),
    (tir.looks_like, tir.parse),
)


def parse_payload(
    data: bytes | str, symbology: str | None = None, *, trust: TrustStore | None = None
) -> ParsedPayload:
    """Recognise, parse and check one barcode payload; never raises."""
    try:
        raw = _as_bytes(data)
        if len(raw) > MAX_PAYLOAD:
            return _unknown(raw[:MAX_PAYLOAD], f"payload longer than {MAX_PAYLOAD} bytes, cut")
        return sanitised(_dispatch(raw, symbology, trust))
    except Exception as exc:  # the contract: a payload never takes the caller down
        return _unknown(_as_bytes_safe(data), f"could not be parsed: {type(exc).__name__}")


def _dispatch(raw: bytes, symbology: str | None, trust: TrustStore | None) -> ParsedPayload:
    """Pick the parser for ``raw``."""
    prefix, body = aim.parse_prefix(raw)
    prefix = prefix or aim.from_symbology(symbology)
    name = prefix.symbology if prefix else aim.normalise(symbology)
    if vds.looks_like(body):
        return vds.parse(body, trust)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _unknown(body, "not UTF-8 text and no known binary format")
    if prefix is not None and prefix.gs1:
        return _gs1(text, name)
    return _text(text, name, trust)


def _text(text: str, name: str | None, trust: TrustStore | None) -> ParsedPayload:
    """Pick the parser for a text payload."""
    if hc1.looks_like(text):
        return hc1.parse(text, trust)
    if bcbp.looks_like(text):
        return bcbp.parse(text)
    if aamva.looks_like(text):
        return aamva.parse(text)
    if gs1.looks_like(text) or gs1.plausible(text):
        return gs1.parse(text)
    stripped = text.strip()
    if name in EAN_LIKE and stripped.isdigit() and len(stripped) in (8, 12, 13, 14):
        return gs1.gtin_parse(stripped)
    for matches, parser in TEXT_PARSERS:
        if matches(stripped):
            return parser(stripped)
    return _unknown(text.encode("utf-8"), "not a recognised format; kept as text")


def _gs1(text: str, name: str | None) -> ParsedPayload:
    """A payload the AIM identifier marks as GS1."""
    stripped = text.rstrip("\r\n")
    if name in EAN_LIKE and stripped.isdigit() and len(stripped) in (8, 12, 13, 14):
        return gs1.gtin_parse(stripped)
    return gs1.parse(stripped)


def _unknown(raw: bytes, warning: str) -> ParsedPayload:
    """Keep an unrecognised payload as text (UTF-8) or binary (hex)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        fields = {"hex": raw.hex(), "length": len(raw)}
        return ParsedPayload("binary", False, fields, warnings=(warning,))
    fields_t = {"text": clean(text, MAX_PAYLOAD), "length": len(text)}
    return ParsedPayload("text", False, fields_t, warnings=(warning,))


def _as_bytes(data: bytes | str) -> bytes:
    """Bytes of a payload; text with only Latin-1 code points maps byte for byte."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if isinstance(data, str):
        try:
            raw = data.encode("latin-1")
        except UnicodeEncodeError:
            return data.encode("utf-8", "replace")
        return raw if raw[:1] == b"\xdc" else data.encode("utf-8", "replace")
    raise PayloadError(f"payload must be bytes or str, not {type(data).__name__}")


def _as_bytes_safe(data: object) -> bytes:
    """Best-effort bytes of anything, for the never-raise fallback."""
    try:
        return _as_bytes(data)[:MAX_PAYLOAD]  # type: ignore[arg-type]
    except Exception:
        return b""
