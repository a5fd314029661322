"""CSV, XLSX and DOCX versions of the dashboard, all rendered from Dashboard.tables().

Every cell goes through core.text.export_cell: control characters stored before the input check
existed are dropped (XLSX and DOCX cannot hold them), and cells that start with = + - @ are
prefixed with an apostrophe so a spreadsheet never runs text a user typed as a formula.
"""
from __future__ import annotations

import csv
import io

from docx import Document
from openpyxl import Workbook

from core.text import export_cell as _safe, strip_control
from tracker.dashboard import Dashboard


def to_csv(dashboard: Dashboard) -> str:
    """Sections one after another: title row, header row, data rows, blank row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for table in dashboard.tables():
        writer.writerow([table.title])
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow([_safe(v) for v in row])
        writer.writerow([])
    return out.getvalue()


def to_xlsx(dashboard: Dashboard) -> bytes:
    """One worksheet per section, named by its key (Excel allows 31 characters)."""
    book = Workbook()
    book.remove(book.active)
    for table in dashboard.tables():
        sheet = book.create_sheet(table.key[:31])
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append([_safe(v) for v in row])
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_docx(dashboard: Dashboard) -> bytes:
    """A progress report for the board papers: a heading and a table per section."""
    doc = Document()
    doc.add_heading("Recommendation tracker: progress report", level=0)
    doc.add_paragraph(f"Position at {dashboard.today.strftime('%-d %B %Y')}.")
    for table in dashboard.tables():
        doc.add_heading(table.title, level=1)
        if not table.rows:
            doc.add_paragraph("None.")
            continue
        grid = doc.add_table(rows=1, cols=len(table.headers))
        grid.style = "Table Grid"
        for cell, header in zip(grid.rows[0].cells, table.headers):
            cell.text = strip_control(str(header))
        for row in table.rows:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row):
                cell.text = "" if value is None else strip_control(str(value))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
