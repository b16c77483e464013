"""Write PAXLST messages (one interchange, default service characters), for tests and tools.

What :func:`write` produces, :func:`sync.paxlst.parse.parse` reads back to
the same values (the round-trip test); dates are written with century
(formats 203 and 102) so nothing depends on a century rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from sync.paxlst.edifact import DEFAULT, escape
from sync.paxlst.model import Message, Place, Traveller

BGM_CODES = {"passenger_list": "745", "crew_list": "250", "flight_status": "266"}
MODE_CODES = {"sea": "1", "rail": "2", "road": "3", "air": "4", "inland_water": "8"}
ROLE_CODES = {"passenger": "FL", "crew": "FM"}


def _seg(*elements: str | Sequence[str]) -> str:
    out = []
    for el in elements:
        comps = [el] if isinstance(el, str) else list(el)
        out.append(":".join(escape(c) for c in comps))
    while out and not out[-1]:
        out.pop()  # trailing empty elements are left out
    return "+".join(out) + DEFAULT.terminator


def _compact(t: str | None) -> str:
    return (t or "").replace("-", "").replace("T", "").replace(":", "")


def _place(qualifier: str, p: Place, dtm: str) -> list[str]:
    if p.place is None:
        return []
    out = [_seg("LOC", qualifier, p.place)]
    if p.time is not None:
        fmt = "203" if "T" in p.time else "102"
        out.append(_seg("DTM", [dtm, _compact(p.time), fmt]))
    return out


def _traveller(t: Traveller) -> list[str]:
    out = [_seg("NAD", ROLE_CODES[t.role], "", "", [t.surname, *t.given_names.split()])]
    if t.sex:
        out.append(_seg("ATT", "2", "", t.sex))
    if t.birth_date:
        out.append(_seg("DTM", ["329", _compact(t.birth_date), "102"]))
    if t.nationality:
        out.append(_seg("NAT", "2", t.nationality))
    for d in t.documents:
        out.append(_seg("DOC", d.type or "", d.number))
        if d.expiry:
            out.append(_seg("DTM", ["36", _compact(d.expiry), "102"]))
        if d.issuer:
            out.append(_seg("LOC", "91", d.issuer))
    return out


def message_segments(m: Message, ref: str) -> list[str]:
    """The segments of one message, UNH to UNT."""
    t = m.transport
    body = [
        _seg("UNH", ref, ["PAXLST", "D", "05B", "UN", "IATA"]),
        _seg("BGM", BGM_CODES[m.message_type]),
        _seg("RFF", ["TN", m.reference]),
        _seg("TDT", "20", t.vehicle or "", MODE_CODES.get(t.mode or "", ""), "", t.carrier or ""),
        *_place("125", t.departure, "189"),
        *_place("87", t.arrival, "232"),
    ]
    for x in m.travellers:
        body += _traveller(x)
    crew = all(x.role == "crew" for x in m.travellers)
    body.append(_seg("CNT", ["41" if crew else "42", str(len(m.travellers))]))
    body.append(_seg("UNT", str(len(body) + 1), ref))
    return body


def write(messages: Sequence[Message], sender: str = "BORDERPOST", recipient: str = "POST") -> str:
    """One interchange (UNA, UNB … UNZ) holding ``messages``, a segment per line."""
    lines = [DEFAULT.una, _seg("UNB", ["UNOC", "4"], sender, recipient, ["260101", "0000"], "1")]
    for i, m in enumerate(messages, 1):
        lines += message_segments(m, f"M{i}")
    lines.append(_seg("UNZ", str(len(messages)), "1"))
    return "\n".join(lines) + "\n"
