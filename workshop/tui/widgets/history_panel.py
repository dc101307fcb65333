"""One item's change history: its revisions, and what each changed from the one before."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowDoesNotExist

from sessions import Item, ItemKind, Revision
from sessions.bodies import BODY_MODELS
from workshop.rules.item_diff import changed_fields, diff_bodies, has_changes
from workshop.tui.cells.history_rows import (
    REVISION_COLUMNS,
    diff_text,
    item_heading,
    revision_cells,
)
from workshop.tui.cells.history_rows import revision_heading as heading_of
from workshop.tui.cells.readable import Readable

DIFF_CONTEXT = 2  # unchanged lines kept around each change


def field_order(kind: ItemKind) -> list[str]:
    model = BODY_MODELS.get(kind)
    return list(model.model_fields) if model else []


class HistoryPanel(Vertical):
    """Shows the revisions of one item; the highlighted one is compared with its previous."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.item: Item | None = None
        self.revisions: list[Revision] = []
        self.readable = Readable()

    def compose(self) -> ComposeResult:
        yield Static("", id="history-title")
        with Horizontal(id="history-body"):
            table: DataTable = DataTable(id="history-revisions", cursor_type="row")
            for label, width in REVISION_COLUMNS:
                table.add_column(label, width=width, key=label)
            yield table
            with VerticalScroll(id="history-diff-scroll", can_focus=False):
                yield Static("", id="history-diff-head")
                yield Static("", id="history-diff")

    @property
    def table(self) -> DataTable:
        return self.query_one("#history-revisions", DataTable)

    def show(
        self,
        item: Item | None,
        label: str,
        revisions: list[Revision],
        readable: Readable | None = None,
    ) -> None:
        """Show an item's history with its last revision compared with the one before;
        `readable` names what the bodies and notes refer to by id."""
        same_item = self.item is not None and item is not None and self.item.id == item.id
        keep = self.selected_number() if same_item else None
        self.item, self.revisions = item, revisions
        self.readable = readable or Readable()
        title = self.query_one("#history-title", Static)
        self.table.clear()
        if item is None:
            title.update(Text(label, style="italic"))
            self._show_diff(None)
            return
        title.update(item_heading(item, label))
        for revision in revisions:
            self.table.add_row(*revision_cells(revision, self.readable), key=str(revision.number))
        if revisions:
            self.select(keep if keep is not None else revisions[-1].number)
        self._show_diff(self.selected_number())

    def selected_number(self) -> int | None:
        if not self.table.row_count:
            return None
        row = self.table.coordinate_to_cell_key(self.table.cursor_coordinate).row_key
        return int(row.value or 0)

    def select(self, number: int) -> None:
        """Compare revision `number` with the one before it."""
        try:
            self.table.move_cursor(row=self.table.get_row_index(str(number)), animate=False)
        except RowDoesNotExist:
            return
        self._show_diff(number)

    @on(DataTable.RowHighlighted, "#history-revisions")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_diff(int(event.row_key.value or 0))

    @on(DataTable.RowSelected, "#history-revisions")
    def selected(self, event: DataTable.RowSelected) -> None:
        event.stop()

    def _show_diff(self, number: int | None) -> None:
        head = self.query_one("#history-diff-head", Static)
        diff = self.query_one("#history-diff", Static)
        by_number = {r.number: r for r in self.revisions}
        revision = by_number.get(number or 0)
        if revision is None:
            head.update("")
            diff.update("")
            return
        previous = by_number.get(revision.number - 1)
        readable = self.readable
        old = readable.body(previous.body) if previous else None
        new = readable.body(revision.body)
        order = readable.order(field_order(self.item.kind)) if self.item else ()
        changed = changed_fields(old, new, order)
        head.update(heading_of(revision, previous, changed, readable))
        # The first version in full; later ones as the changes with a little context.
        context = None if previous is None else DIFF_CONTEXT
        lines = diff_bodies(old, new, context, order)
        if not has_changes(lines):  # only the status changed: show the text it applies to
            lines = diff_bodies(old, new, None, order)
        diff.update(diff_text(lines))
