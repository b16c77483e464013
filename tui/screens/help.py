"""Every console key of the current screen and of the app, with what it does (the
framework's own keys — focus moves, maximise, screenshots — are left out)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets import KeyBar


class HelpScreen(ModalScreen[None]):
    """The keys in force when help was asked for."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("f1", "close", "Close", id="help.close_f1"),
    ]

    def __init__(self, active: dict[str, Any]) -> None:
        super().__init__()
        rows = {  # the console's own keys (they have ids), not the framework's
            (False, b.binding.key, b.binding.description)
            for b in active.values()
            if b.binding.description and b.binding.id
        }
        self.rows = [(key, text) for _w, key, text in sorted(rows, key=_order)]

    def compose(self) -> ComposeResult:
        """A list of keys."""
        text = Text("Keys (Esc closes)\n\n", style="bold")
        for key, description in self.rows:
            text.append(f"  {key:<14} ", "bold")
            text.append(description + "\n")
        text.append("\nCtrl+P opens the command palette; Tab moves between fields.\n")
        with VerticalScroll(id="dialog"):
            yield Static(text)
        yield KeyBar(classes="dialog-keys")

    def action_close(self) -> None:
        """Back."""
        self.dismiss(None)


def _order(row: tuple[bool, str, str]) -> tuple[bool, int, str]:
    """Console keys first (F-keys in number order), then the widgets' own keys."""
    widget, key, _text = row
    number = int(key[1:]) if key[:1] == "f" and key[1:].isdigit() else 99
    return (widget, number, key)
