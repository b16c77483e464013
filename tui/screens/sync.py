"""Sync to HQ: broker link, backlog, last acknowledgement; sync now."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tui.display import clean
from tui.screens.base import Page


class SyncScreen(Page):
    """The uplink as the daemon's status reports it."""

    TITLE_TEXT = "Sync to HQ"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "sync_now", "Sync now", id="sync.now"),
    ]

    def body(self) -> ComposeResult:
        """One text block."""
        yield Static("", id="sync-text", markup=False)

    def on_mount(self) -> None:
        """Follow the app's status poll."""
        self.redraw()
        self.set_interval(1.0, self.redraw)

    def redraw(self) -> None:
        """Render the last status."""
        self.query_one("#sync-text", Static).update(sync_text(self.bp.status))

    async def action_sync_now(self) -> None:
        """Wake the uplink."""
        if await self.ask("sync.now") is not None:
            self.notify("Sync requested")


def sync_text(status: dict[str, Any]) -> Text:
    """Broker, backlog, acknowledgement."""
    broker = status.get("broker") if isinstance(status.get("broker"), dict) else {}
    assert isinstance(broker, dict)
    text = Text()
    online = bool(broker.get("connected"))
    text.append(f"{'link':<22}")
    text.append("ONLINE\n" if online else "OFFLINE\n", "bold green" if online else "bold yellow")
    post_wide = ("backlog", "evicted", "last_seq", "last_ack_seq")  # once, the daemon's figures
    for key, value in sorted(broker.items()):
        if key != "connected" and key not in post_wide:
            text.append(f"{clean(key, 20):<22}{clean(value, 50)}\n")
    for key in post_wide:
        text.append(f"{key:<22}{clean(status.get(key, '-'), 20)}\n")
    return text
