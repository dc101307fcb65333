"""Errors raised by the prompt library.

Every message is one line and names the file or template concerned, because these end
up in `library.problems`, on stderr from the CLI, or on a card in the TUI.
"""

from __future__ import annotations

from pathlib import Path


class PromptLibraryError(Exception):
    """Base class, so callers can catch everything from this package at once."""


class FileProblem(PromptLibraryError):
    """A template or playbook file that cannot be used as it is."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class TemplateError(FileProblem):
    """A template file is malformed (front matter, messages or placeholders)."""


class PlaybookError(FileProblem):
    """A playbook file is malformed or fails validation."""


class NotFoundError(PromptLibraryError, LookupError):
    """Asked for an id that the library does not hold."""

    def __init__(self, kind: str, wanted: str, available: list[str]) -> None:
        self.wanted = wanted
        self.available = available
        listed = ", ".join(available) if available else "none"
        super().__init__(f"no {kind} with id {wanted!r}; available: {listed}")


class TemplateNotFoundError(NotFoundError):
    def __init__(self, wanted: str, available: list[str]) -> None:
        super().__init__("template", wanted, available)


class PlaybookNotFoundError(NotFoundError):
    def __init__(self, wanted: str, available: list[str]) -> None:
        super().__init__("playbook", wanted, available)


class RenderError(PromptLibraryError):
    """Rendering a template with the wrong values."""


class MissingVariableError(RenderError):
    def __init__(self, template_id: str, names: list[str]) -> None:
        self.template_id = template_id
        self.names = names
        super().__init__(
            f"template {template_id!r} needs variable(s) not given: {', '.join(names)}"
        )


class UnexpectedVariableError(RenderError):
    def __init__(self, template_id: str, names: list[str]) -> None:
        self.template_id = template_id
        self.names = names
        super().__init__(f"template {template_id!r} does not take variable(s): {', '.join(names)}")


class VariableTypeError(RenderError, TypeError):
    def __init__(self, template_id: str, name: str, value: object) -> None:
        self.template_id = template_id
        self.name = name
        super().__init__(
            f"template {template_id!r}: variable {name!r} must be str, not {type(value).__name__}"
        )


# The TOML reader recurses once per level of nesting (see sessions.text.NESTED_TOO_DEEP).
NESTED_TOO_DEEP = "nested too deeply to read (lists or tables within tables, hundreds deep)"
