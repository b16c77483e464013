"""A device's configuration: change one key, validated and applied by the daemon."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Select, Static

from tui.display import clean, plain
from tui.screens.base import Page


class ConfigScreen(Page):
    """Pick a device, see its settings, set one key (the daemon checks it like a config line)."""

    TITLE_TEXT = "Device configuration"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "apply", "Apply", id="config.apply"),
        Binding("u", "reload", "Reload", id="config.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.config: dict[str, Any] = {}

    def body(self) -> ComposeResult:
        """Device, key, value, the current settings and the daemon's answer."""
        yield Select[str]([], prompt="device", id="device")
        with Horizontal(id="config-form"):
            yield Input(id="key", placeholder="key (e.g. baudrate)", max_length=32)
            yield Input(id="value", placeholder="value (JSON or text)", max_length=200)
        yield Static("", id="config-answer", markup=False)
        with VerticalScroll(id="config-scroll"):
            yield Static("", id="config-current", markup=False)

    def on_mount(self) -> None:
        """Load the effective configuration."""
        self.action_reload()

    @work(exclusive=True, group="config")
    async def action_reload(self) -> None:
        """Ask the daemon for the configuration (secrets redacted)."""
        result = await self.ask("config.get")
        if result is not None:
            self.show(result)

    def show(self, config: dict[str, Any]) -> None:
        """Fill the device list and the current settings; the chosen device stays chosen."""
        self.config = config
        names = [clean(n, 32) for n in _devices(config)]
        select = self.query_one("#device", Select)
        chosen = select.value
        select.set_options([(n, n) for n in names])  # this empties the selection
        if chosen in names:
            select.value = chosen
        elif names:
            select.value = names[0]
        self._show_current()

    @on(Select.Changed, "#device")
    def _show_current(self) -> None:
        name = self.query_one("#device", Select).value
        settings = _devices(self.config).get(name if isinstance(name, str) else "", {})
        text = Text()
        for key, value in sorted(settings.items()):
            text.append(f"{clean(key, 24):<24}", "bold")
            text.append(clean(value, 100) + "\n")
        self.query_one("#config-current", Static).update(text or Text("(no devices configured)"))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_apply()

    @work(exclusive=True, group="config-set")
    async def action_apply(self) -> None:
        """Send ``config.set``; the daemon refuses a bad value and changes nothing."""
        device = self.query_one("#device", Select).value
        key = self.query_one("#key", Input).value.strip()
        raw = self.query_one("#value", Input).value.strip()
        if not isinstance(device, str) or not key or not raw:
            self._answer("Choose a device and give a key and a value.", "bold red")
            return
        result = await self.ask("config.set", device=device, key=key, value=parse_value(raw))
        if result is None:
            self._answer(f"Not applied: {key} = {raw}", "bold red")
            return
        self._answer(f"Applied {key} = {raw}; {device} restarted.", "green")
        for field in ("#key", "#value"):  # an Enter now must not apply the same change again
            self.query_one(field, Input).value = ""
        self.action_reload()

    def _answer(self, message: str, style: str) -> None:
        self.query_one("#config-answer", Static).update(plain(message, 200, style))


def parse_value(raw: str) -> Any:
    """A number, boolean, list or quoted string as JSON; anything else as text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _devices(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    devices = config.get("devices")
    if isinstance(devices, dict):
        return {str(k): v for k, v in devices.items() if isinstance(v, dict)}
    if isinstance(devices, list):
        return {str(d.get("name")): d for d in devices if isinstance(d, dict)}
    return {}
