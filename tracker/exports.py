"""The board's papers from Dashboard.tables(): a Word report, an Excel workbook, one CSV a table.

Every cell goes through core.text.export_cell: control characters stored before the input check
existed are dropped (XLSX and DOCX cannot hold them), and cells that start with = + - @ are
prefixed with an apostrophe so a spreadsheet never runs text a user typed as a formula.

The Word report is A4: portrait for the summary, landscape for the wide tables; columns get the
widths their Column says; header rows repeat on every page; dates read "3 December 2026".
The workbook has a named sheet per table, typed dates, column widths and a frozen header row.
"""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.text import export_cell as _safe, strip_control
from tracker import labels
from tracker.dashboard import Dashboard, Table

A4 = (Mm(210), Mm(297))
MARGIN = Mm(18)
REPORT_TITLE = "Recommendations from safeguarding practice reviews: progress report"
SUMMARY_KEYS = ("by_status", "by_review", "by_agency", "overdue", "due_soon")
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


# ---- CSV: one table a file ------------------------------------------------------------------

def _csv_value(value: object, kind: str) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()  # machines read CSV: ISO dates sort and parse
    return _safe(value)


def table_csv(table: Table) -> str:
    """One table: a header row, then its rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_value(v, c.kind) for v, c in zip(row, table.columns)])
    return out.getvalue()


def to_csv_zip(dashboard: Dashboard) -> bytes:
    """Every table as its own CSV file (`by_review.csv`, ...) in one zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in dashboard.tables():
            archive.writestr(f"{table.key}.csv", table_csv(table))
    return out.getvalue()


# ---- XLSX ---------------------------------------------------------------------------------

def sheet_name(table: Table) -> str:
    """A worksheet name for a table: Excel allows 31 characters and no []:*?/\\."""
    return (table.sheet or table.title).translate(_SHEET_FORBIDDEN).strip()[:31]


def _xlsx_value(value: object, kind: str) -> object:
    if isinstance(value, datetime):
        return value.astimezone(labels.LOCAL_TIME).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return value
    if kind == "percent" and isinstance(value, (int, float)):
        return value / 100
    return _safe(value)


_XLSX_FORMATS = {"date": "d mmmm yyyy", "when": "d mmmm yyyy, hh:mm", "percent": "0%"}


def to_xlsx(dashboard: Dashboard) -> bytes:
    """One named worksheet per table, header row frozen, typed dates and fitted column widths."""
    book = Workbook()
    book.remove(book.active)
    for table in dashboard.tables():
        sheet = book.create_sheet(sheet_name(table))
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_xlsx_value(v, c.kind) for v, c in zip(row, table.columns)])
        for i, column in enumerate(table.columns, 1):
            letter = get_column_letter(i)
            texts = [column.header] + [r[i - 1] for r in table.text_rows()]
            sheet.column_dimensions[letter].width = min(60, max(10, max(len(t) for t in texts) + 2))
            for cell in sheet[letter][1:]:
                if column.kind in _XLSX_FORMATS:
                    cell.number_format = _XLSX_FORMATS[column.kind]
                cell.alignment = Alignment(wrap_text=column.kind == "text", vertical="top")
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---- DOCX ---------------------------------------------------------------------------------

def _page(section, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN


def _row_flag(row, flag: str) -> None:
    """w:tblHeader (repeat the row on every page) or w:cantSplit (keep a row on one page)."""
    element = OxmlElement(flag)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _cell(cell, text: str, width, bold: bool = False, right: bool = False) -> None:
    cell.width = width
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(strip_control(text))
    run.bold = bold
    run.font.size = Pt(9)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _add_table(doc, table: Table, usable_width) -> None:
    doc.add_heading(table.title, level=1)
    if table.intro:
        doc.add_paragraph(table.intro)
    if not table.rows:
        doc.add_paragraph("None.")
        return
    share = sum(c.width for c in table.columns)
    widths = [int(usable_width * c.width / share) for c in table.columns]
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    for column, width in zip(grid.columns, widths):
        column.width = width
    for cell, col, width in zip(grid.rows[0].cells, table.columns, widths):
        _cell(cell, col.header, width, bold=True, right=col.kind in ("number", "percent"))
    _row_flag(grid.rows[0], "w:tblHeader")
    for row in table.text_rows():
        added = grid.add_row()
        _row_flag(added, "w:cantSplit")
        cells = added.cells
        for cell, text, col, width in zip(cells, row, table.columns, widths):
            _cell(cell, text, width, right=col.kind in ("number", "percent"))


def to_docx(dashboard: Dashboard) -> bytes:
    """The board paper: title and summary in words, the summary tables, then the detail."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10)
    section = doc.sections[0]
    _page(section, landscape=False)
    doc.add_heading(REPORT_TITLE, level=0)
    doc.add_paragraph(f"Position at {labels.day(dashboard.today)}.")
    for sentence in dashboard.summary_sentences():
        doc.add_paragraph(sentence)
    landscape = False
    for table in dashboard.tables():
        if table.landscape != landscape:
            section = doc.add_section(WD_SECTION.NEW_PAGE)
            _page(section, table.landscape)
            landscape = table.landscape
        usable = section.page_width - section.left_margin - section.right_margin
        _add_table(doc, table, usable)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
