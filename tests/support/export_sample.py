"""The golden sample for the export tests: a finished follow-up workshop built straight
from the records, with fixed ids and times (tests/export/golden/ holds its exports)."""

from __future__ import annotations

from datetime import date

from sessions import (
    Item,
    ItemKind,
    Measurement,
    Origin,
    Revision,
    Session,
    SessionRecord,
    Stakeholder,
    Status,
    body_hash,
)
from sessions.bodies import validate_body
from workshop.export.markdown import ExportData, ModelCall, SegmentInfo
from workshop.rules.compare import Change

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
        measurements=measurements(),
    )


def measurement(n: int, outcome: int, value: float, day: str, source: str) -> Measurement:
    return Measurement(
        id=f"msr_{n:012d}",
        session_id=SESSION_ID,
        outcome_id=f"itm_{outcome:012d}",
        value=value,
        measured_on=date.fromisoformat(day),
        source=source,
        recorded_by="Priya Raman",
        created_at=f"{day}T17:00:00.000000Z",
    )


def measurements() -> list[Measurement]:
    """The EU pipeline measured twice (at risk by 2026-08-31), the win rate once (its
    baseline is unknown, so it is not judged); the draft outcome never."""
    return [
        measurement(1, 1, 48, "2026-07-31", "CRM report"),
        measurement(2, 1, 55, "2026-08-31", "CRM report"),
        measurement(3, 2, 21, "2026-08-15", "Win/loss review"),
    ]
