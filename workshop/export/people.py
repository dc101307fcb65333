"""The people's sections of the Markdown export: the stakeholder map (a Mermaid quadrant
chart and a table per segment), the engagement plan, and the discussions.

Each function takes an ExportView and returns Markdown blocks (to be joined by blank
lines). Every piece of text from people or models goes through markdown_text.
"""

from __future__ import annotations

import math

from sessions import (
    Influence,
    Item,
    ItemKind,
    Stakeholder,
    Stance,
    Status,
    has_engagement_details,
)
from workshop.export.sections import DRAFT_HEADING, flag_note, left_out_note, mark, text_of
from workshop.export.text import bullets, cell, inline, labelled, list_item, mermaid_label, table
from workshop.export.view import ExportView
from workshop.rules.positions import Position, position

PEOPLE_HEADERS = ["Name", "Role", "Team", "Influence", "Stance", "Involvement"]
# Where each recorded stance and influence sits on the map (x: support, y: influence).
SUPPORT_X = {"resistant": 0.15, "neutral": 0.5, "supportive": 0.85}
INFLUENCE_Y = {"low": 0.15, "medium": 0.5, "high": 0.85}
CELL_SPREAD = 0.24  # the most that people sharing one cell are spread, across and down


# The stakeholder map ------------------------------------------------------------------


def stakeholder_map(view: ExportView) -> list[str]:
    parts = ["## Stakeholder map"]
    if not view.people:
        return parts + ["No stakeholders yet."]
    spots = {p.id: _position(view, p) for p in view.people}
    on_map = [p for p in view.people if spots[p.id].on_map]
    off_map = [p for p in view.people if not spots[p.id].on_map]
    if on_map:
        text = (
            "Each person's influence against their support for marketing, as recorded in "
            "the stakeholder register."
        )
        if any(spots[p.id].estimated for p in on_map):
            text += (
                " Where the register records neither, the position marked (est.) is the "
                "model's estimate in their placement draft."
            )
        parts.append(text)
        parts.append(quadrant_chart([(p, spots[p.id]) for p in on_map]))
    else:
        parts.append("*No one has both influence and stance recorded, so there is no map yet.*")
    if off_map and on_map:
        names = ", ".join(p.name for p in off_map)
        parts.append(f"*Not on the map (influence or stance not recorded):* {inline(names)}.")
    for segment in view.segments:
        people = view.people_in(segment.id)
        if people:
            parts += [f"### {inline(segment.name)}", _people_table(view, people)]
    unplaced = view.unplaced()
    if unplaced:
        parts += ["### Not placed in a segment", _people_table(view, unplaced)]
        drafted = {
            i.stakeholder_id
            for i in view.left_out(ItemKind.SEGMENTATION)
            if i.status is Status.DRAFT
        }
        waiting = sum(1 for p in unplaced if p.id in drafted)
        if waiting and not view.drafts:
            who = "person has" if waiting == 1 else "people have"
            parts.append(f"*{waiting} {who} a draft segment that is not yet approved.*")
    return parts


def _people_table(view: ExportView, people: list[Stakeholder]) -> str:
    rows = []
    for p in people:
        item = view.assignment.get(p.id)
        spot = _position(view, p)
        rows.append(
            [
                cell(p.name) + (mark(item) if item else ""),
                cell(p.role),
                cell(p.team),
                _attribute(spot.influence, p.influence),
                _attribute(spot.stance, p.stance),
                cell(p.involvement.value if p.involvement else ""),
            ]
        )
    return table(PEOPLE_HEADERS, rows)


def _position(view: ExportView, person: Stakeholder) -> Position:
    item = view.assignment.get(person.id)
    return position(person, item.body if item else None)


def _attribute(shown: Influence | Stance | None, recorded: Influence | Stance | None) -> str:
    if shown is None:
        return ""
    return cell(shown.value) + ("" if recorded is not None else " (est.)")


def quadrant_chart(people: list[tuple[Stakeholder, Position]]) -> str:
    """A Mermaid quadrant chart; people sharing a cell are spread on a small grid."""
    cells: dict[tuple[str, str], list[Stakeholder]] = {}
    for person, spot in people:
        assert spot.influence and spot.stance
        cells.setdefault((spot.stance.value, spot.influence.value), []).append(person)
    lines = [
        "```mermaid",
        "quadrantChart",
        "    title Influence and support",
        "    x-axis Low support --> High support",
        "    y-axis Low influence --> High influence",
        "    quadrant-1 Partners",
        "    quadrant-2 Win over",
        "    quadrant-3 Keep informed",
        "    quadrant-4 Mobilise",
    ]
    points = {}
    for (stance, influence), group in cells.items():
        for person, (dx, dy) in zip(group, _spread(len(group)), strict=True):
            points[person.id] = (SUPPORT_X[stance] + dx, INFLUENCE_Y[influence] + dy)
    for n, (person, spot) in enumerate(people, 1):
        x, y = points[person.id]
        label = mermaid_label(person.name, fallback=f"Stakeholder {n}")
        if spot.estimated:
            label += " (est.)"
        lines.append(f'    "{label}": [{_coordinate(x)}, {_coordinate(y)}]')
    lines.append("```")
    return "\n".join(lines)


def _spread(count: int) -> list[tuple[float, float]]:
    """Offsets for count points around a cell's centre: a grid, row by row, top down."""
    columns = math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    step = CELL_SPREAD / max(columns, rows, 2)
    offsets = []
    for n in range(count):
        row, column = divmod(n, columns)
        offsets.append(((column - (columns - 1) / 2) * step, ((rows - 1) / 2 - row) * step))
    return offsets


def _coordinate(value: float) -> str:
    # Mermaid reads 0, 1 or 0.<digits> only; keep clear of the edges.
    return f"{min(0.98, max(0.02, value)):.3f}"


# The engagement plan ------------------------------------------------------------------


def engagement_plan(view: ExportView) -> list[str]:
    parts = ["## Engagement plan"]
    placed = False
    for segment in view.segments:
        people = view.people_in(segment.id)
        if not people:
            continue
        placed = True
        parts.append(f"### {inline(segment.name)}")
        if segment.definition.strip():
            parts.append(f"*{inline(segment.definition)}*")
        for person in people:
            parts += _engagement(view, view.assignment[person.id], person)
    if not placed:
        parts.append("No stakeholder is placed in a segment yet.")
    return parts


def person_title(person: Stakeholder) -> str:
    about = ", ".join(v for v in (person.role, person.team) if v.strip())
    return inline(person.name) + (f" ({inline(about)})" if about else "")


def _engagement(view: ExportView, item: Item, person: Stakeholder) -> list[str]:
    body = item.body
    parts = [f"#### {person_title(person)}{mark(item, DRAFT_HEADING)}", *flag_note(view, item)]
    parts.append(labelled("Rationale", text_of(body.get("rationale"))))
    for label, key in (
        ("What is in it for them", "motivations"),
        ("Likely objections", "objections"),
    ):
        values = [str(v) for v in body.get(key) or []]
        if any(v.strip() for v in values):
            parts += [f"**{label}:**", bullets(values)]
    parts.append(labelled("How to engage", text_of(body.get("approach"))))
    messages = [str(v) for v in body.get("messages") or []]
    if any(v.strip() for v in messages):
        parts += ["**Key messages:**", bullets(messages)]
    if not has_engagement_details(body):
        parts.append("*Placed only: how to engage them is not drafted yet.*")
    if body.get("confidence"):
        parts.append(f"**Confidence in this placement:** {inline(text_of(body['confidence']))}")
    return [p for p in parts if p]


# Discussions ------------------------------------------------------------------------------


def discussions(view: ExportView) -> list[str]:
    parts = ["## Discussion guide and captured answers"]
    guides, answers = view.guides(), view.answers()
    groups = [(s.id, inline(s.name)) for s in view.segments] + [(None, "Not placed in a segment")]
    for segment_id, title in groups:
        section = []
        for guide in guides:
            if segment_id is not None and str(guide.body.get("segment")) == segment_id:
                section += _guide(view, guide)
        for item in answers:
            if view.answer_segment(item) == segment_id:
                section += _answers(view, item)
        if section:
            parts += [f"### {title}", *section]
    if len(parts) == 1:
        parts.append("No discussion guide or captured answers yet.")
    parts += left_out_note(view, ItemKind.DISCUSSION_GUIDE, "discussion guide")
    return parts


def _guide(view: ExportView, item: Item) -> list[str]:
    parts = []
    if item.stakeholder_id:
        who = inline(view.names.get(item.stakeholder_id, "one stakeholder"))
        parts.append(f"#### Questions for {who}{mark(item, DRAFT_HEADING)}")
    else:
        parts.append(f"**Questions:**{mark(item, DRAFT_HEADING)}")
    questions = []
    for n, question in enumerate(item.body.get("questions") or [], 1):
        topic = text_of(question.get("topic"))
        topic = view.data.topics.get(topic, topic.replace("_", " "))
        line = list_item(text_of(question.get("text")), f"{n}. ")
        questions.append(line + (f" *({inline(topic)})*" if topic.strip() else ""))
    parts.append("\n".join(questions) if questions else "*No questions.*")
    return parts


def _answers(view: ExportView, item: Item) -> list[str]:
    entries = [e for e in item.body.get("entries") or [] if text_of(e.get("answer")).strip()]
    if not entries:
        return []
    who = inline(view.names.get(item.stakeholder_id or "", "a stakeholder"))
    lines = []
    for entry in entries:
        question = list_item(text_of(entry.get("question")), "- **Q:** ", 2)
        answer = list_item(text_of(entry.get("answer")), "  **A:** ", 2)
        lines.append(question + "\\\n" + answer)
    return [f"#### What {who} said", "\n".join(lines)]
