"""Adjudication: clear, refer to secondary or escalate, with a reason and a note."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tui.console import AlertsStale, Console
from tui.display import clean, plain
from tui.screens.base import ask
from tui.widgets import KeyBar

NOTE_LIMIT = 500


@dataclass(frozen=True)
class Decision:
    """What the officer decided about one alert."""

    decision: str
    reason: str
    note: str


class AdjudicateDialog(ModalScreen[Decision | None]):
    """Pick a decision and a reason for one open alert."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "decide('clear')", "Clear", id="adjudicate.clear"),
        Binding("r", "decide('refer')", "Refer", id="adjudicate.refer"),
        Binding("e", "decide('escalate')", "Escalate", id="adjudicate.escalate"),
        Binding("escape", "cancel", "Cancel", id="adjudicate.cancel"),
    ]

    def __init__(self, alert: dict[str, Any], reasons: list[str]) -> None:
        super().__init__()
        self.alert, self.reasons = alert, reasons

    def compose(self) -> ComposeResult:
        """The alert, the reason list, the note and three buttons."""
        with Vertical(id="dialog"):
            yield Static(_headline(self.alert), id="dialog-title")
            yield Select([(clean(r, 60), r) for r in self.reasons], prompt="Reason", id="reason")
            yield Input(id="note", max_length=NOTE_LIMIT, placeholder="note (optional)")
            yield Static("", id="dialog-error", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("Clear (c)", id="clear", variant="success")
                yield Button("Refer (r)", id="refer", variant="warning")
                yield Button("Escalate (e)", id="escalate", variant="error")
        yield KeyBar(classes="dialog-keys")

    def on_mount(self) -> None:
        """Start on the reason list so c/r/e work at once."""
        self.query_one("#reason", Select).focus()

    @on(Button.Pressed)
    def _pressed(self, message: Button.Pressed) -> None:
        self.action_decide(str(message.button.id))

    def action_decide(self, decision: str) -> None:
        """Return the decision when a reason is chosen."""
        reason = self.query_one("#reason", Select).value
        if not isinstance(reason, str):
            self.query_one("#dialog-error", Static).update(
                plain("Choose a reason first.", 60, "bold red")
            )
            self.query_one("#reason", Select).focus()
            return
        self.dismiss(Decision(decision, reason, self.query_one("#note", Input).value))

    def action_cancel(self) -> None:
        """Close without deciding."""
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; escape means no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("escape", "answer(False)", "No", id="confirm.escape"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question and the keys."""
        with Vertical(id="dialog"):
            yield Static(plain(self.question, 300, "bold"), id="dialog-title")
            yield Label("y = yes    n / Esc = no")
        yield KeyBar(classes="dialog-keys")

    def action_answer(self, answer: bool) -> None:
        """Close with the answer."""
        self.dismiss(answer)


def _headline(alert: dict[str, Any]) -> Text:
    text = Text()
    text.append(f"Alert {clean(alert.get('alert_id'), 10)} ", "bold")
    text.append(clean(alert.get("kind"), 16).upper(), "bold red")
    text.append("\n" + clean(alert.get("summary"), 300))
    return text


def adjudicate(app: Console, alert: dict[str, Any]) -> None:
    """Ask for a decision (and a second confirmation for escalate), then send it."""
    reasons = [str(r) for r in app.backend.hello.get("reasons", []) if isinstance(r, str)]

    async def decided(result: Decision | None) -> None:
        if result is None:
            return
        if result.decision == "escalate":
            question = (
                f"Escalate alert {clean(alert.get('alert_id'), 10)}? This calls in a supervisor."
            )
            app.push_screen(ConfirmDialog(question), lambda ok: _send_later(app, alert, result, ok))
            return
        await send(app, alert, result)

    app.push_screen(AdjudicateDialog(alert, reasons), decided)


def _send_later(app: Console, alert: dict[str, Any], result: Decision, ok: bool | None) -> None:
    if ok:
        app.run_worker(send(app, alert, result, confirm=True), group="adjudicate")


async def send(
    app: Console, alert: dict[str, Any], result: Decision, confirm: bool = False
) -> None:
    """Send the decision to the daemon and refresh the alerts."""
    params: dict[str, Any] = {
        "alert_id": alert.get("alert_id"),
        "decision": result.decision,
        "reason": result.reason,
        "note": result.note[:NOTE_LIMIT],
    }
    if confirm:
        params["confirm"] = True
    reply = await ask(app, "adjudicate", **params)
    if reply is not None:
        app.notify(f"Alert {clean(alert.get('alert_id'), 10)}: {result.decision}", markup=False)
        app.post_message(AlertsStale())
