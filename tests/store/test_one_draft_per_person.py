"""One untouched model draft per person (and per segment's guide), held by the database:
drafts stored at once, an older draft reopened, an old database or an old dump that
already holds several."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database
from support.factory import ASSIGNMENT, make_session
from support.tui_helpers import SAMPLE_OUTCOME

from sessions import InvalidInputError, SessionStore
from sessions.migrations import migrations

CHAMPION = ASSIGNMENT | {"segment": "champion"}
GUIDE = {"segment": "champion", "questions": [{"topic": "success", "text": "What is a win?"}]}


def model_draft(store: SessionStore, session_id: str, person_id: str | None, body: dict):
    kind = "segmentation" if person_id else "discussion_guide"
    return store.create_item(session_id, kind, body, "model", "model", stakeholder_id=person_id)


def live(store: SessionStore, session_id: str, kind: str) -> list:
    items = store.load_session(session_id).items_of(kind)
    return [i for i in items if i.status.value != "rejected"]


def test_a_second_model_draft_of_a_person_redrafts_the_first(db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
        person = store.load_session(session_id).stakeholders[0].id
        first = model_draft(store, session_id, person, ASSIGNMENT | {"segment": "champion"})
        second = model_draft(store, session_id, person, ASSIGNMENT | {"segment": "detractor"})

        assert second.id == first.id
        assert [i.body["segment"] for i in live(store, session_id, "segmentation")] == ["detractor"]
        assert [r.body["segment"] for r in store.revisions(first.id)] == ["champion", "detractor"]
        # A segment's guide is one draft too.
        guide = model_draft(store, session_id, None, GUIDE)
        again = model_draft(store, session_id, None, GUIDE | {"questions": GUIDE["questions"] * 2})
        assert again.id == guide.id and len(live(store, session_id, "discussion_guide")) == 1


def test_a_person_s_work_keeps_a_new_model_draft_beside_it(db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
        person = store.load_session(session_id).stakeholders[0].id
        first = model_draft(store, session_id, person, CHAMPION)
        edited = store.edit_item(first.id, CHAMPION | {"rationale": "Ours"}, "Dana")
        beside = model_draft(store, session_id, person, ASSIGNMENT | {"segment": "detractor"})
        newer = model_draft(store, session_id, person, ASSIGNMENT | {"segment": "influencer"})

        assert beside.id != edited.id and newer.id == beside.id
        assert {i.id for i in live(store, session_id, "segmentation")} == {edited.id, beside.id}


def test_reopening_an_older_draft_supersedes_the_newer_one(db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
        person = store.load_session(session_id).stakeholders[0].id
        old = model_draft(store, session_id, person, CHAMPION)
        store.reject_item(old.id, "Dana")
        new = model_draft(store, session_id, person, ASSIGNMENT | {"segment": "detractor"})

        store.reopen_item(old.id, "Dana")

        assert [i.id for i in live(store, session_id, "segmentation")] == [old.id]
        assert store.get_item(new.id).status.value == "rejected"
        assert store.revisions(new.id)[-1].note == "superseded: an earlier draft was reopened"


def test_the_database_itself_refuses_a_second_untouched_draft(db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
        person = store.load_session(session_id).stakeholders[0].id
        first = model_draft(store, session_id, person, CHAMPION)
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute(
                "INSERT INTO items SELECT 'itm_copy', session_id, kind, stakeholder_id, segment,"
                " status, origin, body, body_text, version, stale, approved_by, approved_at,"
                " approved_hash, created_at, updated_at FROM items WHERE id=?",
                [first.id],
            )
    finally:
        conn.close()


def _duplicate(conn: sqlite3.Connection, item_id: str, copies: int) -> None:
    for n in range(copies):
        conn.execute(
            f"""INSERT INTO items SELECT 'itm_dup{n}', session_id, kind, stakeholder_id,
            segment, status, origin, body, body_text, version, stale, approved_by, approved_at,
            approved_hash, created_at, '2020-01-0{n + 1}T00:00:00.000000Z' FROM items
            WHERE id=?""",
            [item_id],
        )
        conn.execute(
            f"""INSERT INTO revisions SELECT 'rev_dup{n}', 'itm_dup{n}', number, body, status,
            origin, author, llm_call_id, note, created_at FROM revisions WHERE item_id=?""",
            [item_id],
        )


def test_an_old_database_with_duplicates_keeps_the_newest_as_the_draft(tmp_path: Path):
    path = tmp_path / "old.db"
    db = Database(sqlite3.connect(path))
    migrations.apply(db, stop_before="m004_one_model_draft_per_person")
    db.conn.close()
    with SessionStore(Database(sqlite3.connect(path)), path) as store:
        session_id = make_session(store, 1)
        person = store.load_session(session_id).stakeholders[0].id
        newest = model_draft(store, session_id, person, CHAMPION)
    conn = sqlite3.connect(path)
    _duplicate(conn, newest.id, 3)  # older copies, as four runs at once left them
    conn.commit()
    conn.close()

    with SessionStore.open(path) as store:
        items = store.load_session(session_id).items_of("segmentation")
        assert len(items) == 4  # nothing deleted
        assert [i.id for i in items if i.status.value == "draft"] == [newest.id]
        for item in items:
            if item.id != newest.id:
                assert store.revisions(item.id)[-1].note.startswith("superseded")
        assert [e.detail for e in store.events(session_id) if e.kind.endswith("merged")] == [
            {"rejected": 3}
        ]


def test_an_old_dump_with_duplicates_loads_with_one_draft(tmp_path: Path):
    with SessionStore.open(tmp_path / "a.db") as store:
        session_id = make_session(store, 1)
        person = store.load_session(session_id).stakeholders[0].id
        model_draft(store, session_id, person, CHAMPION)
        dump = store.dump_session(session_id)
    extra = copy.deepcopy(dump["items"][0])
    extra |= {"id": "itm_0123456789ab", "updated_at": "2020-01-01T00:00:00.000000Z"}
    revision = copy.deepcopy(dump["revisions"][0]) | {
        "id": "rev_0123456789ab",
        "item_id": extra["id"],
    }
    dump["items"].append(extra)
    dump["revisions"].append(revision)

    with SessionStore.open(tmp_path / "b.db") as store:
        loaded = store.load_session_dump(dump)
        items = store.load_session(loaded.id).items_of("segmentation")
        assert sorted(i.status.value for i in items) == ["draft", "rejected"]
        assert store.get_item(extra["id"]).status.value == "rejected"
        assert [r.number for r in store.revisions(extra["id"])] == [1, 2]


def test_a_set_of_outcomes_replaces_the_untouched_set_in_one_step(db_path):
    outcome = SAMPLE_OUTCOME
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
        first = store.replace_model_drafts(session_id, "outcome", [outcome] * 2, "model")
        kept = store.edit_item(first[0].id, outcome | {"target": "70"}, "Dana")
        second = store.replace_model_drafts(session_id, "outcome", [outcome] * 3, "model")

        assert {i.id for i in live(store, session_id, "outcome")} == {
            kept.id,
            *(i.id for i in second),
        }
        with pytest.raises(InvalidInputError):
            store.replace_model_drafts(session_id, "outcome", [{"result": ""}], "model")
        assert len(live(store, session_id, "outcome")) == 4  # a bad set changes nothing
