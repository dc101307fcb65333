"""Stage 7 driven with Pilot on a real SQLite file: counts, the item list and histories."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from rich.text import Text
from support.tui_helpers import SIZE, make_app, open_stage, screen_text
from textual.widgets import DataTable, Static

from sessions import SessionStore
from workshop.tui.widgets.history_panel import HistoryPanel

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


def make_review_session(db_path: Path) -> dict[str, str]:
    """Items in every state; returns their ids by name."""
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Review me", "facilitator": "Priya Raman"})
        person = store.add_stakeholders(session.id, [{"name": "Marta Kowalski"}])[0]
        approved = store.create_item(session.id, "outcome", OUTCOME, "person", "Priya")
        store.approve_item(approved.id, "Priya Raman")
        edited = store.create_item(
            session.id, "outcome", {**OUTCOME, "result": "Shorter sales cycle"}, "person", "Ann"
        )
        store.edit_item(edited.id, {**edited.body, "baseline": "55"}, "Tom")
        store.edit_item(edited.id, {**edited.body, "baseline": "55", "target": "90"}, "Ann")
        rejected = store.create_item(
            session.id, "outcome", {**OUTCOME, "result": "Publish 12 posts"}, "person", "Bo"
        )
        store.reject_item(rejected.id, "Priya Raman", "an activity, not a result")
        segmentation = {
            "segment": "influencer",
            "rationale": "Controls the budget.",
            "motivations": [],
            "objections": [],
            "approach": "Short, regular numbers.",
            "messages": [],
            "confidence": "high",
        }
        assigned = store.create_item(
            session.id, "segmentation", segmentation, "person", "Priya", stakeholder_id=person.id
        )
        store.approve_item(assigned.id, "Priya Raman")
        cadence = {"segment": "champion", "report": "Pipeline", "frequency": "monthly"}
        store.create_item(session.id, "cadence", cadence, "person", "Priya")
    return {
        "session": session.id,
        "approved": approved.id,
        "edited": edited.id,
        "rejected": rejected.id,
    }


async def test_counts_match_the_database(db_path):
    ids = make_review_session(db_path)
    with SessionStore.open(db_path) as store:
        items = store.load_session(ids["session"]).items
    expected = Counter((i.kind.value, i.status.value) for i in items)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, ids["session"], "review")
        counts = app.screen.query_one("#review-counts", DataTable)
        for status in ("approved", "draft", "rejected"):
            for kind in ("segmentation", "discussion_guide", "answers", "outcome", "cadence"):
                shown = str(counts.get_cell(status, kind))
                assert shown == str(expected[(kind, status)]), (status, kind)
            total = sum(n for (_, s), n in expected.items() if s == status)
            assert str(counts.get_cell(status, "total")) == str(total)

        table = app.screen.query_one("#review-items", DataTable)
        open_or_approved = [i for i in items if i.status.value != "rejected"]
        assert table.row_count == len(open_or_approved) == 4
        text = screen_text(app)
        assert "Marta Kowalski → Influencer" in text
        assert "Publish 12 posts" not in text  # rejected: hidden until asked

        await pilot.press("x")
        await pilot.pause()
        assert table.row_count == len(items) == 5
        assert "Publish 12 posts" in screen_text(app)


async def test_an_item_edited_twice_shows_three_revisions_and_the_diff(db_path):
    ids = make_review_session(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, ids["session"], "review")
        table = app.screen.query_one("#review-items", DataTable)
        table.move_cursor(row=table.get_row_index(ids["edited"]))
        await pilot.pause()
        panel = app.screen.query_one(HistoryPanel)
        assert panel.item is not None and panel.item.id == ids["edited"]
        assert panel.table.row_count == 3
        authors = [str(panel.table.get_row_at(n)[2]) for n in range(3)]
        assert authors == ["Ann", "Tom", "Ann"]

        # By default the last revision is compared with the one before: the target changed.
        head = panel.query_one("#history-diff-head", Static)
        assert "changed: target" in str(head.render())
        diff = panel.query_one("#history-diff", Static).content
        assert isinstance(diff, Text)
        lines = diff.plain.splitlines()
        assert "- target: 70" in lines and "+ target: 90" in lines
        assert "  baseline: 55" in lines  # unchanged context
        # Added lines are green, removed ones red.
        styles = {diff.plain[s.start : s.end]: str(s.style) for s in diff.spans}
        assert "green" in styles["+ target: 90"] and "red" in styles["- target: 70"]

        # Enter moves to the revisions; up compares revision 2 with revision 1.
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is panel.table
        await pilot.press("up")
        await pilot.pause()
        assert "changed: baseline" in str(head.render())
        lines = panel.query_one("#history-diff", Static).content.plain.splitlines()
        assert "- baseline: 40" in lines and "+ baseline: 55" in lines

        # The first revision is the whole text as written.
        await pilot.press("up")
        await pilot.pause()
        assert "first version" in str(head.render())
        lines = panel.query_one("#history-diff", Static).content.plain.splitlines()
        assert lines[0] == "+ result: Shorter sales cycle"


async def test_history_of_an_approved_item_says_who_approved_and_when(db_path):
    ids = make_review_session(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, ids["session"], "review")
        table = app.screen.query_one("#review-items", DataTable)
        table.move_cursor(row=table.get_row_index(ids["approved"]))
        await pilot.pause()
        row = table.get_row(ids["approved"])
        assert str(row[4]) == "Priya Raman" and str(row[5])  # who and when
        panel = app.screen.query_one(HistoryPanel)
        assert panel.table.row_count == 2
        head = str(panel.query_one("#history-diff-head", Static).render())
        assert "Same text as revision 1" in head and "draft → approved" in head
        assert "approved by Priya Raman" in str(panel.query_one("#history-title").render())


ID = re.compile(r"\b(?:itm|ses)_[0-9a-z]+")


def make_linked_session(db_path: Path) -> tuple[str, str]:
    """A workshop whose review would name ids: an approved outcome (its text hash), a
    plan entry serving it (by the outcome's id), a model's draft (signed "model:…"); and a
    follow-up carried from it (each carried item's note names the earlier workshop)."""
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Q2 EU growth", "facilitator": "Priya Raman"})
        person = store.add_stakeholders(session.id, [{"name": "Marta Kowalski"}])[0]
        outcome = store.create_item(session.id, "outcome", OUTCOME, "person", "Priya Raman")
        store.approve_item(outcome.id, "Priya Raman")
        entry = {"title": "EU partner webinar", "channel": "webinar", "outcome_id": outcome.id}
        store.create_item(session.id, "plan_entry", entry, "person", "Priya Raman")
        placed = store.create_item(
            session.id,
            "segmentation",
            {
                "segment": "decision_maker",
                "rationale": "Signs off the budget.",
                "motivations": [],
                "objections": [],
                "approach": "Numbers first.",
                "messages": [],
                "confidence": "high",
            },
            "model",
            "model:test-model",
            stakeholder_id=person.id,
        )
        store.approve_item(placed.id, "Priya Raman")
        follow_up = store.follow_up(session.id, "Q3 EU growth", "Priya Raman")
    return session.id, follow_up.id


async def every_history_on_screen(pilot) -> list[str]:
    """The review as a person pages through it: every row, and every revision of each."""
    app = pilot.app
    await pilot.press("x")  # the rejected ones too
    await pilot.pause()
    table = app.screen.query_one("#review-items", DataTable)
    panel = app.screen.query_one(HistoryPanel)
    seen = []
    for row in range(table.row_count):
        table.focus()
        table.move_cursor(row=row)
        await pilot.pause()
        for revision in range(panel.table.row_count):
            panel.table.move_cursor(row=revision)
            await pilot.pause()
            seen.append(screen_text(app))
    return seen


async def test_the_review_names_things_instead_of_showing_ids_or_hashes(db_path):
    parent, follow_up = make_linked_session(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, parent, "review")
        screens = await every_history_on_screen(pilot)
        assert len(screens) >= 5
        shown = "\n".join(screens)
        assert "outcome: More qualified inbound leads" in shown  # what the entry serves
        assert "segment: Decision maker" in shown
        assert "test-model (a model)" in shown  # who drafted it, by the model's name
        assert "approved by Priya Raman" in shown  # who approved it, and when
        for screen in screens:
            assert not ID.search(screen), ID.search(screen)
            assert "hash" not in screen.lower()

        await pilot.press("escape")
        await open_stage(pilot, follow_up, "review")
        screens = await every_history_on_screen(pilot)
        assert "carried forward from “Q2 EU growth”" in "\n".join(screens)
        for screen in screens:
            assert not ID.search(screen), ID.search(screen)
            assert "hash" not in screen.lower()
