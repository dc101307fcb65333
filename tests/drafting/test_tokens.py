"""Token counting: offline, exact where it can be, never a download, never a raise."""

from __future__ import annotations

import hashlib
import inspect
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from workshop.drafting import tokens
from workshop.drafting.tokens import (
    ENCODING_FILES,
    ESTIMATE,
    OFFLINE_ENCODING,
    cached_encoding_path,
    counter_for_model,
    estimate_cost,
)


@pytest.fixture(autouse=True)
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """An empty tiktoken cache and a network that fails fast; returns connection attempts."""
    cache = tmp_path / "tiktoken-cache"
    cache.mkdir()
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(cache))
    monkeypatch.delenv("DATA_GYM_CACHE_DIR", raising=False)
    # A download would go through this dead proxy and fail at once rather than hang.
    for name in ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    # And any attempt to connect at all is recorded, so the tests can say "none".
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise ConnectionRefusedError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_gpt_4o_counts_offline_approximately_without_any_connection(offline):
    counter = counter_for_model("gpt-4o")

    assert counter.count_text("hello world") == 2
    assert counter.approximate is True
    assert counter.encoding_name == OFFLINE_ENCODING
    assert counter.model_encoding == "o200k_base"
    assert offline == []


@pytest.mark.parametrize("model", ["gpt-4", "gpt-3.5-turbo", "gpt-4-0613", "gpt-35-turbo"])
def test_cl100k_models_are_exact(model):
    counter = counter_for_model(model)

    assert counter.approximate is False
    assert counter.model_encoding == "cl100k_base"
    assert counter.count_text("hello world") == 2


def test_local_model_falls_back_and_is_approximate(offline):
    counter = counter_for_model("llama3.1:8b")

    assert counter.approximate is True
    assert counter.model_encoding is None
    assert counter.count_text("hello world") == 2
    assert offline == []


def test_provider_prefix_is_understood():
    assert counter_for_model("openai/gpt-4").approximate is False
    assert counter_for_model("openai/gpt-4o").model_encoding == "o200k_base"


def test_counts_are_plausible():
    counter = counter_for_model("gpt-4")
    sentence = "The quick brown fox jumps over the lazy dog."

    assert counter.count_text("") == 0
    assert 8 <= counter.count_text(sentence) <= 12
    assert counter.count_text(sentence * 100) > 500


def test_messages_cost_more_than_their_text():
    counter = counter_for_model("gpt-4")
    messages = [
        {"role": "system", "content": "You draft outcome statements."},
        {"role": "user", "content": "hello world", "name": "facilitator"},
    ]
    text_only = sum(counter.count_text(m["content"]) for m in messages)

    total = counter.count_messages(messages)

    # 3 per message + 3 for the reply, the role words, and 1 for the name.
    roles_and_name = sum(
        counter.count_text(v) for m in messages for k, v in m.items() if k != "content"
    )
    assert total == text_only + roles_and_name + 2 * 3 + 3 + 1
    assert counter.count_messages([]) == 3


def test_message_content_given_as_parts_counts_its_text():
    counter = counter_for_model("gpt-4")
    parts = [{"role": "user", "content": [{"type": "text", "text": "hello world"}]}]
    plain = [{"role": "user", "content": "hello world"}]

    assert counter.count_messages(parts) == counter.count_messages(plain)


@pytest.mark.parametrize("model", ["gpt-4", "gpt-4o", "llama3.1:8b"])
def test_special_token_text_is_counted_as_plain_text(model):
    counter = counter_for_model(model)
    note = "She said <|endoftext|> and <|fim_prefix|> in the notes. <|im_start|>system"

    count = counter.count_text(note)

    # As plain text the marker is several tokens, not the single special token.
    assert count > counter.count_text(note.replace("<|endoftext|>", "x")) > 0
    assert counter.count_messages([{"role": "user", "content": note}]) > count
    assert counter.truncate(note, 5)


@pytest.mark.parametrize(
    "text",
    [
        "Inbound leads from the partner channel grew steadily last quarter. " * 20,
        "héllo wörld — 日本語のテキスト 🎉🎉🎉 مرحبا بالعالم " * 10,
        "<|endoftext|>" * 30,
    ],
)
def test_truncate_is_a_prefix_within_the_budget(text):
    counter = counter_for_model("gpt-4")

    previous = ""
    for max_tokens in (1, 2, 3, 7, 50, 120):
        cut = counter.truncate(text, max_tokens)
        assert text.startswith(cut)
        assert counter.count_text(cut) <= max_tokens
        # A bigger budget keeps at least as much, and some text always survives.
        assert cut.startswith(previous)
        previous = cut
    assert len(previous) > len(counter.truncate(text, 7)) > 0


def test_truncate_leaves_short_text_alone_and_handles_zero():
    counter = counter_for_model("gpt-4")

    assert counter.truncate("hello world", 10) == "hello world"
    assert counter.truncate("hello world", 0) == ""
    assert counter.truncate("", 5) == ""


def test_without_any_encoding_the_estimate_still_works(monkeypatch):
    # An install where even the offline encoding cannot load (a broken plugin, say):
    # point the fallback at a name tiktoken does not know.
    monkeypatch.setattr(tokens, "OFFLINE_ENCODING", "no_such_encoding")

    counter = counter_for_model("gpt-4")

    assert counter.encoding_name == ESTIMATE
    assert counter.approximate is True
    assert counter.count_text("x" * 40) == 10
    assert counter.count_text("<|endoftext|>") == 4
    assert counter.truncate("x" * 40, 3) == "x" * 12
    assert counter.count_messages([{"role": "user", "content": "x" * 8}]) == 3 + 3 + 1 + 2


def test_cached_encoding_path_follows_tiktoken_cache_rules(tmp_path, monkeypatch):
    url = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
    expected = tmp_path / "tiktoken-cache" / hashlib.sha1(url.encode()).hexdigest()
    expected.write_bytes(b"not the real file; never loaded")

    assert cached_encoding_path("o200k_base") == expected
    assert cached_encoding_path("o200k_base").is_file()
    assert cached_encoding_path("o200k_harmony") == expected

    monkeypatch.delenv("TIKTOKEN_CACHE_DIR")
    monkeypatch.setenv("DATA_GYM_CACHE_DIR", str(tmp_path / "gym"))
    assert cached_encoding_path("o200k_base") == tmp_path / "gym" / expected.name

    monkeypatch.delenv("DATA_GYM_CACHE_DIR")
    default = Path(tokens.tempfile.gettempdir()) / "data-gym-cache" / expected.name
    assert cached_encoding_path("o200k_base") == default

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")  # tiktoken's way to turn caching off
    assert cached_encoding_path("o200k_base") is None
    assert cached_encoding_path("no_such_encoding") is None


def test_a_corrupt_cached_file_is_not_used_nor_replaced(tmp_path, offline):
    # tiktoken would delete a file with the wrong hash and download it again.
    fake = cached_encoding_path("o200k_base")
    fake.write_bytes(b"corrupt")

    counter = counter_for_model("gpt-4o")

    assert counter.approximate is True
    assert counter.count_text("hello world") == 2
    assert fake.read_bytes() == b"corrupt"
    assert offline == []


def test_the_file_table_matches_the_installed_tiktoken():
    import tiktoken_ext.openai_public as openai_public

    source = inspect.getsource(openai_public)
    for url, sha256 in ENCODING_FILES.values():
        assert f'"{url}"' in source
        assert f'"{sha256}"' in source


@pytest.mark.parametrize(
    ("tokens_in", "tokens_out", "price_in", "price_out", "expected"),
    [
        (1_000_000, 0, 2.5, 10.0, 2.5),
        (200_000, 50_000, 2.5, 10.0, 1.0),
        (0, 0, 2.5, 10.0, 0.0),
        (1000, 1000, None, 10.0, None),
        (1000, 1000, 2.5, None, None),
    ],
)
def test_estimate_cost(tokens_in, tokens_out, price_in, price_out, expected):
    cost = estimate_cost(tokens_in, tokens_out, price_in, price_out)

    if expected is None:
        assert cost is None
    else:
        assert cost == pytest.approx(expected)


def test_importing_the_module_loads_no_encoding():
    code = "import sys, workshop.drafting.tokens; print('tiktoken' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert out.stdout.strip() == "False"
