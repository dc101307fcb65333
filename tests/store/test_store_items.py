"""Items and their history, model calls, events and search, on real SQLite files."""

from __future__ import annotations

import sqlite3

import pytest
from pydantic import ValidationError

import sessions
from sessions import (
    BODY_MODELS,
    ConflictError,
    InvalidInputError,
    Item,
    ItemKind,
    LlmCall,
    NotFoundError,
    Origin,
    Segment,
    SessionStore,
    Status,
)

# One valid body for every kind of item.
BODIES: dict[ItemKind, dict] = {
    ItemKind.SEGMENTATION: {
        "segment": "champion",
        "rationale": "Ran the CRM rollout and wants it to pay off.",
        "motivations": ["Visible wins for her team"],
        "objections": ["Marketing leads are poorly qualified"],
        "approach": "Co-design the lead scoring with her.",
        "messages": ["Better leads, fewer calls wasted"],
        "confidence": "high",
    },
    ItemKind.DISCUSSION_GUIDE: {
        "segment": "champion",
        "questions": [
            {"topic": "goals", "text": "What would make this year a success for sales?"},
            {"topic": "proof", "text": "Which numbers do you look at every week?"},
        ],
    },
    ItemKind.ANSWERS: {
        "entries": [
            {
                "question": "What would make this year a success for sales?",
                "answer": "Twenty more qualified demos a month.",
            }
        ]
    },
    ItemKind.OUTCOME: {
        "result": "More qualified demos from marketing",
        "metric": "Qualified demos per month",
        "baseline": "40",
        "target": "60",
        "due": "2025-09-30",
        "owner": "Grace Hopper",
        "priority": "Grow revenue from new customers",
        "stakeholders": ["Grace Hopper", "Ada Lovelace"],
        "leading_indicators": ["Webinar sign-ups", "Lead score above 70"],
    },
    ItemKind.PLAN_ENTRY: {
        "title": "Customer story series",
        "starts": "2025-04-01",
        "ends": "2025-06-30",
        "channel": "LinkedIn",
        "outcome_id": None,
        "description": "One customer story every two weeks.",
    },
    ItemKind.CADENCE: {
        "segment": "decision_maker",
        "report": "One-page dashboard of demos, pipeline and cost per demo.",
        "frequency": "Monthly",
    },
    ItemKind.IMPACT_UPDATE: {
        "segment": "decision_maker",
        "period": "September 2026",
        "headline": "Marketing's impact, September 2026: 1 of 2 outcomes met",
        "text": "## Outcomes\n\n- Demos from 40 to 60, now 58.",
    },
}

# For each kind, one field that a broken body gets wrong, and the broken body.
BROKEN: dict[ItemKind, tuple[str, dict]] = {
    ItemKind.SEGMENTATION: ("segment", dict(BODIES[ItemKind.SEGMENTATION], segment="villain")),
    ItemKind.DISCUSSION_GUIDE: (
        "questions",
        dict(BODIES[ItemKind.DISCUSSION_GUIDE], questions=[{"topic": "goals"}]),
    ),
    ItemKind.ANSWERS: ("entries", {"entries": "not a list"}),
    ItemKind.OUTCOME: (
        "metric",
        {k: v for k, v in BODIES[ItemKind.OUTCOME].items() if k != "metric"},
    ),
    ItemKind.PLAN_ENTRY: ("starts", dict(BODIES[ItemKind.PLAN_ENTRY], starts="next-ish")),
    ItemKind.CADENCE: ("report", dict(BODIES[ItemKind.CADENCE], report=["not", "text"])),
    ItemKind.IMPACT_UPDATE: ("headline", dict(BODIES[ItemKind.IMPACT_UPDATE], headline="")),
}

OUTCOME = BODIES[ItemKind.OUTCOME]


def outcome(**changes) -> dict:
    return dict(OUTCOME, **changes)


def count(db_path, table: str, where: str = "", params: tuple = ()) -> int:
    conn = sqlite3.connect(db_path)
    try:
        sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def session(store):
    return store.create_session(
        {
            "title": "Spring relaunch",
            "organisation": "Acme Co-op",
            "priorities": ["Grow revenue from new customers"],
        },
        [
            {"name": "Grace Hopper", "role": "Head of Sales"},
            {"name": "Ada Lovelace", "role": "CFO"},
        ],
    )


@pytest.fixture
def grace(store, session):
    return store.stakeholders(session.id)[0]


def event_kinds(store, session_id) -> list[str]:
    return [e.kind for e in store.events(session_id)]


# Creating items ------------------------------------------------------------------------


def test_every_kind_has_a_sample_body():
    assert set(BODIES) == set(ItemKind) == set(BODY_MODELS)


@pytest.mark.parametrize("kind", list(ItemKind))
def test_a_model_draft_of_every_kind_round_trips(db_path, kind):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Kinds"}, [{"name": "Grace"}])
        grace = store.stakeholders(session.id)[0]
        call_id = store.record_llm_call(
            LlmCall(session_id=session.id, purpose=f"draft {kind}", model="gpt-test")
        )
        item = store.create_item(
            session.id, kind, BODIES[kind], Origin.MODEL, "model", grace.id, call_id, "first"
        )

    assert item.kind is kind
    assert item.status is Status.DRAFT
    assert item.origin is Origin.MODEL
    assert item.version == 1
    assert item.stale is False
    assert item.stakeholder_id == grace.id
    assert item.approved_by is item.approved_at is item.approved_hash is None
    assert item.body == BODY_MODELS[kind].model_validate(BODIES[kind]).model_dump(mode="json")
    if "segment" in BODIES[kind]:
        assert item.segment is Segment(BODIES[kind]["segment"])

    with SessionStore.open(db_path) as store:
        assert store.get_item(item.id) == item
        assert store.load_session(session.id).items == [item]
        (revision,) = store.revisions(item.id)
    assert (revision.number, revision.author, revision.note) == (1, "model", "first")
    assert revision.llm_call_id == call_id
    assert revision.body == item.body
    assert (revision.status, revision.origin) == (Status.DRAFT, Origin.MODEL)


def test_bodies_are_accepted_as_pydantic_models_too(store, session):
    body = BODY_MODELS[ItemKind.CADENCE].model_validate(BODIES[ItemKind.CADENCE])
    item = store.create_item(session.id, ItemKind.CADENCE, body, "person", "Fatima")
    assert item.body == BODIES[ItemKind.CADENCE]


@pytest.mark.parametrize("kind", list(ItemKind))
def test_an_invalid_body_is_refused_naming_the_field(store, session, db_path, kind):
    field, body = BROKEN[kind]
    with pytest.raises(InvalidInputError) as caught:
        store.create_item(session.id, kind, body, "model", "model")
    message = str(caught.value)
    assert field in message
    assert kind.value in message
    assert count(db_path, "items") == 0
    assert count(db_path, "revisions") == 0


def test_an_unknown_field_in_a_body_is_refused(store, session):
    with pytest.raises(InvalidInputError, match="api_key"):
        store.create_item(session.id, "outcome", outcome(api_key="sk-123"), "model", "m")


def test_items_are_ordered_as_created_when_loading(store, session):
    first = store.create_item(session.id, "outcome", outcome(result="First"), "person", "F")
    second = store.create_item(session.id, "outcome", outcome(result="Second"), "person", "F")
    guide = store.create_item(
        session.id, "discussion_guide", BODIES[ItemKind.DISCUSSION_GUIDE], "model", "m"
    )
    record = store.load_session(session.id)
    assert [i.id for i in record.items] == [first.id, second.id, guide.id]
    assert [i.id for i in record.items_of(ItemKind.OUTCOME)] == [first.id, second.id]


def test_a_new_item_cannot_start_as_edited(store, session):
    with pytest.raises(InvalidInputError):
        store.create_item(session.id, "outcome", OUTCOME, "edited", "Fatima")


@pytest.mark.parametrize(
    ("kind", "origin", "word"),
    [("memo", "model", "memo"), ("outcome", "robot", "robot")],
)
def test_an_unknown_kind_or_origin_is_invalid_input(store, session, db_path, kind, origin, word):
    with pytest.raises(InvalidInputError, match=word):
        store.create_item(session.id, kind, OUTCOME, origin, "m")
    assert count(db_path, "items") == 0


def test_an_item_for_an_unknown_session_stakeholder_or_call_is_not_found(store, session):
    with pytest.raises(NotFoundError):
        store.create_item("ses_nope", "outcome", OUTCOME, "person", "F")
    with pytest.raises(NotFoundError, match="stk_nope"):
        store.create_item(session.id, "outcome", OUTCOME, "person", "F", "stk_nope")
    with pytest.raises(NotFoundError, match="llm_nope"):
        store.create_item(session.id, "outcome", OUTCOME, "model", "m", None, "llm_nope")
    assert store.load_session(session.id).items == []


def test_an_item_cannot_hang_from_another_sessions_stakeholder(store, session):
    other = store.create_session({"title": "Other"}, [{"name": "Linus"}])
    linus = store.stakeholders(other.id)[0]
    with pytest.raises(InvalidInputError, match="another session"):
        store.create_item(session.id, "outcome", OUTCOME, "person", "F", linus.id)


def test_get_item_of_an_unknown_id_is_not_found(store):
    with pytest.raises(NotFoundError, match="itm_nope"):
        store.get_item("itm_nope")
    with pytest.raises(NotFoundError):
        store.revisions("itm_nope")


# Approving, rejecting, reopening -------------------------------------------------------


def test_approval_records_who_when_and_the_hash_of_the_body(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Approvals"})
        draft = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
        approved = store.approve_item(draft.id, by="  Fatima Rahman ")

    with SessionStore.open(db_path) as store:
        again = store.get_item(draft.id)
        events = store.events(session.id)
    assert again == approved
    assert approved.status is Status.APPROVED
    assert approved.approved_by == "Fatima Rahman"
    assert approved.approved_at is not None and approved.approved_at.endswith("Z")
    assert approved.approved_at >= draft.created_at
    assert approved.approved_hash == sessions.body_hash(OUTCOME)
    assert approved.version == draft.version + 1
    assert approved.body == draft.body
    approvals = [e.detail for e in events if e.kind == "item_approved"]
    assert approvals == [
        {"item_id": draft.id, "by": "Fatima Rahman", "hash": sessions.body_hash(OUTCOME)}
    ]


def test_the_approval_hash_does_not_depend_on_key_order():
    shuffled = dict(reversed(list(OUTCOME.items())))
    assert sessions.body_hash(shuffled) == sessions.body_hash(OUTCOME)
    assert sessions.body_hash(outcome(target="61")) != sessions.body_hash(OUTCOME)


def test_an_approval_needs_a_name(store, session):
    draft = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    with pytest.raises(InvalidInputError, match="who approves"):
        store.approve_item(draft.id, by="   ")
    assert store.get_item(draft.id).status is Status.DRAFT


def test_editing_an_approved_item_reopens_it(store, session):
    draft = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    approved = store.approve_item(draft.id, by="Fatima")

    edited = store.edit_item(approved.id, outcome(target="75"), author="Grace")

    assert edited.status is Status.DRAFT
    assert edited.origin is Origin.EDITED
    assert edited.approved_by is edited.approved_at is edited.approved_hash is None
    assert edited.body["target"] == "75"
    assert edited.version == approved.version + 1
    assert event_kinds(store, session.id)[-1] == "item_reopened"
    reopened = [e.detail for e in store.events(session.id) if e.kind == "item_reopened"]
    assert reopened == [{"item_id": draft.id, "by": "Grace"}]
    last = store.revisions(draft.id)[-1]
    assert (last.author, last.status, last.origin) == ("Grace", Status.DRAFT, Origin.EDITED)
    assert "reopened" in last.note
    assert store.list_sessions()[0].approved == 0


def test_a_persons_item_stays_a_persons_item_when_edited(store, session):
    mine = store.create_item(session.id, "outcome", OUTCOME, "person", "Fatima")
    edited = store.edit_item(mine.id, outcome(owner="Ada Lovelace"), author="Fatima")
    assert edited.origin is Origin.PERSON


def test_reject_then_reopen(store, session):
    draft = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    store.approve_item(draft.id, by="Fatima")

    rejected = store.reject_item(draft.id, by="Ada", note="Not measurable")
    assert rejected.status is Status.REJECTED
    assert rejected.approved_by is rejected.approved_hash is None
    assert store.list_sessions()[0].open == 0

    reopened = store.reopen_item(draft.id, by="Fatima", note="Try again")
    assert reopened.status is Status.DRAFT
    assert reopened.body == draft.body
    assert store.list_sessions()[0].open == 1

    kinds = event_kinds(store, session.id)
    assert kinds[-3:] == ["item_approved", "item_rejected", "item_reopened"]
    rejection = [e.detail for e in store.events(session.id) if e.kind == "item_rejected"]
    assert rejection == [{"item_id": draft.id, "by": "Ada", "note": "Not measurable"}]
    statuses = [(r.number, r.status, r.author) for r in store.revisions(draft.id)]
    assert statuses == [
        (1, Status.DRAFT, "model"),
        (2, Status.APPROVED, "Fatima"),
        (3, Status.REJECTED, "Ada"),
        (4, Status.DRAFT, "Fatima"),
    ]


def test_rejecting_twice_changes_nothing_the_second_time(store, session):
    draft = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    once = store.reject_item(draft.id, by="Ada")
    twice = store.reject_item(draft.id, by="Ada")
    assert twice.version == once.version
    assert len(store.revisions(draft.id)) == 2


# History -------------------------------------------------------------------------------


def test_revisions_are_numbered_in_order_with_their_authors(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "History"})
        item = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
        store.edit_item(item.id, outcome(target="70"), author="Grace", note="ambitious")
        store.edit_item(item.id, outcome(target="65"), author="Ada")
        store.approve_item(item.id, by="Fatima")

    with SessionStore.open(db_path) as store:
        history = store.revisions(item.id)
    assert [r.number for r in history] == [1, 2, 3, 4]
    assert [r.author for r in history] == ["model", "Grace", "Ada", "Fatima"]
    assert [r.body["target"] for r in history] == ["60", "70", "65", "65"]
    assert history[1].note == "ambitious"
    assert all(r.item_id == item.id for r in history)
    assert [r.created_at for r in history] == sorted(r.created_at for r in history)


def test_revisions_cannot_be_changed(store, session, db_path):
    item = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    store.edit_item(item.id, outcome(target="70"), author="Grace")

    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE revisions SET author='someone else'")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE revisions SET body='{}' WHERE number=1")
    finally:
        conn.close()
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("UPDATE revisions SET note='rewritten'")
    assert [r.author for r in store.revisions(item.id)] == ["model", "Grace"]
    assert all(r.note == "" for r in store.revisions(item.id))


def test_an_edit_with_the_same_body_adds_no_revision(store, session):
    item = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    # Key order and surrounding spaces do not make a new body.
    same = dict(reversed(list(outcome(result=f"  {OUTCOME['result']}  ").items())))
    unchanged = store.edit_item(item.id, same, author="Grace")
    assert unchanged.version == item.version
    assert unchanged.origin is Origin.MODEL
    assert len(store.revisions(item.id)) == 1


def test_an_edit_with_a_stale_version_is_a_conflict_and_changes_nothing(store, session, db_path):
    item = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    newer = store.edit_item(item.id, outcome(target="70"), author="Grace", expected_version=1)
    assert newer.version == 2

    with pytest.raises(ConflictError) as caught:
        store.edit_item(item.id, outcome(target="99"), author="Ada", expected_version=1)
    assert caught.value.current_version == 2
    assert "changed elsewhere" in str(caught.value)

    current = store.get_item(item.id)
    assert current == newer
    assert current.body["target"] == "70"
    assert count(db_path, "revisions", "item_id=?", (item.id,)) == 2


def test_an_approval_with_a_stale_version_is_a_conflict(store, session):
    item = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    store.edit_item(item.id, outcome(target="70"), author="Grace")
    with pytest.raises(ConflictError):
        store.approve_item(item.id, by="Fatima", expected_version=1)
    assert store.get_item(item.id).status is Status.DRAFT
    assert "item_approved" not in event_kinds(store, session.id)
    assert store.approve_item(item.id, by="Fatima", expected_version=2).status is Status.APPROVED


def test_an_invalid_edit_is_refused_and_changes_nothing(store, session):
    item = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    with pytest.raises(InvalidInputError, match="leading_indicators"):
        store.edit_item(item.id, outcome(leading_indicators="one"), author="Grace")
    assert store.get_item(item.id) == item
    assert len(store.revisions(item.id)) == 1


# Redrafts by a model -------------------------------------------------------------------


def test_a_redraft_of_an_untouched_model_draft_replaces_it_in_place(store, session, grace):
    call_1 = store.record_llm_call(LlmCall(session_id=session.id, purpose="draft", model="m"))
    call_2 = store.record_llm_call(LlmCall(session_id=session.id, purpose="redraft", model="m"))
    item = store.create_item(session.id, "outcome", OUTCOME, "model", "model", grace.id, call_1)

    redrafted = store.redraft_item(item.id, outcome(target="65"), call_2, note="tighter")

    assert redrafted.id == item.id
    assert redrafted.body["target"] == "65"
    assert redrafted.origin is Origin.MODEL
    assert redrafted.version == item.version + 1
    assert [i.id for i in store.load_session(session.id).items] == [item.id]
    history = store.revisions(item.id)
    assert [(r.number, r.llm_call_id) for r in history] == [(1, call_1), (2, call_2)]
    assert history[-1].note == "tighter"


def test_a_redraft_of_an_edited_item_goes_beside_it(store, session, grace):
    item = store.create_item(session.id, "outcome", OUTCOME, "model", "model", grace.id)
    mine = store.edit_item(item.id, outcome(target="My own target"), author="Grace")

    fresh = store.redraft_item(item.id, outcome(target="Model target"), None)

    assert fresh.id != item.id
    assert fresh.origin is Origin.MODEL
    assert fresh.status is Status.DRAFT
    assert fresh.stakeholder_id == grace.id
    assert fresh.kind is ItemKind.OUTCOME
    assert store.get_item(item.id) == mine
    assert store.get_item(item.id).body["target"] == "My own target"
    assert len(store.load_session(session.id).items) == 2
    assert len(store.revisions(item.id)) == 2
    assert len(store.revisions(fresh.id)) == 1


def test_a_redraft_of_an_approved_model_draft_goes_beside_it(store, session):
    item = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    approved = store.approve_item(item.id, by="Fatima")

    fresh = store.redraft_item(item.id, outcome(target="80"), None)

    assert fresh.id != item.id
    assert store.get_item(item.id) == approved
    assert store.get_item(item.id).approved_hash == sessions.body_hash(OUTCOME)


def test_a_redraft_of_a_rejected_model_draft_goes_beside_it(store, session):
    item = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    rejected = store.reject_item(item.id, by="Fatima", note="not a result")

    fresh = store.redraft_item(item.id, outcome(target="80"), None)

    assert fresh.id != item.id
    assert store.get_item(item.id) == rejected


def test_a_redraft_of_a_persons_item_goes_beside_it(store, session):
    mine = store.create_item(session.id, "outcome", OUTCOME, "person", "Fatima")
    fresh = store.redraft_item(mine.id, outcome(target="80"), None)
    assert fresh.id != mine.id
    assert store.get_item(mine.id) == mine


def test_an_invalid_redraft_changes_nothing(store, session):
    item = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    with pytest.raises(InvalidInputError, match="metric"):
        store.redraft_item(item.id, outcome(metric=None), None)
    assert store.get_item(item.id) == item
    assert len(store.load_session(session.id).items) == 1


def test_a_redraft_clears_staleness(store, session, grace):
    item = store.create_item(session.id, "outcome", OUTCOME, "model", "model", grace.id)
    store.update_stakeholder(grace.id, notes="Changed her mind")
    assert store.get_item(item.id).stale is True
    assert store.redraft_item(item.id, outcome(target="50"), None).stale is False


# Staleness after a brief changes -------------------------------------------------------


def test_new_priorities_mark_model_drafts_stale(store, session):
    model_draft = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    persons = store.create_item(session.id, "outcome", OUTCOME, "person", "Fatima")

    brief = session.brief.model_dump() | {"priorities": ["Retain existing customers"]}
    store.update_brief(session.id, brief)

    assert store.get_item(model_draft.id).stale is True
    assert store.get_item(persons.id).stale is False


def test_a_new_title_alone_does_not_mark_drafts_stale(store, session):
    model_draft = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    store.update_brief(session.id, session.brief.model_dump() | {"title": "Renamed"})
    assert store.get_item(model_draft.id).stale is False


def test_an_edit_clears_staleness(store, session):
    item = store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    store.update_brief(session.id, session.brief.model_dump() | {"challenges": "Budget cut"})
    assert store.get_item(item.id).stale is True
    assert store.edit_item(item.id, outcome(target="50"), author="Grace").stale is False


# Model calls and events ----------------------------------------------------------------


def test_a_model_call_round_trips(db_path):
    call = LlmCall(
        session_id=None,
        purpose="segmentation",
        model="gpt-4o-mini",
        endpoint_host="api.openai.com",
        template_id="segmentation.v2",
        template_hash="abc123",
        messages=[
            {"role": "system", "content": "You are a marketing strategist. «quoted» 🎯"},
            {"role": "user", "content": "Notes:\n<data>Ada wants payback</data>"},
        ],
        response='{"segment": "detractor"}',
        tokens_in=812,
        tokens_out=164,
        tokens_counted=815,
        latency_ms=1234.5,
        first_token_ms=210.25,
        status="ok",
    )
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Calls"})
        call = call.model_copy(update={"session_id": session.id})
        call_id = store.record_llm_call(call)
        failed_id = store.record_llm_call(
            LlmCall(
                session_id=session.id,
                purpose="outcomes",
                model="gpt-4o-mini",
                status="error",
                error="429 Too Many Requests",
            )
        )

    with SessionStore.open(db_path) as store:
        calls = store.llm_calls(session.id)
    assert [c["id"] for c in calls] == [call_id, failed_id]
    stored = calls[0]
    assert {k: stored[k] for k in LlmCall.model_fields} == call.model_dump()
    assert stored["created_at"].endswith("Z")
    assert call_id.startswith("llm_")
    assert (calls[1]["status"], calls[1]["error"], calls[1]["messages"]) == (
        "error",
        "429 Too Many Requests",
        [],
    )


def test_a_model_call_without_a_session_is_kept(store):
    call_id = store.record_llm_call(LlmCall(purpose="doctor", model="llama3"))
    row = store.db.execute("SELECT purpose, session_id FROM llm_calls WHERE id=?", [call_id])
    assert row.fetchone() == ("doctor", None)


def test_a_model_call_for_an_unknown_session_is_not_found(store):
    with pytest.raises(NotFoundError):
        store.record_llm_call(LlmCall(session_id="ses_nope", purpose="x", model="m"))


@pytest.mark.parametrize("field", ["api_key", "key", "authorization", "headers", "password"])
def test_a_model_call_has_no_place_for_a_key(field):
    assert not any(
        word in name for name in LlmCall.model_fields for word in ("key", "auth", "secret")
    )
    with pytest.raises(ValidationError):
        LlmCall(purpose="x", model="m", **{field: "sk-secret"})
    with pytest.raises(ValidationError):
        LlmCall.model_validate({"purpose": "x", "model": "m", field: "sk-secret"})


def test_the_llm_calls_table_has_no_column_for_a_key(store):
    columns = {c.name for c in store.db["llm_calls"].columns}
    assert not any(word in c for c in columns for word in ("key", "auth", "secret", "password"))


def test_events_are_recorded_in_order(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Events"})
        first = store.record_event(session.id, "exported", {"path": "/tmp/out.md", "bytes": 812})
        second = store.record_event(session.id, "timer_started")
    with SessionStore.open(db_path) as store:
        events = store.events(session.id)
    assert [e.kind for e in events] == ["session_created", "exported", "timer_started"]
    assert [e.id for e in events[1:]] == [first, second]
    assert events[1].detail == {"path": "/tmp/out.md", "bytes": 812}
    assert events[2].detail == {}
    assert events[0].detail == {"parent_id": None}
    assert all(e.session_id == session.id for e in events)


def test_an_event_for_an_unknown_session_is_not_found(store):
    with pytest.raises(NotFoundError):
        store.record_event("ses_nope", "exported")


# Search --------------------------------------------------------------------------------


@pytest.fixture
def searchable(store):
    session = store.create_session(
        {
            "title": "Harvest festival campaign",
            "organisation": "Greenfield Co-op",
            "priorities": ["Double the farmers' market footfall"],
        },
        [{"name": "Ada Lovelace", "notes": "Worried about the sponsorship budget."}],
    )
    store.create_item(
        session.id,
        "plan_entry",
        {"title": "Scarecrow contest", "description": "Invite the primary schools."},
        "person",
        "Fatima",
    )
    store.create_item(session.id, "outcome", OUTCOME, "model", "model")
    store.create_session({"title": "Unrelated workshop"})
    return session


def only_hit(hits, where: str):
    matching = [h for h in hits if h.where == where]
    assert len(matching) == 1, hits
    return matching[0]


def test_search_finds_the_title(store, searchable):
    hit = only_hit(store.search("harvest"), "session")
    assert hit.session_id == searchable.id
    assert hit.session_title == "Harvest festival campaign"
    assert "«Harvest»" in hit.snippet


def test_search_finds_the_organisation(store, searchable):
    hit = only_hit(store.search("Greenfield"), "session")
    assert hit.session_id == searchable.id
    assert "«Greenfield»" in hit.snippet


def test_search_finds_stakeholder_notes(store, searchable):
    hit = only_hit(store.search("sponsorship"), "stakeholder")
    assert hit.session_id == searchable.id
    assert hit.session_title == "Harvest festival campaign"
    assert "«sponsorship»" in hit.snippet


def test_search_finds_item_bodies_and_names_their_kind(store, searchable):
    hit = only_hit(store.search("scarecrow"), "plan_entry")
    assert hit.session_id == searchable.id
    assert "«Scarecrow»" in hit.snippet
    hit = only_hit(store.search("webinar"), "outcome")
    assert "«Webinar»" in hit.snippet


def test_search_matches_every_word(store, searchable):
    assert store.search("harvest campaign")
    assert store.search("harvest sponsorship") == []  # the words are in different rows


def test_search_matches_the_last_word_as_a_prefix(store, searchable):
    hit = only_hit(store.search("harvest fest"), "session")
    assert "«festival»" in hit.snippet
    assert only_hit(store.search("spons"), "stakeholder")
    assert store.search("spons budget") == []  # only the last word is a prefix
    assert only_hit(store.search("sponsorship budg"), "stakeholder")


def test_search_finds_text_changed_after_creation(store, searchable):
    store.update_brief(searchable.id, searchable.brief.model_dump() | {"title": "Winter fair"})
    assert only_hit(store.search("winter"), "session").session_title == "Winter fair"
    assert [h for h in store.search("harvest") if h.where == "session"] == []


def test_search_finds_a_hyphenated_word(store, searchable):
    hit = only_hit(store.search("co-op"), "session")
    assert "«Co-op»" in hit.snippet


@pytest.mark.parametrize(
    "query",
    [
        "co-op",
        '"',
        "'",
        "AND",
        "NOT",
        "OR",
        "NEAR",
        "*",
        "(",
        ")",
        ":",
        "^",
        "-",
        "+",
        "title:harvest",
        "harvest AND",
        "NOT harvest",
        '"unclosed phrase',
        "it's",
        "🎉",
        "🧑‍🌾 harvest",
        "",
        "   ",
        "\x00",
        "harvest\x00 festival",
        "\x1b[31mharvest",
        "x" * 10_000,
        "harvest " * 1_250,
        "a\u2028b",
    ],
)
def test_awkward_queries_never_raise(store, searchable, query):
    hits = store.search(query)
    assert isinstance(hits, list)


def test_control_characters_in_a_query_are_ignored(store, searchable):
    assert only_hit(store.search("harv\x00est"), "session").session_id == searchable.id
    assert only_hit(store.search("\x1b[1mharvest"), "session").session_id == searchable.id


def test_empty_queries_find_nothing(store, searchable):
    assert store.search("") == []
    assert store.search("   \t\n") == []


def test_search_respects_the_limit(store):
    for n in range(5):
        store.create_session({"title": f"Pumpkin workshop {n}"})
    assert len(store.search("pumpkin")) == 5
    assert len(store.search("pumpkin", limit=2)) == 2


def test_deleted_sessions_vanish_from_search(store, searchable):
    assert store.search("sponsorship")
    store.delete_session(searchable.id)
    for query in ["harvest", "greenfield", "sponsorship", "scarecrow", "webinar"]:
        assert store.search(query) == [], query
    # Rows added later (which may reuse the deleted rows' places) are not mistaken for them.
    later = store.create_session(
        {"title": "Later", "organisation": "Other"},
        [{"name": "Grace", "notes": "Nothing in common."}],
    )
    store.create_item(later.id, "outcome", outcome(result="Other"), "person", "F")
    for query in ["harvest", "greenfield", "sponsorship", "scarecrow"]:
        assert store.search(query) == [], query


def test_removed_stakeholders_and_archived_sessions_in_search(store, searchable):
    ada = store.stakeholders(searchable.id)[0]
    store.remove_stakeholder(ada.id)
    assert store.search("sponsorship") == []
    store.set_archived(searchable.id, True)
    assert only_hit(store.search("harvest"), "session").session_id == searchable.id


def test_search_results_are_records(store, searchable):
    for hit in store.search("harvest"):
        assert isinstance(hit, sessions.SearchHit)
        assert hit.where in {"session", "stakeholder", *(k.value for k in ItemKind)}


def test_item_is_exported_from_the_package():
    assert sessions.Item is Item
