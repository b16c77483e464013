"""A tolerant PAXLST reader: segments in, usable messages or reasons with positions out.

What it tolerates (all seen in real files, ``../shared/testdata/paxlst``):
UNT segment counts that are wrong (kept as a warning), a missing BGM, NAT,
DOC or ATT, several DOC groups per traveller, travel legs without a border
crossing (``LOC+92`` instead of ``LOC+125``/``LOC+87``), text after the
last segment, several interchanges in one file. What it refuses, per
message, with the message's position: another message type (PNRGOV …), a
message cut short (no UNT before the next UNH or the end), no travellers.
A traveller without a surname is left out with a warning. Where the fields
are: ``../shared/testdata/paxlst/FIELDS.md`` and docs/prearrival.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from sync.paxlst.edifact import Segment, Tokenizer, decode, is_tag
from sync.paxlst.model import Document, Message, Place, Transport, Traveller, Unusable
from sync.sanitize import clean_text

ROLES: Final = {
    "FL": "passenger",
    "DDT": "passenger",
    "DDU": "passenger",
    "FM": "crew",
    "VW": "crew",
}
LIST_TYPES: Final = {"745": "passenger_list", "250": "crew_list", "266": "flight_status"}
MODES: Final = {"1": "sea", "2": "rail", "3": "road", "4": "air", "8": "inland_water"}
ENVELOPE: Final = frozenset({"UNB", "UNG", "UNE", "UNZ", "UNA"})
NAME_MAX: Final = 70  # a traveller's name part: untrusted text, bounded and cleaned
CODE_MAX: Final = 35  # a code or a document number (EDIFACT an..35)
Result = Message | Unusable


def parse(data: bytes | str, today: dt.date | None = None, fast: bool = True) -> list[Result]:
    """Every message of a file (bytes: UTF-8 or Latin-1), usable or not, in order.

    ``fast=False`` makes the tokenizer take its careful path everywhere (the
    results are the same; a test checks it).
    """
    text = decode(data) if isinstance(data, bytes) else data
    return list(messages(Tokenizer(text, fast).segments(), today or dt.date.today()))


def messages(segments: Iterable[Segment], today: dt.date) -> Iterator[Result]:
    """Group segments into UNH…UNT messages and read each."""
    current: list[Segment] | None = None
    for seg in segments:
        if not seg.terminated and not is_tag(seg.tag):
            continue  # trailing text after the last segment
        if seg.tag == "UNH":
            if current is not None:
                yield _cut(current, "no UNT before the next UNH: the message is cut short")
            current = [seg]
        elif current is None:
            if seg.tag not in ENVELOPE:
                tag = clean_text(seg.tag, 20) or "(empty)"
                yield Unusable(f"segment {tag!r} outside a message", seg.position)
        elif seg.tag == "UNZ":
            yield _cut(current, "no UNT before the end of the interchange (UNZ)")
            current = None
        else:
            current.append(seg)
            if seg.tag == "UNT":
                yield read_message(current, today)
                current = None
    if current is not None:
        yield _cut(current, "no UNT before the end of the file: the message is cut short")


def _cut(segs: list[Segment], reason: str) -> Unusable:
    return Unusable(reason, segs[0].position, clean_text(segs[0].get(1), 40) or None)


def read_message(segs: list[Segment], today: dt.date) -> Result:
    """One UNH…UNT message: a :class:`Message`, or :class:`Unusable` with the reason."""
    unh = segs[0]
    ref = clean_text(unh.get(1), 40)
    kind = clean_text(unh.get(2, 0), 20)
    if kind != "PAXLST":
        return Unusable(f"a {kind or 'untyped'} message, not PAXLST", unh.position, ref or None)
    warnings: list[str] = []
    head, groups = _split_groups(segs[1:-1])
    travellers = [t for g in groups if (t := _traveller(g, today, warnings)) is not None]
    if not travellers:
        return Unusable(
            "no travellers (NAD+FL, FM, VW, DDT or DDU) in the message", unh.position, ref
        )
    _check_counts(segs, len(travellers), warnings)
    return Message(
        message_type=_list_type(head),
        reference=_first(head, "RFF", "TN", 1, 1) or ref,
        transport=_transport(head, unh, today),
        travellers=tuple(travellers),
        position=unh.position,
        warnings=tuple(warnings),
    )


def _split_groups(body: list[Segment]) -> tuple[list[Segment], list[list[Segment]]]:
    """The message head, and one group per traveller (from its NAD to the next)."""
    head: list[Segment] = []
    groups: list[list[Segment]] = []
    for seg in body:
        if seg.tag == "NAD" and seg.get(1) in ROLES:
            groups.append([seg])
        elif seg.tag == "CNT" or not groups:
            head.append(seg)
        else:
            groups[-1].append(seg)
    return head, groups


def _first(segs: Sequence[Segment], tag: str, qualifier: str, el: int, comp: int = 0) -> str:
    for seg in segs:
        if seg.tag == tag and seg.get(1) == qualifier:
            return seg.get(el, comp)
    return ""


def _list_type(head: list[Segment]) -> str:
    code = next((s.get(1) for s in head if s.tag == "BGM"), "")
    return LIST_TYPES.get(code, f"bgm_{code}" if code else "unknown")


def _check_counts(segs: list[Segment], travellers: int, warnings: list[str]) -> None:
    declared = segs[-1].get(1).lstrip("0")
    if declared.isdigit() and int(declared) != len(segs):
        warnings.append(f"UNT says {declared} segments, the message has {len(segs)}")
    for seg in segs:
        if seg.tag != "CNT":
            continue
        count = seg.get(1, 1)
        if seg.get(1, 0) in ("41", "42") and count.isdigit() and int(count) != travellers:
            warnings.append(f"CNT says {count} travellers, read {travellers}")


def _transport(head: list[Segment], unh: Segment, today: dt.date) -> Transport:
    tdts = [i for i, s in enumerate(head) if s.tag == "TDT"]
    if not tdts:
        return Transport(departure=Place(), arrival=Place())
    crossing = next(
        (i for i, s in enumerate(head) if s.tag == "LOC" and s.get(1) in ("125", "87")), None
    )
    at = max((i for i in tdts if crossing is None or i < crossing), default=tdts[0])
    tdt = head[at]
    mode = MODES.get(tdt.get(3)) or ("road" if tdt.get(1) == "11" else None)
    if mode is None and unh.get(2, 4) == "IATA":
        mode = "air"
    dep, arr = _places(head[at + 1 :], today)
    return Transport(
        mode=mode,
        carrier=tdt.get(5) or None,
        vehicle=tdt.get(8) or tdt.get(2) or None,
        departure=dep,
        arrival=arr,
    )


def _places(segs: list[Segment], today: dt.date) -> tuple[Place, Place]:
    """Departure (LOC+125 / first LOC+92) and arrival (LOC+87 / last LOC+92) with their DTM."""
    timed: list[tuple[str, str, str | None]] = []  # (qualifier, place, time)
    for i, seg in enumerate(segs):
        if seg.tag == "LOC" and seg.get(1) in ("125", "87", "92"):
            nxt = segs[i + 1] if i + 1 < len(segs) else None
            when = _when(nxt, today) if nxt is not None and nxt.tag == "DTM" else None
            timed.append((seg.get(1), _place_name(seg), when))
    dep = next((t for t in timed if t[0] == "125"), None) or next(
        (t for t in timed if t[0] == "92"), None
    )
    arr = next((t for t in timed if t[0] == "87"), None) or next(
        (t for t in reversed(timed) if t[0] == "92"), None
    )
    return (Place(dep[1], dep[2]) if dep else Place()), (Place(arr[1], arr[2]) if arr else Place())


def _place_name(seg: Segment) -> str:
    return seg.get(2) or seg.get(2, 3) or ""


def _when(seg: Segment, today: dt.date) -> str | None:
    return iso_time(seg.get(1, 1), seg.get(1, 2), today)


def iso_time(value: str, fmt: str, today: dt.date) -> str | None:
    """A DTM value (formats 201 YYMMDDHHMM, 203 CCYYMMDDHHMM, 102 CCYYMMDD, 101 YYMMDD)."""
    v = value.strip()
    if not v.isdigit():
        return None
    if fmt == "201" or (not fmt and len(v) == 10):
        v, fmt = f"20{v}", "203"
    if fmt == "203" and len(v) == 12:
        try:
            return dt.datetime.strptime(v, "%Y%m%d%H%M").isoformat(timespec="minutes")
        except ValueError:
            return None
    return iso_date(v, today, future=True)


def iso_date(value: str, today: dt.date, future: bool) -> str | None:
    """YYMMDD or CCYYMMDD as ISO; a two-digit year is 20YY, or 19YY for a past date that
    would otherwise lie ahead (``future=False``: birth dates)."""
    v = value.strip()
    if not v.isdigit() or len(v) not in (6, 8):
        return None
    try:
        if len(v) == 6:
            century = "20" if future or int(v[:2]) <= today.year % 100 else "19"
            v = century + v
        if v.isascii():
            return _ascii_date(v)
        return dt.date(int(v[:4]), int(v[4:6]), int(v[6:8])).isoformat()
    except ValueError:
        return None


DAYS: Final = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _ascii_date(v: str) -> str | None:
    """CCYYMMDD (ASCII digits) as ISO when it is a real date: what ``datetime.date`` says,
    at a third of its cost (a 40-traveller message has 80 dates)."""
    y, m, d = int(v[:4]), int(v[4:6]), int(v[6:8])
    if y == 0 or not 1 <= m <= 12 or not 1 <= d <= DAYS[m - 1]:
        return None
    if m == 2 and d == 29 and (y % 4 or (y % 100 == 0 and y % 400)):
        return None
    return f"{v[:4]}-{v[4:6]}-{v[6:]}"


def _traveller(group: list[Segment], today: dt.date, warnings: list[str]) -> Traveller | None:
    nad = group[0]
    names = [clean_text(c, NAME_MAX).strip() for c in nad.components(4)]
    surname = names[0] if names else ""
    if not surname:
        warnings.append(f"{nad.position}: a traveller without a surname, left out")
        return None
    found: dict[str, str | None] = {}
    docs: list[list[str | None]] = []  # [type, number, issuer, expiry]
    for seg in group[1:]:
        tag = seg.tag
        if tag == "DTM":
            q = seg.get(1)
            if q == "329":
                found["birth"] = iso_date(seg.get(1, 1), today, future=False)
            elif q == "36" and docs:
                docs[-1][3] = iso_date(seg.get(1, 1), today, future=True)
        elif tag == "ATT" and seg.get(1) == "2":
            found["sex"] = clean_text(seg.get(3), CODE_MAX) or None
        elif tag == "NAT" and found.get("nationality") is None:
            found["nationality"] = clean_text(seg.get(2), CODE_MAX) or None
        elif tag == "DOC":
            number = clean_text(seg.get(2), CODE_MAX).strip()
            docs.append([clean_text(seg.get(1), CODE_MAX) or None, number, None, None])
        elif tag == "LOC" and docs and seg.get(1) == "91":
            docs[-1][2] = clean_text(seg.get(2), CODE_MAX) or None
    given = " ".join([n for n in names[1:] if n])
    documents = tuple(Document(d[0], d[1], d[2], d[3]) for d in docs if d[1])  # type: ignore[arg-type]
    role = ROLES[nad.get(1)]
    return Traveller(
        surname,
        given,
        found.get("birth"),
        found.get("sex"),
        found.get("nationality"),
        role,
        documents,
    )
