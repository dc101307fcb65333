"""The pieces of the discussions stage: a segment's row, a question, the answer beside it.

Everything people or the model wrote is shown as text, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import ListItem, Static, TextArea

from sessions import Item, Segment, Stakeholder, Status
from workshop.tui.cells.status_words import status_words
from workshop.tui.widgets.typing_guard import TypingGuard


@dataclass
class GuideState:
    """A segment's drafting, while it runs or after it failed."""

    drafting: str = ""  # waiting, queued, sending, streaming…
    partial: dict[str, Any] | None = None
    error: str = ""


def item_line(item: Item, who: bool = True) -> Content:
    """'✓ approved · by Dana · ⚠ stale' or '○ model's draft' for a guide or an outcome."""
    status_style = {
        Status.APPROVED: "$success bold",
        Status.REJECTED: "$error",
        Status.DRAFT: "",
    }[item.status]
    parts: list[str | tuple[str, str]] = [(status_words(item), status_style)]
    if who and item.status is Status.APPROVED and item.approved_by:
        parts.append(f" · by {item.approved_by}")
    if item.stale:
        parts.append((" · ⚠ stale: its inputs changed since", "$warning bold"))
    return Content.assemble(*parts)


def partial_questions(partial: dict[str, Any] | None) -> list[str]:
    """The question texts that have arrived so far in a streamed guide."""
    questions = (partial or {}).get("questions") or []
    return [str(q.get("text", "")) for q in questions if isinstance(q, dict) and q.get("text")]


class SegmentItem(ListItem):
    """One of the five segments, with who is in it and where its guide stands."""

    def __init__(self, segment: Segment, name: str) -> None:
        super().__init__(id=f"dis-seg-{segment.value}", classes="dis-seg")
        self.segment = segment
        self.segment_name = name

    def compose(self) -> ComposeResult:
        yield Static(self.segment_name, classes="dis-seg-text", markup=False)

    def show(self, people: list[Stakeholder], guides: list[Item], state: GuideState | None) -> None:
        parts: list[str | tuple[str, str]] = [(f"{self.segment_name} ({len(people)})", "bold")]
        names = ", ".join(p.name for p in people)
        parts.append(("\n" + (names or "nobody placed yet"), "" if names else "dim"))
        if guides:
            guide = guides[0]
            count = len(guide.body.get("questions", []))
            parts.append("\n")
            parts.append(item_line(guide, who=False))
            parts.append(f" · {count} question{'s' if count != 1 else ''}")
            if len(guides) > 1:
                parts.append(f" · {len(guides)} versions")
        elif not state or not (state.drafting or state.error):
            parts.append(("\nno guide yet", "dim italic"))
        if state and state.drafting:
            arrived = len(partial_questions(state.partial))
            more = f", {arrived} question{'s' if arrived != 1 else ''} so far" if arrived else ""
            parts.append((f"\n… {state.drafting}{more}", "bold"))
        if state and state.error:
            parts.append((f"\n✗ {state.error}\n  press d to retry", "$error bold"))
        self.set_class(bool(state and state.error), "failed")
        self.set_class(bool(guides) and guides[0].status is Status.APPROVED, "approved")
        self.query_one(".dis-seg-text", Static).update(Content.assemble(*parts))


class QuestionLine(TypingGuard, Static, can_focus=True):
    """A question of the guide; the pane's keys (e, x) act on the focused one. An answer
    typed on it goes into the speaker's box under it (see TypingGuard)."""

    def typing_target(self) -> TextArea | None:
        block = self.parent
        return block.answer if isinstance(block, QuestionBlock) else None

    def typing_refused(self) -> str:
        return (
            "To type what someone said: p picks who is speaking (a box opens under each "
            "question), or c opens answer capture. Letters here are the guide's keys."
        )

    BINDINGS = [
        Binding("down", "step(1)", "Next question", show=False, id="discussions.next_question"),
        Binding("up", "step(-1)", "Previous question", show=False, id="discussions.prev_question"),
    ]

    def __init__(self, index: int, question: dict[str, Any], topic_title: str) -> None:
        super().__init__(classes="dis-question")
        self.index = index
        self.question = question
        self.topic_title = topic_title

    def on_mount(self) -> None:
        parts: list[str | tuple[str, str]] = [(f"{self.index + 1}. ", "bold")]
        if self.topic_title:
            parts.append((self.topic_title, "$accent italic"))
            parts.append("\n")
        parts.append(str(self.question.get("text", "")))
        self.update(Content.assemble(*parts))

    def action_step(self, step: int) -> None:
        lines = list(self.query_ancestor("#dis-questions").query(QuestionLine))
        target = self.index + step
        if 0 <= target < len(lines):
            lines[target].focus()


class AnswerArea(TextArea):
    """What one person said to one question; the pane saves it as it is typed."""

    def __init__(self, stakeholder_id: str, question: str, text: str) -> None:
        super().__init__(
            text,
            soft_wrap=True,
            tab_behavior="focus",
            classes="dis-answer",
            placeholder="What they said… (saved as you type)",
        )
        self.stakeholder_id = stakeholder_id
        self.question = question
        self.saved_text = text  # what the database holds, to save only real changes


class QuestionBlock(Vertical):
    """A question and, when someone is speaking, the box for their answer."""

    def __init__(self, line: QuestionLine, answer: AnswerArea | None) -> None:
        super().__init__(classes="dis-block")
        self.line = line
        self.answer = answer

    def compose(self) -> ComposeResult:
        yield self.line
        if self.answer is not None:
            yield self.answer
