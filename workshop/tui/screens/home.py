"""Home: past sessions newest first, search as you type, new and open."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from sessions import NotFoundError, StoreError
from workshop.tui.screens.new_session import NewSessionScreen
from workshop.tui.widgets.key_footer import KeyFooter
from workshop.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from sessions import SearchHit, SessionSummary
    from workshop.service.facade import WorkshopService

PAGE_SIZE = 200
EMPTY_TEXT = (
    "No workshops yet.\n\n"
    "Press n to start one: give it a title, then add the brief and the stakeholders.\n"
    "Or, from a shell: workshop new --from examples/brief.toml"
)


def _when_open(action: Callable[[HomeScreen], None]) -> Callable[[HomeScreen], None]:
    """An action that needs the database: pressed before it is open (the first few tenths
    of a second), it runs as soon as the list is filled; the last such key wins. A store
    error (the session deleted elsewhere, a read-only or full disk) is said, not raised."""

    def guarded(screen: HomeScreen) -> None:
        try:
            action(screen)
        except StoreError as error:
            screen._refused(error)

    @functools.wraps(action)
    def run(screen: HomeScreen) -> None:
        if screen.ready:
            guarded(screen)
        else:
            screen._waiting = lambda: guarded(screen)

    return run


class SearchBox(TextInput):
    """The search box: Down goes to the list below it, as the eye does."""

    BINDINGS = [Binding("down", "screen.to_list", "To the list", show=False, id="home.to_list")]


class HomeScreen(Screen[None]):
    CSS_PATH = "home.tcss"
    # Straight to the list: the default ("*") would focus the search box first, and
    # moving off it at mount restyles the box and the footer once more before the
    # first frame.
    AUTO_FOCUS = "#sessions"
    BINDINGS = [
        Binding("n", "new_session", "New", id="home.new"),
        Binding("o", "open_session", "Open", id="home.open"),
        Binding("v", "view_session", "View read-only", id="home.view"),
        Binding("slash", "focus_search", "Search", id="home.search"),
        Binding("f", "follow_up", "Follow-up", id="home.follow_up"),
        Binding("c", "changes", "What changed", id="home.changes", show=False),
        Binding("a", "archive", "Archive/unarchive", id="home.archive", show=False),
        Binding("delete,x", "delete", "Delete", id="home.delete", show=False),
        Binding("h", "toggle_archived", "Show archived", id="home.show_archived", show=False),
        Binding("s", "cycle_status", "Filter by status", id="home.filter_status", show=False),
        Binding("d", "since", "Since date", id="home.filter_since", show=False),
        Binding("escape", "clear_search", "Clear search", id="home.clear", show=False),
    ]

    def __init__(self, service: WorkshopService | None) -> None:
        """With no service yet, the screen shows at once and fills in once it arrives."""
        super().__init__()
        self.service = service
        self.include_archived = False
        self.status_filter: str | None = None  # open, approved or archived
        self.since: date | None = None
        self.tables_ready = False  # the lists are mounted and have their columns
        self._waiting: Callable[[], None] | None = None  # a key pressed before that

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield SearchBox(placeholder="Search titles, people, notes…  ( / )", id="search")
            if self.service is not None:
                yield from _tables()
            yield Static(EMPTY_TEXT, id="empty", markup=False)
            yield Static("", id="status", markup=False)
        yield KeyFooter()

    def on_screen_resume(self) -> None:
        _forget_closed_screens()
        # Back from a workshop (or a follow-up made there): its counts, stage and title
        # may have changed, and so may the search hits.
        if self.ready:
            self._refresh_list()

    def live_refresh(self) -> bool:
        """Another window or the CLI committed: the list (or the search hits) again. The
        search box is never touched, so what is typed there stays."""
        if not self.ready:
            return False
        self._refresh_list()
        return True

    def on_mount(self) -> None:
        if self.service is not None:
            self._tables_mounted()
            return
        self.query_one("#empty").display = False
        self._status("Opening the database…")
        # The lists stay empty until the database is open, so they join just after the
        # first frame, which then need not style and lay out two tables (about 8 ms).
        self.call_after_refresh(self._add_tables)

    async def _add_tables(self) -> None:
        await self.query_one("#home").mount(*_tables(), before="#empty")
        self._tables_mounted()

    def _tables_mounted(self) -> None:
        self.query_one("#sessions", DataTable).add_columns(
            "Title", "Organisation", "Date", "Stage", "People", "Approved", "Open"
        )
        self.query_one("#hits", DataTable).add_columns("Session", "Found in", "Match")
        self.tables_ready = True
        if self.focused is None:  # not if the search box was chosen meanwhile
            self.set_focus(self.query_one("#sessions", DataTable))
        if self.service is not None:
            self._fill()

    @property
    def ready(self) -> bool:
        return self.tables_ready and self.service is not None

    def service_ready(self, service: WorkshopService) -> None:
        self.service = service
        self.refresh_bindings()
        if self.tables_ready:  # else _tables_mounted fills them
            self._fill()

    def _fill(self) -> None:
        self.show_sessions()
        search = self.query_one("#search", Input).value
        if search:
            self.run_search(search)  # typed while the database was opening
        if self._waiting is not None:
            action, self._waiting = self._waiting, None
            action()

    def show_sessions(self) -> None:
        summaries = self.service.sessions.list_filtered(PAGE_SIZE, **self._filters())
        table = self.query_one("#sessions", DataTable)
        search = self.query_one("#search", Input)
        typing = self.focused is search
        # A refresh (back from a session) keeps the highlight on the same session.
        current = (
            table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if table.row_count
            else None
        )
        table.clear()
        for s in summaries:
            table.add_row(*_summary_cells(s), key=s.id)
        if current in table.rows:
            table.move_cursor(row=table.get_row_index(current), animate=False)
        # The "how to begin" text is for an empty history, not for a filter that hides all.
        self.query_one("#empty").display = not summaries and not self._filter_text()
        self.query_one("#hits").display = False
        table.display = bool(summaries)
        if not typing:
            # Hiding the table would hand the focus to the search box, and the next
            # key meant for the screen (s, n, d…) would be typed into it.
            self.set_focus(table if summaries else None)
        total = len(summaries)
        count = (
            f"{total} session{'s' if total != 1 else ''}" if total or self._filter_text() else ""
        )
        self._status(count + self._filter_text() + ("  ·  ? for every key" if total else ""))

    def show_hits(self, query: str, hits: list[SearchHit]) -> None:
        table = self.query_one("#hits", DataTable)
        table.clear()
        seen: set[str] = set()
        for hit in hits:
            if hit.session_id in seen:
                continue  # one row per session: the best match
            seen.add(hit.session_id)
            table.add_row(
                Text(hit.session_title), Text(hit.where), _snippet(hit.snippet), key=hit.session_id
            )
        table.display = True
        self.query_one("#sessions").display = False
        self.query_one("#empty").display = False
        found = f"{len(seen)} session(s) match {query!r}" if seen else f"Nothing matches {query!r}"
        self._status(found + self._filter_text())

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(exclusive=True, group="search")
    async def run_search(self, query: str) -> None:
        if self.service is None:
            return  # service_ready runs it
        if not query.strip():
            self.show_sessions()
            return
        try:
            hits = self.service.sessions.search_filtered(query, 50, **self._filters())
        except StoreError as error:
            self._status(str(error))
            return
        self.show_hits(query, hits)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.action_to_list()

    def action_to_list(self) -> None:
        """From the search box to the list (Enter or Down), where the keys act on rows."""
        if self.tables_ready:
            self._visible_table().focus()

    def _visible_table(self) -> DataTable:
        hits = self.query_one("#hits", DataTable)
        return hits if hits.display else self.query_one("#sessions", DataTable)

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_session(str(event.row_key.value))

    @_when_open
    def action_open_session(self) -> None:
        session_id = self._selected()
        if session_id is not None:
            self.open_session(session_id)

    def _selected(self) -> str | None:
        table = self._visible_table()
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def open_session(self, session_id: str, new: bool = False) -> None:
        """Resume the workshop where it was left (a new one: typing its brief)."""
        from workshop.tui.screens.workshop_screen import WorkshopScreen

        try:
            self.service.sessions.resolve(session_id)
        except StoreError as error:
            self._refused(error)
            return
        self.app.push_screen(WorkshopScreen(self.service, session_id, new=new))

    def _refused(self, error: StoreError) -> None:
        if isinstance(error, NotFoundError):
            # The list was read before another window or the CLI deleted the session.
            self.show_sessions()
            self.notify(
                "That session is no longer there: it was deleted in another window or with "
                "the workshop command. The list is up to date again.",
                severity="warning",
            )
            return
        self.notify(str(error), severity="error")

    @_when_open
    def action_view_session(self) -> None:
        from workshop.tui.screens.session_view import (
            SessionViewScreen,  # the Markdown widget loads on demand
        )

        session_id = self._selected()
        if session_id is None:
            return
        try:
            record = self.service.sessions.load(session_id)
        except StoreError as error:
            self._refused(error)
            return
        self.app.push_screen(SessionViewScreen(self.service, record))

    @_when_open
    def action_new_session(self) -> None:
        def created(session_id: str | None) -> None:
            if session_id:
                self.query_one("#search", Input).value = ""
                self.show_sessions()
                self._highlight(session_id)  # back home, the new session is highlighted
                self.notify("Session created and saved.")
                self.open_session(session_id, new=True)

        self.app.push_screen(NewSessionScreen(self.service), created)

    def _highlight(self, session_id: str) -> None:
        table = self.query_one("#sessions", DataTable)
        if session_id in table.rows:
            table.move_cursor(row=table.get_row_index(session_id), animate=False)

    # Past sessions ------------------------------------------------------------------

    @_when_open
    def action_follow_up(self) -> None:
        """Next quarter's workshop, starting from this one's approved strategy."""
        session_id = self._selected()
        if session_id is None:
            return
        try:
            child = self.service.history.follow_up(session_id)
        except StoreError as error:
            self._refused(error)
            return
        self.show_sessions()
        self._highlight(child.id)
        self.notify(f"Follow-up created and saved: {child.title}")
        self.open_session(child.id)

    @_when_open
    def action_changes(self) -> None:
        from workshop.tui.screens.changes import ChangesScreen

        session_id = self._selected()
        if session_id is None:
            return
        session = self.service.sessions.get(session_id)
        if session.parent_id is None:
            self.notify("This session follows up no earlier one; f starts a follow-up.")
            return
        parent = self.service.sessions.get(session.parent_id)
        changes = self.service.history.changes_since_parent(session_id)
        self.app.push_screen(ChangesScreen(parent.title, session.title, changes))

    @_when_open
    def action_archive(self) -> None:
        session_id = self._selected()
        if session_id is None:
            return
        session = self.service.sessions.get(session_id)
        if session.archived:
            self.service.sessions.unarchive(session_id)
            self.notify(f"{session.title} is back in the list.")
        else:
            self.service.sessions.archive(session_id)
            self.notify(f"{session.title} archived; h shows archived sessions.")
        self.show_sessions()

    def _filters(self) -> dict:
        return {
            "include_archived": self.include_archived,
            "status": self.status_filter,
            "since": self.since,
        }

    def _filter_text(self) -> str:
        parts = [f"status {self.status_filter}"] if self.status_filter else []
        if self.since:
            parts.append(f"since {self.since.isoformat()}")
        if self.include_archived:
            parts.append("archived shown")
        return f"  ·  filters: {', '.join(parts)}  (s, d, h change them)" if parts else ""

    def _refresh_list(self) -> None:
        query = self.query_one("#search", Input).value
        if query.strip():
            self.run_search(query)
        else:
            self.show_sessions()

    @_when_open
    def action_cycle_status(self) -> None:
        order = [None, "open", "approved", "archived"]
        self.status_filter = order[(order.index(self.status_filter) + 1) % len(order)]
        self._refresh_list()

    @_when_open
    def action_since(self) -> None:
        from workshop.tui.dialogs.common import PromptDialog

        def chosen(value: str | None) -> None:
            if value is None:
                return
            try:
                self.since = date.fromisoformat(value.strip()) if value.strip() else None
            except ValueError:
                self.notify(f"{value!r} is not a date like 2026-07-01.", severity="error")
                return
            self._refresh_list()

        current = self.since.isoformat() if self.since else ""
        self.app.push_screen(
            PromptDialog("Sessions since (YYYY-MM-DD; empty for any date)", current), chosen
        )

    @_when_open
    def action_toggle_archived(self) -> None:
        self.include_archived = not self.include_archived
        self._refresh_list()
        self.notify(
            "Showing archived sessions too."
            if self.include_archived
            else "Archived sessions hidden."
        )

    @_when_open
    def action_delete(self) -> None:
        from workshop.tui.dialogs.common import ConfirmDialog

        session_id = self._selected()
        if session_id is None:
            return
        session, counts = self.service.sessions.deletion_summary(session_id)
        what = ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "nothing else"
        question = (
            f"Delete “{session.title}” for good, with {what}? "
            "This cannot be undone (`workshop dump` keeps a copy first)."
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.service.sessions.delete(session_id)
            except StoreError as error:
                self._refused(error)
                return
            self.show_sessions()
            self.notify(f"Deleted {session.title}.")

        self.app.push_screen(ConfirmDialog(question, yes="Delete"), answered)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        if self.tables_ready:
            self.query_one("#sessions", DataTable).focus()


def _forget_closed_screens() -> None:
    """Let the widgets of closed screens go. Textual 8 caches a small style lookup with
    lru_cache on an instance method, which keeps the last 1,024 widgets' render caches
    alive after they are removed (Textualize/textual#6665): each visit to a large session
    left 12-17 MB behind, so that memory grew with every session opened. The cache only
    saves recomputing two styles."""
    # A private part of Textual: should it move, the app is only as before, not broken.
    with contextlib.suppress(ImportError, AttributeError):
        from textual._styles_cache import StylesCache

        StylesCache.get_inner_outer.cache_clear()


def _tables() -> tuple[DataTable, DataTable]:
    """The list of sessions and the list of search hits (shown one at a time)."""
    return (
        DataTable(id="sessions", cursor_type="row", zebra_stripes=True),
        DataTable(id="hits", cursor_type="row", zebra_stripes=True),
    )


def _summary_cells(s: SessionSummary) -> list[Text]:
    return [
        Text(s.title + (" (archived)" if s.archived else "")),
        Text(s.organisation),
        Text(s.workshop_date.isoformat() if s.workshop_date else s.created_at[:10]),
        Text(s.stage.value.capitalize()),
        Text(str(s.stakeholders), justify="right"),
        Text(str(s.approved), justify="right"),
        Text(str(s.open), justify="right"),
    ]


def _snippet(snippet: str) -> Text:
    """The match in context, with the matched words highlighted (never parsed as markup)."""
    text = Text()
    flat = " ".join(snippet.split())
    for index, part in enumerate(flat.replace("»", "«").split("«")):
        text.append(part, style="bold reverse" if index % 2 else "")
    return text
