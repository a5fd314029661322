"""Is it documented, and does the documentation still match the code? (sqlite-utils' habit)"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefings.cli import cli as briefings_cli
from cli import cli as rlr
from ingest.cli import cli as ingest_cli
from search_index.cli import cli as search_cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_every_command_has_help_and_is_in_the_readme():
    for name, command in rlr.commands.items():
        result = CliRunner().invoke(rlr, [name, "--help"])
        assert result.exit_code == 0 and command.help, f"rlr {name} has no help"
        assert f"rlr {name}" in README, f"README does not show `rlr {name}`"


@pytest.mark.parametrize("module, group", [("ingest", ingest_cli), ("search_index", search_cli),
                                            ("briefings", briefings_cli)])
def test_the_package_command_lines_run_the_same_commands(module, group):
    """`python -m <package>` keeps working: each of its commands is one of rlr's (or under briefing)."""
    every = {id(c) for c in rlr.commands.values()} | {id(c) for c in briefings_cli.commands.values()}
    for name, command in group.commands.items():
        result = CliRunner().invoke(group, [name, "--help"])
        assert result.exit_code == 0 and command.help, f"{module} {name} has no help"
        assert id(command) in every, f"python -m {module} {name} is not an rlr command"
        assert f"-m {module}" in README, f"README does not mention `python -m {module}`"


def test_every_make_target_the_readme_names_exists():
    targets = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), re.M))
    named = set(re.findall(r"`make ([a-z-]+)", README))
    assert {"run", "test", "build"} <= named
    assert named <= targets, f"README names missing make targets: {named - targets}"


def test_readme_lists_every_table_of_the_schema(sample_db_path):
    import sqlite3

    with sqlite3.connect(sample_db_path) as conn:
        tables = {r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like '%fts%'")}
    missing = {t for t in tables if f"`{t}`" not in README}
    assert not missing, f"README's schema section misses {missing}"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci/run").read_text() and "$ make test" in README
