"""Search earlier crossings by number (document, plate, MRN, container; from four characters
any number containing it), name or date."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input

from tui.display import clean
from tui.rowlist import RowList
from tui.rows import SEARCH_COLUMNS, search_row
from tui.screens.base import Page

FIELDS = (
    ("document_number", "doc/plate/MRN no.", 40),
    ("name", "name", 80),
    ("date_from", "from YYYY-MM-DD", 10),
    ("date_to", "to YYYY-MM-DD", 10),
)


class SearchScreen(Page):
    """A form and the crossings that match it."""

    TITLE_TEXT = "Search crossings"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "search", "Run search", id="search.run"),
        Binding("enter", "detail", "Detail", id="search.detail"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.results: list[dict[str, Any]] = []

    def body(self) -> ComposeResult:
        """Four fields and a table."""
        with Horizontal(id="search-form"):
            for key, hint, limit in FIELDS:
                yield Input(id=key, placeholder=hint, max_length=limit)
        yield RowList(SEARCH_COLUMNS, id="search-table")

    def on_mount(self) -> None:
        """Start typing the document number."""
        self.query_one("#document_number", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_search()

    def params(self) -> dict[str, Any]:
        """The non-empty fields."""
        values = {key: self.query_one(f"#{key}", Input).value.strip() for key, _h, _l in FIELDS}
        return {k: v for k, v in values.items() if v} | {"limit": 200}

    @work(exclusive=True, group="search")
    async def action_search(self) -> None:
        """Ask the daemon."""
        params = self.params()
        if len(params) == 1:
            self.notify("Give a document number, a name or a date.", severity="warning")
            return
        result = await self.ask("search", **params)
        if result is not None:
            self.show([e for e in result.get("events", []) if isinstance(e, dict)])

    def show(self, events: list[dict[str, Any]]) -> None:
        """Replace the results; say what was searched for when nothing matches."""
        self.results = events
        table = self.query_one("#search-table", RowList)
        table.set_rows((str(event.get("seq")), search_row(event)) for event in events)
        if events:
            table.focus()
        else:
            self.notify(f"Nothing found for {self.asked()}.", timeout=6, markup=False)

    def asked(self) -> str:
        """``number L8989, name ERIK, from 2026-11-01``: what the form asks, in words."""
        words = {"document_number": "number", "name": "name", "date_from": "from", "date_to": "to"}
        params = self.params()
        return ", ".join(f"{words[k]} {clean(params[k], 40)}" for k in words if k in params)

    @on(RowList.Selected, "#search-table")
    def _row_selected(self) -> None:
        self.action_detail()

    def action_detail(self) -> None:
        """Open the selected crossing."""
        table = self.query_one("#search-table", RowList)
        if not table.has_focus:
            return
        key = table.cursor_key
        event = next((e for e in self.results if str(e.get("seq")) == key), None)
        if event is not None and isinstance(event.get("seq"), int):
            from tui.screens.detail import DetailScreen, crossing_of

            seq = event["seq"]  # with the crossing the lane filed it in: its portal reading too
            self.app.push_screen(DetailScreen(seq, crossing_of(self.bp, seq)))
