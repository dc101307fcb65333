"""The small things a new facilitator meets first: a new session's brief takes typing at
once, Tab into a filled field adds to it rather than replacing it, Down leaves the home
search box for the list, and a long title stays whole on a laptop's status line."""

from __future__ import annotations

from pathlib import Path

from support.tui_helpers import make_app, screen_text, settle, wait_for
from textual.widgets import Input

from sessions import SessionStore
from workshop.tui.screens.new_session import NewSessionScreen
from workshop.tui.screens.session_view import SessionViewScreen
from workshop.tui.screens.workshop_screen import WorkshopScreen


async def test_a_new_sessions_brief_takes_typing_at_once_and_tab_keeps_the_text(db_path: Path):
    async with make_app(db_path).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, NewSessionScreen))
        await pilot.press(*"Q3 plan", "tab", *"Northwind", "ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, WorkshopScreen))
        await settle(pilot)
        focused = app.screen.focused
        assert isinstance(focused, Input), "a field of the brief has the focus"
        await pilot.press(*"Dana")  # typed straight into it, nothing else
        await settle(pilot)
        assert focused.value.endswith("Dana")
        field = focused.id

        await pilot.press("shift+tab", "tab")  # away and back into the filled field
        await pilot.press(*" Reyes")
        await settle(pilot)
        assert app.screen.query_one(f"#{field}", Input).value.endswith("Dana Reyes")


async def test_down_leaves_the_search_box_so_letters_are_commands_again(db_path: Path):
    with SessionStore.open(db_path) as store:
        store.create_session({"title": "Q3 marketing strategy"})
    async with make_app(db_path).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("slash", *"Q3", "down", "v")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SessionViewScreen))
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "Q3"  # no "v" typed into it


async def test_a_long_title_is_whole_on_a_laptops_status_line(db_path: Path):
    title = "Q3 marketing strategy for the EU launch"
    with SessionStore.open(db_path) as store:
        session_id = store.create_session({"title": title}).id
    async with make_app(db_path).run_test(size=(100, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        await app.push_screen(WorkshopScreen(app.service, session_id))
        await settle(pilot)
        status = screen_text(app).splitlines()[0]
        assert title in status
