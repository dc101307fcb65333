"""The right side of the discussions stage: one segment's guide and the answers to it.

Picking who is speaking opens a box under each question for what they said. Answers are
saved a moment after each pause, whenever a box is left, and when the view goes; the
saving itself is the pane's (a callback that says whether it was committed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Label, Select, Static, TextArea

from sessions import Item, Stakeholder, Status
from workshop.tui.widgets.question_widgets import (
    AnswerArea,
    GuideState,
    QuestionBlock,
    QuestionLine,
    item_line,
    partial_questions,
)

SAVE_DELAY = 0.4  # seconds after the last keystroke in an answer
SaveAnswer = Callable[[str, str, str], bool]  # (stakeholder id, question, answer) → saved?


@dataclass
class SegmentView:
    """What the guide view shows for the selected segment."""

    name: str
    guides: list[Item]  # the one to show first, first
    people: list[Stakeholder]
    chosen: str | None = None  # the version picked with `v`
    state: GuideState | None = None
    names: dict[str, str] = field(default_factory=dict)  # stakeholder id → name
    answers: dict[str, dict[str, str]] = field(default_factory=dict)  # id → question → answer
    topics: dict[str, str] = field(default_factory=dict)  # topic id → title

    @property
    def guide(self) -> Item | None:
        chosen = next((g for g in self.guides if g.id == self.chosen), None)
        return chosen or (self.guides[0] if self.guides else None)


class GuideView(VerticalScroll):
    def __init__(self, save_answer: SaveAnswer, **kwargs) -> None:
        super().__init__(**kwargs)
        self.can_focus = False  # Tab goes straight to the picker and the questions
        self.save_answer = save_answer
        self.view: SegmentView | None = None
        self.person_id: str | None = None
        self._built: tuple | None = None  # what the question blocks show
        self._dirty: dict[tuple[str, str], AnswerArea] = {}
        self._pending: Timer | None = None

    @property
    def guide(self) -> Item | None:
        return self.view.guide if self.view else None

    def compose(self) -> ComposeResult:
        yield Static("", id="dis-guide-head")
        yield Static("", id="dis-stream")
        with Horizontal(id="dis-who"):
            yield Label("Answers from", id="dis-who-label")
            yield Select[str]([], prompt="Pick who is speaking (p)", id="dis-person")
        yield Vertical(id="dis-questions")
        yield Static("", id="dis-orphans")

    # Drawing --------------------------------------------------------------------------

    def show(self, view: SegmentView) -> None:
        self.flush()
        self.view = view
        guide = view.guide
        head = self.query_one("#dis-guide-head", Static)
        if guide is None:
            head.update(
                Content.assemble(
                    (f"{view.name}: no discussion guide yet.", "bold"),
                    "\nd drafts every segment's guide with the model, g this one only; "
                    "n writes a question by hand.",
                )
            )
        else:
            parts: list[str | tuple[str, str] | Content] = [
                (f"{view.name} — discussion guide", "bold")
            ]
            if guide.stakeholder_id:
                parts.append(f" for {view.names.get(guide.stakeholder_id, 'someone')}")
            if len(view.guides) > 1:
                number = view.guides.index(guide) + 1
                parts.append(f"  (version {number} of {len(view.guides)} · v: next)")
            parts += ["\n", item_line(guide)]
            if guide.status is Status.REJECTED:
                parts.append("  · u reopens it")
            head.update(Content.assemble(*parts))
        self.show_state(view.state)
        self._draw_person_choice()
        self._draw_questions()

    def show_state(self, state: GuideState | None) -> None:
        """Drafting in progress (with the questions so far) or its failure."""
        if self.view is not None:
            self.view.state = state
        stream = self.query_one("#dis-stream", Static)
        stream.display = bool(state and (state.drafting or state.error))
        if state and state.error:
            stream.update(Content.assemble((f"✗ {state.error}\n  press d to retry", "$error bold")))
        elif state and state.drafting:
            questions = partial_questions(state.partial)
            lines = [f"… {state.drafting}"] + [f"  {n}. {q}" for n, q in enumerate(questions, 1)]
            stream.update(Content.assemble(("\n".join(lines), "italic")))

    def _draw_person_choice(self) -> None:
        people = self.view.people if self.view else []
        select = self.query_one("#dis-person", Select)
        options = [(p.id, p.name) for p in people]
        if getattr(select, "_dis_options", None) != options:
            select.set_options([(Text(name), pid) for pid, name in options])
            select._dis_options = options  # type: ignore[attr-defined]
        ids = [pid for pid, _ in options]
        if self.person_id not in ids:
            self.person_id = None
        select.disabled = not ids
        select.prompt = "Pick who is speaking (p)" if ids else "Nobody is placed here (stage 3)"
        wanted = self.person_id if self.person_id else Select.NULL
        if select.value != wanted:
            select.value = wanted

    def _said(self) -> dict[str, str]:
        if self.view is None or self.person_id is None:
            return {}
        return self.view.answers.setdefault(self.person_id, {})

    def _draw_questions(self) -> None:
        guide, person, said = self.guide, self.person_id, self._said()
        built = (guide.id, guide.version, person) if guide else (None, None, person)
        if built == self._built:
            for area in self.query(AnswerArea):  # changed elsewhere: show the saved text
                fresh = said.get(area.question, "")
                dirty = (area.stakeholder_id, area.question) in self._dirty
                if not area.has_focus and not dirty and area.text != fresh:
                    area.load_text(fresh)
                    area.saved_text = fresh
        else:
            self._built = built
            self.call_later(self._fill_questions, guide, person, dict(said))
        self._draw_orphans(guide, said)

    async def _fill_questions(self, guide: Item | None, person: str | None, said: dict) -> None:
        box = self.query_one("#dis-questions", Vertical)
        focused = self.screen.focused
        refocus = None
        if isinstance(focused, QuestionLine) and focused in box.query(QuestionLine):
            refocus = ("line", focused.index)
        elif isinstance(focused, AnswerArea) and focused in box.query(AnswerArea):
            refocus = ("answer", focused.question)
        self.flush()
        await box.remove_children()
        topics = self.view.topics if self.view else {}
        blocks = []
        for n, question in enumerate(guide.body.get("questions", []) if guide else []):
            topic = str(question.get("topic", ""))
            line = QuestionLine(n, question, topics.get(topic, topic))
            text = str(question.get("text", ""))
            answer = AnswerArea(person, text, said.get(text, "")) if person else None
            blocks.append(QuestionBlock(line, answer))
        await box.mount_all(blocks)
        for block in blocks:
            if refocus == ("line", block.line.index):
                block.line.focus()
            elif block.answer and refocus == ("answer", block.answer.question):
                block.answer.focus()

    def _draw_orphans(self, guide: Item | None, said: dict[str, str]) -> None:
        asked = {str(q.get("text", "")) for q in (guide.body.get("questions", []) if guide else [])}
        left = [(q, a) for q, a in said.items() if q not in asked and a.strip()]
        orphans = self.query_one("#dis-orphans", Static)
        orphans.display = bool(left)
        if left:
            parts: list[str | tuple[str, str]] = [
                ("Also said (to questions not in this guide):", "bold")
            ]
            for question, answer in left:
                parts += [("\nQ: ", "bold"), question, ("\nA: ", "bold"), answer]
            orphans.update(Content.assemble(*parts))

    def focused_line(self) -> QuestionLine | None:
        """The question in focus, or the one whose answer box is in focus."""
        focused = self.screen.focused
        if isinstance(focused, QuestionLine):
            return focused
        if isinstance(focused, AnswerArea) and isinstance(focused.parent, QuestionBlock):
            return focused.parent.line
        return None

    # Who is speaking ----------------------------------------------------------------------

    @on(Select.Changed, "#dis-person")
    def person_chosen(self, event: Select.Changed) -> None:
        event.stop()
        if event.value != event.select.value:
            return  # an older change, already overtaken
        person = None if event.value == Select.NULL else str(event.value)
        if person != self.person_id:
            self.flush()
            self.person_id = person
            self._draw_questions()

    def pick_person(self) -> bool:
        """Open the list of people; False when the segment has nobody."""
        select = self.query_one("#dis-person", Select)
        if select.disabled:
            return False
        select.focus()
        select.expanded = True
        if select.value == Select.NULL:
            # Open on the first person rather than on the empty choice.
            self.call_after_refresh(_highlight, select.query_one("SelectOverlay"), 1)
        return True

    # Answers ----------------------------------------------------------------------------

    @on(TextArea.Changed)
    def answer_typed(self, event: TextArea.Changed) -> None:
        area = event.text_area
        if not isinstance(area, AnswerArea) or area.text == area.saved_text:
            return
        self._dirty[(area.stakeholder_id, area.question)] = area
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(SAVE_DELAY, self.flush)

    @on(events.DescendantBlur)
    def left_answer(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, AnswerArea):
            self.flush()

    def flush(self) -> None:
        """Save every answer typed since the last save (after a pause, on leaving, on exit)."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        for key, area in list(self._dirty.items()):
            text = area.text
            if text != area.saved_text and not self.save_answer(*key, text):
                continue  # the message is on screen; the text stays and is tried again
            del self._dirty[key]
            area.saved_text = text
            if self.view is not None:
                self.view.answers.setdefault(key[0], {})[key[1]] = text

    def on_unmount(self) -> None:
        self.flush()


def _highlight(option_list, index: int) -> None:
    option_list.highlighted = index
