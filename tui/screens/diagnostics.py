"""Diagnostics: a device's raw frames as hex and its counters; pause and clear."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Select, Static

from tui.display import clean, short_time
from tui.screens.base import Page
from tui.screens.sensors import device_row

MAX_FRAMES = 200


class DiagnosticsScreen(Page):
    """The last frames a device sent, refreshed every second unless paused."""

    TITLE_TEXT = "Diagnostics - raw frames"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "pause", "Pause/resume", id="diagnostics.pause"),
        Binding("c", "clear", "Clear", id="diagnostics.clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.paused = False
        self.cleared_at: Any = None
        self.frames: list[dict[str, Any]] = []

    def body(self) -> ComposeResult:
        """Device choice, counters, frames."""
        yield Select[str]([], prompt="device", id="diag-device")
        yield Static("", id="diag-counters", markup=False)
        with VerticalScroll(id="diag-scroll"):
            yield Static("", id="diag-frames", markup=False)

    def on_mount(self) -> None:
        """Poll every second."""
        self.poll()
        self.set_interval(1.0, self.poll)

    @work(exclusive=True, group="diag")
    async def poll(self) -> None:
        """Refresh the device list, counters and frames."""
        devices = await self.ask("devices")
        if devices is None:
            return
        listing = [d for d in devices.get("devices", []) if isinstance(d, dict)]
        self._devices(listing)
        name = self.query_one("#diag-device", Select).value
        if self.paused or not isinstance(name, str):
            return
        raw = await self.ask("device.raw", name=name, limit=MAX_FRAMES)
        if raw is not None:
            self.show([f for f in raw.get("frames", []) if isinstance(f, dict)])

    def _devices(self, listing: list[dict[str, Any]]) -> None:
        select = self.query_one("#diag-device", Select)
        names = [clean(d.get("name"), 32) for d in listing]
        if [o for o in names] != getattr(self, "_names", None):
            self._names = names
            select.set_options([(n, n) for n in names])
            if names and select.is_blank():
                select.value = names[0]
        current = next((d for d in listing if d.get("name") == select.value), None)
        cells = device_row(current) if current else ()
        counters = Text("  ".join(c.plain for c in cells) if cells else "(no devices configured)")
        self.query_one("#diag-counters", Static).update(counters)

    def show(self, frames: list[dict[str, Any]]) -> None:
        """Frames after the last clear, newest last."""
        if self.cleared_at is not None:
            frames = [f for f in frames if _after(f.get("t"), self.cleared_at)]
        self.frames = frames[-MAX_FRAMES:]
        text = Text()
        for frame in self.frames:
            text.append(f"{frame_time(frame.get('t')):>12} ", "dim")
            text.append(_spaced(clean(frame.get("hex"), 600)) + "\n")
        self.query_one("#diag-frames", Static).update(text or Text("(no frames)"))

    @on(Select.Changed, "#diag-device")
    def _changed(self) -> None:
        self.cleared_at = None
        self.poll()

    def action_pause(self) -> None:
        """Stop or restart refreshing the frames."""
        self.paused = not self.paused
        self.notify("Paused" if self.paused else "Resumed", timeout=2)

    def action_clear(self) -> None:
        """Hide the frames seen so far."""
        self.cleared_at = self.frames[-1].get("t") if self.frames else None
        self.show([])


def _after(t: Any, mark: Any) -> bool:
    try:
        return float(t) > float(mark)
    except (TypeError, ValueError):
        return True


def frame_time(t: Any) -> str:
    """``HH:MM:SS.mmm`` (UTC) of a frame's UNIX time — frames come many a second, and the raw
    number (``1796437343.2…``) says nothing to a technician."""
    if not isinstance(t, int | float) or isinstance(t, bool):
        return clean(t, 12)
    clock = short_time(t)
    return clock if clock == "?" else f"{clock}.{int(t * 1000) % 1000:03d}"


def _spaced(hexdigits: str) -> str:
    return " ".join(hexdigits[i : i + 2] for i in range(0, len(hexdigits), 2))
