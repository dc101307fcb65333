"""Builders for the past-session tests: a quarter's workshop, its follow-up, the CLI."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sessions import LlmCall, SessionStore
from support.paths import WORKSHOP

BY = "Priya Raman"


def run(*args: str, db: Path, check: bool = True, stdin: Any = subprocess.DEVNULL):
    """The installed `workshop` command as a user runs it; no terminal, no stdin."""
    result = subprocess.run(
        [str(WORKSHOP), "--db", str(db), *args],
        capture_output=True,
        text=True,
        stdin=stdin,
        timeout=60,
        env=os.environ | {"COLUMNS": "120"},
    )
    assert "Traceback" not in result.stderr, result.stderr
    if check:
        assert result.returncode == 0, result.stderr
    return result


def segmentation(segment: str, rationale: str = "Seen in the interviews.") -> dict[str, Any]:
    return {
        "segment": segment,
        "rationale": rationale,
        "motivations": ["Visible wins for the team"],
        "objections": ["Leads are poorly qualified"],
        "approach": "Co-design the lead scoring.",
        "messages": ["Better leads, fewer wasted calls"],
        "confidence": "high",
    }


def outcome(result: str, target: str | None, due: str | None = "end of Q3") -> dict[str, Any]:
    return {
        "result": result,
        "metric": "as agreed in the room",
        "baseline": None,
        "target": target,
        "due": due,
        "owner": "Tom Okafor",
        "priority": "Grow EU pipeline",
        "stakeholders": ["Tom Okafor"],
        "leading_indicators": [],
    }


BRIEF = {
    "title": "Q2 strategy",
    "organisation": "Northwind Analytics",
    "workshop_date": "2026-04-02",
    "facilitator": BY,
    "participants": [BY, "Tom Okafor"],
    "priorities": ["Grow EU pipeline", "Lift enterprise win rate"],
    "marketing_today": "Campaigns on request.",
    "challenges": "No shared definition of a qualified lead.",
}
PEOPLE = [
    {
        "name": "Marta Kowalski",
        "role": "CFO",
        "team": "Finance",
        "notes": "Questions brand spend.",
        "influence": "high",
        "stance": "neutral",
        "involvement": "approves",
    },
    {"name": "Tom Okafor", "role": "VP Sales", "team": "Sales"},
    {"name": "Lena Fischer", "role": "Product marketing lead", "team": "Product"},
    {"name": "Omar Haddad", "role": "IT Director", "team": "IT", "stance": "resistant"},
]


@dataclass
class Quarter:
    session_id: str
    people: dict[str, str]  # name -> stakeholder id
    outcomes: dict[str, str] = field(default_factory=dict)  # short name -> item id
    items: dict[str, str] = field(default_factory=dict)  # other items by a short name


def approved(store: SessionStore, session_id: str, kind: str, body: dict, **kw: Any) -> str:
    item = store.create_item(session_id, kind, body, kw.pop("origin", "person"), BY, **kw)
    return store.approve_item(item.id, BY).id


def build_quarter(store: SessionStore) -> Quarter:
    """Q2: approved segments and outcomes, plus drafts, rejections, answers, a plan, a call."""
    session = store.create_session(BRIEF, PEOPLE)
    people = {p.name: p.id for p in store.stakeholders(session.id)}
    q = Quarter(session.id, people)
    sid = session.id
    call = store.record_llm_call(
        LlmCall(
            session_id=sid,
            purpose="segmentation",
            model="test-model",
            endpoint_host="127.0.0.1",
            messages=[{"role": "user", "content": "Segment Marta"}],
            response='{"segment": "influencer"}',
            tokens_in=120,
            tokens_out=80,
            latency_ms=812.5,
        )
    )
    # Marta: approved as influencer (a model's draft), later approved again as champion.
    first = store.create_item(
        sid,
        "segmentation",
        segmentation("influencer"),
        "model",
        "model",
        stakeholder_id=people["Marta Kowalski"],
        llm_call_id=call,
    )
    store.approve_item(first.id, BY)
    q.items["marta_champion"] = approved(
        store,
        sid,
        "segmentation",
        segmentation("champion", "Backed the CRM business case."),
        stakeholder_id=people["Marta Kowalski"],
    )
    q.items["tom"] = approved(
        store,
        sid,
        "segmentation",
        segmentation("decision_maker"),
        stakeholder_id=people["Tom Okafor"],
    )
    q.items["lena_draft"] = store.create_item(
        sid, "segmentation", segmentation("participant"), "person", BY,
        stakeholder_id=people["Lena Fischer"],
    ).id  # fmt: skip
    q.items["omar"] = approved(
        store, sid, "segmentation", segmentation("detractor"), stakeholder_id=people["Omar Haddad"]
    )
    rejected = store.create_item(
        sid, "segmentation", segmentation("champion"), "person", BY,
        stakeholder_id=people["Omar Haddad"],
    )  # fmt: skip
    store.reject_item(rejected.id, BY, "not him")

    q.outcomes["pipeline"] = approved(
        store, sid, "outcome", outcome("Grow qualified inbound pipeline in the EU", "500 MQLs")
    )
    q.outcomes["win_rate"] = approved(
        store, sid, "outcome", outcome("Lift enterprise win rate", "25%")
    )
    q.outcomes["cost"] = approved(store, sid, "outcome", outcome("Cut cost per lead", "€120"))
    q.outcomes["brand"] = approved(
        store,
        sid,
        "outcome",
        outcome("Raise brand awareness in Germany", "12% unaided awareness", due="Q3"),
    )
    q.items["blog_draft"] = store.create_item(
        sid, "outcome", outcome("Publish twelve blog posts", "12 posts"), "person", BY
    ).id
    q.items["answers"] = store.create_item(
        sid,
        "answers",
        {"entries": [{"question": "What is success?", "answer": "Fewer wasted demo calls."}]},
        "person",
        BY,
        stakeholder_id=people["Tom Okafor"],
    ).id
    q.items["cadence"] = approved(
        store,
        sid,
        "cadence",
        {"segment": "champion", "report": "Pipeline by source", "frequency": "monthly"},
    )
    q.items["plan"] = approved(
        store,
        sid,
        "plan_entry",
        {"title": "EU webinar series", "outcome_id": q.outcomes["pipeline"], "channel": "web"},
    )
    store.set_time_box(sid, "brief", 30)
    store.add_stage_time(sid, "brief", 95.5)
    store.set_stage(sid, "review")
    return q


def change_next_quarter(store: SessionStore, follow_up_id: str) -> dict[str, str]:
    """What happens in Q3: people come and go, a segment moves, targets change, and why."""
    record = store.load_session(follow_up_id)
    people = {p.name: p for p in record.stakeholders}
    by_result = {i.body["result"]: i for i in record.items_of("outcome")}
    by_person = {i.stakeholder_id: i for i in record.items_of("segmentation")}

    brief = record.session.brief.model_dump()
    brief["priorities"] = ["Grow EU pipeline", "Launch the self-serve tier"]
    brief["workshop_date"] = "2026-07-01"
    store.update_brief(follow_up_id, brief)

    chloe = store.add_stakeholder(follow_up_id, {"name": "Chloé Martin", "role": "PR lead"})
    approved(store, follow_up_id, "segmentation", segmentation("champion"), stakeholder_id=chloe.id)
    store.remove_stakeholder(people["Omar Haddad"].id)

    marta = by_person[people["Marta Kowalski"].id]
    store.edit_item(
        marta.id,
        segmentation("detractor", "Lost the budget fight."),
        BY,
        note="Lost the budget fight; now blocks brand spend",
    )
    store.approve_item(marta.id, BY)

    pipeline = by_result["Grow qualified inbound pipeline in the EU"]
    body = dict(pipeline.body, target="400 MQLs")
    store.edit_item(pipeline.id, body, BY, note="EU launch slipped to Q4")
    store.approve_item(pipeline.id, BY)

    win_rate = by_result["Lift enterprise win rate"]
    store.edit_item(win_rate.id, dict(win_rate.body, target="30%"), BY)  # no reason given

    cost = by_result["Cut cost per lead"]
    store.reject_item(cost.id, BY, "Finance owns cost targets now")

    brand = by_result["Raise brand awareness in Germany"]
    store.edit_item(
        brand.id,
        dict(brand.body, result="Raise brand awareness in the DACH region", due="Q4"),
        BY,
        note="Scope widened to Austria and Switzerland",
    )
    store.approve_item(brand.id, BY)

    new = store.create_item(
        follow_up_id,
        "outcome",
        outcome("Launch the self-serve tier with no added support headcount", None),
        "person",
        BY,
    )
    return {"new_outcome": new.id, "chloe": chloe.id}


EXPECTED_CHANGES = [
    'New business priority: "Launch the self-serve tier".',
    'Business priority dropped: "Lift enterprise win rate".',
    "Chloé Martin joined the stakeholders as Champion.",
    "Omar Haddad is no longer among the stakeholders (was Detractor).",
    "Marta Kowalski moved from Champion to Detractor "
    "(reason: Lost the budget fight; now blocks brand spend).",
    'New outcome: "Launch the self-serve tier with no added support headcount" (not approved yet).',
    'Outcome dropped: "Cut cost per lead" (reason: Finance owns cost targets now).',
    'Target for "Lift enterprise win rate" raised from 25% to 30% (not approved yet).',
    'Target for "Grow qualified inbound pipeline in the EU" lowered from 500 MQLs to '
    "400 MQLs (reason: EU launch slipped to Q4).",
    'Outcome "Raise brand awareness in Germany" reworded as "Raise brand awareness in the '
    'DACH region" (reason: Scope widened to Austria and Switzerland).',
    'Due date of "Raise brand awareness in the DACH region" changed from "Q3" to "Q4" '
    "(reason: Scope widened to Austria and Switzerland).",
]
