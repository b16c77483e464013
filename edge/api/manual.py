"""Manual entry: the officer types an MRZ or a document number when a reader fails."""

from __future__ import annotations

from typing import Any

from drivers.base import Reading
from drivers.events import DocumentKey
from edge.api.params import text
from edge.api.protocol import ApiError
from edge.sanitize import clean_text


def manual_reading(req: dict[str, Any], officer_id: str) -> Reading:
    """A ``manual`` reading from a request with ``mrz`` lines, a document number or a
    vehicle's ``plate`` (matched against pre-arrival lists, docs/prearrival.md)."""
    lines = req.get("mrz")
    if lines is not None:
        if (
            not isinstance(lines, list)
            or not 1 <= len(lines) <= 3
            or not all(isinstance(x, str) and len(x) <= 60 for x in lines)
        ):
            raise ApiError("bad_request", "mrz must be a list of 2 or 3 lines of text")
        return _from_mrz(lines, officer_id)
    if req.get("plate") is not None:
        return _vehicle(req, officer_id)
    number = clean_text(text(req, "document_number", 40).strip().upper(), 40)
    issuer = clean_text((text(req, "issuer", 3, required=False) or "").upper(), 3) or None
    if not number:
        raise ApiError("bad_request", "document_number is empty")
    payload = {
        "source": "manual",
        "officer_id": officer_id,
        "document_number": number,
        "issuing_state": issuer,
    }
    return Reading.of("manual", payload, 0, [DocumentKey(number, issuer)])


def _from_mrz(lines: list[str], officer_id: str) -> Reading:
    """The same reading a document reader gives, marked as typed by the officer."""
    from drivers.mrz import NotAnMrz, parse_mrz

    try:
        result = parse_mrz(lines)
    except NotAnMrz as exc:
        raise ApiError("bad_request", f"not an MRZ: {exc}") from None
    payload = {"source": "manual", "officer_id": officer_id, **result.to_json()}
    return Reading.of("manual", payload, 0 if result.valid else 1, result.keys)


def _vehicle(req: dict[str, Any], officer_id: str) -> Reading:
    """A vehicle typed by the officer: its plate and registering country."""
    plate = clean_text(text(req, "plate", 20).strip().upper(), 20)
    country = clean_text((text(req, "country", 3, required=False) or "").upper(), 3) or None
    if not plate:
        raise ApiError("bad_request", "plate is empty")
    payload = {"source": "manual", "officer_id": officer_id, "plate": plate, "country": country}
    return Reading.of("manual", payload, 0, [])
