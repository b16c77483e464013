"""Events as the local API and the console see them: stored events through the one codec.

The typed bodies and the codec live in ``drivers/events.py`` (the bottom
layer); this module turns the store's records into the API's EVENT objects.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from drivers.events import CodecError, Event, Unknown, decode_body, encode_event, iso
from sync.outbox import OutboundEvent

__all__ = ["event_json", "iso", "typed"]
log = logging.getLogger("borderpost.events")


def typed(ev: OutboundEvent, alert_ids: Sequence[int] = ()) -> Event:
    """A stored event with its typed body (``Unknown`` keeps a body the codec refuses)."""
    try:
        body = decode_body(ev.kind, ev.payload)
    except CodecError as exc:
        log.warning("event %d does not fit its kind's body, sent as it is: %s", ev.seq, exc)
        body = Unknown(extra=ev.payload)
    return Event(
        ev.seq, ev.uuid, ev.kind, ev.priority, ev.wall_time, ev.mono_time, ev.clock_synced,
        ev.lane, ev.device, body, tuple(alert_ids),
    )  # fmt: skip


def event_json(ev: OutboundEvent, alert_ids: Sequence[int] | None = None) -> dict[str, Any]:
    """The documented EVENT object."""
    return encode_event(typed(ev, alert_ids or ()))
