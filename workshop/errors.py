"""Errors the app reports to a person as they are, and the exit codes that go with them.

Exit codes: 0 done; 1 a mistake in what was asked (bad file, unknown id, invalid input)
or output that could not be written; 2 wrong usage of the command; 3 the database cannot
be used (locked, damaged, too new); 130 interrupted (Ctrl+C), 143 stopped (SIGTERM).
"""

from __future__ import annotations

EXIT_MISTAKE = 1
EXIT_USAGE = 2  # click's own code for wrong usage
EXIT_DATABASE = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_TERMINATED = 143  # 128 + SIGTERM


class WorkshopError(Exception):
    """A mistake in what was asked (a bad file, a missing option) with a message to show."""
