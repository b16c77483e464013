"""The audit log, newest first, with the verdict on its hash chain."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from tui.display import clean, long_time
from tui.screens.base import Page

COLUMNS = ("Id", "Time", "Actor", "Action", "Detail")


class AuditScreen(Page):
    """Who did what, and whether anyone has tampered with the record."""

    TITLE_TEXT = "Audit log"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "refresh", "Refresh", id="audit.refresh"),
    ]

    def body(self) -> ComposeResult:
        """Chain status and a table."""
        yield Static("", id="audit-chain", markup=False)
        table: DataTable[Any] = DataTable(id="audit-table", cursor_type="row")
        table.add_columns(*COLUMNS)
        yield table

    def on_mount(self) -> None:
        """Load the newest rows."""
        self.action_refresh()

    @work(exclusive=True, group="audit")
    async def action_refresh(self) -> None:
        """Ask the daemon (it verifies the chain)."""
        result = await self.ask("audit", limit=500)
        if result is not None:
            self.show(result)

    def show(self, result: dict[str, Any]) -> None:
        """Chain verdict and rows."""
        ok = result.get("chain_ok")
        verdict = (
            Text("Chain verified: intact", "bold green")
            if ok
            else Text(
                f"CHAIN BROKEN at row {clean(result.get('broken_at'), 12)}", "bold reverse red"
            )
        )
        self.query_one("#audit-chain", Static).update(verdict)
        table = self.query_one("#audit-table", DataTable)
        table.clear()
        for row in result.get("rows", []):
            if isinstance(row, dict):
                table.add_row(*_cells(row))


def _cells(row: dict[str, Any]) -> tuple[Text, ...]:
    return (
        Text(clean(row.get("id"), 8)),
        Text(long_time(row.get("ts"))),
        Text(clean(row.get("actor"), 12)),
        Text(clean(row.get("action"), 18)),
        Text(detail_words(row.get("detail"), 36)),
    )


def detail_words(detail: object, limit: int) -> str:
    """An audit row's detail in words (``alert_id 7, decision clear``), not raw JSON."""
    try:
        value = json.loads(detail) if isinstance(detail, str) else detail
    except ValueError:
        value = detail
    if not isinstance(value, dict):
        return clean(value, limit)
    words = ", ".join(
        f"{clean(k, 20)} {clean(v, 60)}" for k, v in value.items() if v not in (None, "")
    )
    return clean(words, limit)
