"""The segmentation stage driven with Pilot against the real test server."""

from __future__ import annotations

from support.drafting_helpers import details_request_of, use_test_server
from support.factory import make_session
from support.tui_helpers import (
    assignment_cards,
    draft_all,
    notifications,
    open_stage,
    sent_without_preview,
    start_drafting_until,
)

from sessions import ItemKind, Origin, SessionStore, Status, has_engagement_details
from workshop.service.facade import WorkshopService
from workshop.tui.app import WorkshopApp
from workshop.tui.screens.workshop_screen import WorkshopScreen
from workshop.tui.widgets.assignment_card import AssignmentCard


async def test_draft_all_then_approve_move_and_edit(db_path, llm_server, tmp_path, monkeypatch):
    use_test_server(llm_server, tmp_path, monkeypatch)
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 4)
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        assert [c.item for c in assignment_cards(app)] == [None] * 4  # everyone waits, unplaced

        await draft_all(app, pilot)

        with SessionStore.open(db_path) as check:
            drafts = check.load_session(session_id).items_of(ItemKind.SEGMENTATION)
        assert len(drafts) == 4
        assert all(c.item is not None for c in assignment_cards(app))
        assert "4 assignments, 0 approved" in str(app.screen.query_one("#seg-progress").render())

        # Approve the focused card.
        first = app.focused
        assert isinstance(first, AssignmentCard)
        await pilot.press("a")
        await pilot.pause()
        with SessionStore.open(db_path) as check:
            approved = check.get_item(first.item.id)
        assert approved.status is Status.APPROVED and approved.approved_by

        # Move the next one to Champion (the second segment).
        await pilot.press("down")
        moving = app.focused
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        with SessionStore.open(db_path) as check:
            moved = check.get_item(moving.item.id)
        assert moved.body["segment"] == "champion" and moved.origin is Origin.EDITED
        assert any(
            c.item and c.item.id == moved.id
            for c in app.screen.query("#col-champion AssignmentCard")
        )


async def test_regenerate_with_guidance_keeps_the_persons_edit(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        await draft_all(app, pilot)
        card = assignment_cards(app)[0]
        card.focus()
        await pilot.press("m", "3")  # a person's decision: now an edited draft
        await pilot.pause()
        assignment_cards(app)[0].focus()
        await pilot.press("g")
        await pilot.pause()
        await pilot.press(*"more sceptical", "enter")
        # Segmentation was previewed in this session already: straight out, said in a line.
        said = await sent_without_preview(pilot)
        assert said.startswith("Sending 1 request to test-model at 127.0.0.1")
    with SessionStore.open(db_path) as check:
        items = check.load_session(session_id).items_of(ItemKind.SEGMENTATION)
        assert len(items) == 2
        edited = next(i for i in items if i.origin is Origin.EDITED)
        assert edited.body["segment"] == "detractor"
        fresh = next(i for i in items if i.origin is Origin.MODEL)
        assert check.revisions(fresh.id)[0].note == "guidance: more sceptical"
    assert "more sceptical" in llm_server.chat_requests[-1].messages_text


async def test_a_failed_draft_shows_on_its_card_and_retry_works(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 3)
    # The placement request names everyone: a server error on it fails the whole room,
    # and no one is asked about on their own (the server would fail those the same way).
    llm_server.add_fault("server_error", times=1, match="name: Person 01")
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        await draft_all(app, pilot)
        cards = assignment_cards(app)
        assert [c.person.name for c in cards if c.state.error] == [
            "Person 00",
            "Person 01",
            "Person 02",
        ]
        assert all("server error (500)" in str(c.render()) for c in cards)
        assert not any(c.item for c in cards)
        assert len(llm_server.chat_requests) == 1

        # Retry: `d` drafts everyone not yet settled; the server has recovered.
        await draft_all(app, pilot, preview=False)
        cards = assignment_cards(app)
        assert all(c.item and has_engagement_details(c.item.body) for c in cards)
        assert not any(c.state.error for c in cards)


async def test_escape_cancels_a_running_draft_and_keeps_finished_ones(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 2)
    # The room is placed; Person 01's engagement details then hang.
    llm_server.add_fault("timeout", times=None, match=details_request_of("Person 01"), seconds=30)
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        await start_drafting_until(app, pilot, finished=["Person 00"])
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)  # Esc cancelled; it did not go home
        assert "Drafting cancelled; finished drafts are kept." in notifications(app)
        cards = {c.person.name: " ".join(str(c.render()).split()) for c in assignment_cards(app)}
        assert "placement only" not in cards["Person 00"]
        assert "placement only: no engagement details yet" in cards["Person 01"]
    with SessionStore.open(db_path) as check:
        items = check.load_session(session_id).items
        # Both placements and Person 00's details are kept; Person 01's details never came.
        assert len(items) == 2
        assert sorted(has_engagement_details(i.body) for i in items) == [False, True]
        assert {c["status"] for c in check.llm_calls(session_id)} == {"ok", "cancelled"}


async def test_without_a_model_drafting_says_how_to_connect(db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        assert app.screen.query_one("#banner").display
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("No model is configured" in m for m in messages)


async def test_the_map_places_people_by_influence_and_stance(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session(
            {"title": "Q3"},
            [
                {"name": "Dana [red]x[/red]", "influence": "high", "stance": "resistant"},
                {"name": "Eli", "influence": "low", "stance": "supportive"},
                {"name": "Flo"},
            ],
        )
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session.id, "segmentation")
        await pilot.press("v")
        await pilot.pause()
        text = "\n".join(
            line.text
            for line in app.screen.query_one("#seg-map").render_lines(
                app.screen.query_one("#seg-map").region.reset_offset
            )
        )
        assert "Dana [red]x[/red]" in text
        assert "Not on the map" in text and "Flo" in text


async def test_without_a_model_people_are_placed_by_hand(db_path):
    from workshop.tui.dialogs.segmentation import AssignmentDialog, MoveDialog

    with SessionStore.open(db_path) as store:
        session = store.create_session(
            {"title": "Q3"},
            [{"name": "Dana", "stance": "resistant"}, {"name": "Eli"}],
        )
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session.id, "segmentation")
        dana = next(c for c in assignment_cards(app) if c.person.name == "Dana")
        dana.focus()
        await pilot.press("e")  # an assignment written by hand, starting from the rules
        await pilot.pause()
        assert isinstance(app.screen, AssignmentDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        eli = next(c for c in assignment_cards(app) if c.person.name == "Eli")
        eli.focus()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MoveDialog)
        await pilot.press("2")  # Champion
        await pilot.pause()
        await pilot.pause()
    with SessionStore.open(db_path) as check:
        record = check.load_session(session.id)
        names = {p.id: p.name for p in record.stakeholders}
        placed = {names[i.stakeholder_id]: i for i in record.items_of(ItemKind.SEGMENTATION)}
        assert placed["Dana"].body["segment"] == "detractor"
        assert placed["Dana"].origin is Origin.PERSON
        assert placed["Dana"].body["rationale"]  # the rule's reason, as a start
        assert placed["Eli"].body["segment"] == "champion"
