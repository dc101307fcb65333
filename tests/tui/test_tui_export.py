"""Stage 8 driven with Pilot on a real SQLite file: the preview, drafts, writing a file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from support.tui_helpers import SIZE, make_app, notifications, open_stage, screen_text
from textual.widgets import Input, Markdown

from sessions import SessionStore
from workshop.tui.dialogs.common import ConfirmDialog, PromptDialog
from workshop.tui.screens.workshop_screen import WorkshopScreen

TITLE = "Q3 Strategy: EU growth"
OUTCOME = {
    "result": "More qualified inbound leads",
    "metric": "Sales-accepted leads per month",
    "baseline": "40",
    "target": "70",
    "due": "Q3",
    "owner": "Priya Raman",
    "priority": "Grow EU pipeline",
    "stakeholders": [],
    "leading_indicators": [],
}


def make_export_session(db_path: Path) -> str:
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": TITLE, "facilitator": "Priya Raman"})
        approved = store.create_item(session.id, "outcome", OUTCOME, "person", "Priya")
        store.approve_item(approved.id, "Priya Raman")
        store.create_item(
            session.id, "outcome", {**OUTCOME, "result": "Shorter sales cycle"}, "person", "Ann"
        )
    return session.id


def preview(app) -> str:
    return app.screen.query_one("#export-preview", Markdown).source


async def test_preview_shows_approved_items_and_drafts_on_request(db_path):
    session_id = make_export_session(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "export")
        text = preview(app)
        assert text == app.service.export.markdown(session_id)
        assert TITLE in text and "More qualified inbound leads" in text
        assert "Shorter sales cycle" not in text
        assert "Not included: 1 draft" in text
        assert TITLE in screen_text(app)  # rendered, not only stored

        await pilot.press("d")
        await pilot.pause()
        text = preview(app)
        assert "### Shorter sales cycle *(draft, not approved)*" in text
        assert "### More qualified inbound leads\n" in text
        assert "drafts" in screen_text(app)

        await pilot.press("d")
        await pilot.pause()
        assert "Shorter sales cycle" not in preview(app)


async def test_write_then_ask_before_replacing(db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    session_id = make_export_session(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "export")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        assert app.screen.query_one(Input).value == "q3-strategy-eu-growth.md"
        await pilot.press("enter")
        await pilot.pause()

        target = tmp_path / "q3-strategy-eu-growth.md"
        assert target.read_text(encoding="utf-8") == app.service.export.markdown(session_id)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert str(target) in screen_text(app)

        # Someone else's copy in its place, readable by all.
        target.write_text("their copy\n", encoding="utf-8")
        os.chmod(target, 0o644)

        # Writing again asks; "no" leaves the file as it is.
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        assert target.read_text(encoding="utf-8") == "their copy\n"

        # "yes" replaces it, and it is readable by its owner only again.
        await pilot.press("d")  # with drafts this time
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        written = target.read_text(encoding="utf-8")
        assert written == app.service.export.markdown(session_id, include_drafts=True)
        assert "Shorter sales cycle *(draft, not approved)*" in written
        assert stat.S_IMODE(target.stat().st_mode) == 0o600

        with SessionStore.open(db_path) as store:
            exports = [e for e in store.events(session_id) if e.kind == "exported"]
        assert len(exports) == 2  # the refused one is not recorded


async def test_a_path_that_cannot_be_written_is_offered_again(db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    session_id = make_export_session(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "export")
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one(Input).value = "no-such-folder/plan.md"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)  # again, with what was typed
        assert app.screen.query_one(Input).value == "no-such-folder/plan.md"
        assert not (tmp_path / "no-such-folder").exists()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)


async def test_preview_draws_each_table_and_plain_list_as_one_widget():
    """A long export stays light: tables and plain lists are one widget each, drawn
    with their text; a list with a nested list keeps Textual's own widgets."""
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll

    from workshop.tui.widgets.markdown_preview import (
        MarkdownPreview,
        PreviewBulletList,
        PreviewOrderedList,
        PreviewTable,
    )

    rows = "\n".join(f"| Outcome {n} | **{n * 10}** | `Q3` |" for n in range(30))
    document = (
        "# Plan\n\n| Result | Target | Due |\n|---|---|---|\n" + rows + "\n\n"
        "- **Owner:** Priya\n- Second point\n\n1. First\n2. Second\n\n"
        "- Outer\n  - Inner\n"
    )

    class Preview(App[None]):
        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield MarkdownPreview(document, open_links=False)

    app = Preview()
    async with app.run_test(size=(100, 200)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(PreviewTable)
        assert not table.children  # not a widget per cell
        lists = list(app.screen.query(PreviewBulletList))
        assert not lists[0].children and lists[1].children  # the nested one falls back
        assert not app.screen.query_one(PreviewOrderedList).children
        text = screen_text(app)
        for shown in ("Outcome 29", "290", "Owner:", "Second point", "2. Second", "Inner"):
            assert shown in text


async def test_l_switches_to_the_leadership_export_and_writes_it(db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    session_id = make_export_session(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "export")
        await pilot.press("d")  # drafts in, then leadership: they go out with it
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        leadership = app.service.export.markdown(session_id, audience="leadership")
        assert preview(app) == leadership
        assert leadership.endswith("*Prepared with Strategy Workshop.*\n")
        assert "Shorter sales cycle" not in preview(app)
        assert "Preview for leadership" in screen_text(app)

        await pilot.press("d")  # refused, said, and nothing changes
        await pilot.pause()
        assert preview(app) == leadership
        assert any("approved items only" in n for n in notifications(app))

        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        assert app.screen.query_one(Input).value == "q3-strategy-eu-growth-leadership.md"
        await pilot.press("enter")
        await pilot.pause()
        target = tmp_path / "q3-strategy-eu-growth-leadership.md"
        assert target.read_text(encoding="utf-8") == leadership
        assert stat.S_IMODE(target.stat().st_mode) == 0o600

        await pilot.press("l")  # back to the team's document, drafts still out
        await pilot.pause()
        assert preview(app) == app.service.export.markdown(session_id)
        assert "Preview of what is approved" in screen_text(app)

    with SessionStore.open(db_path) as store:
        (event,) = [e for e in store.events(session_id) if e.kind == "exported"]
    assert event.detail["audience"] == "leadership"
