"""The test server's fault rules and its record of requests (see llm_server.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CHAT_PATH = "/v1/chat/completions"

FAULT_KINDS = frozenset(
    {
        "timeout",
        "rate_limit",
        "server_error",
        "malformed_json",
        "schema_invalid",
        "truncated",
        "refusal",
        "drop_stream",
        "reject_json_schema",
    }
)


# ---------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------


class Fault:
    """One fault rule.

    ``kind``: one of :data:`FAULT_KINDS`.
    ``times``: how many matching requests it hits before it is used up (``None``: all).
    ``match``: a substring that must appear in the request's messages text.
    ``params`` by kind:

    - ``timeout``: ``seconds`` (default 120) to hold the request without answering;
      the hold ends early when the client goes away or the server stops; if the client is
      still there afterwards, the normal answer follows (a very slow server).
      ``after_chunks=N`` (streaming only): send the role chunk and N content chunks first,
      then stall.
    - ``rate_limit``: ``retry_after`` seconds (default 1; floats allowed, the openai client
      honours them), sent as ``Retry-After``.
    - ``server_error``: ``status`` (default 500), ``message``, optional ``retry_after``.
    - ``malformed_json`` / ``truncated``: ``content`` to send instead of the normal answer
      cut half-way.
    - ``schema_invalid``: ``content`` (default ``{"unexpected": true}``).
    - ``refusal``: ``message`` (default ``"I can't help with that."``).
    - ``drop_stream``: ``chunks`` content chunks sent before the connection is cut
      (default 2); a non-streaming request is cut before any response.
    - ``reject_json_schema``: hits only requests that ask for ``json_schema``.

    Any kind also accepts ``path`` (default ``/v1/chat/completions``); ``timeout``,
    ``rate_limit``, ``server_error`` and ``drop_stream`` can be aimed at ``/v1/models``.
    """

    def __init__(
        self, kind: str, times: int | None = 1, match: str | None = None, **params: Any
    ) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        if times is not None and times < 1:
            raise ValueError("times must be >= 1 or None")
        self.kind = kind
        self.times = times
        self.match = match
        self.params = params
        self.path: str = params.pop("path", CHAT_PATH)
        self.hits = 0

    @property
    def remaining(self) -> int | None:
        return None if self.times is None else max(self.times - self.hits, 0)

    @property
    def used_up(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def _applies(self, path: str, body: dict[str, Any] | None, text: str) -> bool:
        if self.used_up or path != self.path:
            return False
        if self.match is not None and self.match not in text:
            return False
        return not (self.kind == "reject_json_schema" and not _wants_json_schema(body))

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return (
            f"Fault({self.kind!r}, times={self.times!r}, match={self.match!r}{extra}; "
            f"hits={self.hits})"
        )


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


@dataclass
class RecordedRequest:
    """What the server saw and did for one HTTP request.

    Times are ``time.monotonic()`` values; header names are lower-case.
    """

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None
    start: float
    end: float | None = None
    status: int | None = None
    streamed: bool = False
    fault: str | None = None
    fault_rule: Fault | None = None
    headers_sent_at: float | None = None
    chunk_times: list[float] = field(default_factory=list)
    content: str | None = None
    finish_reason: str | None = None
    error: str | None = None
    client_disconnected: bool = False
    generation: int = 0  # which chat request this was, in order of arrival

    @property
    def finished(self) -> bool:
        return self.end is not None

    @property
    def model(self) -> str | None:
        return (self.body or {}).get("model")

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list((self.body or {}).get("messages") or [])

    @property
    def messages_text(self) -> str:
        return _messages_text(self.body)

    @property
    def response_format_type(self) -> str | None:
        rf = (self.body or {}).get("response_format")
        return rf.get("type") if isinstance(rf, dict) else None


def _messages_text(body: dict[str, Any] | None) -> str:
    parts: list[str] = []
    for message in (body or {}).get("messages") or []:
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            for part in content:
                if isinstance(part, dict) and isinstance(part.get("text"), str):
                    parts.append(part["text"])
    return "\n".join(parts)


def _wants_json_schema(body: dict[str, Any] | None) -> bool:
    rf = (body or {}).get("response_format")
    return isinstance(rf, dict) and rf.get("type") == "json_schema"
