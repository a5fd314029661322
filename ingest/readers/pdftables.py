"""Tables on PDF pages, via pdfplumber, only on pages that look ruled.

pdfplumber finds table cells well but is roughly a hundred times slower than pdfium, so a
page is only handed to it when pdfium shows enough drawn line segments to make a grid.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2.raw as pdfium_c

from ingest.readers.pdfium_tables import MAX_OBJECTS, page_objects
from ingest.readers.textnorm import clean

MIN_GRID_SEGMENTS = 12  # a 2x2 ruled grid draws at least 6 lines = 12 path segments


@dataclass
class PdfTable:
    """A table found on a page, in pdfium coordinates (y grows upwards)."""

    page: int  # 1-based
    x0: float
    x1: float
    top: float
    bottom: float
    rows: list[list[str]]

    def contains(self, x0: float, x1: float, top: float, bottom: float) -> bool:
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        return self.x0 - 1 <= cx <= self.x1 + 1 and self.bottom - 1 <= cy <= self.top + 1


def looks_ruled(page) -> bool:
    """Cheap test on a pypdfium2 page: does it draw enough path segments to hold a grid? (Paths
    inside forms count: some tools draw a whole page, tables and all, as one form.)"""
    segments = 0
    for obj, _ in page_objects(page, MAX_OBJECTS):
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_PATH:
            segments += max(pdfium_c.FPDFPath_CountSegments(obj), 0)
            if segments >= MIN_GRID_SEGMENTS:
                return True
    return False


def find_tables(path: Path, pages: Iterable[int]) -> dict[int, list[PdfTable]]:
    """Tables with at least two rows and two columns on the given 1-based pages."""
    import pdfplumber

    pages = sorted(set(pages))
    found: dict[int, list[PdfTable]] = {}
    if not pages:
        return found
    # Open the file ourselves: pdfplumber leaves a file it opened unclosed when pdfminer fails
    # on a corrupt page (found by fuzzing; a ResourceWarning and a leaked descriptor per file).
    with open(path, "rb") as fh, pdfplumber.open(fh, pages=pages) as pdf:
        for number, page in zip(pages, pdf.pages):
            height = float(page.height)
            for table in page.find_tables():
                rows = [[clean(c or "") for c in row] for row in table.extract()]
                rows = [r for r in rows if any(r)]
                if len(rows) < 2 or max(len(r) for r in rows) < 2:
                    continue
                x0, top, x1, bottom = table.bbox
                found.setdefault(number, []).append(
                    PdfTable(number, float(x0), float(x1), height - float(top), height - float(bottom), rows))
            page.close()
    return found
