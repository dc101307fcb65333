"""Answer capture: the discussion as the room has it, one speaker at a time.

The left lists everyone by segment with how many of their questions are answered; the
right shows the speaker's questions (their segment's guide) with a box under each for
what they said. Everything typed here is text: the only commands are control keys, so
no letter typed into an answer can do anything else. Answers are saved a moment after
each pause, when a box is left, when the speaker changes and when the screen closes;
"saved" shows only once the database has them. Ctrl+O shows every captured answer, per
segment and per person.
"""

from __future__ import annotations

from time import strftime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from sessions import Segment, SessionRecord, Stakeholder, StoreError
from workshop.errors import WorkshopError
from workshop.rules.answers import (
    answered,
    answers_by_person,
    guide_for,
    guides_by_segment,
    questions_of,
)
from workshop.tui.widgets.key_footer import KeyFooter
from workshop.tui.widgets.question_widgets import AnswerArea

if TYPE_CHECKING:
    from workshop.service.facade import WorkshopService

SAVE_DELAY = 0.4  # seconds after the last keystroke


class CaptureScreen(Screen[None]):
    CSS_PATH = "capture.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", id="capture.close"),
        Binding("ctrl+down", "speaker(1)", "Next speaker", id="capture.next", priority=True),
        Binding("ctrl+up", "speaker(-1)", "Previous", id="capture.previous", priority=True),
        Binding("ctrl+l", "people", "Who speaks", id="capture.people", priority=True),
        Binding("ctrl+o", "all_answers", "All answers", id="capture.all", priority=True),
    ]

    def __init__(
        self, service: WorkshopService, session_id: str, speaker: str | None = None
    ) -> None:
        super().__init__()
        self.service = service
        self.session_id = session_id
        self.speaker = speaker
        self.order: list[str] = []  # stakeholder ids, in the list's order
        self.people: dict[str, Stakeholder] = {}
        self.segment_of: dict[str, Segment | None] = {}
        self.questions: dict[Segment, list[str]] = {}
        self.said: dict[str, dict[str, str]] = {}
        self._dirty: dict[tuple[str, str], AnswerArea] = {}
        self._pending: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="capture-status", markup=False)
        with Horizontal(id="capture-main"):
            with Vertical(id="capture-left"):
                yield Label("Who is speaking", classes="capture-heading")
                yield OptionList(id="capture-people")
            with VerticalScroll(id="capture-right", can_focus=False):
                yield Static("", id="capture-speaker")
                yield Vertical(id="capture-questions")
            yield VerticalScroll(Static("", id="capture-all-text"), id="capture-all")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#capture-all").display = False
        self._load()
        self._draw_people()
        first = self.speaker if self.speaker in self.people else None
        if first is None:
            first = next((p for p in self.order if self.questions_for(p)), None)
        if first is None:
            self.query_one("#capture-people", OptionList).focus()
            self._say("Nobody has questions yet: place people (stage 3) and write a guide.")
        else:
            self.call_after_refresh(self._choose, first)

    # The data -----------------------------------------------------------------------------

    def _load(self) -> None:
        record: SessionRecord = self.service.sessions.load(self.session_id)
        by_segment = self.service.method.people_by_segment(record)
        guides = guides_by_segment(record)
        self.questions = {s: questions_of(guide_for(guides.get(s, []))) for s in Segment}
        self.said = answers_by_person(record)
        self.order, self.people, self.segment_of = [], {}, {}
        for segment in Segment:
            for person in by_segment.get(segment, []):
                self._add(person, segment)
        for person in record.stakeholders:
            if person.id not in self.people and not person.has_left:
                self._add(person, None)

    def _add(self, person: Stakeholder, segment: Segment | None) -> None:
        self.order.append(person.id)
        self.people[person.id] = person
        self.segment_of[person.id] = segment

    def questions_for(self, person_id: str) -> list[str]:
        segment = self.segment_of.get(person_id)
        return self.questions.get(segment, []) if segment else []

    def segment_name(self, segment: Segment | None) -> str:
        if segment is None:
            return "Not placed in a segment"
        return self.service.method.playbook.segment(segment.value).name

    # Drawing ------------------------------------------------------------------------------

    def _count(self, person_id: str) -> str:
        questions = self.questions_for(person_id)
        if not questions:
            return "no questions"
        return f"{answered(self.said.get(person_id, {}), questions)}/{len(questions)}"

    def _draw_people(self) -> None:
        people = self.query_one("#capture-people", OptionList)
        highlighted = people.highlighted
        people.clear_options()
        segment: Segment | None | bool = False
        for person_id in self.order:
            if self.segment_of[person_id] != segment:
                segment = self.segment_of[person_id]
                people.add_option(Option(Text(self.segment_name(segment), "bold"), disabled=True))
            label = Text(f"  {self.people[person_id].name}")
            label.append(f"  {self._count(person_id)}", style="dim")
            people.add_option(Option(label, id=person_id))
        if highlighted is not None and highlighted < people.option_count:
            people.highlighted = highlighted
        self._show_totals()

    def _show_totals(self) -> None:
        speaking = sum(
            1 for p in self.order if any(a.strip() for a in self.said.get(p, {}).values())
        )
        self.query_one(
            "#capture-people", OptionList
        ).border_subtitle = f"{speaking} of {len(self.order)} have answers"

    def _refresh_count(self, person_id: str) -> None:
        people = self.query_one("#capture-people", OptionList)
        label = Text(f"  {self.people[person_id].name}")
        label.append(f"  {self._count(person_id)}", style="dim")
        people.replace_option_prompt(person_id, label)
        self._show_totals()

    async def _choose(self, person_id: str) -> None:
        self.flush()
        self.speaker = person_id
        people = self.query_one("#capture-people", OptionList)
        people.highlighted = people.get_option_index(person_id)
        person = self.people[person_id]
        segment = self.segment_of[person_id]
        head = Text(person.name, style="bold")
        head.append(f"  ·  {person.role or 'no role'}  ·  {self.segment_name(segment)}")
        questions = self.questions_for(person_id)
        if not questions:
            why = (
                "They are not in a segment yet: place them on the board (stage 3)."
                if segment is None
                else "Their segment has no guide yet: write or draft one (stage 4)."
            )
            head.append(f"\n{why}", style="italic")
        box = self.query_one("#capture-questions", Vertical)
        await box.remove_children()
        said = self.said.get(person_id, {})
        blocks = []
        for n, question in enumerate(questions, 1):
            blocks.append(Label(f"{n}. {question}", classes="capture-question", markup=False))
            blocks.append(AnswerArea(person_id, question, said.get(question, "")))
        others = [(q, a) for q, a in said.items() if q not in questions and a.strip()]
        for question, answer in others:
            blocks.append(Static(Text.assemble(("Also said, to ", "dim"), question, "\n", answer)))
        await box.mount_all(blocks)
        self.query_one("#capture-speaker", Static).update(head)
        self._say("Tab: the next answer · saved as you type")
        areas = list(box.query(AnswerArea))
        if areas:
            empty = next((a for a in areas if not a.text.strip()), areas[0])
            empty.focus()
            empty.move_cursor(empty.document.end)

    # Saving -------------------------------------------------------------------------------

    @on(TextArea.Changed)
    def typed(self, event: TextArea.Changed) -> None:
        area = event.text_area
        if not isinstance(area, AnswerArea) or area.text == area.saved_text:
            return
        self._dirty[(area.stakeholder_id, area.question)] = area
        self._say("typing…")
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(SAVE_DELAY, self.flush)

    @on(events.DescendantBlur)
    def left_box(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, AnswerArea):
            self.flush()

    def flush(self) -> None:
        """Save every answer typed since the last save; a refused one stays to retry."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        for (person_id, question), area in list(self._dirty.items()):
            text = area.text
            try:
                self.service.items.save_answer(
                    self.session_id,
                    person_id,
                    question,
                    text,
                    self.service.items.author(self.session_id),
                )
            except (StoreError, WorkshopError) as error:
                self._say(f"Not saved: {error}  Your text stays here and is tried again.")
                continue
            del self._dirty[(person_id, question)]
            area.saved_text = text
            self.said.setdefault(person_id, {})[question] = text
            self._refresh_count(person_id)
            self._say(f"✓ saved {strftime('%H:%M:%S')}")

    def _say(self, message: str) -> None:
        name = self.people[self.speaker].name if self.speaker in self.people else "nobody yet"
        for status in self.query("#capture-status").results(Static):  # gone while closing
            status.update(f"Answer capture  ·  speaking: {name}  ·  {message}")

    # Moving -------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#capture-people")
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.run_worker(self._choose(event.option.id), exclusive=True, group="speaker")

    def action_speaker(self, step: int) -> None:
        if not self.order:
            return
        here = self.order.index(self.speaker) if self.speaker in self.order else -1
        following = self.order[(here + step) % len(self.order)]
        self.run_worker(self._choose(following), exclusive=True, group="speaker")

    def action_people(self) -> None:
        self.query_one("#capture-people", OptionList).focus()

    def action_all_answers(self) -> None:
        panel = self.query_one("#capture-all")
        panel.display = not panel.display
        if panel.display:
            self.flush()
            self.query_one("#capture-all-text", Static).update(self._all_answers())

    def _all_answers(self) -> Text:
        text = Text("Every captured answer, per segment and per person\n", style="bold")
        segment: Segment | None | bool = False
        anything = False
        for person_id in self.order:
            said = {q: a for q, a in self.said.get(person_id, {}).items() if a.strip()}
            if not said:
                continue
            anything = True
            if self.segment_of[person_id] != segment:
                segment = self.segment_of[person_id]
                text.append(f"\n{self.segment_name(segment)}\n", style="bold underline")
            text.append(f"{self.people[person_id].name}\n", style="bold")
            for question, answer in said.items():
                text.append(f"  Q: {question}\n", style="dim")
                text.append(f"  A: {answer}\n")
        if not anything:
            text.append("\nNothing captured yet.", style="italic")
        return text

    def action_close(self) -> None:
        self.flush()
        if not self._dirty:
            self.dismiss(None)
            return
        # A refused save (a full disk, the session deleted elsewhere): ask before the
        # text that is not in the database goes with the screen.
        from workshop.tui.dialogs.common import ConfirmDialog

        count = len(self._dirty)
        noun = "answer is" if count == 1 else "answers are"

        def answered(leave: bool | None) -> None:
            if leave:
                self._dirty.clear()
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                f"{count} {noun} not saved (see the line at the top). Leave without them?",
                yes="Leave without them",
                no="Stay and retry",
            ),
            answered,
        )

    def on_unmount(self) -> None:
        self.flush()
