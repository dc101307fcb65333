"""Errors the store raises. Each carries a message fit to show a person as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


# Said wherever an id that was there a moment ago is not: the usual reason, not a guess.
GONE_HINT = (
    "it is not in the database (deleted in another window or with the workshop command?); "
    "nothing was changed."
)


class StoreError(Exception):
    """Base of every error the session store raises on purpose."""


class NotFoundError(StoreError):
    pass


class InvalidInputError(StoreError):
    pass


class DuplicateNameError(InvalidInputError):
    pass


class ConflictError(StoreError):
    """The item changed since the caller read it (another window or process edited it)."""

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class DatabaseError(StoreError):
    """The database file cannot be used: locked, corrupt, too new, read-only, full."""


def describe_validation(error: ValidationError, what: str = "") -> str:
    """One readable line for a pydantic error: 'name: must not be empty'."""
    parts = []
    for detail in error.errors():
        field = ".".join(str(p) for p in detail["loc"])
        message = detail["msg"].removeprefix("Value error, ")
        parts.append(f"{field}: {message}" if field else message)
    prefix = f"{what}: " if what else ""
    return prefix + "; ".join(parts)


def invalid(error: ValidationError, what: str = "") -> InvalidInputError:
    return InvalidInputError(describe_validation(error, what))
