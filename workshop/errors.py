"""Errors the app reports to a person as they are: one clear line, no traceback."""

from __future__ import annotations


class WorkshopError(Exception):
    """A mistake in what was asked (a bad file, a missing option) with a message to show."""
