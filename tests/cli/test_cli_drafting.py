"""`workshop draft` and `workshop doctor` through the real command, against the test server."""

from __future__ import annotations

import os
import subprocess

from support.drafting_helpers import API_KEY, details_request_of
from support.factory import make_session
from support.paths import WORKSHOP

from sessions import ItemKind, SessionStore
from workshop.drafting.placement import BATCH


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(WORKSHOP), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        env=os.environ | env,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_draft_twenty_stakeholders(llm_server, db_path):
    llm_server.api_key = API_KEY
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 20)
    env = llm_server.env()

    result = run("--db", str(db_path), "draft", session_id, "segmentation", env=env)

    assert result.returncode == 0, result.stderr
    # The room is placed a batch a request, then each person's details follow.
    assert f"Placing 20 people in {20 // BATCH} request(s)" in result.stderr
    assert "Placed 20, details for 20, failed 0" in result.stderr
    assert result.stderr.count(": placed → ") == 20 and result.stderr.count(": done") == 20
    with SessionStore.open(db_path) as store:
        record = store.load_session(session_id)
        items = record.items_of(ItemKind.SEGMENTATION)
        assert len(items) == 20 and all(i.body["approach"] for i in items)
        purposes = sorted(c["purpose"] for c in store.llm_calls(session_id))
        assert purposes == ["engagement"] * 20 + ["placement"] * (20 // BATCH)
    assert API_KEY.encode() not in b"".join(p.read_bytes() for p in db_path.parent.glob("*.db*"))


def test_draft_reports_failures_and_exits_1(llm_server, db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 3)
    llm_server.add_fault("server_error", times=None, match=details_request_of("Person 02"))
    result = run("--db", str(db_path), "draft", session_id, "segmentation", env=llm_server.env())
    assert result.returncode == 1
    assert "Placed 3, details for 2, failed 1" in result.stderr
    assert "failed: Person 02: 127.0.0.1" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("workshop: 1 of 6 drafts failed")
    assert "with --missing to retry only those" in result.stderr


def test_missing_retries_only_what_failed(llm_server, db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 3)
    llm_server.add_fault("server_error", times=None, match=details_request_of("Person 02"))
    args = ("--db", str(db_path), "draft", session_id, "segmentation")
    assert run(*args, env=llm_server.env()).returncode == 1
    llm_server.clear_faults()
    sent = len(llm_server.requests)

    result = run(*args, "--missing", env=llm_server.env())

    assert result.returncode == 0, result.stderr
    assert "Drafting the details for 1 person" in result.stderr
    assert "Placing" not in result.stderr  # everyone is placed already
    assert "Person 02: done" in result.stderr
    assert len(llm_server.requests) == sent + 1  # the two drafted are not sent again
    with SessionStore.open(db_path) as store:
        items = store.load_session(session_id).items_of(ItemKind.SEGMENTATION)
        assert len(items) == 3 and all(i.body["approach"] for i in items)
    again = run(*args, "--missing", env=llm_server.env())
    assert again.returncode == 0
    assert "Every segmentation draft is there; nothing to do." in again.stdout
    assert len(llm_server.requests) == sent + 1


def test_draft_without_a_model_says_how_to_connect(db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
    result = run("--db", str(db_path), "draft", session_id, "segmentation", env={})
    assert result.returncode == 1
    assert "No model is configured" in result.stderr


def test_doctor_on_a_working_endpoint(llm_server, db_path):
    llm_server.api_key = API_KEY
    result = run("--db", str(db_path), "doctor", env=llm_server.env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[ok ] endpoint" in result.stdout
    assert "[ok ] json schema: Structured output (JSON schema) works." in result.stdout
    assert "api key:        set, from OPENAI_API_KEY" in result.stdout
    assert API_KEY not in result.stdout + result.stderr


def test_doctor_on_a_wrong_url(refused_base_url, db_path, llm_server):
    env = llm_server.env() | {"OPENAI_BASE_URL": refused_base_url}
    result = run("--db", str(db_path), "doctor", env=env)
    assert result.returncode == 1
    assert "[FAIL] endpoint: Cannot reach" in result.stdout


def test_doctor_on_a_wrong_key(llm_server, db_path):
    llm_server.api_key = API_KEY
    result = run("--db", str(db_path), "doctor", env=llm_server.env(api_key="sk-wrong"))
    assert result.returncode == 1
    assert "refused the API key" in result.stdout
    assert "sk-wrong" not in result.stdout + result.stderr


def test_doctor_on_an_unknown_model(llm_server, db_path):
    result = run("--db", str(db_path), "doctor", env=llm_server.env(model="gpt-9"))
    assert result.returncode == 1
    assert "'gpt-9' is not offered" in result.stdout and "test-model" in result.stdout


def test_doctor_without_json_schema_support(llm_server, db_path):
    llm_server.supports_json_schema = False
    result = run("--db", str(db_path), "doctor", env=llm_server.env())
    assert result.returncode == 0
    assert "[warn] json schema: No JSON-schema support" in result.stdout


def test_preview_prints_the_request_and_sends_nothing(llm_server, db_path):
    import json

    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 2)
    result = run(
        "--db",
        str(db_path),
        "draft",
        session_id,
        "segmentation",
        "--preview",
        "--stakeholder",
        "person 01",
        "--pseudonymise",
        env=llm_server.env(),
    )
    assert result.returncode == 0, result.stderr
    [request] = json.loads(result.stdout)
    assert request["model"] == "test-model" and request["tokens"] > 0
    assert "Stakeholder B" in request["messages"][-1]["content"]
    assert "Person 01" not in result.stdout
    assert llm_server.chat_requests == []


def test_show_puts_rule_suggestions_beside_drafts(llm_server, db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session(
            {"title": "Q3"}, [{"name": "Dana", "stance": "resistant"}, {"name": "Eli"}]
        )
    run("--db", str(db_path), "draft", session.id, "segmentation", env=llm_server.env())
    shown = run("--db", str(db_path), "show", session.id, env=llm_server.env()).stdout
    # The test model places everyone as an influencer; the rules disagree about Dana.
    assert "Dana: influencer [draft, model draft]" in shown
    assert "rules suggest detractor" in shown
    assert "Model calls: 3 (0 failed)" in shown  # one placement, two sets of details


def test_doctor_records_and_reports_broken_answers_as_broken(llm_server, db_path):
    import sqlite3

    llm_server.add_fault("malformed_json", times=None, match="Answer with the JSON object")
    result = run("--db", str(db_path), "doctor", env=llm_server.env())

    assert result.returncode == 1
    assert "[FAIL] json: No response format gave a usable answer" in result.stdout
    assert "not with JSON" in result.stdout
    conn = sqlite3.connect(db_path)
    try:
        logged = conn.execute(
            "SELECT purpose, status FROM llm_calls WHERE purpose LIKE 'doctor:%'"
        ).fetchall()
    finally:
        conn.close()
    assert logged and {status for _, status in logged} == {"malformed_json"}


def test_doctor_calls_an_empty_reply_a_failure(llm_server, db_path):
    llm_server.add_fault("malformed_json", content=" ", match="single word OK")
    result = run("--db", str(db_path), "doctor", env=llm_server.env())

    assert result.returncode == 1
    assert "[FAIL] request:" in result.stdout and "empty answer" in result.stdout


def test_show_counts_broken_answers_as_failed_calls(llm_server, db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 3)
    llm_server.add_fault("schema_invalid", times=None, match=details_request_of("Person 02"))
    llm_server.add_fault("drop_stream", times=None, match=details_request_of("Person 01"))
    args = ("--db", str(db_path))
    assert run(*args, "draft", session_id, "segmentation", env=llm_server.env()).returncode == 1

    shown = run(*args, "show", session_id, env={}).stdout

    with SessionStore.open(db_path) as store:
        failed = store.failed_calls(session_id)
    assert set(failed) == {"schema_invalid", "stream_dropped"}
    assert f"({sum(failed.values())} failed: 2 answers did not fit, 2 streams dropped)" in shown


def test_a_slow_single_draft_says_what_it_is_waiting_for(
    llm_server, db_path, tmp_path, monkeypatch
):
    from support.drafting_helpers import use_test_server

    use_test_server(llm_server, tmp_path, monkeypatch, timeout=4, max_retries=2)
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 2)
    llm_server.latency = 2.5  # no word from the server for 2.5 s, within the 4 s timeout

    result = run("--db", str(db_path), "draft", session_id, "outcomes", env={})

    assert result.returncode == 0, result.stderr
    waiting = [line for line in result.stderr.splitlines() if "Still waiting" in line]
    assert waiting, result.stderr
    assert f"Still waiting for 127.0.0.1:{llm_server.port} (1 draft out" in waiting[0]
    assert "gives up after 4 s and is then tried twice more" in waiting[0]
