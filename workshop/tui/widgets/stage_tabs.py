"""The workshop's stage tabs: only the facilitator changes the stage, never a focus."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import TabbedContent, TabPane


class StageTabs(TabbedContent):
    """Tabs that stay where the facilitator put them.

    Textual's TabbedContent shows whichever pane a widget is focused in. A draft that lands
    after the facilitator moved on focuses a card of its own, now hidden, stage (focus is
    deferred, so no check made beforehand can see the switch coming), and the room would be
    pulled back to it, with the next key acting on a stage nobody is looking at. Here such a
    focus is refused: the stage on screen takes the focus back instead.
    """

    class FocusRefused(Message):
        """A widget of a hidden stage took the focus; the shown stage should take it back."""

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        # Textual runs the base class's handler after this one unless the default is
        # prevented: that handler is what switches the tab.
        if event.tab_pane.id == self.active:
            return
        event.stop()
        event.prevent_default()
        self.screen.set_focus(None)
        self.post_message(self.FocusRefused())
