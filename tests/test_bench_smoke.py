"""The benchmark code runs (tiny sizes; the numbers are not checked, only that they exist)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))  # the benchmarks import their shared modules by name


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
