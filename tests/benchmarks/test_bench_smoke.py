"""The benchmark code runs (tiny sizes; the numbers are not checked, only that they exist)."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest
from support.paths import ROOT

BENCH = ROOT / "bench"


@pytest.fixture(autouse=True)
def _bench_on_the_path(monkeypatch) -> None:
    # The benchmarks import their shared modules (common) by name, as when run as scripts;
    # only for these tests, so bench/drafting.py never hides the tests' drafting package.
    monkeypatch.syspath_prepend(str(BENCH))


def bench_module(name: str) -> ModuleType:
    """A benchmark script under its own name: `drafting` is also a test package."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_history_benchmark_on_a_tiny_database(tmp_path):
    history = bench_module("history")
    db = history.generate(tmp_path / "tiny.db", sessions=4, people=3, items=6)
    figures = history.measure(db, repeat=2)
    assert set(figures) >= {"home first page (ms, median)", "save an edit (ms, p99)"}
    assert all(value > 0 for value in figures.values())


def test_drafting_and_token_benchmarks_run(monkeypatch):
    drafting = bench_module("drafting")
    tokens_sent = bench_module("tokens_sent")

    figures = drafting.measure(people=2, latency=0.01, token_rate=2000, repeat=1)
    assert figures["engine / direct client"] > 0
    assert all(value > 0 for value in tokens_sent.measure().values())
