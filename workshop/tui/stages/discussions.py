"""Stage 4, discussions: a guide of questions per segment, and answers captured live.

The left lists the five segments with who is in each; the right shows the selected
segment's guide. Picking who is speaking opens a box under each question for what they
said, saved a moment after each pause, whenever a box is left, and when the pane goes.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, ListView, Static

from sessions import Item, ItemKind, Origin, Segment, Stakeholder, Status, StoreError
from workshop.errors import WorkshopError
from workshop.rules.answers import answers_by_person, guides_by_segment
from workshop.tui.dialogs.common import ConfirmDialog
from workshop.tui.dialogs.question import QuestionDialog
from workshop.tui.stages.base import Saved, SessionChanged
from workshop.tui.stages.drafting_pane import (
    DraftDone,
    DraftingPane,
    DraftProgress,
    model_binding,
    preview_binding,
)
from workshop.tui.widgets.question_guide import GuideView, SegmentView
from workshop.tui.widgets.question_widgets import GuideState, SegmentItem

HINT = "Tab: the questions"


class DiscussionsPane(DraftingPane):
    MODEL_ACTIONS = frozenset({"draft_all", "draft_one"})
    BINDINGS = [
        *model_binding("d", "draft_all", "Draft guides", "discussions.draft_all"),
        *model_binding("g", "draft_one", "Draft this segment", "discussions.draft_one"),
        Binding("escape", "cancel_draft", "Cancel draft", id="discussions.cancel"),
        preview_binding("discussions"),
        Binding("n", "add_question", "Add question", id="discussions.add"),
        Binding("e", "edit_question", "Edit question", id="discussions.edit"),
        Binding("x", "remove_question", "Remove question", id="discussions.remove"),
        Binding("a", "approve", "Approve guide", id="discussions.approve"),
        Binding("r", "reject", "Reject guide", id="discussions.reject"),
        Binding("u", "reopen", "Reopen guide", id="discussions.reopen"),
        Binding("v", "next_version", "Next version", id="discussions.version"),
        Binding("p", "pick_person", "Who is speaking", id="discussions.person"),
        Binding("c", "capture", "Capture answers", id="discussions.capture"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.segment = Segment(self.service.method.playbook.segments[0].id)
        self.states: dict[str, GuideState] = {}  # by segment id, while drafting or failed
        self.notice = ""  # the last drafting error, until the next round
        self._chosen: dict[Segment, str] = {}  # the version shown where there are several
        self._people: dict[Segment, list[Stakeholder]] = {}
        self._guides: dict[Segment, list[Item]] = {}
        self._answers: dict[str, dict[str, str]] = {}  # stakeholder id → question → answer
        self._names: dict[str, str] = {}

    @property
    def segment_names(self) -> dict[Segment, str]:
        return {Segment(s.id): s.name for s in self.service.method.playbook.segments}

    @property
    def topics(self) -> list[tuple[str, str]]:
        return [(t.id, t.title) for t in self.service.method.playbook.topics]

    @property
    def view(self) -> GuideView:
        return self.query_one("#dis-right", GuideView)

    def compose(self) -> ComposeResult:
        yield Static("", id="dis-progress")
        with Horizontal(id="dis-main"):
            with Vertical(id="dis-left"):
                yield Label("Segments", classes="dis-heading")
                yield ListView(
                    *[SegmentItem(s, name) for s, name in self.segment_names.items()],
                    id="dis-segments",
                )
            yield GuideView(self._save_answer, id="dis-right")

    def on_mount(self) -> None:
        self.reload()

    # Drawing --------------------------------------------------------------------------

    def redraw(self) -> None:
        self.flush()
        record = self.load()
        self._people = self.service.method.people_by_segment(record)
        self._guides = guides_by_segment(record)
        self._answers = answers_by_person(record)
        self._names = {p.id: p.name for p in record.stakeholders}
        self._draw_segments()
        self._draw_guide()
        self._show_progress()
        self.call_after_refresh(self._take_focus)

    def _take_focus(self) -> None:
        focused = self.screen.focused
        inside = focused is not None and self in focused.ancestors
        if not inside and self.parent is not None and self.parent.display and self.display:
            self.query_one("#dis-segments", ListView).focus()

    def _draw_segments(self) -> None:
        for row in self.query(SegmentItem):
            row.show(
                self._people.get(row.segment, []),
                self._guides.get(row.segment, []),
                self.states.get(row.segment.value),
            )

    def _draw_guide(self) -> None:
        segment = self.segment
        self.view.show(
            SegmentView(
                name=self.segment_names[segment],
                guides=self._guides.get(segment, []),
                people=self._people.get(segment, []),
                chosen=self._chosen.get(segment),
                state=self.states.get(segment.value),
                names=self._names,
                answers=self._answers,
                topics=dict(self.topics),
            )
        )

    def _show_progress(self) -> None:
        line = self.query_one("#dis-progress", Static)
        running = [s for s in self.states.values() if s.drafting and s.drafting != "done"]
        failed = sum(1 for s in self.states.values() if s.error)
        if running:
            done = sum(1 for s in self.states.values() if s.drafting == "done")
            line.update(
                f"Drafting guides: {done} of {len(self.states)} done, {failed} failed, "
                f"{len(running)} under way  ·  Esc cancels"
            )
            return
        if self.notice:
            line.update(Content.assemble((f"✗ {self.notice}", "$error bold")))
            return
        guides = [g[0] for g in self._guides.values() if g and g[0].status is not Status.REJECTED]
        approved = sum(1 for g in guides if g.status is Status.APPROVED)
        answered = sum(1 for a in self._answers.values() if any(v.strip() for v in a.values()))
        parts: list[str | tuple[str, str]] = [
            f"{len(guides)} of 5 guides, {approved} approved · answers from {answered} "
            f"{'person' if answered == 1 else 'people'}  ·  "
        ]
        if failed:
            parts.append((f"✗ {failed} failed: d to retry  ·  ", "$error bold"))
        parts.append(HINT)
        line.update(Content.assemble(*parts))

    def on_worker_state_changed(self) -> None:
        self.refresh_bindings()  # Esc cancels only while a draft runs

    # Choosing -------------------------------------------------------------------------

    @on(ListView.Highlighted, "#dis-segments")
    def segment_chosen(self, event: ListView.Highlighted) -> None:
        if isinstance(event.item, SegmentItem) and event.item.segment is not self.segment:
            self.segment = event.item.segment
            self._draw_guide()

    def action_pick_person(self) -> None:
        if not self.view.pick_person():
            self.notify("Nobody is placed in this segment yet (stage 3).", severity="warning")

    class CaptureAnswers(Message):
        """Answer capture was asked for, with this speaker first; the screen opens it."""

        def __init__(self, speaker: str | None) -> None:
            super().__init__()
            self.speaker = speaker

    def action_capture(self) -> None:
        """Answer capture, a screen of its own: the speaker's questions and boxes together."""
        self.flush()
        speaker = self.view.person_id
        if speaker is None:
            speaker = next((p.id for p in self._people.get(self.segment, [])), None)
        self.post_message(self.CaptureAnswers(speaker))

    def action_next_version(self) -> None:
        guides = self._guides.get(self.segment, [])
        guide = self.view.guide
        if len(guides) < 2 or guide is None:
            self.notify("This segment has only one guide.")
            return
        index = (guides.index(guide) + 1) % len(guides)
        self._chosen[self.segment] = guides[index].id
        self._draw_guide()

    # Answers ----------------------------------------------------------------------------

    def _save_answer(self, stakeholder_id: str, question: str, answer: str) -> bool:
        saved = self.save(
            "answer",
            lambda: self.service.items.save_answer(
                self.session_id, stakeholder_id, question, answer, self.author
            ),
            announce=False,
        )
        return saved is not None

    def flush(self) -> None:
        """Save the answers typed since the last save."""
        if self.is_mounted:
            self.view.flush()

    # Drafting -------------------------------------------------------------------------

    def _settled(self, segment: Segment) -> bool:
        """A guide someone approved or wrote: `d` leaves the segment alone."""
        return any(
            g.status is Status.APPROVED or g.origin is not Origin.MODEL
            for g in self._guides.get(segment, [])
            if g.status is not Status.REJECTED
        )

    def action_draft_all(self) -> None:
        segments = [s for s in self.segment_names if not self._settled(s)]
        if not segments:
            self.notify(
                "Every guide is approved or written by a person; "
                "g drafts the selected segment again, beside it."
            )
            return
        self._draft(segments)

    def action_draft_one(self) -> None:
        self._draft([self.segment])

    def _draft(self, segments: list[Segment]) -> None:
        if self.drafting:
            self.notify("A draft is already running; Esc cancels it.", severity="warning")
            return
        self.flush()
        self.notice = ""
        for segment in segments:
            self._chosen.pop(segment, None)  # the new draft is the one to look at
        waiting = self.waiting(ItemKind.DISCUSSION_GUIDE)
        self.states = {s.value: GuideState(drafting=waiting) for s in segments}
        self.start_drafting(
            ItemKind.DISCUSSION_GUIDE,
            lambda drafter: drafter.question_jobs(self.session_id, segments=segments),
        )
        self.call_after_refresh(self.refresh_bindings)  # Esc now cancels
        self._draw_segments()
        self.view.show_state(self.states.get(self.segment.value))
        self._show_progress()

    @on(DraftProgress)
    def progress(self, event: DraftProgress) -> None:
        event.stop()
        p = event.progress
        state = self.states.setdefault(p.key, GuideState())
        if p.state == "failed":
            state.drafting, state.error = "", p.message or "The draft failed."
        elif p.state == "cancelled":
            state.drafting = ""
        elif p.state == "done":
            state.drafting, state.partial = "done", None
        else:
            state.drafting, state.error = p.state, ""
            state.partial = p.partial or state.partial
        if p.state in ("done", "failed"):
            self.reload()  # the stored guide (or the failure) takes its place
            return
        self._draw_segments()
        if p.key == self.segment.value:
            self.view.show_state(state)
        self._show_progress()

    @on(DraftDone)
    def done(self, event: DraftDone) -> None:
        event.stop()
        failed = {k: GuideState(error=s.error) for k, s in self.states.items() if s.error}
        if event.error:
            self.notice = event.error
            self.notify(event.error, title="Drafting", severity="error", timeout=10)
            failed = {}
        elif event.cancelled:
            self.notify("Drafting cancelled; finished guides are kept.")
        elif event.summary is not None:
            s = event.summary
            self.notify(
                f"Drafted {len(s.drafted)} guide{'s' if len(s.drafted) != 1 else ''}"
                + (f", {len(s.failed)} failed (press d to retry)." if s.failed else "."),
                severity="warning" if s.failed else "information",
            )
        self.states = failed
        self.post_message(SessionChanged())
        self.refresh_bindings()
        self.reload()

    # Editing the guide ----------------------------------------------------------------

    def _write(self, what: str, action) -> str | None:
        """Run one change for a dialog: its error message, or None once committed."""
        try:
            action()
        except (StoreError, WorkshopError) as error:
            return str(error)
        self.post_message(Saved(what))
        self.post_message(SessionChanged())
        return None

    def action_edit_question(self) -> None:
        line, guide = self.view.focused_line(), self.view.guide
        if line is None or guide is None:
            self.notify("Select a question first: Tab into the guide, then arrows.")
            return
        index = line.index

        def save(question: dict[str, Any]) -> str | None:
            questions = list(guide.body.get("questions", []))
            questions[index] = question
            body = guide.body | {"questions": questions}
            return self._write(
                "question",
                lambda: self.service.items.edit(guide.id, body, self.author, guide.version),
            )

        title = f"{self.segment_names[self.segment]}: question {index + 1}"
        self.app.push_screen(
            QuestionDialog(title, line.question, self.topics, save), self._dialog_closed
        )

    def action_add_question(self) -> None:
        guide, segment = self.view.guide, self.segment

        def save(question: dict[str, Any]) -> str | None:
            if guide is None or guide.status is Status.REJECTED:
                body = {"segment": segment.value, "questions": [question]}
                return self._write(
                    "guide",
                    lambda: self.service.items.write(
                        self.session_id, ItemKind.DISCUSSION_GUIDE, body, self.author
                    ),
                )
            body = guide.body | {"questions": [*guide.body.get("questions", []), question]}
            return self._write(
                "question",
                lambda: self.service.items.edit(guide.id, body, self.author, guide.version),
            )

        title = f"{self.segment_names[segment]}: a new question"
        self.app.push_screen(QuestionDialog(title, {}, self.topics, save), self._dialog_closed)

    def _dialog_closed(self, result: dict | None) -> None:
        if result is not None:
            self.reload()

    def action_remove_question(self) -> None:
        line, guide = self.view.focused_line(), self.view.guide
        if line is None or guide is None:
            self.notify("Select a question first: Tab into the guide, then arrows.")
            return
        index = line.index

        def answered(remove: bool | None) -> None:
            if not remove:
                return
            questions = [q for n, q in enumerate(guide.body.get("questions", [])) if n != index]
            body = guide.body | {"questions": questions}
            self.save(
                "question",
                lambda: self.service.items.edit(guide.id, body, self.author, guide.version),
            )
            self.reload()

        text = str(line.question.get("text", ""))
        self.app.push_screen(
            ConfirmDialog(f"Remove question {index + 1} from the guide?\n\n{text}", yes="Remove"),
            answered,
        )

    def _guide_or_hint(self) -> Item | None:
        if self.view.guide is None:
            self.notify("This segment has no guide yet: d drafts one, n writes one.")
        return self.view.guide

    def action_approve(self) -> None:
        if guide := self._guide_or_hint():
            self.save(
                "approval", lambda: self.service.items.approve(guide.id, self.author, guide.version)
            )
            self.reload()

    def action_reject(self) -> None:
        if guide := self._guide_or_hint():
            self.save("rejection", lambda: self.service.items.reject(guide.id, self.author))
            self._chosen[self.segment] = guide.id  # stays in view, to reopen with u
            self.reload()

    def action_reopen(self) -> None:
        if guide := self._guide_or_hint():
            self.save("reopening", lambda: self.service.items.reopen(guide.id, self.author))
            self.reload()
