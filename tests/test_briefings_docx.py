"""The DOCX: seven numbered cells in order, dated, linked to its sources, and one A4 page."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import date

import pytest
from docx import Document
from docx.shared import Cm

from briefings.content import SUMMARY_LABEL, TITLES, review_briefing, theme_briefing
from briefings.docx_writer import write_docx
from ingest.load import write_database
from tests.briefing_data import long_records

ON = date(2026, 3, 2)
BASE = "https://learning.example.org"


def _cells(doc):
    (table,) = doc.tables
    return [c for row in table.rows for c in row.cells]


@pytest.fixture
def child_t_docx(sample_db_path, tmp_path):
    with closing(sqlite3.connect(sample_db_path)) as conn:
        briefing = review_briefing(conn, "child-t-2022", ON)
    path = tmp_path / "child-t.docx"
    write_docx(briefing, path, BASE)
    return Document(str(path))


def test_docx_holds_the_seven_sections_in_order_as_a_grid(child_t_docx):
    cells = _cells(child_t_docx)
    assert len(cells) == 8
    headings = [c.paragraphs[0].text for c in cells[:7]]
    assert headings == [f"{n}  {title}" for n, title in TITLES.items()]
    assert cells[7].paragraphs[0].text == "Sources and use"
    assert "criminally exploited through county lines" in cells[0].paragraphs[2].text
    assert [p.text for p in cells[2].paragraphs[1:]] == [
        "Being out of education left Child T exposed to criminal exploitation by county lines groups.",
    ]
    assert cells[3].paragraphs[-1].text == "Professionals did not escalate their concerns when schools refused a place."
    assert cells[3].paragraphs[1].text.startswith("Recommendation 1: The partnership should seek assurance")
    assert "Audit of NRM referrals" in cells[4].paragraphs[1].text
    assert cells[6].paragraphs[-1].text.startswith("How will we know the learning is embedded")


def test_docx_is_dated_titled_and_links_its_sources(child_t_docx):
    texts = [p.text for p in child_t_docx.paragraphs]
    assert texts[0] == "7-minute briefing: Child T"
    assert texts[1].startswith("Prepared 2 March 2026")
    links = {h.text: h.address for p in _cells(child_t_docx)[7].paragraphs for h in p.hyperlinks}
    assert links == {
        "Published report": "https://example.org/northshire/reviews/child-t.pdf",
        "repository page": f"{BASE}/reviews/child-t-2022",
        "briefing page": f"{BASE}/briefings/review/child-t-2022",
    }
    assert "Northshire Safeguarding Children Partnership, March 2022" in _cells(child_t_docx)[7].paragraphs[1].text


def test_docx_page_and_style_match_the_front_end(child_t_docx):
    section = child_t_docx.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.left_margin <= Cm(2)
    normal = child_t_docx.styles["Normal"]
    assert normal.font.name == "Arial"
    number_run = _cells(child_t_docx)[0].paragraphs[0].runs[0]
    assert str(number_run.font.color.rgb) == "1D70B8" and number_run.bold


def test_docx_labels_a_summary_recommendation(sample_db_path, tmp_path):
    with closing(sqlite3.connect(sample_db_path)) as conn:
        write_docx(review_briefing(conn, "baby-q-2019", ON), tmp_path / "q.docx")
    doc = Document(str(tmp_path / "q.docx"))
    cells = _cells(doc)
    label_runs = [r for r in cells[3].paragraphs[1].runs if r.text == f"[{SUMMARY_LABEL}]"]
    assert label_runs and label_runs[0].italic
    assert "recommendations summarised" in cells[7].text
    assert "our summaries; the exact wording is in the published report" in cells[7].text
    # without a base URL the app's pages are named by path rather than linked to localhost
    assert "repository page /reviews/baby-q-2019" in cells[7].text


def _pdf_pages(docx_path, tmp_path) -> int:
    pypdfium2 = pytest.importorskip("pypdfium2")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
                   check=True, capture_output=True, timeout=120)
    pdf = pypdfium2.PdfDocument(str(docx_path.with_suffix(".pdf")))
    try:
        return len(pdf)
    finally:
        pdf.close()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: one-page rule not checked")
@pytest.mark.parametrize("kind, slug", [("review", "review-0"), ("theme", "neglect")])
def test_longest_briefing_fits_one_a4_page(tmp_path, kind, slug):
    """Reviews far longer than the word budgets: the worst case for the one-page rule."""
    db = write_database(tmp_path / "reviews.db", long_records(8))
    with closing(sqlite3.connect(db)) as conn:
        briefing = (review_briefing if kind == "review" else theme_briefing)(conn, slug, ON)
    out = tmp_path / f"{slug}.docx"
    write_docx(briefing, out, BASE)
    assert len(briefing.sources) == (1 if kind == "review" else 8)
    assert _pdf_pages(out, tmp_path) == 1


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: one-page rule not checked")
def test_page_count_check_sees_an_overlong_edit(sample_db_path, tmp_path):
    """Edited text is not cut, so the check must be able to see a second page."""
    with closing(sqlite3.connect(sample_db_path)) as conn:
        briefing = review_briefing(conn, "child-t-2022", ON)
    out = tmp_path / "long.docx"
    write_docx(briefing.with_texts({3: "\n".join(["A finding written at length by the team."] * 90)}), out)
    assert _pdf_pages(out, tmp_path) == 2
