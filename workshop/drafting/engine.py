"""The drafting engine: one streamed, validated, recorded request per draft.

It knows nothing of screens or of SQL: it gets rendered jobs, reports progress through a
callback, hands every call to `record_call` (the service stores it) and returns results.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from prompt_library import PromptLibrary, data_block
from sessions import LlmCall
from workshop.drafting.capabilities import Capabilities
from workshop.drafting.config import ModelSettings
from workshop.drafting.draft_job import DraftJob, DraftResult, Progress, ProgressCallback
from workshop.drafting.faults import (
    CancelledDraft,
    ContextTooLongFault,
    CutByServerFault,
    DraftError,
    MalformedJSONFault,
    RefusalFault,
    RequestRejectedFault,
    SchemaInvalidFault,
    ServerFault,
    StreamDroppedFault,
    TruncatedFault,
    from_openai_error,
    plain_validation,
)
from workshop.drafting.formats import (
    DESCRIPTIONS,
    JSON_OBJECT,
    JSON_OBJECT_SCHEMA,
    JSON_SCHEMA,
    LADDER,
    refuses_format,
    response_format,
    step_down,
    with_schema_in_prompt,
)
from workshop.drafting.normalise import normalise
from workshop.drafting.partial import map_strings, parse_answer, parse_partial
from workshop.drafting.slots import DEFAULT, Slots
from workshop.drafting.tokens import counter_for_model, estimate_cost

__all__ = [
    "DESCRIPTIONS",
    "JSON_OBJECT",
    "JSON_OBJECT_SCHEMA",
    "JSON_SCHEMA",
    "DraftJob",
    "DraftResult",
    "DraftingEngine",
    "Progress",
    "ProgressCallback",
]
FORMAT = "response_format"  # the capabilities remembered per endpoint and model
CONCURRENCY = "concurrency"


class _Requeue(Exception):
    """A draft cut by the server because others were in flight: run it again, later."""


@dataclass
class _Reply:
    content: str
    finish_reason: str | None
    refusal: str
    tokens_in: int  # as reported, else as counted by the app
    tokens_out: int
    counted: bool  # the endpoint reported no usage
    call_id: str
    answer: BaseModel | None = None
    problem: DraftError | None = None  # the answer came, but did not parse or fit


class DraftingEngine:
    def __init__(
        self,
        settings: ModelSettings,
        library: PromptLibrary,
        record_call: Callable[[LlmCall], str],
        capabilities: Capabilities | None = None,
    ) -> None:
        self.settings = settings
        self.library = library
        self.record_call = record_call
        self.capabilities = capabilities or Capabilities()
        self.counter = counter_for_model(settings.model)
        self._client: Any = None
        # Made now, not at the first draft: importing openai takes most of a second, and
        # whoever builds the engine (the TUI does it in a thread) can afford to wait.
        self.client()

    def client(self) -> Any:
        if self._client is None:
            import openai  # costs most of a second: only when the first draft is asked for

            self._client = openai.AsyncOpenAI(
                base_url=self.settings.base_url,
                api_key=self.settings.api_key.get_secret_value(),
                timeout=self.settings.timeout,
                max_retries=self.settings.max_retries,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    # What would be sent -------------------------------------------------------------

    def mode(self) -> str:
        """The best response_format not yet seen refused by this endpoint and model."""
        if self.settings.json_schema:
            return JSON_SCHEMA
        host, model = self.settings.endpoint_host, self.settings.model
        known = self.capabilities.get(host, model, FORMAT)
        if isinstance(known, str) and known in LADDER:
            mode = known
        elif self.capabilities.get(host, model, JSON_SCHEMA) is False:
            mode = JSON_OBJECT_SCHEMA  # what `doctor` (or an older version) found
        else:
            mode = JSON_SCHEMA
        if self.settings.json_schema is False and mode == JSON_SCHEMA:
            mode = JSON_OBJECT_SCHEMA
        return mode

    def max_tokens(self, job: DraftJob) -> int:
        limit = self.settings.max_output_tokens
        return min(job.max_tokens, limit) if job.max_tokens else limit

    def request(
        self, job: DraftJob, messages: list[dict] | None = None, mode: str | None = None
    ) -> dict[str, Any]:
        """The exact request body for a job: what the privacy preview shows."""
        messages = messages if messages is not None else job.template.render(**job.variables)
        mode = mode or self.mode()
        schema = answer_schema(job.answer_model)
        return {
            "model": self.settings.model,
            "messages": with_schema_in_prompt(mode, messages, schema),
            "response_format": response_format(mode, job.answer_model.__name__, schema),
            "temperature": (
                self.settings.temperature if job.temperature is None else job.temperature
            ),
            "max_tokens": self.max_tokens(job),
        }

    def count_tokens(self, messages: list[dict]) -> int:
        return self.counter.count_messages(messages)

    # Drafting -----------------------------------------------------------------------

    async def draft_all(
        self,
        jobs: Sequence[DraftJob],
        on_progress: ProgressCallback | None = None,
        on_result: Callable[[DraftResult], None] | None = None,
    ) -> list[DraftResult]:
        """All jobs concurrently, at most `concurrency` in flight; one failure stops none.

        `on_result` sees each result as soon as it is in, so that a cancelled round still
        keeps the drafts that had finished.
        """
        slots = Slots(self.start_limit(), adaptive=self.settings.concurrency is None)
        for job in jobs:
            _report(on_progress, job, "queued")

        async def one(job: DraftJob) -> DraftResult:
            while True:
                try:
                    async with slots:
                        result = await self.draft(job, on_progress, slots)
                except _Requeue:
                    continue  # its slot is free again; it waits its turn like the rest
                break
            if on_result is not None:
                on_result(result)
            return result

        return list(await asyncio.gather(*(one(job) for job in jobs)))

    def start_limit(self) -> int:
        """Drafts in flight at the start: the profile's, else what this server took."""
        if self.settings.concurrency:
            return self.settings.concurrency
        known = self.capabilities.get(self.settings.endpoint_host, self.settings.model, CONCURRENCY)
        return known if type(known) is int and known >= 1 else DEFAULT

    async def draft(
        self,
        job: DraftJob,
        on_progress: ProgressCallback | None = None,
        slots: Slots | None = None,
    ) -> DraftResult:
        result = DraftResult(job)
        started, crowded = (slots.started, slots.crowded()) if slots else (0, False)
        try:
            result.answer, result.call_id = await self._draft(job, result, on_progress)
        except DraftError as error:
            result.call_id = error.call_id
            if (
                slots
                and slots.adaptive
                and _cut_for_company(error)
                and (crowded or slots.crowded() or slots.started != started)
            ):
                self._one_at_a_time(slots, job, on_progress)
                raise _Requeue from None
            result.error = error
            _report(on_progress, job, "failed", message=error.message)
            return result
        except asyncio.CancelledError:
            result.error = CancelledDraft("Cancelled; nothing was saved for this draft.")
            _report(on_progress, job, "cancelled", message=result.error.message)
            raise
        result.cost = estimate_cost(
            result.tokens_in, result.tokens_out, self.settings.price_in, self.settings.price_out
        )
        _report(on_progress, job, "done")
        return result

    def _one_at_a_time(self, slots: Slots, job: DraftJob, on_progress) -> None:
        if not slots.shrink():
            _report(on_progress, job, "queued")
            return
        # Remembered, so that the next round starts at one and nothing is cut.
        self.capabilities.set(self.settings.endpoint_host, self.settings.model, CONCURRENCY, 1)
        _report(
            on_progress,
            job,
            "queued",
            message="the server takes one request at a time: drafting one by one from here",
        )

    async def _draft(
        self, job: DraftJob, result: DraftResult, on_progress: ProgressCallback | None
    ) -> tuple[BaseModel, str]:
        messages = job.template.render(**job.variables)
        reply = await self._send_with_fallback(job, messages, result, on_progress)
        broken = job.check(reply.answer) if job.check and reply.answer is not None else None
        if reply.answer is not None and (broken is None or not job.repair):
            return reply.answer, reply.call_id
        problem = reply.problem or MalformedJSONFault(broken or f"No answer for {job.label}.")
        if not job.repair:
            raise problem
        # One repair: the model sees its own answer and what was wrong with it.
        _report(on_progress, job, "repairing", message=f"{problem.message} Asking for a fix.")
        repair = self.library.get("repair").render(
            error=data_block("validation error", problem.message),
            schema=json.dumps(answer_schema(job.answer_model), ensure_ascii=False),
        )
        retry = [*messages, {"role": "assistant", "content": reply.content}, *repair]
        second = await self._send_with_fallback(job, retry, result, on_progress, "repair")
        if second.answer is not None and (reply.answer is None or not job.check(second.answer)):
            return second.answer, second.call_id
        if reply.answer is not None:
            # The fix was no better: the first answer, settled by the app where it can be.
            kept = job.settle(reply.answer) if job.settle else reply.answer
            return kept, reply.call_id
        again = second.problem or problem
        same = " (the model sent the same answer again)" if second.content == reply.content else ""
        failure = type(again)(f"{again.message} A request to fix it did not help{same}.")
        failure.call_id = again.call_id
        raise failure

    async def _send_with_fallback(
        self,
        job: DraftJob,
        messages: list[dict],
        result: DraftResult,
        on_progress: ProgressCallback | None,
        stage: str = "",
    ) -> _Reply:
        # Drafts run side by side, so another job may have stepped the mode down meanwhile:
        # each request starts from the mode known now and steps down from where it was sent.
        mode = self.mode()
        while True:
            try:
                reply = await self._send_once_more_if_dropped(
                    job, messages, on_progress, stage, mode
                )
                break
            except (RequestRejectedFault, ServerFault) as error:
                lower = step_down(mode)
                if lower is None or not refuses_format(error.detail or error.message):
                    raise
                # Remembered, so that the next call goes straight to the mode that works.
                self.capabilities.set(
                    self.settings.endpoint_host, self.settings.model, FORMAT, lower
                )
                mode = lower
        result.tokens_in += reply.tokens_in
        result.tokens_out += reply.tokens_out
        result.calls += 1
        result.counted += reply.counted
        return reply

    async def _send_once_more_if_dropped(
        self,
        job: DraftJob,
        messages: list[dict],
        on_progress: ProgressCallback | None,
        stage: str,
        mode: str,
    ) -> _Reply:
        try:
            return await self._send(job, messages, on_progress, stage, mode)
        except StreamDroppedFault:
            return await self._send(job, messages, on_progress, stage, mode)

    async def _send(
        self,
        job: DraftJob,
        messages: list[dict],
        on_progress: ProgressCallback | None,
        stage: str,
        mode: str,
    ) -> _Reply:
        request = self.request(job, messages, mode)
        counted = self.count_tokens(request["messages"])
        call = LlmCall(
            session_id=job.session_id,
            purpose=f"{job.purpose}:{stage}" if stage else job.purpose,
            model=self.settings.model,
            endpoint_host=self.settings.endpoint_host,
            template_id=job.template.id,
            template_hash=job.template.content_hash,
            messages=request["messages"],
            tokens_counted=counted,
        )
        budget = self.settings.context_window - request["max_tokens"]
        if counted > budget:
            error = ContextTooLongFault(
                f"The request for {job.label} is {counted:,} tokens, more than the "
                f"{budget:,} this model leaves for a prompt; shorten the notes or use a "
                "model with a larger context window."
            )
            self._record(call, "", error)
            raise error
        _report(on_progress, job, "sending")
        started = time.perf_counter()
        content, refusal, finish, usage = [], [], None, None
        first_token_ms: float | None = None
        try:
            stream = await self.client().chat.completions.create(
                **request, stream=True, stream_options={"include_usage": True}
            )
            async for chunk in stream:
                if chunk.usage is not None:
                    usage = chunk.usage
                for choice in chunk.choices:
                    delta = choice.delta
                    if delta.content:
                        if first_token_ms is None:
                            first_token_ms = (time.perf_counter() - started) * 1000
                        content.append(delta.content)
                        partial = parse_partial("".join(content))
                        _report(on_progress, job, "streaming", partial=partial)
                    if getattr(delta, "refusal", None):
                        refusal.append(delta.refusal)
                    if choice.finish_reason:
                        finish = choice.finish_reason
        except asyncio.CancelledError:
            call.latency_ms = (time.perf_counter() - started) * 1000
            self._record(call, "".join(content), CancelledDraft("cancelled"))
            raise
        except Exception as error:  # every failure is recorded, then typed
            typed = self._typed(error, bool(content))
            call.latency_ms = (time.perf_counter() - started) * 1000
            self._record(call, "".join(content), typed)
            raise typed from None
        call.latency_ms = (time.perf_counter() - started) * 1000
        call.first_token_ms = first_token_ms
        if usage is not None:
            call.tokens_in, call.tokens_out = usage.prompt_tokens, usage.completion_tokens
        text = "".join(content)
        call.tokens_out_counted = self.counter.count_text(text)
        problem = _finish_problem(job, finish, "".join(refusal), bool(text))
        if finish is None and not refusal:
            problem = CutByServerFault(
                f"{self.settings.endpoint_host} ended the answer for {job.label} before it "
                "was finished (no finish reason); nothing partial was kept. A server that "
                "takes one request at a time does this when another arrives: set "
                "concurrency = 1 in the profile, or leave it unset so the app adapts."
            )
        if problem:
            self._record(call, text, problem)
            raise problem
        answer, unfit = None, None
        try:
            answer = self._answer(job, text)
        except (MalformedJSONFault, SchemaInvalidFault) as error:
            unfit = error  # logged as what happened, then repaired or reported
        call_id = self._record(call, text, unfit)
        reported = call.tokens_in is not None
        return _Reply(
            text,
            finish,
            "".join(refusal),
            call.tokens_in if reported else call.tokens_counted or 0,
            call.tokens_out if call.tokens_out is not None else call.tokens_out_counted or 0,
            not reported,
            call_id,
            answer,
            unfit,
        )

    def _typed(self, error: Exception, streaming: bool) -> DraftError:
        import openai

        if isinstance(error, DraftError):
            return error
        if streaming and not isinstance(error, openai.APIStatusError):
            return StreamDroppedFault(
                f"The connection to {self.settings.endpoint_host} dropped half-way through "
                "the answer; nothing partial was kept. Try again."
            )
        if isinstance(error, openai.APIError):
            return from_openai_error(error, self.settings.endpoint_host, self.settings.model)
        # httpx2 transport errors raised while iterating a stream arrive unwrapped.
        return StreamDroppedFault(
            f"The connection to {self.settings.endpoint_host} failed ({type(error).__name__}); "
            "try again."
        )

    def _record(self, call: LlmCall, response: str, error: DraftError | None) -> str:
        call.response = response
        call.status = error.kind if error else "ok"
        call.error = error.message if error else ""
        call_id = self.record_call(call)
        if error is not None:
            error.call_id = call_id  # what a cut answer already gave can still be traced to it
        return call_id

    def _answer(self, job: DraftJob, text: str) -> BaseModel:
        try:
            data = parse_answer(text)
        except MalformedJSONFault as error:
            raise MalformedJSONFault(f"The answer for {job.label}: {error.message}") from None
        data = normalise(data, answer_schema(job.answer_model))
        if job.restore is not None:
            data = map_strings(data, job.restore)
        data.update(job.fixed)
        try:
            return job.answer_model.model_validate(data)
        except ValidationError as error:
            raise SchemaInvalidFault(
                f"The answer for {job.label} did not fit: {plain_validation(error)}"
            ) from None


def answer_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The strict JSON schema OpenAI-style endpoints accept for a pydantic model."""
    from openai.lib._pydantic import to_strict_json_schema  # what .parse() itself uses

    return to_strict_json_schema(model)


def _finish_problem(
    job: DraftJob, finish: str | None, refusal: str, has_text: bool
) -> DraftError | None:
    if refusal:
        return RefusalFault(f"The model declined to draft {job.label}: {refusal.strip()}")
    if finish == "length":
        return TruncatedFault(
            f"The answer for {job.label} was cut off at the model's length limit; "
            "nothing partial was kept. Try again, or shorten the notes."
        )
    if finish == "content_filter":
        return RefusalFault(f"The endpoint's content filter stopped the draft for {job.label}.")
    if not has_text:
        return MalformedJSONFault(f"The model sent an empty answer for {job.label}.")
    return None


def _cut_for_company(error: DraftError) -> bool:
    """A fault that a server which takes one request at a time gives the ones it cannot."""
    return isinstance(error, CutByServerFault) or (
        isinstance(error, ServerFault) and "(503)" in error.message
    )


def _report(
    on_progress: ProgressCallback | None,
    job: DraftJob,
    state: str,
    partial: dict[str, Any] | None = None,
    message: str = "",
) -> None:
    if on_progress is not None:
        on_progress(Progress(job.key, job.label, state, partial, message))
