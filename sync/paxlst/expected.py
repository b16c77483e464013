"""Expected arrivals: the lists HQ sends a post (travellers, vehicles, consignments).

One list is what one announcement said would arrive at some posts within a
window: a bus's passenger list, a truck's crew and load, a transit
declaration. The format (JSON, or CSV with one row per item) is documented
in docs/prearrival.md; a PAXLST message becomes a list with
:func:`from_paxlst`. Everything is validated here, so a post never gets an
entry it cannot use: a bad row or field raises :class:`FormatError` naming
the list and the item.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from sync.paxlst.model import Message

ID: Final = re.compile(r"[A-Za-z0-9._:/-]{1,64}")
CODE: Final = re.compile(r"[A-Z]{1,3}")
MAX_ITEMS: Final = 50_000
TRAVELLER_FIELDS: Final = (
    "surname", "given_names", "birth_date", "sex", "nationality",
    "document_type", "document_number", "document_issuer", "role",
)  # fmt: skip
CSV_COLUMNS: Final = (
    "list_id", "reference", "posts", "window_from", "window_to", "kind", *TRAVELLER_FIELDS,
    "plate", "country", "mrn", "containers", "seals", "lane", "arrival",
)  # fmt: skip
LANE: Final = re.compile(r"[A-Za-z0-9._-]{1,16}")


class FormatError(ValueError):
    """Expected-arrival data that cannot be used; the message says where and what."""


def norm_id(text: str | None) -> str:
    """A document number, plate, MRN or container as compared: upper case, letters and digits."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


@dataclass(frozen=True)
class Vehicle:
    """An expected vehicle: plate and the country that registered it."""

    plate: str
    country: str | None = None


@dataclass(frozen=True)
class Consignment:
    """An expected consignment: its movement reference number, containers and seals."""

    mrn: str | None
    containers: tuple[str, ...] = ()
    seals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """An expected traveller (the ``prearrival parse`` traveller fields)."""

    surname: str
    given_names: str = ""
    birth_date: str | None = None
    sex: str | None = None
    nationality: str | None = None
    document_type: str | None = None
    document_number: str | None = None
    document_issuer: str | None = None
    role: str = "passenger"


@dataclass(frozen=True)
class ExpectedList:
    """One announcement: who and what is expected at ``posts`` between two times (UNIX s)."""

    list_id: str
    reference: str
    posts: tuple[str, ...]
    window_from: float
    window_to: float
    travellers: tuple[Person, ...] = ()
    vehicles: tuple[Vehicle, ...] = ()
    consignments: tuple[Consignment, ...] = ()
    expires: float = 0.0
    source: str = "json"
    lane: str | None = None  # where the conveyance is expected (the console's view of a lane)
    arrival: float | None = None  # when it is expected (UNIX s), within the window
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def size(self) -> int:
        """How many items the list expects."""
        return len(self.travellers) + len(self.vehicles) + len(self.consignments)


def to_json(x: ExpectedList) -> dict[str, Any]:
    """The JSON form (what HQ publishes and the post stores)."""
    return {
        "list_id": x.list_id,
        "reference": x.reference,
        "posts": list(x.posts),
        "window": {"from": iso(x.window_from), "to": iso(x.window_to)},
        "expires": iso(x.expires) if x.expires else None,
        "source": x.source,
        "lane": x.lane,
        "arrival": iso(x.arrival) if x.arrival is not None else None,
        "travellers": [asdict(p) for p in x.travellers],
        "vehicles": [asdict(v) for v in x.vehicles],
        "consignments": [
            {"mrn": c.mrn, "containers": list(c.containers), "seals": list(c.seals)}
            for c in x.consignments
        ],
    }


def iso(ts: float) -> str:
    """UNIX seconds as ISO 8601 UTC (seconds)."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")


def parse_time(text: Any, where: str) -> float:
    """An ISO 8601 time (a time without zone is UTC) as UNIX seconds."""
    if not isinstance(text, str) or not text:
        raise FormatError(f"{where}: a time (ISO 8601) is required")
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise FormatError(f"{where}: {text[:40]!r} is not an ISO 8601 time") from None
    return (t if t.tzinfo else t.replace(tzinfo=dt.UTC)).timestamp()


def _text(obj: dict[str, Any], key: str, where: str, limit: int = 80) -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > limit or not value.isprintable():
        raise FormatError(f"{where}: {key} must be printable text of at most {limit} characters")
    return value.strip()


def _code(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = _text(obj, key, where, 3)
    if value is not None and not CODE.fullmatch(value.upper()):
        raise FormatError(f"{where}: {key} {value!r} is not a country code (1-3 letters)")
    return value.upper() if value else None


def _date(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = _text(obj, key, where, 10)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise FormatError(f"{where}: {key} {value!r} is not a date (YYYY-MM-DD)") from None


def person(obj: Any, where: str) -> Person:
    """A traveller from JSON; a surname and a document number or birth date are required."""
    if not isinstance(obj, dict):
        raise FormatError(f"{where}: a traveller must be an object")
    surname = _text(obj, "surname", where)
    if not surname:
        raise FormatError(f"{where}: surname is required")
    p = Person(
        surname=surname,
        given_names=_text(obj, "given_names", where) or "",
        birth_date=_date(obj, "birth_date", where),
        sex=_text(obj, "sex", where, 1),
        nationality=_code(obj, "nationality", where),
        document_type=_text(obj, "document_type", where, 3),
        document_number=_text(obj, "document_number", where, 40),
        document_issuer=_code(obj, "document_issuer", where),
        role=_text(obj, "role", where, 12) or "passenger",
    )
    if p.role not in ("passenger", "crew"):
        raise FormatError(f"{where}: role must be passenger or crew")
    if not norm_id(p.document_number) and not p.birth_date:
        raise FormatError(f"{where}: a document number or a birth date is required")
    return p


def vehicle(obj: Any, where: str) -> Vehicle:
    """An expected vehicle from JSON."""
    if not isinstance(obj, dict) or not norm_id(_text(obj, "plate", where, 20)):
        raise FormatError(f"{where}: a vehicle needs a plate")
    return Vehicle(str(_text(obj, "plate", where, 20)), _code(obj, "country", where))


def _ids(obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = obj.get(key) or []
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(v, str) and norm_id(v) for v in value):
        raise FormatError(f"{where}: {key} must be a list of identifiers")
    return tuple(v.strip() for v in value[:200])


def consignment(obj: Any, where: str) -> Consignment:
    """An expected consignment from JSON: an MRN or at least one container."""
    if not isinstance(obj, dict):
        raise FormatError(f"{where}: a consignment must be an object")
    c = Consignment(
        _text(obj, "mrn", where, 40), _ids(obj, "containers", where), _ids(obj, "seals", where)
    )
    if not norm_id(c.mrn) and not c.containers:
        raise FormatError(f"{where}: a consignment needs an mrn or containers")
    return c


def expected_list(obj: Any, where: str = "list", posts: tuple[str, ...] = ()) -> ExpectedList:
    """One list from its JSON object (``posts`` when the object names none)."""
    if not isinstance(obj, dict):
        raise FormatError(f"{where}: a list must be a JSON object")
    list_id = obj.get("list_id")
    if not isinstance(list_id, str) or not ID.fullmatch(list_id):
        raise FormatError(f"{where}: list_id must be 1-64 letters, digits or ._:/-")
    where = f"list {list_id}"
    raw = obj.get("window")
    window: dict[str, Any] = raw if isinstance(raw, dict) else {}
    start = parse_time(window.get("from"), f"{where}: window.from")
    end = parse_time(window.get("to"), f"{where}: window.to")
    if end <= start:
        raise FormatError(f"{where}: the window ends before it starts")
    arrival = parse_time(obj["arrival"], f"{where}: arrival") if obj.get("arrival") else None
    if arrival is not None and not start <= arrival <= end:
        raise FormatError(f"{where}: arrival is outside the window")
    return ExpectedList(
        list_id=list_id,
        reference=_text(obj, "reference", where) or list_id,
        posts=_posts(obj.get("posts"), posts, where),
        window_from=start,
        window_to=end,
        travellers=_items(obj, "travellers", person, where),
        vehicles=_items(obj, "vehicles", vehicle, where),
        consignments=_items(obj, "consignments", consignment, where),
        expires=parse_time(obj["expires"], f"{where}: expires") if obj.get("expires") else 0.0,
        source=_text(obj, "source", where, 12) or "json",
        lane=_lane(obj.get("lane"), where),
        arrival=arrival,
    )


def _lane(value: Any, where: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not LANE.fullmatch(value):
        raise FormatError(f"{where}: lane must be 1-16 letters, digits or ._-")
    return value


def _posts(value: Any, default: tuple[str, ...], where: str) -> tuple[str, ...]:
    if value is None:
        value = list(default)
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not all(
        isinstance(p, str) and ID.fullmatch(p) for p in value
    ):
        raise FormatError(f"{where}: posts must be a list of post ids")
    if not value:
        raise FormatError(f"{where}: no posts named (posts, or --posts)")
    return tuple(value)


def _items(obj: dict[str, Any], key: str, make: Any, where: str) -> tuple[Any, ...]:
    value = obj.get(key) or []
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise FormatError(f"{where}: {key} must be a list of at most {MAX_ITEMS}")
    return tuple(make(v, f"{where}, {key}[{i}]") for i, v in enumerate(value))


def read_json(text: str, posts: tuple[str, ...] = ()) -> list[ExpectedList]:
    """Lists from JSON: one list object, a JSON array of them or ``{"lists": [...]}``."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise FormatError(f"not JSON: {exc}") from None
    if isinstance(data, dict) and "lists" in data:
        data = data["lists"]
    items = data if isinstance(data, list) else [data]
    lists = [expected_list(x, f"list [{i}]", posts) for i, x in enumerate(items)]
    _unique([x.list_id for x in lists])
    return lists


def _unique(ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise FormatError(f"list {i}: appears twice")
        seen.add(i)


def read_csv(text: str, posts: tuple[str, ...] = ()) -> list[ExpectedList]:
    """Lists from CSV: a header with :data:`CSV_COLUMNS` (any order, unused ones may be
    left out), one row per item; ``kind`` is traveller, vehicle or consignment."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"list_id", "window_from", "window_to", "kind"} - set(reader.fieldnames or ())
    if missing:
        raise FormatError(f"CSV header: missing column(s) {', '.join(sorted(missing))}")
    lists: dict[str, dict[str, Any]] = {}
    for n, row in enumerate(reader, 2):
        _csv_row(lists, {k: (v or "").strip() for k, v in row.items() if k}, n)
    return [expected_list(obj, f"CSV list {i}", posts) for i, obj in lists.items()]


def _csv_row(lists: dict[str, dict[str, Any]], row: dict[str, str], n: int) -> None:
    obj = lists.setdefault(
        row.get("list_id", ""),
        {
            "list_id": row.get("list_id"),
            "reference": row.get("reference") or None,
            "posts": row.get("posts") or None,
            "window": {"from": row.get("window_from"), "to": row.get("window_to")},
            "lane": row.get("lane") or None,
            "arrival": row.get("arrival") or None,
            "source": "csv",
        },
    )
    kind = row.get("kind")
    keys = {
        "traveller": TRAVELLER_FIELDS,
        "vehicle": ("plate", "country"),
        "consignment": ("mrn", "containers", "seals"),
    }.get(kind or "")
    if keys is None:
        raise FormatError(f"CSV line {n}: kind must be traveller, vehicle or consignment")
    item = {k: row.get(k) or None for k in keys}
    obj.setdefault(f"{kind}s", []).append(item)


def from_paxlst(
    m: Message, posts: tuple[str, ...], window: tuple[float, float], list_id: str | None = None
) -> ExpectedList:
    """A PAXLST message as an expected list of its travellers (its vehicle as the vehicle)."""
    people = []
    for t in m.travellers:
        doc = t.document
        people.append(
            {
                "surname": t.surname,
                "given_names": t.given_names,
                "birth_date": t.birth_date,
                "sex": (t.sex or "")[:1] or None,
                "nationality": t.nationality,
                "document_type": doc.type if doc else None,
                "document_number": doc.number if doc else None,
                "document_issuer": doc.issuer if doc else None,
                "role": t.role,
            }
        )
    road = m.transport.mode == "road" and m.transport.vehicle
    arrival = m.transport.arrival.time
    if arrival is not None and not window[0] <= parse_time(arrival, "arrival") <= window[1]:
        arrival = None  # a window given by hand that does not hold the message's time
    obj = {
        "list_id": list_id or f"paxlst:{m.reference}"[:64],
        "reference": m.reference,
        "posts": list(posts),
        "window": {"from": iso(window[0]), "to": iso(window[1])},
        "arrival": arrival,
        "source": "paxlst",
        "travellers": people,
        "vehicles": [{"plate": m.transport.vehicle}] if road else [],
    }
    return expected_list(obj, f"PAXLST message {m.reference}")
