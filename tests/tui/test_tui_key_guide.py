"""`?` and the command palette in front of the room: plain names, the shown stage's keys
first, each action once, the keys written as the footer writes them, no binding ids."""

from __future__ import annotations

from pathlib import Path

from support.snapshot_session import app_at
from support.tui_helpers import open_stage, screen_text, wait_for
from textual.command import CommandPalette
from textual.widgets import DataTable

from workshop.tui.screens.help import HelpScreen


def help_rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_help(pilot) -> list[list[str]]:
    await pilot.press("question_mark")
    assert await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
    await pilot.pause()
    return help_rows(pilot.app)


async def test_help_lists_the_shown_stage_first_and_each_action_once(snapshot_env: Path):
    app, session_id = app_at(snapshot_env, "segmentation")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id)
        rows = await open_help(pilot)
        sections = [row[0] for row in rows if not row[1]]
        assert sections == ["Segmentation stage", "This session", "Everywhere"]
        does = [row[1] for row in rows if row[1]]
        assert does.count("Approve") == 1  # not once per stage, though every stage is mounted
        assert "Import CSV" not in does  # the stakeholders stage is not shown
        assert does.index("Approve") < does.index("Go to Brief") < does.index("Quit")
        # A model is set up here: its drafting key, and not the one that says it needs one.
        assert ["d", "Draft all", "segmentation.draft_all"] in rows
        assert not any("needs a model" in row[1] for row in rows)
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))

        await pilot.press("2")  # the stakeholders stage: its keys come first now
        await pilot.pause(0.2)
        await pilot.press("down")  # out of the entry line, where ? would be typed
        await pilot.pause(0.2)
        rows = await open_help(pilot)
        assert rows[0][0] == "Stakeholders stage"
        text = screen_text(app)
        assert "Move up" in text and "^↑ or [" in text
        assert "square_bracket" not in text and "left_" not in text


async def test_the_palette_offers_each_action_once_by_its_name(snapshot_env: Path):
    app, session_id = app_at(snapshot_env, "segmentation")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id)
        await pilot.press("ctrl+p")
        assert await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"approve")
        await pilot.pause(0.5)
        lines = [line.strip() for line in screen_text(app).splitlines()]
        assert lines.count("Approve") == 1
        assert "Segmentation stage · key a" in lines
        text = "\n".join(lines)
        assert "segmentation.approve" not in text and "·  segmentation" not in text
        await pilot.press("enter")  # runs the action on the focused card
        await pilot.pause(0.5)
        assert "✓ approved" in screen_text(app)
