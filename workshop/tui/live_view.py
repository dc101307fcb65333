"""The read-only live view: the board, the influence map and the approved outcomes of one
session, redrawn as the room changes them. `workshop serve` shows it to browsers, so it
has no key that changes data, no command palette and no way to other sessions.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from sessions import ItemKind, NotFoundError, SessionRecord, Status, StoreError
from workshop.tui.widgets.influence_map import SEGMENT_STYLES, InfluenceMap, current_assignments
from workshop.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from workshop.service.facade import WorkshopService

LIVE_POLL_SECONDS = 0.75  # as the app's own live refresh: one cheap PRAGMA a tick
UNKNOWN = "unknown"  # a baseline or target nobody in the room gave


class LiveViewScreen(Screen[None]):
    def __init__(self, service: WorkshopService, session_id: str, live: bool = True) -> None:
        super().__init__()
        self.service = service
        self.session_id = session_id
        self.live = live
        self._watch = service.watch() if live else None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="live-document"):
            yield Static("", id="live-heading", markup=False)
            yield Static("", id="live-board", markup=False)
            yield InfluenceMap(id="live-map")
            yield Static("", id="live-outcomes", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.redraw()
        self.query_one("#live-document").focus()
        if self.live:
            self.set_interval(LIVE_POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        try:
            changed = self._watch is not None and self._watch.changed()
        except StoreError:
            return  # unusable for a moment (locked, disk); the next tick tries again
        if changed:
            self.redraw()

    def redraw(self) -> None:
        heading = self.query_one("#live-heading", Static)
        try:
            record = self.service.sessions.load(self.session_id)
        except NotFoundError:
            heading.update("This session was deleted; there is nothing left to show.")
            for part in ("#live-board", "#live-map", "#live-outcomes"):
                self.query_one(part).display = False
            return
        names = {s.id: s.name for s in self.service.method.playbook.segments}
        session = record.session
        self.sub_title = f"{session.title} · read-only"
        when = session.workshop_date.isoformat() if session.workshop_date else ""
        line = " · ".join(
            part for part in (session.organisation, when, f"stage: {session.stage.value}") if part
        )
        updated = datetime.now().strftime("%H:%M:%S")
        live = f"live, updated {updated}" if self.live else f"as of {updated}"
        heading.update(Text.assemble((session.title, "bold"), f"\n{line}  ·  {live}"))
        self.query_one("#live-board", Static).update(_board(record, names))
        self.query_one("#live-map", InfluenceMap).show_record(record, names)
        self.query_one("#live-outcomes", Static).update(_outcomes(record))


def _board(record: SessionRecord, names: dict[str, str]) -> Table | Group:
    """The five segments as columns, each person's name under their segment (✓ approved)."""
    current = current_assignments(record)
    columns: dict[str, list[Text]] = {segment: [] for segment in names}
    unplaced: list[Text] = []
    for person in record.stakeholders:
        item = current.get(person.id)
        if item is None:
            unplaced.append(Text(person.name, style="dim"))
            continue
        mark = " ✓" if item.status is Status.APPROVED else " (draft)"
        segment = str(item.body.get("segment"))
        columns.setdefault(segment, []).append(Text(person.name + mark))
    table = Table(expand=True, title="Segment board", show_lines=False)
    for segment, people in columns.items():
        header = f"{names.get(segment, segment)} ({len(people)})"
        table.add_column(header, ratio=1, header_style=SEGMENT_STYLES.get(segment, "bold"))
    tallest = max((len(p) for p in columns.values()), default=0)
    for row in range(tallest):
        table.add_row(*(p[row] if row < len(p) else Text("") for p in columns.values()))
    if not unplaced:
        return table
    waiting = Text("Not yet placed: ", style="dim")
    waiting.append_text(Text(", ").join(unplaced))
    return Group(table, waiting)


def _outcomes(record: SessionRecord) -> Table | Text:
    approved = [i for i in record.items_of(ItemKind.OUTCOME) if i.status is Status.APPROVED]
    if not approved:
        return Text("\nApproved outcomes: none yet.", style="dim")
    table = Table(expand=True, title=f"Approved outcomes ({len(approved)})")
    for column in ("Outcome", "Metric", "Baseline", "Target", "Due", "Owner"):
        table.add_column(column, ratio=2 if column == "Outcome" else 1)
    for item in approved:
        body = item.body
        table.add_row(
            *(
                Text(str(body.get(key) or UNKNOWN))
                for key in ("result", "metric", "baseline", "target", "due", "owner")
            )
        )
    return table


class LiveViewApp(App[None]):
    """One session, read-only. Only quitting (which ends this viewer's page) and
    scrolling; Textual's command palette is off, as it would offer themes and more."""

    TITLE = "Strategy Workshop"
    # The default screen's own CSS_PATH is not read (see WorkshopApp): the app reads it.
    CSS_PATH = "live_view.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="live.quit", priority=True)]

    def __init__(self, service: WorkshopService, session_id: str, live: bool = True) -> None:
        super().__init__()
        self.service = service
        self.session_id = session_id
        self.live = live

    def get_default_screen(self) -> Screen:
        return LiveViewScreen(self.service, self.session_id, self.live)

    def on_unmount(self) -> None:
        self.service.close()
