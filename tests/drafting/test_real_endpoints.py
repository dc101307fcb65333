"""Drafting against endpoints as they are: what a llama.cpp server and a small model do.

The test server plays a llama-cpp-python server here: `json_schema` answered with HTTP 500,
a schema inside `json_object` honoured, no usage in streams, any model name served.
"""

from __future__ import annotations

import json

from support.drafting_helpers import details_request_of, like_llama_cpp, run_with_server
from support.factory import make_session

from sessions import ItemKind, SessionStore


def test_a_llama_cpp_server_drafts_everyone_without_doctor_first(llm_server, db_path):
    like_llama_cpp(llm_server)
    session_id = make_session(db_path, 6)

    result = run_with_server(db_path, llm_server, "draft", session_id, "segmentation")

    assert result.returncode == 0, result.stderr
    assert "Placed 6, details for 6, failed 0" in result.stderr
    with SessionStore.open(db_path) as store:
        items = store.load_session(session_id).items_of(ItemKind.SEGMENTATION)
    assert len(items) == 6 and all(i.body["approach"] for i in items)
    sent = [r.body["response_format"] for r in llm_server.chat_requests]
    kept = [f for f in sent if f["type"] == "json_object"]
    # The placements (after the json_schema requests the server refused, retried by the
    # client itself), then the details person by person: never json_schema again, and
    # every one with its schema.
    details = [r for r in llm_server.chat_requests if "Why they were placed" in r.messages_text]
    assert len(details) == 6
    assert all(r.body["response_format"]["type"] == "json_object" for r in details)
    assert all("properties" in f["schema"] for f in kept)
    # every request bounded and steady: a low temperature (none for placing, a choice)
    # and a ceiling on the answer
    assert {r.body["temperature"] for r in details} == {0.2}
    placing = [r for r in llm_server.chat_requests if r not in details]
    assert placing and {r.body["temperature"] for r in placing} == {0.0}
    ceilings = [r.body["max_tokens"] for r in llm_server.chat_requests]
    assert all(0 < n <= 1000 for n in ceilings)


def test_the_format_that_works_is_remembered_for_the_next_draft(llm_server, db_path):
    like_llama_cpp(llm_server)
    session_id = make_session(db_path, 2)
    assert run_with_server(db_path, llm_server, "draft", session_id, "segmentation").returncode == 0
    llm_server.reset()

    assert run_with_server(db_path, llm_server, "draft", session_id, "segmentation").returncode == 0

    # The placement and both people's details, none of them tried as json_schema again.
    assert [r.body["response_format"]["type"] for r in llm_server.chat_requests] == [
        "json_object"
    ] * 3


def capitalised_and_wrapped(text: str) -> str:
    """What a small model does: 'Champion' for champion, ["…"] for a string."""
    data = json.loads(text)
    for entry in data.get("placements", [data]):
        if "segment" in entry:
            entry["segment"] = entry["segment"].replace("_", " ").title()
            entry["rationale"] = [entry["rationale"]]
            entry["confidence"] = str(entry.get("confidence", "")).upper()
        if "approach" in entry:
            entry["approach"] = [entry["approach"]]
    return json.dumps(data)


def test_drift_in_case_and_types_is_normalised_without_a_repair(llm_server, db_path):
    like_llama_cpp(llm_server)
    llm_server.answer_drift = capitalised_and_wrapped
    session_id = make_session(db_path, 3)

    result = run_with_server(db_path, llm_server, "draft", session_id, "segmentation")

    assert result.returncode == 0, result.stderr
    assert "repairing" not in result.stderr
    kept = [
        r for r in llm_server.chat_requests if r.body["response_format"]["type"] == "json_object"
    ]
    assert len(kept) == 1 + 3  # nothing asked twice
    with SessionStore.open(db_path) as store:
        items = store.load_session(session_id).items_of(ItemKind.SEGMENTATION)
    assert len(items) == 3
    assert all(isinstance(i.body["rationale"], str) for i in items)
    assert all(isinstance(i.body["approach"], str) and i.body["approach"] for i in items)


def test_an_answer_that_does_not_fit_is_repaired_visibly_and_logged_as_what_it_was(
    llm_server, db_path
):
    llm_server.any_model = True
    session_id = make_session(db_path, 2)
    llm_server.add_fault("schema_invalid", times=None, match=details_request_of("Person 01"))

    result = run_with_server(db_path, llm_server, "draft", session_id, "segmentation")

    assert result.returncode == 1
    assert (
        "Person 01: repairing — The answer for Person 01 did not fit: motivations was missing"
        in result.stderr
    )
    assert "the model sent the same answer again" in result.stderr
    with SessionStore.open(db_path) as store:
        statuses = sorted(c["status"] for c in store.llm_calls(session_id))
        usage = store.usage(session_id)
    # the placement, Person 00's details, and Person 01's details twice (asked to fix)
    assert statuses == ["ok", "ok", "schema_invalid", "schema_invalid"]
    assert usage["failed"] == 2


def test_doctor_reports_what_it_found_and_what_drafts_will_use(llm_server, db_path):
    like_llama_cpp(llm_server)
    result = run_with_server(db_path, llm_server, "doctor")
    assert "No JSON-schema support" in result.stdout
    assert "drafts will use JSON mode with the schema (decoding constrained by the server)" in (
        result.stdout
    )


def test_without_usage_in_the_stream_the_app_shows_its_own_count_labelled_so(llm_server, db_path):
    like_llama_cpp(llm_server)
    session_id = make_session(db_path, 2)

    drafted = run_with_server(db_path, llm_server, "draft", session_id, "segmentation")
    shown = run_with_server(db_path, llm_server, "show", session_id)

    assert drafted.returncode == 0, drafted.stderr
    summary = next(line for line in drafted.stderr.splitlines() if line.startswith("Placed"))
    assert "tokens 0 in" not in summary
    assert "(counted by the app: the endpoint reports none)" in summary
    calls = next(line for line in shown.stdout.splitlines() if line.startswith("Model calls"))
    assert "tokens 0 in" not in calls and ", 0 out" not in calls
    assert "counted by the app" in calls
    with SessionStore.open(db_path) as store:
        kept = [c for c in store.llm_calls(session_id) if c["status"] == "ok"]
    assert all(c["tokens_out"] is None and c["tokens_out_counted"] > 0 for c in kept)
