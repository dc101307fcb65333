"""A draft that finishes in the background never pulls the room back to its stage.

The facilitator starts a draft and moves on to the next stage while the model writes; when
the draft lands, the stage they are on keeps the screen and the keys. (A finished draft
used to focus a card of its own hidden stage, and Textual then switched the tab to it.)
"""

from __future__ import annotations

import pytest
from support.drafting_helpers import use_test_server
from support.factory import make_session, place
from support.tui_helpers import SAMPLE_OUTCOME, make_app, open_stage, wait_for, wait_for_preview

from sessions import ItemKind, SessionStore
from workshop.tui.screens.workshop_screen import WorkshopScreen


@pytest.mark.parametrize(
    ("stage", "draft_key", "kind", "next_stage", "next_tab"),
    [
        ("3", "d", ItemKind.SEGMENTATION, "4", "tab-discussions"),
        ("4", "d", ItemKind.DISCUSSION_GUIDE, "5", "tab-outcomes"),
        ("5", "o", ItemKind.OUTCOME, "6", "tab-plan"),
    ],
    ids=["segmentation", "guides", "outcomes"],
)
async def test_moving_on_while_a_draft_runs_keeps_the_stage_you_moved_to(
    db_path, llm_server, tmp_path, monkeypatch, stage, draft_key, kind, next_stage, next_tab
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    llm_server.token_rate = 60  # slow enough to move on before the draft lands
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 3)
    if kind is not ItemKind.SEGMENTATION:
        with SessionStore.open(db_path) as store:
            place(store, session_id, ["champion", "influencer", "detractor"])
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, keys=(stage,))
        await pilot.press(draft_key)
        await wait_for_preview(pilot)
        await pilot.press("enter")
        await pilot.press(next_stage)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        await app.workers.wait_for_complete()
        for _ in range(5):
            await pilot.pause(0.05)
        with SessionStore.open(db_path) as store:
            assert store.load_session(session_id).items_of(kind), "the draft landed"
        tabs = screen.query_one("#stages")
        assert tabs.active == next_tab
        focused = app.focused
        assert focused is not None and tabs.get_pane(tabs.active) in focused.ancestors


async def test_a_focus_landing_in_a_hidden_stage_does_not_switch_the_stage(db_path):
    # What a draft landing late does: its stage focuses one of its cards, deferred, after
    # the facilitator has pressed the next stage's key.
    from workshop.tui.widgets.outcome_card import OutcomeCard

    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
        store.create_item(session_id, "outcome", SAMPLE_OUTCOME, "person", "Dana")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        assert await wait_for(pilot, lambda: app.screen.query(OutcomeCard))
        card = app.screen.query_one(OutcomeCard)
        await pilot.press("6")
        await pilot.pause()
        card.focus()
        await pilot.pause()
        await pilot.pause()
        tabs = app.screen.query_one("#stages")
        assert tabs.active == "tab-plan"
        assert app.focused is not card
        await pilot.press("a")  # approve, had the hidden card kept the keys
        await pilot.pause()
        with SessionStore.open(db_path) as store:
            outcome = store.load_session(session_id).items_of(ItemKind.OUTCOME)[0]
        assert outcome.status.value == "draft"
