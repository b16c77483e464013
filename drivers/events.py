"""Typed events and the one versioned codec of their JSON.

An event is a header (sequence, UUID, kind, priority, times, lane, device)
and a typed body chosen by its kind: ``MrzRead``, ``BarcodeScan``,
``RpmOccupancy``, ``RpmFault``, ``DeviceFault``, ``Alert``,
``Adjudication``, ``OfficerAction``, ``OutboxEvicted`` … The JSON they
encode to is the JSON the store keeps, the local API sends, the MQTT
batches carry (as an opaque payload) and the console reads. It lives at the
bottom layer (stdlib only) so drivers, edge and — through
``edge.api.protocol`` — the console share it; ``sync`` never imports it.

Decoding is strict about types and lenient about presence: a key a body
declares may be missing (old JSON), keys it does not declare are kept in
``extra``, and a decoded body re-encodes to the same JSON, key order and
all. A payload the retention purge blanked (``{"purged": true}``) decodes
to ``Purged`` whatever its kind; a kind this version does not know decodes
to ``Unknown``. An event object newer than ``CODEC_VERSION`` is refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, TypeVar

CODEC_VERSION: Final = 1
B = TypeVar("B", bound="Body")


class CodecError(ValueError):
    """JSON that is not a valid event of this codec version (the message says what and where)."""


@dataclass(frozen=True)
class Body:
    """A typed event payload. ``extra`` keeps keys the body does not declare.

    ``absent`` names declared keys the decoded JSON did not have and
    ``order`` its key order, so a decoded body encodes back to the same JSON.
    """

    KINDS: ClassVar[tuple[str, ...]] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, kw_only=True)
    absent: frozenset[str] = field(default=frozenset(), kw_only=True)
    order: tuple[str, ...] = field(default=(), kw_only=True, compare=False, repr=False)


@dataclass(frozen=True)
class MrzRead(Body):
    """A machine-readable zone read by a document reader, the camera or typed by an officer."""

    KINDS: ClassVar[tuple[str, ...]] = ("mrz", "manual")
    format: str | None = None
    document_code: str | None = None
    issuing_state: str | None = None
    surname: str | None = None
    given_names: str | None = None
    document_number: str | None = None
    nationality: str | None = None
    birth_date: str | None = None
    sex: str | None = None
    expiry_date: str | None = None
    optional_data: str | None = None
    optional_data_2: str | None = None
    checks: Mapping[str, Any] = field(default_factory=dict)
    valid: bool | None = None
    known_codes: Mapping[str, Any] = field(default_factory=dict)
    specimen: bool = False
    warnings: tuple[str, ...] = ()
    corrections: tuple[Any, ...] = ()
    raw: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class MrzUnreadable(Body):
    """A block from a document reader that is no MRZ."""

    KINDS: ClassVar[tuple[str, ...]] = ("mrz.unreadable",)
    text: str = ""
    lines: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class BarcodeScan(Body):
    """One barcode from a scanner or the camera, with what it turned out to be."""

    KINDS: ClassVar[tuple[str, ...]] = ("barcode",)
    symbology: str = "unknown"
    text: str = ""
    bytes_b64: str = ""
    parsed: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RpmOccupancy(Body):
    """One vehicle's pass through the radiation portal, and its verdict."""

    KINDS: ClassVar[tuple[str, ...]] = ("rpm.occupancy",)
    occupancy: int | None = None
    start: str | None = None
    end: str | None = None
    device_gamma_alarm: bool = False
    device_neutron_alarm: bool = False
    gamma_alarm: bool = False
    neutron_alarm: bool = False
    peak_sigma: float | None = None
    speed_kmh: float | None = None
    gamma_background_cps: float | None = None
    neutron_background_cps: float | None = None
    norm_suspect: bool = False
    disagreement: bool = False
    faults: tuple[str, ...] = ()
    sigma: float | None = None
    peak_group: str | None = None
    gamma_series: tuple[int, ...] = ()
    gamma_interval_s: float | None = None
    gamma_background_1s: float | None = None
    gamma_threshold_1s: float | None = None
    gamma_detectors_cps: tuple[float, ...] = ()
    neutron_series: tuple[int, ...] = ()
    neutron_threshold: int | None = None  # counts the best window needs to alarm
    neutron_window_s: int | None = None  # that window's length (1 to 4 rows inside the occupancy)
    neutron_window_counts: int | None = None  # the counts in that window
    crossing: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class RpmStatus(Body):
    """The portal's periodic report of its backgrounds and whether it protects the lane."""

    KINDS: ClassVar[tuple[str, ...]] = ("rpm.status",)
    time: str | None = None
    gamma_background_cps: tuple[float, ...] = ()
    neutron_background_cps: float | None = None
    protected: bool = True
    faults: tuple[str, ...] = ()
    sigma: float | None = None
    lines: int = 0
    bad_lines: int = 0


@dataclass(frozen=True)
class RpmFault(Body):
    """A fault the portal reported (or its clearing)."""

    KINDS: ClassVar[tuple[str, ...]] = ("rpm.fault",)
    fault: str = ""
    detail: str = ""
    time: str | None = None
    cleared: bool = False


@dataclass(frozen=True)
class DeviceFault(Body):
    """A device that failed or came back (``device.fault``, ``device.ok``)."""

    KINDS: ClassVar[tuple[str, ...]] = ("device.fault", "device.ok")
    name: str | None = None
    state: str | None = None
    error: str | None = None
    fault: str | None = None


@dataclass(frozen=True)
class ChipCard(Body):
    """A card put into or taken out of a chip reader (``chip.card``), with its ATR."""

    KINDS: ClassVar[tuple[str, ...]] = ("chip.card",)
    reader: str = ""
    present: bool = False
    atr: str = ""


@dataclass(frozen=True)
class ChipVerdict(Body):
    """The chip of a document read at the booth (``chip.read``): how it was opened, whether
    it is genuine and matches the printed page, and why not, in sentences."""

    KINDS: ClassVar[tuple[str, ...]] = ("chip.read",)
    status: str = ""
    summary: str = ""
    genuine: bool | None = None
    reader: str = ""
    access: str | None = None
    passive_authentication: str | None = None
    csca: str | None = None
    chip_authentication: str | None = None
    active_authentication: str | None = None
    dg1_matches_page: bool | None = None
    mismatches: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    document_number: str | None = None
    issuing_state: str | None = None
    surname: str | None = None
    given_names: str | None = None
    nationality: str | None = None
    birth_date: str | None = None
    document_signer_country: str | None = None
    data_groups: tuple[int, ...] = ()
    face: Mapping[str, Any] | None = None
    mrz_seq: int | None = None
    apdus: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class Alert(Body):
    """An alert raised by an event: watchlist hits, a radiation alarm, a fault."""

    KINDS: ClassVar[tuple[str, ...]] = ("alert",)
    alert_id: int = 0
    event_seq: int = 0
    event_uuid: str = ""
    kind: str = ""
    severity: int = 2
    summary: str = ""
    hits: tuple[Any, ...] = ()
    keys: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Adjudication(Body):
    """An officer's decision on an alert."""

    KINDS: ClassVar[tuple[str, ...]] = ("adjudication",)
    alert_id: int = 0
    event_seq: int = 0
    decision: str = ""
    reason: str = ""
    note: str = ""
    officer_id: str = ""


@dataclass(frozen=True)
class OfficerAction(Body):
    """An officer logged in or out, or a supervisor added, disabled or reset one."""

    KINDS: ClassVar[tuple[str, ...]] = (
        "officer.login", "officer.logout", "officer.added", "officer.disabled",
        "officer.pin_reset",
    )  # fmt: skip
    officer_id: str = ""
    role: str | None = None
    by: str | None = None


@dataclass(frozen=True)
class OutboxEvicted(Body):
    """Routine events the outbox's disk cap dropped before HQ had them."""

    KINDS: ClassVar[tuple[str, ...]] = ("outbox.evicted",)
    first_seq: int = 0
    last_seq: int = 0
    count: int = 0


@dataclass(frozen=True)
class ConfigChange(Body):
    """A technician changed a device setting."""

    KINDS: ClassVar[tuple[str, ...]] = ("config.change",)
    device: str = ""
    key: str = ""
    value: Any = None
    by: str = ""


@dataclass(frozen=True)
class Purged(Body):
    """An event whose personal data the retention period has blanked."""

    purged: bool = True


@dataclass(frozen=True)
class Unknown(Body):
    """An event of a kind this version does not know: every key is in ``extra``."""


BODIES: Final[tuple[type[Body], ...]] = (
    MrzRead, MrzUnreadable, BarcodeScan, RpmOccupancy, RpmStatus, RpmFault, DeviceFault, Alert,
    Adjudication, OfficerAction, OutboxEvicted, ConfigChange, ChipCard, ChipVerdict,
)  # fmt: skip
BODY_OF_KIND: Final[dict[str, type[Body]]] = {k: b for b in BODIES for k in b.KINDS}
_BASE_FIELDS: Final = frozenset({"extra", "absent", "order"})


def body_class(kind: str) -> type[Body]:
    """The body class of an event kind (``Unknown`` for a kind this version lacks)."""
    return BODY_OF_KIND.get(kind, Unknown)


def declared(cls: type[Body]) -> tuple[tuple[str, Any], ...]:
    """The JSON keys a body declares, with their types, in JSON order."""
    found = _DECLARED.get(cls)
    if found is None:
        hints = _hints(cls)
        found = tuple(
            (f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.name not in _BASE_FIELDS
        )
        _DECLARED[cls] = found
    return found


_DECLARED: dict[type[Body], tuple[tuple[str, Any], ...]] = {}


def encode_body(body: Body) -> dict[str, Any]:
    """The JSON object of a body (a decoded one gives back exactly what it came from)."""
    out: dict[str, Any] = {
        name: _to_json(getattr(body, name))
        for name, _ in declared(type(body))
        if name not in body.absent
    }
    out.update(body.extra)
    if body.order and set(body.order) == set(out):
        return {key: out[key] for key in body.order}
    return out


def decode_body(kind: str, payload: Mapping[str, Any]) -> Body:
    """The typed body of ``kind`` from its JSON object; ``CodecError`` names a bad field."""
    if not isinstance(payload, Mapping):
        raise CodecError(f"{kind} payload must be a JSON object, not {type(payload).__name__}")
    cls = Purged if dict(payload) == {"purged": True} else body_class(kind)
    names = dict(declared(cls))
    values = {k: _from_json(kind, k, v, names[k]) for k, v in payload.items() if k in names}
    extra = {k: v for k, v in payload.items() if k not in names}
    absent = frozenset(names) - set(payload)
    return cls(**values, extra=extra, absent=absent, order=tuple(payload))


def with_fields(body: B, **values: Any) -> B:
    """``body`` with ``values`` set: it encodes as its JSON with those keys set would
    (a key the JSON lacked goes last; a key the body does not declare goes to ``extra``)."""
    names = {name for name, _ in declared(type(body))}
    extra = {**body.extra, **{k: v for k, v in values.items() if k not in names}}
    order = (*body.order, *(k for k in values if k not in body.order)) if body.order else ()
    return dataclasses.replace(
        body, **{k: v for k, v in values.items() if k in names}, extra=extra,
        absent=body.absent - set(values), order=order,
    )  # fmt: skip


def decode_body_or_unknown(kind: str, payload: Any) -> Body:
    """``decode_body``, but JSON the codec refuses is kept whole as ``Unknown`` (for display)."""
    try:
        return decode_body(kind, payload)
    except CodecError:
        return Unknown(extra=payload if isinstance(payload, Mapping) else {})


# -- watchlist keys -------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentKey:
    """A watchlist look-up by document: number, issuing state, document type."""

    number: str | None
    issuer: str | None = None
    type: str | None = None


@dataclass(frozen=True)
class PersonKey:
    """A watchlist look-up by person: names, birth date (YYMMDD or ISO), nationality, sex."""

    surname: str | None
    given_names: str | None = None
    birth_date: str | None = None
    nationality: str | None = None
    sex: str | None = None
    cut_short: str | None = None
    """The name fields whose last word the document may have cut short (``surname``,
    ``given_names``, or both space-separated: a machine-readable zone's or a boarding pass's
    name that fills its field, a licence that says so); None when not known to be. Left out
    of the key's JSON when None."""


_OMITTED_WHEN_NONE: Final = frozenset({"cut_short"})
"""Key fields whose JSON leaves them out when None (added after keys were first stored)."""


@dataclass(frozen=True)
class ContainerKey:
    """A watchlist look-up by freight container number (ISO 6346)."""

    number: str | None


@dataclass(frozen=True)
class MrnKey:
    """A watchlist look-up by customs movement reference number."""

    mrn: str | None


WatchlistKey = DocumentKey | PersonKey | ContainerKey | MrnKey
_KEY_KINDS: Final[dict[str, type[WatchlistKey]]] = {
    "document": DocumentKey,
    "person": PersonKey,
    "container": ContainerKey,
    "mrn": MrnKey,
}
_KIND_OF_KEY: Final[dict[type[WatchlistKey], str]] = {c: k for k, c in _KEY_KINDS.items()}
KEY_TYPES: Final = (DocumentKey, PersonKey, ContainerKey, MrnKey)


def encode_key(key: WatchlistKey) -> dict[str, Any]:
    """The JSON object of a key (``{"kind": "document", …}``), as readings carry it."""
    fields = dataclasses.asdict(key).items()
    kept = {k: v for k, v in fields if v is not None or k not in _OMITTED_WHEN_NONE}
    return {"kind": _KIND_OF_KEY[type(key)], **kept}


def decode_key(obj: Mapping[str, Any]) -> WatchlistKey:
    """A key's JSON object back as a typed key; ``CodecError`` for an unknown kind or field."""
    cls = _KEY_KINDS.get(str(obj.get("kind")))
    if cls is None:
        kinds = ", ".join(_KEY_KINDS)
        raise CodecError(f"watchlist key kind must be one of {kinds}, not {obj.get('kind')!r}")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(obj) - names - {"kind"}
    if unknown:
        raise CodecError(f"{obj['kind']} key has unknown fields: {', '.join(sorted(unknown))}")
    values = {n: _from_json("key", n, obj.get(n), str | None) for n in names}
    return cls(**values)


# -- the event envelope (the local API's EVENT object) -----------------------------


@dataclass(frozen=True)
class Event:
    """One event as the post stores and serves it: the header every event has, its typed body."""

    seq: int
    uuid: str
    kind: str
    priority: int
    wall_time: float
    mono_time: float
    clock_synced: bool
    lane: str | None
    device: str | None
    body: Body
    alert_ids: tuple[int, ...] = ()

    @property
    def payload(self) -> dict[str, Any]:
        """The body's JSON object: what the store keeps and the MQTT batches carry."""
        return encode_body(self.body)


def encode_event(event: Event) -> dict[str, Any]:
    """The documented EVENT object of the local API (``v`` is the codec version)."""
    return {
        "v": CODEC_VERSION,
        "seq": event.seq,
        "uuid": event.uuid,
        "kind": event.kind,
        "priority": event.priority,
        "wall_time": iso(event.wall_time),
        "mono_time": event.mono_time,
        "clock_synced": event.clock_synced,
        "lane": event.lane,
        "device": event.device,
        "payload": encode_body(event.body),
        "alert_ids": list(event.alert_ids),
    }


def decode_event(obj: Mapping[str, Any]) -> Event:
    """An EVENT object back as an ``Event``; objects without ``v`` are version 1."""
    version = obj.get("v", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise CodecError(f"event codec version must be a whole number ≥ 1, not {version!r}")
    if version > CODEC_VERSION:
        raise CodecError(
            f"event codec version {version} is newer than this borderpost reads"
            f" ({CODEC_VERSION}); upgrade the console or the tool reading it"
        )
    kind = _header(obj, "kind", str)
    return Event(
        seq=_header(obj, "seq", int),
        uuid=_header(obj, "uuid", str),
        kind=kind,
        priority=_header(obj, "priority", int),
        wall_time=parse_iso(_header(obj, "wall_time", str)),
        mono_time=float(_header(obj, "mono_time", float)),
        clock_synced=_header(obj, "clock_synced", bool),
        lane=_header(obj, "lane", str | None),
        device=_header(obj, "device", str | None),
        body=decode_body(kind, obj.get("payload", {})),
        alert_ids=tuple(_from_json(kind, "alert_ids", obj.get("alert_ids", []), tuple[int, ...])),
    )


def iso(ts: float) -> str:
    """A UNIX time as ISO 8601 UTC with milliseconds."""
    moment = dt.datetime.fromtimestamp(ts, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> float:
    """The UNIX time of an ``iso`` string."""
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise CodecError(f"wall_time {text[:40]!r} is not an ISO 8601 time") from None


def _header(obj: Mapping[str, Any], key: str, kind: Any) -> Any:
    if key not in obj:
        raise CodecError(f"event object lacks {key!r}")
    return _from_json("event", key, obj[key], kind)


# -- typed JSON values ------------------------------------------------------------------


def _hints(cls: type[Body]) -> dict[str, Any]:
    cached: dict[type[Body], dict[str, Any]] = _HINTS
    if cls not in cached:
        cached[cls] = typing.get_type_hints(cls)
    return cached[cls]


_HINTS: dict[type[Body], dict[str, Any]] = {}


def _to_json(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value


def _from_json(kind: str, key: str, value: Any, hint: Any) -> Any:
    """``value`` checked against ``hint`` (lists become tuples); ``CodecError`` if it is not."""
    if hint is Any:
        return value
    for option in _options(hint):
        if type(value) is option and option is not tuple:  # the common case, at once
            return value
        ok, converted = _fits(value, option)
        if ok:
            return converted
    raise CodecError(f"{kind}: {key} must be {_describe(hint)}, not {type(value).__name__}")


def _fits(value: Any, hint: Any) -> tuple[bool, Any]:
    origin = typing.get_origin(hint)
    if hint is type(None):
        return value is None, value
    if hint is bool:
        return isinstance(value, bool), value
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool), value
    if hint is str:
        return isinstance(value, str), value
    if origin is tuple and isinstance(value, list | tuple):
        item = typing.get_args(hint)[0]
        checked = [_fits(v, item) if item is not Any else (True, v) for v in value]
        return all(ok for ok, _ in checked), tuple(v for _, v in checked)
    if origin in (Mapping, dict) or hint is Mapping:
        return isinstance(value, Mapping), value
    return False, value


@functools.cache
def _options(hint: Any) -> tuple[Any, ...]:
    """The types a value of ``hint`` may have (the members of a union)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return typing.get_args(hint)
    return (hint,)


def _describe(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")
