"""What the keys do where the facilitator is: for `?` and the command palette alike.

Only what can act now is listed: the shown stage's keys (a hidden stage's panes stay
mounted, and their bindings would otherwise repeat "Approve" once per stage), then the
screen's, then those that work everywhere. One entry per action, its keys together, as
the footer writes them, after any remapping in config.toml.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget


@dataclass
class KeyEntry:
    """One action, with every key that runs it."""

    section: str
    description: str
    node: DOMNode
    binding: Binding
    keys: list[str] = field(default_factory=list)

    @property
    def keys_text(self) -> str:
        return " or ".join(self.keys)


def key_entries(screen: Screen) -> list[KeyEntry]:
    """The keys that act on this screen now, the most specific first."""
    here = [node for node in screen.walk_children() if _shown(node, screen)]
    stage = getattr(screen, "stage_label", None)  # the workshop screen's shown stage
    sections = [
        (stage or "This screen", here),
        ("This session" if stage else "This screen", [screen]),
        ("Everywhere", [screen.app]),
    ]
    entries: dict[tuple[str, str], KeyEntry] = {}
    for section, nodes in sections:
        for node in nodes:
            for binding in _bindings_of(node):
                if not _offered(node, binding):
                    continue
                entry = entries.setdefault(
                    (section, binding.description),
                    KeyEntry(section, binding.description, node, binding),
                )
                shown = screen.app.get_key_display(binding)
                if shown not in entry.keys:
                    entry.keys.append(shown)
    return list(entries.values())


def _shown(node: DOMNode, screen: Screen) -> bool:
    """On the screen now: neither it nor a container above it is hidden (an inactive tab)."""
    while isinstance(node, Widget) and node is not screen:
        if not node.display:
            return False
        node = node.parent  # type: ignore[assignment]
    return True


def _bindings_of(node: DOMNode) -> list[Binding]:
    """The node's own bindings that say what they do (ours have ids and descriptions;
    widgets' built-ins stay out), remapped."""
    bindings = node._bindings.copy()  # the keymap is applied to copies, as Textual does
    keymap = node.app._keymap
    if keymap:
        bindings.apply_keymap(keymap)
    return [
        binding
        for found in bindings.key_to_bindings.values()
        for binding in found
        if binding.id and binding.description
    ]


def _offered(node: DOMNode, binding: Binding) -> bool:
    """Not turned off where it is (check_action False), e.g. Draft all without a model."""
    # The footer's own check, which resolves "app.…" and "screen.…" actions too.
    return node.app._check_action_state(binding.action, node) is not False
