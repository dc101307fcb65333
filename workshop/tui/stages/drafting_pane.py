"""Drafting from a pane: preview, then stream in a worker that Esc cancels.

The preview shows before the first draft of each kind in a session, before every draft
when the facilitator chose that, and when asked for with the preview key; otherwise one
line says what is being sent (see preview_memory).

Drafts are stored by the service as each one finishes, so cancelling keeps what was done.
The slow parts of starting (tiktoken's encoding, the prompt library) load in a thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import ClassVar

from textual.binding import Binding
from textual.message import Message
from textual.worker import Worker

from sessions import ItemKind
from workshop.drafting.drafter import Drafter, DraftSummary
from workshop.drafting.engine import DraftJob, Progress, ProgressCallback
from workshop.drafting.waiting import WaitWatch
from workshop.errors import WorkshopError
from workshop.tui.dialogs.request_preview import RequestPreviewDialog
from workshop.tui.preview_memory import PreviewMemory
from workshop.tui.stages.base import StagePane

DRAFTING_GROUP = "drafting"


class DraftProgress(Message):
    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress


class DraftDone(Message):
    """A round of drafting ended: with a summary, an error, or cancelled."""

    def __init__(
        self,
        kind: ItemKind,
        summary: DraftSummary | None,
        error: str = "",
        cancelled: bool = False,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.summary = summary
        self.error = error
        self.cancelled = cancelled


JobFactory = Callable[[Drafter], list[DraftJob]]
# How a round runs its jobs: by default, `Drafter.run` for the pane's kind.
Runner = Callable[[Drafter, list[DraftJob], ProgressCallback], Awaitable[DraftSummary]]


def model_binding(key: str, action: str, description: str, binding_id: str) -> list[Binding]:
    """A key that drafts: in the footer only when a model is configured. Without one the
    same key, hidden, says how to connect a model, so pressing it is never silent."""
    return [
        Binding(key, action, description, id=binding_id),
        Binding(
            key,
            f"without_model('{action}')",
            f"{description} (needs a model)",
            show=False,
            id=f"{binding_id}.no_model",
        ),
    ]


PREVIEW_KEY = "i"  # free on every drafting stage; p already says who speaks in Discussions


def preview_binding(stage: str) -> Binding:
    """The key that shows the next draft's request before it is sent. Out of the footer,
    which the room reads: the line said on each unpreviewed send names it, as does `?`."""
    return Binding(
        PREVIEW_KEY, "preview_next", "Preview next request", show=False, id=f"{stage}.preview"
    )


def sending_line(count: int, where: str, labels: bool, key: str) -> str:
    """Said when a draft goes out without the preview: what goes where, and how to look."""
    many = f"{count} requests" if count != 1 else "1 request"
    hidden = ", people's names replaced with labels" if labels else ""
    look = f"Press {key} before a draft to see its request first."
    return f"Sending {many} to {where}{hidden}. {look}"


class DraftingPane(StagePane):
    """A stage pane that can draft with the model."""

    MODEL_ACTIONS: ClassVar[frozenset[str]] = frozenset()  # the actions that need a model

    @property
    def preview_memory(self) -> PreviewMemory:
        """The app's: what was previewed outlives this screen (the session opened again)."""
        return self.app.preview_memory  # type: ignore[attr-defined]

    @property
    def pseudonymise(self) -> bool:
        """Names replaced by labels, as last chosen in this session's preview."""
        return self.preview_memory.labels(self.session_id)

    def previews(self, kind: ItemKind) -> bool:
        """The next draft of this kind waits for the preview (the words a pane shows while
        it waits depend on it)."""
        return self.preview_memory.should_show(self.session_id, kind)

    def waiting(self, kind: ItemKind) -> str:
        """What a draft says before its first answer: the preview, or its place in line."""
        return "waiting for the preview" if self.previews(kind) else "queued"

    def _preview_key(self) -> str:
        """The preview key as the user's keymap has it, where the pane's keys are live."""
        for active in self.screen.active_bindings.values():
            if active.node is self and active.binding.action == "preview_next":
                return self.app.get_key_display(active.binding)
        return PREVIEW_KEY

    def action_preview_next(self) -> None:
        self.preview_memory.ask(self.session_id)
        self.notify(
            "The next draft shows exactly what it sends, and waits for Send.",
            title="Request preview",
        )

    @property
    def has_model(self) -> bool:
        """A model is configured (the workshop screen read the settings when it opened)."""
        return bool(getattr(self.screen, "has_model", True))

    @property
    def drafting(self) -> bool:
        return any(
            w.is_running for w in self.workers if w.group == DRAFTING_GROUP and w.node is self
        )

    def start_drafting(
        self, kind: ItemKind, make_jobs: JobFactory, runner: Runner | None = None
    ) -> Worker | None:
        if self.drafting:
            self.notify("A draft is already running; Esc cancels it.", severity="warning")
            return None
        return self.run_worker(
            self._drafting_round(kind, make_jobs, runner),
            group=DRAFTING_GROUP,
            exclusive=True,
            exit_on_error=False,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_draft":
            return self.drafting  # otherwise Esc goes on to the screen (home)
        if action in self.MODEL_ACTIONS:
            return self.has_model
        if action == "without_model":
            return not self.has_model
        return True

    def action_without_model(self, action: str) -> None:
        """The drafting key pressed with no model: the action runs as it would, and says
        how to connect one in the pane's own words (its drafting round fails first)."""
        getattr(self, f"action_{action}")()

    def action_cancel_draft(self) -> None:
        """Bound to Esc by each drafting pane; enabled only while a draft runs."""
        self.cancel_drafting()

    def cancel_drafting(self) -> bool:
        if not self.drafting:
            return False
        self.workers.cancel_group(self, DRAFTING_GROUP)
        return True

    async def _drafting_round(
        self, kind: ItemKind, make_jobs: JobFactory, runner: Runner | None
    ) -> None:
        try:
            drafter = await asyncio.to_thread(
                self.service.drafting.drafter, pseudonymise=self.pseudonymise
            )
        except WorkshopError as error:
            self.post_message(DraftDone(kind, None, str(error)))
            return
        try:
            jobs = make_jobs(drafter)
            if not jobs:
                self.post_message(DraftDone(kind, None, "There is nothing to draft yet."))
                return

            def first_request(pseudonymise: bool) -> dict:
                drafter.pseudonymise = pseudonymise
                return drafter.preview(make_jobs(drafter)[0])

            settings = drafter.settings
            where = f"{settings.model} at {settings.endpoint_host}"
            memory = self.preview_memory
            if memory.should_show(self.session_id, kind):
                choice = await self.app.push_screen_wait(
                    RequestPreviewDialog(
                        first_request(self.pseudonymise),
                        len(jobs),
                        where,
                        self.pseudonymise,
                        first_request,
                        every_time=memory.every_time,
                    )
                )
                # Chosen in the dialog, so kept even when the draft itself is cancelled.
                memory.set_every_time(choice.every_time)
                if not choice.send:
                    self.post_message(DraftDone(kind, None, cancelled=True))
                    return
                memory.sent(self.session_id, kind, choice.pseudonymise)
                drafter.pseudonymise = choice.pseudonymise
                jobs = make_jobs(drafter)
            else:
                said = sending_line(len(jobs), where, self.pseudonymise, self._preview_key())
                self.notify(said, markup=False)

            watch = WaitWatch(settings)

            def told(progress: Progress) -> None:
                watch.heard(progress)
                self.post_message(DraftProgress(progress))

            def explain_the_wait() -> None:
                said = watch.due()
                if said:
                    self.notify(said, title="Waiting for the model", timeout=10, markup=False)

            timer = self.set_interval(watch.every / 2, explain_the_wait)
            try:
                if runner is None:
                    summary = await drafter.run(kind, jobs, told)
                else:
                    summary = await runner(drafter, jobs, told)
            finally:
                timer.stop()
            self.post_message(DraftDone(kind, summary))
        except asyncio.CancelledError:
            self.post_message(DraftDone(kind, None, cancelled=True))
            raise
        except WorkshopError as error:
            self.post_message(DraftDone(kind, None, str(error)))
        finally:
            await drafter.aclose()
