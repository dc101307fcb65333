"""A real OpenAI-compatible Chat Completions server on 127.0.0.1, for tests.

Standard library only: ``http.server.ThreadingHTTPServer`` in a background daemon
thread, HTTP/1.1 with keep-alive, Server-Sent Events written as HTTP chunks and sent
one by one. Because it is real HTTP on a random free port, it serves async tests, sync
tests and subprocesses (the CLI) alike.

Usage in a test module (the ``tests`` folder is on ``sys.path`` through ``pythonpath`` in
pyproject.toml; the root tests/conftest.py registers this module once as a plugin, with
``pytest_plugins = ["support.llm_server"]``, so the fixtures `llm_server` and
`refused_base_url` are there for every test)::

    from support.llm_server import Fault, LLMServer

    async def test_draft(llm_server: LLMServer):
        llm_server.add_fault("rate_limit", retry_after=0.01, match="Ada")
        client = openai.AsyncOpenAI(base_url=llm_server.base_url, api_key="test-key")
        ...
        assert llm_server.max_concurrent == 5

Import it only as ``support.llm_server``, the name the plugin is loaded under, so there is
one copy of its classes. ``from support.llm_server import llm_server`` works too, but ruff
then reports F811 on every test taking the fixture. It also runs standalone, for manual or
tmux tests, from the repository:
``PYTHONPATH=tests python -m support.llm_server --port 8765 --latency 0.2 --token-rate 40``.
(PYTEST_DONT_REWRITE: this module has no assertions; the marker keeps pytest from
rewriting it as a plugin, and from warning if something imported it before the plugin did.)

What it serves (paths under ``/v1``):

- ``GET /v1/models`` and ``GET /v1/models/{id}``.
- ``POST /v1/chat/completions``: plain JSON (``chat.completion`` with ``usage``) or SSE
  when ``"stream": true`` (``chat.completion.chunk`` events, the first delta carrying the
  role, a final chunk with ``finish_reason``, a usage chunk with empty ``choices`` when
  ``stream_options.include_usage`` is true, then ``data: [DONE]``).

What the model says is decided by ``server.responder(body) -> str`` (any other value is
sent as its JSON text; an exception becomes a 500 with the traceback on stderr). The default
(:func:`default_responder`) answers a ``json_schema`` request with an instance generated
from the schema (:func:`example_from_schema`), a ``json_object`` request with ``{}`` and
anything else with a short text.

Knobs (thread-safe attributes, settable between or during requests): ``latency`` (seconds
before the headers of every response), ``token_rate`` (content chunks per second, re-read
before each chunk; ``None``: no pacing), ``chunk_size`` (characters per chunk, default 4),
``models``, ``api_key`` (``None``: any or no key accepted), ``supports_json_schema``,
``responder``. Real endpoints' habits: ``json_schema_status`` (the status of a refused
``json_schema``: 400, or 500 as llama-cpp-python), ``stream_usage`` (``False``: streams
carry no usage), ``any_model`` (any model name is served), ``answer_drift`` (a function
applied to each answer, e.g. a small model's capitalised enum values), ``one_slot`` (a
new chat request cuts the stream in flight, which ends with ``[DONE]`` and no
``finish_reason``; counted in ``cut_streams``).
``n``, ``max_tokens``, ``temperature``, tools… are accepted and ignored.
Faults: :class:`Fault` rules added with :meth:`LLMServer.add_fault`.
Records: ``requests`` / ``chat_requests`` (:class:`RecordedRequest`), ``max_concurrent``,
``in_flight``, ``reset()``, ``wait_until()``.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import re
import select
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from support.llm_faults import (
    CHAT_PATH,
    FAULT_KINDS,
    Fault,
    RecordedRequest,
    _messages_text,
    _wants_json_schema,
)
from support.schema_examples import example_from_schema

__all__ = [
    "CHAT_PATH",
    "FAULT_KINDS",
    "MODELS_PATH",
    "Fault",
    "LLMServer",
    "RecordedRequest",
    "default_responder",
    "example_from_schema",
    "llm_server",
    "refused_base_url",
    "refused_port",
]

MODELS_PATH = "/v1/models"

REFUSAL_TEXT = "I can't help with that."
JSON_SCHEMA_UNSUPPORTED = (
    "response_format json_schema is not supported by this server; "
    "use response_format json_object or plain text"
)
_MODEL_CREATED = 1_700_000_000
_HOLD_DEFAULT_SECONDS = 120.0


# ---------------------------------------------------------------------------
# Answers (example_from_schema lives in schema_examples.py)
# ---------------------------------------------------------------------------


def default_responder(body: dict[str, Any]) -> str:
    """The default model: schema-valid JSON, ``{}`` for JSON mode, else a short text.

    Asked to place a list of people (a schema with ``placements``), it places each person
    named in the prompt, in the order given, as a model that follows the prompt would.
    """
    rf = body.get("response_format")
    if isinstance(rf, dict) and rf.get("type") == "json_schema":
        schema = (rf.get("json_schema") or {}).get("schema") or {}
        return json.dumps(_placing_everyone(example_from_schema(schema), body))
    if isinstance(rf, dict) and rf.get("type") == "json_object":
        # llama.cpp's servers constrain decoding to a schema given inside json_object.
        schema = rf.get("schema")
        if not isinstance(schema, dict):
            return "{}"
        return json.dumps(_placing_everyone(example_from_schema(schema), body))
    last_user = ""
    for message in body.get("messages") or []:
        if isinstance(message, dict) and message.get("role") == "user":
            last_user = _messages_text({"messages": [message]})
    snippet = " ".join(last_user.split())[:60]
    return f"Test answer from {body.get('model', 'the model')}: {snippet}".rstrip(": ")


def _placing_everyone(answer: Any, body: dict[str, Any]) -> Any:
    if not (isinstance(answer, dict) and isinstance(answer.get("placements"), list)):
        return answer
    example = answer["placements"][0] if answer["placements"] else {}
    names = re.findall(r"^name: (.+)$", _messages_text(body), re.MULTILINE)
    answer["placements"] = [example | {"name": name.strip()} for name in names]
    return answer


def _cut_half(text: str) -> str:
    """Cut text half-way so that it is certainly not valid JSON."""
    cut = text[: max(1, len(text) // 2)]
    try:
        json.loads(cut)
    except ValueError:
        return cut
    return '{"unfinished": "' + cut.replace('"', "'")


# ---------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------


class _Knob:
    """An attribute read and written under the owner's lock."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_knob_" + name

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        with obj._lock:
            return getattr(obj, self.slot)

    def __set__(self, obj: Any, value: Any) -> None:
        with obj._lock:
            setattr(obj, self.slot, value)


class _Abort(Exception):
    """End the handling of a request without (further) response: the socket is cut."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops SYNs under concurrent drafting

    def __init__(self, owner: LLMServer, address: tuple[str, int]) -> None:
        self.owner = owner
        self.connections: dict[threading.Thread, socket.socket] = {}
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name=f"llm-server-conn-{client_address[1]}",
            daemon=True,
        )
        with self.connections_lock:
            self.connections[thread] = request
        thread.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except OSError:
            pass  # client went away, or the server is stopping
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            with self.connections_lock:
                self.connections.pop(threading.current_thread(), None)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "llm-test-server/1.0"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:
        self.server.owner._handle(self, "GET")

    def do_POST(self) -> None:
        self.server.owner._handle(self, "POST")

    def do_PUT(self) -> None:
        self.server.owner._handle(self, "PUT")

    def do_DELETE(self) -> None:
        self.server.owner._handle(self, "DELETE")


class LLMServer:
    """An OpenAI-compatible Chat Completions server on 127.0.0.1 (see the module doc).

    Use as a context manager or call :meth:`start` / :meth:`stop`.
    """

    latency = _Knob()
    token_rate = _Knob()
    chunk_size = _Knob()
    api_key = _Knob()
    supports_json_schema = _Knob()
    json_schema_status = _Knob()
    stream_usage = _Knob()
    any_model = _Knob()
    answer_drift = _Knob()
    one_slot = _Knob()
    responder = _Knob()

    def __init__(
        self,
        *,
        models: list[str] | tuple[str, ...] = ("test-model",),
        api_key: str | None = None,
        responder: Callable[[dict[str, Any]], Any] | None = None,
        latency: float = 0.0,
        token_rate: float | None = None,
        chunk_size: int = 4,
        supports_json_schema: bool = True,
        json_schema_status: int = 400,
        stream_usage: bool = True,
        any_model: bool = False,
        answer_drift: Callable[[str], str] | None = None,
        one_slot: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._host = host
        self._port = port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self._models: list[str] = list(models)
        self._faults: list[Fault] = []
        self._requests: list[RecordedRequest] = []
        self._in_flight = 0
        self._max_concurrent = 0
        self.latency = latency
        self.token_rate = token_rate
        self.chunk_size = chunk_size
        self.api_key = api_key
        self.supports_json_schema = supports_json_schema
        self.json_schema_status = json_schema_status  # llama-cpp-python answers 500
        self.stream_usage = stream_usage  # llama-cpp-python's streams carry none
        self.any_model = any_model  # llama.cpp serves one model under any name
        self.answer_drift = answer_drift  # a small model's liberties with the answer
        # llama-cpp-python's default: one request at a time, and a new request cuts the
        # stream in flight (it ends with [DONE], no finish_reason, nothing more).
        self.one_slot = one_slot
        self._chat_generation = 0
        self.cut_streams = 0
        self.responder = responder or default_responder

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> LLMServer:
        if self._httpd is not None:
            raise RuntimeError("server already started")
        self._stopping.clear()
        self._httpd = _HTTPServer(self, (self._host, self._port))
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="llm-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving: held requests are released, open connections cut, threads joined."""
        httpd = self._httpd
        if httpd is None:
            return
        self._stopping.set()
        with self._lock:
            self._changed.notify_all()
        httpd.shutdown()
        if self._thread is not None:
            self._thread.join(timeout)
        with httpd.connections_lock:
            connections = dict(httpd.connections)
        for sock in connections.values():
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for thread in connections:
            thread.join(max(0.0, deadline - time.monotonic()))
        httpd.server_close()
        self._httpd = None
        self._thread = None

    close = stop

    def __enter__(self) -> LLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return self._httpd.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1`` — what ``AsyncOpenAI(base_url=...)`` wants."""
        return self.origin + "/v1"

    def env(self, api_key: str | None = None, model: str | None = None) -> dict[str, str]:
        """Environment variables pointing a subprocess at this server."""
        key = api_key or self.api_key or "test-key"
        return {
            "OPENAI_BASE_URL": self.base_url,
            "OPENAI_API_KEY": key,
            "WORKSHOP_MODEL": model or self.models[0],
        }

    # -- knobs ---------------------------------------------------------------

    @property
    def models(self) -> list[str]:
        with self._lock:
            return list(self._models)

    @models.setter
    def models(self, value: list[str] | tuple[str, ...]) -> None:
        with self._lock:
            self._models = list(value)

    # -- faults --------------------------------------------------------------

    def add_fault(
        self,
        kind: str | Fault,
        times: int | None = 1,
        match: str | None = None,
        **params: Any,
    ) -> Fault:
        """Queue a fault rule (a :class:`Fault` or its arguments); returns the rule."""
        fault = kind if isinstance(kind, Fault) else Fault(kind, times, match, **params)
        with self._lock:
            self._faults.append(fault)
        return fault

    @property
    def faults(self) -> tuple[Fault, ...]:
        """The fault rules not yet used up, in order (read-only; use add_fault)."""
        with self._lock:
            return tuple(f for f in self._faults if not f.used_up)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, path: str, body: dict[str, Any] | None) -> Fault | None:
        text = _messages_text(body)
        with self._lock:
            for fault in self._faults:
                if fault._applies(path, body, text):
                    fault.hits += 1
                    if fault.used_up:
                        self._faults.remove(fault)
                    return fault
        return None

    # -- records ---------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request seen so far (a snapshot list; records fill in as they finish)."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self._requests if r.path == CHAT_PATH]

    @property
    def max_concurrent(self) -> int:
        """The most chat requests that were in flight at once."""
        with self._lock:
            return self._max_concurrent

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    def reset(self) -> None:
        """Forget recorded requests and faults; restart the concurrency high-water mark."""
        with self._lock:
            self._requests.clear()
            self._faults.clear()
            self._max_concurrent = self._in_flight

    def wait_until(self, predicate: Callable[[LLMServer], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate(server)`` is true (re-checked on every request event).

        Not for the event loop of an async test: there use ``asyncio.to_thread``.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopping.is_set():
                    return predicate(self)
                self._changed.wait(min(remaining, 0.1))
        return True

    def _notify(self) -> None:
        with self._lock:
            self._changed.notify_all()

    # -- request handling ------------------------------------------------------

    def _handle(self, h: _Handler, method: str) -> None:
        path = h.path.split("?", 1)[0]
        headers = {k.lower(): v for k, v in h.headers.items()}
        raw = b""
        length = int(headers.get("content-length") or 0)
        if length:
            raw = h.rfile.read(length)
        body: dict[str, Any] | None = None
        bad_json = False
        if raw:
            try:
                parsed = json.loads(raw)
                body = parsed if isinstance(parsed, dict) else None
                bad_json = body is None
            except ValueError:
                bad_json = True
        rec = RecordedRequest(
            method=method, path=path, headers=headers, body=body, start=time.monotonic()
        )
        is_chat = path == CHAT_PATH and method == "POST"
        with self._lock:
            self._requests.append(rec)
            if is_chat:
                self._in_flight += 1
                self._max_concurrent = max(self._max_concurrent, self._in_flight)
            self._changed.notify_all()
        try:
            self._dispatch(h, rec, method, path, bad_json)
        except _Abort:
            h.close_connection = True
            with contextlib.suppress(OSError):
                h.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            rec.client_disconnected = True
            h.close_connection = True
        except Exception as exc:  # a bug in a responder: answer 500 and show it
            traceback.print_exc()
            h.close_connection = True
            with contextlib.suppress(OSError):
                if rec.headers_sent_at is None:
                    self._send_error(h, rec, 500, f"test server error: {exc!r}", "server_error")
                else:  # mid-stream: all we can do is cut it
                    h.connection.shutdown(socket.SHUT_RDWR)
        finally:
            rec.end = time.monotonic()
            with self._lock:
                if is_chat:
                    self._in_flight -= 1
                self._changed.notify_all()

    def _dispatch(
        self, h: _Handler, rec: RecordedRequest, method: str, path: str, bad_json: bool
    ) -> None:
        known = path in (CHAT_PATH, MODELS_PATH) or path.startswith(MODELS_PATH + "/")
        if not known:
            self._send_error(h, rec, 404, f"Unknown request URL: {method} {path}")
            return
        api_key = self.api_key
        if api_key is not None:
            auth = rec.headers.get("authorization", "")
            if not auth.startswith("Bearer "):
                message = "You didn't provide an API key in an Authorization: Bearer header."
                self._send_error(h, rec, 401, message, code="invalid_api_key")
                return
            if auth[len("Bearer ") :] != api_key:
                message = "Incorrect API key provided."
                self._send_error(h, rec, 401, message, code="invalid_api_key")
                return
        if path == CHAT_PATH:
            if method != "POST":
                self._send_error(h, rec, 405, f"Method {method} not allowed on {path}")
                return
            self._chat(h, rec, bad_json)
        else:
            if method != "GET":
                self._send_error(h, rec, 405, f"Method {method} not allowed on {path}")
                return
            self._models_endpoint(h, rec, path)

    def _models_endpoint(self, h: _Handler, rec: RecordedRequest, path: str) -> None:
        fault = self._take_fault(MODELS_PATH, None)
        self._wait_latency(h, rec)
        if fault is not None and self._http_fault(h, rec, fault):
            return
        models = self.models
        if path == MODELS_PATH:
            payload: dict[str, Any] = {
                "object": "list",
                "data": [_model_object(m) for m in models],
            }
            self._send_json(h, rec, 200, payload)
            return
        name = path[len(MODELS_PATH) + 1 :]
        if name in models:
            self._send_json(h, rec, 200, _model_object(name))
        else:
            self._send_model_not_found(h, rec, name)

    def _chat(self, h: _Handler, rec: RecordedRequest, bad_json: bool) -> None:
        body = rec.body
        if bad_json or body is None:
            self._send_error(h, rec, 400, "We could not parse the JSON body of your request.")
            return
        model = body.get("model")
        messages = body.get("messages")
        if not isinstance(model, str) or not model:
            self._send_error(h, rec, 400, "you must provide a model parameter", param="model")
            return
        if not isinstance(messages, list) or not messages:
            self._send_error(h, rec, 400, "'messages' must be a non-empty array", param="messages")
            return
        if model not in self.models and not self.any_model:
            self._send_model_not_found(h, rec, model)
            return

        fault = self._take_fault(CHAT_PATH, body)
        stream = bool(body.get("stream"))
        rec.streamed = stream
        with self._lock:
            self._chat_generation += 1
            rec.generation = self._chat_generation
        self._wait_latency(h, rec)

        if fault is not None and self._http_fault(h, rec, fault):
            return
        if _wants_json_schema(body) and not self.supports_json_schema:
            status = self.json_schema_status
            self._send_error(h, rec, status, JSON_SCHEMA_UNSUPPORTED, param="response_format")
            return

        kind = fault.kind if fault is not None else None
        params = fault.params if fault is not None else {}
        finish_reason = "stop"
        content: str | None = None
        refusal: str | None = None
        if kind == "schema_invalid":
            content = params.get("content", '{"unexpected": true}')
        elif kind == "refusal":
            refusal = params.get("message", REFUSAL_TEXT)
        else:
            answer = self.responder(body)
            content = answer if isinstance(answer, str) else json.dumps(answer)
            drift = self.answer_drift
            if drift is not None:
                content = drift(content)
            if kind == "malformed_json":
                content = params.get("content") or _cut_half(content)
            elif kind == "truncated":
                content = params.get("content") or _cut_half(content)
                finish_reason = "length"
        rec.content = content if refusal is None else refusal
        rec.finish_reason = finish_reason

        completion_id = f"chatcmpl-test{next(self._ids):06d}"
        created = int(time.time())
        prompt_tokens = max(1, len(_messages_text(body)) // 4)
        if stream:
            self._stream(
                h,
                rec,
                fault,
                completion_id,
                created,
                model,
                content,
                refusal,
                finish_reason,
                prompt_tokens,
            )
            return
        if kind == "drop_stream":
            raise _Abort
        completion_tokens = max(1, len(rec.content or "") // 4)
        payload = {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": model,
            "system_fingerprint": "fp_test",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": refusal},
                    "logprobs": None,
                    "finish_reason": finish_reason,
                }
            ],
            "usage": _usage(prompt_tokens, completion_tokens),
        }
        self._send_json(h, rec, 200, payload)

    def _stream(
        self,
        h: _Handler,
        rec: RecordedRequest,
        fault: Fault | None,
        completion_id: str,
        created: int,
        model: str,
        content: str | None,
        refusal: str | None,
        finish_reason: str,
        prompt_tokens: int,
    ) -> None:
        body = rec.body or {}
        kind = fault.kind if fault is not None else None
        params = fault.params if fault is not None else {}
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        include_usage = include_usage and self.stream_usage

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "system_fingerprint": "fp_test",
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
            }

        field_name = "refusal" if refusal is not None else "content"
        text = refusal if refusal is not None else (content or "")
        size = max(1, int(self.chunk_size or 4))
        pieces = [text[i : i + size] for i in range(0, len(text), size)]

        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream; charset=utf-8")
        h.send_header("Cache-Control", "no-cache")
        h.send_header("Transfer-Encoding", "chunked")
        h.send_header("x-request-id", f"req_{completion_id}")
        h.end_headers()
        rec.status = 200
        rec.headers_sent_at = time.monotonic()

        first = {"role": "assistant", "content": "", "refusal": None}
        if refusal is not None:
            first = {"role": "assistant", "content": None, "refusal": ""}
        self._send_event(h, rec, chunk(first))

        stall_after = params.get("after_chunks") if kind == "timeout" else None
        drop_after = int(params.get("chunks", 2)) if kind == "drop_stream" else None
        for index, piece in enumerate(pieces):
            if self.one_slot and self._chat_generation != rec.generation:
                with self._lock:
                    self.cut_streams += 1
                self._write_chunk(h, b"data: [DONE]\n\n")
                h.wfile.write(b"0\r\n\r\n")
                h.wfile.flush()
                return
            if drop_after is not None and index >= drop_after:
                raise _Abort
            if stall_after is not None and index >= int(stall_after):
                self._hold(h, rec, float(params.get("seconds", _HOLD_DEFAULT_SECONDS)))
                stall_after = None
            rate = self.token_rate
            if rate and self._stopping.wait(1.0 / rate):
                raise _Abort
            self._send_event(h, rec, chunk({field_name: piece}))
        if drop_after is not None:
            raise _Abort
        if stall_after is not None:
            self._hold(h, rec, float(params.get("seconds", _HOLD_DEFAULT_SECONDS)))
        self._send_event(h, rec, chunk({}, finish_reason))
        if include_usage:
            usage_chunk = chunk({})
            usage_chunk["choices"] = []
            usage_chunk["usage"] = _usage(prompt_tokens, max(1, len(pieces)))
            self._send_event(h, rec, usage_chunk)
        self._write_chunk(h, b"data: [DONE]\n\n")
        h.wfile.write(b"0\r\n\r\n")
        h.wfile.flush()

    # -- fault helpers -----------------------------------------------------------

    def _http_fault(self, h: _Handler, rec: RecordedRequest, fault: Fault) -> bool:
        """Apply a fault that replaces the HTTP response; True when the request is done."""
        rec.fault = fault.kind
        rec.fault_rule = fault
        params = fault.params
        if fault.kind == "timeout":
            if rec.streamed and params.get("after_chunks") is not None:
                return False  # stalls mid-stream instead
            self._hold(h, rec, float(params.get("seconds", _HOLD_DEFAULT_SECONDS)))
            return False  # a very slow answer, if anyone is still waiting
        if fault.kind == "rate_limit":
            retry_after = params.get("retry_after", 1)
            self._send_error(
                h,
                rec,
                429,
                params.get("message", "Rate limit reached for requests. Please try again later."),
                "requests",
                code="rate_limit_exceeded",
                extra_headers={"Retry-After": _format_seconds(retry_after)},
            )
            return True
        if fault.kind == "server_error":
            status = int(params.get("status", 500))
            message = params.get(
                "message", "The server had an error while processing your request."
            )
            headers = {}
            if "retry_after" in params:
                headers["Retry-After"] = _format_seconds(params["retry_after"])
            self._send_error(
                h, rec, status, message, "server_error", code=None, extra_headers=headers
            )
            return True
        if fault.kind == "reject_json_schema":
            self._send_error(h, rec, 400, JSON_SCHEMA_UNSUPPORTED, param="response_format")
            return True
        if fault.kind == "drop_stream" and rec.path != CHAT_PATH:
            raise _Abort
        return False

    def _hold(self, h: _Handler, rec: RecordedRequest, seconds: float) -> None:
        """Hold without answering until ``seconds`` pass, the client leaves or we stop."""
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if self._stopping.wait(min(remaining, 0.05)):
                raise _Abort
            if _peer_closed(h.connection):
                rec.client_disconnected = True
                raise _Abort

    def _wait_latency(self, h: _Handler, rec: RecordedRequest) -> None:
        latency = self.latency or 0.0
        if latency > 0 and self._stopping.wait(latency):
            raise _Abort

    # -- writing -------------------------------------------------------------------

    def _send_json(
        self,
        h: _Handler,
        rec: RecordedRequest,
        status: int,
        payload: Any,
        extra_headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.send_header("x-request-id", f"req_test{id(rec):x}")
        for name, value in (extra_headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        rec.status = status
        rec.headers_sent_at = time.monotonic()
        h.wfile.write(data)
        h.wfile.flush()

    def _send_error(
        self,
        h: _Handler,
        rec: RecordedRequest,
        status: int,
        message: str,
        error_type: str = "invalid_request_error",
        *,
        code: str | None = None,
        param: str | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> None:
        rec.error = message
        payload = {"error": {"message": message, "type": error_type, "param": param, "code": code}}
        self._send_json(h, rec, status, payload, extra_headers)

    def _send_model_not_found(self, h: _Handler, rec: RecordedRequest, name: str) -> None:
        message = f"The model `{name}` does not exist or you do not have access to it."
        self._send_error(h, rec, 404, message, code="model_not_found", param="model")

    def _write_chunk(self, h: _Handler, data: bytes) -> None:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        h.wfile.flush()

    def _send_event(self, h: _Handler, rec: RecordedRequest, payload: dict[str, Any]) -> None:
        self._write_chunk(h, b"data: " + json.dumps(payload).encode() + b"\n\n")
        rec.chunk_times.append(time.monotonic())
        self._notify()


def _model_object(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": _MODEL_CREATED, "owned_by": "test"}


def _usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def _format_seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _peer_closed(sock: socket.socket) -> bool:
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


# ---------------------------------------------------------------------------
# Refused connections
# ---------------------------------------------------------------------------

_reserved_sockets: list[socket.socket] = []


def refused_port() -> int:
    """A port on 127.0.0.1 where nothing listens: connecting is refused.

    The port is bound (never listening) for the rest of the process, so nothing else can
    take it in the meantime.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    _reserved_sockets.append(sock)
    return sock.getsockname()[1]


# ---------------------------------------------------------------------------
# Pytest fixtures
# ---------------------------------------------------------------------------


@pytest.fixture
def llm_server() -> Iterator[LLMServer]:
    """A started :class:`LLMServer` (function scope), stopped at teardown."""
    server = LLMServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def refused_base_url() -> str:
    """A ``/v1`` base URL on 127.0.0.1 where connections are refused."""
    return f"http://127.0.0.1:{refused_port()}/v1"


# ---------------------------------------------------------------------------
# Standalone
# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="OpenAI-compatible test server")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--model", action="append", dest="models")
    parser.add_argument("--api-key")
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--token-rate", type=float)
    parser.add_argument("--no-json-schema", action="store_true")
    parser.add_argument(
        "--like-llama-cpp",
        action="store_true",
        help="one slot that cuts the stream in flight, 500 on json_schema, no stream usage",
    )
    args = parser.parse_args(argv)
    server = LLMServer(
        models=args.models or ["test-model"],
        api_key=args.api_key,
        latency=args.latency,
        token_rate=args.token_rate,
        supports_json_schema=not args.no_json_schema,
        port=args.port,
    )
    if args.like_llama_cpp:
        server.supports_json_schema = False
        server.json_schema_status = 500
        server.stream_usage = False
        server.any_model = True
        server.one_slot = True
    with server:
        print(server.base_url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
