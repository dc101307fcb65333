"""Tests of the OpenAI-compatible test server, driven by the real openai 3.x client.

No wall-clock thresholds: ordering and concurrency are asserted on the server's records.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

import openai
import pydantic
import pytest
from openai.lib._parsing._completions import type_to_response_format_param
from pydantic import BaseModel, Field
from support.llm_server import CHAT_PATH, Fault, LLMServer, example_from_schema

# The fixtures `llm_server` and `refused_base_url` come from the plugin support.llm_server,
# registered once in tests/conftest.py (importing them by name works too, but then ruff
# reports F811 on every test that takes them).

MODEL = "test-model"


class Channel(StrEnum):
    email = "email"
    workshop = "workshop"


class Contact(BaseModel):
    name: str
    role: str | None
    channel: Channel


class Outcome(BaseModel):
    outcome: str
    metric: str
    target: Annotated[float, Field(gt=0, le=100)]
    due: date
    owner: Contact
    kind: Literal["outcome"] = "outcome"


class Draft(BaseModel):
    title: Annotated[str, Field(min_length=3, max_length=80)]
    summary: str
    outcomes: list[Outcome]
    backup: Contact | None
    confidence: Annotated[int, Field(ge=1, le=5)]
    approved: bool
    tags: list[str]


def make_client(server: LLMServer, **kwargs) -> openai.AsyncOpenAI:
    kwargs.setdefault("api_key", "test-key")
    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("timeout", 10.0)
    return openai.AsyncOpenAI(base_url=server.base_url, **kwargs)


def ask(text: str = "Draft outcomes for Ada") -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "You draft marketing outcomes."},
        {"role": "user", "content": text},
    ]


# --- the happy paths -----------------------------------------------------------------


async def test_models_list(llm_server: LLMServer) -> None:
    llm_server.models = ["test-model", "other-model"]
    async with make_client(llm_server) as client:
        page = await client.models.list()
        model = await client.models.retrieve("other-model")
    assert [m.id for m in page.data] == ["test-model", "other-model"]
    assert all(m.object == "model" and m.owned_by == "test" for m in page.data)
    assert model.id == "other-model"
    assert llm_server.requests[0].path == "/v1/models"


async def test_plain_completion(llm_server: LLMServer) -> None:
    async with make_client(llm_server) as client:
        completion = await client.chat.completions.create(model=MODEL, messages=ask())
    choice = completion.choices[0]
    assert completion.object == "chat.completion"
    assert choice.finish_reason == "stop"
    assert choice.message.role == "assistant"
    assert "Draft outcomes for Ada" in (choice.message.content or "")
    assert completion.usage is not None
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )
    [record] = llm_server.chat_requests
    assert record.status == 200
    assert not record.streamed
    assert record.headers["authorization"] == "Bearer test-key"
    assert record.body is not None and record.body["messages"] == ask()
    # The server notes the end once the answer is out: the client may read it first.
    assert llm_server.wait_until(lambda s: s.in_flight == 0)
    assert record.end is not None and record.end >= record.start


async def test_streaming_with_usage_chunk(llm_server: LLMServer) -> None:
    async with make_client(llm_server) as client:
        stream = await client.chat.completions.create(
            model=MODEL, messages=ask(), stream=True, stream_options={"include_usage": True}
        )
        chunks = [chunk async for chunk in stream]
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop" and set(finishes[:-1]) == {None}
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert all(c.usage is None for c in chunks[:-1])
    [record] = llm_server.chat_requests
    assert record.streamed and record.content == text
    assert len(record.chunk_times) == len(chunks)
    assert len([c for c in chunks if c.choices and c.choices[0].delta.content]) > 3


async def test_no_usage_chunk_unless_asked(llm_server: LLMServer) -> None:
    async with make_client(llm_server) as client:
        stream = await client.chat.completions.create(model=MODEL, messages=ask(), stream=True)
        chunks = [chunk async for chunk in stream]
    assert all(c.choices for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"


async def test_stream_arrives_chunk_by_chunk(llm_server: LLMServer) -> None:
    llm_server.token_rate = 40
    async with make_client(llm_server) as client:
        stream = await client.chat.completions.create(model=MODEL, messages=ask(), stream=True)
        first_content_at = None
        async for chunk in stream:
            if first_content_at is None and chunk.choices and chunk.choices[0].delta.content:
                first_content_at = time.monotonic()
    [record] = llm_server.chat_requests
    # The client had the first piece before the server had even sent the last one.
    assert first_content_at is not None
    assert first_content_at < record.chunk_times[-1]
    assert record.chunk_times == sorted(record.chunk_times)


async def test_parse_returns_model_instance(llm_server: LLMServer) -> None:
    async with make_client(llm_server) as client:
        completion = await client.chat.completions.parse(
            model=MODEL, messages=ask(), response_format=Draft
        )
    parsed = completion.choices[0].message.parsed
    assert isinstance(parsed, Draft)
    assert parsed.outcomes and isinstance(parsed.outcomes[0].owner, Contact)
    assert parsed.title == "Example title"
    [record] = llm_server.chat_requests
    assert record.response_format_type == "json_schema"
    assert record.body["response_format"]["json_schema"]["strict"] is True


async def test_stream_helper_with_response_format(llm_server: LLMServer) -> None:
    llm_server.chunk_size = 3
    async with (
        make_client(llm_server) as client,
        client.chat.completions.stream(
            model=MODEL, messages=ask(), response_format=Draft
        ) as stream,
    ):
        deltas = [event async for event in stream if event.type == "content.delta"]
        final = await stream.get_final_completion()
    assert len(deltas) > 10
    assert isinstance(final.choices[0].message.parsed, Draft)
    assert llm_server.chat_requests[0].streamed


async def test_json_object_mode_and_custom_responder(llm_server: LLMServer) -> None:
    async with make_client(llm_server) as client:
        completion = await client.chat.completions.create(
            model=MODEL, messages=ask(), response_format={"type": "json_object"}
        )
        assert json.loads(completion.choices[0].message.content or "") == {}

        llm_server.responder = lambda body: {"echo": body["messages"][-1]["content"]}
        completion = await client.chat.completions.create(model=MODEL, messages=ask("hello"))
    assert json.loads(completion.choices[0].message.content or "") == {"echo": "hello"}


def test_example_from_schema_validates() -> None:
    schema = type_to_response_format_param(Draft)["json_schema"]["schema"]
    instance = example_from_schema(schema)
    draft = Draft.model_validate(instance)
    assert draft.outcomes[0].kind == "outcome"
    assert draft.backup is not None  # optional fields are filled in, not nulled
    assert 0 < draft.outcomes[0].target <= 100
    assert 1 <= draft.confidence <= 5
    # The plain pydantic schema too (defaults, non-strict).
    Draft.model_validate(example_from_schema(Draft.model_json_schema()))


def test_example_from_schema_keywords() -> None:
    schema = {
        "type": "object",
        "definitions": {"Tag": {"type": "string", "minLength": 14}},
        "properties": {
            "const": {"const": 7},
            "choice": {"enum": ["b", "a"]},
            "nullable": {"type": ["null", "integer"], "exclusiveMinimum": 3},
            "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            "tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}, "minItems": 2},
            "empty": {"type": "array", "maxItems": 0},
            "pair": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "boolean"}]},
            "when": {"type": "string", "format": "date-time"},
            "both": {"allOf": [{"properties": {"a": {"type": "integer"}}}, {"required": ["a"]}]},
            "nothing": {"type": "null"},
        },
    }
    assert example_from_schema(schema) == {
        "const": 7,
        "choice": "b",
        "nullable": 4,
        "ratio": 0.5,
        "tags": ["Example tagsxx", "Example tagsxx"],
        "empty": [],
        "pair": [1, True],
        "when": "2025-01-31T09:00:00Z",
        "both": {"a": 1},
        "nothing": None,
    }


def test_example_from_schema_recursive() -> None:
    class Node(BaseModel):
        label: str
        children: list[Node]
        parent: Node | None

    schema = type_to_response_format_param(Node)["json_schema"]["schema"]
    Node.model_validate(example_from_schema(schema))


# --- JSON-schema support ------------------------------------------------------------


async def test_json_schema_rejected_when_unsupported(llm_server: LLMServer) -> None:
    llm_server.supports_json_schema = False
    async with make_client(llm_server) as client:
        with pytest.raises(openai.BadRequestError) as caught:
            await client.chat.completions.parse(model=MODEL, messages=ask(), response_format=Draft)
        # JSON mode is still accepted: the fallback path.
        completion = await client.chat.completions.create(
            model=MODEL, messages=ask(), response_format={"type": "json_object"}
        )
    assert "response_format" in caught.value.message and "json_schema" in caught.value.message
    assert caught.value.body["param"] == "response_format"
    assert completion.choices[0].message.content == "{}"


async def test_reject_json_schema_fault_hits_once(llm_server: LLMServer) -> None:
    fault = llm_server.add_fault("reject_json_schema")
    async with make_client(llm_server) as client:
        # A plain request does not use the fault up.
        await client.chat.completions.create(model=MODEL, messages=ask())
        with pytest.raises(openai.BadRequestError):
            await client.chat.completions.parse(model=MODEL, messages=ask(), response_format=Draft)
        again = await client.chat.completions.parse(
            model=MODEL, messages=ask(), response_format=Draft
        )
    assert isinstance(again.choices[0].message.parsed, Draft)
    assert fault.hits == 1 and fault.used_up and llm_server.faults == ()
    assert [r.status for r in llm_server.chat_requests] == [200, 400, 200]


# --- faults -----------------------------------------------------------------------


async def test_rate_limit(llm_server: LLMServer) -> None:
    llm_server.add_fault("rate_limit", retry_after=2)
    async with make_client(llm_server) as client:
        with pytest.raises(openai.RateLimitError) as caught:
            await client.chat.completions.create(model=MODEL, messages=ask())
    assert caught.value.status_code == 429
    assert caught.value.response.headers["retry-after"] == "2"
    assert caught.value.code == "rate_limit_exceeded"
    assert llm_server.chat_requests[0].fault == "rate_limit"


async def test_rate_limit_retried_by_client_after_retry_after(llm_server: LLMServer) -> None:
    fault = llm_server.add_fault("rate_limit", times=2, retry_after=0.01)
    async with make_client(llm_server, max_retries=2) as client:
        completion = await client.chat.completions.create(model=MODEL, messages=ask())
    assert completion.choices[0].message.content
    assert fault.hits == 2
    assert [r.status for r in llm_server.chat_requests] == [429, 429, 200]


async def test_server_errors(llm_server: LLMServer) -> None:
    llm_server.add_fault("server_error")
    llm_server.add_fault("server_error", status=503)
    async with make_client(llm_server) as client:
        with pytest.raises(openai.InternalServerError) as first:
            await client.chat.completions.create(model=MODEL, messages=ask())
        with pytest.raises(openai.InternalServerError) as second:
            await client.chat.completions.create(model=MODEL, messages=ask())
    assert first.value.status_code == 500
    assert second.value.status_code == 503


async def test_timeout(llm_server: LLMServer) -> None:
    llm_server.add_fault("timeout")
    async with make_client(llm_server, timeout=0.5) as client:
        with pytest.raises(openai.APITimeoutError):
            await client.chat.completions.create(model=MODEL, messages=ask())
    # The server notices the client left and releases the held request.
    finished = await asyncio.to_thread(
        llm_server.wait_until, lambda s: s.chat_requests[0].finished, 10
    )
    assert finished
    record = llm_server.chat_requests[0]
    assert record.fault == "timeout" and record.status is None and record.client_disconnected


async def test_stall_mid_stream_times_out(llm_server: LLMServer) -> None:
    llm_server.add_fault("timeout", after_chunks=2)
    received: list[str] = []
    async with make_client(llm_server, timeout=0.5) as client:
        stream = await client.chat.completions.create(model=MODEL, messages=ask(), stream=True)
        with pytest.raises(openai.APITimeoutError):
            async for chunk in stream:
                received.append(chunk.choices[0].delta.content or "")
    assert len([piece for piece in received if piece]) == 2


async def test_refused_connection(refused_base_url: str) -> None:
    async with openai.AsyncOpenAI(
        base_url=refused_base_url, api_key="test-key", max_retries=0, timeout=5
    ) as client:
        with pytest.raises(openai.APIConnectionError) as caught:
            await client.chat.completions.create(model=MODEL, messages=ask())
    assert not isinstance(caught.value, openai.APITimeoutError)


async def test_malformed_json(llm_server: LLMServer) -> None:
    llm_server.add_fault("malformed_json", times=2)
    async with make_client(llm_server) as client:
        completion = await client.chat.completions.create(
            model=MODEL,
            messages=ask(),
            response_format=type_to_response_format_param(Draft),
        )
        with pytest.raises(pydantic.ValidationError):
            await client.chat.completions.parse(model=MODEL, messages=ask(), response_format=Draft)
    content = completion.choices[0].message.content or ""
    assert completion.choices[0].finish_reason == "stop"
    assert content.startswith("{")
    with pytest.raises(json.JSONDecodeError):
        json.loads(content)


async def test_schema_invalid(llm_server: LLMServer) -> None:
    llm_server.add_fault("schema_invalid")
    async with make_client(llm_server) as client:
        with pytest.raises(pydantic.ValidationError):
            await client.chat.completions.parse(model=MODEL, messages=ask(), response_format=Draft)
    assert llm_server.chat_requests[0].content == '{"unexpected": true}'


async def test_truncated(llm_server: LLMServer) -> None:
    llm_server.add_fault("truncated", times=2)
    async with make_client(llm_server) as client:
        with pytest.raises(openai.LengthFinishReasonError):
            await client.chat.completions.parse(model=MODEL, messages=ask(), response_format=Draft)
        with pytest.raises(openai.LengthFinishReasonError):
            async with client.chat.completions.stream(
                model=MODEL, messages=ask(), response_format=Draft
            ) as stream:
                async for _ in stream:
                    pass
    assert [r.finish_reason for r in llm_server.chat_requests] == ["length", "length"]


async def test_refusal(llm_server: LLMServer) -> None:
    llm_server.add_fault("refusal", times=2)
    async with make_client(llm_server) as client:
        completion = await client.chat.completions.parse(
            model=MODEL, messages=ask(), response_format=Draft
        )
        async with client.chat.completions.stream(
            model=MODEL, messages=ask(), response_format=Draft
        ) as stream:
            kinds = {event.type async for event in stream}
            streamed = await stream.get_final_completion()
    message = completion.choices[0].message
    assert message.refusal == "I can't help with that." and message.content is None
    assert message.parsed is None
    assert "refusal.delta" in kinds and "content.delta" not in kinds
    assert streamed.choices[0].message.refusal == "I can't help with that."
    assert streamed.choices[0].message.parsed is None


async def test_drop_stream(llm_server: LLMServer) -> None:
    llm_server.add_fault("drop_stream", chunks=2)
    llm_server.add_fault("drop_stream")
    received: list[str] = []
    async with make_client(llm_server) as client:
        stream = await client.chat.completions.create(model=MODEL, messages=ask(), stream=True)
        with pytest.raises(openai.APIConnectionError):
            async for chunk in stream:
                received.append(chunk.choices[0].delta.content or "")
        with pytest.raises(openai.APIConnectionError):
            await client.chat.completions.create(model=MODEL, messages=ask())
        # The server is still fine afterwards.
        ok = await client.chat.completions.create(model=MODEL, messages=ask())
    assert len([piece for piece in received if piece]) == 2
    assert ok.choices[0].message.content
    assert [r.fault for r in llm_server.chat_requests] == ["drop_stream", "drop_stream", None]


async def test_bad_api_key(llm_server: LLMServer) -> None:
    llm_server.api_key = "right-key"
    async with make_client(llm_server, api_key="wrong-key") as client:
        with pytest.raises(openai.AuthenticationError) as caught:
            await client.chat.completions.create(model=MODEL, messages=ask())
        with pytest.raises(openai.AuthenticationError):
            await client.models.list()
    async with make_client(llm_server, api_key="right-key") as client:
        await client.chat.completions.create(model=MODEL, messages=ask())
    assert caught.value.code == "invalid_api_key"
    assert caught.value.body["type"] == "invalid_request_error"
    assert "wrong-key" not in caught.value.message


def test_missing_api_key_over_plain_http(llm_server: LLMServer) -> None:
    llm_server.api_key = "right-key"
    request = urllib.request.Request(llm_server.base_url + "/models")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 401
    assert json.load(caught.value)["error"]["code"] == "invalid_api_key"


async def test_unknown_model(llm_server: LLMServer) -> None:
    async with make_client(llm_server) as client:
        with pytest.raises(openai.NotFoundError) as caught:
            await client.chat.completions.create(model="no-such-model", messages=ask())
        with pytest.raises(openai.NotFoundError):
            await client.models.retrieve("no-such-model")
    assert caught.value.code == "model_not_found"


async def test_fault_on_models_endpoint(llm_server: LLMServer) -> None:
    llm_server.add_fault("server_error", path="/v1/models", status=502)
    async with make_client(llm_server) as client:
        with pytest.raises(openai.InternalServerError):
            await client.models.list()
        await client.models.list()
        await client.chat.completions.create(model=MODEL, messages=ask())


async def test_fault_once_then_retry_succeeds(llm_server: LLMServer) -> None:
    fault = llm_server.add_fault(Fault("server_error", times=1))
    async with make_client(llm_server) as client:
        with pytest.raises(openai.InternalServerError):
            await client.chat.completions.create(model=MODEL, messages=ask())
        completion = await client.chat.completions.create(model=MODEL, messages=ask())
    assert completion.choices[0].message.content
    assert fault.hits == 1 and fault.remaining == 0
    # And the client's own retry gets through the same way.
    llm_server.add_fault("server_error", status=503, retry_after=0.01)
    async with make_client(llm_server, max_retries=1) as client:
        await client.chat.completions.create(model=MODEL, messages=ask())
    assert [r.status for r in llm_server.chat_requests] == [500, 200, 503, 200]


async def test_match_only_hits_matching_request(llm_server: LLMServer) -> None:
    fault = llm_server.add_fault("server_error", match="Ada")
    async with make_client(llm_server) as client:
        bob = await client.chat.completions.create(model=MODEL, messages=ask("Draft for Bob"))
        with pytest.raises(openai.InternalServerError):
            await client.chat.completions.create(model=MODEL, messages=ask("Draft for Ada"))
        await client.chat.completions.create(model=MODEL, messages=ask("Draft for Ada"))
    assert bob.choices[0].message.content
    assert [(r.fault, "Ada" in r.messages_text) for r in llm_server.chat_requests] == [
        (None, False),
        ("server_error", True),
        (None, True),
    ]
    assert fault.used_up


async def test_fault_without_limit(llm_server: LLMServer) -> None:
    fault = llm_server.add_fault("server_error", times=None, match="Ada")
    async with make_client(llm_server) as client:
        for _ in range(3):
            with pytest.raises(openai.InternalServerError):
                await client.chat.completions.create(model=MODEL, messages=ask())
    assert fault.hits == 3 and llm_server.faults == (fault,)
    llm_server.reset()
    assert llm_server.faults == () and llm_server.requests == []


async def test_concurrency_is_recorded(llm_server: LLMServer) -> None:
    llm_server.latency = 0.3
    async with make_client(llm_server) as client:
        results = await asyncio.gather(
            *(
                client.chat.completions.create(model=MODEL, messages=ask(f"Stakeholder {i}"))
                for i in range(5)
            )
        )
    assert len(results) == 5
    assert llm_server.max_concurrent == 5
    assert llm_server.in_flight == 0


async def test_sequential_requests_are_not_concurrent(llm_server: LLMServer) -> None:
    async with make_client(llm_server) as client:
        for i in range(3):
            await client.chat.completions.create(model=MODEL, messages=ask(f"S{i}"))
    assert llm_server.max_concurrent == 1


# --- other clients and lifecycle ------------------------------------------------------


def test_sync_client_in_a_subprocess(llm_server: LLMServer) -> None:
    code = (
        "import openai, sys\n"
        "c = openai.OpenAI(base_url=sys.argv[1], api_key='test-key', max_retries=0)\n"
        "s = c.chat.completions.create(model='test-model', stream=True,\n"
        "    messages=[{'role': 'user', 'content': 'from a subprocess'}])\n"
        "print(''.join(ch.choices[0].delta.content or '' for ch in s))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, llm_server.base_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "from a subprocess" in result.stdout
    assert llm_server.chat_requests[0].streamed


def test_stop_releases_held_requests() -> None:
    server = LLMServer().start()
    server.add_fault("timeout")  # holds for minutes unless released
    outcome: list[BaseException] = []

    def call() -> None:
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0, timeout=60)
        try:
            client.chat.completions.create(model=MODEL, messages=ask())
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            outcome.append(exc)
        finally:
            client.close()

    caller = threading.Thread(target=call)
    caller.start()
    assert server.wait_until(lambda s: len(s.chat_requests) == 1, 10)
    assert server.in_flight == 1
    server.stop()
    caller.join(30)
    assert not caller.is_alive()
    assert isinstance(outcome[0], openai.APIConnectionError)
    assert not server.running
    assert server.chat_requests[0].finished


def test_fault_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault("explode")


def test_chat_path_constant(llm_server: LLMServer) -> None:
    assert llm_server.base_url.startswith("http://127.0.0.1:")
    assert llm_server.base_url.endswith("/v1")
    assert CHAT_PATH == "/v1/chat/completions"
