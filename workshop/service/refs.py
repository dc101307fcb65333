"""Items named as people type them: a whole id, or an unambiguous start of one."""

from __future__ import annotations

from collections.abc import Sequence

from sessions import Item, NotFoundError


def find_item(items: Sequence[Item], ref: str, what: str = "item") -> Item:
    """The one item among `items` whose id is `ref` or starts with it."""
    ref = ref.strip()
    exact = [i for i in items if i.id == ref]
    if exact:
        return exact[0]
    found = [i for i in items if ref and i.id.startswith(ref)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(
            f"No {what} with id {ref!r} in this session; `workshop show ID --json` lists them."
        )
    raise NotFoundError(f"{ref!r} matches {len(found)} {what}s; give more of the id.")
