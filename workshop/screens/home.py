"""Home: past sessions newest first, search as you type, new and open."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from sessions import SearchHit, SessionSummary, StoreError

from ..service import WorkshopService
from .new_session import NewSessionScreen
from .session_view import SessionViewScreen

PAGE_SIZE = 200
EMPTY_TEXT = (
    "No workshops yet.\n\n"
    "Press n to start one: give it a title, then add the brief and the stakeholders.\n"
    "Or, from a shell: workshop new --from examples/brief.toml"
)


class HomeScreen(Screen[None]):
    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("n", "new_session", "New", id="home.new"),
        Binding("o", "open_session", "Open", id="home.open"),
        Binding("slash", "focus_search", "Search", id="home.search"),
        Binding("escape", "clear_search", "Clear search", id="home.clear", show=False),
    ]

    def __init__(self, service: WorkshopService) -> None:
        super().__init__()
        self.service = service

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Input(placeholder="Search titles, people, notes…  ( / )", id="search")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="hits", cursor_type="row", zebra_stripes=True)
            yield Static(EMPTY_TEXT, id="empty", markup=False)
            yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sessions", DataTable).add_columns(
            "Title", "Organisation", "Date", "Stage", "People", "Approved", "Open"
        )
        self.query_one("#hits", DataTable).add_columns("Session", "Found in", "Match")
        self.show_sessions()
        self.query_one("#sessions", DataTable).focus()

    def show_sessions(self) -> None:
        summaries = self.service.list_sessions(limit=PAGE_SIZE)
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for s in summaries:
            table.add_row(*_summary_cells(s), key=s.id)
        self.query_one("#empty").display = not summaries
        self.query_one("#hits").display = False
        table.display = bool(summaries)
        total = len(summaries)
        self._status(f"{total} session{'s' if total != 1 else ''}" if total else "")

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
        self._status(
            f"{len(seen)} session(s) match {query!r}" if seen else f"Nothing matches {query!r}"
        )

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(exclusive=True, group="search")
    async def run_search(self, query: str) -> None:
        if not query.strip():
            self.show_sessions()
            return
        try:
            hits = self.service.search(query)
        except StoreError as error:
            self._status(str(error))
            return
        self.show_hits(query, hits)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self._visible_table().focus()

    def _visible_table(self) -> DataTable:
        hits = self.query_one("#hits", DataTable)
        return hits if hits.display else self.query_one("#sessions", DataTable)

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_session(str(event.row_key.value))

    def action_open_session(self) -> None:
        table = self._visible_table()
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.open_session(str(key.value))

    def open_session(self, session_id: str) -> None:
        try:
            record = self.service.load(session_id)
        except StoreError as error:
            self.notify(str(error), severity="error")
            return
        self.app.push_screen(SessionViewScreen(self.service, record))

    def action_new_session(self) -> None:
        def created(session_id: str | None) -> None:
            if session_id:
                self.query_one("#search", Input).value = ""
                self.show_sessions()
                self.notify("Session created and saved.")
                self.open_session(session_id)

        self.app.push_screen(NewSessionScreen(self.service), created)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        self.query_one("#sessions", DataTable).focus()


def _summary_cells(s: SessionSummary) -> list[Text]:
    return [
        Text(s.title),
        Text(s.organisation),
        Text(s.workshop_date.isoformat() if s.workshop_date else s.created_at[:10]),
        Text(s.stage.value),
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
