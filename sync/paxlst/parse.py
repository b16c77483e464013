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
from collections.abc import Iterable, Iterator
from typing import Final

from sync.paxlst.edifact import Segment, Tokenizer, decode, is_tag
from sync.paxlst.extract import extract
from sync.paxlst.fields import CODE_MAX, ROLES, check_counts, iso_date, message, names
from sync.paxlst.model import Document, Message, Traveller, Unusable
from sync.sanitize import clean_text

ENVELOPE: Final = frozenset({"UNB", "UNG", "UNE", "UNZ", "UNA"})
Result = Message | Unusable


def parse(data: bytes | str, today: dt.date | None = None, fast: bool = True) -> list[Result]:
    """Every message of a file (bytes: UTF-8 or Latin-1), usable or not, in order.

    Where the text is plain and every message has the common shape, the
    extractor reads it (:mod:`sync.paxlst.extract`); else the tokenizer and the
    reader below. ``fast=False`` skips the extractor and makes the tokenizer
    take its careful path everywhere (the results are the same; tests check it).
    """
    text = decode(data) if isinstance(data, bytes) else data
    day = today or dt.date.today()
    if fast and (found := extract(text, day)) is not None:
        return found
    return list(messages(Tokenizer(text, fast).segments(), day))


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
    check_counts(segs[-1], len(segs), head, len(travellers), warnings)
    return message(unh, unh.position, head, travellers, warnings, today)


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


def _traveller(group: list[Segment], today: dt.date, warnings: list[str]) -> Traveller | None:
    nad = group[0]
    surname, given = names(nad.components(4))
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
