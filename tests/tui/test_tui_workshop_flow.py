"""A whole workshop, from an empty database to the exported file, with the keyboard alone.

Issue #4's "Done when": a new user runs every stage by keys, and every step is in the
database as soon as it is made. After each step a second connection (SessionStore on the
same file) checks what was saved. Two runs: with the real test model server, and with no
model configured at all (everything by hand).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from support.drafting_helpers import use_test_server
from support.tui_helpers import (
    SIZE,
    make_app,
    notifications,
    saved_record,
    screen_text,
    send_preview,
    sent_without_preview,
    settle,
    wait_for,
)
from textual import events
from textual.pilot import Pilot
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Input,
    Select,
    Static,
    TabbedContent,
    TextArea,
)

from sessions import ItemKind, Origin, SessionStore, Stage, Status, has_engagement_details
from workshop.tui.dialogs.common import ConfirmDialog, PromptDialog
from workshop.tui.dialogs.outcome import OutcomeDialog
from workshop.tui.dialogs.plan import CadenceDialog, PlanEntryDialog
from workshop.tui.dialogs.question import QuestionDialog
from workshop.tui.dialogs.segmentation import AssignmentDialog, MoveDialog
from workshop.tui.screens.home import HomeScreen
from workshop.tui.screens.new_session import NewSessionScreen
from workshop.tui.screens.workshop_screen import WorkshopScreen
from workshop.tui.widgets.assignment_card import AssignmentCard
from workshop.tui.widgets.outcome_card import OutcomeCard
from workshop.tui.widgets.question_widgets import AnswerArea, QuestionLine
from workshop.tui.widgets.stakeholder_entry import StakeholderEntry

TITLE = "Q3 growth workshop"
FACILITATOR = "Dana Reyes"
PRIORITIES = ["Grow EU pipeline", "Partner launch"]
PASTED = "Tom Berg, CFO, Finance\nLee Wong, Brand lead, Marketing\nAna Ruiz, PMM, Product\n"
PEOPLE = ["Priya Shah", "Tom Berg", "Lee Wong", "Ana Ruiz"]


# Small steps shared by both runs -------------------------------------------------------


def items(db_path: Path, session_id: str, kind: ItemKind):
    return saved_record(db_path, session_id).items_of(kind)


def active_tab(app) -> str:
    return app.screen.query_one(TabbedContent).active


async def press_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*text)


async def tab_to(pilot: Pilot, widget_id: str, limit: int = 12) -> None:
    """Tab until the widget with this id has the focus (as a person would)."""
    for _ in range(limit):
        if pilot.app.focused is not None and pilot.app.focused.id == widget_id:
            return
        await pilot.press("tab")
    assert pilot.app.focused is not None and pilot.app.focused.id == widget_id


async def approve_anyway(pilot: Pilot) -> None:
    """The outcome fails some checks: approving asks once, naming them; y approves."""
    assert isinstance(pilot.app.screen, ConfirmDialog)
    assert "This outcome fails" in screen_text(pilot.app)
    await pilot.press("y")
    await pilot.pause()


async def new_session_from_home(pilot: Pilot, db_path: Path) -> str:
    app = pilot.app
    await settle(pilot)
    assert isinstance(app.screen, HomeScreen)
    assert "No workshops yet." in screen_text(app)
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, NewSessionScreen)
    await press_text(pilot, TITLE)
    await pilot.press("enter", "enter")  # title, then organisation (left empty): create
    assert await wait_for(pilot, lambda: isinstance(app.screen, WorkshopScreen))
    await settle(pilot)
    with SessionStore.open(db_path) as store:
        (summary,) = store.list_sessions()
    assert summary.title == TITLE and summary.stage is Stage.BRIEF
    assert active_tab(app) == "tab-brief"
    return summary.id


async def fill_brief(pilot: Pilot, db_path: Path, session_id: str) -> None:
    await tab_to(pilot, "organisation")
    await press_text(pilot, "Acme Robotics")
    await pilot.press("tab")  # leaving a field saves it
    await pilot.pause()
    assert saved_record(db_path, session_id).session.organisation == "Acme Robotics"
    await press_text(pilot, "2026-07-02")
    await pilot.press("tab")
    await press_text(pilot, FACILITATOR)
    await pilot.press("tab")
    await press_text(pilot, "Dana, Priya")
    await pilot.press("tab")
    assert isinstance(pilot.app.focused, TextArea) and pilot.app.focused.id == "priorities"
    await press_text(pilot, PRIORITIES[0])
    await pilot.press("enter")
    await press_text(pilot, PRIORITIES[1])
    await pilot.press("tab")
    await press_text(pilot, "Order-taking.")
    await pilot.press("tab")
    await press_text(pilot, "Low trust.")
    # Saved a moment after the last key, without leaving the box.
    assert await wait_for(
        pilot, lambda: saved_record(db_path, session_id).session.challenges == "Low trust."
    )
    session = saved_record(db_path, session_id).session
    assert session.organisation == "Acme Robotics"
    assert session.workshop_date.isoformat() == "2026-07-02"
    assert session.facilitator == FACILITATOR
    assert session.participants == ["Dana", "Priya"]
    assert session.priorities == PRIORITIES
    assert session.marketing_today == "Order-taking."
    assert session.challenges == "Low trust."
    assert "✓ saved" in screen_text(pilot.app)
    # Tab leaves the last box (digits typed in a box are text, not stage keys).
    await pilot.press("tab")
    assert not isinstance(pilot.app.focused, Input | TextArea), pilot.app.focused


async def fill_register(pilot: Pilot, db_path: Path, session_id: str) -> None:
    app = pilot.app
    await pilot.press("2")
    await settle(pilot)
    assert active_tab(app) == "tab-stakeholders"
    assert saved_record(db_path, session_id).session.stage is Stage.STAKEHOLDERS
    entry = app.screen.query_one("#stk-entry", StakeholderEntry)
    assert app.focused is entry  # typing starts at once

    await press_text(pilot, "Priya Shah, Head of Sales, Sales")
    await pilot.press("enter")
    await pilot.pause()
    (priya,) = saved_record(db_path, session_id).stakeholders
    assert (priya.name, priya.role, priya.team) == ("Priya Shah", "Head of Sales", "Sales")
    assert entry.value == ""

    # A list pasted into the entry adds everyone at once.
    entry.post_message(events.Paste(PASTED))
    await settle(pilot)
    people = saved_record(db_path, session_id).stakeholders
    assert [p.name for p in people] == PEOPLE
    assert (people[3].role, people[3].team) == ("PMM", "Product")
    table = app.screen.query_one("#stk-table", DataTable)
    assert table.row_count == 4 and table.cursor_row == 3  # on the last one added

    # Down to the register, then single keys set the attributes of the selected person.
    await pilot.press("down")
    assert app.focused is table
    await pilot.press("i", "s")  # Ana: influence high, stance supportive
    await pilot.pause()
    await pilot.press("up", "up", "up", "i", "s", "s", "s")  # Priya: high, resistant
    await pilot.pause()
    people = {p.name: p for p in saved_record(db_path, session_id).stakeholders}
    assert (people["Ana Ruiz"].influence.value, people["Ana Ruiz"].stance.value) == (
        "high",
        "supportive",
    )
    assert (people["Priya Shah"].influence.value, people["Priya Shah"].stance.value) == (
        "high",
        "resistant",
    )
    assert people["Tom Berg"].influence is None


async def write_plan(pilot: Pilot, db_path: Path, session_id: str, outcome_id: str) -> None:
    app = pilot.app
    await pilot.press("6")
    await settle(pilot)
    assert active_tab(app) == "tab-plan"
    await pilot.press("n")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, PlanEntryDialog)
    # The only approved outcome is chosen already.
    assert dialog.query_one("#plan-outcome", Select).value == outcome_id
    await press_text(pilot, "EU partner webinar")
    await pilot.press("tab")
    await press_text(pilot, "2026-07-15")
    await pilot.press("tab")
    await press_text(pilot, "2026-08-15")
    await pilot.press("tab")
    await press_text(pilot, "Webinar")
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, WorkshopScreen)
    (entry,) = items(db_path, session_id, ItemKind.PLAN_ENTRY)
    assert entry.body["title"] == "EU partner webinar"
    assert entry.body["outcome_id"] == outcome_id
    assert (entry.body["starts"], entry.body["ends"]) == ("2026-07-15", "2026-08-15")
    assert entry.body["channel"] == "Webinar" and entry.origin is Origin.PERSON
    assert "EU partner webinar" in screen_text(app)
    await pilot.press("a")  # the new entry is the selected row
    await pilot.pause()
    (entry,) = items(db_path, session_id, ItemKind.PLAN_ENTRY)
    assert entry.status is Status.APPROVED and entry.approved_by == FACILITATOR

    # The impact cadence: c to its table, e on the first segment.
    await pilot.press("c")
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, CadenceDialog)
    await press_text(pilot, "Pipeline from EU partners, in euros")
    await pilot.press("tab")
    await press_text(pilot, "monthly")
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, WorkshopScreen)
    (cadence,) = items(db_path, session_id, ItemKind.CADENCE)
    assert cadence.body == {
        "segment": "influencer",
        "report": "Pipeline from EU partners, in euros",
        "frequency": "monthly",
    }
    assert "monthly" in screen_text(app)
    await pilot.press("a")
    await pilot.pause()
    (cadence,) = items(db_path, session_id, ItemKind.CADENCE)
    assert cadence.status is Status.APPROVED


async def check_review(pilot: Pilot, db_path: Path, session_id: str) -> None:
    app = pilot.app
    await pilot.press("7")
    await settle(pilot)
    assert active_tab(app) == "tab-review"
    assert saved_record(db_path, session_id).session.stage is Stage.REVIEW
    saved = saved_record(db_path, session_id).items
    tally = Counter((i.kind.value, i.status.value) for i in saved)
    counts = app.screen.query_one("#review-counts", DataTable)
    for status in ("approved", "draft", "rejected"):
        for kind in ItemKind:
            assert str(counts.get_cell(status, kind.value)) == str(tally[(kind.value, status)]), (
                status,
                kind,
            )
        total = sum(n for (_, s), n in tally.items() if s == status)
        assert str(counts.get_cell(status, "total")) == str(total)
    approved = sum(1 for i in saved if i.status is Status.APPROVED)
    still_open = sum(1 for i in saved if i.status is Status.DRAFT)
    summary = str(app.screen.query_one("#review-summary", Static).render())
    assert f"{approved} approved · {still_open} still open" in summary
    listed = app.screen.query_one("#review-items", DataTable)
    assert listed.row_count == sum(1 for i in saved if i.status is not Status.REJECTED)


async def write_export(pilot: Pilot, db_path: Path, session_id: str, cwd: Path) -> str:
    app = pilot.app
    await pilot.press("8")
    await settle(pilot)
    assert active_tab(app) == "tab-export"
    # The status line and the saved stage say Export, not the Review before it.
    assert "Stage: Export" in screen_text(app)
    assert saved_record(db_path, session_id).session.stage is Stage.EXPORT
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(app.screen, PromptDialog)
    assert app.screen.query_one(Input).value == "q3-growth-workshop.md"
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkshopScreen)
    written = (cwd / "q3-growth-workshop.md").read_text(encoding="utf-8")
    assert written == app.service.export.markdown(session_id)
    assert written.startswith(f"# {TITLE}\n")
    assert "- **Organisation:** Acme Robotics" in written
    assert "EU partner webinar" in written  # the approved entry
    assert "Pipeline from EU partners, in euros" in written  # the approved cadence
    with SessionStore.open(db_path) as store:
        assert [e.kind for e in store.events(session_id)].count("exported") == 1
    assert "Written:" in screen_text(app)
    return written


async def quit_and_resume(db_path: Path, session_id: str) -> None:
    """Reopen the app on the same file: the session resumes where it was left."""
    # The stage shown last, Export, is the one saved and the one shown again.
    assert saved_record(db_path, session_id).session.stage is Stage.EXPORT
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 1 and str(table.get_row_at(0)[3]).lower() == "export"
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, WorkshopScreen))
        await settle(pilot)
        assert active_tab(app) == "tab-export"
        text = screen_text(app)
        assert TITLE in text and "Stage: Export" in text
        await pilot.press("1")
        await settle(pilot)
        assert app.screen.query_one("#organisation", Input).value == "Acme Robotics"
        # Typed just before quitting, with no pause: saved on the way out.
        await tab_to(pilot, "organisation")
        await pilot.press("end", *" GmbH", "ctrl+q")
    session = saved_record(db_path, session_id).session
    assert session.stage is Stage.BRIEF and session.organisation == "Acme Robotics GmbH"


async def capture_answer(
    pilot: Pilot, db_path: Path, session_id: str, speaker: str, answer: str
) -> None:
    """p picks who is speaking (the first person of the segment), Tab to the first
    question's box, type what they said; leaving the box saves it."""
    app = pilot.app
    await pilot.press("p")
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)
    assert app.screen.query_one("#dis-person", Select).value == speaker
    await pilot.press("tab")
    assert isinstance(app.focused, QuestionLine)
    await pilot.press("tab")
    area = app.focused
    assert isinstance(area, AnswerArea)
    await press_text(pilot, answer)
    await pilot.press("tab")
    await pilot.pause()
    (answers,) = items(db_path, session_id, ItemKind.ANSWERS)
    assert answers.stakeholder_id == speaker
    assert answers.body["entries"] == [{"question": area.question, "answer": answer}]


# The segmentation board ----------------------------------------------------------------


def placed(db_path: Path, session_id: str) -> dict:
    """Each placed person's current assignment, by name."""
    saved = saved_record(db_path, session_id)
    names = {p.id: p.name for p in saved.stakeholders}
    return {
        names[i.stakeholder_id]: i
        for i in saved.items_of(ItemKind.SEGMENTATION)
        if i.status is not Status.REJECTED
    }


def board_cards(app) -> list[AssignmentCard]:
    return list(app.screen.query(AssignmentCard))


def board_settled(app, placed: int) -> bool:
    """Every person's card shows a saved assignment and the focus is on a card on screen."""
    cards = board_cards(app)
    focused = app.focused
    return (
        sum(1 for c in cards if c.item is not None) == placed
        and isinstance(focused, AssignmentCard)
        and focused.is_attached
        and focused in cards
    )


async def focus_card(pilot: Pilot, wanted) -> AssignmentCard:
    """Arrows through the board until the focused card is one wanted(card) accepts:
    down each column, right to the next one."""
    app = pilot.app
    for _ in range(6):  # the columns that have cards
        for _ in range(6):  # the cards in one
            if isinstance(app.focused, AssignmentCard) and wanted(app.focused):
                return app.focused
            await pilot.press("down")
        await pilot.press("right")
    assert isinstance(app.focused, AssignmentCard) and wanted(app.focused)
    return app.focused


# a) With the test model server ---------------------------------------------------------


async def test_a_whole_workshop_by_keyboard_with_a_model(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        session_id = await new_session_from_home(pilot, db_path)
        assert not app.screen.query_one("#banner").display  # a model is connected
        assert "test-model" in screen_text(app)

        # 1 Brief -------------------------------------------------------------------
        await fill_brief(pilot, db_path, session_id)

        # 2 Stakeholders --------------------------------------------------------------
        await fill_register(pilot, db_path, session_id)

        # 3 Segmentation: draft all (preview, Enter) -----------------------------------
        await pilot.press("3")
        await settle(pilot)
        assert active_tab(app) == "tab-segmentation"
        assert [c.item for c in board_cards(app)] == [None] * 4
        await pilot.press("d")
        await send_preview(pilot)
        assert await wait_for(pilot, lambda: board_settled(app, 4))
        drafts = items(db_path, session_id, ItemKind.SEGMENTATION)
        assert len(drafts) == 4
        assert all(i.origin is Origin.MODEL and i.status is Status.DRAFT for i in drafts)
        # Placed with the whole room first, then given their engagement details: a redraft.
        assert all(has_engagement_details(i.body) and i.version == 2 for i in drafts)
        assert not any("placement only" in c.render_card().plain for c in board_cards(app))
        assert {i.stakeholder_id for i in drafts} == {
            p.id for p in saved_record(db_path, session_id).stakeholders
        }
        assert "4 assignments, 0 approved" in str(app.screen.query_one("#seg-progress").render())

        # Approve the focused card.
        first = app.focused
        await pilot.press("a")
        await pilot.pause()
        with SessionStore.open(db_path) as store:
            item = store.get_item(first.item.id)
        assert item.status is Status.APPROVED and item.approved_by == FACILITATOR
        assert await wait_for(pilot, lambda: board_settled(app, 4))
        assert "✓ approved" in app.focused.render_card().plain

        # Edit another: the dialog, a longer rationale, Ctrl+S.
        editing = await focus_card(
            pilot, lambda c: c.item is not None and c.item.status is Status.DRAFT
        )
        edited_id = editing.item.id
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, AssignmentDialog)
        await tab_to(pilot, "rationale")
        await pilot.press("end")
        await press_text(pilot, " Owns the EU budget.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        with SessionStore.open(db_path) as store:
            edited = store.get_item(edited_id)
        assert edited.origin is Origin.EDITED and edited.version == 3  # the draft was 2
        assert edited.body["rationale"].endswith(" Owns the EU budget.")
        assert await wait_for(pilot, lambda: board_settled(app, 4))

        # Move a third to Champion: m, then its number.
        moving = await focus_card(
            pilot,
            lambda c: (
                c.item is not None
                and c.item.origin is Origin.MODEL
                and c.item.status is Status.DRAFT
            ),
        )
        moved_id = moving.item.id
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MoveDialog)
        await pilot.press("2")
        await pilot.pause()
        with SessionStore.open(db_path) as store:
            moved = store.get_item(moved_id)
        assert moved.body["segment"] == "champion" and moved.origin is Origin.EDITED
        assert await wait_for(pilot, lambda: board_settled(app, 4))
        assert any(
            c.item and c.item.id == moved_id
            for c in app.screen.query("#col-champion AssignmentCard")
        )

        # Redraft the last untouched one with a line of guidance.
        redrafting = await focus_card(
            pilot,
            lambda c: (
                c.item is not None
                and c.item.origin is Origin.MODEL
                and c.item.status is Status.DRAFT
            ),
        )
        redraft_id = redrafting.item.id
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await press_text(pilot, "She is more sceptical than that")
        await pilot.press("enter")
        # Segmentation's request was shown before the first draft: this one goes at once.
        said = await sent_without_preview(pilot)
        assert said.startswith("Sending 1 request to test-model")
        assert await wait_for(pilot, lambda: board_settled(app, 4))
        with SessionStore.open(db_path) as store:
            revisions = store.revisions(redraft_id)
            assignments = store.load_session(session_id).items_of(ItemKind.SEGMENTATION)
        assert [r.note for r in revisions] == [
            "",  # placed with the room
            "details drafted",
            "guidance: She is more sceptical than that",
        ]
        assert len(assignments) == 4  # redrafted in place
        assert "She is more sceptical than that" in llm_server.chat_requests[-1].messages_text
        assert edited_id in {i.id for i in assignments}  # the person's edit is untouched

        # v shows the influence × support map, and v again the board.
        views = app.screen.query_one("#seg-views", ContentSwitcher)
        await pilot.press("v")
        await pilot.pause()
        assert views.current == "seg-map"
        assert "Ana Ruiz" in screen_text(app) and "Not on the map" in screen_text(app)
        await pilot.press("v")
        await pilot.pause()
        assert views.current == "seg-board"
        assert await wait_for(pilot, lambda: board_settled(app, 4))

        # 4 Discussions: draft the guides, capture an answer ------------------------------
        await pilot.press("4")
        await settle(pilot)
        assert active_tab(app) == "tab-discussions"
        await pilot.press("d")
        await send_preview(pilot)  # another kind of draft: its request is shown first
        guides = items(db_path, session_id, ItemKind.DISCUSSION_GUIDE)
        assert len(guides) == 5 and all(g.origin is Origin.MODEL for g in guides)

        in_influencer = [
            i.stakeholder_id
            for i in placed(db_path, session_id).values()
            if i.body["segment"] == "influencer"
        ]
        people = [p.id for p in saved_record(db_path, session_id).stakeholders]
        speaker = min(in_influencer, key=people.index)  # the first of the segment
        await capture_answer(pilot, db_path, session_id, speaker, "A pipeline we can forecast.")

        # 5 Outcomes: draft, approve one, add one by hand ---------------------------------
        await pilot.press("5")
        await settle(pilot)
        assert active_tab(app) == "tab-outcomes"
        await pilot.press("o")
        await send_preview(pilot)
        (drafted,) = items(db_path, session_id, ItemKind.OUTCOME)
        assert drafted.origin is Origin.MODEL
        assert "A pipeline we can forecast." in llm_server.chat_requests[-1].messages_text
        assert await wait_for(pilot, lambda: isinstance(app.focused, OutcomeCard))
        await pilot.press("a")
        await pilot.pause()
        await approve_anyway(pilot)
        (drafted,) = items(db_path, session_id, ItemKind.OUTCOME)
        assert drafted.status is Status.APPROVED and drafted.approved_by == FACILITATOR
        await add_outcome_by_hand(pilot, db_path, session_id)

        # 6 Plan, 7 Review, 8 Export --------------------------------------------------------
        await write_plan(pilot, db_path, session_id, drafted.id)
        await check_review(pilot, db_path, session_id)
        written = await write_export(pilot, db_path, session_id, tmp_path)
        assert "test-model" in written  # the provenance names the model

        await pilot.press("ctrl+q")
    await quit_and_resume(db_path, session_id)


async def add_outcome_by_hand(pilot: Pilot, db_path: Path, session_id: str) -> str:
    app = pilot.app
    before = {i.id for i in items(db_path, session_id, ItemKind.OUTCOME)}
    await pilot.press("n")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, OutcomeDialog)
    await press_text(pilot, "More partner-sourced deals")
    await pilot.press("tab")
    await press_text(pilot, "Partner-sourced deals per quarter")
    await pilot.press("tab", "tab")  # no baseline given: unknown
    await press_text(pilot, "12")
    await pilot.press("tab")
    await press_text(pilot, "2026-09-30")
    await pilot.press("tab")
    await press_text(pilot, FACILITATOR)
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, WorkshopScreen)
    (mine,) = [i for i in items(db_path, session_id, ItemKind.OUTCOME) if i.id not in before]
    assert mine.origin is Origin.PERSON and mine.status is Status.DRAFT
    assert mine.body["result"] == "More partner-sourced deals"
    assert mine.body["baseline"] is None and mine.body["target"] == "12"
    assert mine.body["due"] == "2026-09-30" and mine.body["owner"] == FACILITATOR
    await settle(pilot)
    assert "More partner-sourced deals" in screen_text(app)
    return mine.id


# b) With no model configured -----------------------------------------------------------


def no_model_notice(app) -> bool:
    return any(m.startswith("No model is configured") for m in notifications(app))


async def draft_without_a_model(pilot: Pilot, key: str) -> None:
    """A drafting key says how to connect a model; the workshop goes on."""
    app = pilot.app
    app.clear_notifications()
    await pilot.press(key)
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert no_model_notice(app)
    assert isinstance(app.screen, WorkshopScreen)


async def test_b_a_whole_workshop_by_hand_without_a_model(db_path, tmp_path, monkeypatch):
    for name in ("WORKSHOP_MODEL", "WORKSHOP_PROFILE", "WORKSHOP_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        session_id = await new_session_from_home(pilot, db_path)
        banner = str(app.screen.query_one("#banner", Static).render())
        assert app.screen.query_one("#banner").display
        assert banner.startswith("No model is configured. Set WORKSHOP_MODEL")
        assert "Everything else works without a model." in banner
        assert "No model: working by hand" in screen_text(app)

        await fill_brief(pilot, db_path, session_id)
        await fill_register(pilot, db_path, session_id)

        # 3 Segmentation: drafting says how to connect a model; the rules still suggest.
        await pilot.press("3")
        await settle(pilot)
        assert active_tab(app) == "tab-segmentation"
        await draft_without_a_model(pilot, "d")
        assert [c.item for c in board_cards(app)] == [None] * 4
        cards = {c.person.name: c.render_card().plain for c in board_cards(app)}
        assert "rules suggest Detractor" in cards["Priya Shah"]  # high influence, resistant
        assert "rules suggest Champion" in cards["Ana Ruiz"]  # high influence, supportive
        assert items(db_path, session_id, ItemKind.SEGMENTATION) == []

        # By hand: e writes Priya's assignment, starting from what the rules suggest.
        priya = await focus_card(pilot, lambda c: c.person.name == "Priya Shah")
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AssignmentDialog)
        assert dialog.query_one("#segment", Select).value == "detractor"
        await tab_to(pilot, "rationale")  # the cursor at its start
        await press_text(pilot, "Doubts our leads. ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        (written,) = items(db_path, session_id, ItemKind.SEGMENTATION)
        assert written.stakeholder_id == priya.person.id
        assert written.origin is Origin.PERSON and written.body["segment"] == "detractor"
        assert written.body["rationale"].startswith("Doubts our leads. They resist")

        # m places the others: Tom in Influencer (1), Lee in Champion (2).
        for name, key, segment in (("Tom Berg", "1", "influencer"), ("Lee Wong", "2", "champion")):
            assert await wait_for(
                pilot, lambda: board_settled(app, len(placed(db_path, session_id)))
            )
            await focus_card(pilot, lambda c, name=name: c.person.name == name)
            await pilot.press("m")
            await pilot.pause()
            assert isinstance(app.screen, MoveDialog)
            await pilot.press(key)
            await pilot.pause()
            assert placed(db_path, session_id)[name].body["segment"] == segment
            assert placed(db_path, session_id)[name].origin is Origin.PERSON

        # Approve Tom's, then move Lee's (now a person's assignment) to Participant.
        assert await wait_for(pilot, lambda: board_settled(app, 3))
        await focus_card(pilot, lambda c: c.person.name == "Tom Berg")
        await pilot.press("a")
        await pilot.pause()
        assert placed(db_path, session_id)["Tom Berg"].status is Status.APPROVED
        assert await wait_for(pilot, lambda: board_settled(app, 3))
        await focus_card(pilot, lambda c: c.person.name == "Lee Wong")
        await pilot.press("m", "5")
        await pilot.pause()
        lee = placed(db_path, session_id)["Lee Wong"]
        assert lee.body["segment"] == "participant" and lee.version == 2
        assert "Ana Ruiz" in [
            c.person.name for c in app.screen.query("#col-unplaced AssignmentCard")
        ]

        # 4 Discussions: questions written by hand, the guide approved.
        await pilot.press("4")
        await settle(pilot)
        assert active_tab(app) == "tab-discussions"
        await draft_without_a_model(pilot, "d")
        assert "No model is configured" in str(app.screen.query_one("#dis-progress").render())
        for question in ("What does a great quarter look like for you?", "What has not worked?"):
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, QuestionDialog)
            await press_text(pilot, question)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, WorkshopScreen)
        (guide,) = items(db_path, session_id, ItemKind.DISCUSSION_GUIDE)
        assert guide.origin is Origin.PERSON and guide.segment.value == "influencer"
        assert [q["text"] for q in guide.body["questions"]] == [
            "What does a great quarter look like for you?",
            "What has not worked?",
        ]
        await pilot.press("a")
        await pilot.pause()
        (guide,) = items(db_path, session_id, ItemKind.DISCUSSION_GUIDE)
        assert guide.status is Status.APPROVED and guide.approved_by == FACILITATOR
        assert "What has not worked?" in screen_text(app)
        tom = placed(db_path, session_id)["Tom Berg"].stakeholder_id
        await capture_answer(pilot, db_path, session_id, tom, "Fewer, better leads.")

        # 5 Outcomes: drafting says so; one written by hand and approved.
        await pilot.press("5")
        await settle(pilot)
        assert active_tab(app) == "tab-outcomes"
        await draft_without_a_model(pilot, "o")
        outcome_id = await add_outcome_by_hand(pilot, db_path, session_id)
        assert await wait_for(
            pilot,
            lambda: isinstance(app.focused, OutcomeCard) and app.focused.item.id == outcome_id,
        )
        await pilot.press("a")
        await pilot.pause()
        await approve_anyway(pilot)
        (outcome,) = items(db_path, session_id, ItemKind.OUTCOME)
        assert outcome.status is Status.APPROVED and outcome.approved_by == FACILITATOR

        # 6 Plan, 7 Review, 8 Export ------------------------------------------------------
        await write_plan(pilot, db_path, session_id, outcome_id)
        await check_review(pilot, db_path, session_id)
        written = await write_export(pilot, db_path, session_id, tmp_path)
        assert "- **Models used:** none recorded" in written
        assert "What has not worked?" in written and "More partner-sourced deals" in written
        assert "Fewer, better leads." in written  # the answer captured by hand
        assert "> Approved although it fails" in written  # approved anyway, and marked
        with SessionStore.open(db_path) as store:
            assert store.llm_calls(session_id) == []

        await pilot.press("ctrl+q")
    await quit_and_resume(db_path, session_id)
