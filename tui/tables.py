"""Refilling a ``DataTable`` without losing the officer's place in it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable


def cursor_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor (None for an empty table)."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def refill(table: DataTable[Any], rows: Iterable[tuple[str, Sequence[Text]]]) -> None:
    """Replace every row; the cursor stays on the row with the same key, wherever it moved.

    A refresh that lands while the officer is about to press Enter must not
    move the cursor to another item; a row that is gone leaves the cursor
    at the same position, clamped to the table.
    """
    current, position = cursor_key(table), table.cursor_row
    table.clear()
    keys: list[str] = []
    for key, cells in rows:
        if key in keys:  # DataTable refuses a duplicate key; the first row stands
            continue
        table.add_row(*cells, key=key)
        keys.append(key)
    if not keys:
        return
    row = keys.index(current) if current in keys else min(position, len(keys) - 1)
    table.move_cursor(row=row, animate=False)
