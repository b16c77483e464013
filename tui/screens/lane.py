"""The live lane: one row per crossing with its verdict, follow mode, filter, older pages."""

from __future__ import annotations

import bisect
import datetime as dt
import time
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input

from tui.console import EventPushed
from tui.crossing import HIDDEN_KINDS, Crossing, CrossingBook, portal_lanes
from tui.crossing import seq_of as _seq
from tui.rowlist import RowList
from tui.screens.base import Page
from tui.verdict import COLUMNS, Level, crossing_row, main_seq, verdict

MAX_ROWS = 500
PAGE = 100
BATCH_S = 0.1  # at 20 events/s, redraw the table 10 times a second, not 20


class LaneScreen(Page):
    """What the lane's readers, scanners and RPM produce, as it happens, crossing by crossing."""

    TITLE_TEXT = "Live lane - one row per crossing"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "detail", "Open", id="lane.detail"),
        Binding("d", "detail", "Open", id="lane.detail_d"),
        Binding("a", "adjudicate", "Decide", id="lane.adjudicate"),
        Binding("f", "follow", "Follow on/off", id="lane.follow"),
        Binding("slash", "filter", "Filter", id="lane.filter"),
        Binding("o", "older", "Older", id="lane.older"),
        Binding("escape", "clear_filter", "Clear filter", id="lane.clear_filter"),
        Binding("p", "prearrival", "Pre-arrival", show=False, id="lane.prearrival"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.events: list[dict[str, Any]] = []  # ascending seq, at most MAX_ROWS
        self.follow = True
        self.needle = ""
        self._pending: list[dict[str, Any]] = []
        self._last_flush = 0.0
        self.book = CrossingBook()
        self._spoken: dict[str, Level] = {}  # the verdict the bell last said, per crossing

    def body(self) -> ComposeResult:
        """The filter field (hidden until /) and the table."""
        yield Input(id="lane-filter", placeholder="filter: document, name, kind ...")
        yield RowList(COLUMNS, id="lane-table")

    def on_mount(self) -> None:
        """Load the newest page."""
        self.query_one("#lane-filter").display = False
        self._table().focus()
        self._load_newest()

    @work(exclusive=True, group="lane-page")
    async def _load_newest(self) -> None:
        result = await self.ask("events", limit=PAGE)
        if result is not None:
            fresh = [e for e in result.get("events", []) if isinstance(e, dict)]
            self.events = sorted(fresh, key=_seq)
            self._rebuild()

    def on_event_pushed(self, message: EventPushed) -> None:
        """A pushed event: drawn with the others that arrive within ``BATCH_S``."""
        event = message.event
        if event.get("kind") in HIDDEN_KINDS or not isinstance(event.get("seq"), int):
            return
        self._pending.append(event)
        if len(self._pending) > 1:
            return  # a flush is already due
        wait = self._last_flush + BATCH_S - time.monotonic()
        if wait <= 0 and self.app.screen is self:
            self._flush()
        else:
            self.set_timer(max(wait, 0.01), self._flush)

    def _flush(self) -> None:
        self._last_flush = time.monotonic()
        pending, self._pending = self._pending, []
        for event in pending:
            self._add(event)

    def _add(self, event: dict[str, Any]) -> None:
        """Keep the event if new (its crossing's row redrawn); drop the oldest past the limit."""
        if self._rpm_lanes() != self.book.rpm_lanes:  # the lanes with a portal became known
            self.events.append(event)
            self.events = sorted(self.events, key=_seq)[-MAX_ROWS:]
            self._rebuild()
            return
        seqs = [_seq(e) for e in self.events]
        index = bisect.bisect_left(seqs, _seq(event))
        if index < len(seqs) and seqs[index] == _seq(event):
            self.events[index] = event
            self._rebuild()
            return
        if index < len(self.events):  # older than what is shown: file it again from the start
            self.events.insert(index, event)
            self.events = self.events[-MAX_ROWS:]
            self._rebuild()
            return
        self.events.append(event)
        crossing = self.book.add(event)
        if len(self.events) > MAX_ROWS:
            self.events.pop(0)
            for gone in self.book.forget_before(_seq(self.events[0])):
                self._drop_row(gone)
        if crossing is not None and self.is_mounted:
            self._show_row(crossing)
            self._speak(crossing)

    def _speak(self, crossing: Crossing) -> None:
        """Where configured, the bell says a crossing's verdict when it gets worse:
        once for CHECK, three times for STOP."""
        if not getattr(self.bp, "verdict_bell", False) or not crossing.is_crossing:
            return
        level = verdict(crossing, self._today())[0]
        if level <= self._spoken.get(crossing.key, Level.GO):
            return
        self._spoken[crossing.key] = level
        self.bp.ring(1 if level is Level.CHECK else 3)

    def _drop_row(self, crossing: Crossing) -> None:
        """Forget the oldest row without redrawing the others."""
        if self.is_mounted and self._table().has_row(crossing.key):
            self._table().remove_row(crossing.key)

    def _table(self) -> RowList:
        return self.query_one("#lane-table", RowList)

    def _rpm_lanes(self) -> frozenset[str]:
        """The lanes with a radiation portal, as the daemon's status says."""
        return portal_lanes(self.bp.status)

    def _today(self) -> dt.date:
        return self.bp.clock().date()

    def _show_row(self, crossing: Crossing) -> None:
        cells = crossing_row(crossing, self._today())
        if not _matches(cells, self.needle):
            return
        table = self._table()
        table.add_row(crossing.key, cells)
        if self.follow:
            table.move_cursor(table.row_count - 1)

    def _rebuild(self) -> None:
        """File every event again into crossings and redraw the table."""
        self.book = CrossingBook(self._rpm_lanes())
        for event in self.events:
            self.book.add(event)
        if not self.is_mounted:
            return
        table, today = self._table(), self._today()
        rows = ((c.key, crossing_row(c, today)) for c in self.book.crossings.values())
        table.set_rows((key, cells) for key, cells in rows if _matches(cells, self.needle))
        if self.follow:
            table.move_cursor(table.row_count - 1)

    def selected(self) -> Crossing | None:
        """The crossing under the cursor."""
        key = self._table().cursor_key
        return self.book.crossings.get(key) if key is not None else None

    @on(RowList.Selected, "#lane-table")
    def _row_selected(self) -> None:
        self.action_detail()

    def action_detail(self) -> None:
        """Open the selected crossing: verdict, evidence, decision."""
        crossing = self.selected()
        if crossing is not None:
            from tui.screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(main_seq(crossing), crossing))

    def action_prearrival(self) -> None:
        """The pre-arrival view of the highlighted crossing's lane (every lane without one)."""
        from tui.screens.prearrival import PrearrivalScreen

        crossing = self.selected()
        lane = crossing.lane if crossing is not None and crossing.lane != "-" else None
        self.app.push_screen(PrearrivalScreen(lane))

    def action_adjudicate(self) -> None:
        """Open the selected crossing to decide its open alert (the form is under the evidence)."""
        crossing = self.selected()
        events = crossing.events if crossing else []
        if not any(_raised_by(a, e) for a in self.bp.open_alerts for e in events):
            self.notify("This crossing has no open alert.", severity="warning")
            return
        self.action_detail()

    def action_follow(self) -> None:
        """Toggle follow mode; turning it on reloads the newest page."""
        self.follow = not self.follow
        self.notify(f"Follow {'on' if self.follow else 'off'}", timeout=2)
        if self.follow:
            self._load_newest()

    def action_filter(self) -> None:
        """Show and focus the filter field."""
        box = self.query_one("#lane-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#lane-filter")
    def _filter_changed(self, message: Input.Changed) -> None:
        self.needle = message.value.strip()
        self._rebuild()

    @on(Input.Submitted, "#lane-filter")
    def _filter_done(self) -> None:
        self._table().focus()

    def action_clear_filter(self) -> None:
        """Clear and hide the filter."""
        box = self.query_one("#lane-filter", Input)
        box.value, box.display = "", False
        self.needle = ""
        self._rebuild()
        self._table().focus()

    @work(exclusive=True, group="lane-page")
    async def action_older(self) -> None:
        """Page older events from the daemon (follow goes off; newest beyond 500 dropped)."""
        before = _seq(self.events[0]) if self.events else None
        params: dict[str, Any] = {"limit": PAGE} | ({"before_seq": before} if before else {})
        result = await self.ask("events", **params)
        older = [e for e in (result or {}).get("events", []) if isinstance(e, dict)]
        if not older:
            self.notify("No older events.", timeout=2)
            return
        self.follow = False
        self.events = (sorted(older, key=_seq) + self.events)[:MAX_ROWS]
        self._rebuild()
        self._table().move_cursor(0)


def _matches(cells: tuple[Text, ...], needle: str) -> bool:
    """Does the filter text occur in the row (case-insensitive)?"""
    return not needle or needle.lower() in " ".join(c.plain for c in cells).lower()


def _raised_by(alert: dict[str, Any], event: dict[str, Any]) -> bool:
    """Is ``alert`` the one this row (the reading or its alert event) is about?"""
    payload = event.get("payload") if isinstance(event.get("payload"), dict) else {}
    ids = set(event.get("alert_ids") or []) | {payload.get("alert_id")}  # type: ignore[union-attr]
    seq = _seq(event)
    return alert.get("alert_id") in ids or seq in (alert.get("event_seq"), alert.get("alert_seq"))
