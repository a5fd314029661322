"""Ruled tables on a PDF page from pdfium's own drawing and text, with pdfplumber's table rules.

pdfplumber finds ruled tables well, but it first interprets the whole page again in Python
(pdfminer), which made table pages about half of a build's extraction time. pdfium has already
parsed the page: here its path segments become the edges pdfplumber's lattice finder expects
(the same snapping, joining, intersections, cells and tables, from `pdfplumber.table`), and each
cell's text is pdfium's text inside the cell. Pages this does not handle (rotated pages) return
None and are read by pdfplumber as before; `tests/test_pdf_tables.py` checks both give the same
rows on tables drawn the ways report writers' tools draw them. One difference is on purpose: a
word hyphenated at the end of a cell's line is joined ("new-birth"), where pdfplumber leaves a
space ("new- birth").
"""
from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c

from ingest.readers.textnorm import clean

LINE_END_HYPHEN = "\x02"  # pdfium's bounded text marks a hyphen that ends a line with this
FLAT = 1e-6  # a segment this close to level or plumb counts as horizontal or vertical
MAX_SEGMENTS = 200_000  # a page drawing more than this is not a table page: leave it to pdfplumber
MAX_OBJECTS = 100_000  # objects looked at per page


class _Unsupported(Exception):
    pass


def _multiply(m: tuple, n: tuple) -> tuple:
    """The matrix applying m, then n (PDF row-vector convention: p' = p x m x n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _matrix(obj) -> tuple:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _points(obj, matrix: tuple) -> list[list[tuple[float, float]]]:
    """A path object's subpaths as point lists in page space (a closed subpath ends at its start)."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not segment or not pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        else:
            subpaths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and subpaths[-1][0] != point:
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def page_objects(page, limit: int):
    """(object, matrix to page space) for every object on the page, inside forms too; stops
    after `limit` objects (forms nest, and a hostile file can nest them deeply)."""
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    pending = [(pdfium_c.FPDFPage_GetObject(page, i), identity)
               for i in reversed(range(pdfium_c.FPDFPage_CountObjects(page)))]
    seen = 0
    while pending and seen < limit:
        obj, outer = pending.pop()
        seen += 1
        yield obj, outer
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            inner = _multiply(_matrix(obj), outer)
            pending.extend((pdfium_c.FPDFFormObj_GetObject(obj, i), inner)
                           for i in reversed(range(pdfium_c.FPDFFormObj_CountObjects(obj))))


def _edges(page, height: float) -> list[dict]:
    """Every level or plumb segment the page draws, as pdfplumber edges (top-down coordinates)."""
    subpaths: list[list[tuple[float, float]]] = []
    budget = MAX_SEGMENTS
    for obj, outer in page_objects(page, MAX_OBJECTS):
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_PATH:
            budget -= max(pdfium_c.FPDFPath_CountSegments(obj), 0)
            if budget < 0:
                raise _Unsupported("too many path segments")
            subpaths.extend(_points(obj, _multiply(_matrix(obj), outer)))
    edges = []
    for points in subpaths:
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            if abs(x0 - x1) <= FLAT:
                orientation = "v"
            elif abs(y0 - y1) <= FLAT:
                orientation = "h"
            else:
                continue
            top, bottom = height - max(y0, y1), height - min(y0, y1)
            edges.append({"object_type": "curve_edge", "orientation": orientation,
                          "x0": min(x0, x1), "x1": max(x0, x1), "top": top, "bottom": bottom, "doctop": top,
                          "width": abs(x1 - x0), "height": bottom - top})
    return edges


class _Page:
    """What pdfplumber's TableFinder reads from a page, for the lines strategy."""

    def __init__(self, edges: list[dict], width: float, height: float):
        self.edges = edges
        self.bbox = (0.0, 0.0, width, height)


def _cell_text(textpage, cell, height: float) -> str:
    if cell is None:
        return ""
    x0, top, x1, bottom = cell
    text = textpage.get_text_bounded(left=x0, bottom=height - bottom, right=x1, top=height - top)
    return clean(text.replace(LINE_END_HYPHEN, "-"))  # kept, as textnorm.join_lines keeps it


def page_tables(page, textpage, number: int, make_table) -> list | None:
    """Tables with at least two rows and two columns on one open page, made by
    `make_table(page, x0, x1, top, bottom, rows)` in pdfium coordinates; None when this page
    should go to pdfplumber instead."""
    if pdfium_c.FPDFPage_GetRotation(page):
        return None
    width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
    try:
        edges = _edges(page, height)
    except _Unsupported:
        return None
    from pdfplumber.table import TableFinder  # its lattice rules only: no page is parsed by it here

    found = []
    for table in TableFinder(_Page(edges, width, height)).tables:
        rows = [[_cell_text(textpage, cell, height) for cell in row.cells] for row in table.rows]
        rows = [r for r in rows if any(r)]
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        x0, top, x1, bottom = table.bbox
        found.append(make_table(number, float(x0), float(x1), height - float(top), height - float(bottom), rows))
    return found
