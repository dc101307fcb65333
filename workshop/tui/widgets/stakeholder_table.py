"""The stakeholder register as a table: rows in saved order, changed in place.

Rows are never cleared and refilled on a change: only the rows and cells that differ are
touched, so the view does not jump while the room watches, even with 200 people.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import DataTable, Input
from textual.widgets.data_table import RowDoesNotExist

from prompt_library import Suggestion
from sessions import Stakeholder
from workshop.tui.cells.stakeholder_rows import COLUMNS, NOTES_MIN, row_cells
from workshop.tui.widgets.typing_guard import TypingGuard

SCROLLBAR = 2


class StakeholderTable(TypingGuard, DataTable):
    """The register. A name typed on it goes to the entry line (see TypingGuard)."""

    def typing_target(self) -> Input | None:
        entries = self.screen.query("#stk-entry")
        return entries.first() if entries else None  # type: ignore[return-value]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._widths = {key: width for key, _, width in COLUMNS}
        self._cells: dict[str, list[Text]] = {}
        self._people: list[Stakeholder] = []
        self._suggestions: dict[str, Suggestion | None] = {}
        self._names: dict[str, str] = {}

    def on_mount(self) -> None:
        if not self.columns:
            self._add_columns()

    def _add_columns(self) -> None:
        for key, label, _ in COLUMNS:
            self.add_column(label, width=self._widths[key], key=key)

    @property
    def selected_id(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def show(
        self,
        people: list[Stakeholder],
        suggestions: dict[str, Suggestion | None],
        names: dict[str, str],
        keep: str | None = None,
    ) -> None:
        """Show people in this order; the cursor stays on keep (else its current person)."""
        keep = keep or self.selected_id
        self._people, self._suggestions, self._names = people, suggestions, names
        rows = {
            p.id: row_cells(p, n, suggestions.get(p.id), names, self._widths)
            for n, p in enumerate(people, start=1)
        }
        for row in list(self.ordered_rows):
            if row.key.value not in rows:
                self.remove_row(row.key)
                self._cells.pop(row.key.value or "", None)
        for key, cells in rows.items():
            if key not in self._cells:
                self.add_row(*cells, key=key)
            elif self._cells[key] != cells:
                self._set_cells(key, cells)
        if [row.key.value for row in self.ordered_rows] != list(rows):
            self.sort("pos", key=lambda cell: int(cell.plain))
        self._cells = rows
        self.move_to(keep)

    def update_person(self, person: Stakeholder, suggestion: Suggestion | None) -> None:
        """One person changed: redraw their row only."""
        self._people = [person if p.id == person.id else p for p in self._people]
        self._suggestions[person.id] = suggestion
        number = self.get_row_index(person.id) + 1
        cells = row_cells(person, number, suggestion, self._names, self._widths)
        self._set_cells(person.id, cells)
        self._cells[person.id] = cells

    def _set_cells(self, key: str, cells: list[Text]) -> None:
        for (column, _, _), cell in zip(COLUMNS, cells, strict=True):
            self.update_cell(key, column, cell)

    def move_to(self, key: str | None) -> None:
        if key is None:
            return
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:  # the person is gone (removed here or in another window)
            return
        self.move_cursor(row=index, animate=False)

    def on_resize(self, event: events.Resize) -> None:
        # The notes column takes the width the other columns leave.
        fixed = sum(w for key, _, w in COLUMNS if key != "notes") + 2 * self.cell_padding * len(
            COLUMNS
        )
        notes = max(NOTES_MIN, event.size.width - fixed - SCROLLBAR)
        if notes == self._widths["notes"]:
            return
        self._widths["notes"] = notes
        keep = self.selected_id
        self.clear(columns=True)
        self._add_columns()
        self._cells = {}
        self.show(self._people, self._suggestions, self._names, keep)
