"""Follow-up sessions: next quarter starts from the last approved strategy (real SQLite)."""

from __future__ import annotations

import pytest
from support.history_helpers import BRIEF, BY, PEOPLE, build_quarter, run

from sessions import InvalidInputError, ItemKind, NotFoundError, SessionStore, Status
from workshop.service.facade import WorkshopService


@pytest.fixture
def quarter(store):
    return build_quarter(store)


def test_follow_up_carries_brief_people_and_the_parent_link(store, quarter):
    parent = store.get_session(quarter.session_id)
    child = store.follow_up(quarter.session_id, by=BY)

    assert child.parent_id == parent.id
    assert child.id != parent.id
    assert child.title == "Q2 strategy (follow-up)"
    assert child.workshop_date is None  # a new workshop gets its own date
    assert child.stage.value == "brief"
    for field in ("organisation", "facilitator", "participants", "priorities"):
        assert getattr(child, field) == getattr(parent, field)
    assert child.marketing_today == BRIEF["marketing_today"]
    assert child.challenges == BRIEF["challenges"]

    before = store.stakeholders(parent.id)
    after = store.stakeholders(child.id)
    assert [p.name for p in after] == [p["name"] for p in PEOPLE]
    for old, new in zip(before, after, strict=True):
        assert new.id != old.id and new.session_id == child.id
        assert new.model_dump(include={"name", "role", "team", "notes", "influence"}) == (
            old.model_dump(include={"name", "role", "team", "notes", "influence"})
        )
        assert (new.stance, new.involvement, new.position) == (
            old.stance,
            old.involvement,
            old.position,
        )


def test_follow_up_carries_last_approved_segments_as_approved_items(store, quarter):
    child = store.follow_up(quarter.session_id, by=BY)
    record = store.load_session(child.id)
    names = {p.id: p.name for p in record.stakeholders}
    segments = {names[i.stakeholder_id]: i for i in record.items_of(ItemKind.SEGMENTATION)}
    # Lena only had a draft: nothing carried. Marta: her last approved one (champion).
    assert sorted(segments) == ["Marta Kowalski", "Omar Haddad", "Tom Okafor"]
    assert {n: i.body["segment"] for n, i in segments.items()} == {
        "Marta Kowalski": "champion",
        "Omar Haddad": "detractor",
        "Tom Okafor": "decision_maker",
    }
    original = store.get_item(quarter.items["marta_champion"])
    carried = segments["Marta Kowalski"]
    assert carried.status is Status.APPROVED
    assert carried.origin is original.origin
    assert carried.body == original.body
    assert (carried.approved_by, carried.approved_at, carried.approved_hash) == (
        original.approved_by,
        original.approved_at,
        original.approved_hash,
    )
    assert carried.version == 1 and not carried.stale
    history = store.revisions(carried.id)
    assert len(history) == 1
    assert history[0].note == f"carried forward from {quarter.session_id}"
    assert history[0].status is Status.APPROVED and history[0].author == BY


def test_follow_up_carries_approved_outcomes_and_cadence_not_this_quarters_work(store, quarter):
    child = store.follow_up(quarter.session_id, by=BY)
    record = store.load_session(child.id)
    outcomes = record.items_of(ItemKind.OUTCOME)
    assert [o.body["result"] for o in outcomes] == [
        "Grow qualified inbound pipeline in the EU",
        "Lift enterprise win rate",
        "Cut cost per lead",
        "Raise brand awareness in Germany",
    ]  # the draft about blog posts stays behind
    assert all(o.status is Status.APPROVED for o in outcomes)
    assert outcomes[0].body["target"] == "500 MQLs"
    assert [c.body["segment"] for c in record.items_of(ItemKind.CADENCE)] == ["champion"]
    for kind in (ItemKind.ANSWERS, ItemKind.PLAN_ENTRY, ItemKind.DISCUSSION_GUIDE):
        assert record.items_of(kind) == []
    assert store.stage_times(child.id)["brief"].planned_minutes == 30
    assert store.stage_times(child.id)["brief"].spent_seconds == 0
    assert store.usage(child.id)["calls"] == 0


def test_an_event_records_what_was_carried_and_the_parent_is_unchanged(store, quarter):
    before = store.dump_session(quarter.session_id)
    child = store.follow_up(quarter.session_id, by=BY)
    assert store.dump_session(quarter.session_id) == before

    events = store.events(child.id)
    assert [e.kind for e in events] == ["session_created", "carried_forward"]
    assert events[0].detail == {"parent_id": quarter.session_id}
    detail = events[1].detail
    assert detail["from"] == quarter.session_id and detail["by"] == BY
    new_people = {p.name: p.id for p in store.stakeholders(child.id)}
    assert detail["stakeholders"] == {
        quarter.people[name]: new_people[name] for name in quarter.people
    }
    assert detail["items"][quarter.outcomes["pipeline"]] in {
        i.id for i in store.load_session(child.id).items
    }
    links = store.carried_links(child.id, quarter.session_id)
    assert links[detail["items"][quarter.outcomes["cost"]]] == quarter.outcomes["cost"]
    assert len(links) == 8  # 3 segments, 4 outcomes, 1 cadence


def test_follow_up_of_a_follow_up_links_back_through_the_chain(store, quarter):
    q3 = store.follow_up(quarter.session_id, title="Q3 strategy", by=BY)
    q4 = store.follow_up(q3.id, title="Q4 strategy", by=BY)
    assert q4.parent_id == q3.id and q4.title == "Q4 strategy"
    links = store.carried_links(q4.id, quarter.session_id)
    assert sorted(links.values()) == sorted(store.carried_links(q3.id, quarter.session_id).values())
    assert store.carried_links(quarter.session_id, q4.id) == {}


def test_follow_up_refuses_bad_input_and_writes_nothing(store, quarter):
    with pytest.raises(InvalidInputError, match="title: must not be empty"):
        store.follow_up(quarter.session_id, title="  ", by=BY)
    with pytest.raises(InvalidInputError, match="who starts it"):
        store.follow_up(quarter.session_id, by=" ")
    with pytest.raises(NotFoundError):
        store.follow_up("ses_nope", by=BY)
    assert store.count_sessions() == 1


def test_a_long_title_still_fits(store):
    session = store.create_session({"title": "Q" * 200})
    child = store.follow_up(session.id, by=BY)
    assert len(child.title) == 200 and child.title.endswith("… (follow-up)")


def test_service_follow_up_records_the_facilitator(db_path):
    with WorkshopService.open(db_path) as service:
        quarter = build_quarter(service.store)
        child = service.history.follow_up(quarter.session_id[:9])
        assert child.parent_id == quarter.session_id
        item = service.sessions.load(child.id).items[0]
        assert service.items.revisions(item.id)[0].author == BY
        assert service.history.changes_since_parent(quarter.session_id) == []
        assert service.history.changes_since_parent(child.id) == []  # nothing changed yet


def test_followup_command_prints_the_new_id(db_path):
    with SessionStore.open(db_path) as store:
        quarter = build_quarter(store)
    result = run("followup", quarter.session_id, "--title", "Q3 strategy", db=db_path)
    child_id = result.stdout.strip()
    assert child_id.startswith("ses_") and child_id != quarter.session_id
    with SessionStore.open(db_path) as store:
        child = store.get_session(child_id)
        assert (child.title, child.parent_id) == ("Q3 strategy", quarter.session_id)
    shown = run("show", child_id, db=db_path).stdout
    assert f"Follows:      {quarter.session_id}" in shown

    missing = run("followup", "ses_nope", db=db_path, check=False)
    assert missing.returncode == 1
    assert missing.stderr.startswith("workshop: No session with id 'ses_nope'")


def test_the_export_of_a_follow_up_says_what_changed(db_path):
    with WorkshopService.open(db_path) as service:
        q = build_quarter(service.store)
        child = service.history.follow_up(q.session_id)
        record = service.sessions.load(child.id)
        names = {p.id: p.name for p in record.stakeholders}
        marta = next(
            i
            for i in record.items_of(ItemKind.SEGMENTATION)
            if names[i.stakeholder_id] == "Marta Kowalski"
        )
        moved = service.items.edit(marta.id, marta.body | {"segment": "detractor"}, BY)
        service.store.edit_item(
            moved.id,
            moved.body | {"rationale": "Lost the budget fight."},
            BY,
            note="Budget cut in Q3",
        )
        service.items.approve(moved.id, BY)
        text = service.export.markdown(child.id)
    assert "## What changed since Q2 strategy" in text
    section = text.split("## What changed since", 1)[1].split("\n## ", 1)[0]
    assert "Marta Kowalski" in section and "Detractor" in section
