"""The fields of a PAXLST message's head (type, reference, transport), its counts and dates.

Shared by the careful reader (:mod:`sync.paxlst.parse`) and the extractor
(:mod:`sync.paxlst.extract`), so both read the same segments the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from sync.paxlst.edifact import Position, Segment
from sync.paxlst.model import Message, Place, Transport, Traveller
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
NAME_MAX: Final = 70  # a traveller's name part: untrusted text, bounded and cleaned
CODE_MAX: Final = 35  # a code or a document number (EDIFACT an..35)


def message(
    unh: Segment,
    position: Position,
    head: list[Segment],
    travellers: list[Traveller],
    warnings: list[str],
    today: dt.date,
) -> Message:
    """The :class:`Message` of a UNH (at ``position``), the head segments (CNT included)
    and the travellers."""
    return Message(
        message_type=_list_type(head),
        reference=_first(head, "RFF", "TN", 1, 1) or clean_text(unh.get(1), 40),
        transport=_transport(head, unh, today),
        travellers=tuple(travellers),
        position=position,
        warnings=tuple(warnings),
    )


def names(components: Sequence[str]) -> tuple[str, str]:
    """The surname and the given names (joined by spaces) of a NAD's name components, cleaned."""
    parts = [clean_text(c, NAME_MAX).strip() for c in components]
    return (parts[0] if parts else ""), " ".join([n for n in parts[1:] if n])


def _first(segs: Sequence[Segment], tag: str, qualifier: str, el: int, comp: int = 0) -> str:
    for seg in segs:
        if seg.tag == tag and seg.get(1) == qualifier:
            return seg.get(el, comp)
    return ""


def _list_type(head: list[Segment]) -> str:
    code = next((s.get(1) for s in head if s.tag == "BGM"), "")
    return LIST_TYPES.get(code, f"bgm_{code}" if code else "unknown")


def check_counts(
    unt: Segment, length: int, head: list[Segment], travellers: int, warnings: list[str]
) -> None:
    """Warnings for a UNT segment count other than ``length`` and a CNT traveller count
    other than ``travellers`` (every CNT is in the head)."""
    declared = unt.get(1).lstrip("0")
    if declared.isdigit() and int(declared) != length:
        warnings.append(f"UNT says {declared} segments, the message has {length}")
    for seg in head:
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
        return _ascii_time(v) or _strptime(v)
    return iso_date(v, today, future=True)


def _ascii_time(v: str) -> str | None:
    """CCYYMMDDHHMM (ASCII digits) as ISO when every field is in range, else None; where it
    says something, ``strptime`` says the same (its first choice for each field is two digits)."""
    hh, mm = v[8:10], v[10:]
    day = _ascii_date(v[:8]) if v.isascii() and hh < "24" and mm < "60" else None
    return f"{day}T{hh}:{mm}" if day else None


def _strptime(v: str) -> str | None:
    try:
        return dt.datetime.strptime(v, "%Y%m%d%H%M").isoformat(timespec="minutes")
    except ValueError:
        return None


def iso_date(value: str, today: dt.date, future: bool) -> str | None:
    """YYMMDD or CCYYMMDD as ISO; a two-digit year is 20YY, or 19YY for a past date that
    would otherwise lie ahead (``future=False``: birth dates)."""
    if len(value) == 8 and value.isascii() and value.isdigit():
        return _ascii_date(value)  # the common case, first
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
MONTH_DAYS: Final = {
    f"{m:02d}{d:02d}": f"-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, DAYS[m - 1] + 1)
}  # every MMDD of a leap year, and its ISO form


def _ascii_date(v: str) -> str | None:
    """CCYYMMDD (ASCII digits) as ISO when it is a real date: what ``datetime.date`` says,
    at a fraction of its cost (a 40-traveller message has 80 dates)."""
    return ymd(v[:4], v[4:])


def ymd(year: str, mmdd: str) -> str | None:
    """CCYY and MMDD (ASCII digits) as an ISO date when it is a real date, else None."""
    md = MONTH_DAYS.get(mmdd)
    if md is None or year == "0000" or (md == "-02-29" and not _leap(int(year))):
        return None
    return year + md


def _leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
