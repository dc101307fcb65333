"""Whole sessions as JSON: dump, load into another database, lossless; refusals; copies."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path

import pytest
from support.history_helpers import (
    BY,
    EXPECTED_CHANGES,
    build_quarter,
    change_next_quarter,
    run,
)

from sessions import InvalidInputError, SessionStore
from sessions.migrations import MIGRATION_NAMES
from sessions.transfer import FORMAT, FORMAT_VERSION, dump_text, parse_dump
from workshop.service.facade import WorkshopService

TABLES = ("sessions", "stakeholders", "items", "revisions", "llm_calls", "events", "stage_times")
COLUMNS = {
    "items": "id, session_id, kind, stakeholder_id, segment, status, origin, body, "
    "words(body_text), version, stale, approved_by, approved_at, approved_hash, created_at, "
    "updated_at"
}


@pytest.fixture
def source(tmp_path):
    """A database with a quarter and its changed follow-up."""
    path = tmp_path / "source.db"
    with SessionStore.open(path) as store:
        quarter = build_quarter(store)
        child = store.follow_up(quarter.session_id, by=BY)
        change_next_quarter(store, child.id)
    return path, quarter, child.id


def rows(path: Path, session_id: str) -> dict[str, list[tuple]]:
    """Every row of a session in every table, without rowids, in a stable order.

    items.body_text (the words for search, derived from the body) is compared as a
    sorted list of lines: the store itself writes it in more than one order.
    """
    conn = sqlite3.connect(path)
    conn.create_function("words", 1, lambda text: "\n".join(sorted(text.split("\n"))))
    try:
        where = {
            "sessions": "id = ?",
            "revisions": "item_id IN (SELECT id FROM items WHERE session_id = ?)",
        }
        return {
            table: sorted(
                conn.execute(
                    f"SELECT {COLUMNS.get(table, '*')} FROM {table} "
                    f"WHERE {where.get(table, 'session_id = ?')}",
                    [session_id],
                ).fetchall(),
                key=repr,
            )
            for table in TABLES
        }
    finally:
        conn.close()


def test_dump_holds_the_whole_session(source):
    path, quarter, _ = source
    with SessionStore.open(path) as store:
        document = store.dump_session(quarter.session_id)
    assert document["format"] == FORMAT and document["format_version"] == FORMAT_VERSION
    assert document["schema_version"] == MIGRATION_NAMES[-1]
    assert document["session"]["id"] == quarter.session_id
    assert document["session"]["priorities"] == ["Grow EU pipeline", "Lift enterprise win rate"]
    counts = {k: len(document[k]) for k in TABLES[1:]}
    stored = rows(path, quarter.session_id)
    assert counts == {k: len(v) for k, v in stored.items() if k != "sessions"} | {
        "stakeholders": 4,
        "items": 14,
        "llm_calls": 1,
        "stage_times": 1,
    }
    assert counts["revisions"] > 14 and counts["events"] > 10
    call = document["llm_calls"][0]
    assert call["messages"] == [{"content": "Segment Marta", "role": "user"}]
    assert "body_text" not in document["items"][0]
    assert any(r["llm_call_id"] == call["id"] for r in document["revisions"])
    assert list(document)[:4] == ["format", "format_version", "schema_version", "session"]


def test_round_trip_is_lossless_byte_for_byte(source, tmp_path):
    path, quarter, child_id = source
    fresh = tmp_path / "fresh.db"
    with SessionStore.open(path) as store:
        first = {s: dump_text(store.dump_session(s)) for s in (quarter.session_id, child_id)}
    with SessionStore.open(fresh) as store:
        for session_id in (quarter.session_id, child_id):  # the parent first keeps the link
            loaded = store.load_session_dump(parse_dump(first[session_id]))
            assert loaded.id == session_id
        again = {s: dump_text(store.dump_session(s)) for s in first}
        assert store.get_session(child_id).parent_id == quarter.session_id
        hits = store.search("Fewer wasted demo calls")
        assert [(h.session_id, h.where) for h in hits] == [(quarter.session_id, "answers")]
    assert again == first
    for session_id in first:
        assert rows(fresh, session_id) == rows(path, session_id)
    with WorkshopService.open(fresh) as service:
        assert [c.sentence() for c in service.history.compare(quarter.session_id, child_id)] == (
            EXPECTED_CHANGES
        )
        assert service.store.revisions(service.sessions.load(child_id).items[0].id)
    conn = sqlite3.connect(fresh)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_a_follow_up_without_its_parent_loads_without_the_link(source, tmp_path):
    path, _, child_id = source
    with SessionStore.open(path) as store:
        document = store.dump_session(child_id)
    with SessionStore.open(tmp_path / "other.db") as store:
        loaded = store.load_session_dump(document)
        assert loaded.parent_id is None
        assert len(store.load_session(child_id).items) == 9


def test_an_existing_id_is_refused_and_nothing_is_written(source):
    path, quarter, _ = source
    with SessionStore.open(path) as store:
        document = store.dump_session(quarter.session_id)
        before = store.count_sessions()
        with pytest.raises(InvalidInputError) as refused:
            store.load_session_dump(document)
        assert str(refused.value) == (
            f"A session with id {quarter.session_id} is already in this database; nothing was "
            "loaded. Delete it first, or load the file as a copy with new ids (--as-copy)."
        )
        assert store.count_sessions() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format_version": FORMAT_VERSION + 1}, "written by a newer version (format 2"),
        ({"schema_version": "m999_from_the_future"}, "newer version (schema m999"),
        ({"format": "something-else"}, "not a Strategy Workshop session dump"),
        ({"format_version": "1"}, "no valid format_version"),
        ({"session": None}, "no session in it"),
        ({"items": {"not": "a list"}}, "items is not a list of rows"),
    ],
)  # fmt: skip
def test_what_cannot_be_loaded_is_refused_with_one_clear_line(source, tmp_path, change, message):
    path, quarter, _ = source
    with SessionStore.open(path) as store:
        document = store.dump_session(quarter.session_id) | change
    with SessionStore.open(tmp_path / "fresh.db") as store:
        with pytest.raises(InvalidInputError) as refused:
            store.load_session_dump(document)
        assert message in str(refused.value).replace(" of Strategy Workshop", "")
        assert "\n" not in str(refused.value)
        assert str(refused.value).endswith("loaded.")
        assert store.count_sessions() == 0


def _broken(document: dict, how: str) -> dict:
    document = copy.deepcopy(document)
    if how == "unknown column":
        document["items"][0]["colour"] = "blue"
    elif how == "bad body":
        document["items"][0]["body"]["segment"] = "mascot"
    elif how == "missing stakeholder":
        document["stakeholders"] = document["stakeholders"][1:]
    elif how == "duplicate revision number":
        document["revisions"][1]["number"] = document["revisions"][0]["number"]
        document["revisions"][1]["item_id"] = document["revisions"][0]["item_id"]
    elif how == "other session":
        document["events"][-1]["session_id"] = "ses_else"
    elif how == "made-up approval":
        item = next(i for i in document["items"] if i["status"] == "draft")
        item.update(status="approved", approved_by="Mallory", approved_hash="f" * 64)
        item["approved_at"] = item["updated_at"]
    elif how == "edited approved text":
        item = next(i for i in document["items"] if i["status"] == "approved")
        item["body"] = item["body"] | {"rationale": "Whatever Mallory wants it to say."}
    elif how == "same name twice":
        document["stakeholders"][1]["name"] = document["stakeholders"][0]["name"].upper()
    return document


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("unknown column", "items[0] has a column this version does not know: colour"),
        ("bad body", "segment: Input should be"),
        ("missing stakeholder", "names a stakeholder that is not in it"),
        ("duplicate revision number", "does not hold together"),
        ("other session", "hold a row of another session"),
        ("made-up approval", "is marked approved, but the approval is not for its text"),
        ("edited approved text", "is marked approved, but the approval is not for its text"),
        ("same name twice", "is listed twice"),
    ],
)
def test_a_damaged_dump_is_refused_whole(source, tmp_path, how, message):
    path, quarter, _ = source
    with SessionStore.open(path) as store:
        document = _broken(store.dump_session(quarter.session_id), how)
    fresh = tmp_path / "fresh.db"
    with SessionStore.open(fresh) as store, pytest.raises(InvalidInputError) as refused:
        store.load_session_dump(document)
    assert message in str(refused.value)
    assert all(not r for r in rows(fresh, quarter.session_id).values())


def test_as_copy_assigns_new_ids_consistently(source):
    path, quarter, child_id = source
    with SessionStore.open(path) as store:
        original = store.dump_session(quarter.session_id)
        copied = store.load_session_dump(original, as_copy=True)
        assert copied.id != quarter.session_id
        copy_doc = store.dump_session(copied.id)
        plan = next(i for i in store.load_session(copied.id).items if i.kind == "plan_entry")
        pipeline = store.get_item(plan.body["outcome_id"])
        assert pipeline.session_id == copied.id  # the reference followed the new id
        assert pipeline.body["result"] == "Grow qualified inbound pipeline in the EU"
        from sessions import body_hash

        assert plan.approved_hash == body_hash(plan.body)
        # A second copy of the follow-up keeps its parent link and its carried links.
        child_copy = store.load_session_dump(store.dump_session(child_id), as_copy=True)
        assert child_copy.parent_id == quarter.session_id
        with WorkshopService(store) as service:
            assert [
                c.sentence() for c in service.history.compare(quarter.session_id, child_copy.id)
            ] == (EXPECTED_CHANGES)

    old_ids = _ids(original)
    new_ids = _ids(copy_doc)
    assert not old_ids & new_ids
    assert copy_doc["events"][-1]["kind"] == "loaded_as_copy"
    assert copy_doc["events"][-1]["detail"] == {"from": quarter.session_id}
    copy_doc["events"] = copy_doc["events"][:-1]
    mapping = dict(zip(_ordered_ids(original), _ordered_ids(copy_doc), strict=True))
    assert _renamed(original, mapping, plan_hashes=True) == _renamed(copy_doc, {}, True)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def _ordered_ids(document: dict) -> list[str]:
    sections = ("stakeholders", "llm_calls", "items", "revisions", "events")
    return [document["session"]["id"]] + [r["id"] for k in sections for r in document[k]]


def _ids(document: dict) -> set[str]:
    return set(_ordered_ids(document))


def _renamed(document: dict, mapping: dict[str, str], plan_hashes: bool) -> str:
    text = json.dumps(document, sort_keys=True)
    for old, new in mapping.items():
        text = text.replace(old, new)
    data = json.loads(text)
    if plan_hashes:  # an approval hash covers the body, so it changes with an id in it
        for item in data["items"]:
            if item["kind"] == "plan_entry":
                item["approved_hash"] = None
        for event in data["events"]:
            event["detail"].pop("hash", None)
    return json.dumps(data, sort_keys=True)


def test_dump_and_load_through_the_real_command(source, tmp_path):
    path, quarter, _ = source
    out = tmp_path / "q2.json"
    run("dump", quarter.session_id, "-o", str(out), db=path)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    text = out.read_text(encoding="utf-8")
    assert run("dump", quarter.session_id, db=path).stdout == text

    fresh = tmp_path / "fresh.db"
    loaded = run("load", str(out), db=fresh)
    assert loaded.stdout.strip() == quarter.session_id
    assert run("dump", quarter.session_id, db=fresh).stdout == text  # byte-identical

    again = run("load", str(out), db=fresh, check=False)
    assert again.returncode == 1
    assert again.stderr.splitlines() == [
        f"workshop: A session with id {quarter.session_id} is already in this database; "
        "nothing was loaded. Delete it first, or load the file as a copy with new ids "
        "(--as-copy)."
    ]
    copied = run("load", "--as-copy", "-", db=fresh, stdin=out.open(encoding="utf-8"))
    assert copied.stdout.strip().startswith("ses_")
    assert copied.stdout.strip() != quarter.session_id
    assert len(json.loads(run("list", "--json", db=fresh).stdout)) == 2

    refused = run("dump", quarter.session_id, "-o", str(out), db=path, check=False)
    assert refused.returncode == 1 and "already exists; use --force" in refused.stderr

    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(json.loads(text) | {"format_version": 99}), encoding="utf-8")
    result = run("load", str(newer), db=tmp_path / "third.db", check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "workshop: The dump was written by a newer version of Strategy Workshop (format 99; "
        "this version reads up to 1); upgrade the app to load it. Nothing was loaded."
    ]
    for content, message in (
        ("{not json", "is not a session dump: not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
    ):
        bad = tmp_path / "bad.json"
        bad.write_text(content, encoding="utf-8")
        result = run("load", str(bad), db=tmp_path / "third.db", check=False)
        assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
        assert message in result.stderr
    missing = run("load", str(tmp_path / "nope.json"), db=tmp_path / "third.db", check=False)
    assert missing.returncode == 1 and "nope.json: no such file." in missing.stderr


def test_loading_a_follow_up_alone_says_the_link_was_left_out(source, tmp_path):
    path, quarter, child_id = source
    out = tmp_path / "q3.json"
    run("dump", child_id, "-o", str(out), db=path)
    result = run("load", str(out), db=tmp_path / "fresh.db")
    assert result.stdout.strip() == child_id
    assert f"it follows up {quarter.session_id}, which is not in this database" in result.stderr
