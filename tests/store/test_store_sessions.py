"""The session store: sessions, their briefs and their stakeholders, on real SQLite files."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from sessions import (
    Brief,
    DuplicateNameError,
    Influence,
    InvalidInputError,
    Involvement,
    ItemKind,
    LlmCall,
    NotFoundError,
    SessionStore,
    Stage,
    Stakeholder,
    StakeholderInput,
    Stance,
    Status,
)

FULL_BRIEF = {
    "title": "Spring relaunch",
    "organisation": "Acme Co-op",
    "workshop_date": "2025-03-14",
    "facilitator": "Fatima Rahman",
    "participants": ["Ada Lovelace", "Grace Hopper", "Linus Pauling"],
    "priorities": ["Grow member sign-ups by 20%", "Cut churn in the first 90 days"],
    "marketing_today": "A monthly newsletter and a few events.\nNo paid media.",
    "challenges": "Sales does not trust marketing's leads.",
}

PEOPLE = [
    {
        "name": "Ada Lovelace",
        "role": "CFO",
        "team": "Finance",
        "notes": "Wants payback within a year.\nSkeptical of brand spend.",
        "influence": "high",
        "stance": "resistant",
        "involvement": "approves",
    },
    {
        "name": "Grace Hopper",
        "role": "Head of Sales",
        "team": "Sales",
        "notes": "Champion of the CRM rollout.",
        "influence": "medium",
        "stance": "supportive",
        "involvement": "executes",
    },
    {"name": "Linus Pauling"},
]

OUTCOME = {
    "result": "More members join online",
    "metric": "Monthly online sign-ups",
    "baseline": "400 a month",
    "target": "480 a month",
    "due": "Q3",
    "owner": "Grace Hopper",
    "priority": "Grow member sign-ups by 20%",
    "stakeholders": ["Grace Hopper"],
    "leading_indicators": ["Landing page conversion"],
}

SEGMENTATION = {
    "segment": "detractor",
    "rationale": "Controls the budget and doubts brand spend.",
    "motivations": ["Predictable payback"],
    "objections": ["Brand work cannot be measured"],
    "approach": "Show the sign-up funnel monthly.",
    "messages": ["Every campaign has a number attached"],
    "confidence": "medium",
}


def count(db_path, table: str, where: str = "", params: tuple = ()) -> int:
    """Count rows with a separate, plain sqlite3 connection: what is really on disk."""
    conn = sqlite3.connect(db_path)
    try:
        sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


# Round trips ---------------------------------------------------------------------------


def test_a_full_session_reads_back_equal_from_a_new_store(db_path):
    with SessionStore.open(db_path) as store:
        created = store.create_session(FULL_BRIEF, PEOPLE)

    with SessionStore.open(db_path) as reopened:
        record = reopened.load_session(created.id)

    session = record.session
    assert session == created
    assert session.brief == Brief.model_validate(FULL_BRIEF)
    assert session.workshop_date == date(2025, 3, 14)
    assert session.participants == ["Ada Lovelace", "Grace Hopper", "Linus Pauling"]
    assert session.priorities == FULL_BRIEF["priorities"]
    assert session.marketing_today == FULL_BRIEF["marketing_today"]
    assert session.stage is Stage.BRIEF
    assert session.archived is False
    assert session.parent_id is None
    assert session.id.startswith("ses_")
    assert session.created_at.endswith("Z")

    assert [s.name for s in record.stakeholders] == [p["name"] for p in PEOPLE]
    assert [s.position for s in record.stakeholders] == [0, 1, 2]
    ada = record.stakeholders[0]
    assert (
        ada.model_dump(include=set(StakeholderInput.model_fields))
        == StakeholderInput(**PEOPLE[0]).model_dump()
    )
    assert ada.influence is Influence.HIGH
    assert ada.stance is Stance.RESISTANT
    assert ada.involvement is Involvement.APPROVES
    linus = record.stakeholders[2]
    assert (linus.role, linus.notes, linus.influence, linus.stance) == ("", "", None, None)
    assert all(s.session_id == created.id for s in record.stakeholders)
    assert record.items == []


def test_a_session_can_be_created_from_pydantic_inputs(store):
    session = store.create_session(
        Brief(title="Typed"), [StakeholderInput(name="Ada", influence=Influence.LOW)]
    )
    people = store.stakeholders(session.id)
    assert [(p.name, p.influence) for p in people] == [("Ada", Influence.LOW)]


def test_a_minimal_brief_gets_empty_defaults(store):
    session = store.create_session({"title": "Just a title"})
    assert session.organisation == ""
    assert session.workshop_date is None
    assert session.participants == []
    assert session.priorities == []


def test_a_child_session_remembers_its_parent(store):
    parent = store.create_session({"title": "2024 workshop"})
    child = store.create_session({"title": "2025 workshop"}, parent_id=parent.id)
    assert child.parent_id == parent.id


def test_a_child_session_of_an_unknown_parent_is_refused(store, db_path):
    with pytest.raises(NotFoundError, match="ses_missing"):
        store.create_session({"title": "Orphan"}, parent_id="ses_missing")
    assert count(db_path, "sessions") == 0


def test_get_session_of_an_unknown_id_is_not_found(store):
    with pytest.raises(NotFoundError, match="ses_nope"):
        store.get_session("ses_nope")
    with pytest.raises(NotFoundError):
        store.load_session("ses_nope")


def test_update_brief_replaces_the_brief_and_survives_reopening(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session(FULL_BRIEF)
        changed = dict(FULL_BRIEF, title="Autumn relaunch", workshop_date=None, participants=[])
        updated = store.update_brief(session.id, changed)
        assert updated.title == "Autumn relaunch"
        assert updated.updated_at >= session.updated_at
        assert updated.created_at == session.created_at

    with SessionStore.open(db_path) as store:
        again = store.get_session(session.id)
    assert again.brief == Brief.model_validate(changed)
    assert again.workshop_date is None
    assert again.participants == []


def test_update_brief_refuses_an_invalid_brief_and_keeps_the_old_one(store):
    session = store.create_session(FULL_BRIEF)
    with pytest.raises(InvalidInputError, match="title"):
        store.update_brief(session.id, dict(FULL_BRIEF, title="   "))
    assert store.get_session(session.id).title == "Spring relaunch"


def test_update_brief_of_an_unknown_session_is_not_found(store):
    with pytest.raises(NotFoundError):
        store.update_brief("ses_nope", {"title": "x"})


def test_set_stage_moves_the_session_and_logs_an_event(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Stages"})
        assert store.set_stage(session.id, Stage.STAKEHOLDERS).stage is Stage.STAKEHOLDERS
        assert store.set_stage(session.id, "plan").stage is Stage.PLAN

    with SessionStore.open(db_path) as store:
        assert store.get_session(session.id).stage is Stage.PLAN
        changes = [e.detail for e in store.events(session.id) if e.kind == "stage_changed"]
    assert changes == [
        {"from": "brief", "to": "stakeholders"},
        {"from": "stakeholders", "to": "plan"},
    ]


def test_set_stage_refuses_an_unknown_stage_with_a_clear_message(store):
    session = store.create_session({"title": "Stages"})
    with pytest.raises(InvalidInputError) as caught:
        store.set_stage(session.id, "lunch")
    message = str(caught.value)
    assert "lunch" in message
    for stage in Stage:
        assert stage.value in message
    assert store.get_session(session.id).stage is Stage.BRIEF
    assert [e.kind for e in store.events(session.id)] == ["session_created"]


def test_archive_and_unarchive(store):
    session = store.create_session({"title": "Old"})
    assert store.set_archived(session.id, True).archived is True
    assert store.get_session(session.id).archived is True
    assert store.set_archived(session.id, False).archived is False
    kinds = [e.kind for e in store.events(session.id)]
    assert kinds == ["session_created", "archived", "unarchived"]


def test_delete_removes_the_session_and_everything_hanging_from_it(store, db_path):
    doomed = store.create_session(FULL_BRIEF, PEOPLE)
    kept = store.create_session({"title": "Kept"}, [{"name": "Someone"}])
    ada = store.stakeholders(doomed.id)[0]
    call_id = store.record_llm_call(LlmCall(session_id=doomed.id, purpose="draft", model="m"))
    item = store.create_item(
        doomed.id, ItemKind.SEGMENTATION, SEGMENTATION, "model", "model", ada.id, call_id
    )
    store.approve_item(item.id, by="Fatima")
    store.create_item(doomed.id, ItemKind.OUTCOME, OUTCOME, "person", "Fatima")
    store.set_stage(doomed.id, "outcomes")
    kept_item = store.create_item(kept.id, ItemKind.OUTCOME, OUTCOME, "person", "Fatima")

    assert count(db_path, "stakeholders", "session_id=?", (doomed.id,)) == 3
    assert count(db_path, "items", "session_id=?", (doomed.id,)) == 2
    assert count(db_path, "revisions") == 4
    assert count(db_path, "events", "session_id=?", (doomed.id,)) >= 3

    store.delete_session(doomed.id)

    with pytest.raises(NotFoundError):
        store.get_session(doomed.id)
    assert count(db_path, "sessions", "id=?", (doomed.id,)) == 0
    assert count(db_path, "stakeholders", "session_id=?", (doomed.id,)) == 0
    assert count(db_path, "items", "session_id=?", (doomed.id,)) == 0
    assert count(db_path, "events", "session_id=?", (doomed.id,)) == 0
    assert count(db_path, "llm_calls", "session_id=?", (doomed.id,)) == 0
    # Only the kept session's item still has history.
    assert count(db_path, "revisions") == 1
    assert count(db_path, "revisions", "item_id=?", (kept_item.id,)) == 1
    assert [s.id for s in store.list_sessions()] == [kept.id]
    assert store.load_session(kept.id).stakeholders[0].name == "Someone"


def test_deleting_an_unknown_session_is_not_found(store):
    with pytest.raises(NotFoundError):
        store.delete_session("ses_nope")


def test_deleting_a_parent_keeps_the_child(store):
    parent = store.create_session({"title": "Parent"})
    child = store.create_session({"title": "Child"}, parent_id=parent.id)
    store.delete_session(parent.id)
    assert store.get_session(child.id).parent_id is None


# The session list ----------------------------------------------------------------------


def test_list_sessions_newest_first_with_paging(store):
    ids = [store.create_session({"title": f"Session {n}"}).id for n in range(7)]
    newest_first = list(reversed(ids))

    assert [s.id for s in store.list_sessions()] == newest_first
    assert [s.id for s in store.list_sessions(limit=3)] == newest_first[:3]
    assert [s.id for s in store.list_sessions(limit=3, offset=3)] == newest_first[3:6]
    assert [s.id for s in store.list_sessions(limit=3, offset=6)] == newest_first[6:]
    assert store.list_sessions(limit=3, offset=7) == []
    assert store.count_sessions() == 7


def test_list_sessions_shows_the_counts_of_each_session(store):
    busy = store.create_session(FULL_BRIEF, PEOPLE)
    quiet = store.create_session({"title": "Quiet"})
    ada = store.stakeholders(busy.id)[0]
    approved = store.create_item(busy.id, "segmentation", SEGMENTATION, "model", "m", ada.id)
    store.approve_item(approved.id, by="Fatima")
    store.create_item(busy.id, "outcome", OUTCOME, "person", "Fatima")
    store.create_item(busy.id, "outcome", OUTCOME, "model", "m")
    rejected = store.create_item(busy.id, "outcome", OUTCOME, "model", "m")
    store.reject_item(rejected.id, by="Fatima")

    rows = {s.id: s for s in store.list_sessions()}
    assert (rows[busy.id].stakeholders, rows[busy.id].approved, rows[busy.id].open) == (3, 1, 2)
    assert (rows[quiet.id].stakeholders, rows[quiet.id].approved, rows[quiet.id].open) == (
        0,
        0,
        0,
    )
    summary = rows[busy.id]
    assert summary.title == "Spring relaunch"
    assert summary.organisation == "Acme Co-op"
    assert summary.workshop_date == date(2025, 3, 14)
    assert summary.stage is Stage.BRIEF


def test_archived_sessions_are_hidden_unless_asked_for(store):
    live = store.create_session({"title": "Live"})
    old = store.create_session({"title": "Old"})
    store.set_archived(old.id, True)

    assert [s.id for s in store.list_sessions()] == [live.id]
    listed = store.list_sessions(include_archived=True)
    assert [s.id for s in listed] == [old.id, live.id]
    assert [s.archived for s in listed] == [True, False]
    assert store.count_sessions() == 1
    assert store.count_sessions(include_archived=True) == 2

    store.set_archived(old.id, False)
    assert store.count_sessions() == 2


def test_an_empty_store_lists_nothing(store):
    assert store.list_sessions() == []
    assert store.count_sessions() == 0
    assert store.count_sessions(include_archived=True) == 0


# Resolving ids as people type them -----------------------------------------------------


def test_resolve_session_id_accepts_a_full_id_or_a_unique_prefix(store):
    session = store.create_session({"title": "One"})
    assert store.resolve_session_id(session.id) == session.id
    assert store.resolve_session_id(f"  {session.id}  ") == session.id
    assert store.resolve_session_id(session.id[:8]) == session.id


def insert_session_with_id(db_path, session_id: str, title: str) -> None:
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "INSERT INTO sessions (id, title, created_at, updated_at) VALUES (?,?,?,?)",
            [session_id, title, "2025-01-01T00:00:00.000000Z", "2025-01-01T00:00:00.000000Z"],
        )
    conn.close()


def test_resolve_session_id_refuses_an_ambiguous_prefix(store, db_path):
    insert_session_with_id(db_path, "ses_abc111111111", "First")
    insert_session_with_id(db_path, "ses_abc222222222", "Second")

    with pytest.raises(NotFoundError, match="several"):
        store.resolve_session_id("ses_abc")
    assert store.resolve_session_id("ses_abc1") == "ses_abc111111111"
    assert store.resolve_session_id("ses_abc222222222") == "ses_abc222222222"


def test_resolve_session_id_of_an_unknown_id_is_not_found(store):
    store.create_session({"title": "One"})
    for text in ["ses_ffffffffffff", "nothing", "", "   ", "%", "_", "ses\\"]:
        with pytest.raises(NotFoundError):
            store.resolve_session_id(text)


def test_resolve_session_id_treats_like_wildcards_literally(store, db_path):
    insert_session_with_id(db_path, "ses_a%b", "Percent")
    insert_session_with_id(db_path, "ses_axb", "Plain")
    assert store.resolve_session_id("ses_a%") == "ses_a%b"
    with pytest.raises(NotFoundError):
        store.resolve_session_id("ses_a_")


# Stakeholders --------------------------------------------------------------------------


def names(store: SessionStore, session_id: str) -> list[str]:
    return [s.name for s in store.stakeholders(session_id)]


def test_add_one_stakeholder_appends_it_and_survives_reopening(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "People"}, [{"name": "Ada"}])
        added = store.add_stakeholder(
            session.id, {"name": "Grace", "role": "CTO", "influence": "high"}
        )
    assert isinstance(added, Stakeholder)
    assert added.position == 1
    with SessionStore.open(db_path) as store:
        assert store.get_stakeholder(added.id) == added
        assert names(store, session.id) == ["Ada", "Grace"]


def test_add_many_stakeholders_at_once(store):
    session = store.create_session({"title": "People"})
    added = store.add_stakeholders(session.id, [{"name": "Ada"}, {"name": "Grace"}])
    assert [s.name for s in added] == ["Ada", "Grace"]
    assert names(store, session.id) == ["Ada", "Grace"]


def test_add_many_stakeholders_is_all_or_nothing(store, db_path):
    session = store.create_session({"title": "People"}, [{"name": "Ada"}])
    with pytest.raises(InvalidInputError, match="name"):
        store.add_stakeholders(session.id, [{"name": "Grace"}, {"name": "  "}, {"name": "Linus"}])
    with pytest.raises(InvalidInputError, match="influence"):
        store.add_stakeholders(session.id, [{"name": "Grace"}, {"name": "X", "influence": "huge"}])
    assert names(store, session.id) == ["Ada"]
    assert count(db_path, "stakeholders") == 1


def test_adding_a_stakeholder_to_an_unknown_session_is_not_found(store):
    with pytest.raises(NotFoundError):
        store.add_stakeholder("ses_nope", {"name": "Ada"})


@pytest.mark.parametrize(
    "clash", ["Ada Lovelace", "ada lovelace", "  ADA   lovelace ", "Ada\tLovelace"]
)
def test_duplicate_names_are_refused_when_adding_one(store, clash):
    session = store.create_session({"title": "People"}, [{"name": "Ada Lovelace"}])
    with pytest.raises(DuplicateNameError, match="already in this session"):
        store.add_stakeholder(session.id, {"name": clash})
    assert names(store, session.id) == ["Ada Lovelace"]


def test_duplicate_names_are_refused_in_a_bulk_add(store):
    session = store.create_session({"title": "People"}, [{"name": "Ada"}])
    with pytest.raises(DuplicateNameError, match="listed twice"):
        store.add_stakeholders(session.id, [{"name": "Grace"}, {"name": "grace "}])
    with pytest.raises(DuplicateNameError, match="already in this session"):
        store.add_stakeholders(session.id, [{"name": "Grace"}, {"name": "ADA"}])
    assert names(store, session.id) == ["Ada"]


def test_duplicate_names_are_refused_when_renaming(store):
    session = store.create_session({"title": "People"}, [{"name": "Ada"}, {"name": "Grace"}])
    grace = store.stakeholders(session.id)[1]
    with pytest.raises(DuplicateNameError):
        store.update_stakeholder(grace.id, name=" ada ")
    assert store.get_stakeholder(grace.id).name == "Grace"
    # Renaming to a different spelling of one's own name is fine.
    assert store.update_stakeholder(grace.id, name="GRACE").name == "GRACE"


def test_duplicate_names_are_refused_when_creating_a_session(store):
    with pytest.raises(DuplicateNameError, match="listed twice"):
        store.create_session({"title": "People"}, [{"name": "Ada"}, {"name": "ADA"}])
    assert store.count_sessions() == 0


def test_a_duplicate_is_a_kind_of_invalid_input(store):
    session = store.create_session({"title": "People"}, [{"name": "Ada"}])
    with pytest.raises(InvalidInputError):
        store.add_stakeholder(session.id, {"name": "ada"})


def test_update_stakeholder_changes_only_what_is_given(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "People"}, [PEOPLE[0]])
        ada = store.stakeholders(session.id)[0]
        updated = store.update_stakeholder(ada.id, role="CEO", stance="neutral")
    with SessionStore.open(db_path) as store:
        again = store.get_stakeholder(ada.id)
    assert again == updated
    assert (again.role, again.stance) == ("CEO", Stance.NEUTRAL)
    assert (again.name, again.team, again.notes) == (ada.name, ada.team, ada.notes)
    assert again.influence is Influence.HIGH
    assert again.created_at == ada.created_at


def test_update_stakeholder_refuses_invalid_changes(store):
    session = store.create_session({"title": "People"}, [{"name": "Ada"}])
    ada = store.stakeholders(session.id)[0]
    with pytest.raises(InvalidInputError, match="stance"):
        store.update_stakeholder(ada.id, stance="furious")
    with pytest.raises(InvalidInputError, match="favourite_colour"):
        store.update_stakeholder(ada.id, favourite_colour="blue")
    with pytest.raises(NotFoundError):
        store.update_stakeholder("stk_nope", name="X")
    assert store.get_stakeholder(ada.id).stance is None


def test_changing_notes_marks_that_stakeholders_model_drafts_stale(store):
    session = store.create_session({"title": "People"}, [{"name": "Ada"}, {"name": "Grace"}])
    ada, grace = store.stakeholders(session.id)
    ada_draft = store.create_item(session.id, "segmentation", SEGMENTATION, "model", "m", ada.id)
    grace_draft = store.create_item(
        session.id, "segmentation", SEGMENTATION, "model", "m", grace.id
    )
    ada_own = store.create_item(session.id, "segmentation", SEGMENTATION, "person", "F", ada.id)

    store.update_stakeholder(ada.id, notes="Now supportive after the Q1 results.")

    assert store.get_item(ada_draft.id).stale is True
    assert store.get_item(grace_draft.id).stale is False
    assert store.get_item(ada_own.id).stale is False  # a person's own text is not a draft


def test_an_update_that_changes_nothing_does_not_stale_drafts(store):
    session = store.create_session({"title": "People"}, [{"name": "Ada", "notes": "Busy"}])
    ada = store.stakeholders(session.id)[0]
    draft = store.create_item(session.id, "segmentation", SEGMENTATION, "model", "m", ada.id)
    store.update_stakeholder(ada.id, notes="Busy")
    assert store.get_item(draft.id).stale is False


def test_remove_stakeholder(store, db_path):
    session = store.create_session({"title": "People"}, PEOPLE)
    grace = store.stakeholders(session.id)[1]
    store.create_item(session.id, "segmentation", SEGMENTATION, "model", "m", grace.id)

    store.remove_stakeholder(grace.id)

    assert names(store, session.id) == ["Ada Lovelace", "Linus Pauling"]
    with pytest.raises(NotFoundError):
        store.get_stakeholder(grace.id)
    assert count(db_path, "items", "stakeholder_id=?", (grace.id,)) == 0
    removed = [e.detail for e in store.events(session.id) if e.kind == "stakeholder_removed"]
    assert removed == [{"name": "Grace Hopper"}]
    # The name is free again.
    store.add_stakeholder(session.id, {"name": "Grace Hopper"})
    with pytest.raises(NotFoundError):
        store.remove_stakeholder(grace.id)


def test_a_removed_stakeholder_comes_back_with_drafts_and_history(store, db_path):
    session = store.create_session({"title": "People"}, PEOPLE)
    grace = store.stakeholders(session.id)[1]
    item = store.create_item(session.id, "segmentation", SEGMENTATION, "model", "m", grace.id)
    store.edit_item(item.id, SEGMENTATION | {"rationale": "Edited in the room."}, "Dana")
    store.approve_item(item.id, "Dana")
    before = store.load_session(session.id)

    removed = store.remove_stakeholder(grace.id)
    back = store.restore_stakeholder(removed)

    after = store.load_session(session.id)
    assert back == grace
    assert names(store, session.id) == ["Ada Lovelace", "Grace Hopper", "Linus Pauling"]
    assert after.items == before.items  # approved, edited, the same version
    assert [r.number for r in store.revisions(item.id)] == [1, 2, 3]
    kinds = [e.kind for e in store.events(session.id)]
    assert kinds[-2:] == ["stakeholder_removed", "stakeholder_restored"]


def test_a_removed_stakeholder_is_not_restored_over_a_newcomer_of_that_name(store):
    session = store.create_session({"title": "People"}, PEOPLE)
    grace = store.stakeholders(session.id)[1]
    removed = store.remove_stakeholder(grace.id)
    store.add_stakeholder(session.id, {"name": "grace  hopper"})
    with pytest.raises(InvalidInputError, match="Grace Hopper"):
        store.restore_stakeholder(removed)
    assert names(store, session.id) == ["Ada Lovelace", "Linus Pauling", "grace hopper"]


def test_reorder_stakeholders(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "People"}, PEOPLE)
        ada, grace, linus = store.stakeholders(session.id)
        store.reorder_stakeholders(session.id, [linus.id, ada.id, grace.id])
    with SessionStore.open(db_path) as store:
        assert names(store, session.id) == ["Linus Pauling", "Ada Lovelace", "Grace Hopper"]
        # New people go at the end.
        store.add_stakeholder(session.id, {"name": "Marie Curie"})
        assert names(store, session.id)[-1] == "Marie Curie"


@pytest.mark.parametrize(
    "order",
    [
        pytest.param([0, 1], id="missing one"),
        pytest.param([0, 1, 2, 2], id="one twice"),
        pytest.param([0, 0, 1], id="duplicate instead of one"),
        pytest.param([0, 1, "stk_other"], id="stranger"),
        pytest.param([], id="nobody"),
    ],
)
def test_reorder_must_list_everyone_exactly_once(store, order):
    session = store.create_session({"title": "People"}, PEOPLE)
    ids = [s.id for s in store.stakeholders(session.id)]
    wanted = [ids[n] if isinstance(n, int) else n for n in order]
    with pytest.raises(InvalidInputError, match="exactly once"):
        store.reorder_stakeholders(session.id, wanted)
    assert names(store, session.id) == [p["name"] for p in PEOPLE]


def test_move_stakeholder_up_and_down_stops_at_the_ends(store):
    session = store.create_session({"title": "People"}, PEOPLE)
    ada, grace, linus = store.stakeholders(session.id)

    store.move_stakeholder(linus.id, -1)
    assert names(store, session.id) == ["Ada Lovelace", "Linus Pauling", "Grace Hopper"]
    store.move_stakeholder(ada.id, +1)
    assert names(store, session.id) == ["Linus Pauling", "Ada Lovelace", "Grace Hopper"]
    store.move_stakeholder(ada.id, -5)
    assert names(store, session.id) == ["Ada Lovelace", "Linus Pauling", "Grace Hopper"]
    store.move_stakeholder(ada.id, +99)
    assert names(store, session.id) == ["Linus Pauling", "Grace Hopper", "Ada Lovelace"]
    store.move_stakeholder(ada.id, +1)
    assert names(store, session.id) == ["Linus Pauling", "Grace Hopper", "Ada Lovelace"]
    assert [s.position for s in store.stakeholders(session.id)] == [0, 1, 2]


def test_stakeholder_changes_touch_the_session(store):
    session = store.create_session({"title": "People"})
    store.add_stakeholder(session.id, {"name": "Ada"})
    assert store.get_session(session.id).updated_at > session.updated_at


def test_brief_and_stakeholder_text_are_kept_per_session(store):
    one = store.create_session({"title": "One"}, [{"name": "Ada"}])
    two = store.create_session({"title": "Two"}, [{"name": "Ada"}])  # same name, other session
    assert names(store, one.id) == ["Ada"]
    assert names(store, two.id) == ["Ada"]
    assert store.load_session(one.id).stakeholders[0].id != store.stakeholders(two.id)[0].id


def test_a_new_draft_is_open(store):
    session = store.create_session({"title": "One"})
    item = store.create_item(session.id, "outcome", OUTCOME, "person", "F")
    assert item.status is Status.DRAFT
    assert store.list_sessions()[0].open == 1
