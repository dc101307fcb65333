"""The board for the back of the room (F11 on the segmentation stage).

A projector shows a 100-column board as small print. Here one segment at a time is on
screen, its people as a short list, and the person in focus has the whole of their draft
beside it: why they are there, what moves them, what they object to, how to approach
them, what to tell them. Nothing here changes data; Esc (or F11) goes back to the board,
at the person last shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from sessions import Item, SessionRecord, Stakeholder
from workshop.tui.cells.status_words import status_words
from workshop.tui.widgets.influence_map import current_assignments
from workshop.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from workshop.service.facade import WorkshopService

UNPLACED = "unplaced"
DETAIL_LISTS = (
    ("motivations", "What moves them"),
    ("objections", "What they object to"),
    ("messages", "What to tell them"),
)


class PresenterScreen(Screen[str | None]):
    """Dismissed with the id of the person last shown, for the board to focus."""

    CSS_PATH = "presenter.tcss"
    BINDINGS = [
        Binding("escape,f11", "leave", "Back to the board", id="presenter.leave"),
        Binding("left", "segment(-1)", "Segment", id="presenter.previous_segment"),
        Binding("right", "segment(1)", "Segment", id="presenter.next_segment", show=False),
        Binding("up", "person(-1)", "Person", id="presenter.previous_person"),
        Binding("down", "person(1)", "Person", id="presenter.next_person", show=False),
    ]

    def __init__(
        self,
        service: WorkshopService,
        session_id: str,
        segment_names: dict[str, str],
        person_id: str | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        self.session_id = session_id
        self.segment_names = segment_names
        self.person_id = person_id
        self.groups: dict[str, list[tuple[Stakeholder, Item | None]]] = {}
        self.segment = UNPLACED

    def compose(self) -> ComposeResult:
        yield Static("", id="presenter-title", markup=False)
        with Horizontal(id="presenter-body"):
            yield Static("", id="presenter-people")
            with VerticalScroll(id="presenter-draft-scroll"):
                yield Static("", id="presenter-draft")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._load()
        for segment, people in self.groups.items():
            if any(person.id == self.person_id for person, _ in people):
                self.segment = segment
        if not self.groups.get(self.segment):
            self.segment = next((s for s, people in self.groups.items() if people), UNPLACED)
        self._show()

    def _load(self) -> None:
        record: SessionRecord = self.service.sessions.load(self.session_id)
        current = current_assignments(record)
        groups: dict[str, list[tuple[Stakeholder, Item | None]]] = {
            segment: [] for segment in (*self.segment_names, UNPLACED)
        }
        for person in record.stakeholders:
            item = current.get(person.id)
            segment = str(item.body.get("segment")) if item else UNPLACED
            groups.setdefault(segment, []).append((person, item))
        self.title_text = record.session.title
        self.groups = groups

    def live_refresh(self) -> bool:
        """Another window changed the session: the room sees it here too."""
        self._load()
        self._show()
        return True

    # Moving ---------------------------------------------------------------------------

    def _filled(self) -> list[str]:
        return [segment for segment, people in self.groups.items() if people]

    def action_segment(self, step: int) -> None:
        filled = self._filled()
        if not filled:
            return
        at = filled.index(self.segment) if self.segment in filled else 0
        self.segment = filled[(at + step) % len(filled)]
        self.person_id = None
        self._show()

    def action_person(self, step: int) -> None:
        people = self.groups.get(self.segment, [])
        if not people:
            return
        ids = [person.id for person, _ in people]
        at = ids.index(self.person_id) if self.person_id in ids else 0
        self.person_id = ids[(at + step) % len(ids)]
        self._show()

    def action_leave(self) -> None:
        self.dismiss(self.person_id)

    # Drawing --------------------------------------------------------------------------

    def _name_of(self, segment: str) -> str:
        return "Not yet placed" if segment == UNPLACED else self.segment_names.get(segment, segment)

    def _show(self) -> None:
        people = self.groups.get(self.segment, [])
        if people and self.person_id not in [person.id for person, _ in people]:
            self.person_id = people[0][0].id
        filled = self._filled()
        at = filled.index(self.segment) + 1 if self.segment in filled else 0
        place = f"{at} of {len(filled)}" if at else ""
        self.query_one("#presenter-title", Static).update(
            Text.assemble(
                (self._name_of(self.segment), "bold"),
                f"  ({len(people)})   segment {place}   ·   {self.title_text}",
            )
        )
        names = Text()
        for person, item in people:
            chosen = person.id == self.person_id
            names.append("▶ " if chosen else "  ", style="bold")
            names.append(person.name, style="bold reverse" if chosen else "bold")
            if person.role:
                names.append(f"\n  {person.role}", style="dim")
            if item is not None:
                names.append(f"\n  {status_words(item)}", style="dim")
            names.append("\n\n")
        self.query_one("#presenter-people", Static).update(names or Text("Nobody here yet."))
        chosen_pair = next(((p, i) for p, i in people if p.id == self.person_id), None)
        self.query_one("#presenter-draft", Static).update(
            whole_draft(*chosen_pair) if chosen_pair else Text("")
        )


def whole_draft(person: Stakeholder, item: Item | None) -> Text:
    """Everything the room decides on for one person, with nothing clipped."""
    text = Text()
    text.append(person.name, style="bold underline")
    if person.role or person.team:
        text.append("\n" + " · ".join(part for part in (person.role, person.team) if part))
    if item is None:
        text.append("\n\nNo assignment yet.", style="italic")
        return text
    body = item.body
    confidence = body.get("confidence")
    text.append(f"\n{status_words(item)}")
    if confidence:
        text.append(f" · {confidence} confidence")
    rationale = str(body.get("rationale") or "").strip()
    if rationale:
        text.append("\n\nWhy here\n", style="bold")
        text.append(rationale)
    for field, heading in DETAIL_LISTS:
        entries = [str(e).strip() for e in body.get(field) or [] if str(e).strip()]
        if entries:
            text.append(f"\n\n{heading}\n", style="bold")
            text.append("\n".join(f"• {entry}" for entry in entries))
        if field == "objections":
            approach = str(body.get("approach") or "").strip()
            if approach:
                text.append("\n\nHow to approach them\n", style="bold")
                text.append(approach)
    return text
