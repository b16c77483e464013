"""Adjudication: what a decision is, the confirmation escalate asks for, and sending it.

The form itself sits under the evidence on the detail screen (``tui/screens/decide.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

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


async def send(
    app: Console, alert: dict[str, Any], result: Decision, confirm: bool = False
) -> bool:
    """Send the decision to the daemon and refresh the alerts; False when it was refused."""
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
    return reply is not None
