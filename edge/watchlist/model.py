"""Watchlist entries: frozen records validated from JSON, one kind of subject each."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from drivers.barcode.iso6346 import check_digit as container_check
from drivers.barcode.mrn import check_char as mrn_check
from edge.sanitize import clean_text
from edge.state_codes import normalise_state
from edge.watchlist.normalize import clean_id, renderings, to_mrz
from edge.watchlist.scripts import script_of

KINDS = ("person", "document", "vehicle", "container", "consignment", "commodity")
ACTIONS = ("arrest", "detain", "refer", "seize", "inform", "monitor")
SEXES = ("M", "F", "X")
MAX_ALIASES = 128
"""Names of one person at most (primary and aliases, any script). Official lists give a
person dozens: OFAC's 2021 list has one with 46, OpenSanctions' entities more, one per
language; every one is indexed."""
MAX_IDENTIFIERS = 32
MAX_BIRTH_DATES = 16
"""Birth dates of one person at most. Lists give several where they are unsure: the UN's gives
87 of its 558 individuals two to seven (``1959; 1960; 1961; 1963; 1964-09-18; 1965``)."""
MAX_FIELD = 512
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
STATE_RE = re.compile(r"^[A-Z]{1,3}$")
VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_VIN_VALUES = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9), strict=True))}
_VIN_VALUES.update(dict(zip("JKLMNPR", (1, 2, 3, 4, 5, 7, 9), strict=True)))
_VIN_VALUES.update(dict(zip("STUVWXYZ", range(2, 10), strict=True)))
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


class EntryError(ValueError):
    """A watchlist record that cannot be accepted; the message says which field and why."""


@dataclass(frozen=True)
class Name:
    """One name or alias of a person, in its own script."""

    full: str
    surname: str = ""
    given_names: str = ""
    script: str = "Latn"
    primary: bool = True


@dataclass(frozen=True)
class Identifier:
    """A person's identifier: passport, national ID, … with its issuing state."""

    type: str
    number: str
    issuer: str = ""


@dataclass(frozen=True)
class Person:
    """A listed person."""

    names: tuple[Name, ...]
    birth_dates: tuple[str, ...] = ()
    """Every birth date the list gives, full or partial, the first as listed first."""
    nationalities: tuple[str, ...] = ()
    sex: str | None = None
    identifiers: tuple[Identifier, ...] = ()

    @property
    def birth_date(self) -> str | None:
        """The first birth date the list gives (None when it gives none)."""
        return self.birth_dates[0] if self.birth_dates else None


@dataclass(frozen=True)
class Document:
    """A lost, stolen or otherwise listed travel document."""

    number: str
    issuer: str = ""
    doc_type: str = ""


@dataclass(frozen=True)
class Vehicle:
    """A listed vehicle: plate with its country, VIN (check digit state recorded)."""

    plate: str = ""
    country: str = ""
    vin: str = ""
    vin_check_ok: bool | None = None


@dataclass(frozen=True)
class Container:
    """A listed ISO 6346 freight container."""

    number: str


@dataclass(frozen=True)
class Consignment:
    """A listed consignment by its Movement Reference Number."""

    mrn: str


@dataclass(frozen=True)
class Commodity:
    """A high-risk commodity: every HS code starting with ``hs_prefix``."""

    hs_prefix: str
    description: str = ""


Subject = Person | Document | Vehicle | Container | Consignment | Commodity


@dataclass(frozen=True)
class Entry:
    """One watchlist record with what to do on a hit."""

    entry_id: str
    kind: str
    subject: Subject
    list: str = "default"
    category: str = ""
    action: str = "refer"
    priority: int = 1
    remarks: str = ""
    source: str = ""
    record_version: int = 1
    valid_from: str | None = None
    valid_until: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The JSON Lines form (see docs/watchlist.md)."""
        out: dict[str, Any] = {"id": self.entry_id, "kind": self.kind}
        values = self.__dict__
        for key in _META_FIELDS:
            value = values[key]
            if value is not None and value != "":
                out[key] = value
        out.update(_subject_json(self.subject))
        return out


_META_FIELDS = ("list", "category", "action", "priority", "remarks", "source", "record_version",
                "valid_from", "valid_until")  # fmt: skip


def _subject_json(subject: Subject) -> dict[str, Any]:
    """The subject's fields, leaving out empty ones (None, "", no items)."""
    if not isinstance(subject, Person):
        return {k: v for k, v in subject.__dict__.items() if v is not None and v != ""}
    out: dict[str, Any] = {
        "names": [{k: v for k, v in n.__dict__.items() if v != ""} for n in subject.names]
    }
    if subject.birth_dates:
        out["birth_date"] = subject.birth_dates[0]
    if len(subject.birth_dates) > 1:
        out["birth_dates"] = list(subject.birth_dates)
    if subject.nationalities:
        out["nationalities"] = list(subject.nationalities)
    if subject.sex:
        out["sex"] = subject.sex
    if subject.identifiers:
        out["identifiers"] = [dict(i.__dict__) for i in subject.identifiers]
    return out


def vin_check_ok(vin: str) -> bool:
    """True when position 9 holds the ISO 3779 / FMVSS 115 check character."""
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True))
    expected = "X" if total % 11 == 10 else str(total % 11)
    return vin[8] == expected


def _shown(value: Any, limit: int = 40) -> str:
    """``repr(value)`` for an error message, cut short (a rejected field may be huge)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(data: Mapping[str, Any], key: str, default: str = "", limit: int = MAX_FIELD) -> str:
    value = data.get(key, default)
    if type(value) is str and value.isprintable():
        return value[:limit].strip()
    if value is None:
        return default
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise EntryError(f"{key}: expected text, got {type(value).__name__}")
    return clean_text(str(value), limit).strip()


def _state(value: Any, key: str) -> str:
    if type(value) is str and len(value) <= 8:  # codes are cached; long junk is not kept
        text = _state_code(value)
    else:
        text = clean_id(str(value), 4) if value else ""
    if text and not STATE_RE.match(text):
        raise EntryError(f"{key}: {_shown(value)} is not an ICAO/ISO state code (1-3 letters)")
    return text


@lru_cache(maxsize=1024)
def _state_code(value: str) -> str:
    """A state code cleaned (cached: a list names the same few hundred states again and again).

    Cut at 4, so that a name (``GERMANY``) fails the check instead of becoming ``GER``; ICAO's
    ``D`` becomes ``DEU`` (``edge.state_codes``)."""
    return normalise_state(clean_id(value, 4))


def parse_date(value: Any, key: str = "birth_date") -> str | None:
    """A full or partial date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (None when absent)."""
    if value in (None, ""):
        return None
    match = DATE_RE.match(str(value).strip())
    if not match or not _plausible(match.groups()):
        raise EntryError(f"{key}: {_shown(value)} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return str(value).strip()


def birth_dates(data: Mapping[str, Any]) -> tuple[str, ...]:
    """A record's birth dates: ``birth_dates`` (a list) or ``birth_date``, which may hold several
    apart by ``;`` as lists write them (``1969; 1970``); each checked by :func:`parse_date`, the
    same date once, at most ``MAX_BIRTH_DATES``."""
    raw = data.get("birth_dates")
    key = "birth_dates"
    if raw is None:
        raw, key = data.get("birth_date"), "birth_date"
    if raw in (None, ""):
        return ()
    if isinstance(raw, str | int) and not isinstance(raw, bool):
        raw = [d.strip() for d in str(raw).split(";")]
    if not isinstance(raw, list):
        raise EntryError(f"{key}: expected a date or a list of dates, got {type(raw).__name__}")
    if len(raw) > MAX_BIRTH_DATES:
        raise EntryError(f"{key}: more than {MAX_BIRTH_DATES} birth dates")
    return tuple(dict.fromkeys(d for d in (parse_date(d, key) for d in raw) if d))


def _plausible(parts: tuple[str | None, ...]) -> bool:
    year, month, day = parts
    return (
        1800 <= int(year or 0) <= 2200
        and (month is None or 1 <= int(month) <= 12)
        and (day is None or 1 <= int(day) <= 31)
    )


def _names(data: Mapping[str, Any]) -> tuple[Name, ...]:
    raw = data.get("names")
    if raw is None and (data.get("surname") or data.get("name")):
        raw = [{k: data.get(k) for k in ("surname", "given_names", "name")}]
    if not isinstance(raw, list) or not raw:
        raise EntryError("names: a person needs at least one name")
    if len(raw) > MAX_ALIASES:
        raise EntryError(f"names: more than {MAX_ALIASES} aliases")
    names = tuple(_name(n, i == 0) for i, n in enumerate(raw))
    if not any(_has_letters(n.full) for n in names):
        raise EntryError("names: no name has any letters (in any script)")
    return names


def _has_letters(name: str) -> bool:
    """Whether a name has letters in some rendering. Its MRZ form decides for nearly every
    name, so that an entry read back from the list for a hit loads no reader of Japanese or
    Cantonese; every rendering is asked only of a name the MRZ form spells as nothing (a
    silenced Thai letter, ร์; a rare character only Cantonese reads, 㧝)."""
    return bool(to_mrz(name)) or bool(renderings(name))


def _name(raw: Any, primary: bool) -> Name:
    if isinstance(raw, str):
        raw = {"name": raw}
    if not isinstance(raw, Mapping):
        raise EntryError("names: each name is an object or a string")
    surname, given = _text(raw, "surname"), _text(raw, "given_names")
    full = _text(raw, "name") or _text(raw, "full") or f"{given} {surname}".strip()
    if not full:
        raise EntryError("names: an empty name")
    script = _text(raw, "script", "", 8) or script_of(full)
    return Name(full, surname, given, script, bool(raw.get("primary", primary)))


def _person(data: Mapping[str, Any]) -> Person:
    sex = _text(data, "sex").upper()[:1] or None
    if sex is not None and sex not in SEXES:
        raise EntryError(f"sex: {_shown(data.get('sex'))} is not M, F or X")
    nats = data.get("nationalities") or ([data["nationality"]] if data.get("nationality") else [])
    if not isinstance(nats, list):
        raise EntryError("nationalities: expected a list of state codes")
    return Person(
        names=_names(data),
        birth_dates=birth_dates(data),
        nationalities=tuple(_state(n, "nationalities") for n in nats[:8]),
        sex=sex,
        identifiers=_identifiers(data.get("identifiers") or []),
    )


def _identifiers(raw: Any) -> tuple[Identifier, ...]:
    if not isinstance(raw, list):
        raise EntryError("identifiers: expected a list")
    out = []
    for item in raw[:MAX_IDENTIFIERS]:
        if not isinstance(item, Mapping) or not clean_id(str(item.get("number", ""))):
            raise EntryError("identifiers: each needs a number")
        number = clean_id(str(item["number"]))
        out.append(
            Identifier(_text(item, "type", "id", 32), number, _state(item.get("issuer"), "issuer"))
        )
    return tuple(out)


def _document(data: Mapping[str, Any]) -> Document:
    number = clean_id(_text(data, "number"))
    if len(number) < 4:
        raise EntryError(f"number: {_shown(data.get('number'))} is not a document number")
    doc_type = _text(data, "doc_type", _text(data, "type"), 2).upper()
    return Document(number, _state(data.get("issuer"), "issuer"), doc_type)


def _vehicle(data: Mapping[str, Any]) -> Vehicle:
    plate, vin = clean_id(_text(data, "plate"), 16), clean_id(_text(data, "vin"), 17)
    if not plate and not vin:
        raise EntryError("vehicle: needs a plate or a VIN")
    if vin and not VIN_RE.match(vin):
        raise EntryError(f"vin: {_shown(vin)} is not 17 characters without I, O, Q")
    check = vin_check_ok(vin) if vin else None
    return Vehicle(plate, _state(data.get("country"), "country"), vin, check)


def _container(data: Mapping[str, Any]) -> Container:
    number = clean_id(_text(data, "number"), 11)
    if not re.match(r"^[A-Z]{4}\d{7}$", number):
        raise EntryError(
            f"number: {_shown(data.get('number'))} is not an ISO 6346 container number"
        )
    if container_check(number[:10]) != number[10]:
        raise EntryError(f"number: {number} fails the ISO 6346 check digit")
    return Container(number)


def _consignment(data: Mapping[str, Any]) -> Consignment:
    mrn = clean_id(_text(data, "mrn"), 18)
    if not re.match(r"^\d{2}[A-Z]{2}[A-Z0-9]{13}[0-9]$", mrn):
        raise EntryError(f"mrn: {_shown(data.get('mrn'))} is not an 18-character MRN")
    if mrn_check(mrn[:17]) != mrn[17]:
        raise EntryError(f"mrn: {mrn} fails its check digit")
    return Consignment(mrn)


def _commodity(data: Mapping[str, Any]) -> Commodity:
    prefix = "".join(ch for ch in _text(data, "hs_prefix") if ch.isdigit())
    if not 2 <= len(prefix) <= 10:
        raise EntryError(f"hs_prefix: {_shown(data.get('hs_prefix'))} is not 2-10 HS digits")
    return Commodity(prefix, _text(data, "description"))


_SUBJECTS: dict[str, Callable[[Mapping[str, Any]], Subject]] = {
    "person": _person,
    "document": _document,
    "vehicle": _vehicle,
    "container": _container,
    "consignment": _consignment,
    "commodity": _commodity,
}


def entry_from_json(data: Mapping[str, Any], *, default_list: str = "default") -> Entry:
    """Validate one JSON Lines record; raise :class:`EntryError` naming the bad field."""
    if not isinstance(data, Mapping):
        raise EntryError("a record is a JSON object")
    entry_id = _text(data, "id", limit=128)
    if not entry_id:
        raise EntryError("id: every record needs its source identifier")
    kind = _text(data, "kind")
    if kind not in _SUBJECTS:
        raise EntryError(f"kind: {_shown(kind)} is not one of {', '.join(KINDS)}")
    return Entry(entry_id, kind, _SUBJECTS[kind](data), **_meta(data, default_list))


def _meta(data: Mapping[str, Any], default_list: str) -> dict[str, Any]:
    """What to do on a hit and where the entry comes from; only the fields given are read."""
    meta = dict(_META_DEFAULTS)
    for key, read in _META_READERS.items():  # in a fixed order: the same field is named first
        if key in data:
            meta[key] = read(data, key)
    meta["list"] = meta["list"] or default_list
    return meta


def _action(data: Mapping[str, Any], key: str) -> str:
    action = _text(data, key, "refer", 32).lower()
    if action not in ACTIONS:
        raise EntryError(f"action: {_shown(action)} is not one of {', '.join(ACTIONS)}")
    return action


_META_DEFAULTS: dict[str, Any] = {"list": "", "category": "", "action": "refer", "priority": 1,
                                  "remarks": "", "source": "", "record_version": 1,
                                  "valid_from": None, "valid_until": None}  # fmt: skip
_META_READERS: dict[str, Callable[[Mapping[str, Any], str], Any]] = {
    "action": _action,
    "list": lambda d, k: _text(d, k, "", 64),
    "category": lambda d, k: _text(d, k, "", 64),
    "priority": lambda d, k: _int(d, k, 1, 0, 9),
    "remarks": lambda d, k: _text(d, k),
    "source": lambda d, k: _text(d, k, "", 128),
    "record_version": lambda d, k: _int(d, k, 1, 1, 2**62),
    "valid_from": lambda d, k: parse_date(d.get(k), k),
    "valid_until": lambda d, k: parse_date(d.get(k), k),
}


def _int(data: Mapping[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise EntryError(f"{key}: {_shown(value)} is not a whole number")
    if not low <= int(value) <= high:
        raise EntryError(f"{key}: {value} is outside {low}..{high}")
    return int(value)
