"""`workshop doctor`: is the model reachable, does the key work, what does it support?"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from pydantic import BaseModel

from sessions import LlmCall
from sessions.text import clean_text
from workshop.drafting.capabilities import Capabilities
from workshop.drafting.config import ModelSettings
from workshop.drafting.engine import FORMAT, answer_schema
from workshop.drafting.faults import (
    DraftError,
    MalformedJSONFault,
    SchemaInvalidFault,
    from_openai_error,
)
from workshop.drafting.formats import DESCRIPTIONS, JSON_SCHEMA, LADDER, response_format


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    warning: bool = False  # works, but not as well as it could

    def __post_init__(self) -> None:
        # Details quote the endpoint (model names, error bodies) and go to the terminal.
        self.detail = clean_text(self.detail)


class _Ping(BaseModel):
    ok: bool


async def run_checks(
    settings: ModelSettings, record_call, capabilities: Capabilities | None = None
) -> list[Check]:
    """Each check in turn; a failure that makes the rest pointless stops there."""
    import openai

    capabilities = capabilities or Capabilities()
    client = openai.AsyncOpenAI(
        base_url=settings.base_url,
        api_key=settings.api_key.get_secret_value(),
        timeout=min(settings.timeout, 20.0),
        max_retries=0,
    )
    host, model = settings.endpoint_host, settings.model
    checks: list[Check] = []
    unlisted: str | None = None  # what the endpoint lists, when the model is not in it
    try:
        try:
            listed = [m.id async for m in await client.models.list()]
        except openai.APIError as error:
            fault = from_openai_error(error, host, model)
            if isinstance(error, openai.NotFoundError):
                checks.append(Check("models", True, f"{host} does not list models.", warning=True))
            else:
                checks.append(Check("endpoint", False, fault.message))
                return checks
        else:
            checks.append(Check("endpoint", True, f"{host} answers; the key is accepted."))
            if model in listed:
                checks.append(Check("model", True, f"{model!r} is offered."))
            else:
                unlisted = ", ".join(sorted(listed)[:12]) or "none"
        messages = [{"role": "user", "content": "Reply with the single word OK."}]
        reply = await _call(client, settings, record_call, "doctor", messages)
        if unlisted is not None:
            # llama.cpp's servers list a file path and serve their one model under any name.
            answered = not isinstance(reply, DraftError)
            detail = (
                f"{model!r} is not listed by {host} (it lists {unlisted}), but it answers "
                "under that name."
                if answered
                else f"{model!r} is not offered by {host}; it offers: {unlisted}."
            )
            checks.append(Check("model", answered, detail, warning=answered))
            if not answered:
                return checks
        if isinstance(reply, DraftError):
            checks.append(Check("request", False, reply.message))
            return checks
        checks.append(Check("request", True, f"A small request worked: {reply[:40]!r}."))
        mode, refused = await _best_format(client, settings, record_call)
        if mode is None:
            # Nothing is remembered: the drafts find their way themselves, request by request.
            checks.append(
                Check(
                    "json",
                    False,
                    f"No response format gave a usable answer ({refused}). Drafts may fail; "
                    "a larger or instruction-tuned model usually answers in JSON.",
                )
            )
            return checks
        capabilities.set(host, model, JSON_SCHEMA, mode == JSON_SCHEMA)
        capabilities.set(host, model, FORMAT, mode)
        if mode == JSON_SCHEMA:
            checks.append(Check("json schema", True, "Structured output (JSON schema) works."))
        else:
            checks.append(
                Check(
                    "json schema",
                    True,
                    f"No JSON-schema support ({refused}); drafts will use {DESCRIPTIONS[mode]}.",
                    warning=True,
                )
            )
    finally:
        await client.close()
    return checks


async def _best_format(client, settings, record_call) -> tuple[str | None, str]:
    """The best response_format the endpoint answers correctly (None: none did), and why
    better ones failed."""
    ask = [{"role": "user", "content": 'Answer with the JSON object {"ok": true}.'}]
    refused = ""
    for mode in LADDER:
        reply = await _call(
            client,
            settings,
            record_call,
            f"doctor:{mode}",
            ask,
            response_format=response_format(mode, "Ping", answer_schema(_Ping)),
        )
        if not isinstance(reply, DraftError):
            return mode, refused
        refused = refused or reply.message
    return None, refused


async def _call(client, settings, record_call, purpose, messages, **extra) -> str | DraftError:
    import openai

    started = time.perf_counter()
    call = LlmCall(
        purpose=purpose,
        model=settings.model,
        endpoint_host=settings.endpoint_host,
        messages=messages,
    )
    try:
        completion = await client.chat.completions.create(
            model=settings.model, messages=messages, **extra
        )
    except openai.APIError as error:
        fault = from_openai_error(error, settings.endpoint_host, settings.model)
        call.status, call.error = fault.kind, fault.message
        call.latency_ms = (time.perf_counter() - started) * 1000
        record_call(call)
        return fault
    call.latency_ms = (time.perf_counter() - started) * 1000
    content = completion.choices[0].message.content or "" if completion.choices else ""
    call.response = content
    if completion.usage:
        call.tokens_in = completion.usage.prompt_tokens
        call.tokens_out = completion.usage.completion_tokens
    # Judged before it is logged: the record says what the answer was, not that one came.
    fault = _judged(content, bool(extra.get("response_format")), settings.endpoint_host)
    if fault is not None:
        call.status, call.error = fault.kind, fault.message
    record_call(call)
    return content if fault is None else fault


def _judged(content: str, structured: bool, host: str) -> DraftError | None:
    if not content.strip():
        return MalformedJSONFault(f"{host} sent an empty answer.")
    if not structured:
        return None
    try:
        data = json.loads(content)
    except ValueError:
        return MalformedJSONFault(f"{host} answered, but not with JSON: {content[:60]!r}.")
    try:
        _Ping.model_validate(data)
    except ValueError:
        return SchemaInvalidFault(
            f'{host} answered with JSON that does not fit the schema (asked for {{"ok": true}}, '
            f"got {content[:60]!r})."
        )
    return None
