"""Events as the local API and the console see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sync.outbox import OutboundEvent


def iso(ts: float | None) -> str | None:
    """A UNIX time as ISO 8601 UTC with milliseconds."""
    if ts is None:
        return None
    moment = dt.datetime.fromtimestamp(ts, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def event_json(ev: OutboundEvent, alert_ids: list[int] | None = None) -> dict[str, Any]:
    """The documented EVENT object."""
    return {
        "seq": ev.seq,
        "uuid": ev.uuid,
        "kind": ev.kind,
        "priority": ev.priority,
        "wall_time": iso(ev.wall_time),
        "mono_time": ev.mono_time,
        "clock_synced": ev.clock_synced,
        "lane": ev.lane,
        "device": ev.device,
        "payload": ev.payload,
        "alert_ids": alert_ids or [],
    }
