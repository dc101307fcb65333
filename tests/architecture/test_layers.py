"""The layers as the imports show them: no cycles, and no arrow against the design.

Every import in the product's source is read with ast (module level and the lazy ones
inside functions alike), so a rule here holds whatever the code imports at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("workshop", "sessions", "prompt_library")
DATABASE = ("sqlite3", "sqlite_utils")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """The modules one file imports, relative imports resolved, TYPE_CHECKING ones too."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            # `from workshop.tui import app` imports the module workshop.tui.app (and
            # target itself only for the names that are not modules of their own)
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if is_module(submodule, root) else target)
    return found


def is_module(name: str, root: Path) -> bool:
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def source_files(root: Path = ROOT) -> dict[str, Path]:
    return {
        module_name(path, root): path
        for package in PACKAGES
        for path in sorted((root / package).rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Each module of ours and the modules it imports (ours and third-party alike)."""
    return {name: imports_of(path, root) for name, path in source_files(root).items()}


def is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Each import that points against the layers (docs/architecture.md)."""
    found = []
    for module, targets in graph.items():
        for target in sorted(targets):
            top = target.split(".")[0]
            if top == "textual" and not is_within(module, "workshop.tui"):
                found.append(f"{module} imports Textual; only workshop.tui may")
            if is_within(module, "workshop.tui") and top in ("openai", *DATABASE):
                found.append(f"{module} imports {top}; the screens go through the service")
            if top in DATABASE and not is_within(module, "sessions"):
                found.append(f"{module} imports {top}; only the store (sessions/) may")
            for lower in ("sessions", "prompt_library"):
                other = "prompt_library" if lower == "sessions" else "sessions"
                if is_within(module, lower) and top in ("workshop", "textual", "openai", other):
                    found.append(f"{module} imports {top}; {lower}/ stands alone")
            if is_within(module, "workshop.rules") and top in ("textual", "openai", *DATABASE):
                found.append(f"{module} imports {top}; rules do no I/O")
            for layer in ("workshop.service", "workshop.drafting", "workshop.export"):
                if is_within(module, layer) and (
                    is_within(target, "workshop.tui") or is_within(target, "workshop.cli")
                ):
                    found.append(f"{module} imports {target}; a front end sits above {layer}")
    return sorted(set(found))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import cycles among our own modules (Tarjan's strongly connected components)."""
    ours = {m: {t for t in targets if t in graph and t != m} for m, targets in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in ours[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(ours):
        if node not in index:
            visit(node)
    return found


def package_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Cycles between packages (workshop.tui ↔ workshop.service, say), as well as modules."""

    def package_of(module: str) -> str:
        return module if module in packages else module.rpartition(".")[0]

    packages = {m for m, p in source_files().items() if p.name == "__init__.py"}

    collapsed: dict[str, set[str]] = {}
    for module, targets in graph.items():
        source = package_of(module)
        collapsed.setdefault(source, set())
        for target in targets:
            if target in graph:
                collapsed[source].add(package_of(target))
    # a package importing its own parent package's __init__ is not a cycle of layers
    for source, targets in collapsed.items():
        targets.discard(source)
        for target in list(targets):
            if is_within(source, target):
                targets.discard(target)
    for package in packages:
        collapsed.setdefault(package, set())
    return cycles(collapsed)


def test_the_product_has_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_subpackages_have_no_cycle_between_them():
    assert package_cycles(import_graph()) == []


def test_no_import_points_against_the_layers():
    assert violations(import_graph()) == []


def test_the_layers_are_packages():
    """The tree names the layers: the rest of the top of workshop/ is a few modules."""
    top = {p.name for p in (ROOT / "workshop").iterdir() if p.suffix == ".py" or p.is_dir()}
    top.discard("__pycache__")
    assert top == {
        "__init__.py",
        "__main__.py",
        "launch.py",
        "errors.py",
        "paths.py",
        "tui",
        "cli",
        "service",
        "drafting",
        "export",
        "rules",
    }


# The checks themselves: each would fail on the fault it is there for.


@pytest.mark.parametrize(
    ("module", "target", "complaint"),
    [
        ("workshop.service.facade", "textual.app", "imports Textual"),
        ("workshop.tui.screens.home", "openai", "the screens go through the service"),
        ("workshop.tui.stages.brief", "sqlite_utils", "the screens go through the service"),
        ("workshop.export.markdown", "sqlite3", "only the store"),
        ("sessions.store", "workshop.errors", "sessions/ stands alone"),
        ("sessions.models", "prompt_library", "sessions/ stands alone"),
        ("prompt_library.library", "openai", "prompt_library/ stands alone"),
        ("workshop.service.export", "workshop.tui.app", "a front end sits above"),
        ("workshop.drafting.engine", "workshop.cli.main", "a front end sits above"),
    ],
)
def test_a_wrong_arrow_is_caught(module, target, complaint):
    assert any(complaint in v for v in violations({module: {target}}))


def test_a_cycle_is_caught():
    graph = {"workshop.a": {"workshop.b"}, "workshop.b": {"workshop.c"}}
    graph["workshop.c"] = {"workshop.a"}
    assert cycles(graph) == [["workshop.a", "workshop.b", "workshop.c"]]


def test_a_tree_with_a_lazy_cycle_and_a_wrong_arrow_fails(tmp_path):
    """Imports inside functions and relative ones count as much as the top-level ones."""
    files = {
        "workshop/__init__.py": "",
        "workshop/tui/__init__.py": "",
        "workshop/tui/cells.py": "",
        "workshop/tui/home.py": "from . import cells\nfrom ..service import facade\n",
        "workshop/service/__init__.py": "",
        "workshop/service/facade.py": "def later():\n    from workshop.tui import home\n",
        "sessions/__init__.py": "",
        "prompt_library/__init__.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    graph = import_graph(tmp_path)
    assert graph["workshop.tui.home"] == {"workshop.tui.cells", "workshop.service.facade"}
    assert cycles(graph) == [["workshop.service.facade", "workshop.tui.home"]]
    assert violations(graph) == [
        "workshop.service.facade imports workshop.tui.home; a front end sits above workshop.service"
    ]


def store_reaches(path: Path) -> list[int]:
    """Lines where code reaches past the service to its store (`service.store`, say)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("store", "_store"):
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if "service" in name:
                lines.append(node.lineno)
    return lines


def test_the_front_ends_never_reach_the_store_behind_the_service():
    found = {
        name: lines
        for name, path in source_files().items()
        if is_within(name, "workshop.tui") or is_within(name, "workshop.cli")
        if (lines := store_reaches(path))
    }
    assert found == {}


def test_reaching_the_store_is_caught(tmp_path):
    screen = tmp_path / "screen.py"
    screen.write_text("def f(self):\n    return self.service.store.get_session('x')\n")
    assert store_reaches(screen) == [2]


def private_imports(graph_root: Path = ROOT) -> list[str]:
    """`from ours import _helper`: a private name taken from another module of ours."""
    found = []
    for name, path in source_files(graph_root).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or _ours(node.module)):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{name} imports {alias.name}")
    return found


def _ours(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in PACKAGES


def test_no_module_takes_another_ones_private_helpers():
    assert private_imports() == []
