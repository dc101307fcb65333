"""Helpers for drafting tests: a model profile pointed at the test server, its answers."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from support.command import run_workshop
from support.llm_server import LLMServer, default_responder, example_from_schema

MODEL_FILE = "/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
API_KEY = "sk-test-DO-NOT-LEAK-7f3a9c"
SCHEMA_IN_PROMPT = "Answer with one JSON object that matches this JSON schema:\n"


def details_request_of(name: str) -> str:
    """A fault `match` that only the request for this person's engagement details holds
    (the placement request names everyone, the details request one person)."""
    return f"The stakeholder:\n\n<<<DATA stakeholder>>>\nname: {name}\n"


def use_test_server(server: LLMServer, tmp_path: Path, monkeypatch, **profile: Any) -> Path:
    """Write a config file with a profile for the server and select it, as a user would."""
    server.api_key = API_KEY
    settings = {
        "base_url": server.base_url,
        "model": "test-model",
        "api_key_env": "TEST_LLM_KEY",
        "timeout": 10,
        "max_retries": 0,
        "concurrency": 8,
    } | profile
    lines = ["[profiles.test]"] + [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    config = tmp_path / "config.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("WORKSHOP_CONFIG", str(config))
    monkeypatch.setenv("WORKSHOP_PROFILE", "test")
    monkeypatch.setenv("TEST_LLM_KEY", API_KEY)
    return config


def schema_following_responder(body: dict[str, Any]) -> str:
    """A model that follows the schema given in the prompt when JSON mode is used."""
    rf = body.get("response_format") or {}
    if rf.get("type") == "json_object":
        for message in reversed(body.get("messages", [])):
            content = message.get("content") or ""
            if message.get("role") == "system" and content.startswith(SCHEMA_IN_PROMPT):
                schema = json.loads(content[len(SCHEMA_IN_PROMPT) :])
                return json.dumps(example_from_schema(schema))
    return default_responder(body)


def echo_label_responder(body: dict[str, Any]) -> str:
    """A segmentation answer whose rationale names the stakeholder as the prompt did."""
    answer = json.loads(default_responder(body))
    user = [m["content"] for m in body.get("messages", []) if m.get("role") == "user"][-1]
    match = re.search(r"^name: (.+)$", user, re.MULTILINE)
    answer["rationale"] = f"{match.group(1) if match else 'Someone'} funds the EU launch."
    answer["segment"] = "champion"
    return json.dumps(answer)


def like_llama_cpp(server: LLMServer) -> None:
    """llama-cpp-python's server as it is: 500 on json_schema, a schema in json_object
    honoured, no usage in streams, one model served under any name (a file path)."""
    server.supports_json_schema = False
    server.json_schema_status = 500
    server.stream_usage = False
    server.any_model = True
    server.models = [MODEL_FILE]


def run_with_server(db_path: Path, server: LLMServer, *args: str) -> subprocess.CompletedProcess:
    """The real `workshop` command against the test server, as a user would run it."""
    return run_workshop(os.environ | server.env(model="qwen"), "--db", str(db_path), *args)


def default_responder_with(**fields: Any):
    """The default model, with these fields of its JSON answer set as given: in each entry
    of a placement list, else at the top; a field the answer has no place for is left out
    (the details of a person already placed carry no segment)."""

    def respond(body: dict[str, Any]) -> str:
        return json.dumps(with_fields(json.loads(default_responder(body)), fields))

    return respond


def with_fields(answer: Any, fields: dict[str, Any]) -> Any:
    """An answer of the default model with some of its fields set (see above)."""
    if not isinstance(answer, dict):
        return answer
    if isinstance(answer.get("placements"), list):
        answer["placements"] = [with_fields(entry, fields) for entry in answer["placements"]]
        return answer
    return answer | {k: v for k, v in fields.items() if k in answer}
