"""Stage 6: the 90-day calendar (entries that each serve an approved outcome) and the
impact cadence (what report each segment gets, and how often)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label, Static

from sessions import Item, ItemKind, SessionRecord, Status, StoreError
from workshop.errors import WorkshopError
from workshop.tui.cells.plan_rows import (
    CADENCE_COLUMNS,
    PLAN_COLUMNS,
    cadence_cells,
    cadence_detail,
    entry_cells,
    entry_detail,
    entry_sort_key,
    outcome_label,
    plan_window,
)
from workshop.tui.dialogs.plan import CadenceDialog, PlanEntryDialog
from workshop.tui.stages.base import Saved, SessionChanged, StagePane
from workshop.tui.widgets.keyed_table import fill, keyed_table, move_to, row_key

NO_OUTCOME = (
    "An entry must serve an approved outcome, and none is approved yet: "
    "approve one in stage 5 (Outcomes) first."
)


class PlanPane(StagePane):
    BINDINGS = [
        Binding("n", "new_entry", "New entry", id="plan.new"),
        Binding("e", "edit", "Edit", id="plan.edit"),
        Binding("a", "approve", "Approve", id="plan.approve"),
        Binding("r", "reject", "Reject", id="plan.reject"),
        Binding("u", "reopen", "Reopen", id="plan.reopen", show=False),
        Binding("c", "switch_table", "Calendar/cadence", id="plan.switch"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.record: SessionRecord | None = None
        self.entries: dict[str, Item] = {}
        self.outcomes: dict[str, Item] = {}
        self.cadence: dict[str, Item | None] = {}
        self._focus_key: str | None = None  # the row a dialog just saved

    def compose(self) -> ComposeResult:
        yield Static("", id="plan-summary", markup=False)
        yield Label("90-day calendar", classes="plan-heading")
        yield keyed_table("plan-table", PLAN_COLUMNS)
        yield Static("", id="plan-detail")
        yield Label(
            "Impact cadence: what each segment hears about marketing's impact, and how often",
            classes="plan-heading",
        )
        yield keyed_table("cadence-table", CADENCE_COLUMNS)

    def on_mount(self) -> None:
        self.call_after_refresh(self.reload_if_shown)

    @property
    def segments(self) -> dict[str, tuple[str, str]]:
        """Segment id → (name, what they need), in the playbook's order."""
        return {s.id: (s.name, s.needs) for s in self.service.method.playbook.segments}

    # Drawing --------------------------------------------------------------------------

    def redraw(self) -> None:
        record = self.record = self.load()
        self.outcomes = {i.id: i for i in record.items_of(ItemKind.OUTCOME)}
        entries = sorted(record.items_of(ItemKind.PLAN_ENTRY), key=entry_sort_key)
        self.entries = {i.id: i for i in entries}
        self.cadence = {s: self.service.items.cadence_for(record, s) for s in self.segments}
        window = plan_window(record.session.workshop_date)
        fill(
            self.plan_table,
            [(i.id, entry_cells(i, self.outcomes, window)) for i in entries],
        )
        fill(
            self.cadence_table,
            [(s, cadence_cells(name, self.cadence[s])) for s, (name, _) in self.segments.items()],
        )
        self._show_summary(record)
        self._show_detail()
        if self.shown and not self._has_focus():
            self.plan_table.focus()

    @property
    def plan_table(self) -> DataTable:
        return self.query_one("#plan-table", DataTable)

    @property
    def cadence_table(self) -> DataTable:
        return self.query_one("#cadence-table", DataTable)

    def _has_focus(self) -> bool:
        focused = self.app.focused
        return focused is not None and self in focused.ancestors_with_self

    def _show_summary(self, record: SessionRecord) -> None:
        entries = list(self.entries.values())
        approved = sum(1 for i in entries if i.status is Status.APPROVED)
        drafts = sum(1 for i in entries if i.status is Status.DRAFT)
        set_ = sum(1 for i in self.cadence.values() if i and i.status is not Status.REJECTED)
        window = plan_window(record.session.workshop_date)
        parts = [f"{len(entries)} entries ({approved} approved, {drafts} draft)"]
        if window:
            parts.append(f"90 days: {window[0].isoformat()} → {window[1].isoformat()}")
        else:
            parts.append("no workshop date (stage 1), so no 90-day window")
        parts.append(f"cadence: {set_} of {len(self.cadence)} segments")
        if not any(i.status is Status.APPROVED for i in self.outcomes.values()):
            parts.append("no approved outcome yet (stage 5)")
        else:
            parts.append("Enter edits")
        self.query_one("#plan-summary", Static).update("  ·  ".join(parts))

    def _show_detail(self) -> None:
        detail = self.query_one("#plan-detail", Static)
        if self._in_cadence():
            segment = row_key(self.cadence_table)
            if segment in self.segments:
                name, needs = self.segments[segment]
                detail.update(cadence_detail(name, needs, self.cadence.get(segment)))
            return
        item = self.entries.get(row_key(self.plan_table) or "")
        if item is None:
            approved = sum(1 for i in self.outcomes.values() if i.status is Status.APPROVED)
            message = (
                f"No entries yet. n adds one; each serves one of the {approved} approved "
                "outcome(s)."
                if approved
                else f"No entries yet. {NO_OUTCOME}"
            )
            detail.update(Text(message, style="italic"))
            return
        window = plan_window(self.record.session.workshop_date) if self.record else None
        detail.update(entry_detail(item, self.outcomes, window))

    @on(DataTable.RowHighlighted)
    def highlighted(self) -> None:
        self._show_detail()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_detail()

    @on(DataTable.RowSelected)
    def selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # Which row --------------------------------------------------------------------------

    def _in_cadence(self) -> bool:
        return self.app.focused is self.cadence_table

    def _entry(self) -> Item | None:
        item = self.entries.get(row_key(self.plan_table) or "")
        if item is None:
            self.notify("No entry selected: n adds one.", severity="warning")
        return item

    def _cadence_item(self) -> tuple[str, Item | None]:
        segment = row_key(self.cadence_table) or next(iter(self.segments))
        return segment, self.cadence.get(segment)

    def action_switch_table(self) -> None:
        (self.plan_table if self._in_cadence() else self.cadence_table).focus()

    # Calendar entries -----------------------------------------------------------------

    def _approved_outcomes(self) -> list[tuple[str, str]]:
        return [
            (i.id, outcome_label(i)) for i in self.outcomes.values() if i.status is Status.APPROVED
        ]

    def action_new_entry(self) -> None:
        outcomes = self._approved_outcomes()
        if not outcomes:
            self.notify(NO_OUTCOME, title="No approved outcome", severity="warning", timeout=8)
            return

        def write(body: dict[str, Any]) -> str | None:
            return self._attempt(
                "plan entry",
                lambda: self.service.items.write(
                    self.session_id, ItemKind.PLAN_ENTRY, body, self.author
                ),
            )

        self.app.push_screen(
            PlanEntryDialog("New 90-day plan entry", outcomes, write), self._entry_closed
        )

    def _edit_entry(self) -> None:
        item = self._entry()
        if item is None:
            return
        heading = f"Edit entry: {item.body.get('title', '')}"
        if item.status is Status.APPROVED:
            heading += " (approved: saving a change reopens it)"

        def write(body: dict[str, Any]) -> str | None:
            return self._attempt(
                "plan entry",
                lambda: self.service.items.edit(item.id, body, self.author, item.version),
            )

        self.app.push_screen(
            PlanEntryDialog(heading, self._approved_outcomes(), write, item.body),
            self._entry_closed,
        )

    def _attempt(self, what: str, action: Callable[[], Item]) -> str | None:
        """Save from a dialog: an error message goes back to it; success is announced."""
        try:
            item = action()
        except (StoreError, WorkshopError) as error:
            return str(error)
        self._focus_key = item.id
        self.post_message(Saved(what))
        self.post_message(SessionChanged())
        return None

    def _entry_closed(self, body: dict[str, Any] | None) -> None:
        self._after_dialog(self.plan_table, self._focus_key if body is not None else None)

    def _after_dialog(self, table: DataTable, key: str | None) -> None:
        self.reload()
        table.focus()
        move_to(table, key)
        self._show_detail()

    # Cadence ----------------------------------------------------------------------------

    def _edit_cadence(self) -> None:
        segment, item = self._cadence_item()
        name, needs = self.segments[segment]

        def write(body: dict[str, Any]) -> str | None:
            return self._attempt(
                "impact cadence",
                lambda: self.service.items.save_cadence(
                    self.session_id,
                    segment,
                    body["report"],
                    body["frequency"],
                    self.author,
                    item.version if item else None,
                ),
            )

        body = item.body if item else None
        self.app.push_screen(
            CadenceDialog(segment, name, needs, write, body),
            lambda _: self._after_dialog(self.cadence_table, segment),
        )

    # Acting on the selected row ---------------------------------------------------------

    def action_edit(self) -> None:
        if self._in_cadence():
            self._edit_cadence()
        else:
            self._edit_entry()

    def _selected(self) -> Item | None:
        if not self._in_cadence():
            return self._entry()
        segment, item = self._cadence_item()
        if item is None:
            name = self.segments[segment][0]
            self.notify(f"Nothing to decide yet for {name}: e says what they get.")
        return item

    def action_approve(self) -> None:
        item = self._selected()
        if item is None:
            return
        if item.kind is ItemKind.PLAN_ENTRY:
            served = self.outcomes.get(str(item.body.get("outcome_id") or ""))
            if served is None or served.status is not Status.APPROVED:
                self.notify(
                    "This entry does not serve an approved outcome: e to choose one first.",
                    severity="warning",
                )
                return
        self.approve_item(item)

    def action_reject(self) -> None:
        if item := self._selected():
            self.reject_item(item)

    def action_reopen(self) -> None:
        if item := self._selected():
            self.save("reopening", lambda: self.service.items.reopen(item.id, self.author))
            self.reload()
