"""Stage 3, segmentation: a board of five segments, a map, and drafting that streams in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import ContentSwitcher, Label, Static

from sessions import Item, ItemKind, SessionRecord, Status, StoreError
from workshop.drafting.placing import FOUND, PLACED, needing_details, unsettled
from workshop.errors import WorkshopError
from workshop.tui.dialogs.common import PromptDialog
from workshop.tui.dialogs.segmentation import AssignmentDialog, MoveDialog
from workshop.tui.stages.base import Saved, SessionChanged
from workshop.tui.stages.drafting_pane import (
    DraftDone,
    DraftingPane,
    DraftProgress,
    model_binding,
    preview_binding,
)
from workshop.tui.widgets.assignment_card import AssignmentCard, CardState
from workshop.tui.widgets.influence_map import InfluenceMap

UNPLACED = "unplaced"
# People on the board at once. Each card is a widget, and Textual's layout slows with
# hundreds of them (500 cards: a second or more per redraw or stage switch), so a large
# register is shown a page at a time; the map and the export always show everyone.
BOARD_PAGE = 60


class BoardColumn(VerticalScroll, can_focus=False, inherit_bindings=False):
    """A segment's column. It leaves the arrows to the pane, which moves between cards
    (a scrolling column would otherwise take up and down); the focused card is scrolled
    into view."""


class SegmentationPane(DraftingPane):
    MODEL_ACTIONS = frozenset({"draft_all", "regenerate"})
    BINDINGS = [
        *model_binding("d", "draft_all", "Draft all", "segmentation.draft_all"),
        Binding("escape", "cancel_draft", "Cancel draft", id="segmentation.cancel"),
        preview_binding("segmentation"),
        Binding("a", "approve", "Approve", id="segmentation.approve"),
        Binding("e", "edit", "Edit", id="segmentation.edit"),
        Binding("r", "reject", "Reject", id="segmentation.reject"),
        Binding("u", "reopen", "Reopen", id="segmentation.reopen", show=False),
        Binding("m", "move", "Move", id="segmentation.move"),
        *model_binding("g", "regenerate", "Redraft with guidance", "segmentation.regenerate"),
        Binding("v", "toggle_view", "Board/map", id="segmentation.view"),
        Binding("f11", "presenter", "Presenter", id="segmentation.presenter"),
        Binding("left", "column(-1)", "Left", show=False, id="segmentation.left"),
        Binding("right", "column(1)", "Right", show=False, id="segmentation.right"),
        Binding("up", "card(-1)", "Up", show=False, id="segmentation.up"),
        Binding("down", "card(1)", "Down", show=False, id="segmentation.down"),
        Binding("pagedown", "page(1)", "Next people", show=False, id="segmentation.next_page"),
        Binding("pageup", "page(-1)", "Earlier people", show=False, id="segmentation.prev_page"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.states: dict[str, CardState] = {}  # by stakeholder id, while drafting
        self._focus_key: str | None = None
        self._focus_person: str | None = None
        self.page = 0  # which BOARD_PAGE people the board shows

    def compose(self) -> ComposeResult:
        yield Static("", id="seg-progress", markup=False)
        with ContentSwitcher(initial="seg-board", id="seg-views"):
            with Horizontal(id="seg-board"):
                for segment in (UNPLACED, *self.segment_names):
                    with BoardColumn(classes="seg-column", id=f"col-{segment}"):
                        yield Label("", classes="seg-title", markup=False)
            the_map = InfluenceMap(id="seg-map")
            the_map.can_focus = True  # holds the focus while shown, so the pane's keys work
            yield the_map

    @property
    def segment_names(self) -> dict[str, str]:
        return {s.id: s.name for s in self.service.method.playbook.segments}

    # Drawing --------------------------------------------------------------------------

    def redraw(self) -> None:
        record = self.load()
        self._draw_board(record)
        self._draw_map(record)
        self._show_progress(record)

    def _current_items(self, record: SessionRecord) -> list[Item]:
        return [
            i
            for i in record.items_of(ItemKind.SEGMENTATION)
            if i.status is not Status.REJECTED and i.stakeholder_id
        ]

    def _draw_board(self, record: SessionRecord) -> None:
        focused = self.app.focused
        if isinstance(focused, AssignmentCard):
            self._focus_key = _card_key(focused)
            self._focus_person = focused.person.id
        # Rebuilding awaits the removal of the old cards; queued calls run in order.
        self.call_later(self._fill_board, record)

    def _page_of(self, record: SessionRecord) -> list:
        pages = max(1, -(-len(record.stakeholders) // BOARD_PAGE))
        self.page = min(max(self.page, 0), pages - 1)
        return record.stakeholders[self.page * BOARD_PAGE : (self.page + 1) * BOARD_PAGE]

    def action_page(self, step: int) -> None:
        before = self.page
        self.page += step
        record = self.load()
        self._page_of(record)
        if self.page != before:
            self._focus_key = self._focus_person = None
            self._show_progress(record)
            self.call_later(self._fill_board, record)

    async def _fill_board(self, record: SessionRecord) -> None:
        suggestions = self.service.method.suggestions(record)
        flags = self.service.method.draft_flags(record)
        shown = self._page_of(record)
        people = {p.id: p for p in shown}
        items = [i for i in self._current_items(record) if i.stakeholder_id in people]
        placed = {i.stakeholder_id for i in items}
        columns: dict[str, list[AssignmentCard]] = {s: [] for s in (UNPLACED, *self.segment_names)}
        # Register order, not the order drafts happened to finish in.
        order = {p.id: n for n, p in enumerate(shown)}
        for item in sorted(
            items, key=lambda i: (order.get(i.stakeholder_id or "", 0), i.created_at)
        ):
            person = people[item.stakeholder_id or ""]
            state = self._state(person.id, suggestions, item)
            flag = flags.get(item.id)
            state.flag = flag.short if flag else ""
            segment = str(item.body.get("segment"))
            columns.setdefault(segment, []).append(self._card(person, item, state))
        rejected = _latest_rejected(record)
        for person in shown:
            if person.id not in placed:
                state = self._state(person.id, suggestions, None)
                state.flag = ""
                state.rejected = rejected.get(person.id)
                state.can_draft = self.has_model
                columns[_provisional_column(state, columns)].append(self._card(person, None, state))
        for segment, cards in columns.items():
            column = self.query_one(f"#col-{segment}", VerticalScroll)
            title = "Not yet placed" if segment == UNPLACED else self.segment_names[segment]
            column.query_one(".seg-title", Label).update(f"{title} ({len(cards)})")
            # Shown even when empty: a column that came and went would squeeze the others
            # the moment someone's assignment is rejected.
            await _sync_column(column, cards)
        self._restore_focus()

    def _state(self, person_id: str, suggestions, item: Item | None) -> CardState:
        state = self.states.get(person_id, CardState())
        suggestion = suggestions.get(person_id)
        segment = item.body.get("segment") if item else None
        if suggestion and suggestion.segment_id != segment:
            state.rule_segment, state.rule_reason = suggestion.segment_id, suggestion.reason
        else:
            state.rule_segment = state.rule_reason = ""
        return state

    def _card(self, person, item, state) -> AssignmentCard:
        return AssignmentCard(person, item, state, self.segment_names, classes="seg-card")

    def _restore_focus(self) -> None:
        cards = list(self.query(AssignmentCard))
        if not cards or not self.is_on_screen_tab():
            return
        if self.query_one(ContentSwitcher).current == "seg-map":
            self.query_one(InfluenceMap).focus()  # the board's cards are hidden
            return
        target = next((c for c in cards if _card_key(c) == self._focus_key), None)
        if target is None:  # their card changed key: their first draft came in
            target = next((c for c in cards if c.person.id == self._focus_person), None)
        focused = self.app.focused
        # A card of an earlier drawing can still hold the focus (Widget.focus is deferred):
        # keys sent to it would go nowhere, so only a card on the board counts.
        if target is None and isinstance(focused, AssignmentCard) and focused in cards:
            return
        (target or cards[0]).focus()

    def is_on_screen_tab(self) -> bool:
        return self.display and self.parent is not None and self.parent.display

    def _draw_map(self, record: SessionRecord) -> None:
        self.query_one(InfluenceMap).show_record(record, self.segment_names)

    def _show_progress(self, record: SessionRecord | None = None) -> None:
        line = self.query_one("#seg-progress", Static)
        if self.states:
            states = self.states.values()
            total = len(self.states)
            done = sum(1 for s in states if s.drafting == "done")
            failed = sum(1 for s in states if s.error)
            placed = sum(1 for s in states if s.placed)
            running = total - done - failed
            placing = f"{placed} of {total} placed, " if placed else ""
            line.update(
                f"Drafting: {placing}{done} of {total} done, {failed} failed, "
                f"{running} under way" + ("  ·  Esc cancels" if self.drafting else "")
            )
            return
        record = record or self.load()
        items = self._current_items(record)
        approved = sum(1 for i in items if i.status is Status.APPROVED)
        paging = ""
        if len(record.stakeholders) > BOARD_PAGE:
            first = self.page * BOARD_PAGE + 1
            last = min(first + BOARD_PAGE - 1, len(record.stakeholders))
            paging = f"  ·  board shows people {first}–{last} (PgUp/PgDn)"
        # The keys are in the footer, which lists only those that work now.
        line.update(
            f"{len(record.stakeholders)} stakeholders · {len(items)} assignments, "
            f"{approved} approved{paging}"
        )

    # Drafting -------------------------------------------------------------------------

    def action_draft_all(self) -> None:
        record = self.load()
        ids = unsettled(record)
        if not record.stakeholders:
            self.notify("Add stakeholders first (stage 2).", severity="warning")
            return
        if not ids:
            self.notify("Every assignment is approved or edited; g redrafts one with guidance.")
            return
        drafted = {i.stakeholder_id for i in self._current_items(record)}
        unplaced = [i for i in ids if i not in drafted]
        lacking = [i.stakeholder_id or "" for i in needing_details(record)]
        if lacking:
            # A round left something out (a failure, a cancel): finish it, redo nothing.
            self._start(
                unplaced + lacking,
                lambda drafter: (
                    drafter.placement_jobs(self.session_id, unplaced)
                    if unplaced
                    else drafter.details_jobs(self.session_id, lacking)
                ),
                lambda drafter, jobs, told: drafter.complete(
                    self.session_id, lacking, jobs if unplaced else [], told
                ),
            )
            return
        # The room is placed first, in one request or a few, then each person's details.
        self._start(
            ids,
            lambda drafter: drafter.placement_jobs(self.session_id, ids),
            lambda drafter, jobs, told: drafter.place(jobs, told),
        )

    def _draft(self, ids: list[str], guidance: dict[str, str]) -> None:
        self._start(ids, lambda drafter: drafter.segmentation_jobs(self.session_id, ids, guidance))

    def _start(self, ids: list[str], make_jobs, runner=None) -> None:
        self.states = {i: CardState(drafting=self.waiting(ItemKind.SEGMENTATION)) for i in ids}
        worker = self.start_drafting(ItemKind.SEGMENTATION, make_jobs, runner)
        if worker is None:
            self.states = {}
        self.reload()

    @on(DraftProgress)
    def progress(self, event: DraftProgress) -> None:
        event.stop()
        p = event.progress
        state = self.states.setdefault(p.key, CardState())
        if p.state == "failed":
            state.drafting, state.error = "", p.message
        elif p.state == "cancelled":
            state.drafting, state.error = "", "cancelled"
        elif p.state == "repairing":
            state.drafting = "the answer did not fit; asking the model to fix it"
        elif p.state == FOUND:
            state.drafting, state.partial = "placed; saved when the answer ends", p.partial
            state.found = True
            self.reload()  # the card goes to its column now
            return
        elif p.state == PLACED:
            state.drafting, state.partial, state.placed = "details to come", None, True
            self.reload()
            return
        elif state.placed and p.state in ("sending", "streaming"):
            state.drafting, state.error = "drafting details", ""
        else:
            state.drafting, state.partial, state.error = p.state, p.partial, ""
        if p.state in ("done", "failed"):
            self.reload()  # the stored draft (or the failure) takes its place on the board
            return
        for card in self.query(AssignmentCard):
            if card.person.id == p.key:
                card.state = state
                card.refresh_card()
        self._show_progress()

    @on(DraftDone)
    def done(self, event: DraftDone) -> None:
        event.stop()
        failed = {k: s for k, s in self.states.items() if s.error and s.error != "cancelled"}
        if event.error:
            self.notify(event.error, title="Drafting", severity="error", timeout=10)
            failed = {}
        elif event.cancelled:
            self.notify("Drafting cancelled; finished drafts are kept.")
            failed = {}
        elif event.summary is not None:
            s = event.summary
            if s.detailed:
                done = f"Placed {len(s.drafted)}, details for {len(s.detailed)}"
            else:
                done = f"Drafted {len(s.drafted)}"
            self.notify(f"{done}, failed {len(s.failed)}.")
        # Keep failures on their cards (with the retry hint); forget the rest.
        self.states = {k: CardState(error=v.error) for k, v in failed.items()}
        self.post_message_session_changed()
        self.reload()

    def post_message_session_changed(self) -> None:
        self.post_message(SessionChanged())

    # Acting on the focused card --------------------------------------------------------

    def _focused(self) -> AssignmentCard | None:
        focused = self.app.focused
        return focused if isinstance(focused, AssignmentCard) else None

    def _item(self) -> Item | None:
        card = self._focused()
        if card is None or card.item is None:
            self.notify("Select an assignment first (arrows).", severity="warning")
            return None
        return card.item

    def action_approve(self) -> None:
        if item := self._item():
            self.save(
                "approval", lambda: self.service.items.approve(item.id, self.author, item.version)
            )
            self.reload()

    def action_reject(self) -> None:
        if item := self._item():
            self.save("rejection", lambda: self.service.items.reject(item.id, self.author))
            self.reload()

    def action_reopen(self) -> None:
        card = self._focused()
        if card is not None and card.item is None and card.state.rejected is not None:
            rejected = card.state.rejected
            self.save("reopening", lambda: self.service.items.reopen(rejected.id, self.author))
            self.reload()
            return
        if item := self._item():
            self.save("reopening", lambda: self.service.items.reopen(item.id, self.author))
            self.reload()

    def _by_hand(self, card: AssignmentCard, segment: str | None = None) -> dict:
        """A person's assignment for someone with none yet: the segment chosen, or what
        the playbook's rules suggest, with their reason as the first rationale."""
        state = card.state
        return {
            "segment": segment or state.rule_segment or next(iter(self.segment_names)),
            "rationale": state.rule_reason if not segment or segment == state.rule_segment else "",
            "motivations": [],
            "objections": [],
            "approach": "",
            "messages": [],
            "confidence": "medium",
        }

    def action_move(self) -> None:
        card = self._focused()
        if card is None:
            self.notify("Select a stakeholder's card first (arrows).", severity="warning")
            return
        if card.item is None:
            # Placing someone by hand: no model needed.
            person = card.person

            def placed(segment: str | None) -> None:
                if segment:
                    body = self._by_hand(card, segment)
                    self.save(
                        "assignment",
                        lambda: self.service.items.write(
                            self.session_id, ItemKind.SEGMENTATION, body, self.author, person.id
                        ),
                    )
                    self.reload()

            segments = list(self.segment_names.items())
            self.app.push_screen(MoveDialog(person.name, segments, ""), placed)
            return
        item = card.item

        def moved(segment: str | None) -> None:
            if segment and segment != item.body.get("segment"):
                body = item.body | {"segment": segment}
                self.save(
                    "move",
                    lambda: self.service.items.edit(item.id, body, self.author, item.version),
                )
                self.reload()

        segments = list(self.segment_names.items())
        self.app.push_screen(
            MoveDialog(card.person.name, segments, str(item.body.get("segment"))), moved
        )

    def action_presenter(self) -> None:
        from workshop.tui.stages.presenter import PresenterScreen

        card = self._focused()

        def back(person_id: str | None) -> None:
            if person_id:
                self._focus_key, self._focus_person = None, person_id
            self.reload()

        self.app.push_screen(
            PresenterScreen(
                self.service,
                self.session_id,
                self.segment_names,
                card.person.id if card else None,
            ),
            back,
        )

    def action_edit(self) -> None:
        card = self._focused()
        if card is None:
            self.notify("Select a stakeholder's card first (arrows).", severity="warning")
            return
        if card.item is None:
            self._write_by_hand(card)
            return
        item = card.item

        def save(body: dict) -> str | None:
            try:
                self.service.items.edit(item.id, body, self.author, item.version)
            except (StoreError, WorkshopError) as error:
                return str(error)
            return None

        def closed(body: dict | None) -> None:
            if body is not None:
                self.post_message(Saved("assignment"))
                self.post_message_session_changed()
            self.reload()  # cancelled too: a conflict may have shown someone else's text

        segments = list(self.segment_names.items())
        self.app.push_screen(AssignmentDialog(card.person.name, item.body, segments, save), closed)

    def _write_by_hand(self, card: AssignmentCard) -> None:
        person = card.person

        def save(body: dict) -> str | None:
            try:
                self.service.items.write(
                    self.session_id, ItemKind.SEGMENTATION, body, self.author, person.id
                )
            except (StoreError, WorkshopError) as error:
                return str(error)
            return None

        def closed(body: dict | None) -> None:
            if body is not None:
                self.post_message(Saved("assignment"))
                self.post_message(SessionChanged())
                self.reload()

        segments = list(self.segment_names.items())
        self.app.push_screen(
            AssignmentDialog(person.name, self._by_hand(card), segments, save), closed
        )

    def action_regenerate(self) -> None:
        card = self._focused()
        if card is None:
            self.notify("Select a stakeholder's card first (arrows).", severity="warning")
            return
        person = card.person

        def guided(guidance: str | None) -> None:
            if guidance is not None:
                self._draft([person.id], {person.id: guidance.strip()})

        self.app.push_screen(
            PromptDialog(
                f"Redraft {person.name}: a line of guidance for the model (may be empty)",
                placeholder="e.g. She is more sceptical than that.",
            ),
            guided,
        )

    def action_toggle_view(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        if switcher.current == "seg-board":
            switcher.current = "seg-map"
            self.query_one(InfluenceMap).focus()  # a hidden card would take the keys away
        else:
            switcher.current = "seg-board"
            self._restore_focus()

    # Moving between cards --------------------------------------------------------------

    def action_column(self, step: int) -> None:
        columns = [c for c in self.query(".seg-column") if c.query(AssignmentCard)]
        card = self._focused()
        if not columns:
            return
        index = next(
            (n for n, c in enumerate(columns) if card and card in c.query(AssignmentCard)), 0
        )
        target = columns[(index + step) % len(columns)]
        target.query(AssignmentCard).first().focus()

    def action_card(self, step: int) -> None:
        card = self._focused()
        cards = list(self.query(AssignmentCard))
        if not cards:
            return
        if card is None:
            cards[0].focus()
            return
        siblings = list(card.parent.query(AssignmentCard)) if card.parent else cards
        index = siblings.index(card)
        if 0 <= index + step < len(siblings):
            siblings[index + step].focus()


def _latest_rejected(record: SessionRecord) -> dict[str, Item]:
    """Each person's newest rejected assignment (only used for those with no other)."""
    latest: dict[str, Item] = {}
    for item in sorted(record.items_of(ItemKind.SEGMENTATION), key=lambda i: i.created_at):
        if item.status is Status.REJECTED and item.stakeholder_id:
            latest[item.stakeholder_id] = item
    return latest


def _provisional_column(state: CardState, columns: dict) -> str:
    """Where a card without a stored assignment goes: its segment, once its entry in an
    answer still streaming is complete; else among the unplaced."""
    segment = str((state.partial or {}).get("segment") or "")
    return segment if state.found and not state.placed and segment in columns else UNPLACED


def _card_key(card: AssignmentCard) -> str:
    return card.item.id if card.item else card.person.id


async def _sync_column(column: VerticalScroll, wanted: list[AssignmentCard]) -> None:
    """Make the column show `wanted`, touching only the cards that changed.

    Mounting is what costs with hundreds of people (tens of milliseconds per dozen
    cards), and a board is redrawn after every approval and every finished draft: so
    cards that stay are updated in place, and only new ones are mounted.
    """
    shown = {_card_key(c): c for c in column.query(AssignmentCard)}
    keys = [_card_key(c) for c in wanted]
    wanted_keys = set(keys)
    gone = [c for k, c in shown.items() if k not in wanted_keys]
    if gone:
        await column.remove_children(gone)
    kept = [k for k in shown if k in wanted_keys]
    if kept != [k for k in keys if k in shown]:  # the order changed: draw it afresh
        await column.remove_children(AssignmentCard)
        await column.mount_all(wanted)
        return
    if not kept:
        await column.mount_all(wanted)
        return
    for index, card in enumerate(wanted):
        old = shown.get(keys[index])
        if old is None:
            later = next((shown[k] for k in keys[index + 1 :] if k in shown), None)
            await (column.mount(card, before=later) if later else column.mount(card))
        else:  # states are changed in place while drafting, so always look again
            old.person, old.item, old.state = card.person, card.item, card.state
            old.refresh_card()
