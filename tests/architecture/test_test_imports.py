"""The tests' own imports: no test module imports another, and the kit has one name.

What tests share lives in tests/support/ and is imported as `support.…`; a test module
is never imported by anything (a helper that two modules need moves to support/). A
helper imported under a second name (`llm_server` beside `support.llm_server`) would be a
second copy of the module, with classes of its own, so the bare names are refused too.
Every import is read with ast, those inside functions included.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
SUPPORT = TESTS / "support"


def support_modules(support: Path = SUPPORT) -> set[str]:
    return {p.stem for p in support.glob("*.py") if p.stem != "__init__"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Each module one file imports, by line: `from a import b` is a, or a.b if b is one
    of the names looked for (a test module); relative ones keep their dots."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.append((node.lineno, base))
            joiner = "" if base.endswith(".") else "."
            found.extend(
                (node.lineno, f"{base}{joiner}{alias.name}")
                for alias in node.names
                if alias.name.startswith("test_")
            )
    return found


def bad_imports(root: Path = TESTS, support: Path = SUPPORT) -> list[str]:
    """Imports of a test module, and of a support module by its bare name."""
    kit = support_modules(support)
    found = []
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        where = path.relative_to(root).as_posix()
        for line, name in imported_modules(path):
            parts = [p for p in name.split(".") if p]
            if any(p.startswith("test_") for p in parts):
                found.append(f"{where}:{line} imports the test module {name}")
            elif parts and parts[0] in kit and not name.startswith("."):
                found.append(f"{where}:{line} imports {name}; the kit is support.{name}")
    return sorted(set(found))


def test_no_test_module_is_imported_and_the_kit_has_one_name():
    assert bad_imports() == []


def test_the_kit_is_there():
    """The check above knows the kit's modules by the files in tests/support/."""
    assert {"tui_helpers", "llm_server", "terminal", "paths"} <= support_modules()


# The check itself: each would fail on the fault it is there for.


def test_an_import_of_a_test_module_or_a_bare_helper_is_caught(tmp_path):
    (tmp_path / "support").mkdir()
    (tmp_path / "support" / "__init__.py").write_text("")
    (tmp_path / "support" / "llm_server.py").write_text("")
    (tmp_path / "tui").mkdir()
    files = {
        "tui/test_a.py": "from test_tui_tmux import Terminal\n",
        "tui/test_b.py": "def later():\n    import tui.test_a\n",
        "tui/test_c.py": "from . import test_a\nfrom .test_b import later\n",
        "tui/test_d.py": "from llm_server import LLMServer\n",
        "tui/test_e.py": "from support.llm_server import LLMServer\nimport support\n",
        "support/kit.py": "from tui.test_a import x\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert bad_imports(tmp_path, tmp_path / "support") == [
        "support/kit.py:1 imports the test module tui.test_a",
        "tui/test_a.py:1 imports the test module test_tui_tmux",
        "tui/test_b.py:2 imports the test module tui.test_a",
        "tui/test_c.py:1 imports the test module .test_a",
        "tui/test_c.py:2 imports the test module .test_b",
        "tui/test_d.py:1 imports llm_server; the kit is support.llm_server",
    ]
