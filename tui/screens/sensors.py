"""Sensors: each device's state, last reading, error rate; reconnect."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from tui.display import clean, short_time
from tui.screens.base import Page
from tui.tables import refill

COLUMNS = ("Name", "Kind", "Ln", "State", "Last seen", "Reads", "Err", "Err%", "Fault")
STATE_STYLE = {"ok": "green", "fault": "bold red", "starting": "yellow", "disabled": "dim"}


class SensorsScreen(Page):
    """Every configured device as the daemon sees it, refreshed every two seconds."""

    TITLE_TEXT = "Sensors"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reconnect", "Reconnect", id="sensors.reconnect"),
        Binding("u", "refresh", "Refresh", id="sensors.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.devices: list[dict[str, Any]] = []

    def body(self) -> ComposeResult:
        """One table."""
        table: DataTable[Any] = DataTable(id="sensors-table", cursor_type="row")
        table.add_columns(*COLUMNS)
        yield table

    def on_mount(self) -> None:
        """Load now and every two seconds."""
        self.action_refresh()
        self.set_interval(2.0, self.action_refresh)

    @work(exclusive=True, group="sensors")
    async def action_refresh(self) -> None:
        """Ask the daemon."""
        result = await self.ask("devices")
        if result is not None:
            self.show([d for d in result.get("devices", []) if isinstance(d, dict)])

    def show(self, devices: list[dict[str, Any]]) -> None:
        """Replace the rows, keeping the cursor."""
        self.devices = devices
        table = self.query_one("#sensors-table", DataTable)
        refill(table, ((clean(d.get("name"), 32), device_row(d)) for d in devices))

    @work(group="sensors-reconnect")
    async def action_reconnect(self) -> None:
        """Close and reopen the selected device."""
        table = self.query_one("#sensors-table", DataTable)
        if not self.devices:
            return
        name = self.devices[min(table.cursor_row, len(self.devices) - 1)].get("name")
        if await self.ask("device.reconnect", name=name) is not None:
            self.notify(f"Reconnecting {clean(name, 32)}", markup=False)


def device_row(device: dict[str, Any]) -> tuple[Text, ...]:
    """The cells of one device."""
    reads, errors = device.get("readings") or 0, device.get("errors") or 0
    rate = (
        f"{100 * errors / (reads + errors):.1f}"
        if isinstance(reads, int) and isinstance(errors, int) and reads + errors
        else "-"
    )
    state = clean(device.get("state"), 10)
    return (
        Text(clean(device.get("name"), 16)),
        Text(clean(device.get("kind"), 8)),
        Text(clean(device.get("lane") or "-", 3)),
        Text(state, STATE_STYLE.get(state, "")),
        Text(short_time(device.get("last_seen")) if device.get("last_seen") else "-"),
        Text(clean(reads, 8)),
        Text(clean(errors, 8)),
        Text(rate),
        Text(clean(device.get("fault") or "", 30), "red"),
    )
