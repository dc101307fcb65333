"""Drafting against endpoints as they are: what a llama.cpp server and a small model do.

The test server plays a llama-cpp-python server here: `json_schema` answered with HTTP 500,
a schema inside `json_object` honoured, no usage in streams, any model name served.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sessions import ItemKind, SessionStore

pytest_plugins = ["llm_server"]
WORKSHOP = Path(sys.executable).parent / "workshop"
MODEL_FILE = "/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


def make_session(db_path: Path, count: int) -> str:
    people = [{"name": f"Person {i:02d}", "role": "Lead", "notes": "Keen."} for i in range(count)]
    with SessionStore.open(db_path) as store:
        return store.create_session({"title": "Q3", "priorities": ["Grow EU"]}, people).id


def like_llama_cpp(server) -> None:
    server.supports_json_schema = False
    server.json_schema_status = 500
    server.stream_usage = False
    server.any_model = True
    server.models = [MODEL_FILE]


def draft(db_path: Path, session_id: str, server, *extra: str) -> subprocess.CompletedProcess:
    env = os.environ | server.env(model="qwen")
    result = subprocess.run(
        [str(WORKSHOP), "--db", str(db_path), "draft", session_id, "segmentation", *extra],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        env=env,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_a_llama_cpp_server_drafts_everyone_without_doctor_first(llm_server, db_path):
    like_llama_cpp(llm_server)
    session_id = make_session(db_path, 6)

    result = draft(db_path, session_id, llm_server)

    assert result.returncode == 0, result.stderr
    assert "Drafted 6, failed 0" in result.stderr
    with SessionStore.open(db_path) as store:
        assert len(store.load_session(session_id).items_of(ItemKind.SEGMENTATION)) == 6
    sent = [r.body["response_format"] for r in llm_server.chat_requests]
    kept = [f for f in sent if f["type"] == "json_object"]
    assert len(kept) == 6 and all("properties" in f["schema"] for f in kept)
    # every request bounded and steady: a low temperature and a ceiling on the answer
    assert {r.body["temperature"] for r in llm_server.chat_requests} == {0.2}
    assert {r.body["max_tokens"] for r in llm_server.chat_requests} == {800}


def test_the_format_that_works_is_remembered_for_the_next_draft(llm_server, db_path):
    like_llama_cpp(llm_server)
    session_id = make_session(db_path, 2)
    assert draft(db_path, session_id, llm_server).returncode == 0
    llm_server.reset()

    assert draft(db_path, session_id, llm_server).returncode == 0

    assert [r.body["response_format"]["type"] for r in llm_server.chat_requests] == [
        "json_object",
        "json_object",
    ]


def capitalised_and_wrapped(text: str) -> str:
    """What a small model does: 'Champion' for champion, ["…"] for a string."""
    data = json.loads(text)
    data["segment"] = data["segment"].replace("_", " ").title()
    data["rationale"] = [data["rationale"]]
    data["confidence"] = str(data.get("confidence", "")).upper() or data.get("confidence")
    return json.dumps(data)


def test_drift_in_case_and_types_is_normalised_without_a_repair(llm_server, db_path):
    like_llama_cpp(llm_server)
    llm_server.answer_drift = capitalised_and_wrapped
    session_id = make_session(db_path, 3)

    result = draft(db_path, session_id, llm_server)

    assert result.returncode == 0, result.stderr
    assert "repairing" not in result.stderr
    assert (
        len(
            [
                r
                for r in llm_server.chat_requests
                if r.body["response_format"]["type"] == "json_object"
            ]
        )
        == 3
    )
    with SessionStore.open(db_path) as store:
        items = store.load_session(session_id).items_of(ItemKind.SEGMENTATION)
    assert len(items) == 3
    assert all(isinstance(i.body["rationale"], str) for i in items)


def test_an_answer_that_does_not_fit_is_repaired_visibly_and_logged_as_what_it_was(
    llm_server, db_path
):
    llm_server.any_model = True
    session_id = make_session(db_path, 2)
    llm_server.add_fault("schema_invalid", times=None, match="name: Person 01")

    result = draft(db_path, session_id, llm_server)

    assert result.returncode == 1
    assert "Person 01: repairing — The answer for Person 01 did not fit: segment was missing" in (
        result.stderr
    )
    assert "the model sent the same answer again" in result.stderr
    with SessionStore.open(db_path) as store:
        statuses = sorted(c["status"] for c in store.llm_calls(session_id))
        usage = store.usage(session_id)
    assert statuses == ["ok", "schema_invalid", "schema_invalid"]
    assert usage["failed"] == 2


def test_doctor_reports_what_it_found_and_what_drafts_will_use(llm_server, db_path):
    like_llama_cpp(llm_server)
    result = subprocess.run(
        [str(WORKSHOP), "--db", str(db_path), "doctor"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        env=os.environ | llm_server.env(model="qwen"),
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert "No JSON-schema support" in result.stdout
    assert "drafts will use JSON mode with the schema (decoding constrained by the server)" in (
        result.stdout
    )
