"""The build: review.yml + documents + corrections -> reviews.db, atomically, with stable ids."""
from __future__ import annotations

import hashlib
import sqlite3
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ingest.build import build
from ingest.cli import cli
from ingest.errors import IngestError, InvalidSource

SRC = "https://example.org/northshire/child-v"

REVIEW_YML = f"""\
title: Child Safeguarding Practice Review concerning Child V
subject: Child V
review_type: cspr
publisher: Northshire Safeguarding Children Partnership
area: Northshire
published: "2023-02"
report_url: {SRC}/report.pdf
summary: A fictional review used to test the build.
themes: [child-criminal-exploitation]
facts:
  - fact: Published in February 2023.
    certainty: confirmed
    source: {SRC}
recommendations:
  - number: S1
    text: Summary of the recommendations addressed to the police (wording in the full report).
    wording: summary
    agencies: [police]
    themes: [child-criminal-exploitation]
    source: {SRC}
  - number: S2
    text: Summary of the recommendations addressed to schools (wording in the full report).
    wording: summary
    agencies: [education]
    source: {SRC}
agency_actions:
  - recommendation: S1
    agency: police
    action: A fictional exploitation team was set up.
    reported: "2023-06"
    status: in-progress
    source: {SRC}
"""

SUMMARY_MD = f"""\
# Learning summary: Child V

## Background
Child V was a fictional teenager.

## Findings
1. Child V was out of school for a long time, which left him exposed to exploitation. ([source]({SRC}))
2. Professionals did not escalate when a school place was refused. ([source]({SRC}))
"""


def make_review(root: Path, review_yml: str = REVIEW_YML, summary: str = SUMMARY_MD) -> Path:
    folder = root / "child-v-2023"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "review.yml").write_text(review_yml)
    (folder / "learning-summary.md").write_text(summary)
    return folder


def make_report_pdf(path: Path, recommendations: list[str]) -> None:
    """A small stand-in for a partnership's published report, with numbered recommendations."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 780
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, y, "Child Safeguarding Practice Review: Child V")
    y -= 40
    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(72, y, "Recommendations")
    pdf.setFont("Helvetica", 11)
    for n, text in enumerate(recommendations, 1):
        lines = textwrap.wrap(f"{n}. {text}", 85)
        y -= 24
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 15
    pdf.showPage()
    pdf.save()


def rows(db_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def reviews_dir(tmp_path):
    root = tmp_path / "reviews"
    make_review(root)
    return root


def test_build_loads_curated_facts_summaries_and_extracted_findings(reviews_dir, tmp_path):
    db = tmp_path / "reviews.db"
    report = build(reviews_dir, db)
    assert report.reviews == 1 and report.documents == 1
    assert rows(db, "select id, subject, review_type, year from reviews") == [
        ("child-v-2023", "Child V", "cspr", 2023)
    ]
    recs = rows(db, "select id, wording, origin from recommendations order by id")
    assert recs == [("child-v-2023-rec-s1", "summary", "summary"), ("child-v-2023-rec-s2", "summary", "summary")]
    assert rows(db, "select agency from recommendation_agencies where recommendation_id = 'child-v-2023-rec-s1'") == [
        ("police",)
    ]
    lps = rows(db, "select id, source_url from learning_points order by seq")
    assert [lp[0] for lp in lps] == ["child-v-2023-lp-1", "child-v-2023-lp-2"]
    assert all(lp[1] == SRC for lp in lps)
    assert rows(db, "select recommendation_id, status from agency_actions") == [("child-v-2023-rec-s1", "in-progress")]
    doc = rows(db, "select file, format, sha256, parser from documents")[0]
    expected_sha = hashlib.sha256((reviews_dir / "child-v-2023" / "learning-summary.md").read_bytes()).hexdigest()
    assert doc[:3] == ("learning-summary.md", "md", expected_sha) and doc[3]
    assert rows(db, "select count(*) from paragraphs")[0][0] >= 3
    # full-text search is live on the learning
    assert rows(db, "select rowid from learning_points_fts where learning_points_fts match 'escalate'")


def test_published_report_replaces_summaries_and_records_aliases(reviews_dir, tmp_path):
    folder = reviews_dir / "child-v-2023"
    make_report_pdf(folder / "report.pdf", [
        "Thames Valley Police should review how exploited children are identified and referred.",
        "Schools should share attendance concerns with the local authority without delay.",
    ])
    db = tmp_path / "reviews.db"
    build(reviews_dir, db)
    recs = rows(db, "select id, wording, document_id from recommendations order by id")
    assert [r[:2] for r in recs] == [("child-v-2023-rec-1", "published"), ("child-v-2023-rec-2", "published")]
    assert all(r[2] == "child-v-2023/report.pdf" for r in recs)
    aliases = dict(rows(db, "select old_id, new_id from recommendation_aliases"))
    assert aliases == {"child-v-2023-rec-s1": "child-v-2023-rec-1", "child-v-2023-rec-s2": "child-v-2023-rec-2"}
    # the real action stays with the review even though its summary was retired
    assert rows(db, "select recommendation_id from agency_actions") == [(None,)]


def test_corrections_survive_rebuilds(reviews_dir, tmp_path):
    folder = reviews_dir / "child-v-2023"
    (folder / "corrections.yml").write_text(textwrap.dedent("""\
        recommendations:
          S1:
            text: Corrected summary for the police.
            agencies: [police, youth-justice]
          S2: drop
        add_recommendations:
          - number: "9"
            text: A recommendation the extractor missed, for schools.
            agencies: [education]
        learning_points:
          "2":
            themes: [escalation-and-challenge]
        add_learning_points:
          - text: A learning point the extractor missed.
            themes: [neglect]
        """))
    db = tmp_path / "reviews.db"
    for _ in range(2):  # the second build starts from the files again, not from the old DB
        build(reviews_dir, db)
    recs = dict(rows(db, "select number, text from recommendations"))
    assert recs == {"S1": "Corrected summary for the police.", "9": "A recommendation the extractor missed, for schools."}
    assert sorted(a for (a,) in rows(
        db, "select agency from recommendation_agencies where recommendation_id = 'child-v-2023-rec-s1'")) == [
        "police", "youth-justice"]
    assert rows(db, "select origin from recommendations where number = 'S1'") == [("corrected",)]
    assert rows(db, "select theme from learning_point_themes where learning_point_id = 'child-v-2023-lp-2'") == [
        ("escalation-and-challenge",)
    ]
    assert rows(db, "select count(*) from learning_points")[0][0] == 3


def test_correction_for_a_missing_number_is_a_warning_not_silence(reviews_dir, tmp_path):
    (reviews_dir / "child-v-2023" / "corrections.yml").write_text("recommendations:\n  '42': drop\n")
    report = build(reviews_dir, tmp_path / "reviews.db")
    assert any("42" in w and "matches nothing" in w for w in report.warnings)


def test_ids_are_stable_when_a_recommendation_is_added(reviews_dir, tmp_path):
    db = tmp_path / "reviews.db"
    build(reviews_dir, db)
    before = {r[0] for r in rows(db, "select id from recommendations")}
    yml = (reviews_dir / "child-v-2023" / "review.yml").read_text()
    yml = yml.replace("recommendations:\n", f"recommendations:\n  - number: S3\n    text: New summary.\n"
                      f"    wording: summary\n    source: {SRC}\n", 1)
    (reviews_dir / "child-v-2023" / "review.yml").write_text(yml)
    build(reviews_dir, db)
    after = {r[0] for r in rows(db, "select id from recommendations")}
    assert before < after and after - before == {"child-v-2023-rec-s3"}


def test_a_bad_document_stops_the_build_and_leaves_the_old_database(reviews_dir, tmp_path):
    db = tmp_path / "reviews.db"
    build(reviews_dir, db)
    old_bytes = db.read_bytes()
    (reviews_dir / "child-v-2023" / "report.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")  # truncated
    with pytest.raises(IngestError) as excinfo:
        build(reviews_dir, db)
    assert "report.pdf" in str(excinfo.value)
    assert db.read_bytes() == old_bytes
    assert rows(db, "select count(*) from reviews")[0][0] == 1
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".building")]


def test_keep_going_records_the_bad_document(reviews_dir, tmp_path):
    (reviews_dir / "child-v-2023" / "report.pdf").write_bytes(b"")
    db = tmp_path / "reviews.db"
    report = build(reviews_dir, db, keep_going=True)
    assert len(report.errors) == 1
    errors = rows(db, "select file, error from ingest_errors")
    assert len(errors) == 1 and errors[0][0].endswith("report.pdf") and errors[0][1]
    assert rows(db, "select count(*) from learning_points")[0][0] == 2


@pytest.mark.parametrize("broken, message", [
    ("title: [unclosed", "is not valid YAML"),
    (REVIEW_YML.replace("review_type: cspr", "review_type: inquiry"), "review_type must be one of"),
    (REVIEW_YML.replace("agencies: [police]", "agencies: [polce]"), "unknown slug(s): polce"),
    (REVIEW_YML.replace(f"    source: {SRC}\n", "", 1), "needs a source URL"),
    (REVIEW_YML.replace('published: "2023-02"', "published: February 2023"), "published must be"),
])
def test_invalid_review_yml_is_one_clear_line(tmp_path, broken, message):
    root = tmp_path / "reviews"
    make_review(root, review_yml=broken)
    with pytest.raises(InvalidSource) as excinfo:
        build(root, tmp_path / "reviews.db")
    assert message in str(excinfo.value) and "review.yml" in str(excinfo.value)
    assert not (tmp_path / "reviews.db").exists()


def test_cli_build_and_errors(reviews_dir, tmp_path):
    runner = CliRunner()
    db = tmp_path / "out" / "reviews.db"
    result = runner.invoke(cli, ["build", str(reviews_dir), str(db)])
    assert result.exit_code == 0, result.output
    assert "1 reviews, 1 documents, 2 recommendations, 2 learning points" in result.output
    (reviews_dir / "child-v-2023" / "bad.docx").write_bytes(b"PK\x03\x04 not really a zip")
    result = runner.invoke(cli, ["build", str(reviews_dir), str(db)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "bad.docx" in lines[0]
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["validate", str(reviews_dir)])
    assert result.exit_code == 0 and "1 reviews valid" in result.output


def test_a_repeated_action_id_is_one_clear_line(tmp_path):
    yml = REVIEW_YML.replace("  - recommendation: S1\n", "  - id: child-v-act-x\n    recommendation: S1\n")
    yml = yml + yml[yml.index("  - id: child-v-act-x"):]  # the same action, id and all, twice
    root = tmp_path / "reviews"
    make_review(root, review_yml=yml)
    with pytest.raises(InvalidSource) as excinfo:
        build(root, tmp_path / "reviews.db")
    assert "child-v-act-x is used more than once" in str(excinfo.value)


def test_the_built_database_is_readable_by_other_users(reviews_dir, tmp_path):
    db = tmp_path / "reviews.db"
    build(reviews_dir, db)
    assert db.stat().st_mode & 0o777 == 0o644
