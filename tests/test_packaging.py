"""pyproject.toml declares every third-party package the code imports, and the lock pins them.

A dependency added to the code but not to pyproject.toml (or added there without `make lock`)
would install on this machine and fail on a fresh clone; this test fails first.
"""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
OWN = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()} | {p.stem for p in ROOT.glob("*.py")}
TEST_DIRS = ("tests", "benchmarks")


def _name(requirement: str) -> str:
    """PEP 503 normalised distribution name of a requirement string."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


def _pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==(\S+)", line)
        if match:
            pins[_name(match[1])] = match[2]
    return pins


def _imports(folder_or_file: Path) -> set[str]:
    files = [folder_or_file] if folder_or_file.is_file() else list(folder_or_file.rglob("*.py"))
    local = {f.stem for f in files}  # scripts that import their neighbours by name
    found = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - OWN - local - set(sys.stdlib_module_names) - {"__future__"}


def _declared(*groups: list[str]) -> set[str]:
    return {_name(r) for group in groups for r in group}


def _undeclared(modules: set[str], declared: set[str]) -> set[str]:
    owners = packages_distributions()
    return {m for m in modules if not {_name(d) for d in owners.get(m, [m])} & declared}


def test_every_declared_dependency_is_pinned_in_the_lock():
    pins = _pinned()
    declared = _declared(PYPROJECT["project"]["dependencies"], *PYPROJECT["project"]["optional-dependencies"].values())
    assert declared - set(pins) == set(), "run `make lock` after editing pyproject.toml"
    assert "govuk-frontend-jinja" not in pins  # unused, dropped


def test_the_app_imports_only_declared_runtime_packages():
    runtime = _declared(PYPROJECT["project"]["dependencies"])
    modules = set()
    for part in sorted(OWN - set(TEST_DIRS)):
        path = ROOT / part if (ROOT / part).is_dir() else ROOT / f"{part}.py"
        modules |= _imports(path)
    assert _undeclared(modules, runtime) == set(), "add them to [project] dependencies in pyproject.toml"


def test_tests_and_benchmarks_import_only_declared_packages():
    everything = _declared(PYPROJECT["project"]["dependencies"], *PYPROJECT["project"]["optional-dependencies"].values())
    scripts = {f.stem for d in TEST_DIRS for f in (ROOT / d).rglob("*.py")}  # imported by name
    modules = set().union(*(_imports(ROOT / d) for d in TEST_DIRS)) - scripts
    assert _undeclared(modules, everything) == set(), "add them to the `test` extra in pyproject.toml"


def test_the_version_is_read_from_the_one_place_it_is_written():
    from click.testing import CliRunner

    from cli import cli

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and PYPROJECT["project"]["version"] in result.output
    assert not (ROOT / "requirements.txt").exists()
