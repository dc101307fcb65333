"""Errors the app reports to a person as they are, and the exit codes that go with them.

Exit codes: 0 done; 1 a mistake in what was asked (bad file, unknown id, invalid input);
2 wrong usage of the command; 3 the database cannot be used (locked, damaged, too new).
"""

from __future__ import annotations

EXIT_MISTAKE = 1
EXIT_USAGE = 2  # click's own code for wrong usage
EXIT_DATABASE = 3


class WorkshopError(Exception):
    """A mistake in what was asked (a bad file, a missing option) with a message to show."""
