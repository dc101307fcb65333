"""Review from the shell through the real `workshop` command: show --json, approve, reject,
brief --set and person, checked by what a user sees and what the database then holds."""

from __future__ import annotations

import json

import pytest
from support.factory import ASSIGNMENT, make_session
from support.history_helpers import run
from support.tui_helpers import SAMPLE_OUTCOME

from sessions import SessionStore

FACILITATOR = "Priya Raman"
BRIEF = {"title": "Q3 strategy", "organisation": "Acme", "facilitator": FACILITATOR}
PEOPLE = [
    {"name": "Dana Reyes", "role": "CMO", "team": "Marketing", "influence": "high"},
    {"name": "Tom Okafor", "role": "VP Sales", "team": "Sales"},
]
# An activity with nothing measurable about it: every check but the priority fails.
ACTIVITY = {
    "result": "Publish twelve blog posts",
    "metric": "",
    "baseline": None,
    "target": None,
    "due": None,
    "owner": "",
    "priority": "Grow EU pipeline",
    "stakeholders": [],
    "leading_indicators": [],
}


@pytest.fixture
def session(db_path):
    """A session with two people, Dana's segmentation draft and two outcome drafts."""
    session_id = make_session(db_path, people=PEOPLE, brief=BRIEF)
    with SessionStore.open(db_path) as store:
        dana = store.stakeholders(session_id)[0]
        items = {
            "dana": store.create_item(
                session_id,
                "segmentation",
                ASSIGNMENT | {"segment": "champion"},
                "model",
                "model",
                stakeholder_id=dana.id,
            ).id,
            "good": store.create_item(session_id, "outcome", SAMPLE_OUTCOME, "person", "Lee").id,
            "activity": store.create_item(session_id, "outcome", ACTIVITY, "model", "model").id,
        }
    return session_id, items


def item(db_path, item_id):
    with SessionStore.open(db_path) as store:
        return store.get_item(item_id)


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# show --json -------------------------------------------------------------------------


def test_show_json_gives_every_id_the_database_holds(db_path, session):
    session_id, items = session

    shown = json.loads(run("show", session_id[:8], "--json", db=db_path).stdout)

    with SessionStore.open(db_path) as store:
        record = store.load_session(session_id)
    assert shown["id"] == session_id
    assert shown["brief"]["facilitator"] == FACILITATOR
    assert [(p["id"], p["name"]) for p in shown["stakeholders"]] == [
        (p.id, p.name) for p in record.stakeholders
    ]
    assert shown["stakeholders"][0]["influence"] == "high"
    by_id = {i["id"]: i for i in shown["items"]}
    assert set(by_id) == set(items.values())
    dana = by_id[items["dana"]]
    assert dana["kind"] == "segmentation" and dana["status"] == "draft"
    assert dana["origin"] == "model" and dana["stakeholder_id"] == record.stakeholders[0].id
    assert dana["body"]["segment"] == "champion" and dana["version"] == 1
    assert dana["approved_by"] is None and dana["approved_at"] is None
    assert "approved_hash" not in dana and "llm_calls" not in shown

    # the ids it gives are the ones the other commands take
    run("approve", session_id, shown["items"][0]["id"], db=db_path)


def test_plain_show_is_unchanged_text(db_path, session):
    session_id, _ = session
    shown = run("show", session_id, db=db_path).stdout
    assert shown.startswith("Q3 strategy\n")
    assert "  - Dana Reyes (CMO, Marketing)  influence=high" in shown


# approve and reject ------------------------------------------------------------------


def test_approve_by_the_start_of_an_id_records_the_facilitator(db_path, session):
    session_id, items = session

    result = run("approve", session_id, items["dana"][:9], db=db_path)

    assert one_line(result) == (
        f"Approved {items['dana']} (segmentation of Dana Reyes) as {FACILITATOR}."
    )
    assert result.stdout == ""
    approved = item(db_path, items["dana"])
    assert approved.status.value == "approved"
    assert approved.approved_by == FACILITATOR and approved.approved_at


def test_approving_again_says_so_and_changes_nothing(db_path, session):
    session_id, items = session
    run("approve", session_id, items["good"], db=db_path)
    version = item(db_path, items["good"]).version

    again = run("approve", session_id, items["good"], db=db_path)

    assert "is already approved, by Priya Raman" in one_line(again)
    assert item(db_path, items["good"]).version == version


def test_an_outcome_failing_its_checks_is_approved_with_a_warning(db_path, session):
    session_id, items = session

    result = run("approve", session_id, items["activity"], db=db_path)

    warning, done = result.stderr.strip().splitlines()
    assert warning.startswith(f"warning: {items['activity']} fails its checks: ")
    assert "Has a baseline" in warning and "Has a target" in warning
    assert "Is a result, not an activity" in warning and warning.endswith("(approved anyway).")
    assert done.startswith(f'Approved {items["activity"]} (outcome "Publish twelve blog posts")')
    assert item(db_path, items["activity"]).status.value == "approved"


def test_an_outcome_passing_its_checks_is_approved_without_a_warning(db_path, session):
    session_id, items = session
    result = run("approve", session_id, items["good"], db=db_path)
    assert one_line(result).startswith(f"Approved {items['good']} (outcome ")


def test_reject_with_a_note_keeps_the_note_in_the_history(db_path, session):
    session_id, items = session

    result = run("reject", session_id, items["activity"][:10], "--note", "an activity", db=db_path)

    assert (
        one_line(result) == f'Rejected {items["activity"]} (outcome "Publish twelve blog posts").'
    )
    with SessionStore.open(db_path) as store:
        assert store.get_item(items["activity"]).status.value == "rejected"
        last = store.revisions(items["activity"])[-1]
    assert (last.note, last.author) == ("an activity", FACILITATOR)
    again = run("reject", session_id, items["activity"], db=db_path)
    assert "is already rejected; nothing changed." in one_line(again)


@pytest.mark.parametrize("command", ["approve", "reject"])
def test_an_ambiguous_start_or_an_unknown_id_is_refused_in_one_line(db_path, session, command):
    session_id, items = session

    ambiguous = run(command, session_id, "itm_", db=db_path, check=False)
    unknown = run(command, session_id, "itm_nothing", db=db_path, check=False)

    assert ambiguous.returncode == 1
    assert one_line(ambiguous) == "workshop: 'itm_' matches 3 items; give more of the id."
    assert unknown.returncode == 1
    assert one_line(unknown).startswith("workshop: No item with id 'itm_nothing' in this session")
    assert {item(db_path, i).status.value for i in items.values()} == {"draft"}


def test_an_item_of_another_session_is_not_found_in_this_one(db_path, session):
    session_id, items = session
    other = make_session(db_path, count=1)

    result = run("approve", other, items["good"], db=db_path, check=False)

    assert result.returncode == 1
    assert "No item with id" in one_line(result)
    assert item(db_path, items["good"]).status.value == "draft"


# brief --set -------------------------------------------------------------------------


def test_brief_set_changes_the_fields_given_and_lists_take_semicolons(db_path, session):
    session_id, _ = session

    result = run(
        "brief",
        session_id,
        "--set",
        "participants=Priya Raman; Tom Okafor ;",
        "--set",
        "priorities=Grow EU pipeline;Lift win rate",
        "--set",
        "workshop_date=2026-04-02",
        "--set",
        "challenges=Leads = noise",
        db=db_path,
    )

    assert one_line(result) == (
        f"Updated the brief of {session_id}: workshop_date, participants, priorities, challenges."
    )
    with SessionStore.open(db_path) as store:
        brief = store.get_session(session_id).brief
    assert brief.participants == ["Priya Raman", "Tom Okafor"]
    assert brief.priorities == ["Grow EU pipeline", "Lift win rate"]
    assert brief.workshop_date.isoformat() == "2026-04-02"
    assert brief.challenges == "Leads = noise"
    assert (brief.title, brief.organisation) == ("Q3 strategy", "Acme")


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        (
            "colour=red",
            "workshop: Unknown brief field 'colour'; the fields are: title, organisation,",
        ),
        (
            "workshop_date=tomorrow",
            "workshop: workshop_date: 'tomorrow' is not a day; give it as YYYY-MM-DD",
        ),
        ("title=", "workshop: title: must not be empty; nothing was changed"),
        ("title", "workshop: --set takes FIELD=VALUE, not 'title'; the fields are: title,"),
    ],
    ids=["unknown-field", "bad-date", "empty-title", "no-equals"],
)
def test_a_bad_brief_set_changes_nothing_at_all(db_path, session, setting, says):
    session_id, _ = session
    with SessionStore.open(db_path) as store:
        before = store.get_session(session_id)

    result = run(
        "brief",
        session_id,
        "--set",
        "organisation=Globex",
        "--set",
        setting,
        db=db_path,
        check=False,
    )

    assert result.returncode == 1
    assert one_line(result).startswith(says)
    with SessionStore.open(db_path) as store:
        assert store.get_session(session_id) == before


# person ------------------------------------------------------------------------------


def test_person_adds_someone_new_with_their_attributes(db_path, session):
    session_id, _ = session

    result = run(
        "person", session_id, "Lena Fischer", "--role", "PMM lead", "--stance", "Supportive",
        "--involvement", "executes", db=db_path,
    )  # fmt: skip

    assert one_line(result).startswith("Added Lena Fischer (stk_")
    with SessionStore.open(db_path) as store:
        people = store.stakeholders(session_id)
    assert [p.name for p in people] == ["Dana Reyes", "Tom Okafor", "Lena Fischer"]
    lena = people[-1]
    assert (lena.role, lena.stance.value, lena.involvement.value) == (
        "PMM lead",
        "supportive",
        "executes",
    )


def test_person_updates_the_one_named_in_any_case_and_leaves_the_rest(db_path, session):
    session_id, _ = session

    result = run(
        "person", session_id, "dana REYES", "--stance", "resistant", "--influence", "", db=db_path
    )

    line = one_line(result)
    assert line.startswith("Updated Dana Reyes (stk_")
    assert line.endswith(": influence cleared, stance resistant.")
    with SessionStore.open(db_path) as store:
        people = store.stakeholders(session_id)
    assert len(people) == 2
    dana = people[0]
    assert (dana.name, dana.role, dana.team) == ("Dana Reyes", "CMO", "Marketing")
    assert dana.stance.value == "resistant" and dana.influence is None


def test_person_with_nothing_new_says_nothing_changed(db_path, session):
    session_id, _ = session
    result = run("person", session_id, "Tom Okafor", "--role", "VP Sales", db=db_path)
    assert one_line(result).endswith("already has that; nothing changed.")


@pytest.mark.parametrize(
    ("option", "value", "allowed"),
    [
        ("--influence", "huge", "high, medium, low"),
        ("--stance", "hostile", "supportive, neutral, resistant"),
        ("--involvement", "owns", "approves, executes, advises, none"),
    ],
)
def test_a_bad_attribute_value_is_refused_and_nothing_changes(
    db_path, session, option, value, allowed
):
    session_id, _ = session
    with SessionStore.open(db_path) as store:
        before = store.stakeholders(session_id)

    update = run("person", session_id, "Dana Reyes", "--role", "CEO", option, value, db=db_path,
                 check=False)  # fmt: skip
    add = run("person", session_id, "Lena Fischer", option, value, db=db_path, check=False)

    for result in (update, add):
        assert result.returncode == 1
        assert one_line(result) == (
            f"workshop: {option[2:]}: {value!r} is not one of {allowed} "
            "(or nothing, to clear it); nothing was changed."
        )
    with SessionStore.open(db_path) as store:
        assert store.stakeholders(session_id) == before
