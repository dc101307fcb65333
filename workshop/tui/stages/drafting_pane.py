"""Drafting from a pane: preview, then stream in a worker that Esc cancels.

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


class DraftingPane(StagePane):
    """A stage pane that can draft with the model."""

    pseudonymise = False  # remembered for the session's next round
    MODEL_ACTIONS: ClassVar[frozenset[str]] = frozenset()  # the actions that need a model

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
            send, labels = await self.app.push_screen_wait(
                RequestPreviewDialog(
                    first_request(self.pseudonymise),
                    len(jobs),
                    f"{settings.model} at {settings.endpoint_host}",
                    self.pseudonymise,
                    first_request,
                )
            )
            if not send:
                self.post_message(DraftDone(kind, None, cancelled=True))
                return
            self.pseudonymise = labels
            drafter.pseudonymise = labels
            jobs = make_jobs(drafter)

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
