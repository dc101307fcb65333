"""Stage 2, the stakeholder register, driven with Pilot on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from support.factory import make_session
from support.tui_helpers import SIZE, make_app, open_stage, screen_text
from textual import events
from textual.widgets import DataTable, Input, Select, Static, TextArea

from sessions import Influence, Involvement, SessionStore, Stance
from workshop.tui.dialogs.common import ConfirmDialog, PromptDialog
from workshop.tui.dialogs.stakeholder import AddLinesDialog, StakeholderDialog
from workshop.tui.stages.stakeholders import StakeholdersPane
from workshop.tui.widgets.stakeholder_entry import StakeholderEntry

# A session that opens on the stakeholder stage, its people as each test gives them.
AT_THE_REGISTER = {
    "brief": {"title": "Q3 register", "facilitator": "Dana"},
    "stage": "stakeholders",
}


def saved_people(db_path: Path, session_id: str):
    with SessionStore.open(db_path) as store:
        return store.stakeholders(session_id)


def entry(app) -> StakeholderEntry:
    return app.screen.query_one("#stk-entry", StakeholderEntry)


def table(app) -> DataTable:
    return app.screen.query_one("#stk-table", DataTable)


def message(app) -> str:
    return str(app.screen.query_one("#stk-message", Static).render())


def cell(app, row: int, column: str) -> str:
    grid = table(app)
    return grid.get_cell(grid.ordered_rows[row].key, column).plain


async def type_line(pilot, text: str) -> None:
    entry(pilot.app).value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_typed_lines_add_people_and_clear_the_entry(db_path):
    session_id = make_session(db_path, people=[], **AT_THE_REGISTER)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        assert app.focused is entry(app)  # typing starts at once
        await pilot.press(*"Ada Lovelace")
        await pilot.press("enter")
        await pilot.pause()
        await type_line(pilot, "Tom Berg, CFO, Finance, wants one budget line, and soon")

        people = saved_people(db_path, session_id)
        assert [p.name for p in people] == ["Ada Lovelace", "Tom Berg"]
        assert (people[1].role, people[1].team) == ("CFO", "Finance")
        assert people[1].notes == "wants one budget line, and soon"
        assert entry(app).value == ""
        assert table(app).row_count == 2
        assert cell(app, 1, "name") == "Tom Berg"
        assert "Added 1: Tom Berg." in message(app)
        # The cursor shows the person just added.
        assert table(app).cursor_row == 1


async def test_a_pasted_list_adds_everyone_at_once(db_path):
    session_id = make_session(db_path, people=[], **AT_THE_REGISTER)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        entry(app).post_message(
            events.Paste("- Ada, CTO, Tech\r\n- Tom, CFO, Finance\r\n\r\n- Lee, Brand lead\r\n")
        )
        await pilot.pause()
        await pilot.pause()
        assert [p.name for p in saved_people(db_path, session_id)] == ["Ada", "Tom", "Lee"]
        assert table(app).row_count == 3
        assert entry(app).value == ""

        # One line without a break is pasted into the entry as usual, not added yet.
        entry(app).post_message(events.Paste("Kim, COO"))
        await pilot.pause()
        assert entry(app).value == "Kim, COO"
        assert len(saved_people(db_path, session_id)) == 3


async def test_a_bad_paste_adds_nobody_and_keeps_the_lines_to_fix(db_path):
    session_id = make_session(db_path, people=[{"name": "Tom"}], **AT_THE_REGISTER)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        entry(app).post_message(events.Paste("Ada, CTO\nTom, CFO\nLee"))
        await pilot.pause()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddLinesDialog)
        assert dialog.query_one("#stk-lines", TextArea).text == "Ada, CTO\nTom, CFO\nLee"
        error = str(dialog.query_one(".stk-dialog-error", Static).render())
        assert "'Tom' is already in this session" in error
        assert [p.name for p in saved_people(db_path, session_id)] == ["Tom"]

        # Esc keeps the text for later; p brings it back; fixed, Ctrl+S adds them all.
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AddLinesDialog)
        table(app).focus()
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddLinesDialog)
        area = dialog.query_one("#stk-lines", TextArea)
        assert area.text == "Ada, CTO\nTom, CFO\nLee"
        area.load_text("Ada, CTO\nTomas, CFO\nLee")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, AddLinesDialog)
        names = [p.name for p in saved_people(db_path, session_id)]
        assert names == ["Tom", "Ada", "Tomas", "Lee"]
        assert table(app).row_count == 4


async def test_empty_or_duplicate_names_show_the_message_and_keep_the_text(db_path):
    session_id = make_session(db_path, people=[{"name": "Ada Lovelace"}], **AT_THE_REGISTER)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        await type_line(pilot, ", CFO, Finance")
        assert "name" in message(app) and "empty" in message(app)
        assert entry(app).value == ", CFO, Finance"

        await type_line(pilot, "ada  lovelace, CTO")
        assert "already in this session" in message(app)
        assert entry(app).value == "ada  lovelace, CTO"
        assert "NOT SAVED" in screen_text(app)

        await type_line(pilot, "   ")
        assert "Type a name first" in message(app)
        assert [p.name for p in saved_people(db_path, session_id)] == ["Ada Lovelace"]

        # Fixing the text and pressing Enter again adds the person.
        await type_line(pilot, "Ada Byron, CTO")
        assert [p.name for p in saved_people(db_path, session_id)] == ["Ada Lovelace", "Ada Byron"]


async def test_single_keys_set_the_attributes_and_show_the_suggestion(db_path):
    session_id = make_session(
        db_path, people=[{"name": "Priya"}, {"name": "Tom"}], **AT_THE_REGISTER
    )
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        await pilot.press("down")  # from the entry into the register
        assert app.focused is table(app)
        await pilot.press("i", "s", "v")
        await pilot.pause()
        priya = saved_people(db_path, session_id)[0]
        assert (priya.influence, priya.stance, priya.involvement) == (
            Influence.HIGH,
            Stance.SUPPORTIVE,
            Involvement.APPROVES,
        )
        assert cell(app, 0, "influence") == "high"
        assert cell(app, 0, "suggests") == "Decision maker"

        await pilot.press("v", "v", "v")  # approves → executes → advises → none
        await pilot.pause()
        assert saved_people(db_path, session_id)[0].involvement is Involvement.NONE
        assert cell(app, 0, "suggests") == "Champion"  # supportive, with influence
        await pilot.press("s")  # supportive → neutral
        await pilot.pause()
        assert cell(app, 0, "suggests") == "Influencer"  # high influence, not involved

        await pilot.press("i", "i", "i")  # high → medium → low → unset
        await pilot.pause()
        assert saved_people(db_path, session_id)[0].influence is None
        assert cell(app, 0, "influence") == "·"

        await pilot.press("down", "s", "s", "s")
        await pilot.pause()
        tom = saved_people(db_path, session_id)[1]
        assert tom.stance is Stance.RESISTANT
        assert cell(app, 1, "suggests") == "Detractor"
        assert table(app).cursor_row == 1


async def test_the_edit_dialog_saves_every_field_and_shows_refusals(db_path):
    session_id = make_session(
        db_path, people=[{"name": "Priya", "role": "Sales"}, {"name": "Tom"}], **AT_THE_REGISTER
    )
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        await pilot.press("down", "e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StakeholderDialog)
        assert dialog.query_one("#stk-role", Input).value == "Sales"

        # A refused save shows its message; the dialog stays open with the typing.
        dialog.query_one("#stk-name", Input).value = "tom"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "already in this session" in str(
            dialog.query_one(".stk-dialog-error", Static).render()
        )

        dialog.query_one("#stk-name", Input).value = "Priya Shah"
        dialog.query_one("#stk-notes", TextArea).load_text("Worried about cadence.\n“Fix it.”")
        dialog.query_one("#stk-stance", Select).value = "resistant"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not dialog
        priya = saved_people(db_path, session_id)[0]
        assert priya.name == "Priya Shah"
        assert priya.notes == "Worried about cadence.\n“Fix it.”"
        assert priya.stance is Stance.RESISTANT
        assert cell(app, 0, "name") == "Priya Shah"
        assert table(app).cursor_row == 0


async def test_escape_closes_the_editor_without_asking_and_keeps_the_typing(db_path):
    session_id = make_session(
        db_path, people=[{"name": "Priya", "notes": "First note"}], **AT_THE_REGISTER
    )
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        await pilot.press("down", "enter")  # Enter on a row edits it too
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StakeholderDialog)
        dialog.query_one("#stk-notes", TextArea).load_text("First note\nSecond thought")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (StakeholderDialog, ConfirmDialog))
        assert saved_people(db_path, session_id)[0].notes == "First note"  # nothing saved

        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StakeholderDialog)
        assert dialog.query_one("#stk-notes", TextArea).text == "First note\nSecond thought"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved_people(db_path, session_id)[0].notes == "First note\nSecond thought"


async def test_remove_asks_first_and_says_what_goes_with_them(db_path):
    session_id = make_session(
        db_path, people=[{"name": "Priya"}, {"name": "Tom"}], **AT_THE_REGISTER
    )
    with SessionStore.open(db_path) as store:
        tom = store.stakeholders(session_id)[1]
        store.create_item(
            session_id,
            "answers",
            {"entries": [{"question": "What is success?", "answer": "One budget line."}]},
            "person",
            "Dana",
            stakeholder_id=tom.id,
        )
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        await pilot.press("down", "down", "x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Remove Tom" in dialog.question
        assert "1 draft/item (1 answers)" in dialog.question

        await pilot.press("n")  # cancel keeps him
        await pilot.pause()
        assert [p.name for p in saved_people(db_path, session_id)] == ["Priya", "Tom"]

        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert [p.name for p in saved_people(db_path, session_id)] == ["Priya"]
        with SessionStore.open(db_path) as store:
            assert store.load_session(session_id).items == []
        assert table(app).row_count == 1
        assert table(app).cursor_row == 0


async def test_moving_people_changes_the_saved_order_and_the_cursor_follows(db_path):
    session_id = make_session(
        db_path, people=[{"name": "A"}, {"name": "B"}, {"name": "C"}], **AT_THE_REGISTER
    )
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = (await open_stage(pilot, session_id)).query_one(StakeholdersPane)
        await pilot.press("down")
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert [p.name for p in saved_people(db_path, session_id)] == ["B", "A", "C"]
        assert pane._selected_id() == saved_people(db_path, session_id)[1].id
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert [p.name for p in saved_people(db_path, session_id)] == ["B", "C", "A"]
        assert [cell(app, n, "name") for n in range(3)] == ["B", "C", "A"]
        assert [cell(app, n, "pos") for n in range(3)] == ["1", "2", "3"]
        assert table(app).cursor_row == 2
        await pilot.press("ctrl+up", "left_square_bracket")
        await pilot.pause()
        assert [p.name for p in saved_people(db_path, session_id)] == ["A", "B", "C"]
        assert table(app).cursor_row == 0
        await pilot.press("left_square_bracket")  # already first: nothing moves
        await pilot.pause()
        assert [p.name for p in saved_people(db_path, session_id)] == ["A", "B", "C"]


async def import_csv(app, pilot, path: Path) -> None:
    table(app).focus()
    await pilot.press("c")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, PromptDialog)
    dialog.query_one("#answer", Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()


async def test_csv_import_reads_bom_and_crlf_and_refuses_a_bad_file_whole(db_path, tmp_path):
    session_id = make_session(db_path, people=[{"name": "Tom"}], **AT_THE_REGISTER)
    good = tmp_path / "people.csv"
    good.write_bytes(
        "\ufeffname,role,team,notes,influence\r\n"
        'Ada,CTO,Tech,"Said: ""ship it""\r\nthen left",high\r\n'
        "Lee,Brand lead,Marketing,,\r\n".encode()
    )
    bad_column = tmp_path / "bad.csv"
    bad_column.write_text("name,role,shoe size\nKim,COO,42\n", encoding="utf-8")
    duplicate = tmp_path / "dup.csv"
    duplicate.write_text("name,role\nKim,COO\nTom,CFO\n", encoding="utf-8")
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        await import_csv(app, pilot, good)
        people = saved_people(db_path, session_id)
        assert [p.name for p in people] == ["Tom", "Ada", "Lee"]
        assert people[1].notes == 'Said: "ship it"\nthen left'
        assert people[1].influence is Influence.HIGH
        assert table(app).row_count == 3
        assert "Imported from people.csv 2: Ada, Lee." in message(app)

        await import_csv(app, pilot, bad_column)
        assert "Nobody imported" in message(app) and "unknown column 'shoe size'" in message(app)
        await import_csv(app, pilot, duplicate)
        assert "'Tom' is already in this session" in message(app)
        await import_csv(app, pilot, tmp_path / "missing.csv")
        assert "no such file" in message(app)
        assert [p.name for p in saved_people(db_path, session_id)] == ["Tom", "Ada", "Lee"]


async def test_markup_in_a_name_is_shown_as_typed(db_path):
    session_id = make_session(db_path, people=[], **AT_THE_REGISTER)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        await type_line(pilot, "[red]x[/red], [b]Boss[/b], [/x]")
        person = saved_people(db_path, session_id)[0]
        assert (person.name, person.role, person.team) == ("[red]x[/red]", "[b]Boss[/b]", "[/x]")
        assert cell(app, 0, "name") == "[red]x[/red]"
        text = screen_text(app)
        assert "[red]x[/red]" in text and "[b]Boss[/b]" in text
        # The refusal of a second one quotes the name literally too.
        await type_line(pilot, "[red]x[/red]")
        assert "'[red]x[/red]' is already" in message(app)


async def test_two_hundred_people_load_and_the_stage_keys_still_work(db_path):
    people = [
        {"name": f"Person {n:03d}", "role": "Role", "notes": f"Note {n}\nmore"} for n in range(200)
    ]
    session_id = make_session(db_path, people=people, **AT_THE_REGISTER)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        grid = table(app)
        assert grid.row_count == 200
        assert cell(app, 199, "name") == "Person 199"
        assert cell(app, 199, "notes") == "Note 199"

        await pilot.press("down", "ctrl+end")
        await pilot.pause()
        assert grid.cursor_row == 199
        bottom = grid.scroll_y
        assert bottom > 0
        await pilot.press("left_square_bracket", "i")
        await pilot.pause()
        assert abs(grid.scroll_y - bottom) <= 1  # the view does not jump back to the top
        saved = saved_people(db_path, session_id)
        assert saved[198].name == "Person 199" and saved[198].influence is Influence.HIGH
        assert grid.cursor_row == 198

        # From an empty entry, the digits still switch stages.
        await pilot.press("a")
        assert app.focused is entry(app)
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.query_one("#stages").active == "tab-brief"
        assert entry(app).value == ""
