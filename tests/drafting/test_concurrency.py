"""A server that takes one request at a time: drafting adapts instead of failing everyone.

The test server plays llama-cpp-python's default here: a new request cuts the stream in
flight, which ends with `[DONE]` and no finish reason.
"""

from __future__ import annotations

from pathlib import Path

from support.drafting_helpers import like_llama_cpp, run_with_server
from support.factory import make_session

from sessions import ItemKind, SessionStore


def one_slot(server) -> None:
    like_llama_cpp(server)
    server.one_slot = True
    server.token_rate = 200  # cuts come between chunks, so answers must take a moment
    server.chunk_size = 8


def drafted(db_path: Path, session_id: str) -> int:
    with SessionStore.open(db_path) as store:
        return len(store.load_session(session_id).items_of(ItemKind.SEGMENTATION))


def test_a_one_slot_server_gets_everyone_drafted_one_at_a_time(llm_server, db_path):
    one_slot(llm_server)
    session_id = make_session(db_path, 5)

    result = run_with_server(db_path, llm_server, "draft", session_id, "segmentation")

    assert result.returncode == 0, result.stderr
    assert llm_server.cut_streams > 0  # the server really cut answers in flight
    # The details come five at once, and the server cuts all but one.
    assert "Placed 5, details for 5, failed 0" in result.stderr
    assert "the server takes one request at a time" in result.stderr
    assert drafted(db_path, session_id) == 5
    # The cut calls are logged as such, and `show` names them so.
    shown = run_with_server(db_path, llm_server, "show", session_id).stdout
    assert f"{llm_server.cut_streams} cut by the server" in shown


def test_the_next_round_starts_at_one_and_nothing_is_cut(llm_server, db_path):
    one_slot(llm_server)
    session_id = make_session(db_path, 3)
    assert run_with_server(db_path, llm_server, "draft", session_id, "segmentation").returncode == 0
    llm_server.reset()
    llm_server.cut_streams = 0

    result = run_with_server(db_path, llm_server, "draft", session_id, "segmentation")

    assert result.returncode == 0, result.stderr
    assert llm_server.cut_streams == 0
    assert llm_server.max_concurrent == 1
    assert "one request at a time" not in result.stderr


def test_a_fixed_concurrency_is_kept_and_the_cut_drafts_say_what_to_change(
    llm_server, db_path, tmp_path, monkeypatch
):
    one_slot(llm_server)
    config = tmp_path / "config.toml"
    config.write_text("[profiles.local]\nconcurrency = 3\n", encoding="utf-8")
    monkeypatch.setenv("WORKSHOP_CONFIG", str(config))
    monkeypatch.setenv("WORKSHOP_PROFILE", "local")
    session_id = make_session(db_path, 3)

    result = run_with_server(db_path, llm_server, "draft", session_id, "segmentation")

    assert result.returncode != 0
    assert "failed" in result.stderr and "concurrency = 1" in result.stderr
    assert llm_server.max_concurrent > 1  # not brought down to one behind the user
