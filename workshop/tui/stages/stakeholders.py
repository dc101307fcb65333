"""Stage 2: the stakeholder register, typed fast while people talk.

One line per person in the entry (or a pasted list), a CSV import, single keys for the
attributes on the selected row, a dialog for everything else. Each change is saved at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Static

from prompt_library import Suggestion
from sessions import Stakeholder, StoreError
from workshop.errors import WorkshopError
from workshop.tui.cells.stakeholder_rows import (
    clip,
    detail,
    next_value,
    removal_question,
    segment_names,
)
from workshop.tui.dialogs.common import ConfirmDialog, PromptDialog
from workshop.tui.dialogs.stakeholder import AddLinesDialog, Closed, StakeholderDialog
from workshop.tui.stages.base import StagePane
from workshop.tui.widgets.stakeholder_entry import StakeholderEntry
from workshop.tui.widgets.stakeholder_table import StakeholderTable

# Keys that act on the register; while the entry has focus they are letters to type.
ROW_ACTIONS = {"edit", "cycle", "remove", "move"}
REGISTER_ACTIONS = ROW_ACTIONS | {"import_csv", "add_many", "focus_entry"}
FIELDS = ("name", "role", "team", "notes", "influence", "stance", "involvement")


class StakeholdersPane(StagePane):
    BINDINGS = [
        Binding("a", "focus_entry", "Add", id="stakeholders.add"),
        Binding("e", "edit", "Edit", id="stakeholders.edit"),
        Binding("i", "cycle('influence')", "Influence", id="stakeholders.influence"),
        Binding("s", "cycle('stance')", "Stance", id="stakeholders.stance"),
        Binding("v", "cycle('involvement')", "Involvement", id="stakeholders.involvement"),
        Binding("x,delete", "remove", "Remove", id="stakeholders.remove"),
        Binding("ctrl+up,left_square_bracket", "move(-1)", "Move up", id="stakeholders.move_up"),
        Binding(
            "ctrl+down,right_square_bracket",
            "move(1)",
            "Move down",
            id="stakeholders.move_down",
        ),
        Binding("c", "import_csv", "Import CSV", id="stakeholders.import_csv"),
        Binding("p", "add_many", "Paste a list", id="stakeholders.add_many", show=False),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.people: dict[str, Stakeholder] = {}
        self.suggestions: dict[str, Suggestion | None] = {}
        self._names: dict[str, str] | None = None
        self._unsaved_edits: dict[str, dict[str, Any]] = {}  # person id → typed, not saved
        self._unsaved_lines = ""  # a list closed without adding it
        self._last_csv = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="stk-entry-row"):
            # The entry sits alone in its box, and the buttons (for the mouse) take no
            # focus: Textual hands the focus of a widget hidden by a stage switch to a
            # focusable sibling, which would switch the stage straight back.
            with Vertical(id="stk-entry-box"):
                yield StakeholderEntry(id="stk-entry")
            for label, button_id in (
                ("Add", "stk-add"),
                ("Paste a list… (p)", "stk-paste"),
                ("Import CSV… (c)", "stk-import"),
            ):
                button = Button(label, id=button_id, compact=True)
                button.can_focus = False
                yield button
        yield Static("", id="stk-message", markup=False)
        yield StakeholderTable(id="stk-table")
        yield Static("", id="stk-detail")

    def on_mount(self) -> None:
        self.call_after_refresh(self._reload_if_shown)

    def _reload_if_shown(self) -> None:
        if self._shown():
            self.reload()

    # Widgets and state ----------------------------------------------------------------

    @property
    def table(self) -> StakeholderTable:
        return self.query_one("#stk-table", StakeholderTable)

    @property
    def entry(self) -> StakeholderEntry:
        return self.query_one("#stk-entry", StakeholderEntry)

    @property
    def names(self) -> dict[str, str]:
        if self._names is None:
            self._names = segment_names(self.service.method.playbook.segments)
        return self._names

    def _shown(self) -> bool:
        return self.display and self.parent is not None and self.parent.display

    def _has_focus(self) -> bool:
        focused = self.app.focused
        return focused is not None and self in focused.ancestors_with_self

    def _selected_id(self) -> str | None:
        return self.table.selected_id

    def _selected(self) -> Stakeholder | None:
        person = self.people.get(self._selected_id() or "")
        if person is None:
            self.notify("Nobody in the register yet: type a name in the line at the top.")
        return person

    def show_message(self, message: str | Text, kind: str = "") -> None:
        line = self.query_one("#stk-message", Static)
        line.set_classes(kind)
        line.update(message)

    def _hint(self) -> None:
        count = len(self.people)
        with_attributes = sum(
            1 for p in self.people.values() if p.influence or p.stance or p.involvement
        )
        who = "1 person" if count == 1 else f"{count} people"
        self.show_message(
            f"{who}, {with_attributes} with attributes  ·  ↓ to the register, then "
            "i s v attributes · e edits · [ ] moves · x removes"
        )

    # Drawing --------------------------------------------------------------------------

    def redraw(self) -> None:
        self._redraw()
        if self._shown() and not self._has_focus():
            self.entry.focus()

    def _redraw(self, select: str | None = None) -> None:
        """Redraw from the database; the cursor stays on its person (or moves to select)."""
        record = self.load()
        suggestions = self.service.method.suggestions(record)
        self.people = {p.id: p for p in record.stakeholders}
        self.suggestions = {p.id: suggestions.get(p.id) for p in record.stakeholders}
        self._unsaved_edits = {k: v for k, v in self._unsaved_edits.items() if k in self.people}
        self.table.show(record.stakeholders, self.suggestions, self.names, select)
        self._show_detail()
        if not self.query_one("#stk-message", Static).has_class("error"):
            self._hint()

    def _update_row(self, person: Stakeholder) -> None:
        """One person changed: redraw their row only (fast with 200 people)."""
        self.people[person.id] = person
        self.suggestions[person.id] = self.service.method.suggestion(person)
        self.table.update_person(person, self.suggestions[person.id])
        self._show_detail()

    def _show_detail(self) -> None:
        box = self.query_one("#stk-detail", Static)
        person = self.people.get(self._selected_id() or "")
        if person is None:
            box.update(
                Text(
                    "Nobody yet. Type “Name, Role, Team, notes…” above and press Enter, "
                    "paste a list, or press c to import a CSV.",
                    style="italic",
                )
            )
            return
        box.update(detail(person, self.suggestions.get(person.id), self.names))

    @on(DataTable.RowHighlighted, "#stk-table")
    def highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected, "#stk-table")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in REGISTER_ACTIONS and isinstance(self.screen.focused, Input):
            return False  # the entry has the keys: they are letters being typed
        if action in ROW_ACTIONS and not self.people:
            return None
        return True

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.refresh_bindings()

    # Saving ---------------------------------------------------------------------------

    def _try(self, what: str, action: Callable[[], Any]) -> tuple[bool, Any, str]:
        """One write through `save`: (saved?, its result, the message if refused)."""
        refused: list[str] = []

        def guarded() -> Any:
            try:
                return action()
            except (StoreError, WorkshopError) as error:
                refused.append(str(error))
                raise

        result = self.save(what, guarded)
        if not refused:
            self.query_one("#stk-message", Static).set_classes("")  # an old refusal is over
        return not refused, result, refused[0] if refused else ""

    # Fast entry -----------------------------------------------------------------------

    @on(Input.Submitted, "#stk-entry")
    def entry_submitted(self, event: Input.Submitted) -> None:
        self._add_typed(event.value)  # the entry has already let go of it

    @on(Button.Pressed, "#stk-add")
    def add_pressed(self) -> None:
        text = self.entry.value
        with self.prevent(Input.Changed):
            self.entry.value = ""
        self._add_typed(text)

    def _add_typed(self, text: str) -> None:
        self.entry.focus()
        if not text.strip():
            self.show_message("Type a name first: Name, Role, Team, notes…", "error")
            return
        error = self._add_lines(text)
        if error:
            self._give_back(text, error)

    def _give_back(self, text: str, error: str) -> None:
        """A line that could not be saved goes back to the entry, to fix, never lost."""
        if self.entry.value.strip():  # the next person is being typed: keep both lines
            self._open_lines(f"{text}\n{self.entry.value}", error)
            with self.prevent(Input.Changed):
                self.entry.value = ""
            return
        with self.prevent(Input.Changed):
            self.entry.value = text
        self.entry.cursor_position = len(text)

    @on(StakeholderEntry.LinesPasted)
    def lines_pasted(self, event: StakeholderEntry.LinesPasted) -> None:
        lines = [line for line in event.text.splitlines() if line.strip()]
        with self.prevent(Input.Changed):
            self.entry.value = ""
        if len(lines) <= 1:
            # One line with a line break: add it as if typed and Enter pressed.
            if lines:
                self._add_typed(lines[0])
            return
        error = self._add_lines(event.text)
        if error:
            # Several lines cannot stay in a one-line entry: fix them in a bigger box.
            self._open_lines(event.text, error)

    def _add_lines(self, text: str) -> str:
        """Add the people in text; returns the message when they could not be saved."""
        saved, added, error = self._try(
            "stakeholders", lambda: self.service.people.add_lines(self.session_id, text)
        )
        if not saved:
            if len([line for line in text.splitlines() if line.strip()]) == 1:
                error = error.removeprefix("line 1: ")  # there is only the one line
            self.show_message(error, "error")
            return error
        self._after_adding(added, "Added")
        return ""

    def _after_adding(self, added: list[Stakeholder], verb: str) -> None:
        self.show_message("")  # the hint comes back with the redraw
        self._redraw(added[-1].id if added else None)
        if added:
            names = ", ".join(clip(p.name, 40) for p in added[:5])
            more = f" and {len(added) - 5} more" if len(added) > 5 else ""
            self.show_message(f"{verb} {len(added)}: {names}{more}.", "ok")

    @on(Input.Changed, "#stk-entry")
    def entry_changed(self) -> None:
        if self.query_one("#stk-message", Static).has_class("error"):
            self._hint()

    @on(StakeholderEntry.Leave)
    def leave_entry(self) -> None:
        self.table.focus()

    def action_focus_entry(self) -> None:
        self.entry.focus()

    @on(Button.Pressed, "#stk-paste")
    def action_add_many(self) -> None:
        self._open_lines(self._unsaved_lines, "")

    def _open_lines(self, text: str, message: str) -> None:
        def write(typed: str) -> str | None:
            saved, added, error = self._try(
                "stakeholders", lambda: self.service.people.add_lines(self.session_id, typed)
            )
            if saved:
                self._unsaved_lines = ""
                self._after_adding(added, "Added")
            return None if saved else error

        def closed(result: Closed | None) -> None:
            if result is not None and not result.saved:
                self._unsaved_lines = result.unsaved.get("text", "")
                if self._unsaved_lines:
                    self.notify("The list was not added; p brings it back.", timeout=6)

        self.app.push_screen(AddLinesDialog(text, write, message), closed)

    # CSV import -----------------------------------------------------------------------

    @on(Button.Pressed, "#stk-import")
    def action_import_csv(self) -> None:
        def chosen(value: str | None) -> None:
            if value is None or not value.strip():
                return
            self._last_csv = value.strip()
            path = Path(self._last_csv).expanduser()
            saved, added, error = self._try(
                "import", lambda: self.service.people.import_csv(self.session_id, path)
            )
            if not saved:
                self.show_message(f"Nobody imported. {error}", "error")
                return
            self._after_adding(added, f"Imported from {path.name}")

        self.app.push_screen(
            PromptDialog(
                "Import stakeholders from a CSV file (columns: name, role, team, notes, "
                "influence, stance, involvement)",
                value=self._last_csv,
                placeholder="path, e.g. ~/workshop/people.csv",
            ),
            chosen,
        )

    # The selected person --------------------------------------------------------------

    def action_cycle(self, attribute: str) -> None:
        person = self._selected()
        if person is None:
            return
        value = next_value(attribute, getattr(person, attribute))
        saved, updated, _ = self._try(
            attribute,
            lambda: self.service.people.update(
                person.id, **{attribute: value.value if value else None}
            ),
        )
        if saved:
            self._update_row(updated)
            shown = value.value if value else "not set"
            message = Text(f"{clip(person.name, 60)}: {attribute} {shown}")
            if suggestion := self.suggestions.get(person.id):
                message.append(f"  →  playbook suggests {self.names[suggestion.segment_id]}")
            self.show_message(message, "ok")

    def action_move(self, offset: int) -> None:
        person = self._selected()
        if person is None:
            return
        index = self.table.cursor_row
        if not 0 <= index + offset < self.table.row_count:
            where = "first" if offset < 0 else "last"
            self.notify(f"{person.name} is already {where}.", markup=False)
            return
        saved, _, _ = self._try("order", lambda: self.service.people.move(person.id, offset))
        if saved:
            self._redraw(person.id)
            place = self.table.cursor_row + 1
            self.show_message(Text(f"Moved {clip(person.name, 60)} to {place}."), "ok")

    def action_edit(self) -> None:
        person = self._selected()
        if person is None:
            return
        saved_fields = _fields(person)

        def write(fields: dict[str, Any]) -> str | None:
            saved, _, error = self._try(
                "stakeholder", lambda: self.service.people.update(person.id, **fields)
            )
            return None if saved else error

        def closed(result: Closed | None) -> None:
            if result is not None and result.saved:
                self._unsaved_edits.pop(person.id, None)
            elif result is not None and result.unsaved:
                self._unsaved_edits[person.id] = result.unsaved
                self.notify(
                    f"Not saved: e on {person.name} brings back what you typed.",
                    timeout=6,
                    markup=False,
                )
            else:
                self._unsaved_edits.pop(person.id, None)
            self._redraw(person.id)
            self.table.focus()

        self.app.push_screen(
            StakeholderDialog(
                f"Edit: {person.name}",
                saved_fields,
                write,
                self._unsaved_edits.get(person.id),
            ),
            closed,
        )

    def action_remove(self) -> None:
        person = self._selected()
        if person is None:
            return
        kinds = Counter(
            item.kind.value for item in self.load().items if item.stakeholder_id == person.id
        )
        question = removal_question(person.name, dict(kinds))
        index = self.table.cursor_row

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            saved, _, _ = self._try("removal", lambda: self.service.people.remove(person.id))
            if saved:
                self._redraw()
                if self.table.row_count:
                    self.table.move_cursor(row=min(index, self.table.row_count - 1))
                self.show_message(Text(f"Removed {clip(person.name, 60)}."), "ok")

        self.app.push_screen(ConfirmDialog(question, yes="Remove", no="Keep"), answered)


def _fields(person: Stakeholder) -> dict[str, Any]:
    """A person's editable fields, attributes as plain strings (None when unset)."""
    values = person.model_dump(include=set(FIELDS))
    for name in ("influence", "stance", "involvement"):
        value = getattr(person, name)
        values[name] = value.value if value is not None else None
    return values
