"""The home screen, the new-session dialog and the read-only view, driven like a user would."""

from __future__ import annotations

from pathlib import Path

from support.tui_helpers import (
    Q3,
    REBRAND,
    SIZE,
    SPRING,
    make_app,
    screen_text,
    seed_sessions,
    settle,
)
from textual import events
from textual.widgets import DataTable, Input, Static

from sessions import SessionStore
from workshop.tui.app import WorkshopApp
from workshop.tui.screens.home import HomeScreen
from workshop.tui.screens.new_session import NewSessionScreen
from workshop.tui.screens.session_view import SessionViewScreen

SEARCH_HINT = "Search titles, people, notes"  # the home screen's search box


def assert_session_opened(app: WorkshopApp, title: str) -> None:
    """The session's own screen is up (not home, not the dialog) and shows its title."""
    assert not isinstance(app.screen, HomeScreen | NewSessionScreen)
    text = screen_text(app)
    assert title in text
    assert SEARCH_HINT not in text


def saved_sessions(db_path: Path) -> list[tuple[str, str]]:
    """(title, organisation) of every session in the file, read by a second connection."""
    with SessionStore.open(db_path) as store:
        return [(s.title, s.organisation) for s in store.list_sessions(limit=100)]


def table_titles(table: DataTable) -> list[str]:
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


def highlighted_title(app: WorkshopApp) -> str:
    table = app.screen.query_one("#sessions", DataTable)
    return str(table.get_row_at(table.cursor_row)[0])


def status_text(app: WorkshopApp) -> str:
    return str(app.screen.query_one("#status", Static).content)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)
    await settle(pilot)


# Empty database ------------------------------------------------------------------------


async def test_empty_database_explains_how_to_begin(db_path: Path) -> None:
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "No workshops yet." in text
        assert "Press n to start one" in text
        sessions = app.screen.query_one("#sessions", DataTable)
        assert sessions.row_count == 0
        assert not sessions.display
        assert app.screen.query_one("#empty").display


# The new-session dialog ----------------------------------------------------------------


async def test_new_session_validates_then_saves_and_opens(db_path: Path) -> None:
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewSessionScreen)
        assert "New workshop session" in screen_text(app)
        assert app.screen.focused is app.screen.query_one("#title", Input)

        # Enter moves from the title to the organisation; Enter there submits.
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NewSessionScreen), "the dialog must stay open"
        assert "Title must not be empty" in screen_text(app)
        assert app.screen.focused is app.screen.query_one("#title", Input)
        assert saved_sessions(db_path) == []

        await type_text(pilot, "Q3 marketing strategy")
        await pilot.press("enter")
        await type_text(pilot, "Northwind")
        await pilot.press("enter")
        await settle(pilot)

        assert saved_sessions(db_path) == [("Q3 marketing strategy", "Northwind")]
        assert_session_opened(app, "Q3 marketing strategy")  # straight into the workshop

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        sessions = app.screen.query_one("#sessions", DataTable)
        assert table_titles(sessions) == ["Q3 marketing strategy"]
        home = screen_text(app)
        assert "Q3 marketing strategy" in home and "Northwind" in home
        assert "No workshops yet." not in home
        assert "1 session" in home

        # v shows the same session read-only.
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, SessionViewScreen)
        view = screen_text(app)
        assert "Q3 marketing strategy · read-only" in view
        assert "Organisation: Northwind" in view


async def test_enter_enter_typed_fast_still_creates_the_session(db_path: Path) -> None:
    # A terminal delivers "\r\r" in one read: both keys arrive before focus can move.
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Quick typist")
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("enter", "\r"))
        await settle(pilot)
        assert_session_opened(app, "Quick typist")
    assert saved_sessions(db_path) == [("Quick typist", "")]


async def test_enter_in_the_title_moves_on_again_after_going_back(db_path: Path) -> None:
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Half typed")
        await pilot.press("enter", "shift+tab")  # to the organisation, and back
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#title", Input)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewSessionScreen)
        assert app.screen.focused is app.screen.query_one("#organisation", Input)
    assert saved_sessions(db_path) == []


async def test_escape_cancels_the_dialog_without_saving(db_path: Path) -> None:
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Never saved")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "Never saved" not in text
        assert "No workshops yet." in text
    assert saved_sessions(db_path) == []


async def test_cancel_button_also_cancels(db_path: Path) -> None:
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Never saved")
        await pilot.click("#cancel")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert saved_sessions(db_path) == []


async def test_back_home_after_creating_the_new_session_is_highlighted(db_path: Path) -> None:
    seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("down", "down", "n")
        await pilot.pause()
        await type_text(pilot, "Brand new")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert_session_opened(app, "Brand new")
        await pilot.press("escape")
        await settle(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        assert table_titles(table) == ["Brand new", Q3, REBRAND, SPRING]
        assert highlighted_title(app) == "Brand new"
    assert len(saved_sessions(db_path)) == 4


# Listing and search --------------------------------------------------------------------


async def test_sessions_listed_newest_first_with_counts(db_path: Path) -> None:
    seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        assert table_titles(table) == [Q3, REBRAND, SPRING]
        rows = {str(cells[0]): [str(c) for c in cells[1:]] for cells in _rows(table)}
        # Organisation, date, stage, people, approved, open
        assert rows[SPRING] == ["Northwind Co-op", "2025-03-12", "Brief", "2", "0", "0"]
        assert rows[REBRAND] == ["Acme Retail", "2025-04-02", "Brief", "1", "1", "1"]
        assert rows[Q3] == ["Globex", "2025-06-30", "Brief", "0", "0", "0"]
        text = screen_text(app)
        assert text.index(Q3) < text.index(REBRAND) < text.index(SPRING)
        assert "3 sessions" in text
        assert "No workshops yet." not in text


def _rows(table: DataTable) -> list[list[object]]:
    return [table.get_row_at(row) for row in range(table.row_count)]


async def test_search_finds_stakeholder_notes_and_escape_restores_the_list(
    db_path: Path,
) -> None:
    seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen.query_one("#search", Input)
        assert app.screen.focused is search

        await type_text(pilot, "newsletter")
        hits = app.screen.query_one("#hits", DataTable)
        assert hits.display
        assert not app.screen.query_one("#sessions", DataTable).display
        assert [str(row[0]) for row in _rows(hits)] == [SPRING]
        found_in, match = (str(cell) for cell in hits.get_row_at(0)[1:])
        assert found_in == "stakeholder"
        assert "newsletter" in match
        text = screen_text(app)
        assert "Worried about the newsletter cadence." in text
        assert "1 session(s) match 'newsletter'" in text
        assert REBRAND not in text

        await pilot.press("escape")
        await settle(pilot)
        assert search.value == ""
        sessions = app.screen.query_one("#sessions", DataTable)
        assert sessions.display and not hits.display
        assert table_titles(sessions) == [Q3, REBRAND, SPRING]
        assert "3 sessions" in screen_text(app)


async def test_search_with_no_match_says_so(db_path: Path) -> None:
    seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("slash")
        await type_text(pilot, "zeppelin")
        assert app.screen.query_one("#hits", DataTable).row_count == 0
        text = screen_text(app)
        assert "Nothing matches 'zeppelin'" in text
        assert SPRING not in text


async def test_awkward_search_queries_never_crash(db_path: Path) -> None:
    seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        search = app.screen.query_one("#search", Input)
        await pilot.press("slash")
        for query in ['"', "(", "co-op", 'co-op "(', "AND OR NOT", "*", "a:b", "^"]:
            search.value = ""
            await settle(pilot)
            await type_text(pilot, query)
            assert isinstance(app.screen, HomeScreen)
            assert search.value == query
            status = status_text(app)
            assert "match" in status, f"{query!r}: {status!r}"
            assert status in screen_text(app)
        # co-op is one word to a person: it finds the organisation "Northwind Co-op".
        search.value = ""
        await settle(pilot)
        await type_text(pilot, "co-op")
        hits = app.screen.query_one("#hits", DataTable)
        assert [str(row[0]) for row in _rows(hits)] == [SPRING]
    assert len(saved_sessions(db_path)) == 3


# Opening a session ---------------------------------------------------------------------


async def test_enter_and_o_open_the_highlighted_session(db_path: Path) -> None:
    seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # third row: the oldest, SPRING
        await settle(pilot)
        assert_session_opened(app, SPRING)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert highlighted_title(app) == SPRING  # the list is refreshed, the place kept

        await pilot.press("up", "o")  # second row: REBRAND
        await settle(pilot)
        assert_session_opened(app, REBRAND)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "3 sessions" in screen_text(app)


async def whole_document(pilot) -> str:
    """Everything the read-only view shows, page by page, as a reader scrolls it."""
    pages = []
    for _ in range(30):
        pages.append(screen_text(pilot.app))
        await pilot.press("pagedown")
        await settle(pilot)
        if screen_text(pilot.app) == pages[-1]:
            break
    return "\n".join(pages)


async def test_v_shows_the_brief_and_stakeholders_read_only(db_path: Path) -> None:
    seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("down", "down", "v")  # third row: the oldest, SPRING
        await settle(pilot)
        assert isinstance(app.screen, SessionViewScreen)
        text = screen_text(app)
        assert f"{SPRING} · read-only" in text
        assert "Organisation: Northwind Co-op" in text
        assert "Facilitator: Dana Reyes" in text
        assert "Grow membership by 10%" in text
        assert "Member churn after the first year." in text
        text = await whole_document(pilot)  # the people tables are further down
        assert "Priya Shah" in text and "Head of Sales" in text
        assert "Tom Berg" in text and "CFO" in text

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("up", "v")  # REBRAND, with one approved and one draft outcome
        await settle(pilot)
        text = screen_text(app)
        assert f"{REBRAND} · read-only" in text
        assert "Print flyers and a monthly email." in text
        assert "More repeat customers" in text
        text = await whole_document(pilot)
        assert "Lee Wong" in text and "Brand lead" in text


async def test_search_hits_open_too(db_path: Path) -> None:
    seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("slash")
        await type_text(pilot, "budget")
        await pilot.press("enter")  # from the search box to the hits
        await pilot.pause()
        await pilot.press("v")  # the hit, read-only
        await settle(pilot)
        assert isinstance(app.screen, SessionViewScreen)
        assert f"{SPRING} · read-only" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # the hit, to work on
        await settle(pilot)
        assert_session_opened(app, SPRING)


async def test_user_text_with_markup_is_shown_literally(db_path: Path) -> None:
    title = "Launch [red]x[/red] <b>now</b>"
    with SessionStore.open(db_path) as store:
        store.create_session(
            {
                "title": title,
                "organisation": "[bold]Acme[/bold]",
                "challenges": "Budget [red]cut[/red] <script>alert(1)</script> *stars*",
            },
            [{"name": "Ann [i]B[/i]", "role": "<em>CMO</em>", "notes": "[link=x]zap[/link]"}],
        )
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.pause()
        home = screen_text(app)
        assert title in home
        assert "[bold]Acme[/bold]" in home

        await pilot.press("slash")
        await type_text(pilot, "zap")
        assert "[link=x]zap[/link]" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, SessionViewScreen)
        view = screen_text(app)
        assert f"{title} · read-only" in view  # the header
        assert view.count(title) >= 2  # and the document's heading
        assert "Organisation: [bold]Acme[/bold]" in view
        assert "Budget [red]cut[/red] <script>alert(1)</script> *stars*" in view
        await pilot.press("pagedown")  # the register sits below the summary and outcomes
        await settle(pilot)
        view = screen_text(app)
        assert "Ann [i]B[/i]" in view
        assert "<em>CMO</em>" in view

        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert_session_opened(app, title)


async def test_an_unusable_database_is_explained_and_quits_with_code_3(tmp_path):
    from workshop.tui.screens.error import DatabaseErrorScreen

    bad = tmp_path / "notes.db"
    bad.write_bytes(b"my notes, not a database")
    app = WorkshopApp(db_path=bad, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, DatabaseErrorScreen):
                break
        assert isinstance(app.screen, DatabaseErrorScreen)
        await pilot.pause()  # let it finish composing
        text = str(app.screen.query_one("#error-message").render())
        assert "is not a Strategy Workshop database" in text
        await pilot.press("q")
    assert app.return_code == 3
    assert bad.read_bytes() == b"my notes, not a database"


async def test_the_home_screen_opens_its_database_after_the_first_frame(db_path):
    with SessionStore.open(db_path) as store:
        store.create_session({"title": "Opened later"})
    app = WorkshopApp(db_path=db_path, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if app.service is not None:
                break
        await pilot.pause()
        table = app.screen.query_one("#sessions")
        assert table.row_count == 1
        assert "Opened later" in str(table.get_row_at(0)[0])


async def _home_with(db_path, build):
    with SessionStore.open(db_path) as store:
        ids = build(store)
    return ids


async def _wait_for(pilot, predicate, tries: int = 100) -> None:
    for _ in range(tries):
        await pilot.pause(0.05)
        if predicate():
            return
    raise AssertionError("the screen did not get there")


async def test_follow_up_archive_and_delete_from_home(db_path):
    from support.history_helpers import build_quarter

    from workshop.tui.dialogs.common import ConfirmDialog
    from workshop.tui.screens.changes import ChangesScreen
    from workshop.tui.screens.workshop_screen import WorkshopScreen

    with SessionStore.open(db_path) as store:
        quarter = build_quarter(store)
    app = WorkshopApp(db_path=db_path, remember=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await _wait_for(pilot, lambda: app.service is not None)
        await pilot.pause()
        await pilot.press("f")  # a follow-up of the only session
        await _wait_for(pilot, lambda: isinstance(app.screen, WorkshopScreen))
        with SessionStore.open(db_path) as check:
            child = next(s for s in check.list_sessions() if s.id != quarter.session_id)
            assert check.get_session(child.id).parent_id == quarter.session_id
        await pilot.press("escape")
        await _wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))

        await pilot.press("c")  # what changed: nothing yet
        await _wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen))
        await pilot.press("escape")
        await _wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))

        await pilot.press("a")  # archive the highlighted follow-up
        await pilot.pause()
        assert app.screen.query_one("#sessions", DataTable).row_count == 1
        await pilot.press("h")  # show archived ones too
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 2
        assert "(archived)" in str(table.get_row_at(0)[0])

        await pilot.press("up", "x")  # delete the archived follow-up, after saying what goes
        await _wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await pilot.pause()
        with SessionStore.open(db_path) as check:
            assert check.count_sessions(include_archived=True) == 2
        await pilot.press("x")
        await _wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        question = str(app.screen.query_one(".dialog-title").render())
        assert "for good" in question and "stakeholders" in question
        await pilot.press("y")
        await pilot.pause()
    with SessionStore.open(db_path) as check:
        assert [s.id for s in check.list_sessions(include_archived=True)] == [quarter.session_id]


async def test_filters_by_status_and_date_narrow_the_list_and_the_search(db_path):
    from workshop.tui.dialogs.common import PromptDialog

    with SessionStore.open(db_path) as store:
        old = store.create_session({"title": "Old co-op plan", "workshop_date": "2025-01-10"})
        new = store.create_session({"title": "New co-op plan", "workshop_date": "2026-06-01"})
        store.create_item(
            new.id,
            "cadence",
            {"segment": "champion", "report": "Pipeline wins", "frequency": "monthly"},
            "person",
            "Dana",
        )
        assert old.id != new.id
    app = WorkshopApp(db_path=db_path, remember=False)
    async with app.run_test(size=(140, 40)) as pilot:
        # The lists join the screen just after its first frame.
        await _wait_for(pilot, lambda: app.screen.query("#sessions"))
        table = app.screen.query_one("#sessions", DataTable)
        await _wait_for(pilot, lambda: table.row_count == 2)
        await pilot.press("s")  # status: open (has drafts still open)
        await pilot.pause()
        assert table.row_count == 1 and "New co-op plan" in str(table.get_row_at(0)[0])
        assert "filters: status open" in str(app.screen.query_one("#status").render())
        for expected in ("approved", "archived", None):
            await pilot.press("s")
            await pilot.pause()
            assert app.screen.status_filter == expected
        assert table.row_count == 2
        await pilot.press("d")
        await _wait_for(pilot, lambda: isinstance(app.screen, PromptDialog))
        await pilot.press(*"2026-01-01", "enter")
        await pilot.pause()
        assert table.row_count == 1 and "New co-op plan" in str(table.get_row_at(0)[0])
        await pilot.press("slash", *"co-op")
        await pilot.pause(0.3)
        hits = app.screen.query_one("#hits", DataTable)
        assert hits.row_count == 1 and "New co-op plan" in str(hits.get_row_at(0)[0])
