"""Tables whose rows are keyed by what they show (an item id, a segment), so a redraw
from the database keeps the cursor on the same thing rather than the same row number."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist


def keyed_table(table_id: str, columns: list[tuple[str, int]]) -> DataTable:
    """A row-cursor table with fixed column widths (so a redraw never jumps sideways)."""
    table: DataTable = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
    for label, width in columns:
        table.add_column(label, width=width, key=label)
    return table


def row_key(table: DataTable) -> str | None:
    """The key of the row under the cursor; None for an empty table."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def fill(table: DataTable, rows: list[tuple[str, list[Text]]]) -> None:
    """Replace the rows, keeping the cursor on the same key where it still exists."""
    keep = row_key(table)
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    move_to(table, keep)


def move_to(table: DataTable, key: str | None) -> None:
    if key is None:
        return
    try:
        table.move_cursor(row=table.get_row_index(key), animate=False)
    except RowDoesNotExist:  # the row is gone (changed in another window)
        return
