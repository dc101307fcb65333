"""What changed between two sessions: compare_sessions, the service and `workshop diff`."""

from __future__ import annotations

import json
import random

import pytest
from support.history_helpers import (
    BY,
    EXPECTED_CHANGES,
    build_quarter,
    change_next_quarter,
    outcome,
    run,
    segmentation,
)

from sessions import SessionStore
from workshop.rules.compare import Change, compare_sessions, number_in, reason_from
from workshop.service.facade import WorkshopService


@pytest.fixture
def two_quarters(store):
    quarter = build_quarter(store)
    child = store.follow_up(quarter.session_id, by=BY)
    change_next_quarter(store, child.id)
    return quarter.session_id, child.id


def test_compare_finds_every_kind_of_change_with_reasons(db_path, two_quarters):
    q2, q3 = two_quarters
    with WorkshopService.open(db_path) as service:
        changes = service.history.compare(q2, q3)
        assert [c.sentence() for c in changes] == EXPECTED_CHANGES
        assert service.history.changes_since_parent(q3) == changes
        assert service.history.changes_since_parent(q2) == []
    lowered = next(c for c in changes if c.kind == "target_lowered")
    assert lowered == Change(
        "target_lowered",
        "Grow qualified inbound pipeline in the EU",
        "500 MQLs",
        "400 MQLs",
        "EU launch slipped to Q4",
    )
    moved = next(c for c in changes if c.kind == "segment_moved")
    assert (moved.subject, moved.before, moved.after) == ("Marta Kowalski", "Champion", "Detractor")
    # A carried outcome that was only reworded is matched through the carried-forward link.
    assert not any(c.kind == "outcome_added" and "DACH" in c.subject for c in changes)


def test_the_order_does_not_depend_on_the_order_items_come_in(store, two_quarters):
    q2, q3 = two_quarters
    a, b = store.load_session(q2), store.load_session(q3)
    links, notes = store.carried_links(q3, q2), store.revision_notes(q3)
    expected = compare_sessions(a, b, links=links, notes=notes)
    for seed in range(5):
        rng = random.Random(seed)
        shuffled_a = a.model_copy(update={"items": rng.sample(a.items, len(a.items))})
        shuffled_b = b.model_copy(
            update={
                "items": rng.sample(b.items, len(b.items)),
                "stakeholders": rng.sample(b.stakeholders, len(b.stakeholders)),
            }
        )
        assert compare_sessions(shuffled_a, shuffled_b, links=links, notes=notes) == expected


def test_without_links_outcomes_match_by_their_words(store, two_quarters):
    q2, q3 = two_quarters
    changes = compare_sessions(store.load_session(q2), store.load_session(q3))
    sentences = [c.sentence() for c in changes]
    # The reworded outcome cannot be told apart from a new one without the link.
    assert 'Outcome dropped: "Raise brand awareness in Germany".' in sentences
    assert 'New outcome: "Raise brand awareness in the DACH region".' in sentences
    # Matching by words ignores case, spacing and a final full stop; no reasons without notes.
    assert 'Target for "Lift enterprise win rate" raised from 25% to 30% (not approved yet).' in (
        sentences
    )
    assert not any("reason:" in s for s in sentences)


def test_any_two_sessions_compare_by_name_and_words(store):
    a = store.create_session({"title": "Spring", "priorities": ["Grow EU pipeline"]})
    b = store.create_session({"title": "Autumn", "priorities": ["grow  EU pipeline."]})
    store.add_stakeholders(a.id, [{"name": "Marta Kowalski"}, {"name": "Ann Lee"}])
    store.add_stakeholders(b.id, [{"name": "marta KOWALSKI"}, {"name": "Bo Chen"}])
    ma, mb = store.stakeholders(a.id)[0], store.stakeholders(b.id)[0]
    first = store.create_item(a.id, "segmentation", segmentation("champion"), "person", BY, ma.id)
    store.approve_item(first.id, BY)
    store.create_item(a.id, "segmentation", segmentation("influencer"), "person", BY, ma.id)
    store.create_item(b.id, "segmentation", segmentation("influencer"), "person", BY, mb.id)
    body = outcome("More demos. ", "40 demos")
    item = store.create_item(a.id, "outcome", body, "person", BY)
    store.approve_item(item.id, BY)
    store.create_item(b.id, "outcome", dict(body, result="more demos", target="40"), "person", BY)

    sentences = [c.sentence() for c in compare_sessions(*map(store.load_session, (a.id, b.id)))]
    assert sentences == [
        "Bo Chen joined the stakeholders.",
        "Ann Lee is no longer among the stakeholders.",
        # A's approved assignment (champion), not its newer draft, against B's draft.
        "marta KOWALSKI moved from Champion to Influencer (not approved yet).",
        'Target for "more demos" changed from 40 demos to 40 (not approved yet).',
    ]


def test_segments_given_and_taken_away(store):
    a = store.create_session({"title": "A"})
    store.add_stakeholders(a.id, [{"name": "Ann"}, {"name": "Bo"}])
    ann, bo = store.stakeholders(a.id)
    item = store.create_item(a.id, "segmentation", segmentation("champion"), "person", BY, ann.id)
    store.approve_item(item.id, BY)
    b = store.follow_up(a.id, by=BY)
    ann_b, bo_b = store.stakeholders(b.id)
    carried = store.load_session(b.id).items_of("segmentation")[0]
    store.reject_item(carried.id, BY, "She moved to another team")
    store.create_item(b.id, "segmentation", segmentation("participant"), "person", BY, bo_b.id)
    changes = compare_sessions(
        store.load_session(a.id), store.load_session(b.id), notes=store.revision_notes(b.id)
    )
    assert [c.sentence() for c in changes] == [
        "Bo is now in the Participant segment (not approved yet).",
        "Ann no longer has a segment (was Champion) (reason: She moved to another team).",
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500 MQLs", 500),
        ("1,200 leads per quarter", 1200),
        ("€1.5M pipeline", 1_500_000),
        ("25%", 25),
        ("40k visits", 40_000),
        ("unaided awareness 12% by Q3", 12),
        ("Q3 2026", 2026),
        ("15 months", 15),
        ("none yet", None),
        (None, None),
    ],
)
def test_numbers_in_targets(text, value):
    assert number_in(text) == value


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [("500 MQLs", "400 MQLs", "target_lowered"), ("20%", "25%", "target_raised")],
)
def test_target_direction(store, before, after, kind):
    a = store.create_session({"title": "A"})
    item = store.create_item(a.id, "outcome", outcome("Leads", before), "person", BY)
    store.approve_item(item.id, BY)
    b = store.create_session({"title": "B"})
    store.create_item(b.id, "outcome", outcome("Leads", after), "person", BY)
    (change,) = compare_sessions(store.load_session(a.id), store.load_session(b.id))
    assert change.kind == kind


def test_unknown_targets_are_said_plainly(store):
    a = store.create_session({"title": "A"})
    item = store.create_item(a.id, "outcome", outcome("Leads", None), "person", BY)
    store.approve_item(item.id, BY)
    b = store.create_session({"title": "B"})
    store.create_item(b.id, "outcome", outcome("Leads", "300"), "person", BY)
    (change,) = compare_sessions(store.load_session(a.id), store.load_session(b.id))
    assert change.sentence() == (
        'Target for "Leads" changed from unknown to 300 (not approved yet).'
    )


def test_reasons_are_people_s_notes_not_the_app_s():
    assert reason_from(["", "approved", "edited after approval: reopened"]) == ""
    assert reason_from(["carried forward from ses_1", "budget cut", "approved"]) == "budget cut"
    assert (
        reason_from(["Notes shortened to fit the model's context: 10 of 90 tokens sent.; "
                     "guidance: she is more sceptical"])
        == "guidance: she is more sceptical"
    )  # fmt: skip
    assert reason_from(["superseded by a newer draft"]) == ""


def test_sentences_are_one_line_and_bounded():
    long = Change("outcome_added", "Grow\nleads " + "x" * 500, reason="because\nreasons.")
    sentence = long.sentence()
    assert "\n" not in sentence and len(sentence) < 220
    assert sentence.endswith("(reason: because reasons).")
    assert Change("segment_moved", "Ann", "Champion", "Detractor").sentence() == (
        "Ann moved from Champion to Detractor."
    )
    assert Change("something_new", "Ann", "a", "b").sentence() == "Something new: Ann (a → b)."


def test_diff_command_prints_one_sentence_a_line(db_path):
    with SessionStore.open(db_path) as store:
        quarter = build_quarter(store)
        child = store.follow_up(quarter.session_id, by=BY)
        change_next_quarter(store, child.id)
    result = run("diff", quarter.session_id, child.id[:10], db=db_path)
    assert result.stdout.splitlines() == EXPECTED_CHANGES
    assert run("diff", child.id, db=db_path).stdout.splitlines() == EXPECTED_CHANGES

    as_json = json.loads(run("diff", quarter.session_id, child.id, "--json", db=db_path).stdout)
    assert [c["sentence"] for c in as_json] == EXPECTED_CHANGES
    lowered = next(c for c in as_json if c["kind"] == "target_lowered")
    assert (lowered["before"], lowered["after"], lowered["reason"]) == (
        "500 MQLs",
        "400 MQLs",
        "EU launch slipped to Q4",
    )

    same = run("diff", quarter.session_id, quarter.session_id, db=db_path)
    assert same.stdout == "No changes.\n"

    alone = run("diff", quarter.session_id, db=db_path, check=False)
    assert alone.returncode == 1
    assert alone.stderr.strip().splitlines() == [
        f"workshop: {quarter.session_id} does not follow up another session; give two ids: "
        "workshop diff EARLIER LATER."
    ]
    missing = run("diff", quarter.session_id, "ses_nope", db=db_path, check=False)
    assert missing.returncode == 1 and "No session with id 'ses_nope'" in missing.stderr
