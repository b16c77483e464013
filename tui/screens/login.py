"""Log-in: officer ID and PIN, checked by the daemon."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from edge.api.protocol import ApiError
from tui.console import OfficerLoggedIn
from tui.display import clean, plain
from tui.screens.base import Page


class LoginScreen(Page):
    """The first screen: nothing else opens before the daemon accepts the officer."""

    TITLE_TEXT = "Borderpost - log in"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Log in", id="login.submit", priority=False),
    ]

    def body(self) -> ComposeResult:
        """Officer ID, PIN and a line for errors."""
        with Vertical(id="login-box"):
            yield Label("Officer ID")
            yield Input(id="officer-id", max_length=32, placeholder="e.g. anna")
            yield Label("PIN")
            yield Input(id="pin", password=True, max_length=64)
            yield Static("", id="login-error", markup=False)

    def __init__(self, prefill: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.prefill = prefill

    def on_mount(self) -> None:
        """Start in the officer ID field, or log in with the prefilled ID and PIN (demo)."""
        self.query_one("#officer-id", Input).focus()
        if self.prefill:
            self.query_one("#officer-id", Input).value = self.prefill[0]
            self.query_one("#pin", Input).value = self.prefill[1]
            self.set_timer(1.0, self.action_submit)

    @on(Input.Submitted, "#officer-id")
    def _next(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def _submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        """Send the ID and PIN to the daemon."""
        officer_id = self.query_one("#officer-id", Input).value.strip()
        pin = self.query_one("#pin", Input).value
        if not officer_id or not pin:
            self._error("Type your officer ID and PIN.")
            return
        self._login(officer_id, pin)

    @work(exclusive=True, group="login")
    async def _login(self, officer_id: str, pin: str) -> None:
        try:
            officer = await self.bp.backend.login(officer_id, pin)
        except ApiError as exc:
            self._error(_login_message(exc))
            pin_box = self.query_one("#pin", Input)
            pin_box.value = ""  # the wrong digits go: the next PIN is typed afresh
            pin_box.focus()
            return
        except (ConnectionError, TimeoutError) as exc:
            self._error(f"The daemon is not reachable ({exc}); it will reconnect by itself.")
            return
        self.query_one("#pin", Input).value = ""
        self.post_message(OfficerLoggedIn(officer))

    def _error(self, message: str) -> None:
        self.query_one("#login-error", Static).update(plain(message, 200, "bold red"))


def _login_message(exc: ApiError) -> str:
    if exc.code == "locked_out":
        return (
            f"Too many failed log-ins: try again in {clean(exc.extra.get('retry_after_s'), 8)} s."
        )
    if exc.code == "bad_credentials":
        return "Wrong officer ID or PIN."
    return f"{exc.code}: {exc.message}"
