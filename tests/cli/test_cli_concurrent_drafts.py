"""Drafts of one session run at once (two terminals, a script and the app) leave one
current draft per person and one set of outcomes, not one per run."""

from __future__ import annotations

import os
import subprocess

from support.factory import make_session
from support.paths import WORKSHOP

from sessions import ItemKind, SessionStore, Status


def start(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(WORKSHOP), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=os.environ | env,
    )


def run_at_once(count: int, *args: str, env: dict[str, str]) -> list[str]:
    runs = [start(*args, env=env) for _ in range(count)]
    errors = []
    for process in runs:
        _out, err = process.communicate(timeout=180)
        assert "Traceback" not in err, err
        assert process.returncode == 0, err
        errors.append(err)
    return errors


def current(store: SessionStore, session_id: str, kind: ItemKind) -> list:
    items = store.load_session(session_id).items_of(kind)
    return [i for i in items if i.status is not Status.REJECTED]


def test_four_segmentation_drafts_at_once_leave_one_draft_per_person(llm_server, db_path):
    session_id = make_session(db_path, 20)
    # Every run reads the session before its first answer comes back.
    llm_server.latency = 0.5
    args = ("--db", str(db_path), "draft", session_id, "segmentation")

    run_at_once(4, *args, env=llm_server.env())

    with SessionStore.open(db_path) as store:
        drafts = current(store, session_id, ItemKind.SEGMENTATION)
        assert sorted(store.get_stakeholder(i.stakeholder_id).name for i in drafts) == [
            f"Person {n:02d}" for n in range(20)
        ]
    llm_server.latency = 0.0
    run_at_once(1, *args, env=llm_server.env())
    shown = subprocess.run(
        [str(WORKSHOP), "--db", str(db_path), "show", session_id],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {"COLUMNS": "200"},
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.count("- Person 07: ") == 1  # its line among the drafts, once
    with SessionStore.open(db_path) as store:
        assert len(current(store, session_id, ItemKind.SEGMENTATION)) == 20


def test_two_outcome_drafts_at_once_leave_one_set(llm_server, db_path):
    session_id = make_session(db_path, 3)
    llm_server.latency = 0.5
    args = ("--db", str(db_path), "draft", session_id, "outcomes")

    run_at_once(2, *args, env=llm_server.env())

    with SessionStore.open(db_path) as store:
        calls = [c for c in store.llm_calls(session_id) if c["purpose"] == "outcomes"]
        outcomes = current(store, session_id, ItemKind.OUTCOME)
        assert len(calls) == 2
        # The later answer's set stands; the earlier one was superseded, not lost.
        assert outcomes and len({i.id for i in outcomes}) == len(outcomes)
        superseded = [
            i
            for i in store.load_session(session_id).items_of(ItemKind.OUTCOME)
            if i.status is Status.REJECTED
        ]
        assert len(superseded) == len(outcomes)
