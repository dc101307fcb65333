"""The endpoint URL as people give it: a key inside it never shows or is stored, and a
string that is not a URL is said to be one, not "connection refused"."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from support.command import run_workshop
from support.factory import make_session

SECRET = "sk-secret-in-the-url-123"


def _env(server, base_url: str) -> dict[str, str]:
    return os.environ | server.env(model="qwen") | {"OPENAI_BASE_URL": base_url}


def test_a_key_inside_the_url_reaches_no_screen_log_or_dump(llm_server, db_path, tmp_path):
    llm_server.any_model = True
    url = llm_server.base_url.replace("http://", f"http://user:{SECRET}@")
    session_id = make_session(db_path, 2)
    env = _env(llm_server, url)

    drafted = run_workshop(env, "--db", str(db_path), "draft", session_id, "segmentation")
    doctor = run_workshop(env, "--db", str(db_path), "doctor")
    dump = tmp_path / "dump.json"
    run_workshop(env, "--db", str(db_path), "dump", session_id, "-o", str(dump))

    assert drafted.returncode == 0, drafted.stderr
    host = llm_server.base_url.split("//")[1].split("/")[0]
    assert f"with qwen at {host}" in drafted.stderr
    assert "…@" in doctor.stdout  # the endpoint is shown, its user part hidden
    for shown in (drafted.stdout, drafted.stderr, doctor.stdout, doctor.stderr):
        assert SECRET not in shown and "user:" not in shown
    with sqlite3.connect(db_path) as db:
        hosts = {row[0] for row in db.execute("select endpoint_host from llm_calls")}
        everything = "\n".join(db.iterdump())
    assert hosts == {host}
    assert SECRET not in everything
    assert SECRET not in dump.read_text()
    # What the app remembers about endpoints is keyed by host, not by the URL.
    remembered = [p for p in Path(os.environ["HOME"]).rglob("*capabilit*") if p.is_file()]
    assert remembered and all(SECRET not in p.read_text() for p in remembered)


@pytest.mark.parametrize("url", ["::::", "not a url", "ftp://127.0.0.1/v1", "http://:80/v1"])
def test_a_string_that_is_no_endpoint_url_is_said_to_be_one(llm_server, db_path, url):
    result = run_workshop(_env(llm_server, url), "--db", str(db_path), "doctor")

    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert "is not one a client can reach" in said
    assert "connection refused" not in said
    assert json.dumps(url)[1:-1] in said
