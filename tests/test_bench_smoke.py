"""The benchmark code runs (tiny sizes; the numbers are not checked, only that they exist)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))


def test_history_benchmark_on_a_tiny_database(tmp_path):
    import history

    db = history.generate(tmp_path / "tiny.db", sessions=4, people=3, items=6)
    figures = history.measure(db, repeat=2)
    assert set(figures) >= {"home first page (ms, median)", "save an edit (ms, p99)"}
    assert all(value > 0 for value in figures.values())


def test_drafting_and_token_benchmarks_run(monkeypatch):
    import drafting
    import tokens_sent

    figures = drafting.measure(people=2, latency=0.01, token_rate=2000, repeat=1)
    assert figures["engine / direct client"] > 0
    assert all(value > 0 for value in tokens_sent.measure().values())
