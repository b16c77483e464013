"""How an event becomes a table row: time, lane, kind, document, name, result badge."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from edge.api.protocol import (
    Adjudication,
    BarcodeScan,
    Body,
    MrzRead,
    RpmOccupancy,
    decode_body_or_unknown,
)
from tui.display import clean, field, long_time, short_time

KIND_LABELS = {
    "mrz": "MRZ",
    "mrz.unreadable": "MRZ?",
    "barcode": "BARCODE",
    "rpm.occupancy": "RPM",
    "rpm.fault": "RPM!",
    "rpm.status": "RPM",
    "manual": "MANUAL",
    "alert": "ALERT",
    "adjudication": "DECIDED",
    "device.fault": "DEVICE!",
    "device.ok": "DEVICE",
}
# title, width: 76 cells with the gaps between them, so a row fits 80 columns
COLUMNS = (("Time", 8), ("Ln", 3), ("Kind", 7), ("Document", 18), ("Name", 20), ("Result", 8))


def document_of(payload: dict[str, Any], limit: int = 18) -> str:
    """The document, container, MRN or occupancy number of a payload."""
    return field(
        payload,
        "document_number",
        "number",
        "container",
        "mrn",
        "plate",
        "occupancy",
        "alert_id",
        "text",  # a scan: the payload as read
        limit=limit,
    )


def name_of(payload: dict[str, Any]) -> str:
    """``SURNAME, Given`` or a summary when the event has no person."""
    surname = field(payload, "surname", limit=30)
    given = field(payload, "given_names", limit=30)
    if surname or given:
        return clean(f"{surname}, {given}" if given else surname, 40)
    body = body_of({"kind": "barcode", "payload": payload}) if "parsed" in payload else None
    if isinstance(body, BarcodeScan) and body.parsed.get("kind"):  # what the scan turned out to be
        valid = "" if body.parsed.get("valid") else " (check failed)"
        return clean(f"{body.parsed['kind']}{valid}", 40)
    return field(payload, "name", "summary", "decision", "error", limit=40)


def body_of(event: dict[str, Any]) -> Body:
    """The event's typed payload (``Unknown`` when the codec cannot type it)."""
    return decode_body_or_unknown(str(event.get("kind", "")), _payload(event))


def badge(event: dict[str, Any]) -> Text:
    """The result badge: ALERT, ALARM, FAULT, CHECK, a decision, or OK."""
    body, kind = body_of(event), event.get("kind")
    if kind == "adjudication":  # a purged one has no decision left
        decision = body.decision if isinstance(body, Adjudication) else ""
        return Text(clean(decision, 10).upper() or "DECIDED", "bold cyan")
    if isinstance(body, RpmOccupancy) and (body.gamma_alarm or body.neutron_alarm):
        return Text("ALARM", "bold reverse red")  # before ALERT: its radiation alert says less
    if event.get("alert_ids") or kind == "alert" or event.get("priority") == 2:
        return Text("ALERT", "bold reverse red")
    if kind in ("device.fault", "rpm.fault", "mrz.unreadable"):
        return Text("FAULT", "bold yellow")
    if isinstance(body, MrzRead) and body.valid is False:
        return Text("CHECK", "bold yellow")
    return Text("OK", "green")


def event_row(event: dict[str, Any]) -> tuple[Text, ...]:
    """The six cells of an event."""
    payload = _payload(event)
    kind = str(event.get("kind", ""))
    return (
        Text(short_time(event.get("wall_time"))),
        Text(clean(event.get("lane") or "-", 3)),
        Text(KIND_LABELS.get(kind, clean(kind, 8).upper())),
        Text(document_of(payload)),
        Text(name_of(payload)[:20]),
        badge(event),
    )


# the search results: the date too (a search spans days), so a narrower name
SEARCH_COLUMNS = (("When", 16), ("Ln", 2), ("Kind", 7), ("Document", 18), ("Name", 15),
                  ("Result", 8))  # fmt: skip


def search_row(event: dict[str, Any]) -> tuple[Text, ...]:
    """The six cells of a search result: date and time (to the minute), then as ``event_row``."""
    when = Text(long_time(event.get("wall_time"))[:16])
    return (when, *event_row(event)[1:])


def matches(event: dict[str, Any], needle: str) -> bool:
    """Does the filter text occur in the row (case-insensitive)?"""
    if not needle:
        return True
    cells = " ".join(cell.plain for cell in event_row(event)).lower()
    return needle.lower() in cells


def _payload(event: dict[str, Any]) -> dict[str, Any]:
    payload = event.get("payload")
    return payload if isinstance(payload, dict) else {}
