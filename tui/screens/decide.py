"""The decision form under a crossing's evidence: a numbered reason, a note, clear/refer/escalate.

From the lane a decision is three keys: Enter (the crossing), a reason's number, and
``c`` (clear) or ``r`` (refer). Escalate (``e``) asks to confirm. The form only
shows and checks what the officer chose; the detail screen sends it
(``tui.screens.adjudicate.send``) and moves on to the next open alert.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.display import clean
from tui.screens.adjudicate import NOTE_LIMIT, Decision
from tui.verdict import severity_word

MAX_REASONS = 9  # one digit each


class DecisionForm(Vertical):
    """An open alert's decision: reasons numbered 1-9, the chosen one marked, a note field."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.alert: dict[str, Any] | None = None
        self.reasons: list[str] = []
        self.reason: str | None = None
        self.error = ""

    def compose(self) -> ComposeResult:
        """The reasons and keys, then the note."""
        yield Static(Text(), id="decide-text")
        yield Input(id="note", max_length=NOTE_LIMIT, placeholder="n: add a note (optional)")

    def show_alert(self, alert: dict[str, Any] | None, reasons: list[str]) -> None:
        """Offer ``alert`` for a decision (None hides the form)."""
        if (
            alert is None
            or self.alert is None
            or alert.get("alert_id") != self.alert.get("alert_id")
        ):
            self.reason, self.error = None, ""
            self.query_one("#note", Input).value = ""
        self.alert = alert
        self.reasons = reasons_for(alert, reasons) if alert is not None else []
        self.display = alert is not None
        self._draw()

    def choose(self, number: int) -> None:
        """Pick reason ``number`` (1-based)."""
        if 1 <= number <= len(self.reasons):
            self.reason, self.error = self.reasons[number - 1], ""
            self._draw()

    def decision(self, decision: str) -> Decision | None:
        """The decision, or None (and a word on the form) while no reason is chosen."""
        if self.reason is None:
            self.error = "Choose a reason first: press its number."
            self._draw()
            return None
        return Decision(decision, self.reason, self.query_one("#note", Input).value)

    def _draw(self) -> None:
        if self.alert is None:
            return
        text = Text(f"Decide alert {clean(self.alert.get('alert_id'), 10)} ", "bold")
        text.append(f"({clean(self.alert.get('kind'), 16)}, ")
        text.append_text(severity_word(self.alert))
        text.append(") - reason:\n")
        for number, reason in enumerate(self.reasons, 1):
            chosen = reason == self.reason
            text.append(f" {'>' if chosen else ' '}{number} ", "bold reverse" if chosen else "bold")
            text.append(clean(reason, 60) + "\n", "bold" if chosen else "")
        if self.error:
            text.append(self.error + "\n", "bold reverse red")
        text.append("c", "bold reverse")
        text.append(" clear  ")
        text.append("r", "bold reverse")
        text.append(" refer to secondary  ")
        text.append("e", "bold reverse")
        text.append(" escalate (asks to confirm)")
        self.query_one("#decide-text", Static).update(text)


def reasons_for(alert: dict[str, Any], reasons: list[str]) -> list[str]:
    """The reasons that fit the alert's kind (radiation ones for a radiation alert, the others
    for a watchlist hit), at most nine; all of them when the filter would leave one or none."""
    radiation = alert.get("kind") in ("radiation", "rpm-fault")
    fitting = [
        r for r in reasons if r.startswith("radiation") == radiation or r.startswith("other")
    ]
    return (fitting if len(fitting) > 1 else reasons)[:MAX_REASONS]
