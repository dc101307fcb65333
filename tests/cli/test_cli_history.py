"""Past sessions from the real `workshop` command: archive, delete, list filters, search."""

from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
from datetime import date

import pytest
from support.history_helpers import BY, build_quarter, run
from support.paths import WORKSHOP

from sessions import SessionStore
from sessions.bodies import body_text
from sessions.rows import dumps, new_id

TABLES = ("stakeholders", "items", "llm_calls", "events", "stage_times")


def ids(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [row["id"] for row in json.loads(result.stdout)]


def test_archive_hides_from_list_and_unarchive_brings_it_back(db_path):
    with SessionStore.open(db_path) as store:
        kept = store.create_session({"title": "Kept"}).id
        old = store.create_session({"title": "Old one"}).id
    result = run("archive", old[:8], db=db_path)
    assert result.stdout == f"Archived {old}; `workshop list --all` still shows it.\n"
    assert ids(run("list", "--json", db=db_path)) == [kept]
    assert "Old one" not in run("list", db=db_path).stdout
    assert ids(run("list", "--json", "--all", db=db_path)) == [old, kept]
    assert ids(run("list", "--json", "--status", "archived", db=db_path)) == [old]
    assert (
        run("archive", old, db=db_path).stdout == f"{old} is already archived; nothing changed.\n"
    )
    # Search leaves archived sessions out too, unless asked.
    assert run("list", "--search", "Old one", db=db_path).stdout == "Nothing found.\n"
    assert old in run("list", "--search", "Old one", "--all", db=db_path).stdout

    assert run("unarchive", old, db=db_path).stdout == f"Unarchived {old}.\n"
    assert ids(run("list", "--json", db=db_path)) == [old, kept]
    with SessionStore.open(db_path) as store:
        assert [e.kind for e in store.events(old)][-2:] == ["archived", "unarchived"]
    missing = run("archive", "ses_nope", db=db_path, check=False)
    assert missing.returncode == 1 and missing.stderr.startswith("workshop: No session")


def _counts(db_path, session_id: str) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        counts = {
            t: conn.execute(
                f"SELECT count(*) FROM {t} WHERE session_id=?", [session_id]
            ).fetchone()[0]
            for t in TABLES
        }
        counts["sessions"] = conn.execute(
            "SELECT count(*) FROM sessions WHERE id=?", [session_id]
        ).fetchone()[0]
        counts["revisions"] = (
            conn.execute(
                "SELECT count(*) FROM revisions WHERE item_id NOT IN (SELECT id FROM items)"
            ).fetchone()[0]
            + conn.execute(
                "SELECT count(*) FROM revisions r JOIN items i ON i.id = r.item_id "
                "WHERE i.session_id=?",
                [session_id],
            ).fetchone()[0]
        )
        return counts
    finally:
        conn.close()


@pytest.fixture
def quarter_db(db_path):
    with SessionStore.open(db_path) as store:
        quarter = build_quarter(store)
        child = store.follow_up(quarter.session_id, by=BY)
        revisions = len(store.dump_session(quarter.session_id)["revisions"])
        events = len(store.events(quarter.session_id))
    return quarter.session_id, child.id, revisions, events


def test_delete_without_yes_and_without_a_terminal_refuses(db_path, quarter_db):
    session_id, _, revisions, events = quarter_db
    before = _counts(db_path, session_id)
    result = run("delete", session_id, db=db_path, check=False)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f'Session {session_id} "Q2 strategy" will be deleted with everything in it:',
        f"  4 stakeholders, 14 items, {revisions} revisions, 1 model call and {events} events.",
        "  1 follow-up session of it will stay, without the link to it.",
        "This cannot be undone (`workshop dump` keeps a copy first).",
    ]
    assert result.stderr.splitlines() == [
        "workshop: Not deleted: there is no terminal to confirm on; add --yes to delete."
    ]
    assert _counts(db_path, session_id) == before


def test_delete_with_yes_removes_everything(db_path, quarter_db):
    session_id, child_id, revisions, _ = quarter_db
    assert _counts(db_path, session_id)["revisions"] == revisions
    result = run("delete", session_id, "--yes", db=db_path)
    assert result.stdout.splitlines()[-1] == f"Deleted {session_id}."
    assert _counts(db_path, session_id) == dict.fromkeys([*TABLES, "sessions", "revisions"], 0)
    assert run("list", "--search", "Fewer wasted demo calls", db=db_path).stdout == (
        "Nothing found.\n"
    )
    with SessionStore.open(db_path) as store:
        child = store.get_session(child_id)  # the follow-up stays, without its link
        assert child.parent_id is None and len(store.stakeholders(child_id)) == 4
    again = run("delete", session_id, "--yes", db=db_path, check=False)
    assert again.returncode == 1 and "No session with id" in again.stderr


def _on_a_terminal(db_path, session_id: str, answer: bytes) -> tuple[int, str]:
    """Run `workshop delete` with a real terminal on stdin, answering the question."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [str(WORKSHOP), "--db", str(db_path), "delete", session_id],
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=os.environ | {"COLUMNS": "120"},
        )
        os.write(leader, answer)
        output, _ = process.communicate(timeout=60)
    finally:
        os.close(leader)
        os.close(follower)
    return process.returncode, output.decode("utf-8")


def test_delete_asks_on_a_terminal(db_path, quarter_db):
    session_id = quarter_db[0]
    code, output = _on_a_terminal(db_path, session_id, b"n\n")
    assert code == 1
    assert "will be deleted with everything in it" in output
    assert "Delete it? [y/N]" in output and "workshop: Not deleted." in output
    assert _counts(db_path, session_id)["sessions"] == 1

    code, output = _on_a_terminal(db_path, session_id, b"y\n")
    assert code == 0, output
    assert output.rstrip().endswith(f"Deleted {session_id}.")
    assert _counts(db_path, session_id)["sessions"] == 0


def test_list_filters_by_status_and_dates(db_path):
    with SessionStore.open(db_path) as store:
        spring = store.create_session({"title": "Spring", "workshop_date": "2020-03-10"})
        summer = store.create_session({"title": "Summer", "workshop_date": "2020-06-20"})
        undated = store.create_session({"title": "Undated"})  # dated by its creation day
        store.create_item(spring.id, "cadence", _cadence(), "person", BY)
        done = store.create_item(summer.id, "cadence", _cadence(), "person", BY)
        store.approve_item(done.id, BY)
    today = undated.created_at[:10]

    def listed(*args: str) -> list[str]:
        return ids(run("list", "--json", *args, db=db_path))

    assert listed("--status", "open") == [spring.id]
    assert listed("--status", "approved") == [summer.id]
    assert listed("--since", "2020-04-01") == [undated.id, summer.id]
    assert listed("--since", "2020-04-01", "--until", "2020-12-31") == [summer.id]
    assert listed("--until", "2020-03-10") == [spring.id]
    assert listed("--since", "2020-03-10", "--until", "2020-06-20") == [summer.id, spring.id]
    assert listed("--since", today, "--until", today) == [undated.id]
    assert listed("--since", "2020-03-11", "--until", "2020-06-19") == []
    assert listed("--status", "approved", "--until", "2020-06-01") == []
    empty = run("list", "--status", "approved", "--until", "2020-06-01", db=db_path)
    assert empty.stdout == "No sessions match these filters.\n"
    bad = run("list", "--since", "March", db=db_path, check=False)
    assert bad.returncode == 2 and "'March' does not match the format '%Y-%m-%d'" in bad.stderr


def _cadence() -> dict:
    return {"segment": "champion", "report": "Pipeline by source", "frequency": "monthly"}


def test_search_with_filters(db_path):
    with SessionStore.open(db_path) as store:
        old = store.create_session(
            {
                "title": "Old",
                "workshop_date": "2025-01-15",
                "challenges": "churn in the DACH region",
            }
        )
        new = store.create_session(
            {"title": "New", "workshop_date": "2026-05-15", "challenges": "churn in retail"}
        )
        item = store.create_item(new.id, "cadence", _cadence(), "person", BY)
        store.approve_item(item.id, BY)

    def found(*args: str) -> list[str]:
        hits = json.loads(run("list", "--json", "--search", *args, db=db_path).stdout)
        return [h["session_id"] for h in hits]

    assert sorted(found("churn")) == sorted([old.id, new.id])
    assert found("churn", "--since", "2026-01-01") == [new.id]
    assert found("churn", "--until", "2025-12-31") == [old.id]
    assert found("churn", "--status", "approved") == [new.id]
    assert found("churn", "--status", "open") == []
    text = run("list", "--search", "DACH", "--until", "2025-12-31", db=db_path).stdout
    assert text.startswith(f"{old.id}  Old  [session]") and "«DACH»" in text


def test_many_sessions_search_finds_a_captured_answer(db_path):
    """300 sessions written in one transaction; search finds the one answer that matches."""
    SessionStore.open(db_path).close()
    conn = sqlite3.connect(db_path)
    stamp = "2026-01-01T09:00:00.000000Z"
    target = 217
    with conn:
        for n in range(300):
            session_id, person_id, item_id = (
                new_id("session"),
                new_id("stakeholder"),
                new_id("item"),
            )
            day = date.fromordinal(date(2025, 1, 1).toordinal() + n).isoformat()
            conn.execute(
                "INSERT INTO sessions (id, title, workshop_date, created_at, updated_at) "
                "VALUES (?,?,?,?,?)",
                [session_id, f"Workshop {n:03d}", day, stamp, stamp],
            )
            conn.execute(
                "INSERT INTO stakeholders (id, session_id, position, name, created_at, "
                "updated_at) VALUES (?,?,0,?,?,?)",
                [person_id, session_id, f"Person {n}", stamp, stamp],
            )
            answer = (
                "Our field reps never see the webinar attendee list"
                if n == target
                else f"Answer number {n} about pipeline and demos"
            )
            body = {"entries": [{"question": "What has not worked?", "answer": answer}]}
            conn.execute(
                "INSERT INTO items (id, session_id, kind, stakeholder_id, status, origin, body, "
                "body_text, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    item_id,
                    session_id,
                    "answers",
                    person_id,
                    "draft",
                    "person",
                    dumps(body),
                    body_text(body),
                    stamp,
                    stamp,
                ],
            )
            if n == target:
                target_id = session_id
    conn.close()

    assert len(json.loads(run("list", "--json", "--limit", "1000", db=db_path).stdout)) == 300
    hits = json.loads(run("list", "--json", "--search", "webinar attendee list", db=db_path).stdout)
    assert [(h["session_id"], h["session_title"], h["where"]) for h in hits] == [
        (target_id, "Workshop 217", "answers")
    ]
    assert "«webinar» «attendee» «list»" in hits[0]["snippet"]
    text = run("list", "--search", "webinar attendee", "--status", "open", db=db_path).stdout
    assert text.startswith(f"{target_id}  Workshop 217  [answers]")
    day = date.fromordinal(date(2025, 1, 1).toordinal() + target).isoformat()
    assert run("list", "--search", "webinar", "--until", "2025-01-31", db=db_path).stdout == (
        "Nothing found.\n"
    )
    assert target_id in run("list", "--search", "webinar", "--since", day, db=db_path).stdout
    with SessionStore.open(db_path) as store:
        assert len(store.list_sessions_filtered(limit=1000, since=date(2025, 10, 1))) == 300 - 273
