"""Tables read from pdfium's drawing (ingest/readers/pdfium_tables.py) equal pdfplumber's reading of
the same pages, on tables drawn the ways report writers' tools draw them."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from ingest.readers import pdf as pdf_reader
from ingest.readers.pdfium_tables import page_tables
from ingest.readers.pdftables import PdfTable, find_tables, looks_ruled

CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=9, leading=11)
PLAN = [["Recommendation", "Action", "Lead agency", "Due"],
        ["1. Partners should review how neglect is escalated when a plan ends.",
         "Audit ten closed plans and report what was found.", "Children's social care", "March 2024"],
        ["", "Add an escalation step to the neglect toolkit.", "Safeguarding partnership", "June 2024"],
        ["2. Health visitors should ask who else lives in the home.",
         "Change the new-birth visit template to ask about every adult.", "Health", "April 2024"],
        ["", "Brief every team on the change, with a short film.", "Health", "May 2024"]]


def _platypus(path: Path, styles: list, spans: bool = False, rows=PLAN, repeat: int = 1) -> Path:
    data = [[Paragraph(c, CELL) for c in row] for row in rows] * repeat
    table = Table(data, colWidths=[170, 170, 100, 60], repeatRows=1)
    commands = list(styles)
    if spans:
        commands += [("SPAN", (0, 1), (0, 2)), ("SPAN", (0, 3), (0, 4))]
    table.setStyle(TableStyle(commands))
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph("Action plan", CELL), table])
    return path


def _canvas_cells(path: Path, in_form: bool = False) -> Path:
    """Each cell drawn as its own rectangle, optionally inside a reusable form (XObject)."""
    c = Canvas(str(path), pagesize=A4)
    if in_form:
        c.beginForm("grid")
    x0, top, widths, height = 60, 760, [150, 200, 120], 40
    for r, row in enumerate(PLAN[:4]):
        x = x0
        for w, text in zip(widths, row[:3]):
            c.rect(x, top - (r + 1) * height, w, height, stroke=1, fill=0)
            c.setFont("Helvetica", 7)
            c.drawString(x + 3, top - r * height - 12, text[:45])
            x += w
    if in_form:
        c.endForm()
        c.doForm("grid")
    c.showPage()
    c.save()
    return path


def _docx_pdf(tmp_path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Action plan")
    table = doc.add_table(rows=len(PLAN), cols=4)
    table.style = "Table Grid"
    for r, row in enumerate(PLAN):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(3, 0).merge(table.cell(4, 0))
    source = tmp_path / "plan.docx"
    doc.save(source)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    return tmp_path / "plan.pdf"


def _joined(rows: list[list[str]]) -> list[list[str]]:
    """pdfplumber's rows with a line-end hyphen joined, as ours are ("new- birth" -> "new-birth")."""
    return [[re.sub(r"(\w)- (?=[a-z])", r"\1-", cell) for cell in row] for row in rows]


def _compare(path: Path) -> int:
    """Ruled pages whose tables both readers agree on; fails on any disagreement."""
    pdf = pdfium.PdfDocument(str(path))
    mine, ruled = {}, []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            if looks_ruled(page):
                ruled.append(i + 1)
                mine[i + 1] = page_tables(page, textpage, i + 1, PdfTable)
            textpage.close()
            page.close()
    finally:
        pdf.close()
    theirs = find_tables(path, ruled)
    for number in ruled:
        assert mine[number] is not None, f"page {number} was left to pdfplumber"
        ours = [(t.rows, round(t.x0), round(t.x1), round(t.top), round(t.bottom)) for t in mine[number]]
        plumber = [(_joined(t.rows), round(t.x0), round(t.x1), round(t.top), round(t.bottom)) for t in theirs.get(number, [])]
        assert ours == plumber, f"page {number}"
    return len(ruled)


GRID = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
STYLES = {
    "grid": (GRID, False),
    "box and inner grid, merged plan column": ([("BOX", (0, 0), (-1, -1), 1.5, colors.black),
                                               ("INNERGRID", (0, 0), (-1, -1), 0.25, colors.grey)], True),
    "filled header and banded rows": (GRID + [("BACKGROUND", (0, 0), (-1, 0), colors.lightblue),
                                              ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.whitesmoke])],
                                      False),
    "rules under rows only (no table)": ([("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black)], False),
}


@pytest.mark.parametrize("name", list(STYLES))
def test_platypus_tables_read_as_pdfplumber_reads_them(tmp_path, name):
    styles, spans = STYLES[name]
    path = _platypus(tmp_path / "t.pdf", styles, spans)
    if "no table" in name:
        _compare(path)
        return
    assert _compare(path) >= 1
    tables = pdf_reader.read_pdf(path).blocks
    assert any("escalat" in (getattr(b, "text", "") or str(b)) for b in tables)


def test_a_table_over_several_pages_reads_the_same(tmp_path):
    assert _compare(_platypus(tmp_path / "long.pdf", GRID, repeat=12)) >= 2


@pytest.mark.parametrize("in_form", [False, True])
def test_cells_drawn_as_rectangles_read_the_same(tmp_path, in_form):
    assert _compare(_canvas_cells(tmp_path / "cells.pdf", in_form)) == 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_word_table_with_merged_cells_reads_the_same(tmp_path):
    assert _compare(_docx_pdf(tmp_path)) == 1


def test_a_rotated_page_is_left_to_pdfplumber(tmp_path):
    path = _platypus(tmp_path / "r.pdf", GRID)
    pdf = pdfium.PdfDocument(str(path))
    page = pdf[0]
    page.set_rotation(90)
    textpage = page.get_textpage()
    try:
        assert page_tables(page, textpage, 1, PdfTable) is None
    finally:
        textpage.close()
        page.close()
        pdf.close()
