"""The workshop: one tab per stage, with the status line always on screen."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from sessions import Stage, StoreError
from workshop.errors import WorkshopError
from workshop.service.facade import WorkshopService
from workshop.tui.live import typing_on
from workshop.tui.stages.base import Saved, SaveFailed, SessionChanged, SessionGone, StagePane
from workshop.tui.stages.brief import BriefPane
from workshop.tui.stages.discussions import DiscussionsPane
from workshop.tui.stages.export import ExportPane
from workshop.tui.stages.outcomes import OutcomesPane
from workshop.tui.stages.plan import PlanPane
from workshop.tui.stages.progress import ProgressPane
from workshop.tui.stages.review import ReviewPane
from workshop.tui.stages.segmentation import SegmentationPane
from workshop.tui.stages.stakeholders import StakeholdersPane
from workshop.tui.widgets.key_footer import KeyFooter
from workshop.tui.widgets.stage_tabs import StageTabs
from workshop.tui.widgets.status_bar import StatusBar

# (tab id, label, the stage it saves, pane class); Export shares the review stage.
TABS: list[tuple[str, str, Stage, type[StagePane]]] = [
    ("brief", "1 Brief", Stage.BRIEF, BriefPane),
    ("stakeholders", "2 Stakeholders", Stage.STAKEHOLDERS, StakeholdersPane),
    ("segmentation", "3 Segmentation", Stage.SEGMENTATION, SegmentationPane),
    ("discussions", "4 Discussions", Stage.DISCUSSIONS, DiscussionsPane),
    ("outcomes", "5 Outcomes", Stage.OUTCOMES, OutcomesPane),
    ("plan", "6 Plan", Stage.PLAN, PlanPane),
    ("review", "7 Review", Stage.REVIEW, ReviewPane),
    ("export", "8 Export", Stage.EXPORT, ExportPane),
    ("progress", "9 Progress", Stage.PROGRESS, ProgressPane),
]
TIME_SAVE_EVERY = 15.0  # seconds of stage time kept in memory at most before saving


class WorkshopScreen(Screen[None]):
    # Each pane's styles live in a .tcss file beside it; the screen loads them all.
    CSS_PATH = [
        "workshop_screen.tcss",
        *(
            f"../stages/{tab}.tcss"
            for tab in (
                "brief",
                "stakeholders",
                "segmentation",
                "discussions",
                "outcomes",
                "plan",
                "review",
                "export",
                "progress",
            )
        ),
    ]
    # Below 110 columns (a laptop) the layout tightens, and below 150 the board's six
    # columns give their padding to the cards; see workshop_screen.tcss, segmentation.tcss.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-medium"), (150, "-wide")]
    BINDINGS = [
        Binding("escape", "back", "Home", id="workshop.back"),
        Binding("f2", "time_box", "Time box", id="workshop.time_box"),
        # Not priority: in a text box its own undo (of the typing) comes first.
        Binding("ctrl+z", "undo", "Undo", id="workshop.undo", show=False),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", id="workshop.redo", show=False),
        *[
            Binding(
                str(n),
                f"stage('{tab}')",
                f"Go to {label.split(' ', 1)[1]}",
                id=f"workshop.stage.{tab}",
                show=False,
            )
            for n, (tab, label, _, _) in enumerate(TABS, start=1)
        ],
    ]

    def __init__(self, service: WorkshopService, session_id: str, new: bool = False) -> None:
        super().__init__()
        self.service = service
        self.session_id = session_id
        # Just created: the brief is where the facilitator types first. A session opened
        # again keeps the focus off the fields, so the stage keys (1–9) switch stages.
        self.new = new
        self._stage: Stage = Stage.BRIEF
        self._stage_started = time.monotonic()
        self._unsaved_seconds = 0.0
        self._gone = False
        self._settings = None  # the model's, once read when the screen opens

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("", id="banner", markup=False)
        with StageTabs(id="stages"):
            for tab, label, _, pane in TABS:
                with TabPane(label, id=f"tab-{tab}"):
                    yield pane(self.service, self.session_id, id=f"pane-{tab}")
        yield KeyFooter()

    def on_mount(self) -> None:
        session = self.service.sessions.get(self.session_id)
        self._stage = session.stage
        self.status.show_title(session.title)
        self.status.show_stage(self._stage.value.capitalize())
        self.status.show_saved("opened")
        self._show_model()
        self._show_tokens()
        tab = next(t for t, _, stage, _ in TABS if stage is session.stage)
        self.query_one(TabbedContent).active = f"tab-{tab}"
        self._load_times()
        self.set_interval(1.0, self._tick)

    @property
    def stage_label(self) -> str:
        """The shown stage, as the help and the palette head its keys."""
        active = self.query_one(TabbedContent).active.removeprefix("tab-")
        label = next((shown for tab, shown, _, _ in TABS if tab == active), "1 Brief")
        return f"{label.split(' ', 1)[1]} stage"

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    # Model and tokens ---------------------------------------------------------------

    def _show_model(self) -> None:
        banner = self.query_one("#banner", Static)
        try:
            settings = self.service.drafting.settings()
        except WorkshopError as error:
            settings = None
            banner.update(f"Model configuration problem: {error}  Everything else works by hand.")
        else:
            if settings is None:
                from workshop.drafting.config import no_model_message

                banner.update(no_model_message())
        banner.display = settings is None
        if settings is None:
            self.status.show_model("No model: working by hand", "offline")
        else:
            self.status.show_model(f"{settings.model} @ {settings.endpoint_host}")
        self._settings = settings
        self.refresh_bindings()  # the drafting keys show only with a model

    @property
    def has_model(self) -> bool:
        return self._settings is not None

    def _show_tokens(self) -> None:
        usage = self.service.drafting.usage(self.session_id, self._settings)
        cost = f" ≈ ${usage.cost:.3f}" if usage.cost is not None else ""
        counted = " counted" if usage.counted else ""  # the endpoint reports no usage
        self.status.show_tokens(f"{usage.tokens_in + usage.tokens_out:,} tokens{counted}{cost}")

    # Stages and the timer -----------------------------------------------------------

    def action_stage(self, tab: str) -> None:
        tabs = self.query_one(TabbedContent)
        if tabs.active != f"tab-{tab}":
            # Otherwise Textual moves focus to a visible sibling of the hidden widget,
            # which can pull the old tab straight back.
            self.set_focus(None)
            tabs.active = f"tab-{tab}"

    @on(TabbedContent.TabActivated, "#stages")
    def stage_shown(self, event: TabbedContent.TabActivated) -> None:
        tab = (event.pane.id or "").removeprefix("tab-")
        stage = next(s for t, _, s, _ in TABS if t == tab)
        if stage is not self._stage:
            self._save_time()
            self._stage = stage
            try:
                self.service.sessions.set_stage(self.session_id, stage)
            except StoreError as error:
                self.status.show_save_failed(str(error))
            else:
                self.status.show_stage(stage.value.capitalize())
                self.status.show_saved("stage")
        # Reloaded after the stage is saved, so what the pane shows is current.
        self._reload(tab)

    @on(DiscussionsPane.CaptureAnswers)
    def capture_answers(self, event: DiscussionsPane.CaptureAnswers) -> None:
        from workshop.tui.screens.capture import CaptureScreen

        pane = self.query_one("#pane-discussions", StagePane)
        self.app.push_screen(
            CaptureScreen(self.service, self.session_id, event.speaker), lambda _: pane.reload()
        )

    @on(StageTabs.FocusRefused)
    def stage_kept(self) -> None:
        # The shown stage puts the focus back where its own keys work.
        self._reload(self.query_one(StageTabs).active.removeprefix("tab-"))

    def live_refresh(self) -> bool:
        """Another window or the CLI committed: redraw the title, the tokens and the
        shown stage from the service. Not while someone types on this screen (False: the
        app asks again); a save from here then still meets the version check."""
        if not self._check_still_there():
            return True
        if typing_on(self):
            return False
        self.status.show_title(self.service.sessions.get(self.session_id).title)
        self._show_tokens()
        self._load_times()
        self._reload(self.query_one(StageTabs).active.removeprefix("tab-"))
        return True

    def _reload(self, tab: str) -> None:
        if tab:  # empty while the tabs are still being mounted: nothing shown yet
            self.query_one(f"#pane-{tab}", StagePane).reload()

    @on(SessionGone)
    def session_gone(self) -> None:
        self._check_still_there()

    # A session deleted elsewhere -----------------------------------------------------

    def _check_still_there(self, leaving: bool = False) -> bool:
        """Go home, saying why, once the session is no longer in the database."""
        if self._gone or self.service.sessions.exists(self.session_id):
            return not self._gone
        self._gone = True
        self.app.notify(
            "This session was deleted in another window or with the workshop command, so "
            "there is nothing left here to save to. Back to the list of sessions.",
            title="Session deleted elsewhere",
            severity="warning",
            timeout=12,
        )
        if leaving:
            return False
        while self.app.screen is not self:
            self.app.pop_screen()  # an open dialog's edit has nowhere to go
        self.app.pop_screen()
        return False

    def _tick(self) -> None:
        if not self._check_still_there():
            return
        now = time.monotonic()
        self._unsaved_seconds += now - self._stage_started
        self._stage_started = now
        times = self._times[self._stage]
        self.status.show_timer(times.spent_seconds + self._unsaved_seconds, times.planned_minutes)
        if self._unsaved_seconds >= TIME_SAVE_EVERY:
            self._save_time()

    def _save_time(self) -> None:
        self._unsaved_seconds += time.monotonic() - self._stage_started
        self._stage_started = time.monotonic()
        seconds, self._unsaved_seconds = self._unsaved_seconds, 0.0
        try:
            self.service.sessions.add_stage_time(self.session_id, self._stage, seconds)
        except StoreError:
            self._unsaved_seconds += seconds  # kept for the next try
        self._load_times()

    def _load_times(self) -> None:
        # Read once per save rather than on every tick of the clock.
        self._times = self.service.sessions.stage_times(self.session_id)

    def on_unmount(self) -> None:
        if self._check_still_there(leaving=True):
            self._save_time()

    def action_time_box(self) -> None:
        from workshop.tui.dialogs.common import PromptDialog

        def chosen(value: str | None) -> None:
            if value is None:
                return
            try:
                minutes = int(value) if value.strip() else None
                self.service.sessions.set_time_box(self.session_id, self._stage, minutes)
            except ValueError:
                self.notify("A time box is a whole number of minutes.", severity="error")
                return
            except StoreError as error:
                self.notify(str(error), severity="error")
                return
            self._load_times()
            self.status.show_saved("time box")

        self.app.push_screen(
            PromptDialog(
                f"Time box for {self._stage.value} (minutes; empty for none)",
                placeholder="e.g. 20",
            ),
            chosen,
        )

    # Saving -------------------------------------------------------------------------

    # Undo -----------------------------------------------------------------------------

    def action_undo(self) -> None:
        self._step(self.service.undo.undo, "undo")

    def action_redo(self) -> None:
        self._step(self.service.undo.redo, "redo")

    def _step(self, step: Callable[[], str], what: str) -> None:
        try:
            said = step()
        except (WorkshopError, StoreError) as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        self.status.show_saved(what)
        self.notify(said, markup=False)
        self._reload(self.query_one(StageTabs).active.removeprefix("tab-"))

    @on(Saved)
    def saved(self, event: Saved) -> None:
        self.status.show_saved(event.what)

    @on(SaveFailed)
    def save_failed(self, event: SaveFailed) -> None:
        if not self._check_still_there():
            return
        self.status.show_save_failed(event.message)
        self.notify(event.message, title="Not saved", severity="error", timeout=8, markup=False)

    @on(SessionChanged)
    def session_changed(self) -> None:
        if not self._check_still_there():
            return
        title = self.service.sessions.get(self.session_id).title
        self.status.show_title(title)
        self._show_tokens()

    def action_back(self) -> None:
        self.app.pop_screen()
