"""The geometry of the traffic page's bar charts; the SVG itself is a template (escaped)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Final

WIDTH: Final = 720
HEIGHT: Final = 160
MARGIN: Final = 30  # room for the axis labels


@dataclass(frozen=True)
class Bar:
    """One hour's bar: where it is drawn and what it counts."""

    x: float
    y: float
    w: float
    h: float
    count: int
    hour: str  # the hour's start, UTC, 'YYYY-MM-DD HH:00'


@dataclass(frozen=True)
class Chart:
    """One post's chart: events and alerts per hour, on one scale."""

    post_id: str
    events: tuple[Bar, ...]
    alerts: tuple[Bar, ...]
    top: int  # the count the chart's full height stands for
    width: int = WIDTH
    height: int = HEIGHT + MARGIN


def charts(traffic: dict[str, Any]) -> list[Chart]:
    """A chart per post from ``queries.traffic``'s counts."""
    hours = [time.strftime("%Y-%m-%d %H:00", time.gmtime(h)) for h in traffic["hours"]]
    out = []
    for post, series in traffic["posts"].items():
        top = max(1, *series["events"], *series["alerts"])
        events = _bars(series["events"], hours, top, 0.0)
        alerts = _bars(series["alerts"], hours, top, 0.5)
        out.append(Chart(post, events, alerts, top))
    return out


def _bars(counts: list[int], hours: list[str], top: int, offset: float) -> tuple[Bar, ...]:
    """Half-width bars for each hour (``offset`` 0: left half, 0.5: right half)."""
    step = (WIDTH - MARGIN) / max(1, len(counts))
    out = []
    for i, (n, hour) in enumerate(zip(counts, hours, strict=True)):
        h = HEIGHT * n / top
        out.append(Bar(MARGIN + (i + offset) * step, HEIGHT - h, step / 2 - 1, h, n, hour))
    return tuple(out)
