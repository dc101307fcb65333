"""What can go wrong with a model, each as its own error with a message for the room."""

from __future__ import annotations

from typing import Any

from sessions.text import clean_text
from workshop.errors import WorkshopError


class DraftError(WorkshopError):
    """A draft that could not be made. `kind` is stored in llm_calls.status."""

    kind = "error"
    retryable = True

    def __init__(self, message: str) -> None:
        # Messages quote the endpoint and the model (a refusal, an error body): cleaned
        # here, they can be shown and stored anywhere without escape sequences.
        message = clean_text(message)
        super().__init__(message)
        self.message = message
        self.detail = ""  # the endpoint's own words, where it gave any
        self.call_id: str | None = None  # the logged call that failed, once it is logged


class NoModelError(DraftError):
    kind = "no_model"
    retryable = False


class TimeoutFault(DraftError):
    kind = "timeout"


class RateLimitFault(DraftError):
    kind = "rate_limited"

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerFault(DraftError):
    kind = "server_error"


class ConnectionFault(DraftError):
    kind = "connection_failed"


class BadKeyFault(DraftError):
    kind = "bad_key"
    retryable = False


class UnknownModelFault(DraftError):
    kind = "unknown_model"
    retryable = False


class MalformedJSONFault(DraftError):
    kind = "malformed_json"


class SchemaInvalidFault(DraftError):
    kind = "schema_invalid"


class TruncatedFault(DraftError):
    kind = "truncated"


class RefusalFault(DraftError):
    kind = "refusal"


class StreamDroppedFault(DraftError):
    kind = "stream_dropped"


class CutByServerFault(DraftError):
    """The stream ended without a finish reason: the server stopped this answer."""

    kind = "cut_by_server"


class ContextTooLongFault(DraftError):
    kind = "context_too_long"
    retryable = False


class RequestRejectedFault(DraftError):
    kind = "bad_request"
    retryable = False


class CancelledDraft(DraftError):
    kind = "cancelled"


def from_openai_error(error: Exception, host: str, model: str) -> DraftError:
    """Translate the openai client's exceptions into our typed, readable ones."""
    import openai

    if isinstance(error, openai.APITimeoutError):
        return TimeoutFault(f"{host} did not answer in time; try again, or raise the timeout.")
    if isinstance(error, openai.APIConnectionError):
        return ConnectionFault(
            f"Cannot reach {host} (connection refused or network down); check the "
            "endpoint URL and that the server is running."
        )
    if isinstance(error, openai.AuthenticationError):
        return BadKeyFault(f"{host} refused the API key; check the key for this endpoint.")
    if isinstance(error, openai.PermissionDeniedError):
        return BadKeyFault(f"{host} says this key may not use {model!r}.")
    if isinstance(error, openai.NotFoundError):
        return UnknownModelFault(
            f"{host} does not know the model {model!r} (or the endpoint URL is wrong); "
            "`workshop doctor` lists the models it offers."
        )
    if isinstance(error, openai.RateLimitError):
        retry_after = _retry_after(error.response.headers)
        return RateLimitFault(
            f"{host} is rate limiting requests. {_when_to_retry(retry_after)}", retry_after
        )
    if isinstance(error, openai.APIStatusError) and error.status_code >= 500:
        fault: DraftError = ServerFault(
            f"{host} had a server error ({error.status_code}); try again."
        )
    elif isinstance(error, openai.APIStatusError):
        fault = RequestRejectedFault(
            f"{host} rejected the request ({error.status_code}): {_short(error.message)}"
        )
    else:
        return DraftError(f"Unexpected error from {host}: {_short(str(error))}")
    # What the endpoint said, kept to recognise a refused response_format by its words.
    fault.detail = _short(f"{error.message} {error.body}", 1000)
    return fault


def _retry_after(headers: Any) -> float | None:
    """The seconds a server asked us to wait, or None when it gave no usable number (an
    HTTP date, a negative or endless wait are not one)."""
    try:
        seconds = float(headers.get("retry-after"))
    except (TypeError, ValueError):
        return None
    return seconds if 0 < seconds < float("inf") else None


def _when_to_retry(seconds: float | None) -> str:
    if seconds is None:
        return "Try again shortly."
    if seconds < 90:
        return f"It asked to wait {seconds:.0f} s; try again then."
    if seconds < 5400:
        return f"It asked to wait about {seconds / 60:.0f} minutes; try again then."
    return f"It asked to wait about {seconds / 3600:.0f} hours; try again then."


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_validation(error: Any) -> str:
    """A pydantic ValidationError in plain words for the room: what was wrong, where."""
    parts = []
    for detail in error.errors()[:4]:
        where = ".".join(str(p) for p in detail["loc"]) or "the answer"
        given = detail.get("input")
        kind = detail["type"]
        shown = _short(repr(given), 60)
        if kind == "missing":
            parts.append(f"{where} was missing")
        elif kind == "enum":
            allowed = detail.get("ctx", {}).get("expected", "")
            parts.append(f"{where} was {shown}, which is not one of {allowed}")
        elif kind in ("string_type", "list_type", "int_type", "float_type", "bool_type"):
            wanted = {"string_type": "text", "list_type": "a list", "bool_type": "true or false"}
            parts.append(f"{where} should be {wanted.get(kind, 'a number')}, not {shown}")
        elif kind in ("string_too_long", "too_long"):
            parts.append(f"{where} is too long")
        elif kind in ("string_too_short", "too_short"):
            parts.append(f"{where} is empty")
        else:
            parts.append(f"{where}: {detail['msg'].removeprefix('Value error, ')}")
    more = len(error.errors()) - len(parts)
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "") + "."


# For counts of failed calls ("4 cut by the server"): a few words per status, singular and
# plural. Statuses not listed read as themselves with the underscores spaced.
_FAILURE_WORDS = {
    "timeout": ("timed out", "timed out"),
    "rate_limited": ("rate-limited", "rate-limited"),
    "server_error": ("server error", "server errors"),
    "connection_failed": ("connection failed", "connections failed"),
    "bad_key": ("key refused", "key refused"),
    "unknown_model": ("unknown model", "unknown model"),
    "malformed_json": ("answer not JSON", "answers not JSON"),
    "schema_invalid": ("answer did not fit", "answers did not fit"),
    "truncated": ("answer cut at its length limit", "answers cut at their length limit"),
    "refusal": ("refused by the model", "refused by the model"),
    "stream_dropped": ("stream dropped", "streams dropped"),
    "cut_by_server": ("cut by the server", "cut by the server"),
    "context_too_long": ("prompt too long", "prompts too long"),
    "bad_request": ("request refused", "requests refused"),
    "cancelled": ("cancelled", "cancelled"),
}


def failure_words(status: str, count: int) -> str:
    """A failed call's status in a few plain words, for "N <words>"."""
    one, many = _FAILURE_WORDS.get(status, (status.replace("_", " "),) * 2)
    return one if count == 1 else many
