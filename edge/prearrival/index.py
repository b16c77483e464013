"""The expected items in force, indexed for a read's look-up (sans-IO, in memory).

Built once per applied version (from the lists' JSON) and swapped whole, so a
look-up never sees half a version. Keys are compared as
:func:`sync.paxlst.expected.norm_id` leaves them (upper case, letters and
digits). A look-up is a few dictionary reads: well under a millisecond with
20,000 travellers and 5,000 vehicles (``bench/prearrival.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from drivers.events import ContainerKey, DocumentKey, MrnKey, PersonKey, WatchlistKey
from sync.paxlst.expected import ExpectedList, norm_id

EARLY_S: Final = 2 * 3600  # a list is in force this long before its window opens


@dataclass(frozen=True)
class Item:
    """One expected item: which list, what kind, its index there and its fields."""

    list_id: str
    reference: str
    kind: str  # traveller | vehicle | consignment
    index: int
    fields: dict[str, Any] = field(compare=False)

    @property
    def ref(self) -> tuple[str, str, int]:
        """(list, kind, index): what 'arrived' is recorded against."""
        return (self.list_id, self.kind, self.index)


@dataclass(frozen=True)
class Verdict:
    """What a read is against the lists: expected, not_expected or mismatch."""

    verdict: str
    item: Item | None
    list_id: str
    reference: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        """The ``prearrival`` object added to the reading's event."""
        return {
            "verdict": self.verdict,
            "list_id": self.list_id,
            "reference": self.reference,
            "item": self.item.kind if self.item else None,
            "reason": self.reason,
        }


def name_key(text: str | None) -> str:
    """A surname as compared: letters only, upper case (MRZ fillers and spaces dropped)."""
    return "".join(ch for ch in (text or "").upper() if ch.isalpha())


def yymmdd(text: str | None) -> str:
    """A birth date (ISO or YYMMDD) as YYMMDD ('' when absent)."""
    digits = "".join(ch for ch in (text or "") if ch.isdigit())
    return digits[-6:] if len(digits) in (6, 8) else ""


class Index:
    """The lists in force and their items by document, plate, MRN and container."""

    def __init__(self, lists: Iterable[ExpectedList] = ()) -> None:
        self.lists: dict[str, ExpectedList] = {}
        self.documents: dict[str, list[Item]] = {}
        self.plates: dict[str, list[Item]] = {}
        self.mrns: dict[str, list[Item]] = {}
        self.containers: dict[str, list[Item]] = {}
        for x in lists:
            self._add(x)

    def _add(self, x: ExpectedList) -> None:
        self.lists[x.list_id] = x
        for i, p in enumerate(x.travellers):
            item = Item(x.list_id, x.reference, "traveller", i, p.__dict__)
            if norm_id(p.document_number):
                self.documents.setdefault(norm_id(p.document_number), []).append(item)
        for i, v in enumerate(x.vehicles):
            item = Item(x.list_id, x.reference, "vehicle", i, v.__dict__)
            self.plates.setdefault(norm_id(v.plate), []).append(item)
        for i, c in enumerate(x.consignments):
            item = Item(x.list_id, x.reference, "consignment", i, c.__dict__)
            if norm_id(c.mrn):
                self.mrns.setdefault(norm_id(c.mrn), []).append(item)
            for number in c.containers:
                self.containers.setdefault(norm_id(number), []).append(item)

    def in_force(self, list_id: str, now: float) -> bool:
        """True while the list's window (opened ``EARLY_S`` early) runs."""
        x = self.lists.get(list_id)
        return x is not None and x.window_from - EARLY_S <= now <= x.window_to

    def _live(self, items: list[Item] | None, now: float) -> list[Item]:
        return [i for i in items or () if self.in_force(i.list_id, now)]

    def match(self, keys: Iterable[WatchlistKey], now: float) -> Verdict | None:
        """The verdict of a read's keys against the lists in force (None: on no list)."""
        person = next((k for k in keys if isinstance(k, PersonKey)), None)
        for key in keys:
            verdict = self._match_key(key, person, now)
            if verdict is not None:
                return verdict
        return None

    def _match_key(self, key: WatchlistKey, person: PersonKey | None, now: float) -> Verdict | None:
        if isinstance(key, DocumentKey):
            found = [
                i
                for i in self._live(self.documents.get(norm_id(key.number)), now)
                if not key.issuer
                or not i.fields.get("document_issuer")
                or i.fields["document_issuer"] == key.issuer
            ]
            return _traveller_verdict(found[0], person) if found else None
        if isinstance(key, ContainerKey):
            found = self._live(self.containers.get(norm_id(key.number)), now)
        elif isinstance(key, MrnKey):
            found = self._live(self.mrns.get(norm_id(key.mrn)), now)
        else:
            return None
        return _expected(found[0], f"{found[0].kind} on the list") if found else None

    def match_plate(self, plate: str, country: str | None, now: float) -> Verdict | None:
        """The verdict of a vehicle's plate (its country, when both say one, must agree)."""
        found = [
            i
            for i in self._live(self.plates.get(norm_id(plate)), now)
            if not country or not i.fields.get("country") or i.fields["country"] == country
        ]
        return _expected(found[0], "vehicle on the list") if found else None


def _expected(item: Item, reason: str) -> Verdict:
    return Verdict("expected", item, item.list_id, item.reference, reason)


def _traveller_verdict(item: Item, person: PersonKey | None) -> Verdict:
    """Expected, or a mismatch when the read's surname or birth date differs from the list's."""
    if person is not None:
        listed, read = name_key(item.fields.get("surname")), name_key(person.surname)
        if listed and read and not (listed.startswith(read) or read.startswith(listed)):
            why = f"surname on the list {item.fields.get('surname')!r}, read {person.surname!r}"
            return Verdict("mismatch", item, item.list_id, item.reference, why)
        born_l, born_r = yymmdd(item.fields.get("birth_date")), yymmdd(person.birth_date)
        if born_l and born_r and born_l != born_r:
            why = (
                f"birth date on the list {item.fields.get('birth_date')}, read {person.birth_date}"
            )
            return Verdict("mismatch", item, item.list_id, item.reference, why)
    return _expected(item, "traveller on the list")


def iso_now() -> str:
    """The current UTC time in ISO 8601 (seconds)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
