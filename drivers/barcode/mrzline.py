"""The MRZ lines a seal carries (visa MRV-A/MRV-B, TD2) mapped to person and document keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drivers.barcode.result import Check, mrz_check


def mrz_fields(line1: str, line2: str) -> tuple[dict[str, Any], list[Check], list[dict[str, Any]]]:
    """Fields, check-digit checks and watchlist keys of a two-line MRZ."""
    doc_type, issuer = line1[:2].replace("<", ""), line1[2:5].replace("<", "")
    surname, given = split_name(line1[5:])
    number, nationality = line2[:9], line2[10:13].replace("<", "")
    birth, sex, expiry = line2[13:19], line2[20:21], line2[21:27]
    checks = [
        _digit("document number check digit", line2[:9], line2[9:10]),
        _digit("birth date check digit", birth, line2[19:20]),
        _digit("expiry date check digit", expiry, line2[27:28]),
    ]
    fields = {
        "document_type": doc_type,
        "issuer": issuer,
        "surname": surname,
        "given_names": given,
        "document_number": number.replace("<", ""),
        "nationality": nationality or None,
        "birth_date": yymmdd(birth, past=True),
        "sex": _sex(sex),
        "expiry_date": yymmdd(expiry, past=False),
        "lines": [line1, line2],
    }
    return fields, checks, mrz_keys(fields)


def mrz_keys(fields: dict[str, Any]) -> list[dict[str, Any]]:
    """The document and person watchlist keys of parsed MRZ fields."""
    document = {
        "kind": "document",
        "number": fields["document_number"],
        "issuer": fields["issuer"],
        "type": fields["document_type"][:1] or None,
    }
    person = {
        "kind": "person",
        "surname": fields["surname"],
        "given_names": fields["given_names"],
        "birth_date": fields["birth_date"],
        "nationality": fields["nationality"],
        "sex": fields["sex"],
    }
    if fields["lines"][0][-1:].isalpha():  # the name runs to the line's end: it fills its field
        person["cut_short"] = "given_names" if fields["given_names"] else "surname"
    return [document, person]  # fmt: skip


def split_name(field: str) -> tuple[str, str]:
    """``ERIKSSON<<ANNA<MARIA<<<`` → (``ERIKSSON``, ``ANNA MARIA``)."""
    surname, _, given = field.partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def yymmdd(text: str, *, past: bool) -> str | None:
    """An MRZ date as ISO text; birth dates never lie in the future."""
    if len(text) != 6 or not text.isdigit():
        return None
    this = dt.date.today().year
    year = 2000 + int(text[:2])
    if (past and year > this) or (not past and year > this + 50):
        year -= 100
    try:
        return dt.date(year, int(text[2:4]), int(text[4:6])).isoformat()
    except ValueError:
        return None


def _sex(ch: str) -> str | None:
    return {"M": "M", "F": "F", "X": "X"}.get(ch)


def _digit(name: str, data: str, digit: str) -> Check:
    expected = str(mrz_check(data))
    return Check(name, digit == expected, f"expected {expected}, got {digit!r}")
