"""Shared fixtures: every test gets its own real SQLite file and its own user directories."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessions import SessionStore

# The test model server's fixtures (`llm_server`, `refused_base_url`) for every test module.
# Only the root conftest may name plugins; tests import the same module, support.llm_server.
pytest_plugins = ["support.llm_server"]


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    # Keep every test away from the real user data, config and prompt directories.
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    for name in ("WORKSHOP_DB", "WORKSHOP_PROMPTS_DIR", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "workshop.db"


@pytest.fixture
def store(db_path: Path):
    with SessionStore.open(db_path) as opened:
        yield opened
