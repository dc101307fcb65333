"""The Markdown export: its structure checked with a CommonMark/GFM parser (markdown-it-py),
for ordinary and for hostile input. The golden sample is in test_export_golden.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.factory import make_session
from support.markdown_reading import (
    CHART_HEAD,
    H2,
    POINT,
    fences,
    headings,
    inline_children,
    parse,
    render_html,
    table_after,
    tables,
    text_of,
)

from sessions import (
    ItemKind,
    LlmCall,
    Origin,
    SessionStore,
)
from workshop.export.markdown import ExportData, ModelCall, SegmentInfo, export_markdown
from workshop.export.text import mermaid_label
from workshop.rules.compare import Change
from workshop.service.facade import WorkshopService

GOLDEN = Path(__file__).parent / "golden" / "sample_export.md"
HOSTILE = (
    'x | y \\| z\\\\| `code` ``` # not a heading "quoted": [link](u) --> %% comment\n'
    "- not a list\n# not a heading either\n<script>alert(1)</script> **b** ~~s~~ $1 & #35; ]\\"
)
ORDER = ("influencer", "champion", "detractor")  # the playbook's order
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


def session_with_segments(store: SessionStore, text: str = "Keen") -> str:
    """Ada, an approved champion, and Bob, a detractor still in draft (model drafts)."""
    session_id = make_session(
        store,
        people=[{"name": "Ada", "role": "CFO", "notes": text}, {"name": "Bob", "role": "VP Sales"}],
    )
    people = store.stakeholders(session_id)
    approved = store.create_item(
        session_id,
        ItemKind.SEGMENTATION,
        segmentation_body(text=text),
        Origin.MODEL,
        "model",
        stakeholder_id=people[0].id,
    )
    store.approve_item(approved.id, "Priya")
    store.create_item(
        session_id,
        ItemKind.SEGMENTATION,
        segmentation_body("detractor"),
        Origin.MODEL,
        "model",
        stakeholder_id=people[1].id,
    )
    return session_id


def test_export_structure(store):
    session_id = session_with_segments(store)
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
    session_id = session_with_segments(store)
    text = export_markdown(store.load_session(session_id), include_drafts=True)
    tokens = parse(text)
    assert "Detractor" in headings(tokens, "h3")
    assert "Bob (VP Sales) (draft, not approved)" in headings(tokens, "h4")
    assert table_after(tokens, "Detractor")[1][0] == "Bob (draft)"
    assert "Not placed in a segment" not in headings(tokens)
    assert "approved items and open drafts" in text
    assert "Not included" not in text


def test_answers_are_under_the_segment_whose_questions_they_answer(store):
    """Bob's placement as a Detractor is still a draft; he answered the Detractors' guide
    in the room, so his answers are there, not among people with no segment."""
    session_id = session_with_segments(store)
    ada, bob = store.stakeholders(session_id)
    for segment, question in (
        ("champion", "What would you show?"),
        ("detractor", "What worries you?"),
    ):
        guide = store.create_item(
            session_id,
            ItemKind.DISCUSSION_GUIDE,
            {"segment": segment, "questions": [{"text": question, "topic": "objections"}]},
            Origin.PERSON,
            "Priya",
        )
        store.approve_item(guide.id, "Priya")
    for person, question, answer in (
        (ada, "What would you show?", "The pipeline report."),
        (bob, "What worries you?", "Leads nobody follows up."),
    ):
        store.create_item(
            session_id,
            ItemKind.ANSWERS,
            {"entries": [{"question": question, "answer": answer}]},
            Origin.PERSON,
            "Priya",
            stakeholder_id=person.id,
        )
    text = export_markdown(store.load_session(session_id))
    discussion = text.split("## Discussion guide and captured answers")[1].split("\n## ")[0]
    champions, detractors = discussion.split("### Champion")[1].split("### Detractor")
    assert "What Ada said" in champions and "The pipeline report." in champions
    assert "What Bob said" in detractors and "Leads nobody follows up." in detractors
    assert "Not placed in a segment" not in discussion


def test_an_approved_assignment_wins_over_a_newer_draft(store):
    session_id = session_with_segments(store)
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
        "- **Outcomes:** 2 approved outcomes (baseline unknown for 1, target unknown for 1):\n"
        "  - More qualified inbound leads (target 180, due 2026-09-30)\n"
        "  - Shorter sales cycle (target unknown, due unknown)\n"
    ) in text


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
    session_id = session_with_segments(store)
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
    session_id = session_with_segments(store)
    with WorkshopService.open(db_path) as service:
        first = service.export.markdown(session_id)
        second = service.export.markdown(session_id, include_drafts=False)
        record = service.sessions.load(session_id)
        assert first == second == service.export.render(record)
    assert first.endswith("\n") and not first.endswith("\n\n")
    assert export_markdown(record) == export_markdown(store.load_session(session_id))


def test_service_export_tells_who_drafted_edited_and_approved(store, db_path):
    session = store.create_session({"title": "Q3"}, [{"name": "Ada"}])
    ada = store.stakeholders(session.id)[0]
    with WorkshopService.open(db_path) as service:
        template = service.method.library.get("segmentation")
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
        text = service.export.markdown(session.id)
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
    session_id = session_with_segments(store)
    with WorkshopService.open(db_path) as service:
        follow_up = service.history.follow_up(session_id, "Q4 strategy")
        text = service.export.markdown(follow_up.id)
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
        data = service.export.data(
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
    rendered = render_html(text)
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
        assert service.export.markdown(session_id) == service.export.markdown(session_id)
