"""`[keys]` in the config file: a remapped key works, and an entry the app cannot use is
named once on screen instead of being ignored (or taking a key away)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.tui_helpers import notifications, settle, wait_for

from workshop.service.facade import WorkshopService
from workshop.tui.app import WorkshopApp
from workshop.tui.screens.new_session import NewSessionScreen
from workshop.tui.screens.session_view import SessionViewScreen


@pytest.fixture
def config(tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("WORKSHOP_CONFIG", str(path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # the theme file too
    return path


def app_with_keys(db_path: Path, config: Path, keys: str) -> WorkshopApp:
    config.write_text(f"[keys]\n{keys}\n", encoding="utf-8")
    with WorkshopService.open(db_path) as service:
        service.sessions.new(title="Q3 strategy")
    return WorkshopApp(WorkshopService.open(db_path), remember=True)


async def test_a_remapped_key_opens_what_it_names(db_path, config):
    app = app_with_keys(db_path, config, '"home.new" = "ctrl+n"')
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, NewSessionScreen))
        await pilot.pause(0.3)
        assert not notifications(app)  # nothing to complain about


async def test_entries_the_app_cannot_use_are_named_and_keys_keep_working(db_path, config):
    keys = '"segmentation.draft_al" = "ctrl+d"\n"home.view" = "ctrl+shift+f99"\n"home.new" = ""'
    app = app_with_keys(db_path, config, keys)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert await wait_for(pilot, lambda: bool(notifications(app)))
        said = notifications(app)[0]
        assert "'segmentation.draft_al' is not a key of this app" in said
        assert "did you mean 'segmentation.draft_all'" in said
        assert "'ctrl+shift+f99' is not a key name, so it keeps its own key" in said
        assert "'home.new' is given no key" in said
        await pilot.press("v")  # its own key still works
        assert await wait_for(pilot, lambda: isinstance(app.screen, SessionViewScreen))
