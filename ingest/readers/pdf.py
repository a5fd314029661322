"""PDF with a text layer: pypdfium2 for text and geometry, pdfplumber only for ruled tables.

Per page, pdfium's text rectangles give line fragments with boxes; fragments on one baseline
are merged into lines, running heads are dropped (layout.py), two-column pages are reordered
(columns.py), lines are grouped into paragraphs by spacing, labels and font, paragraphs split
by a page break are rejoined, and each paragraph is classified (blocks.py).
"""
from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.document import Block, Document
from ingest.errors import UnreadableDocument
from ingest.readers import limits
from ingest.readers.blocks import classify
from ingest.readers.columns import reading_order
from ingest.labels import is_toc_line, split_label
from ingest.readers.layout import strip_running
from ingest.readers.pdfium_tables import page_tables
from ingest.readers.pdftables import PdfTable, find_tables, looks_ruled
from ingest.readers.textnorm import clean, ends_sentence, join_all

PARSER_VERSION = f"{pdfium.PYPDFIUM_INFO} / {pdfium.PDFIUM_INFO}"


@dataclass
class Line:
    """One text line on a page (pdfium coordinates: y grows upwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int


@dataclass
class _Para:
    lines: list[Line] = field(default_factory=list)
    table: PdfTable | None = None

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def text(self) -> str:
        return join_all(ln.text for ln in self.lines)


def read_pdf(path: Path, on_page=None) -> Document:
    """`on_page(done, total)`, if given, is called after each page (the browser's progress page)."""
    pdf = _open(path)
    try:
        return _read(path, pdf, on_page)
    finally:
        pdf.close()


def _open(path: Path) -> pdfium.PdfDocument:
    _check_complete(path)
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise UnreadableDocument(path, "the PDF is encrypted (password protected); "
                                           "save an unprotected copy to read it") from None
        raise UnreadableDocument(path, f"the PDF is corrupt or unreadable ({exc})") from None


def check_pdf(path: Path) -> int:
    """The reader's own refusals (truncated, encrypted, corrupt, no pages, scanned) without reading
    every page's layout: stops at the first page with text. Returns the page count."""
    pdf = _open(path)
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise UnreadableDocument(path, "the PDF has no pages")
        _check_pages(path, n_pages)
        images = 0
        for i in range(n_pages):
            page = pdf[i]
            try:
                textpage = page.get_textpage()
                try:
                    if textpage.get_text_range().strip():
                        return n_pages
                finally:
                    textpage.close()
                images += _count_images(page)
            finally:
                page.close()
        if images:
            raise UnreadableDocument(path, SCANNED)
        raise UnreadableDocument(path, "the PDF has no extractable text")
    finally:
        pdf.close()


SCANNED = "the PDF has no text layer (it looks scanned); it needs OCR first"


def _check_complete(path: Path) -> None:
    """A PDF cut short (interrupted download) lacks the %%EOF marker at its end."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%%EOF" not in tail:
        raise UnreadableDocument(path, "the PDF is truncated or corrupt (no %%EOF end marker)")


def _check_pages(path: Path, n_pages: int) -> None:
    if n_pages > limits.MAX_PAGES:
        raise limits.too_much(path, f"the PDF has {n_pages:,} pages, over {limits.MAX_PAGES:,}")


def _read(path: Path, pdf: pdfium.PdfDocument, on_page=None) -> Document:
    n_pages = len(pdf)
    if n_pages == 0:
        raise UnreadableDocument(path, "the PDF has no pages")
    _check_pages(path, n_pages)
    budget = limits.Budget(path, "PDF")
    pages: list[list[Line]] = []
    sizes: list[tuple[float, float]] = []
    ruled: list[int] = []
    tables: dict[int, list[PdfTable]] = {}
    images = 0
    for i in range(n_pages):
        page = pdf[i]
        try:
            width, height = page.get_size()
            sizes.append((width, height))
            textpage = page.get_textpage()
            try:
                pages.append(_page_lines(textpage, i + 1))
                budget.add(sum(len(line.text) for line in pages[-1]))
                budget.check_time()
                if not pages[-1]:
                    images += _count_images(page)
                elif looks_ruled(page):
                    found = page_tables(page, textpage, i + 1, PdfTable)
                    if found is None:
                        ruled.append(i + 1)  # a page pdfium's tables do not handle: pdfplumber reads it
                    elif found:
                        tables[i + 1] = found
            finally:
                textpage.close()
        finally:
            page.close()
        if on_page:
            on_page(i + 1, n_pages)
    if not any(pages):
        if images:
            raise UnreadableDocument(path, SCANNED)
        raise UnreadableDocument(path, "the PDF has no extractable text")
    if ruled:
        tables.update(find_tables(path, ruled))
    pages = strip_running(pages, [h for _, h in sizes])
    paras = _paragraphs(pages, sizes, tables)
    body = _body_size(pages)
    blocks = _blocks(paras, body)
    meta = _metadata(pdf)
    meta["pages_without_text"] = [n for n, lines in enumerate(pages, 1) if not lines] or None
    if meta["pages_without_text"] is None:
        del meta["pages_without_text"]
    return Document(path=str(path), format="pdf", sha256="", pages=n_pages, parser="pypdfium2",
                    parser_version=PARSER_VERSION, blocks=blocks, metadata=meta)


def _page_lines(textpage, page_no: int) -> list[Line]:
    """Line fragments from pdfium's text rectangles, merged along shared baselines."""
    lines: list[Line] = []
    name_buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    for r in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(r)
        text = clean(textpage.get_text_bounded(left, bottom, right, top))
        if not text:
            continue
        idx = pdfium_c.FPDFText_GetCharIndexAtPos(textpage, left + 0.5, (top + bottom) / 2,
                                                  max(2.0, right - left), (top - bottom) / 2 + 1)
        size, bold = 0.0, False
        if idx >= 0:
            size = pdfium_c.FPDFText_GetFontSize(textpage, idx)
            pdfium_c.FPDFText_GetFontInfo(textpage, idx, name_buf, 128, ctypes.byref(flags))
            name = name_buf.value.decode("latin-1", "replace").lower()
            bold = "bold" in name or "black" in name or pdfium_c.FPDFText_GetFontWeight(textpage, idx) >= 600
        size = size or (top - bottom)
        prev = lines[-1] if lines else None
        if prev and _same_line(prev, text, left, bottom, top, size):
            prev.text = f"{prev.text} {text}"
            prev.x1, prev.top, prev.bottom = max(prev.x1, right), max(prev.top, top), min(prev.bottom, bottom)
            continue
        lines.append(Line(text, left, right, top, bottom, round(size, 1), bold, page_no))
    return lines


def _same_line(prev: Line, text: str, left: float, bottom: float, top: float, size: float) -> bool:
    """Is this fragment the continuation of ``prev`` on the same baseline?

    Fragments of one line sit about a space apart; a wider gap is a column gutter or a table
    cell, except after a hanging list label ("1.", "(b)") which is often tabbed far left.
    """
    height = max(top - bottom, prev.top - prev.bottom, 1.0)
    same_base = abs(prev.bottom - bottom) < 0.35 * height or abs(prev.top - top) < 0.35 * height
    gap = left - prev.x1
    if not same_base or gap < -2.0:
        return False
    if gap < 0.6 * max(size, prev.size):
        return True
    return gap < 72 and _BARE_LABEL.fullmatch(prev.text) is not None


_BARE_LABEL = re.compile(r"(?:\d{1,3}(?:\.\d{1,3})*\.?|\(?[a-zA-Z]\)|\(?[ivx]{1,5}[.)]|[a-zA-Z]\.|\([ivx]{1,5}\)|"
                         r"(?:Recommendation|Finding)\s+\d{1,3}(?:\.\d{1,3})*:?|[\u2022\u25aa\u25cf\u2013\-*])")


def _count_images(page) -> int:
    n = 0
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        if pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page, i)) in (
                pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
            n += 1
    return n


def _body_size(pages: list[list[Line]]) -> float:
    weights: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            weights[ln.size] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _pitch(pages: list[list[Line]]) -> float:
    """The usual top-to-top distance between consecutive lines of one paragraph."""
    steps = [round(a.top - b.top, 1) for lines in pages for a, b in zip(lines, lines[1:])
             if 0 < a.top - b.top < 3 * a.size and abs(a.size - b.size) < 0.5 and abs(a.x0 - b.x0) < 40]
    if not steps:
        return 0.0
    common = Counter(steps).most_common(1)[0][0]
    return common or median(steps)


def _paragraphs(pages: list[list[Line]], sizes: list[tuple[float, float]],
                tables: dict[int, list[PdfTable]]) -> list[_Para]:
    pitch = _pitch(pages)
    paras: list[_Para] = []
    for page_no, (lines, (width, _)) in enumerate(zip(pages, sizes), start=1):
        page_tables = sorted(tables.get(page_no, []), key=lambda t: -t.top)
        if page_tables:
            lines = [ln for ln in lines if not any(t.contains(ln.x0, ln.x1, ln.top, ln.bottom) for t in page_tables)]
        ordered, _ = reading_order(lines, width)
        right = max((ln.x1 for ln in ordered), default=width)
        left = min((ln.x0 for ln in ordered), default=0.0)
        current: _Para | None = None
        for ln in ordered:
            while page_tables and ln.top < page_tables[0].bottom:
                paras.append(_Para(table=page_tables.pop(0)))
                current = None
            if current is None or _starts_new(current.lines[-1], ln, pitch, left, right):
                current = _Para([ln])
                paras.append(current)
            else:
                current.lines.append(ln)
        paras.extend(_Para(table=t) for t in page_tables)
    return paras


def _starts_new(prev: Line, ln: Line, pitch: float, left: float, right: float) -> bool:
    """Does ``ln`` begin a new paragraph after ``prev`` on the same page?"""
    if split_label(ln.text)[2] or is_toc_line(ln.text) or is_toc_line(prev.text):
        return True
    if abs(prev.size - ln.size) > 0.6 or prev.bold != ln.bold:
        return True
    step = prev.top - ln.top
    if step <= 0 or (pitch and step > pitch * 1.3) or (not pitch and step > 2 * ln.size):
        return True  # moved up (a new column) or a paragraph gap
    width = right - left
    return ends_sentence(prev.text) and prev.x1 < right - 0.15 * width


def _blocks(paras: list[_Para], body: float) -> list[Block]:
    """Join paragraphs split by page or column breaks, then classify each one."""
    merged: list[_Para] = []
    for para in paras:
        prev = merged[-1] if merged else None
        if prev and _continues(prev, para, body):
            prev.lines.extend(para.lines)
        else:
            merged.append(para)
    blocks: list[Block] = []
    table_index = -1
    last_table: PdfTable | None = None
    header_row: list[str] | None = None
    for i, para in enumerate(merged):
        if para.table is not None:
            t = para.table
            rows = t.rows
            continued = (last_table is not None and i > 0 and merged[i - 1].table is last_table
                         and t.page == last_table.page + 1 and len(rows[0]) == len(last_table.rows[0]))
            if continued:
                if rows and rows[0] == header_row:
                    rows = rows[1:]  # header row repeated on the next page
            else:
                table_index += 1
                header_row = rows[0]
            for r, row in enumerate(rows):
                blocks.append(Block(text=" | ".join(c for c in row if c), kind="table_row", page=t.page,
                                    cells=row, table=table_index, header=(r == 0 and not continued)))
            last_table = t
            continue
        first = para.first
        styled = first.size >= body * 1.12 or (first.bold and body > 0)
        blocks.append(classify(para.text, page=first.page, may_be_heading=len(para.lines) == 1,
                               styled_heading=styled and len(para.lines) <= 2))
    return blocks


def _continues(prev: _Para, para: _Para, body: float) -> bool:
    """A paragraph cut by a page (or column) break: no final punctuation, same font, no label."""
    if prev.table is not None or para.table is not None:
        return False
    a, b = prev.lines[-1], para.first
    moved = b.page != a.page or b.top > a.top
    # a.text, not prev.text: the joined text ends with its last line, and rebuilding it on every
    # merge made long runs of merged paragraphs quadratic
    if not moved or ends_sentence(a.text) or is_toc_line(a.text):
        return False
    if split_label(b.text)[2] or abs(a.size - b.size) > 0.6 or a.bold != b.bold:
        return False
    heading_like = a.size >= body * 1.12 or a.bold or (len(prev.lines) == 1 and len(prev.text.split()) < 7)
    return not heading_like or b.text[:1].islower()


_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?")


def _metadata(pdf: pdfium.PdfDocument) -> dict:
    raw = pdf.get_metadata_dict(skip_empty=True)
    meta: dict = {}
    if raw.get("Title"):
        meta["title"] = clean(raw["Title"])
    if raw.get("Author"):
        meta["author"] = clean(raw["Author"])
    m = _PDF_DATE.match(raw.get("CreationDate", ""))
    if m:
        y, mo, d, hh, mm, ss = m.groups()
        meta["created"] = f"{y}-{mo or '01'}-{d or '01'}" + (f"T{hh}:{mm or '00'}:{ss or '00'}" if hh else "")
    return meta
