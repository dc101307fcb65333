"""Where things are, the same from a test in any folder: the repository and the command."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
EXAMPLES = ROOT / "examples"
FIXTURES = TESTS / "fixtures"  # database files of earlier schema versions
# The installed `workshop` command, next to the Python running the tests.
WORKSHOP = Path(sys.executable).parent / "workshop"
