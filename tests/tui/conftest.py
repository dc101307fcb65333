"""Fixtures the screen tests share."""

from __future__ import annotations

import time
from pathlib import Path

import pytest


@pytest.fixture
def snapshot_env(tmp_path: Path, monkeypatch) -> Path:
    """A model profile at a fixed address (nothing is sent to it), UTC times, the file."""
    config = tmp_path / "config.toml"
    config.write_text(
        '[profiles.snap]\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "test-model"\n'
        'api_key_env = "SNAPSHOT_KEY"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("WORKSHOP_CONFIG", str(config))
    monkeypatch.setenv("WORKSHOP_PROFILE", "snap")
    monkeypatch.setenv("SNAPSHOT_KEY", "sk-snapshot")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield tmp_path / "workshop.db"
    monkeypatch.undo()
    time.tzset()
