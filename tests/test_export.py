"""The Markdown export: its structure checked with a CommonMark/GFM parser (markdown-it-py),
for ordinary and for hostile input; a golden file for a fixed sample session."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from sessions import (
    Item,
    ItemKind,
    LlmCall,
    Origin,
    Revision,
    Session,
    SessionRecord,
    SessionStore,
    Stakeholder,
    Status,
    body_hash,
)
from sessions.bodies import validate_body
from workshop.compare import Change
from workshop.export_markdown import ExportData, ModelCall, SegmentInfo, export_markdown
from workshop.markdown_text import mermaid_label
from workshop.service import WorkshopService

GOLDEN = Path(__file__).parent / "golden" / "sample_export.md"
HOSTILE = (
    'x | y \\| z\\\\| `code` ``` # not a heading "quoted": [link](u) --> %% comment\n'
    "- not a list\n# not a heading either\n<script>alert(1)</script> **b** ~~s~~ $1 & #35; ]\\"
)
ORDER = ("influencer", "champion", "detractor")  # the playbook's order
H2 = [
    "Executive summary",
    "Outcomes",
    "Stakeholder map",
    "Engagement plan",
    "Discussion guide and captured answers",
    "90-day plan",
    "Impact cadence",
    "Appendix: provenance",
]
POINT = re.compile(r'^    "[\w .,\'/+()…-]+": \[0\.\d{3}, 0\.\d{3}\]$')
CHART_HEAD = [
    "quadrantChart",
    "    title Influence and support",
    "    x-axis Low support --> High support",
    "    y-axis Low influence --> High influence",
    "    quadrant-1 Partners",
    "    quadrant-2 Win over",
    "    quadrant-3 Keep informed",
    "    quadrant-4 Mobilise",
]


# Reading the document back ------------------------------------------------------------


def parse(text: str):
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)


def text_of(inline) -> str:
    """The text a reader sees in an inline token (escapes and entities resolved)."""
    return "".join(child.content for child in inline.children or [] if child.type == "text")


def headings(tokens, tag: str | None = None) -> list[str]:
    return [
        text_of(tokens[i + 1])
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and (tag is None or t.tag == tag)
    ]


def tables(tokens) -> list[list[list[str]]]:
    """Every table as its rows of cell texts, the header row first."""
    found, rows, row = [], None, None
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append(text_of(tokens[i + 1]))
        elif token.type == "tr_close":
            rows.append(row)
        elif token.type == "table_close":
            found.append(rows)
    return found


def table_after(tokens, heading: str) -> list[list[str]]:
    """The first table after the first heading with this text."""
    start = next(
        i
        for i, t in enumerate(tokens)
        if t.type == "inline" and t.content and text_of(t) == heading
    )
    return tables(tokens[start:])[0]


def fences(tokens) -> list:
    return [t for t in tokens if t.type == "fence"]


def inline_children(tokens):
    for token in tokens:
        yield from token.children or []


def section(text: str, heading: str) -> str:
    """The Markdown from one '## heading' to the next."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


# Sessions in a real store ------------------------------------------------------------


def segmentation_body(segment: str = "champion", text: str = "Keen on shared goals") -> dict:
    return {
        "segment": segment,
        "rationale": text,
        "motivations": ["Better launches"],
        "objections": [],
        "approach": "Co-own the launch metrics",
        "messages": ["Let us share the number"],
        "confidence": "high",
    }


def outcome_body(result: str = "More qualified inbound leads", **changes) -> dict:
    body = {
        "result": result,
        "metric": "MQLs per month",
        "baseline": "120",
        "target": "180",
        "due": "2026-09-30",
        "owner": "Priya",
        "priority": "Grow EU pipeline",
        "stakeholders": ["Ada"],
        "leading_indicators": ["Webinar sign-ups"],
    }
    return body | changes


def make_session(store: SessionStore, text: str = "Keen") -> str:
    session = store.create_session(
        {"title": "Q3 strategy", "organisation": "Acme", "priorities": ["Grow EU pipeline"]},
        [{"name": "Ada", "role": "CFO", "notes": text}, {"name": "Bob", "role": "VP Sales"}],
    )
    people = store.stakeholders(session.id)
    approved = store.create_item(
        session.id,
        ItemKind.SEGMENTATION,
        segmentation_body(text=text),
        Origin.MODEL,
        "model",
        stakeholder_id=people[0].id,
    )
    store.approve_item(approved.id, "Priya")
    store.create_item(
        session.id,
        ItemKind.SEGMENTATION,
        segmentation_body("detractor"),
        Origin.MODEL,
        "model",
        stakeholder_id=people[1].id,
    )
    return session.id


def test_export_structure(store):
    session_id = make_session(store)
    text = export_markdown(store.load_session(session_id))
    tokens = parse(text)
    assert headings(tokens, "h1") == ["Q3 strategy"]
    assert headings(tokens, "h2") == H2
    assert "Ada (CFO)" in headings(tokens, "h4")  # in the engagement plan
    rows = table_after(tokens, "Champion")
    assert rows == [
        ["Name", "Role", "Team", "Influence", "Stance", "Involvement"],
        ["Ada", "CFO", "", "", "", ""],
    ]
    # Bob's assignment is only a draft: he is not placed, and the draft is counted.
    assert table_after(tokens, "Not placed in a segment")[1][:2] == ["Bob", "VP Sales"]
    assert "Detractor" not in headings(tokens)
    assert "*Not included: 1 draft item not yet approved; an export with drafts shows" in text
    assert "*1 person has a draft segment that is not yet approved.*" in text


def test_drafts_included_when_asked_and_marked(store):
    session_id = make_session(store)
    text = export_markdown(store.load_session(session_id), include_drafts=True)
    tokens = parse(text)
    assert "Detractor" in headings(tokens, "h3")
    assert "Bob (VP Sales) (draft, not approved)" in headings(tokens, "h4")
    assert table_after(tokens, "Detractor")[1][0] == "Bob (draft)"
    assert "Not placed in a segment" not in headings(tokens)
    assert "approved items and open drafts" in text
    assert "Not included" not in text


def test_an_approved_assignment_wins_over_a_newer_draft(store):
    session_id = make_session(store)
    ada = store.stakeholders(session_id)[0]
    store.create_item(
        session_id,
        ItemKind.SEGMENTATION,
        segmentation_body("influencer"),
        Origin.MODEL,
        "model",
        stakeholder_id=ada.id,
    )
    for drafts in (False, True):
        tokens = parse(export_markdown(store.load_session(session_id), include_drafts=drafts))
        assert table_after(tokens, "Champion")[1][0] == "Ada"
        assert "Influencer" not in headings(tokens)
    with_drafts = export_markdown(store.load_session(session_id), include_drafts=True)
    assert "*Not included: 1 older or alternative draft of items shown.*" in with_drafts


def test_outcomes_table_marks_unknown_baselines_and_targets(store):
    session = store.create_session({"title": "Q3"})
    known = store.create_item(session.id, "outcome", outcome_body(), "person", "Priya")
    store.approve_item(known.id, "Priya")
    unknown = store.create_item(
        session.id,
        "outcome",
        outcome_body("Shorter sales cycle", baseline=None, target=None, due=None),
        "person",
        "Priya",
    )
    store.approve_item(unknown.id, "Priya")
    store.create_item(session.id, "outcome", outcome_body("Draft one"), "person", "Priya")
    text = export_markdown(store.load_session(session.id))
    rows = table_after(parse(text), "Outcomes")
    assert rows[0] == ["Outcome", "Metric", "Baseline", "Target", "Due", "Owner", "Priority"]
    assert rows[1] == [
        "More qualified inbound leads",
        "MQLs per month",
        "120",
        "180",
        "2026-09-30",
        "Priya",
        "Grow EU pipeline",
    ]
    assert rows[2][2:5] == ["unknown", "unknown", "unknown"]
    assert "| *unknown* | *unknown* |" in text
    assert len(rows) == 3  # the draft is left out
    assert "*1 draft outcome not yet approved is left out.*" in text
    assert (
        "- **Outcomes:** 2 approved outcomes (baseline unknown for 1, target unknown for 1)."
        in text
    )


def test_plan_and_cadence_tables(store):
    session = store.create_session({"title": "Q3"})
    outcome = store.create_item(session.id, "outcome", outcome_body(), "person", "Priya")
    store.approve_item(outcome.id, "Priya")
    entries = [
        {"title": "Late", "starts": "2026-08-01", "outcome_id": outcome.id},
        {"title": "Early", "starts": "2026-07-01", "ends": "2026-07-14", "channel": "Email"},
        {"title": "Whenever", "description": "Line one\nLine two"},
    ]
    for body in entries:
        item = store.create_item(session.id, "plan_entry", body, "person", "Priya")
        store.approve_item(item.id, "Priya")
    cadence = store.create_item(
        session.id,
        "cadence",
        {"segment": "champion", "report": "Launch results", "frequency": "Monthly"},
        "person",
        "Priya",
    )
    store.approve_item(cadence.id, "Priya")
    tokens = parse(export_markdown(store.load_session(session.id)))
    assert table_after(tokens, "90-day plan") == [
        ["When", "Entry", "Channel", "Serves outcome", "Description"],
        ["2026-07-01 to 2026-07-14", "Early", "Email", "none", ""],
        ["from 2026-08-01", "Late", "", "More qualified inbound leads", ""],
        ["not scheduled", "Whenever", "", "none", "Line oneLine two"],  # <br> between
    ]
    assert table_after(tokens, "Impact cadence") == [
        ["Segment", "Impact report", "How often"],
        ["Champion", "Launch results", "Monthly"],
    ]


def test_the_map_places_everyone_with_influence_and_stance_once_and_apart(store):
    people = [{"name": f"P{n}", "influence": "high", "stance": "neutral"} for n in range(7)] + [
        {"name": "Low", "influence": "low", "stance": "resistant"},
        {"name": "Top", "influence": "high", "stance": "supportive"},
        {"name": "Nobody knows"},
        {"name": "Half", "influence": "low"},
    ]
    session = store.create_session({"title": "Map"}, people)
    text = export_markdown(store.load_session(session.id))
    tokens = parse(text)
    (fence,) = fences(tokens)
    assert fence.info == "mermaid"
    lines = fence.content.splitlines()
    assert lines[: len(CHART_HEAD)] == CHART_HEAD
    points = {}
    for line in lines[len(CHART_HEAD) :]:
        assert POINT.match(line), line
        label, x, y = re.match(r'    "(.*)": \[(.*), (.*)\]', line).groups()
        points[label] = (float(x), float(y))
    assert set(points) == {f"P{n}" for n in range(7)} | {"Low", "Top"}
    assert len(set(points.values())) == len(points)  # nobody on top of anyone
    assert all(0 <= v <= 1 for xy in points.values() for v in xy)
    assert points["Low"][0] < 0.5 and points["Low"][1] < 0.5
    assert points["Top"][0] > 0.5 and points["Top"][1] > 0.5
    assert all(0.3 < points[f"P{n}"][0] < 0.7 and points[f"P{n}"][1] > 0.6 for n in range(7))
    assert "*Not on the map (influence or stance not recorded):* Nobody knows, Half." in text


def test_mermaid_label_cannot_break_the_chart():
    nasty = 'A "b": [c] `d` ```\n%% e --> f; #35; <g> & h'
    label = mermaid_label(nasty)
    assert label == "A b c d e - f 35 g and h"
    assert mermaid_label("") == "?" and mermaid_label("```", fallback="P1") == "P1"
    long = mermaid_label("x" * 100)
    assert len(long) == 40 and long.endswith("…")
    assert mermaid_label("Chloé Martin (CFO), R/D-team") == "Chloé Martin (CFO), R/D-team"


def test_what_changed_is_listed_only_when_something_did(store):
    session_id = make_session(store)
    record = store.load_session(session_id)
    changes = [
        Change("segment_moved", "Ada", before="Champion", after="Detractor"),
        Change("target_lowered", "More leads", before="200", after="150", reason="budget cut"),
    ]
    data = ExportData(record=record, parent_title="Q2 strategy", changes=changes)
    text = export_markdown(data)
    tokens = parse(text)
    assert headings(tokens, "h2") == [H2[0], "What changed since Q2 strategy", *H2[1:]]
    assert "- Ada moved from Champion to Detractor." in text
    assert '- Target for "More leads" lowered from 200 to 150 (reason: budget cut).' in text
    empty = export_markdown(ExportData(record=record, parent_title="Q2 strategy"))
    assert "What changed" not in empty
    assert "- **Follows up:** Q2 strategy" in empty


def test_export_is_deterministic(store, db_path):
    session_id = make_session(store)
    with WorkshopService.open(db_path) as service:
        first = service.export_markdown(session_id)
        second = service.export_markdown(session_id, include_drafts=False)
        record = service.load(session_id)
        assert first == second == service.render_markdown(record)
    assert first.endswith("\n") and not first.endswith("\n\n")
    assert export_markdown(record) == export_markdown(store.load_session(session_id))


def test_service_export_tells_who_drafted_edited_and_approved(store, db_path):
    session = store.create_session({"title": "Q3"}, [{"name": "Ada"}])
    ada = store.stakeholders(session.id)[0]
    with WorkshopService.open(db_path) as service:
        template = service.library.get("segmentation")
    call = store.record_llm_call(
        LlmCall(
            session_id=session.id,
            purpose="segmentation",
            model="gpt-4o-mini",
            template_id=template.id,
            template_hash=template.content_hash,
        )
    )
    store.record_llm_call(
        LlmCall(session_id=session.id, purpose="outcomes", model="llama3.1", status="error")
    )
    item = store.create_item(
        session.id, "segmentation", segmentation_body(), "model", "model", ada.id, call
    )
    store.edit_item(item.id, segmentation_body(text="More sceptical"), "Lena")
    approved = store.approve_item(item.id, "Tom")
    outcome = store.create_item(session.id, "outcome", outcome_body(), "person", "Priya")
    store.approve_item(outcome.id, "Priya")
    with WorkshopService.open(db_path) as service:
        text = service.export_markdown(session.id)
    assert "- **Models used:** gpt-4o-mini (1 call), llama3.1 (1 call, 1 failed)" in text
    rows = table_after(parse(text), "Appendix: provenance")
    assert rows[0] == ["Item", "Drafted by", "Edited by a person", "Approved", "Approval hash"]
    outcome_row, segment_row = rows[1:]
    assert outcome_row[:3] == ["Outcome: More qualified inbound leads", "written by Priya", "no"]
    assert segment_row[0] == "Segment: Ada as Champion"
    assert segment_row[1] == f"model gpt-4o-mini, template segmentation v{template.version}"
    assert segment_row[2] == "Lena"
    assert segment_row[3].startswith("Tom, 20") and segment_row[3].endswith(" UTC")
    assert f"`{approved.approved_hash}`" in text


def test_service_export_of_a_follow_up_names_its_parent(store, db_path):
    session_id = make_session(store)
    with WorkshopService.open(db_path) as service:
        follow_up = service.follow_up(session_id, "Q4 strategy")
        text = service.export_markdown(follow_up.id)
    assert text.startswith("# Q4 strategy\n")
    assert "- **Follows up:** Q3 strategy\n" in text


# Hostile input ---------------------------------------------------------------------------


def hostile_session(store: SessionStore) -> tuple[str, list[str]]:
    """Every field people fill holds HOSTILE; every item is approved."""
    session = store.create_session(
        {
            "title": HOSTILE,
            "organisation": HOSTILE,
            "facilitator": HOSTILE,
            "participants": [HOSTILE, "x" + HOSTILE],
            "priorities": [HOSTILE, HOSTILE],
            "marketing_today": HOSTILE + "\n\n" + HOSTILE,
            "challenges": HOSTILE,
        },
        [
            {
                "name": f"{n} {HOSTILE}",
                "role": HOSTILE,
                "team": HOSTILE,
                "notes": HOSTILE,
                "influence": "high",
                "stance": stance,
                "involvement": "approves",
            }
            for n, stance in enumerate(["supportive", "supportive", "resistant"])
        ]
        + [{"name": "no map " + HOSTILE}],
    )
    people = store.stakeholders(session.id)
    listed = [HOSTILE, "", HOSTILE]
    bodies = []
    for person, segment in zip(
        people, ["champion", "detractor", "influencer", "champion"], strict=True
    ):
        body = {
            "segment": segment,
            "rationale": HOSTILE,
            "motivations": listed,
            "objections": listed,
            "approach": HOSTILE,
            "messages": listed,
            "confidence": "low",
        }
        bodies.append(("segmentation", body, person.id))
        answers = {"entries": [{"question": HOSTILE, "answer": HOSTILE}] * 2}
        bodies.append(("answers", answers, person.id))
    guide = {"segment": "champion", "questions": [{"topic": HOSTILE, "text": HOSTILE}] * 3}
    bodies += [("discussion_guide", guide, None), ("discussion_guide", guide, people[0].id)]
    outcome = {
        "result": HOSTILE,
        "metric": HOSTILE,
        "baseline": HOSTILE,
        "target": None,
        "due": HOSTILE,
        "owner": HOSTILE,
        "priority": HOSTILE,
        "stakeholders": [HOSTILE.replace("\n", " ")],
        "leading_indicators": listed,
    }
    bodies.append(("outcome", outcome, None))
    for kind, body, person_id in bodies:
        item = store.create_item(session.id, kind, body, "person", HOSTILE, person_id)
        store.approve_item(item.id, HOSTILE)
    outcome_id = store.load_session(session.id).items_of(ItemKind.OUTCOME)[0].id
    plan = {"title": HOSTILE, "channel": HOSTILE, "description": HOSTILE, "outcome_id": outcome_id}
    cadence = {"segment": "champion", "report": HOSTILE, "frequency": HOSTILE}
    for kind, body in (("plan_entry", plan), ("cadence", cadence)):
        item = store.create_item(session.id, kind, body, "person", HOSTILE)
        store.approve_item(item.id, HOSTILE)
    return session.id, [p.name for p in people]


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("hostile_playbook", [False, True])
def test_hostile_text_cannot_break_the_document(store, db_path, hostile_playbook):
    session_id, names = hostile_session(store)
    record = store.load_session(session_id)
    segments = (
        [SegmentInfo(s, f"{s} {HOSTILE}", HOSTILE) for s in ORDER] if hostile_playbook else None
    )
    with WorkshopService.open(db_path) as service:
        data = service.export_data(
            record, changes=[Change("segment_moved", HOSTILE, HOSTILE, HOSTILE)]
        )
    data = ExportData(
        record=data.record,
        revisions=data.revisions,
        calls={"llm_x": ModelCall(model=HOSTILE, template_id=HOSTILE, template_hash=HOSTILE)},
        segments=segments or data.segments,
        topics={HOSTILE: HOSTILE},
        parent_title=HOSTILE,
        changes=data.changes,
    )
    text = export_markdown(data)
    tokens = parse(text)

    # Exactly the document's own h1 and h2 headings, each holding its whole text.
    assert headings(tokens, "h1") == [one_line(HOSTILE)]
    expected = [H2[0], f"What changed since {one_line(HOSTILE)}", *H2[1:]]
    assert headings(tokens, "h2") == expected
    # h3: the outcome, the segment tables, the engagement and discussion segments.
    segment_name = {
        s: (f"{s} {one_line(HOSTILE)}" if hostile_playbook else s.capitalize())
        for s in ("champion", "detractor", "influencer")
    }
    h3 = headings(tokens, "h3")
    assert h3 == [
        "Business priorities this quarter",
        "Marketing today",
        "Known challenges",
        one_line(HOSTILE),
        *[segment_name[s] for s in ORDER] * 3,  # map tables, engagement, discussions
    ]
    h4 = headings(tokens, "h4")
    assert len(h4) == 4 + 1 + 4  # engagement per person, questions for one, answers per person

    # Every table keeps its shape: each row has the header's cell count.
    found = tables(tokens)
    assert len(found) == 7  # outcomes, 3 segments, plan, cadence, provenance
    for rows in found:
        assert all(len(row) == len(rows[0]) for row in rows), rows
    people_rows = [row for rows in found[1:4] for row in rows[1:]]
    assert sorted(row[0] for row in people_rows) == sorted(one_line(n) for n in names)

    # One Mermaid block, opened and closed once, every point line strict.
    (fence,) = fences(tokens)
    assert fence.info == "mermaid"
    lines = fence.content.splitlines()
    assert lines[: len(CHART_HEAD)] == CHART_HEAD
    assert len(lines) == len(CHART_HEAD) + 3
    assert all(POINT.match(line) for line in lines[len(CHART_HEAD) :]), lines
    assert text.count("```") == 2

    # No raw HTML but our own <br>, no links, images, emphasis or code made from user text.
    assert not [t for t in tokens if t.type == "html_block"]
    children = list(inline_children(tokens))
    assert {c.content for c in children if c.type == "html_inline"} <= {"<br>"}
    assert not [c for c in children if c.type in ("link_open", "image", "s_open")]
    codes = [c.content for c in children if c.type == "code_inline"]
    assert codes[0] == session_id  # then the approval hashes
    assert all(re.fullmatch(r"[0-9a-f]{64}", code) for code in codes[1:])
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    assert "<script" not in rendered and "<a " not in rendered and "<del>" not in rendered
    strong = re.findall(r"<strong>(.*?)</strong>", rendered)
    assert "b" not in strong and all(s.endswith(":") for s in strong), set(strong)
    # Lists only where the document makes them: no list from "- not a list".
    list_texts = [
        text_of(tokens[i + 2])
        for i, t in enumerate(tokens)
        if t.type == "list_item_open" and tokens[i + 2].type == "inline"
    ]
    assert not any(t.startswith("not a list") for t in list_texts)


def test_hostile_text_in_the_store_keeps_deterministic_bytes(store, db_path):
    session_id, _ = hostile_session(store)
    with WorkshopService.open(db_path) as service:
        assert service.export_markdown(session_id) == service.export_markdown(session_id)


# The golden sample ----------------------------------------------------------------------

SEGMENTS = [
    SegmentInfo("influencer", "Influencer", "Carries political weight or controls budget."),
    SegmentInfo("champion", "Champion", "Already believes marketing can be a strategic partner."),
    SegmentInfo("detractor", "Detractor", "Resists the change, openly or by stepping back."),
    SegmentInfo("decision_maker", "Decision maker", "Approves major initiatives and budgets."),
    SegmentInfo("participant", "Participant", "Carries out the work and lives with its effects."),
]
TOPICS = {
    "success": "What success looks like",
    "challenges": "Biggest challenges",
    "past_marketing": "What has and has not worked",
}
SESSION_ID = "ses_0000000000b2"


def stamp(day: int, hour: int, minute: int = 0) -> str:
    return f"2026-07-{day:02d}T{hour:02d}:{minute:02d}:00.000000Z"


class Sample:
    """A finished workshop built straight from the records, with fixed ids and times."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.revisions: dict[str, list[Revision]] = {}
        self.clock = 0

    def tick(self) -> str:
        self.clock += 1
        return stamp(2, 9 + self.clock // 60, self.clock % 60)

    def item(
        self,
        kind: str,
        body: dict,
        *,
        by: str,
        call: str | None = None,
        person: str | None = None,
        edits: tuple[tuple[str, dict], ...] = (),
        approved_by: str | None = None,
        status: Status | None = None,
    ) -> Item:
        item_id = f"itm_{len(self.items) + 1:012d}"
        kind = ItemKind(kind)
        body = validate_body(kind, body)
        created = self.tick()
        origin = Origin.MODEL if call else Origin.PERSON
        revisions = [self._revision(item_id, 1, body, Status.DRAFT, origin, by, call, created)]
        for editor, change in edits:
            body = validate_body(kind, body | change)
            origin = Origin.EDITED if origin is Origin.MODEL else origin
            number = len(revisions) + 1
            revisions.append(
                self._revision(
                    item_id, number, body, Status.DRAFT, origin, editor, None, self.tick()
                )
            )
        final = status or Status.DRAFT
        approved_at = approved_hash = None
        if approved_by:
            final, approved_at, approved_hash = Status.APPROVED, self.tick(), body_hash(body)
            revisions.append(
                self._revision(
                    item_id, len(revisions) + 1, body, final, origin, approved_by, None, approved_at
                )
            )
        elif final is Status.REJECTED:
            revisions.append(
                self._revision(
                    item_id, len(revisions) + 1, body, final, origin, by, None, self.tick()
                )
            )
        item = Item(
            id=item_id,
            session_id=SESSION_ID,
            kind=kind,
            stakeholder_id=person,
            segment=body.get("segment"),
            status=final,
            origin=origin,
            body=body,
            version=len(revisions),
            approved_by=approved_by,
            approved_at=approved_at,
            approved_hash=approved_hash,
            created_at=created,
            updated_at=revisions[-1].created_at,
        )
        self.items.append(item)
        self.revisions[item_id] = revisions
        return item

    @staticmethod
    def _revision(item_id, number, body, status, origin, author, call, created) -> Revision:
        return Revision(
            id=f"rev_{item_id[4:]}{number:02d}",
            item_id=item_id,
            number=number,
            body=body,
            status=status,
            origin=origin,
            author=author,
            llm_call_id=call,
            note="",
            created_at=created,
        )


def person(n: int, name: str, role: str, team: str, notes: str, **attributes) -> Stakeholder:
    return Stakeholder(
        id=f"stk_{n:012d}",
        session_id=SESSION_ID,
        position=n,
        name=name,
        role=role,
        team=team,
        notes=notes,
        created_at=stamp(1, 16, n),
        updated_at=stamp(1, 16, n),
        **attributes,
    )


def sample_data() -> ExportData:
    session = Session(
        id=SESSION_ID,
        title="Q3 marketing strategy workshop",
        organisation="Northwind Analytics",
        workshop_date=date(2026, 7, 2),
        facilitator="Priya Raman",
        participants=["Priya Raman", "Tom Okafor", "Lena Fischer"],
        priorities=[
            "Grow qualified inbound pipeline for the new EU region",
            "Lift win rate on enterprise deals above 25%",
            "Launch the self-serve tier without adding support headcount",
        ],
        marketing_today=(
            "Marketing runs campaigns on request from sales and product; success is reported\n"
            "as output (posts, events, emails), not as results. Budget was cut 10% last year."
        ),
        challenges=(
            "Sales sees marketing as lead-gen support only. No shared definition of a "
            "qualified lead.\nThe CFO questions the return on brand spend."
        ),
        stage="review",
        parent_id="ses_0000000000a1",
        created_at=stamp(1, 15),
        updated_at=stamp(2, 17),
    )
    people = [
        person(
            0,
            "Marta Kowalski",
            "Chief Financial Officer",
            "Finance",
            "Controls the budget.",
            influence="high",
            stance="neutral",
            involvement="approves",
        ),
        person(
            1,
            "Daniel Osei",
            "VP Sales, EMEA",
            "Sales",
            '"Just send me more leads."',
            influence="high",
            stance="resistant",
            involvement="advises",
        ),
        person(
            2,
            "Aiko Tanaka",
            "Head of Product Marketing",
            "Product marketing",
            "Runs launch retros with marketing.",
            influence="medium",
            stance="supportive",
            involvement="executes",
        ),
        person(
            3,
            "Sam Rivera",
            "Chief Executive Officer",
            "Executive",
            "Cares about the EU expansion above all.",
            influence="high",
            stance="neutral",
            involvement="none",
        ),
        person(
            4,
            "Jonas Berg",
            "Sales enablement lead",
            "Sales",
            "Builds the decks.",
            influence="low",
            stance="supportive",
            involvement="executes",
        ),
        person(5, "Chloé Martin", "Customer success lead", "Client success", ""),
    ]
    marta, daniel, aiko, sam, jonas, _ = (p.id for p in people)
    s = Sample()

    def placed(segment, rationale, motivations, objections, approach, messages, confidence):
        return {
            "segment": segment,
            "rationale": rationale,
            "motivations": motivations,
            "objections": objections,
            "approach": approach,
            "messages": messages,
            "confidence": confidence,
        }

    s.item(
        "outcome",
        {
            "result": "More qualified inbound pipeline from the EU region",
            "metric": "Sales-accepted leads from EU accounts per month",
            "baseline": "40 per month (Q2 average)",
            "target": "90 per month",
            "due": "2026-09-30",
            "owner": "Priya Raman",
            "priority": "Grow qualified inbound pipeline for the new EU region",
            "stakeholders": ["Daniel Osei", "Sam Rivera"],
            "leading_indicators": ["EU webinar registrations", "Demo requests from EU accounts"],
        },
        by="model",
        call="llm_000000000003",
        edits=(("Priya Raman", {"target": "70 per month"}),),
        approved_by="Tom Okafor",
    )
    win_rate = s.item(
        "outcome",
        {
            "result": "Higher win rate on enterprise deals that use customer stories",
            "metric": "Win rate of enterprise opportunities where a customer story was used",
            "baseline": None,
            "target": "25%",
            "due": "End of Q3",
            "owner": "Aiko Tanaka",
            "priority": "Lift win rate on enterprise deals above 25%",
            "stakeholders": ["Aiko Tanaka", "Jonas Berg"],
            "leading_indicators": ["Customer stories used in enterprise deals"],
        },
        by="model",
        call="llm_000000000003",
        approved_by="Tom Okafor",
    )
    s.item(
        "outcome",
        {
            "result": "Self-serve sign-ups without more support tickets",
            "metric": "Self-serve sign-ups per week",
            "baseline": None,
            "target": None,
            "due": None,
            "owner": "Lena Fischer",
            "priority": "Launch the self-serve tier without adding support headcount",
            "stakeholders": [],
            "leading_indicators": [],
        },
        by="model",
        call="llm_000000000003",
    )
    s.item(
        "segmentation",
        placed("influencer", "Holds the budget.", [], [], "Brief her.", [], "low"),
        by="model",
        call="llm_000000000001",
        person=marta,
        status=Status.REJECTED,
    )
    s.item(
        "segmentation",
        placed(
            "decision_maker",
            "Approves the marketing budget and asked twice what brand spend returns.",
            ["A clear return on every euro of marketing spend"],
            ["Brand spend cannot be measured"],
            "Bring her decisions with their expected pipeline impact, not activity updates.",
            ["Each campaign in the plan names the pipeline it should create."],
            "high",
        ),
        by="model",
        call="llm_000000000001",
        person=marta,
        edits=(("Priya Raman", {"confidence": "medium"}),),
        approved_by="Priya Raman",
    )
    s.item(
        "segmentation",
        placed(
            "detractor",
            "Sees marketing as lead supply and fears it wants to own his pipeline number.",
            ["More and better leads for his team", "Keeping control of the sales number"],
            ["Marketing will take credit for sales' work", "Another meeting to attend"],
            "Meet one to one first; agree a shared definition of a qualified lead with him.\n"
            "Report pipeline by region in his own sales meeting.",
            ["We measure what your team accepts, not what we send."],
            "medium",
        ),
        by="model",
        call="llm_000000000001",
        person=daniel,
        approved_by="Priya Raman",
    )
    s.item(
        "segmentation",
        placed(
            "champion",
            "Already runs launch retros with marketing and wants shared outcomes.",
            ["Launches that land with sales"],
            [],
            "Give her a visible role in the outcome reviews and material to share with peers.",
            ["Your launch retros are the model for the whole plan."],
            "high",
        ),
        by="model",
        call="llm_000000000001",
        person=aiko,
        approved_by="Priya Raman",
    )
    s.item(
        "segmentation",
        placed(
            "influencer",
            "Rarely talks about marketing but decides what the EU expansion gets.",
            ["The EU expansion on plan"],
            ["Marketing is not a board topic"],
            "Two lines in the monthly board pack, in EU expansion terms.",
            ["Marketing's pipeline is the EU expansion's pipeline."],
            "medium",
        ),
        by="Priya Raman",
        person=sam,
        approved_by="Tom Okafor",
    )
    s.item(
        "segmentation",
        placed(
            "participant", "Builds the decks.", ["Better stories"], [], "Plan with him.", [], "high"
        ),
        by="model",
        call="llm_000000000002",
        person=jonas,
    )
    s.item(
        "discussion_guide",
        {
            "segment": "champion",
            "questions": [
                {
                    "topic": "success",
                    "text": "What would make the next launch a success for your team?",
                },
                {
                    "topic": "past_marketing",
                    "text": "Which launch retro changed how you work with us?",
                },
            ],
        },
        by="model",
        call="llm_000000000004",
        approved_by="Lena Fischer",
    )
    s.item(
        "discussion_guide",
        {
            "segment": "detractor",
            "questions": [
                {"topic": "challenges", "text": "Where do leads from marketing fall short today?"},
                {"topic": "success", "text": "What would a lead you trust look like?"},
            ],
        },
        by="model",
        call="llm_000000000004",
        edits=(
            (
                "Lena Fischer",
                {
                    "questions": [
                        {
                            "topic": "challenges",
                            "text": "Where do leads from marketing fall short today?",
                        },
                        {
                            "topic": "success",
                            "text": "What would a lead your team trusts look like?",
                        },
                    ]
                },
            ),
        ),
        approved_by="Lena Fischer",
    )
    s.item(
        "answers",
        {
            "entries": [
                {
                    "question": "Where do leads from marketing fall short today?",
                    "answer": "Half of them are students or competitors.\n"
                    "We stopped calling webinar lists.",
                },
                {"question": "What would a lead your team trusts look like?", "answer": ""},
            ]
        },
        by="Priya Raman",
        person=daniel,
    )
    s.item(
        "answers",
        {
            "entries": [
                {
                    "question": "What would make the next launch a success for your team?",
                    "answer": "Sales using the story in the first week, not the fourth.",
                }
            ]
        },
        by="Priya Raman",
        person=aiko,
    )
    s.item(
        "plan_entry",
        {
            "title": "Customer story kit for enterprise deals",
            "starts": "2026-07-20",
            "ends": "2026-08-14",
            "channel": "Sales enablement",
            "outcome_id": win_rate.id,
            "description": "Three customer stories with figures, one slide each.",
        },
        by="Aiko Tanaka",
        approved_by="Tom Okafor",
    )
    s.item(
        "plan_entry",
        {
            "title": "EU webinar series",
            "starts": "2026-07-15",
            "ends": "2026-09-10",
            "channel": "Webinar",
            "outcome_id": s.items[0].id,
            "description": "Four webinars for EU finance teams.\nLeads go to sales within a day.",
        },
        by="Priya Raman",
        approved_by="Tom Okafor",
    )
    s.item(
        "plan_entry",
        {"title": "Self-serve launch emails", "channel": "Email", "outcome_id": s.items[2].id},
        by="Lena Fischer",
    )
    s.item(
        "cadence",
        {
            "segment": "decision_maker",
            "report": "One page: pipeline created, cost per qualified lead, against plan.",
            "frequency": "Monthly",
        },
        by="Priya Raman",
        approved_by="Tom Okafor",
    )
    s.item(
        "cadence",
        {
            "segment": "detractor",
            "report": "Pipeline influenced by marketing, by sales region.",
            "frequency": "Every two weeks, in the sales meeting",
        },
        by="Priya Raman",
        approved_by="Tom Okafor",
    )
    s.item(
        "cadence",
        {
            "segment": "champion",
            "report": "Launch results against the retro goals.",
            "frequency": "After each launch",
        },
        by="Priya Raman",
    )
    record = SessionRecord(session=session, stakeholders=people, items=s.items)
    calls = {
        "llm_000000000001": ModelCall("gpt-4o-mini", "segmentation", 1, "46aec0e915ad"),
        "llm_000000000002": ModelCall("gpt-4o-mini", "segmentation", 1, "46aec0e915ad"),
        "llm_000000000003": ModelCall("gpt-4o", "outcomes", 1, "e0ca4ceeae2a"),
        "llm_000000000004": ModelCall("gpt-4o", "discussion_guide", None, "0123456789abcdef"),
        "llm_000000000005": ModelCall("gpt-4o", "outcomes", 1, "e0ca4ceeae2a", ok=False),
    }
    changes = [
        Change("stakeholder_added", "Chloé Martin"),
        Change(
            "segment_moved",
            "Daniel Osei",
            before="Participant",
            after="Detractor",
            reason="he pushed back on the shared pipeline number",
        ),
        Change(
            "target_lowered",
            "More qualified inbound pipeline from the EU region",
            before="90 per month",
            after="70 per month",
            reason="EU budget cut by a third",
        ),
    ]
    return ExportData(
        record=record,
        revisions=s.revisions,
        calls=calls,
        segments=SEGMENTS,
        topics=TOPICS,
        parent_title="Q2 marketing strategy workshop",
        changes=changes,
    )


def test_golden_sample_export():
    text = export_markdown(sample_data())
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8", newline="\n")
    expected = GOLDEN.read_text(encoding="utf-8") if GOLDEN.exists() else ""
    assert text == expected, (
        f"The export of the sample session differs from {GOLDEN}. If the change is intended, "
        "regenerate it with `UPDATE_GOLDEN=1 python -m pytest tests/test_export.py -k golden`, "
        "then read the diff before committing it."
    )


def test_golden_sample_structure():
    text = export_markdown(sample_data())
    assert text == export_markdown(sample_data())  # same session, same bytes
    tokens = parse(text)
    assert headings(tokens, "h2") == [
        H2[0],
        "What changed since Q2 marketing strategy workshop",
        *H2[1:],
    ]
    (fence,) = fences(tokens)
    assert all(POINT.match(line) for line in fence.content.splitlines()[len(CHART_HEAD) :])
    for rows in tables(tokens):
        assert all(len(row) == len(rows[0]) for row in rows)
    drafts = export_markdown(sample_data(), include_drafts=True)
    assert "Jonas Berg (Sales enablement lead, Sales) *(draft, not approved)*" in drafts
    assert "Self-serve sign-ups without more support tickets *(draft)*" in drafts
