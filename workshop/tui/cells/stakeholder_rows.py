"""Rows of the stakeholder register, as Rich Text (people's text is never markup)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from prompt_library import Suggestion
from sessions import Influence, Involvement, Stakeholder, Stance

# (key, header, width); the notes column takes what is left of the table's width.
COLUMNS: list[tuple[str, str, int]] = [
    ("pos", "#", 3),
    ("name", "Name", 18),
    ("role", "Role", 13),
    ("team", "Team", 10),
    ("influence", "Influence", 9),
    ("stance", "Stance", 10),
    ("involvement", "Involved", 8),
    ("suggests", "Suggests", 14),
    ("notes", "Notes", 10),
]
NOTES_MIN = 10
# What each single key cycles through; None is "unset" and always comes last.
CYCLES: dict[str, list[Any]] = {
    "influence": [*Influence, None],
    "stance": [*Stance, None],
    "involvement": [*Involvement, None],
}
ATTRIBUTE_STYLE = {
    Influence.HIGH: "bold",
    Influence.LOW: "dim",
    Stance.SUPPORTIVE: "green",
    Stance.RESISTANT: "bold red",
    Stance.NEUTRAL: "",
}


def clip(text: str, width: int) -> str:
    """The first non-empty line of text, cut to width with an ellipsis."""
    line = next((part.strip() for part in (text or "").splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: max(width - 1, 0)].rstrip() + "…"


def next_value(attribute: str, current: Any) -> Any:
    """The value after current in the attribute's cycle (…, unset, first, …)."""
    order = CYCLES[attribute]
    return order[(order.index(current) + 1) % len(order)]


def attribute_cell(value: Any) -> Text:
    if value is None:
        return Text("·", style="dim")
    return Text(value.value, style=ATTRIBUTE_STYLE.get(value, ""))


def segment_names(segments: list[Any]) -> dict[str, str]:
    """Playbook segment id → its name, e.g. decision_maker → Decision maker."""
    return {segment.id: segment.name for segment in segments}


def suggestion_cell(suggestion: Suggestion | None, names: dict[str, str]) -> Text:
    if suggestion is None:
        return Text("")
    return Text(names.get(suggestion.segment_id, suggestion.segment_id), style="italic cyan")


def row_cells(
    person: Stakeholder,
    number: int,
    suggestion: Suggestion | None,
    names: dict[str, str],
    widths: dict[str, int],
) -> list[Text]:
    return [
        Text(str(number), style="dim", justify="right"),
        _name_cell(person, widths["name"]),
        Text(clip(person.role, widths["role"])),
        Text(clip(person.team, widths["team"])),
        attribute_cell(person.influence),
        attribute_cell(person.stance),
        attribute_cell(person.involvement),
        suggestion_cell(suggestion, names),
        Text(clip(person.notes, widths["notes"]), style="dim" if person.notes else ""),
    ]


def _name_cell(person: Stakeholder, width: int) -> Text:
    """Someone who left is struck through; a newcomer in a seat is marked to resell."""
    if person.has_left:
        return Text(clip(person.name, width), style="dim strike")
    if person.replaces:
        return Text("↻ " + clip(person.name, width - 2), style="bold yellow")
    return Text(clip(person.name, width), style="bold")


def detail(person: Stakeholder, suggestion: Suggestion | None, names: dict[str, str]) -> Text:
    """The selected person in full: who they are, what the playbook says, their notes."""
    text = Text(person.name, style="bold")
    for value in (person.role, person.team):
        if value:
            text.append("  ·  ")
            text.append(value)
    if person.has_left:
        text.append(f"\nLeft their seat on {person.left_on}", style="dim")
    elif person.replaces:
        text.append(
            f"\nTook over from {person.replaces}: to resell (place them and win them over again)",
            style="yellow",
        )
    if suggestion is not None:
        text.append("\nPlaybook suggests ", style="dim")
        text.append(names.get(suggestion.segment_id, suggestion.segment_id), style="italic cyan")
        text.append(": ", style="dim")
        text.append(suggestion.reason, style="dim")
    elif not (person.influence or person.stance or person.involvement):
        text.append("\ni, s, v set influence, stance and involvement", style="dim italic")
    if person.notes:
        text.append("\n")
        text.append(person.notes)
    return text


def removal_question(name: str, kinds: dict[str, int]) -> str:
    """What removing a person deletes with them, said plainly."""
    total = sum(kinds.values())
    question = f"Remove {name} from the register?\n"
    if not total:
        return question + "No drafts or items are attached to them. Ctrl+Z brings them back."
    parts = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in sorted(kinds.items()))
    noun = "draft/item" if total == 1 else "drafts/items"
    return question + (
        f"This also removes their {total} {noun} ({parts}); Ctrl+Z brings them all back."
    )
