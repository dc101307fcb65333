"""Stage 7, review: what is approved and what is still open, per stage, and the full
change history of any item, with what each revision changed."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowDoesNotExist

from sessions import Item, NotFoundError, SessionRecord, Status
from workshop.tui.cells.history_rows import (
    COUNT_ROWS,
    ITEM_COLUMNS,
    KINDS,
    counts,
    item_cells,
    item_label,
    sorted_items,
)
from workshop.tui.cells.readable import Readable
from workshop.tui.stages.base import StagePane
from workshop.tui.widgets.history_panel import HistoryPanel


class ReviewPane(StagePane):
    BINDINGS = [
        Binding("x", "toggle_rejected", "Show/hide rejected", id="review.rejected"),
        Binding("h", "history", "History", id="review.history"),
        Binding("i", "items", "Items", id="review.items", show=False),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.show_rejected = False
        self.items: dict[str, Item] = {}
        self.labels: dict[str, str] = {}
        self.readable = Readable()

    def compose(self) -> ComposeResult:
        counts_table: DataTable = DataTable(id="review-counts", cursor_type="none")
        counts_table.add_column("", key="status", width=12)
        for kind, label in KINDS:
            # As wide as its label: every kind and the total fit in 100 columns.
            counts_table.add_column(label, key=kind.value, width=len(label))
        counts_table.add_column("Total", key="total", width=6)
        yield counts_table
        yield Static("", id="review-summary", markup=False)
        items: DataTable = DataTable(id="review-items", cursor_type="row", zebra_stripes=True)
        for label, width in ITEM_COLUMNS:
            items.add_column(label, width=width, key=label)
        yield items
        yield HistoryPanel(id="review-history")

    def on_mount(self) -> None:
        self.call_after_refresh(self._reload_if_shown)

    def _reload_if_shown(self) -> None:
        if self.display and self.parent is not None and self.parent.display:
            self.reload()

    @property
    def items_table(self) -> DataTable:
        return self.query_one("#review-items", DataTable)

    @property
    def history(self) -> HistoryPanel:
        return self.query_one(HistoryPanel)

    # Drawing --------------------------------------------------------------------------

    def redraw(self) -> None:
        record = self.load()
        names = {s.id: s.name for s in record.stakeholders}
        segments = {s.id: s.name for s in self.service.method.playbook.segments}
        self._show_counts(record)
        table = self.items_table
        keep = self._row_key()
        table.clear()
        self.items, self.labels = {}, {}
        self.readable = Readable(
            # Every item, shown or not: a plan entry may serve an outcome that is hidden.
            {i.id: item_label(i, names, segments) for i in record.items},
            self._ancestor_titles(record),
            segments,
        )
        previous_kind = None
        for item in sorted_items(record, self.show_rejected):
            label = item_label(item, names, segments)
            self.items[item.id], self.labels[item.id] = item, label
            table.add_row(*item_cells(item, label, item.kind != previous_kind), key=item.id)
            previous_kind = item.kind
        if keep is not None:
            with contextlib.suppress(RowDoesNotExist):  # it left the list
                table.move_cursor(row=table.get_row_index(keep), animate=False)
        self._show_history()
        focused = self.app.focused
        if focused is None or self not in focused.ancestors_with_self:
            table.focus()

    def _ancestor_titles(self, record: SessionRecord) -> dict[str, str]:
        """The earlier workshop a follow-up carried its items from, by its title."""
        parent_id = record.session.parent_id
        if not parent_id:
            return {}
        try:
            return {parent_id: self.service.sessions.get(parent_id).title}
        except NotFoundError:
            return {}  # deleted since: the note says "an earlier workshop"

    def _show_counts(self, record: SessionRecord) -> None:
        tally = counts(record)
        table = self.query_one("#review-counts", DataTable)
        table.clear()
        for status, label in COUNT_ROWS:
            row = [Text(label, style="bold")]
            for kind, _ in KINDS:
                n = tally[kind][status]
                row.append(Text(str(n), style="" if n else "dim"))
            row.append(Text(str(sum(tally[kind][status] for kind, _ in KINDS)), style="bold"))
            table.add_row(*row, key=status.value)
        approved = sum(tally[k][Status.APPROVED] for k, _ in KINDS)
        open_ = sum(tally[k][Status.DRAFT] for k, _ in KINDS)
        rejected = sum(tally[k][Status.REJECTED] for k, _ in KINDS)
        listed = "listed" if self.show_rejected else "not listed: x lists them"
        summary = (
            f"{approved} approved · {open_} still open · {rejected} rejected ({listed})"
            " · Enter or h: the item's revisions"
        )
        self.query_one("#review-summary", Static).update(summary)

    def _row_key(self) -> str | None:
        table = self.items_table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _show_history(self) -> None:
        key = self._row_key()
        item = self.items.get(key or "")
        if item is None:
            message = "Nothing drafted or written yet." if not self.items else ""
            self.history.show(None, message, [])
            return
        self.history.show(
            item, self.labels[item.id], self.service.items.revisions(item.id), self.readable
        )

    @on(DataTable.RowHighlighted, "#review-items")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if self.history.item is None or self.history.item.id != event.row_key.value:
            self._show_history()

    @on(DataTable.RowSelected, "#review-items")
    def selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_history()

    # Actions --------------------------------------------------------------------------

    def action_toggle_rejected(self) -> None:
        self.show_rejected = not self.show_rejected
        self.reload()

    def action_history(self) -> None:
        if self.history.item is not None:
            self.history.table.focus()

    def action_items(self) -> None:
        self.items_table.focus()
