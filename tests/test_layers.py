"""Dependencies point one way: no module imports a package in its own layer or above it.

The layers are drawn in docs/architecture.md. Imports are read with `ast`, so an import hidden
inside a function or behind `try/except ImportError` counts as much as one at the top.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom first. A package may import itself and any package in a lower layer, nothing else.
LAYERS: list[set[str]] = [
    {"core"},  # vocabularies and the status rule: pure
    {"ingest"},  # sources -> reviews.db
    {"tracker", "search_index", "briefings"},  # each built on reviews.db, never on one another
    {"intake"},  # browser intake workflows that combine the layers below
    {"web"},  # the Flask app: app.py and views/
    {"cli"},  # the command line (it may start the app, e.g. for `user add`)
]
PARTS = {"app": "web", "views": "web", "open_data": "web"}  # top-level names that make up one part
LAYER_OF = {name: n for n, layer in enumerate(LAYERS) for name in layer}
LAYER_OF.update({name: LAYER_OF[part] for name, part in PARTS.items()})
TOP = len(LAYERS) - 1


def _layer(module: Path) -> tuple[str, int]:
    """(part, layer) of a source file; `python -m <package>` entry points are command line."""
    name = module.relative_to(ROOT).parts[0].removesuffix(".py")
    if module.name == "__main__.py":
        return "cli", TOP
    return PARTS.get(name, name), LAYER_OF[name]


def _imported_packages(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            found.add(str(node.args[0].value).split(".")[0])
    return found & set(LAYER_OF)


def _modules() -> list[Path]:
    files = [ROOT / "app.py", ROOT / "cli.py"]
    for package in LAYER_OF:
        if (ROOT / package).is_dir():
            files += sorted((ROOT / package).rglob("*.py"))
    return [f for f in files if f.is_file()]


def upward_imports() -> list[str]:
    problems = []
    for module in _modules():
        package, layer = _layer(module)
        for imported in _imported_packages(ast.parse(module.read_text(encoding="utf-8"))):
            if PARTS.get(imported, imported) != package and LAYER_OF[imported] >= layer:
                problems.append(f"{module.relative_to(ROOT)} (layer {layer}) imports {imported} "
                                f"(layer {LAYER_OF[imported]})")
    return problems


def test_every_project_package_has_a_layer():
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()} - {"tests", "benchmarks"}
    packages |= {p.stem for p in ROOT.glob("*.py")}
    assert packages <= set(LAYER_OF), f"give {sorted(packages - set(LAYER_OF))} a layer here and in docs"


def test_no_module_imports_its_own_layer_or_above():
    assert upward_imports() == []


def test_core_imports_nothing_else_of_the_project():
    for module in sorted((ROOT / "core").rglob("*.py")):
        assert _imported_packages(ast.parse(module.read_text(encoding="utf-8"))) <= {"core"}, module


@pytest.mark.parametrize("source, ok", [
    ("from tracker import store", False),  # ingest -> tracker is upward
    ("import core.vocab", True),
    ("def f():\n    from search_index import build", False),  # hidden inside a function
    ("try:\n    import tracker\nexcept ImportError:\n    pass", False),
    ("import importlib\nimportlib.import_module('tracker.public')", False),
])
def test_the_check_sees_every_way_of_importing(source, ok):
    imported = _imported_packages(ast.parse(source))
    assert all(LAYER_OF[p] < LAYER_OF["ingest"] for p in imported) is ok
