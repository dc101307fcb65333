"""Exports for their audience: leadership's document says nothing about people's segments,
objections, placements or answers; both name the outcomes and show their progress.

Each session is built through the real store and exported through the service, as
`workshop export ID --for leadership` would.
"""

from __future__ import annotations

import os
import re
from datetime import date

import pytest
from support.command import run_workshop
from support.factory import make_session
from support.markdown_reading import H2, LEADERSHIP_H2, fences, headings, parse, table_after

from sessions import LlmCall, SessionStore
from workshop.errors import WorkshopError
from workshop.service.facade import WorkshopService

SEGMENTS = ("influencer", "champion", "detractor", "decision_maker", "participant")
PEOPLE = [
    ("Marta Kowalski", "Chief Financial Officer"),
    ("Aiko Tanaka", "Head of Product Marketing"),
    ("Daniel Osei", "VP Sales"),
    ("Sam Rivera", "Chief Executive Officer"),
    ("Jonas Berg", "Sales enablement lead"),
]
# Words that would say which segment someone sits in (ids, display names, plurals).
SEGMENT_WORDS = re.compile(
    r"\b(influencers?|champions?|detractors?|decision[ _-]?makers?|participants?)\b", re.I
)
OUTCOMES = [
    ("More qualified inbound pipeline from the EU region", "40", "70", "2026-09-30"),
    ("Higher win rate on enterprise deals", "18%", "25%", "Q3"),
]
PLAN = [("EU webinar series", "Webinar"), ("Customer story kit", "Sales enablement")]
CADENCE = {
    "influencer": ("Two lines in the board pack", "Monthly, in the board pack"),
    "champion": ("Launch results against the retro goals", "After each launch"),
    "detractor": ("Pipeline by sales region", "Every two weeks"),
    "decision_maker": ("One page: pipeline and cost per lead", "Monthly"),
    "participant": ("What the last campaign did for sales", "Every sprint review"),
}


def private_texts(n: int) -> dict[str, str]:
    """What the team may read about person n, each text findable on its own."""
    return {
        "rationale": f"Rationale {n}: fears losing control of the number",
        "motivation": f"Motivation {n}: a bigger bonus",
        "objection": f"Objection {n}: marketing takes credit",
        "approach": f"Approach {n}: meet one to one first",
        "message": f"Message {n}: we measure what your team accepts",
        "answer": f"Answer {n}: half the leads are students",
    }


def full_session(store: SessionStore) -> str:
    """Five people, one in each segment with everything a placement holds, a guide per
    segment, answers from everyone, two approved outcomes with measurements, a plan, a
    cadence for every segment, and a model call on record."""
    session_id = make_session(
        store,
        people=[{"name": name, "role": role} for name, role in PEOPLE],
        brief={
            "title": "Q3 strategy",
            "organisation": "Northwind",
            "workshop_date": "2026-07-02",
            "facilitator": "Priya Raman",
        },
    )
    call = store.record_llm_call(
        LlmCall(session_id=session_id, purpose="segmentation", model="gpt-4o-mini")
    )
    people = store.stakeholders(session_id)
    for n, (person, segment) in enumerate(zip(people, SEGMENTS, strict=True)):
        text = private_texts(n)
        body = {
            "segment": segment,
            "rationale": text["rationale"],
            "motivations": [text["motivation"]],
            "objections": [text["objection"]],
            "approach": text["approach"],
            "messages": [text["message"]],
            "confidence": "medium",
        }
        item = store.create_item(
            session_id, "segmentation", body, "model", "model", person.id, call
        )
        store.approve_item(item.id, "Priya Raman")
        guide = {"segment": segment, "questions": [{"topic": "success", "text": f"Q for {n}?"}]}
        store.approve_item(
            store.create_item(session_id, "discussion_guide", guide, "person", "Priya").id, "Priya"
        )
        answers = {"entries": [{"question": f"Q for {n}?", "answer": text["answer"]}]}
        store.create_item(session_id, "answers", answers, "person", "Priya", person.id)
    outcome_ids = []
    for result, baseline, target, due in OUTCOMES:
        body = {
            "result": result,
            "metric": "per month",
            "baseline": baseline,
            "target": target,
            "due": due,
            "owner": "Priya Raman",
            "priority": "Grow EU pipeline",
            "stakeholders": ["Daniel Osei"],
            "leading_indicators": [],
        }
        item = store.create_item(session_id, "outcome", body, "person", "Priya")
        outcome_ids.append(store.approve_item(item.id, "Tom").id)
    for (title, channel), outcome_id in zip(PLAN, outcome_ids, strict=True):
        body = {"title": title, "channel": channel, "outcome_id": outcome_id}
        store.approve_item(
            store.create_item(session_id, "plan_entry", body, "person", "Priya").id, "Tom"
        )
    for segment, (report, frequency) in CADENCE.items():
        body = {"segment": segment, "report": report, "frequency": frequency}
        store.approve_item(
            store.create_item(session_id, "cadence", body, "person", "Priya").id, "Tom"
        )
    store.add_measurement(outcome_ids[0], 52, date(2026, 8, 1), "CRM")
    store.add_measurement(outcome_ids[1], 21, date(2026, 8, 15), "Win/loss review")
    return session_id


def exports(db_path, session_id: str) -> tuple[str, str]:
    with WorkshopService.open(db_path) as service:
        return (
            service.export.markdown(session_id),
            service.export.markdown(session_id, audience="leadership"),
        )


def test_leadership_says_nothing_about_people(store, db_path):
    session_id = full_session(store)
    team, leadership = exports(db_path, session_id)
    private = [t for n in range(len(PEOPLE)) for t in private_texts(n).values()]
    # The team's document has all of it, so its absence below is not for want of data.
    assert all(text in team for text in private)
    assert SEGMENT_WORDS.search(team) and "Confidence" in team

    for text in private:
        assert text not in leadership
    assert not SEGMENT_WORDS.search(leadership.replace("**Participants:**", ""))
    assert "confidence" not in leadership.lower()
    for name, _ in PEOPLE:  # a name may appear (an outcome's investors), never a label
        for line in leadership.splitlines():
            if name in line:
                assert not SEGMENT_WORDS.search(line), line
    assert "quadrantChart" not in leadership and "What Daniel Osei said" not in leadership
    # No provenance beyond one line: no model, prompt, session id or approval hash.
    assert "gpt-4o-mini" not in leadership and session_id not in leadership
    assert not re.search(r"\b(model|prompt|template|hash)\b", leadership, re.I)
    assert leadership.endswith("\n*Prepared with Strategy Workshop.*\n")

    assert headings(parse(leadership), "h2") == LEADERSHIP_H2
    for result, *_ in OUTCOMES:
        assert leadership.count(result) >= 3  # summary, outcomes table and its section
    for title, channel in PLAN:
        assert title in leadership and channel in leadership
    for report, frequency in CADENCE.values():
        assert report in leadership and frequency in leadership


def test_the_summary_names_the_outcomes_and_provenance_moves_to_the_appendix(store, db_path):
    session_id = full_session(store)
    team, leadership = exports(db_path, session_id)
    for text in (team, leadership):
        summary = text.split("## Executive summary")[1].split("\n## ")[0]
        for result, _, target, due in OUTCOMES:
            assert f"  - {result} (target {target}, due {due}; " in summary
        assert "Models used" not in text.split("## Executive summary")[0]
        assert "Session id" not in text.split("## Appendix")[0]
    appendix = team.split("## Appendix: provenance")[1]
    assert f"- **Session id:** `{session_id}`" in appendix
    assert "- **Models used:** gpt-4o-mini (1 call)" in appendix
    assert headings(parse(team), "h2") == H2


def test_progress_per_outcome_and_its_chart(store, db_path):
    session_id = full_session(store)
    team, leadership = exports(db_path, session_id)
    for text in (team, leadership):
        tokens = parse(text)
        rows = table_after(tokens, "Progress")
        assert rows[0] == [
            "Outcome",
            "Baseline",
            "Latest",
            "Target",
            "Of the way",
            "Of the time",
            "Status",
        ]
        # As of 2026-08-15 (the latest measurement): 44 of 90 days gone.
        assert rows[1] == [OUTCOMES[0][0], "40", "52 (2026-08-01)", "70", "40%", "49%", "on track"]
        assert rows[2] == [OUTCOMES[1][0], "18", "21 (2026-08-15)", "25", "43%", "49%", "on track"]
        assert "As of 2026-08-15, the day of the latest measurement" in text
        chart = [f for f in fences(tokens) if "xychart-beta" in f.content]
        assert len(chart) == 1 and chart[0].info == "mermaid"
        assert "    bar [40, 43]" in chart[0].content


def test_no_measurements_means_no_chart(store, db_path):
    session = store.create_session({"title": "Q3"})
    body = {
        "result": "More leads",
        "metric": "MQLs",
        "baseline": "1",
        "target": "2",
        "due": "Q3",
        "owner": "Priya",
        "priority": "",
        "stakeholders": [],
        "leading_indicators": [],
    }
    store.approve_item(store.create_item(session.id, "outcome", body, "person", "P").id, "P")
    for text in exports(db_path, session.id):
        assert "## Progress\n\nNo measurements yet.\n" in text
        assert "xychart" not in text
        assert "  - More leads (target 2, due Q3)\n" in text  # no status before any data


HOSTILE_RESULTS = [
    'Win the "EU" market: [50%] share 🚀 --> %% now',
    'Win the "EU" market: [50%] share 🚀 --> %% now',  # the same twice: two bars
    "```\nend\n```",
]
CHART_LINE = re.compile(
    r'^(xychart-beta|    title "[^"]*"|    x-axis \["[^"\[\]:%`]*"(, "[^"\[\]:%`]*")*\]'
    r'|    y-axis "[^"]*" 0 --> 100|    bar \[\d+(, \d+)*\])$'
)


def test_chart_labels_cannot_break_the_chart_and_bars_stay_on_the_axis(store, db_path):
    session = store.create_session({"title": "Q3", "workshop_date": "2026-07-01"})
    for n, result in enumerate(HOSTILE_RESULTS):
        body = {
            "result": result,
            "metric": "share",
            "baseline": "10",
            "target": "20",
            "due": "2026-12-31",
            "owner": "Priya",
            "priority": "",
            "stakeholders": [],
            "leading_indicators": [],
        }
        item = store.approve_item(
            store.create_item(session.id, "outcome", body, "person", "P").id, "P"
        )
        store.add_measurement(item.id, (35, 15, 5)[n], date(2026, 8, 1))
    team, _ = exports(db_path, session.id)
    (chart,) = [f for f in fences(parse(team)) if "xychart-beta" in f.content]
    lines = chart.content.splitlines()
    assert all(CHART_LINE.match(line) for line in lines), lines
    assert lines[-1] == "    bar [100, 50, 0]"  # 250% and -50% held to the axis
    labels = re.findall(r'"([^"]*)"', lines[2])
    assert len(set(labels)) == 3 and labels[1].endswith("(2)")
    rows = table_after(parse(team), "Progress")
    assert [r[4] for r in rows[1:]] == ["250%", "50%", "-50%"]


def test_leadership_refuses_drafts_and_names_its_file(store, db_path):
    session_id = full_session(store)
    with WorkshopService.open(db_path) as service:
        with pytest.raises(WorkshopError, match="approved items only"):
            service.export.markdown(session_id, include_drafts=True, audience="leadership")
        with pytest.raises(WorkshopError, match="not an audience"):
            service.export.markdown(session_id, audience="board")
        assert service.export.file_name(session_id, "leadership") == "q3-strategy-leadership.md"
        assert service.export.file_name(session_id) == "q3-strategy.md"


def test_the_command_exports_for_leadership(store, db_path, tmp_path):
    session_id = full_session(store)
    env = dict(os.environ)
    _, leadership = exports(db_path, session_id)
    shown = run_workshop(env, "--db", str(db_path), "export", session_id, "--for", "leadership")
    assert shown.returncode == 0 and shown.stdout == leadership
    out = tmp_path / "board.md"
    written = run_workshop(
        env, "--db", str(db_path), "export", session_id, "--for", "leadership", "-o", str(out)
    )
    assert written.returncode == 0 and out.read_text(encoding="utf-8") == leadership
    refused = run_workshop(
        env, "--db", str(db_path), "export", session_id, "--for", "leadership", "--drafts"
    )
    assert refused.returncode == 1 and refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "approved items only" in refused.stderr
    wrong = run_workshop(env, "--db", str(db_path), "export", session_id, "--for", "board")
    assert wrong.returncode == 2
