"""Manual entry: the officer types an MRZ or a document number when a reader fails."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.display import plain
from tui.screens.base import ask
from tui.widgets import KeyBar


class ManualDialog(ModalScreen[None]):
    """Two to three MRZ lines, or a document number and its issuer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="manual.cancel"),
    ]

    def compose(self) -> ComposeResult:
        """MRZ lines or number + issuer, and the lane."""
        with Vertical(id="dialog"):
            yield Static(
                "Manual entry - MRZ lines, or a document number", id="dialog-title", markup=False
            )
            for n in (1, 2, 3):
                yield Input(id=f"mrz{n}", max_length=44, placeholder=f"MRZ line {n}", compact=True)
            yield Label("or a document number and its issuer (3 letters):")
            yield Input(id="number", max_length=40, placeholder="document number", compact=True)
            yield Input(id="issuer", max_length=3, placeholder="issuer", compact=True)
            yield Label("lane:")
            yield Input(id="lane", max_length=16, value="1", placeholder="lane", compact=True)
            yield Static("", id="dialog-error", markup=False)
            yield Button("Send (Enter)", id="submit", variant="primary")
        yield KeyBar(classes="dialog-keys")

    def on_mount(self) -> None:
        """Start on the first MRZ line."""
        self.query_one("#mrz1", Input).focus()

    @on(Button.Pressed, "#submit")
    @on(Input.Submitted)
    def _pressed(self) -> None:
        """Enter in any field (or the button) sends; F2 stays 'live lane' as everywhere."""
        self.action_submit()

    def request(self) -> dict[str, Any] | None:
        """The ``manual`` parameters, or None when nothing usable was typed."""
        value = {
            n: self.query_one(f"#{n}", Input).value.strip()
            for n in ("mrz1", "mrz2", "mrz3", "number", "issuer", "lane")
        }
        lines = [value[k].upper() for k in ("mrz1", "mrz2", "mrz3") if value[k]]
        lane = value["lane"] or "1"
        if len(lines) >= 2:
            return {"mrz": lines, "lane": lane}
        if value["number"]:
            issuer = {"issuer": value["issuer"].upper()} if value["issuer"] else {}
            return {"document_number": value["number"].upper(), "lane": lane, **issuer}
        return None

    def action_submit(self) -> None:
        """Send the entry to the daemon."""
        params = self.request()
        if params is None:
            self._error("Type two or three MRZ lines, or a document number.")
            return
        self._send(params)

    @work(exclusive=True, group="manual")
    async def _send(self, params: dict[str, Any]) -> None:
        result = await ask(self.app, "manual", **params)  # type: ignore[arg-type]
        if result is None:
            self._error("The daemon refused the entry (see the message).")
            return
        event = result.get("event", {})
        alerts = result.get("alerts", [])
        self.app.notify(
            f"Recorded as event {event.get('seq')}; {len(alerts)} alert(s)", markup=False
        )
        self.dismiss(None)
        if isinstance(event.get("seq"), int):
            from tui.screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(event["seq"]))

    def _error(self, message: str) -> None:
        self.query_one("#dialog-error", Static).update(plain(message, 200, "bold red"))

    def action_cancel(self) -> None:
        """Close without sending."""
        self.dismiss(None)
