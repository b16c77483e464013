"""A light table for long, fast-growing lists: fixed columns, one line per row.

Textual's ``DataTable`` renders every visible cell again after each added row
and after every screen switch (its caches are keyed on an update counter and
cleared on any style update). At 20 events/s that is most of a Pi core and a
screen switch of 50 ms or more. ``RowList`` renders a row once into a
``Strip`` and keeps it until the row, the width or the style changes, so adding
a row or coming back to the screen costs a few dictionary look-ups per line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

Cells = tuple[Text, ...]
GAP = 2  # spaces between columns


class RowList(Widget, can_focus=True):
    """A header line and rows of fixed-width cells, a row cursor, keys and mouse.

    Rows are identified by a string key. The header stays on top; the view
    follows the cursor.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False, id="rowlist.up"),
        Binding("down", "move(1)", "Down", show=False, id="rowlist.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="rowlist.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="rowlist.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="rowlist.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="rowlist.last"),
        Binding("enter", "select", "Select", show=False, id="rowlist.select"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"rowlist--header", "rowlist--cursor"}
    DEFAULT_CSS = """
    RowList {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .rowlist--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .rowlist--header { background: ansi_bright_blue; color: ansi_default; }
        & > .rowlist--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .rowlist--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    class Selected(Message):
        """Enter (or a click on the cursor row) on a row."""

        def __init__(self, row_list: RowList, key: str) -> None:
            super().__init__()
            self.row_list, self.key = row_list, key

        @property
        def control(self) -> RowList:
            """The list the row belongs to."""
            return self.row_list

    def __init__(
        self,
        columns: Sequence[tuple[str, int]],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.cursor_row = 0
        self._keys: list[str] = []
        self._cells: dict[str, Cells] = {}
        self._top = 0  # index of the first row in view
        self._strips: dict[tuple[str, bool], Strip] = {}
        self._header: Strip | None = None
        self._look: tuple[Style, ...] = ()
        self._width = 0

    # -- rows -----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows there are."""
        return len(self._keys)

    @property
    def cursor_key(self) -> str | None:
        """The key of the row under the cursor."""
        return self._keys[self.cursor_row] if self._keys else None

    def has_row(self, key: str) -> bool:
        """Is there a row with this key?"""
        return key in self._cells

    def get_row(self, key: str) -> Cells:
        """The cells of a row."""
        return self._cells[key]

    def row_index(self, key: str) -> int:
        """Where a row is (ValueError if it is not there)."""
        return self._keys.index(key)

    def add_row(self, key: str, cells: Iterable[Text]) -> None:
        """Append a row, or replace the cells of the row with this key."""
        if key in self._cells:
            self._forget(key)
        else:
            self._keys.append(key)
        self._cells[key] = tuple(cells)
        self.refresh()

    def remove_row(self, key: str) -> None:
        """Drop a row; the cursor stays on the row it was on where it can."""
        index = self._keys.index(key)
        del self._keys[index]
        self._forget(key)
        del self._cells[key]
        if index < self.cursor_row or self.cursor_row >= len(self._keys):
            self.cursor_row = max(0, self.cursor_row - 1)
        if index < self._top:
            self._top -= 1
        self._keep_cursor_in_view()
        self.refresh()

    def set_rows(self, rows: Iterable[tuple[str, Iterable[Text]]]) -> None:
        """Replace every row; the cursor stays on its row if it is still there, else goes first."""
        current = self.cursor_key
        self._cells = {key: tuple(cells) for key, cells in rows}
        self._keys = list(self._cells)
        self._strips.clear()
        self.cursor_row = self._top = 0
        if current in self._cells:
            self.cursor_row = self._keys.index(current)
            self._keep_cursor_in_view()
        self.refresh()

    def clear(self) -> None:
        """No rows."""
        self.set_rows(())

    def _forget(self, key: str) -> None:
        self._strips.pop((key, False), None)
        self._strips.pop((key, True), None)

    # -- cursor and view ------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.size.height - 1)

    def move_cursor(self, row: int) -> None:
        """Put the cursor on a row (clamped) and scroll it into view."""
        self.cursor_row = max(0, min(row, len(self._keys) - 1))
        self._keep_cursor_in_view()
        self.refresh()

    def _keep_cursor_in_view(self) -> None:
        page = self._page
        if self.cursor_row < self._top:
            self._top = self.cursor_row
        elif self.cursor_row >= self._top + page:
            self._top = self.cursor_row - page + 1
        self._top = max(0, min(self._top, len(self._keys) - page))

    def action_move(self, step: int) -> None:
        """One row up or down."""
        self.move_cursor(self.cursor_row + step)

    def action_page(self, pages: int) -> None:
        """One screenful up or down."""
        self.move_cursor(self.cursor_row + pages * self._page)

    def action_jump(self, row: int) -> None:
        """First row (0) or last (-1)."""
        self.move_cursor(row if row >= 0 else len(self._keys) - 1)

    def action_select(self) -> None:
        """Tell the screen which row was chosen."""
        if self.cursor_key is not None:
            self.post_message(self.Selected(self, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        """Click a row to put the cursor on it; click it again to select it."""
        row = self._top + event.y - 1
        if event.y < 1 or row >= len(self._keys):
            return
        if row == self.cursor_row:
            self.action_select()
        else:
            self.move_cursor(row)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        """The wheel moves the cursor three rows."""
        event.stop()
        self.move_cursor(self.cursor_row + 3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        """The wheel moves the cursor three rows."""
        event.stop()
        self.move_cursor(self.cursor_row - 3)

    def on_resize(self) -> None:
        """A new height may hide the cursor."""
        self._keep_cursor_in_view()

    # -- drawing --------------------------------------------------------------------

    def notify_style_update(self) -> None:
        """Styles are applied again on every screen switch: redraw only if they changed."""
        super().notify_style_update()
        try:
            look = (
                self.rich_style,
                self.get_component_rich_style("rowlist--header"),
                self.get_component_rich_style("rowlist--cursor"),
            )
        except KeyError:  # component styles are not there before the stylesheet is applied
            return
        if look != self._look:
            self._look = look
            self._redraw()

    def _redraw(self) -> None:
        self._strips.clear()
        self._header = None
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """The header, a row, or blank."""
        width, base = self.size.width, self.rich_style
        if width != self._width:
            self._width = width
            self._strips.clear()
            self._header = None
        if y == 0:
            if self._header is None:
                titles = [Text(title) for title, _ in self.columns]
                header = base + self.get_component_rich_style("rowlist--header")
                self._header = self._line(titles, header, width, over=False)
            return self._header
        row = self._top + y - 1
        if row >= len(self._keys):
            return Strip.blank(width, base)
        key, cursor = self._keys[row], row == self.cursor_row
        strip = self._strips.get((key, cursor))
        if strip is None:
            style = base + self.get_component_rich_style("rowlist--cursor") if cursor else base
            strip = self._line(self._cells[key], style, width, over=cursor)
            self._strips[key, cursor] = strip
        return strip

    def _line(self, cells: Sequence[Text], style: Style, width: int, *, over: bool) -> Strip:
        """Cells cut or padded to their columns, on one line of ``width``.

        ``style`` is under the cells' own styles, or over them with ``over`` (the cursor).
        """
        line = Text(" ", end="", no_wrap=True)
        for (_, size), cell in zip(self.columns, cells, strict=False):
            piece = cell.copy()
            piece.truncate(size, overflow="ellipsis", pad=True)
            line.append_text(piece)
            line.append(" " * GAP)
        line.stylize_before(style)
        if over:
            line.stylize(style)
        return Strip(line.render(self.app.console)).crop_extend(0, width, style)
