"""The board as the room sees it at a laptop's 100×30: every key hint whole, the focused
card visible whatever its status, no word broken across lines, rejected people shown as
rejected, and the presenter view (F11) with one person's whole draft."""

from __future__ import annotations

import re
from pathlib import Path

from support.snapshot_session import ASSIGNMENTS, PEOPLE, app_at
from support.tui_helpers import open_stage, screen_text, settle, wait_for
from textual.widgets import Static

from sessions import Status
from workshop.tui.stages.presenter import PresenterScreen
from workshop.tui.widgets.assignment_card import AssignmentCard

LAPTOP = (100, 30)
# The board's own words, besides the people's and their drafts'.
BOARD_WORDS = """Not yet placed Influencer Champion Detractor Decision maker Participant
model's draft approved confidence no assignment rules suggest stakeholders assignments
placement only engagement details"""


def focus_card(app, name: str) -> AssignmentCard:
    card = next(c for c in app.screen.query(AssignmentCard) if c.person.name == name)
    card.focus()
    return card


def card_lines(text: str, name: str) -> list[str]:
    """The screen's lines that hold the named person's card frame (its left edge)."""
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if name in line)
    column = lines[row].index(name) - 2
    return [line[column] if len(line) > column else " " for line in lines]


async def test_every_key_hint_is_whole_at_100_columns(snapshot_env: Path):
    app, session_id = app_at(snapshot_env, "segmentation")
    async with app.run_test(size=LAPTOP) as pilot:
        await open_stage(pilot, session_id)
        footer = "\n".join(screen_text(app).splitlines()[-3:])
        for hint in ("d Draft all", "a Approve", "f11 Presenter", "f2 Time box", "? Keys"):
            assert hint in footer
        assert "^p palette" in footer
        assert "…" not in footer


async def test_the_focused_card_is_marked_whatever_its_status(snapshot_env: Path):
    app, session_id = app_at(snapshot_env, "segmentation")
    async with app.run_test(size=LAPTOP) as pilot:
        await open_stage(pilot, session_id)
        focus_card(app, "Priya Shah")  # the approved one
        await pilot.pause()
        edge = card_lines(screen_text(app), "Priya Shah")
        assert "║" in edge  # the double frame of the focused card
        focus_card(app, "Tom Berg")
        await pilot.pause()
        edge = card_lines(screen_text(app), "Priya Shah")
        assert "║" not in edge and "│" in edge  # back to a plain frame


async def test_no_word_is_broken_across_lines_on_a_laptop_board(snapshot_env: Path):
    words = set()
    for person in PEOPLE:
        words.update(re.findall(r"[A-Za-z]+", " ".join(map(str, person.values()))))
    for segment, confidence, rationale in ASSIGNMENTS.values():
        words.update(re.findall(r"[A-Za-z]+", f"{segment} {confidence} {rationale}"))
    words.update(re.findall(r"[A-Za-z]+", BOARD_WORDS))
    app, session_id = app_at(snapshot_env, "segmentation")
    async with app.run_test(size=LAPTOP) as pilot:
        await open_stage(pilot, session_id)
        board = screen_text(app).splitlines()[3:-3]  # between the tabs and the footer
        seen = {w for line in board for w in re.findall(r"[A-Za-z]+", line)}
        assert "Priya" in seen and "Okafor" in seen
        assert seen <= words, f"broken words: {sorted(seen - words)}"


async def test_a_rejected_person_stays_on_the_board_as_rejected_and_comes_back(
    snapshot_env: Path,
):
    app, session_id = app_at(snapshot_env, "segmentation")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id)

        def titles() -> list[str]:
            return [" ".join(str(t.render()).split()) for t in app.screen.query(".seg-title")]

        columns = len(titles())
        focus_card(app, "Lee Wong")
        await pilot.press("r")

        def lee_says() -> str:
            return " ".join(str(focus_card(app, "Lee Wong").render()).split())

        assert await wait_for(pilot, lambda: "✗ Champion: rejected" in lee_says())
        await pilot.pause()
        assert "Champion (1)" in titles()  # Lee left the column; Ana is still there
        assert "Not yet placed (2)" in titles()
        assert len(titles()) == columns  # no column added or lost
        exported = app.service.export.render(
            app.service.sessions.load(session_id), include_drafts=True
        )
        champions = exported.split("### Champion", 1)[1].split("\n### ", 1)[0]
        assert "Ana Ruiz" in champions and "Lee Wong" not in champions

        focus_card(app, "Lee Wong")
        await pilot.press("u")  # reopen: the draft is back in its column, to decide again
        assert await wait_for(pilot, lambda: "Champion (2)" in titles())
        lee = next(
            i
            for i in app.service.sessions.load(session_id).items
            if i.body.get("rationale", "").startswith("Already runs")
        )
        assert lee.status is Status.DRAFT


async def test_the_presenter_view_shows_one_whole_draft_and_goes_back_to_it(
    snapshot_env: Path,
):
    app, session_id = app_at(snapshot_env, "segmentation")
    async with app.run_test(size=LAPTOP) as pilot:
        await open_stage(pilot, session_id)
        focus_card(app, "Tom Berg")
        await pilot.press("f11")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PresenterScreen))
        await settle(pilot)
        text = screen_text(app)
        assert "Decision maker" in text and "Tom Berg" in text
        for whole in (
            "Signs off the budget; wants a line to revenue.",
            "Monthly one-page numbers.",
        ):
            assert whole in " ".join(text.split())
        assert "What to tell them" in text and "Marketing owns results, not requests." in text

        await pilot.press("right")  # the next segment with people in it
        await pilot.pause()
        draft = str(app.screen.query_one("#presenter-draft", Static).render())
        assert "Tom Berg" not in draft
        await pilot.press("left", "escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, PresenterScreen))
        await settle(pilot)
        focused = app.screen.focused
        assert isinstance(focused, AssignmentCard) and focused.person.name == "Tom Berg"
