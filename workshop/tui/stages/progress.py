"""Stage 9, progress: what happens between workshops. Measurements against each approved
outcome, what happened to each plan entry, each segment's impact update on its cadence,
and the seats that changed hands.

A stage of its own after Export rather than a part of Review: Review is the room's last
look at what was decided on the day, this is the quarter that follows, weeks later."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label, Static

from sessions import Item, ItemKind, PlanStatus, SessionRecord, Status, StoreError
from workshop.errors import WorkshopError
from workshop.rules.cadence_due import DueUpdate
from workshop.rules.plan_view import EntryState
from workshop.rules.progress import OutcomeProgress
from workshop.rules.seats import seat_note
from workshop.tui.cells.progress_rows import (
    ENTRY_COLUMNS,
    OUTCOME_COLUMNS,
    UPDATE_COLUMNS,
    entry_cells,
    entry_detail,
    outcome_cells,
    outcome_detail,
    update_cells,
    update_detail,
)
from workshop.tui.dialogs.progress import (
    MeasurementDialog,
    PlanStatusDialog,
    SeatDialog,
    UpdateDialog,
)
from workshop.tui.stages.base import Saved, SessionChanged
from workshop.tui.stages.drafting_pane import (
    DraftDone,
    DraftingPane,
    model_binding,
    preview_binding,
)
from workshop.tui.stages.file_prompt import ask_to_write
from workshop.tui.widgets.keyed_table import fill, keyed_table, move_to, row_key

# Which keys act on which table: the footer shows only those that do something here.
OUTCOME_KEYS = {"measure"}
PLAN_KEYS = {"plan_status"}
UPDATE_KEYS = {"write_update", "draft_update", "edit_update", "approve_update"}
UPDATE_KEYS |= {"reject_update", "write_file"}


class ProgressPane(DraftingPane):
    MODEL_ACTIONS = frozenset({"draft_update"})
    BINDINGS = [
        Binding("m", "measure", "Measure", id="progress.measure"),
        Binding("s", "plan_status", "What happened", id="progress.plan_status"),
        Binding("w", "write_update", "Write update", id="progress.write"),
        *model_binding("d", "draft_update", "Draft with model", "progress.draft"),
        Binding("e", "edit_update", "Edit", id="progress.edit"),
        Binding("a", "approve_update", "Approve (sent)", id="progress.approve"),
        Binding("r", "reject_update", "Reject", id="progress.reject"),
        Binding("o", "write_file", "To file", id="progress.file"),
        Binding("l", "seat", "Seat change", id="progress.seat"),
        Binding("escape", "cancel_draft", "Cancel draft", id="progress.cancel"),
        preview_binding("progress"),
    ]

    # The day the pane measures "due", "late" and "time gone" against; a screenshot test
    # fixes it, as it fixes the status line's clock.
    today: Callable[[], date] = staticmethod(date.today)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.record: SessionRecord | None = None
        self.outcomes: dict[str, OutcomeProgress] = {}
        self.entries: dict[str, EntryState] = {}
        self.updates: dict[str, DueUpdate] = {}
        self.latest: dict[str, Item] = {}  # segment → its newest update not rejected

    def compose(self) -> ComposeResult:
        yield Static("", id="progress-summary", markup=False)
        yield Label("Outcomes: baseline → latest → target", classes="progress-heading")
        yield keyed_table("progress-outcomes", OUTCOME_COLUMNS)
        yield Label("The plan as it happens", classes="progress-heading")
        yield keyed_table("progress-plan", ENTRY_COLUMNS)
        yield Label("Impact updates on the cadence", classes="progress-heading")
        yield keyed_table("progress-updates", UPDATE_COLUMNS)
        yield Static("", id="progress-detail")
        yield Static("", id="progress-seats", markup=False)

    def on_mount(self) -> None:
        self.call_after_refresh(self.reload_if_shown)

    # Drawing --------------------------------------------------------------------------

    def redraw(self) -> None:
        today = self.today()
        record = self.record = self.load()
        progress = self.service.progress.progress(self.session_id, today)
        self.outcomes = {p.outcome_id: p for p in progress}
        self.entries = {s.entry_id: s for s in self.service.progress.plan(self.session_id, today)}
        self.updates = {d.segment: d for d in self.service.updates.due_in(self.session_id, today)}
        self.latest = _latest_updates(record)
        results = {p.outcome_id: p.result for p in progress}
        fill(self.table("outcomes"), [(k, outcome_cells(p)) for k, p in self.outcomes.items()])
        fill(
            self.table("plan"),
            [(k, entry_cells(s, results)) for k, s in self.entries.items()],
        )
        fill(
            self.table("updates"),
            [
                (s, update_cells(d, self._segment_name(s), self.latest.get(s)))
                for s, d in self.updates.items()
            ],
        )
        self._show_summary()
        self._show_seats(record)
        self._show_detail()
        if self._has_focus():
            self.refresh_bindings()
        elif self.shown:
            self.table("outcomes").focus()

    def table(self, name: str) -> DataTable:
        return self.query_one(f"#progress-{name}", DataTable)

    def _has_focus(self) -> bool:
        focused = self.app.focused
        return focused is not None and self in focused.ancestors_with_self

    def _segment_name(self, segment: str) -> str:
        return self.service.method.playbook.segment(segment).name

    def _show_summary(self) -> None:
        parts = [_tally("outcome", [p.status for p in self.outcomes.values()])]
        late = sum(1 for s in self.entries.values() if s.late)
        done = sum(1 for s in self.entries.values() if s.status is PlanStatus.DONE)
        entries = f"{len(self.entries)} entr{'y' if len(self.entries) == 1 else 'ies'}"
        parts.append(f"plan: {entries}, {done} done, {late} late")
        owed = [d for d in self.updates.values() if d.state in ("due", "overdue")]
        parts.append(
            f"updates: {len(owed)} of {len(self.updates)} due" if self.updates else "no cadence"
        )
        self.query_one("#progress-summary", Static).update("  ·  ".join(parts))

    def _show_seats(self, record: SessionRecord) -> None:
        notes = [f"{p.name} {note}" for p in record.stakeholders if (note := seat_note(record, p))]
        seats = self.query_one("#progress-seats", Static)
        seats.update("Seats: " + "; ".join(notes) + "  ·  l marks a seat change" if notes else "")
        seats.display = bool(notes)

    def _focused_table(self) -> str:
        for name in ("plan", "updates"):
            if self.app.focused is self.table(name):
                return name
        return "outcomes"

    def _show_detail(self) -> None:
        detail = self.query_one("#progress-detail", Static)
        name = self._focused_table()
        if name == "outcomes":
            p = self.outcomes.get(row_key(self.table("outcomes")) or "")
            if p is None:
                detail.update(Text(_NO_OUTCOMES, style="italic"))
                return
            detail.update(outcome_detail(p))
        elif name == "plan":
            s = self.entries.get(row_key(self.table("plan")) or "")
            results = {p.outcome_id: p.result for p in self.outcomes.values()}
            detail.update(entry_detail(s, results) if s else Text(_NO_ENTRIES, style="italic"))
        else:
            segment = row_key(self.table("updates"))
            due = self.updates.get(segment or "")
            if due is None:
                detail.update(Text(_NO_CADENCE, style="italic"))
                return
            terms = self.service.updates.terms(due.segment)
            name = self._segment_name(due.segment)
            detail.update(update_detail(due, name, terms, self.latest.get(due.segment)))

    @on(DataTable.RowHighlighted)
    def highlighted(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        name = self._focused_table()
        if name == "outcomes":
            self.action_measure()
        elif name == "plan":
            self.action_plan_status()
        elif self.latest.get(row_key(self.table("updates")) or ""):
            self.action_edit_update()
        else:
            self.action_write_update()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        table = self._focused_table()
        if action in OUTCOME_KEYS:
            return table == "outcomes"
        if action in PLAN_KEYS:
            return table == "plan"
        if action in UPDATE_KEYS:
            if table != "updates":
                return False
            # Only what acts on the row: no Edit or Approve before an update exists.
            if action == "draft_update":
                return self.has_model
            has_update = (row_key(self.table("updates")) or "") in self.latest
            return has_update or action == "write_update"
        return super().check_action(action, parameters)

    # Saving from a dialog ---------------------------------------------------------------

    def _attempt(self, what: str, action: Callable[[], object]) -> str | None:
        """An error goes back to the dialog to fix; success is announced."""
        try:
            action()
        except (StoreError, WorkshopError) as error:
            return str(error)
        self.post_message(Saved(what))
        self.post_message(SessionChanged())
        return None

    def _back_to(self, table: str, key: str | None) -> Callable[[Any], None]:
        def back(_: Any) -> None:
            self.reload()
            self.table(table).focus()
            move_to(self.table(table), key)
            self._show_detail()

        return back

    # Outcomes and the plan --------------------------------------------------------------

    def action_measure(self) -> None:
        key = row_key(self.table("outcomes"))
        p = self.outcomes.get(key or "")
        if p is None:
            self.notify(_NO_OUTCOMES, severity="warning")
            return

        def save(body: dict[str, Any]) -> str | None:
            return self._attempt(
                "measurement",
                lambda: self.service.progress.measure(
                    self.session_id, p.outcome_id, body["value"], body["on"],
                    body["source"].strip(), body["note"].strip(),
                ),
            )  # fmt: skip

        dialog = MeasurementDialog(p.result, p.metric, save)
        self.app.push_screen(dialog, self._back_to("outcomes", key))

    def action_plan_status(self) -> None:
        key = row_key(self.table("plan"))
        s = self.entries.get(key or "")
        if s is None:
            self.notify(_NO_ENTRIES, severity="warning")
            return

        def save(body: dict[str, Any]) -> str | None:
            return self._attempt(
                "plan status",
                lambda: self.service.progress.set_plan_status(
                    self.session_id, s.entry_id, str(body["status"]), body["on"],
                    body["note"].strip(),
                ),
            )  # fmt: skip

        dialog = PlanStatusDialog(s.title, s.status, save)
        self.app.push_screen(dialog, self._back_to("plan", key))

    # Impact updates ---------------------------------------------------------------------

    def _due(self) -> DueUpdate | None:
        due = self.updates.get(row_key(self.table("updates")) or "")
        if due is None:
            self.notify(_NO_CADENCE, severity="warning")
        return due

    def _update(self) -> Item | None:
        due = self._due()
        if due is None:
            return None
        item = self.latest.get(due.segment)
        if item is None:
            name = self._segment_name(due.segment)
            self.notify(f"No update for {name} yet: w writes one from what was recorded.")
        return item

    def action_write_update(self) -> None:
        if (due := self._due()) is None:
            return
        item = self.save(
            "impact update",
            lambda: self.service.updates.write_template(
                self.session_id, due.segment, today=self.today()
            ),
        )
        if item is not None:
            self.notify(
                f"Update for {self._segment_name(due.segment)} written from the record: "
                "e edits it into their terms, a approves it once it is sent."
            )
        self.reload()

    def action_draft_update(self) -> None:
        if (due := self._due()) is None:
            return
        period = self.today().strftime("%B %Y")
        facts = self.service.updates.facts(self.session_id, period, self.today())
        self.start_drafting(
            ItemKind.IMPACT_UPDATE,
            lambda drafter: drafter.update_jobs(
                self.session_id, due.segment, period, f"{facts['headline']}\n\n{facts['text']}"
            ),
        )

    @on(DraftDone)
    def drafted(self, event: DraftDone) -> None:
        event.stop()
        if event.error:
            self.notify(event.error, title="Drafting", severity="error", timeout=10)
        elif event.cancelled:
            self.notify("Drafting cancelled.")
        elif event.summary is not None and event.summary.drafted:
            self.notify("Update drafted: e edits it, a approves it once it is sent.")
        elif event.summary is not None:
            why = event.summary.failed[0][1] if event.summary.failed else "no answer"
            self.notify(
                f"The model did not draft the update ({why}); w writes one from the record.",
                severity="warning",
                timeout=10,
            )
        self.reload()

    def action_edit_update(self) -> None:
        if (item := self._update()) is None:
            return
        segment = str(item.body["segment"])

        def save(body: dict[str, Any]) -> str | None:
            return self._attempt(
                "impact update",
                lambda: self.service.items.edit(item.id, body, self.author, item.version),
            )

        dialog = UpdateDialog(
            self._segment_name(segment), self.service.updates.terms(segment), item.body, save
        )
        self.app.push_screen(dialog, self._back_to("updates", segment))

    def action_approve_update(self) -> None:
        if (item := self._update()) is None:
            return
        if item.status is Status.APPROVED:
            self.notify("This update is already approved (sent).")
            return
        self.approve_item(item)

    def action_reject_update(self) -> None:
        if item := self._update():
            self.reject_item(item)

    def action_write_file(self) -> None:
        if (item := self._update()) is None:
            return

        def written(path: Path) -> None:
            self.post_message(Saved("update file"))
            self.notify(f"Written to {path} (readable by you only), ready to send.")

        ask_to_write(
            self,
            f"Write the update as Markdown to which file? Relative to {Path.cwd()}",
            self.service.updates.file_name(item),
            lambda path, force: self.service.updates.write(item, path, force),
            written,
            "this update",
        )

    # Seats ------------------------------------------------------------------------------

    def action_seat(self) -> None:
        record = self.record or self.load()
        people = [(p.name, f"{p.name} · {p.role}") for p in record.stakeholders if not p.has_left]
        if not people:
            self.notify("Nobody in the register yet.", severity="warning")
            return

        def save(body: dict[str, Any]) -> str | None:
            def leave() -> None:
                newcomer = self.service.people.leave(
                    self.session_id, body["name"], body["on"], body["replaced_by"]
                )
                if newcomer is not None:
                    self.notify(
                        f"{newcomer.name} takes over from {body['name']}: unplaced, "
                        "to resell in the next session."
                    )

            return self._attempt("seat change", leave)

        self.app.push_screen(SeatDialog(people, save), self._back_to(self._focused_table(), None))


_NO_OUTCOMES = "No approved outcome yet: approve one in stage 5 (Outcomes) to measure it here."
_NO_ENTRIES = "No plan entry yet: stage 6 (Plan) holds the 90-day calendar."
_NO_CADENCE = "No segment is on an approved cadence: stage 6 (Plan) says who hears what, how often."


def _latest_updates(record: SessionRecord) -> dict[str, Item]:
    latest: dict[str, Item] = {}
    for item in sorted(record.items_of(ItemKind.IMPACT_UPDATE), key=lambda i: i.created_at):
        if item.status is not Status.REJECTED:
            latest[str(item.body.get("segment"))] = item
    return latest


def _tally(noun: str, statuses: list[str]) -> str:
    if not statuses:
        return f"no approved {noun} yet"
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    said = ", ".join(f"{n} {status}" for status, n in counts.items())
    return f"{len(statuses)} {noun}{'s' if len(statuses) != 1 else ''}: {said}"
