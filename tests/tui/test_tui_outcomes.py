"""The outcomes stage driven with Pilot: drafts from the real test server, statements
written by hand, their checks on screen, and every decision in the real SQLite file."""

from __future__ import annotations

import asyncio

from support.drafting_helpers import use_test_server
from support.factory import make_session
from support.tui_helpers import (
    make_app,
    open_stage,
    screen_text,
    send_preview,
    sent_without_preview,
)

from sessions import ItemKind, Origin, SessionStore, Status
from workshop.tui.dialogs.common import ConfirmDialog
from workshop.tui.dialogs.outcome import OutcomeDialog
from workshop.tui.dialogs.request_preview import RequestPreviewDialog
from workshop.tui.screens.workshop_screen import WorkshopScreen
from workshop.tui.widgets.outcome_card import UNKNOWN, OutcomeCard

OUTCOME = {
    "result": "More qualified EU pipeline",
    "metric": "Qualified opportunities per quarter",
    "baseline": "25 per quarter",
    "target": "40 per quarter",
    "due": "2026-09-30",
    "owner": "Dana Reyes",
    "priority": "Grow EU pipeline",
    "stakeholders": ["Person 00"],
    "leading_indicators": ["Demo requests"],
}


def outcomes(db_path, session_id):
    with SessionStore.open(db_path) as store:
        return store.load_session(session_id).items_of(ItemKind.OUTCOME)


def cards(app) -> list[OutcomeCard]:
    return list(app.screen.query(OutcomeCard))


def card_text(card: OutcomeCard) -> str:
    return "\n".join(str(s.render()) for s in card.query("Static"))


async def test_draft_outcomes_shows_them_with_their_checks(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 2)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        assert cards(app) == []
        await pilot.press("o")
        await send_preview(pilot)
        (drafted,) = outcomes(db_path, session_id)
        assert drafted.origin is Origin.MODEL and drafted.status is Status.DRAFT
        (card,) = cards(app)
        text = card_text(card)
        assert "Example result" in text and "model's draft" in text
        assert "Checks: 3 of 6 pass" in text
        assert "✗ Has a target" in text and "✓ Has an owner" in text
        assert "Grow EU pipeline" in llm_server.chat_requests[-1].messages_text


async def test_an_outcome_by_hand_with_an_unknown_baseline(db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 2)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OutcomeDialog)
        checks = dialog.query_one("#outcome-checks")
        assert "✗ Has a target" in str(checks.render())

        await pilot.press("ctrl+s")  # no result yet: refused, and the dialog stays
        await pilot.pause()
        assert app.screen is dialog
        assert "needs a result" in str(dialog.query_one("#outcome-error").render())

        await pilot.press(*"More [b]EU[/b] pipeline", "tab")
        await pilot.press(*"Qualified opportunities per quarter", "tab")
        await pilot.press("tab")  # the baseline stays empty: unknown
        await pilot.press(*"40 per quarter", "tab")
        await pilot.press(*"Q3", "tab")
        await pilot.press(*"Dana Reyes", "tab")
        await pilot.pause()
        text = str(checks.render())
        assert "✓ Has a target" in text and "✓ Has a due date" in text  # live, as typed
        assert "✗ Has a baseline" in text
        dialog.query_one("#stakeholders").value = "Person 00, " + "x" * 250
        await pilot.press("ctrl+s")  # refused by the store: message here, text kept
        await pilot.pause()
        assert app.screen is dialog
        assert str(dialog.query_one("#outcome-error").render())
        assert dialog.query_one("#metric").value == "Qualified opportunities per quarter"
        assert outcomes(db_path, session_id) == []

        dialog.query_one("#stakeholders").value = "Person 00, Someone new"
        await pilot.pause()
        assert "Not in the stakeholder register: Someone new" in str(checks.render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        (item,) = outcomes(db_path, session_id)
        assert item.origin is Origin.PERSON
        assert item.body["baseline"] is None and item.body["target"] == "40 per quarter"
        assert item.body["result"] == "More [b]EU[/b] pipeline"
        assert item.body["stakeholders"] == ["Person 00", "Someone new"]
        (card,) = cards(app)
        text = card_text(card)
        assert UNKNOWN in text and "Baseline unknown" in text
        assert "More [b]EU[/b] pipeline" in screen_text(app)  # markup shown as text


async def test_edit_approve_reject_and_reopen_reach_the_database(db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
        drafted = store.create_item(session_id, "outcome", OUTCOME, "model", "model:test")
        store.create_item(session_id, "outcome", OUTCOME | {"result": "Second"}, "person", "Dana")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        assert isinstance(app.focused, OutcomeCard) and app.focused.item.id == drafted.id

        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OutcomeDialog)
        dialog.query_one("#target").value = "45 per quarter"
        dialog.query_one("#due").value = ""  # emptied: unknown again
        await pilot.press("ctrl+s")
        await pilot.pause()
        edited = next(i for i in outcomes(db_path, session_id) if i.id == drafted.id)
        assert edited.version == 2 and edited.origin is Origin.EDITED
        assert edited.body["target"] == "45 per quarter" and edited.body["due"] is None
        assert "edited in the room" in card_text(app.focused)
        assert UNKNOWN in card_text(app.focused)

        # It fails checks (an unknown figure): approving asks once, naming them.
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        asked = screen_text(app)
        assert "This outcome fails" in asked and "unknown" in asked
        await pilot.press("n")  # kept a draft
        await pilot.pause()
        assert next(i for i in outcomes(db_path, session_id) if i.id == drafted.id).status is (
            Status.DRAFT
        )
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        approved = next(i for i in outcomes(db_path, session_id) if i.id == drafted.id)
        assert approved.status is Status.APPROVED and approved.approved_by
        assert "✓ approved" in card_text(app.focused)

        await pilot.press("down", "r")
        await pilot.pause()
        await pilot.pause()
        second = next(i for i in outcomes(db_path, session_id) if i.id != drafted.id)
        assert second.status is Status.REJECTED
        assert [c.item.id for c in cards(app)] == [drafted.id]  # rejected ones are hidden

        await pilot.press("h")  # show them, then reopen it
        await pilot.pause()
        await pilot.pause()
        assert len(cards(app)) == 2
        cards(app)[1].focus()
        await pilot.press("u")
        await pilot.pause()
        await pilot.pause()
        second = next(i for i in outcomes(db_path, session_id) if i.id != drafted.id)
        assert second.status is Status.DRAFT


async def test_a_server_fault_is_shown_and_the_pane_stays_usable(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
    llm_server.add_fault("server_error", times=None)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        await pilot.press("o")
        await send_preview(pilot)
        progress = str(app.screen.query_one("#out-progress").render())
        assert "Drafting failed" in progress and "server error (500)" in progress
        assert "press o to retry" in progress
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog)
        await pilot.press(*"Faster sales cycle", "ctrl+s")
        await pilot.pause()
        assert len(outcomes(db_path, session_id)) == 1

        llm_server.clear_faults()
        await pilot.press("o")
        said = await sent_without_preview(pilot)  # previewed and sent once already
        assert said.startswith("Sending 1 request to test-model at 127.0.0.1")
        assert len(outcomes(db_path, session_id)) == 2
        assert "Drafting failed" not in str(app.screen.query_one("#out-progress").render())


async def test_without_a_model_drafting_says_how_to_connect_one(db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
        store.create_item(
            session_id, "outcome", OUTCOME | {"result": "[red]x[/red]"}, "person", "D"
        )
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        assert "[red]x[/red]" in screen_text(app)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "No model is configured" in str(app.screen.query_one("#out-progress").render())
        await pilot.press("a")  # everything else still works
        await pilot.pause()
        assert outcomes(db_path, session_id)[0].status is Status.APPROVED


async def test_escape_cancels_a_running_draft(db_path, llm_server, tmp_path, monkeypatch):
    use_test_server(llm_server, tmp_path, monkeypatch)
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
    llm_server.add_fault("timeout", times=None, seconds=30)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        await pilot.press("o")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, RequestPreviewDialog):
                break
        await pilot.press("enter")
        assert await asyncio.to_thread(llm_server.wait_until, lambda s: s.in_flight == 1)
        await pilot.pause()
        assert "Esc cancels" in str(app.screen.query_one("#out-progress").render())
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)  # Esc cancelled; it did not go home
        assert "Esc cancels" not in str(app.screen.query_one("#out-progress").render())
        assert outcomes(db_path, session_id) == []
        await pilot.press("n")  # and the pane goes on working
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog)


async def test_a_slow_draft_says_what_it_is_waiting_for(db_path, llm_server, tmp_path, monkeypatch):
    from support.tui_helpers import notifications

    use_test_server(llm_server, tmp_path, monkeypatch, timeout=4, max_retries=2)
    llm_server.latency = 2.5  # no word for 2.5 s, within the 4 s timeout
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 2)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        await pilot.press("o")
        await send_preview(pilot)

        said = [n for n in notifications(app) if n.startswith("Still waiting")]
        assert said and f"Still waiting for 127.0.0.1:{llm_server.port} (1 draft out" in said[0]
        assert "gives up after 4 s and is then tried twice more" in said[0]
        assert len(cards(app)) == 1  # and the draft came
