"""`python -m briefings review|theme SLUG -o FILE.docx` through Click's CliRunner."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from briefings.cli import cli
from ingest.load import write_database
from tests.briefing_data import shared_theme_records


@pytest.fixture
def runner():
    return CliRunner()


def test_review_command_writes_the_docx(runner, sample_db_path, tmp_path):
    out = tmp_path / "t.docx"
    result = runner.invoke(cli, ["review", "child-t-2022", "-o", str(out), "--db", str(sample_db_path),
                                 "--date", "2026-03-02", "--base-url", "https://learning.example.org"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {out}\n"
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "7-minute briefing: Child T"
    assert doc.paragraphs[1].text.startswith("Prepared 2 March 2026")
    assert len(doc.tables[0].rows) == 4


def test_theme_command_draws_on_several_reviews(runner, tmp_path):
    db = write_database(tmp_path / "reviews.db", shared_theme_records())
    out = tmp_path / "neglect.docx"
    result = runner.invoke(cli, ["theme", "neglect", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    sources = Document(str(out)).tables[0].rows[3].cells[1].text
    assert all(name in sources for name in ("Family W:", "Child T:", "Baby Q:"))


@pytest.mark.parametrize("kind, slug, message", [
    ("review", "nobody-2020", "Error: no review with id 'nobody-2020' in "),
    ("theme", "not-a-theme", "Error: no theme with slug 'not-a-theme' in "),
])
def test_bad_slug_exits_1_with_one_line_naming_it(runner, sample_db_path, tmp_path, kind, slug, message):
    out = tmp_path / "x.docx"
    result = runner.invoke(cli, [kind, slug, "-o", str(out), "--db", str(sample_db_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert not out.exists()


def test_missing_database_is_named(runner, tmp_path):
    result = runner.invoke(cli, ["review", "child-t-2022", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: database not found: {tmp_path / 'none.db'} (build it with `python -m ingest build`)\n"


def test_default_output_name_and_database(runner, sample_db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "reviews.db").write_bytes(Path(sample_db_path).read_bytes())
    result = runner.invoke(cli, ["review", "baby-q-2019"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "baby-q-2019-7-minute-briefing.docx").is_file()


def test_python_dash_m_entry_point(sample_db_path, tmp_path):
    result = subprocess.run([sys.executable, "-m", "briefings", "theme", "nope", "--db", str(sample_db_path)],
                            capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: no theme with slug 'nope' in {sample_db_path}"
