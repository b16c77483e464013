"""What a PAXLST message says, as frozen values (and their JSON form)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sync.paxlst.edifact import Position


@dataclass(frozen=True)
class Place:
    """A place (location code or name) and a time (ISO 8601, no zone), either may be None."""

    place: str | None = None
    time: str | None = None


@dataclass(frozen=True)
class Transport:
    """The conveyance: mode, carrier, vehicle (flight number, plate…), the crossing's legs."""

    mode: str | None = None
    carrier: str | None = None
    vehicle: str | None = None
    departure: Place = Place()
    arrival: Place = Place()


@dataclass(frozen=True, init=False)
class Document:
    """One travel document of a traveller."""

    type: str | None
    number: str
    issuer: str | None = None
    expiry: str | None = None

    def __init__(
        self, type: str | None, number: str, issuer: str | None = None, expiry: str | None = None
    ) -> None:
        # What the generated frozen __init__ does, in a fifth of its time (see Traveller).
        d = self.__dict__
        d["type"], d["number"], d["issuer"], d["expiry"] = type, number, issuer, expiry


@dataclass(frozen=True, init=False)
class Traveller:
    """A passenger or crew member (names as sent; ``birth_date`` ISO)."""

    surname: str
    given_names: str
    birth_date: str | None
    sex: str | None
    nationality: str | None
    role: str
    documents: tuple[Document, ...] = ()

    def __init__(  # the fields, as the generated __init__ takes them
        self,
        surname: str,
        given_names: str,
        birth_date: str | None,
        sex: str | None,
        nationality: str | None,
        role: str,
        documents: tuple[Document, ...] = (),
    ) -> None:
        # The generated frozen __init__ sets each field with object.__setattr__: 3-4 µs a
        # traveller, a quarter of reading a PAXLST list. Writing the instance's dict is what
        # that does, at under 1 µs; a test checks the parameters against the fields.
        d = self.__dict__
        d["surname"], d["given_names"], d["birth_date"] = surname, given_names, birth_date
        d["sex"], d["nationality"], d["role"], d["documents"] = sex, nationality, role, documents

    @property
    def document(self) -> Document | None:
        """The travel document to match on: the first that is not a visa, else the first."""
        for doc in self.documents:
            if doc.type != "V":
                return doc
        return self.documents[0] if self.documents else None


@dataclass(frozen=True)
class Message:
    """A usable PAXLST message."""

    message_type: str
    reference: str
    transport: Transport
    travellers: tuple[Traveller, ...]
    position: Position
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Unusable:
    """A message (or a stretch of the file) that cannot be used, and why."""

    reason: str
    position: Position
    reference: str | None = None

    def __str__(self) -> str:
        ref = f" (message {self.reference})" if self.reference else ""
        return f"{self.position}{ref}: {self.reason}"


def traveller_json(t: Traveller) -> dict[str, Any]:
    """The issue's traveller fields."""
    doc = t.document
    return {
        "surname": t.surname,
        "given_names": t.given_names,
        "birth_date": t.birth_date,
        "sex": t.sex,
        "nationality": t.nationality,
        "document_type": doc.type if doc else None,
        "document_number": doc.number if doc else None,
        "document_issuer": doc.issuer if doc else None,
        "role": t.role,
    }


def place_json(p: Place) -> dict[str, Any]:
    """``{"place", "time"}``."""
    return {"place": p.place, "time": p.time}


def message_json(m: Message) -> dict[str, Any]:
    """``prearrival parse --json``'s object for a usable message."""
    t = m.transport
    return {
        "message_type": m.message_type,
        "reference": m.reference,
        "transport": {
            "mode": t.mode,
            "carrier": t.carrier,
            "vehicle": t.vehicle,
            "departure": place_json(t.departure),
            "arrival": place_json(t.arrival),
        },
        "travellers": [traveller_json(x) for x in m.travellers],
    }


def unusable_json(u: Unusable) -> dict[str, Any]:
    """``prearrival parse --json``'s object for a message that cannot be used."""
    p = u.position
    return {
        "error": u.reason,
        "reference": u.reference,
        "position": {"line": p.line, "column": p.column, "segment": p.segment},
    }
