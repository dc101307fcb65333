"""Stage 5, outcomes: measurable results, each checked by the playbook's rules.

The checks run without a model; unknown baselines and targets stand out because only a
person in the room can give them. The model drafts statements; people approve, edit,
reject or write their own.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from sessions import Item, ItemKind, SessionRecord, Status, StoreError
from workshop.errors import WorkshopError
from workshop.tui.dialogs.common import ConfirmDialog
from workshop.tui.dialogs.outcome import OutcomeDialog
from workshop.tui.stages.base import Saved, SessionChanged
from workshop.tui.stages.drafting_pane import (
    DraftDone,
    DraftingPane,
    DraftProgress,
    model_binding,
    preview_binding,
)
from workshop.tui.widgets.outcome_card import OutcomeCard
from workshop.tui.widgets.question_widgets import GuideState


class OutcomesPane(DraftingPane):
    MODEL_ACTIONS = frozenset({"draft"})
    BINDINGS = [
        *model_binding("o", "draft", "Draft outcomes", "outcomes.draft"),
        Binding("escape", "cancel_draft", "Cancel draft", id="outcomes.cancel"),
        preview_binding("outcomes"),
        Binding("n", "new", "New outcome", id="outcomes.new"),
        Binding("e", "edit", "Edit", id="outcomes.edit"),
        Binding("enter", "edit", "Edit", show=False, id="outcomes.edit_enter"),
        Binding("a", "approve", "Approve", id="outcomes.approve"),
        Binding("r", "reject", "Reject", id="outcomes.reject"),
        Binding("u", "reopen", "Reopen", id="outcomes.reopen"),
        Binding("h", "toggle_rejected", "Show/hide rejected", id="outcomes.rejected"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.state = GuideState()  # the drafting round, while it runs
        self.notice = ""  # the last drafting failure, until the next round
        self.show_rejected = False
        self._focus_id: str | None = None
        self._record: SessionRecord | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="out-progress")
        yield Static("", id="out-stream")
        with VerticalScroll(id="out-list"):
            yield Static("", id="out-empty")

    def on_mount(self) -> None:
        self.reload()

    # Drawing --------------------------------------------------------------------------

    def redraw(self) -> None:
        record = self._record = self.load()
        focused = self.screen.focused if self.is_attached else None
        if isinstance(focused, OutcomeCard):
            self._focus_id = focused.item.id
        self.call_later(self._fill, record)
        self._show_progress()

    def _outcomes(self, record: SessionRecord) -> list[Item]:
        return [
            i
            for i in record.items_of(ItemKind.OUTCOME)
            if self.show_rejected or i.status is not Status.REJECTED
        ]

    async def _fill(self, record: SessionRecord) -> None:
        box = self.query_one("#out-list", VerticalScroll)
        await box.query(OutcomeCard).remove()
        items = self._outcomes(record)
        method = self.service.method
        flags = method.draft_flags(record)  # once per drawing, not once per card
        cards = [OutcomeCard(item, method.outcome_findings(item, flags)) for item in items]
        empty = self.query_one("#out-empty", Static)
        empty.display = not cards
        empty.update(
            "No outcome statements yet. o drafts them with the model from the priorities and "
            "the captured answers; n writes one by hand."
        )
        await box.mount_all(cards)
        self._restore_focus(cards)

    def _shown(self) -> bool:
        # The tab's switcher must have made this pane current: while the screen mounts,
        # every pane is still displayed, and focusing one would switch the stage to it.
        pane = self.parent
        switcher = pane.parent if pane is not None else None
        return (
            self.display
            and pane is not None
            and pane.display
            and getattr(switcher, "current", None) == pane.id
        )

    def _restore_focus(self, cards: list[OutcomeCard]) -> None:
        if not self._shown():
            return
        target = next((c for c in cards if c.item.id == self._focus_id), None)
        focused = self.screen.focused
        box = self.query_one("#out-list")
        # The list holds the focus only while it is empty: the first outcome in takes it.
        holding = focused is box and bool(cards)
        if target is None and focused is not None and self in focused.ancestors and not holding:
            return
        # With no outcomes yet the list itself takes focus, so the pane's keys work.
        (target or (cards[0] if cards else box)).focus()

    def _show_progress(self) -> None:
        line = self.query_one("#out-progress", Static)
        stream = self.query_one("#out-stream", Static)
        partial = (self.state.partial or {}).get("outcomes") or []
        stream.display = bool(self.state.drafting)
        if self.state.drafting:
            line.update(f"Drafting outcome statements: {self.state.drafting}  ·  Esc cancels")
            lines = [
                f"… {n}. {o.get('result', '')}"
                for n, o in enumerate(partial, 1)
                if isinstance(o, dict)
            ]
            stream.update(Content("\n".join(lines) or "… waiting for the first statement"))
            return
        if self.notice:
            line.update(Content.assemble((f"✗ {self.notice}", "$error bold")))
            return
        record = self._record
        items = [i for i in record.items_of(ItemKind.OUTCOME)] if record else []
        live = [i for i in items if i.status is not Status.REJECTED]
        approved = sum(1 for i in live if i.status is Status.APPROVED)
        rejected = len(items) - len(live)
        hidden = f" ({rejected} rejected {'shown' if self.show_rejected else 'hidden'})"
        line.update(
            f"{len(live)} outcome{'' if len(live) == 1 else 's'}, {approved} approved"
            f"{hidden if rejected else ''}"
        )

    # Drafting -------------------------------------------------------------------------

    def action_draft(self) -> None:
        if self.drafting:
            self.notify("A draft is already running; Esc cancels it.", severity="warning")
            return
        self.notice = ""
        self.state = GuideState(drafting=self.waiting(ItemKind.OUTCOME))
        self.start_drafting(ItemKind.OUTCOME, lambda drafter: drafter.outcome_jobs(self.session_id))
        self.call_after_refresh(self.refresh_bindings)  # Esc now cancels
        self._show_progress()

    @on(DraftProgress)
    def progress(self, event: DraftProgress) -> None:
        event.stop()
        p = event.progress
        if p.state == "failed":
            self.state = GuideState()
            self.notice = f"Drafting failed: {p.message or 'no answer'}  ·  press o to retry"
        elif p.state in ("done", "cancelled"):
            self.state = GuideState()
        else:
            self.state.drafting = p.state
            self.state.partial = p.partial or self.state.partial
        self._show_progress()

    @on(DraftDone)
    def done(self, event: DraftDone) -> None:
        event.stop()
        self.state = GuideState()
        if event.error:
            self.notice = event.error
            self.notify(event.error, title="Drafting", severity="error", timeout=10)
        elif event.cancelled:
            self.notify("Drafting cancelled.")
        elif event.summary is not None:
            drafted = len(event.summary.drafted)
            if drafted:
                self.notify(f"Drafted {drafted} outcome statement{'s' if drafted != 1 else ''}.")
            elif not self.notice:
                self.notice = "The model drafted no outcome statements  ·  press o to retry"
        self.post_message(SessionChanged())
        self.refresh_bindings()
        self.reload()

    def on_worker_state_changed(self) -> None:
        self.refresh_bindings()  # Esc cancels only while a draft runs

    # Acting on the focused card ---------------------------------------------------------

    def _card(self) -> OutcomeCard | None:
        focused = self.screen.focused
        if isinstance(focused, OutcomeCard):
            return focused
        self.notify("Select an outcome first (arrows or Tab).", severity="warning")
        return None

    def _act(self, what: str, action) -> None:
        card = self._card()
        if card is not None:
            self._focus_id = card.item.id
            self.save(what, lambda: action(card.item))
            self.reload()

    def action_approve(self) -> None:
        card = self._card()
        if card is None:
            return
        failing = [f.label for f in card.findings if not f.ok]
        if not failing or card.item.status is Status.APPROVED:
            self._approve()
            return
        # Asked once, naming what fails: an outcome the room approves should be one it can
        # measure, and the export marks one approved anyway.
        noun = "check" if len(failing) == 1 else "checks"
        self.app.push_screen(
            ConfirmDialog(
                f"This outcome fails {len(failing)} of {len(card.findings)} {noun}: "
                f"{', '.join(failing)}.\nApprove it anyway? The export will say so.",
                yes="Approve anyway",
                no="Keep it a draft",
            ),
            lambda yes: self._approve() if yes else None,
        )

    def _approve(self) -> None:
        self._act("approval", lambda i: self.service.items.approve(i.id, self.author, i.version))

    def action_reject(self) -> None:
        self._act("rejection", lambda i: self.service.items.reject(i.id, self.author))
        if not self.show_rejected:
            self.notify("Rejected; h shows rejected outcomes, u reopens one.")

    def action_reopen(self) -> None:
        self._act("reopening", lambda i: self.service.items.reopen(i.id, self.author))

    def action_toggle_rejected(self) -> None:
        self.show_rejected = not self.show_rejected
        self.reload()

    def action_new(self) -> None:
        def save(body: dict[str, Any]) -> str | None:
            return self._write(
                lambda: self.service.items.write(
                    self.session_id, ItemKind.OUTCOME, body, self.author
                )
            )

        self._open_dialog("A new outcome", None, save)

    def action_edit(self) -> None:
        card = self._card()
        if card is None:
            return
        item = card.item
        self._focus_id = item.id

        def save(body: dict[str, Any]) -> str | None:
            return self._write(
                lambda: self.service.items.edit(item.id, body, self.author, item.version)
            )

        self._open_dialog("Edit the outcome", item.body, save)

    def _open_dialog(self, title: str, body: dict[str, Any] | None, save) -> None:
        record = self._record or self.load()
        names = [p.name for p in record.stakeholders] + list(record.session.participants)
        dialog = OutcomeDialog(
            title,
            body,
            self.service.method.check_outcome,
            save,
            priorities=record.session.priorities,
            names=names,
        )
        self.app.push_screen(dialog, self._dialog_closed)

    def _write(self, action) -> str | None:
        """One change from the dialog: its error message, or None once committed."""
        try:
            item = action()
        except (StoreError, WorkshopError) as error:
            return str(error)
        self._focus_id = item.id
        self.post_message(Saved("outcome"))
        self.post_message(SessionChanged())
        return None

    def _dialog_closed(self, body: dict[str, Any] | None) -> None:
        del body  # cancelled too: a conflict may have shown someone else's text
        self.reload()
