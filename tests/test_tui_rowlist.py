"""RowList, the lane's table: keys, mouse, removal, and rows drawn once, not on every change."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from tui.rowlist import RowList

pytestmark = pytest.mark.timeout(30)
COLUMNS = (("Seq", 5), ("Name", 10))


class ListApp(App[None]):
    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield RowList(COLUMNS, id="list")

    def on_mount(self) -> None:
        table = self.query_one(RowList)
        table.set_rows((str(i), (Text(str(i)), Text(f"name {i}"))) for i in range(self.rows))
        table.focus()

    def on_row_list_selected(self, message: RowList.Selected) -> None:
        self.chosen.append(message.key)


def _screen_lines(app: App[Any]) -> list[str]:
    table = app.query_one(RowList)
    return [table.render_line(y).text for y in range(table.size.height)]


def run(rows: int, check: Any, size: tuple[int, int] = (40, 12)) -> None:
    async def main() -> None:
        app = ListApp(rows)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await check(app, pilot, app.query_one(RowList))

    asyncio.run(main())


def test_keys_move_the_cursor_and_the_view_follows() -> None:
    async def check(app: ListApp, pilot: Any, table: RowList) -> None:
        page = table.size.height - 1
        assert _screen_lines(app)[0].split() == ["Seq", "Name"]
        await pilot.press("down", "down")
        assert table.cursor_key == "2"
        await pilot.press("pagedown")
        assert table.cursor_row == 2 + page
        await pilot.press("end")
        assert table.cursor_key == "99"
        assert _screen_lines(app)[-1].split() == ["99", "name", "99"]  # last row in view
        await pilot.press("home", "up")
        assert table.cursor_row == 0
        assert _screen_lines(app)[1].split() == ["0", "name", "0"]
        await pilot.press("down", "enter")
        assert app.chosen == ["1"]

    run(100, check)


def test_click_moves_the_cursor_and_a_second_click_selects() -> None:
    async def check(app: ListApp, pilot: Any, table: RowList) -> None:
        await pilot.click(RowList, offset=(2, 4))  # header is line 0: row 3
        assert table.cursor_key == "3" and app.chosen == []
        await pilot.click(RowList, offset=(2, 4))
        assert app.chosen == ["3"]

    run(10, check)


def test_removing_rows_keeps_the_cursor_on_its_row() -> None:
    async def check(app: ListApp, pilot: Any, table: RowList) -> None:
        table.move_cursor(5)
        table.remove_row("0")
        table.remove_row("9")
        assert table.cursor_key == "5" and table.row_count == 8
        table.remove_row("5")
        assert table.cursor_key == "6"  # the rows below close up under the cursor
        assert not table.has_row("5")
        with pytest.raises(ValueError, match="not in list"):
            table.row_index("5")
        table.clear()
        assert table.cursor_key is None and table.row_count == 0
        await pilot.pause()
        assert _screen_lines(app)[1].strip() == ""

    run(10, check)


def test_cells_are_cut_to_their_column_and_kept_literal() -> None:
    async def check(app: ListApp, pilot: Any, table: RowList) -> None:
        table.add_row("x", (Text("[b]x"), Text("a very long name indeed")))
        table.move_cursor(0)
        await pilot.pause()
        line = _screen_lines(app)[2]
        assert line.startswith(" [b]x   a very lo… ")
        assert table.get_row("x")[1].plain == "a very long name indeed"

    run(1, check)


def test_a_new_row_draws_only_itself() -> None:
    """Rows already drawn are reused: adding one, or switching away and back, costs no redraw."""

    async def check(app: ListApp, pilot: Any, table: RowList) -> None:
        drawn: list[str] = []
        line = table._line

        def counting(cells: Any, *args: Any, **kwargs: Any) -> Any:
            drawn.append(cells[0].plain)
            return line(cells, *args, **kwargs)

        table._line = counting  # type: ignore[method-assign]
        await pilot.press("end")
        await pilot.pause()
        drawn.clear()
        table.add_row("new", (Text("new"), Text("row")))
        table.move_cursor(table.row_count - 1)
        await pilot.pause()
        assert sorted(drawn) == ["29", "new"]  # the old cursor row loses its highlight
        drawn.clear()
        table.notify_style_update()  # what a screen switch does
        await pilot.pause()
        assert drawn == []

    run(30, check)
