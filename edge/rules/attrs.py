"""A crossing's attributes: the names rules may use, their types, and how readings fill them.

Facts are a flat dict from an attribute name (``person.age``) to a value.
Each reading of a crossing adds its facts (:func:`facts_of`); the lane's open
crossing keeps them until its portal occupancy closes it, so a rule may join
the driver's passport, the consignment's MRN and the portal's result.
An attribute nobody read is absent: ``== null`` is true for it, every other
comparison false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from drivers.events import BarcodeScan, Body, MrzRead, RpmOccupancy

STR, NUM, BOOL, STRS = "string", "number", "bool", "list of strings"

ATTRIBUTES: Final[dict[str, tuple[str, str]]] = {
    "kind": (STR, "the reading being evaluated: mrz, manual, barcode, rpm.occupancy"),
    "lane": (STR, "the lane's name from the configuration"),
    "time.hour": (NUM, "hour of the crossing, 0-23, post's clock in UTC"),
    "time.weekday": (NUM, "day of the week, 1 = Monday … 7 = Sunday (UTC)"),
    "document.number": (STR, "document number from the MRZ"),
    "document.type": (STR, "document code from the MRZ (P, I, ID, V …)"),
    "document.issuer": (STR, "issuing state, ICAO three-letter code"),
    "document.expired": (BOOL, "the document's expiry date has passed"),
    "document.valid": (BOOL, "every MRZ check digit is right"),
    "person.nationality": (STR, "nationality, ICAO three-letter code"),
    "person.age": (NUM, "age in whole years on the crossing's day"),
    "person.sex": (STR, "M, F or X"),
    "person.surname": (STR, "surname as read (upper case)"),
    "vehicle.plate": (STR, "number plate, when a reading carries one"),
    "vehicle.country": (STR, "plate's country code, when a reading carries one"),
    "mrn": (STR, "customs movement reference number from a barcode"),
    "mrn.country": (STR, "the MRN's country of declaration (two letters)"),
    "declared.goods": (STR, "goods description declared for the MRN, when known"),
    "declared.companies": (STRS, "consignor, consignee and carrier names, when known"),
    "hs_codes": (STRS, "HS codes declared or carried in GS1/MRN payloads"),
    "containers": (STRS, "container numbers (ISO 6346) scanned"),
    "rpm.alarm": (BOOL, "the portal alarmed (gamma or neutron)"),
    "rpm.gamma_alarm": (BOOL, "gamma alarm"),
    "rpm.neutron_alarm": (BOOL, "neutron alarm"),
    "rpm.norm_suspect": (BOOL, "gamma alarm that looks like naturally radioactive cargo"),
    "rpm.peak_sigma": (NUM, "peak gamma excess over background, in sigma"),
    "prearrival.status": (STR, "expected, not_expected or mismatch; absent without a list"),
}
FUNCTIONS: Final[dict[str, str]] = {
    "person_crossings": "earlier crossings of this document in the last N days",
    "vehicle_crossings": "earlier crossings of this plate in the last N days",
    "len": "number of items of a list attribute",
}
PERSONAL: Final = ("person.", "document.")
LIST_ATTRS: Final = frozenset(k for k, (t, _) in ATTRIBUTES.items() if t == STRS)


def facts_of(body: Body, kind: str, when: float) -> dict[str, Any]:
    """The facts one reading brings to its crossing."""
    facts: dict[str, Any] = {"kind": kind, **_time_facts(when)}
    if isinstance(body, MrzRead):
        facts.update(_mrz(body, when))
    elif isinstance(body, BarcodeScan):
        facts.update(_barcode(body.parsed))
    elif isinstance(body, RpmOccupancy):
        facts.update(_rpm(body))
    facts.update(_extra(body.extra))
    return {k: v for k, v in facts.items() if v is not None and v != []}


def merge(crossing: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """A crossing's facts with a new reading's: lists grow, single values take the newest, and
    a new document replaces the previous person's facts (a bus brings many travellers)."""
    out = dict(crossing)
    if any(k.startswith(PERSONAL) for k in new):
        out = {k: v for k, v in out.items() if not k.startswith(PERSONAL)}
    for key, value in new.items():
        if key in LIST_ATTRS:
            out[key] = list(dict.fromkeys([*out.get(key, []), *value]))[:200]
        else:
            out[key] = value
    return out


def _time_facts(when: float) -> dict[str, Any]:
    moment = dt.datetime.fromtimestamp(when, dt.UTC)
    return {"time.hour": moment.hour, "time.weekday": moment.isoweekday()}


def _mrz(body: MrzRead, when: float) -> dict[str, Any]:
    today = dt.datetime.fromtimestamp(when, dt.UTC).date()
    expiry = _date(body.expiry_date, future=True, today=today)
    born = _date(body.birth_date, future=False, today=today)
    age = None
    if born is not None:
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return {
        "document.number": body.document_number,
        "document.type": body.document_code,
        "document.issuer": body.issuing_state,
        "document.expired": None if expiry is None else expiry < today,
        "document.valid": body.valid,
        "person.nationality": body.nationality,
        "person.age": age,
        "person.sex": body.sex,
        "person.surname": body.surname,
    }


def _date(text: str | None, *, future: bool, today: dt.date) -> dt.date | None:
    """An MRZ YYMMDD date (or ISO); two-digit years resolved as ICAO 9303 reads them."""
    if not text:
        return None
    digits = text.replace("-", "")
    try:
        if len(digits) == 8:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        year, month, day = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    except ValueError:
        return None
    full = today.year // 100 * 100 + year
    if future and full < today.year - 50:
        full += 100
    elif not future and full > today.year:
        full -= 100
    try:
        return dt.date(full, month, day)
    except ValueError:
        return None


def _barcode(parsed: Mapping[str, Any]) -> dict[str, Any]:
    fields = parsed.get("fields") if isinstance(parsed, Mapping) else None
    if not isinstance(fields, Mapping):
        return {}
    kind = parsed.get("kind")
    facts: dict[str, Any] = {}
    if kind == "mrn":
        facts["mrn"] = _str(fields.get("mrn"))
        facts["mrn.country"] = _str(fields.get("country"))
    if kind == "container":
        facts["containers"] = [_str(fields.get("number"))] if fields.get("number") else []
    facts.update(_declared(fields))
    return facts


def _declared(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Declared data a payload carries (HS codes, goods, companies, vehicle), when it does."""
    hs = fields.get("hs_codes") or fields.get("hs_code") or []
    companies = [fields.get(k) for k in ("consignor", "consignee", "carrier")]
    return {
        "hs_codes": [_digits(h) for h in (hs if isinstance(hs, list) else [hs]) if _digits(h)],
        "declared.goods": _str(fields.get("goods")),
        "declared.companies": [_str(c) for c in companies if isinstance(c, str) and c],
        "vehicle.plate": _str(fields.get("plate")),
        "vehicle.country": _str(fields.get("plate_country")),
    }


def _extra(extra: Mapping[str, Any]) -> dict[str, Any]:
    """Facts other parts put on a reading: pre-arrival's verdict, a manual entry's plate."""
    facts: dict[str, Any] = {}
    pre = extra.get("prearrival")  # edge/prearrival's verdict on the reading
    if isinstance(pre, Mapping) and isinstance(pre.get("verdict"), str):
        facts["prearrival.status"] = pre["verdict"]
    if isinstance(extra.get("plate"), str):  # a manual entry's vehicle
        facts["vehicle.plate"] = _str(extra["plate"])
        facts["vehicle.country"] = _str(extra.get("country"))
    return facts


def _rpm(body: RpmOccupancy) -> dict[str, Any]:
    return {
        "rpm.alarm": body.gamma_alarm or body.neutron_alarm,
        "rpm.gamma_alarm": body.gamma_alarm,
        "rpm.neutron_alarm": body.neutron_alarm,
        "rpm.norm_suspect": body.norm_suspect,
        "rpm.peak_sigma": body.peak_sigma,
    }


def _str(value: Any) -> str | None:
    return value.strip()[:200] if isinstance(value, str) and value.strip() else None


def _digits(value: Any) -> str:
    return "".join(c for c in str(value) if c.isdigit())[:10] if value is not None else ""
