"""Events as the local API and the console see them: stored events through the one codec.

The typed bodies and the codec live in ``drivers/events.py`` (the bottom
layer); this module turns the store's records into the API's EVENT objects
and cleans a reading's typed body before it is stored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from drivers.events import B, Event, declared, decode_body_or_unknown, encode_event, iso
from edge.rules.engine import officer_view
from edge.sanitize import MAX_ITEMS, clean_payload
from sync.outbox import OutboundEvent

__all__ = ["clean_body", "event_json", "iso", "typed"]


def typed(ev: Event | OutboundEvent, alert_ids: Sequence[int] = ()) -> Event:
    """An event with its typed body (``Unknown`` keeps a body the codec refuses)."""
    if isinstance(ev, Event):
        return dataclasses.replace(ev, alert_ids=tuple(alert_ids))
    body = decode_body_or_unknown(ev.kind, ev.payload)
    return Event(
        ev.seq, ev.uuid, ev.kind, ev.priority, ev.wall_time, ev.mono_time, ev.clock_synced,
        ev.lane, ev.device, body, tuple(alert_ids),
    )  # fmt: skip


def event_json(ev: Event | OutboundEvent, alert_ids: Sequence[int] | None = None) -> dict[str, Any]:
    """The documented EVENT object (rule hits in shadow mode left out: they are for HQ only)."""
    return officer_view(encode_event(typed(ev, alert_ids or ())))


def clean_body(body: B) -> B:
    """``body`` with every string cleaned and every container bounded, as ``clean_payload``
    cleans its JSON: ``encode_body(clean_body(b)) == clean_payload(encode_body(b))``."""
    values = {name: _clean(getattr(body, name)) for name, _ in declared(type(body))}
    return dataclasses.replace(body, **values, extra=clean_payload(dict(body.extra)))


def _clean(value: Any) -> Any:
    """One field's value cleaned at the depth of a top-level JSON value (tuples stay tuples)."""
    if isinstance(value, tuple):
        return tuple(clean_payload(v, 2) for v in value[:MAX_ITEMS])
    return clean_payload(value, 1)
