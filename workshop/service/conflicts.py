"""Two people edited the same item: say so, with the other text, and let the person choose.

The store refuses an edit made against an older version (ConflictError). The service turns
that into an EditConflict whose message quotes what is saved now, field by field, while the
person's own text stays in their dialog. Saving the same edit again, after seeing this, is
their choice to keep their text: it goes in over the other, which stays in the history.
"""

from __future__ import annotations

from typing import Any

from sessions import Item
from workshop.errors import WorkshopError
from workshop.rules.item_diff import body_lines, changed_fields

QUOTE_MAX = 300  # characters of the other text quoted per field


class EditConflict(WorkshopError):
    """An edit refused because someone else saved the item first; `current` is theirs."""

    def __init__(self, message: str, current: Item) -> None:
        super().__init__(message)
        self.current = current


def conflict_message(mine: dict[str, Any], current: Item, author: str, when: str) -> str:
    """One message for the dialog's error line: who, when, their text, and the choices."""
    fields = changed_fields(current.body, mine) or ["nothing: both texts are the same"]
    theirs = [
        line
        for line in body_lines({k: v for k, v in current.body.items() if v != mine.get(k)})
        if line.strip()
    ]
    quoted = " / ".join(theirs)
    if len(quoted) > QUOTE_MAX:
        quoted = quoted[: QUOTE_MAX - 1] + "…"
    return (
        f"{author or 'Someone'} saved this at {when[11:16] or when} while you were editing "
        f"(it differs in {', '.join(fields)}). Saved now: {quoted or '(the same text)'}. "
        "Your text is still here: save again to put yours in its place (theirs stays in "
        "the history), or cancel to keep theirs."
    )


class ConflictMemory:
    """Which conflicts a person has been shown, so that saving again is their choice."""

    def __init__(self) -> None:
        self._shown: dict[str, tuple[int | None, int]] = {}

    def seen(self, item_id: str, expected: int | None, current: int) -> bool:
        """True once the same edit meets the same newer version a second time."""
        if self._shown.get(item_id) == (expected, current):
            del self._shown[item_id]
            return True
        self._shown[item_id] = (expected, current)
        return False
