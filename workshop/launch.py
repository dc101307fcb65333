"""The `workshop` command's entry point: straight to the app when only the app is wanted.

`workshop` and `workshop --db PATH` open the TUI without loading click, which the app does
not need and which would add to every start-up; anything else goes to the CLI.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _app_only(args: list[str]) -> tuple[bool, Path | None]:
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--db" and not args[1].startswith("-"):
        return True, Path(args[1])
    if len(args) == 1 and args[0].startswith("--db=") and len(args[0]) > 5:
        return True, Path(args[0][5:])
    return False, None


def main() -> None:
    app_only, db_path = _app_only(sys.argv[1:])
    if app_only:
        from workshop.tui.app import run_app

        sys.exit(run_app(db_path))
    from workshop.cli.main import main as cli_main

    cli_main()
