"""A card on the segment board: one stakeholder's assignment, or their draft in progress."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from sessions import Item, Stakeholder, Status, has_engagement_details
from workshop.tui.cells.status_words import status_words


@dataclass
class CardState:
    """What a card shows besides the saved item: drafting progress and rule advice."""

    drafting: str = ""  # queued, sending, streaming…
    partial: dict | None = None
    error: str = ""
    rule_segment: str = ""  # what the attribute rules suggest, when it differs
    rule_reason: str = ""
    flag: str = ""  # why the room must check this draft (an instruction it may follow)
    found: bool = False  # complete in an answer still streaming: shown in its column
    placed: bool = False  # the quick placement is stored; the details are to come
    rejected: Item | None = None  # their latest assignment, rejected: nothing replaced it
    can_draft: bool = False  # a model is set up, so g can redraft


class AssignmentCard(Static, can_focus=True):
    """Focusable; the pane's bindings act on the focused card."""

    def __init__(
        self,
        person: Stakeholder,
        item: Item | None,
        state: CardState,
        segment_names: dict[str, str],
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.person = person
        self.item = item
        self.state = state
        self.segment_names = segment_names
        self._drawn: Text | None = None

    def on_mount(self) -> None:
        self.refresh_card()

    def refresh_card(self) -> None:
        self.set_class(self.item is not None and self.item.status is Status.APPROVED, "approved")
        self.set_class(bool(self.state.error), "failed")
        self.set_class(bool(self.item and self.item.stale), "stale")
        self.set_class(self.item is None and self.state.rejected is not None, "rejected")
        text = self.render_card()
        if text != self._drawn:  # a board redraw touches every card; most are unchanged
            self._drawn = text
            self.update(text)

    def render_card(self) -> Text:
        text = Text()
        text.append(self.person.name, style="bold")
        if self.person.role:
            text.append(f"\n{self.person.role}", style="dim")
        item, state = self.item, self.state
        if item is not None:
            confidence = item.body.get("confidence", "")
            text.append(f"\n{status_words(item)}")
            if confidence:
                text.append(f" · {confidence} confidence")
            if item.stale:
                text.append("\n⚠ stale: inputs changed", style="bold")
            if state.rule_segment:
                name = self.segment_names.get(state.rule_segment, state.rule_segment)
                text.append(f"\n≠ rules suggest {name}", style="italic")
            if state.flag:
                text.append(f"\n⚠ {_clip(state.flag, 120)}", style="bold")
            rationale = str(item.body.get("rationale", ""))
            if rationale:
                text.append(f"\n{_clip(rationale, 160)}")
            if not has_engagement_details(item.body) and not state.drafting:
                text.append("\nplacement only: no engagement details yet", style="dim")
        elif state.rejected is not None and not state.drafting and not state.error:
            segment = str(state.rejected.body.get("segment", ""))
            text.append(f"\n✗ {self.segment_names.get(segment, segment)}: rejected", style="bold")
            redraft = "  g: redraft" if state.can_draft else ""
            text.append(f"\nm: place by hand{redraft}  u: reopen", style="dim")
        elif not state.drafting and not state.error:
            text.append("\nno assignment yet", style="dim")
            if state.rule_segment:
                name = self.segment_names.get(state.rule_segment, state.rule_segment)
                text.append(f"\nrules suggest {name}", style="italic")
        if state.drafting:
            text.append(f"\n… {state.drafting}", style="bold")
            partial = state.partial or {}
            if partial.get("segment"):
                name = self.segment_names.get(str(partial["segment"]), str(partial["segment"]))
                text.append(f" → {name}")
            if partial.get("rationale"):
                text.append(f"\n{_clip(str(partial['rationale']), 160)}", style="dim")
        if state.error:
            text.append(f"\n✗ {state.error}\n  g: try again", style="bold")
        return text


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
