"""Open alerts, most severe first: watchlist hits, radiation alarms, lane faults."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from tui.console import AlertsStale, OpenAlertsChanged
from tui.display import clean, short_time
from tui.screens.base import Page
from tui.tables import cursor_key, refill
from tui.verdict import alert_finding, by_severity, severity_word, verdict_word

COLUMNS = ("Opened", "Severity", "Kind", "Verdict", "Summary", "Event")


class AlertsScreen(Page):
    """Every open alert until an officer decides it."""

    TITLE_TEXT = "Open alerts (most severe first, then oldest)"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "detail", "Open and decide", id="alerts.detail"),
        Binding("r", "refresh", "Refresh", id="alerts.refresh"),
        Binding("v", "escalated", "Open / escalated", id="alerts.escalated"),
    ]
    _shown: list[dict[str, Any]] | None = None  # the alerts the table holds
    escalated: list[dict[str, Any]] | None = None  # None: the open alerts are shown

    def body(self) -> ComposeResult:
        """One table."""
        table: DataTable[Any] = DataTable(id="alerts-table", cursor_type="row")
        table.add_columns(*COLUMNS)
        yield table

    def on_mount(self) -> None:
        """Show what the app knows, then ask again."""
        self._show_alerts(self.bp.open_alerts)
        self.post_message(AlertsStale())

    def on_open_alerts_changed(self, message: OpenAlertsChanged) -> None:
        """The app reloaded the open alerts."""
        if self.escalated is None:
            self._show_alerts(message.alerts)

    @work(exclusive=True, group="alerts-view")
    async def action_escalated(self) -> None:
        """Switch between the open alerts and those escalated to a supervisor (newest last)."""
        if self.escalated is not None:
            self.escalated = None
            self.query_one("#title", Static).update(self.TITLE_TEXT)
            self._show_alerts(self.bp.open_alerts)
            return
        result = await self.ask("alerts", state="all", limit=500)
        alerts = [a for a in (result or {}).get("alerts", []) if isinstance(a, dict)]
        self.escalated = [a for a in alerts if a.get("state") == "escalated"]
        self.query_one("#title", Static).update(f"Escalated alerts ({len(self.escalated)})")
        self._show_alerts(self.escalated)

    def _show_alerts(self, alerts: list[dict[str, Any]]) -> None:
        """Replace the rows, unless they are the same; the cursor stays on its alert."""
        if not self.is_mounted or alerts == self._shown:
            return
        self._shown = alerts
        table = self.query_one("#alerts-table", DataTable)
        rows = ((clean(alert.get("alert_id"), 20), _row(alert)) for alert in by_severity(alerts))
        refill(table, rows)

    def _selected(self) -> dict[str, Any] | None:
        key = cursor_key(self.query_one("#alerts-table", DataTable))
        if key is None:
            return None
        shown = self.bp.open_alerts if self.escalated is None else self.escalated
        return next((a for a in shown if clean(a.get("alert_id"), 20) == key), None)

    @on(DataTable.RowSelected, "#alerts-table")
    def _row_selected(self) -> None:
        self.action_detail()

    def action_detail(self) -> None:
        """Open the crossing of the selected alert: its reason, the evidence, the decision form."""
        alert = self._selected()
        if alert is not None and isinstance(alert.get("event_seq"), int):
            from tui.screens.detail import DetailScreen, crossing_of

            seq = alert["event_seq"]
            self.app.push_screen(DetailScreen(seq, crossing_of(self.bp, seq)))

    def action_refresh(self) -> None:
        """Ask the daemon again."""
        self.post_message(AlertsStale())


def _row(alert: dict[str, Any]) -> tuple[Text, ...]:
    """Opened, the daemon's severity, kind, what it asks of the officer (STOP or CHECK),
    summary, event."""
    level = alert_finding(alert).level
    return (
        Text(short_time(alert.get("created"))),
        severity_word(alert),
        Text(clean(alert.get("kind"), 10).upper(), "bold"),
        verdict_word(level),
        Text(clean(alert.get("summary"), 30)),
        Text(clean(alert.get("event_seq"), 10)),
    )
