"""Generators of realistic review documents for tests and benchmarks.

Every generator writes a real file (PDF via reportlab, DOCX via python-docx, HTML, Markdown)
from texts the caller passes in, so a test can build a report holding the exact findings and
recommendations it then expects the readers or the extractor to find. Nothing here reads files.

Main entry points:

- ``make_report_pdf(path, findings=..., recommendations=..., pages=60, ...)``: a long published
  report with a cover page, contents page, running header and "Page n of N" footer, numbered
  findings, "Recommendation n:" items (one forced across a page break), a recommendations
  table, a two-column page and an action-plan table.
- ``make_scanned_pdf``: an image-only PDF (no text layer). ``make_report_pdf(..., encrypt=pw)``
  or ``make_encrypted_pdf`` for a password-protected PDF.
- ``DocxBuilder``: a DOCX with Word automatic numbering (multi-level, lettered, restarts,
  style-linked), headings, tables; ``make_review_docx`` is the one-call version.
- ``make_html``, ``make_markdown``: web page and own-words learning summary samples.
- ``write_zip_bomb``, ``write_garbage``, ``write_deep_html``, ``write_huge_line``: bad input.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

PAGE_W, PAGE_H = A4
MARGIN = 72.0
BODY_FONT, BOLD_FONT = "Helvetica", "Helvetica-Bold"
BODY_SIZE, LEADING = 11.0, 14.0

DEFAULT_FINDINGS = [
    "Professionals did not share information about missed school days with the police.",
    "The risk of criminal exploitation was seen as a choice the young person had made.",
    "Health visitors were not told when the family moved between local authority areas.",
]
DEFAULT_RECOMMENDATIONS = [
    "The partnership should make sure that schools report every child missing education "
    "to the local authority within five school days.",
    "Thames Valley Police and children's social care should agree a joint protocol for "
    "sharing intelligence about county lines exploitation.",
    "The integrated care board should assure the partnership that health visitors "
    "transfer records when a family moves between areas, and that the receiving team "
    "makes contact within two weeks of the move being known.",
]
FILLER = (
    "This section describes the practice of the agencies involved with the family during the "
    "period under review. It draws on chronologies, interviews with practitioners and the "
    "records held by each agency, and it considers what was known at the time."
)
_TOPICS = ("the school", "the GP practice", "children's social care", "the police", "the health visiting service",
           "the youth offending team", "the housing provider", "the hospital emergency department")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def filler(n: int) -> str:
    """The n-th background paragraph: varied wording, as real reports never repeat a paragraph."""
    topic, month = _TOPICS[n % len(_TOPICS)], _MONTHS[n % 12]
    return (f"In {month} {2018 + n % 4} {topic} recorded contact number {n + 1} with the family. "
            f"The review looked at what {topic} knew at that time, how the information was shared "
            f"with other agencies and whether the response matched the level of risk to the child. "
            + ("Practitioners described a busy period with high caseloads. " if n % 3 else "")
            + ("The records were brief and did not show who made the decisions." if n % 2 else
               "Managers were not asked to review the plan."))
ACTION_PLAN_HEADER = ["Recommendation", "Action", "Lead agency", "Target date", "Status"]


# --------------------------------------------------------------------------- PDF layout


class _Pager:
    """Lays text out line by line on pages, so tests control exactly where breaks fall."""

    def __init__(self, header: str | None, footer: bool, width: float = PAGE_W, height: float = PAGE_H):
        self.w, self.h = width, height
        self.header, self.footer = header, footer
        self.pages: list[list[Callable[[Canvas], None]]] = []
        self.decorated: list[bool] = []
        self.top = self.h - MARGIN
        self.bottom = MARGIN
        self.y = 0.0
        self.new_page()

    def new_page(self, decorated: bool = True) -> None:
        self.pages.append([])
        self.decorated.append(decorated)
        self.y = self.top

    def _ensure(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.new_page()

    def draw(self, op: Callable[[Canvas], None]) -> None:
        self.pages[-1].append(op)

    def string(self, x: float, text: str, font: str = BODY_FONT, size: float = BODY_SIZE) -> None:
        """One line of text at the current y (the caller moves y)."""
        y = self.y

        def op(c: Canvas) -> None:
            c.setFont(font, size)
            c.drawString(x, y, text)

        self.draw(op)

    def space(self, points: float) -> None:
        self.y -= points

    def heading(self, text: str, size: float = 14.0) -> None:
        self._ensure(size + 3 * LEADING)  # keep a heading with the first lines after it
        self.space(size * 0.6)
        self.y -= size
        self.string(MARGIN, text, BOLD_FONT, size)
        self.space(LEADING * 0.6)

    def paragraph(self, text: str, label: str | None = None, indent: float = 0.0,
                  font: str = BODY_FONT, lines_on_this_page: int | None = None) -> None:
        """A wrapped paragraph, optionally with a hanging list label.

        lines_on_this_page=n moves to the bottom of the page first so exactly n lines fit
        before the page break: how a test forces a paragraph across pages.
        """
        x = MARGIN + indent + (28.0 if label else 0.0)
        lines = simpleSplit(text, font, BODY_SIZE, self.w - MARGIN - x)
        if lines_on_this_page is not None:
            if self.y - self.bottom < lines_on_this_page * LEADING:
                self.new_page()
            self.y = self.bottom + lines_on_this_page * LEADING + 1.0
        else:
            self._ensure(min(len(lines), 2) * LEADING)
        for i, line in enumerate(lines):
            self._ensure(LEADING)
            self.y -= LEADING
            if i == 0 and label:
                self.string(MARGIN + indent, label, font)
            self.string(x, line, font)
        self.space(LEADING * 0.6)

    def table(self, rows: Sequence[Sequence[str]], col_widths: Sequence[float] | None = None) -> None:
        """A ruled table (platypus) that splits across pages, repeating its header row."""
        style = ParagraphStyle("cell", fontName=BODY_FONT, fontSize=9, leading=11)
        head = ParagraphStyle("head", parent=style, fontName=BOLD_FONT)
        data = [[Paragraph(_xml_escape(c), head if r == 0 else style) for c in row]
                for r, row in enumerate(rows)]
        avail = self.w - 2 * MARGIN
        widths = list(col_widths) if col_widths else [avail / len(rows[0])] * len(rows[0])
        pending: list[Table] = [Table(data, colWidths=widths, repeatRows=1)]
        for t in pending:
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        while pending:
            t = pending.pop(0)
            _, h = t.wrap(avail, self.y - self.bottom)
            if h <= self.y - self.bottom:
                y = self.y - h
                self.draw(lambda c, t=t, y=y: t.drawOn(c, MARGIN, y))
                self.y = y - LEADING
                continue
            parts = t.split(avail, self.y - self.bottom)
            if len(parts) < 2:
                self.new_page()
                pending.insert(0, t)
                continue
            first, rest = parts[0], parts[1:]
            _, h = first.wrap(avail, self.y - self.bottom)
            y = self.y - h
            self.draw(lambda c, t=first, y=y: t.drawOn(c, MARGIN, y))
            self.new_page()
            pending[:0] = rest

    def two_columns(self, left: Sequence[str], right: Sequence[str], interleave: bool = True) -> None:
        """Two columns of paragraphs on a fresh page.

        interleave=True draws the columns line by line across the page (left line, right line,
        ...), the content-stream order that makes naive text extraction mix the columns.
        """
        self.new_page()
        gutter = 24.0
        col_w = (self.w - 2 * MARGIN - gutter) / 2
        xs = (MARGIN, MARGIN + col_w + gutter)
        columns = []
        for paras in (left, right):
            lines: list[str | None] = []
            for p in paras:
                lines.extend(simpleSplit(p, BODY_FONT, BODY_SIZE, col_w))
                lines.append(None)  # paragraph gap
            columns.append(lines)
        order = ([(i, c) for i in range(max(map(len, columns))) for c in (0, 1)] if interleave
                 else [(i, c) for c in (0, 1) for i in range(len(columns[c]))])
        top = self.y
        for i, c in order:
            if i >= len(columns[c]) or columns[c][i] is None:
                continue
            self.y = top - (i + 1) * LEADING
            self.string(xs[c], columns[c][i])  # type: ignore[arg-type]
        self.y = top - (max(map(len, columns)) + 1) * LEADING

    def render(self, path: Path, title: str, author: str, encrypt: str | None) -> None:
        c = Canvas(str(path), pagesize=(self.w, self.h), encrypt=encrypt, invariant=1)
        c.setTitle(title)
        c.setAuthor(author)
        total = len(self.pages)
        for n, (ops, decorated) in enumerate(zip(self.pages, self.decorated), start=1):
            if decorated and self.header:
                c.setFont(BODY_FONT, 9)
                c.drawString(MARGIN, self.h - 40, self.header)
                c.line(MARGIN, self.h - 44, self.w - MARGIN, self.h - 44)
            if decorated and self.footer:
                c.setFont(BODY_FONT, 9)
                c.drawCentredString(self.w / 2, 36, f"Page {n} of {total}")
            for op in ops:
                op(c)
            c.showPage()
        c.save()


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class ReportPdf:
    """What make_report_pdf wrote, so tests can assert on pages without re-deriving them."""

    path: Path
    pages: int
    crossing_recommendation: int | None  # 1-based number of the one split across a page break
    crossing_page: int | None  # the page where that recommendation starts
    two_column_page: int | None
    header: str
    extra: dict = field(default_factory=dict)


def make_report_pdf(
    path: str | Path,
    *,
    title: str = "Child Safeguarding Practice Review: Child T",
    partnership: str = "Northshire Safeguarding Children Partnership",
    author: str = "Independent Reviewer",
    findings: Sequence[str] = DEFAULT_FINDINGS,
    recommendations: Sequence[str] = DEFAULT_RECOMMENDATIONS,
    pages: int = 12,
    cross_page_recommendation: int | None = 2,
    recommendations_table: bool = True,
    two_column: tuple[Sequence[str], Sequence[str]] | None = None,
    interleave_columns: bool = True,
    action_plan: Sequence[Sequence[str]] | None = None,
    header: str | None = None,
    footer: bool = True,
    encrypt: str | None = None,
    filler_text: Callable[[int], str] = filler,
) -> ReportPdf:
    """Write a published-report style PDF of about ``pages`` pages (never fewer than the content).

    Layout: cover page; contents page; "1. Introduction" and "2. Background" padded with filler
    paragraphs to reach ``pages``; "3. Findings" as "1." ... items; a two-column page when
    ``two_column`` is given; "4. Recommendations" as "Recommendation n:" items with the
    ``cross_page_recommendation``-th split across a page break; an optional recommendations
    table; an optional action-plan table (rows under ACTION_PLAN_HEADER). ``filler_text(n)`` gives
    the n-th padding paragraph (benchmarks vary it per report).
    """
    path = Path(path)
    header = header if header is not None else f"{title} | {partnership}"
    pg = _Pager(header, footer)
    pg.decorated[0] = False
    pg.y = PAGE_H - 250
    pg.string(MARGIN, title, BOLD_FONT, 22)
    pg.y -= 40
    pg.string(MARGIN, partnership, BODY_FONT, 14)
    pg.y -= 24
    pg.string(MARGIN, "Published March 2022", BODY_FONT, 12)
    pg.new_page()
    pg.heading("Contents", 16)
    for i, name in enumerate(["Introduction", "Background", "Findings", "Recommendations"], 1):
        pg.y -= LEADING
        pg.string(MARGIN, f"{i}. {name} " + "." * (70 - len(name)) + f" {i + 2}")
    pg.new_page()
    pg.heading("1. Introduction")
    pg.paragraph(f"This review was commissioned by {partnership} following a serious incident. "
                 "It considers how agencies worked together and what can be learned.")
    pg.heading("2. Background")
    # reserve room for the sections after the filler, so the total lands near `pages`
    tail_pages = 2 + (1 if two_column else 0) + (1 if recommendations_table else 0) + (
        1 + len(action_plan or []) // 12 if action_plan else 0)
    n = 0
    while len(pg.pages) < max(pages - tail_pages, 3):
        pg.paragraph(filler_text(n))
        n += 1
    pg.heading("3. Findings")
    for i, text in enumerate(findings, 1):
        pg.paragraph(text, label=f"{i}.")
    two_col_page = None
    if two_column:
        pg.two_columns(two_column[0], two_column[1], interleave_columns)
        two_col_page = len(pg.pages)
        pg.new_page()
    pg.heading("4. Recommendations")
    crossing_page = None
    for i, text in enumerate(recommendations, 1):
        crossing = i == cross_page_recommendation
        if crossing:
            pg.paragraph(f"Recommendation {i}: {text}", lines_on_this_page=1)
            crossing_page = len(pg.pages) - 1
        else:
            pg.paragraph(f"Recommendation {i}: {text}")
    if recommendations_table:
        pg.new_page()
        pg.heading("Table of recommendations")
        pg.table([["No.", "Recommendation", "Agencies"]]
                 + [[str(i), t, "Partnership"] for i, t in enumerate(recommendations, 1)],
                 [40, 330, PAGE_W - 2 * MARGIN - 370])
    if action_plan:
        pg.new_page()
        pg.heading("Appendix: Action plan")
        pg.table([ACTION_PLAN_HEADER] + [list(r) for r in action_plan],
                 [95, 150, 80, 60, PAGE_W - 2 * MARGIN - 385])
    while len(pg.pages) < pages:
        pg.new_page()
        pg.heading("Appendix: Glossary")
        pg.paragraph(filler_text(n))
        n += 1
    pg.render(path, title, author, encrypt)
    crossing = cross_page_recommendation if cross_page_recommendation and cross_page_recommendation <= len(recommendations) else None
    return ReportPdf(path, len(pg.pages), crossing, crossing_page if crossing else None,
                     two_col_page, header)


def make_encrypted_pdf(path: str | Path, password: str = "secret", **kwargs) -> Path:
    """A report PDF that needs a password to open."""
    return make_report_pdf(path, encrypt=password, pages=kwargs.pop("pages", 4), **kwargs).path


def make_scanned_pdf(path: str | Path, lines: Sequence[str] = DEFAULT_FINDINGS, pages: int = 2) -> Path:
    """An image-only PDF: each page is a picture of text, as a scanner produces."""
    from PIL import Image, ImageDraw

    path = Path(path)
    c = Canvas(str(path), pagesize=A4, invariant=1)
    for _ in range(pages):
        img = Image.new("L", (800, 1100), 255)
        draw = ImageDraw.Draw(img)
        for i, line in enumerate(lines):
            draw.text((60, 80 + 30 * i), line, fill=0)
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        buf.seek(0)
        c.drawImage(ImageReader(buf), 0, 0, PAGE_W, PAGE_H)
        c.showPage()
    c.save()
    return path


def make_simple_pdf(path: str | Path, pages: Sequence[Sequence[tuple[float, float, str]]],
                    font_size: float = BODY_SIZE) -> Path:
    """A PDF from exact (x, y, text) placements per page, for layout edge cases."""
    path = Path(path)
    c = Canvas(str(path), pagesize=A4, invariant=1)
    for placements in pages:
        c.setFont(BODY_FONT, font_size)
        for x, y, text in placements:
            c.drawString(x, y, text)
        c.showPage()
    c.save()
    return path


# --------------------------------------------------------------------------- DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


@dataclass
class Level:
    """One level of a Word list: numFmt (decimal, lowerLetter, upperLetter, lowerRoman,
    upperRoman, bullet), lvlText ("%1.", "%1.%2", "(%2)") and start value."""

    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


MULTILEVEL_DOTTED = (Level("decimal", "%1."), Level("decimal", "%1.%2"), Level("lowerRoman", "%3."))
MULTILEVEL_LETTERED = (Level("decimal", "%1."), Level("lowerLetter", "(%2)"), Level("lowerRoman", "%3)"))


class DocxBuilder:
    """Build a DOCX whose list numbers exist only as Word numbering definitions.

    ``numbered(text, level, list_id)`` adds a paragraph carrying numPr (numId, ilvl) and no
    typed label, exactly like Word's automatic numbering; ``new_list(levels)`` writes an
    abstractNum + num into numbering.xml; ``restart(list_id)`` makes a num with startOverride.
    """

    def __init__(self, *, title: str = "Rapid review: Child K", author: str = "Reviewer",
                 created=None):
        import datetime

        import docx

        self.doc = docx.Document()
        cp = self.doc.core_properties
        cp.title, cp.author = title, author
        cp.created = created or datetime.datetime(2022, 3, 1, 9, 30)
        self._numbering = self.doc.part.numbering_part.element
        self._abstract_of: dict[int, int] = {}

    def _next_id(self, tag: str, attr: str) -> int:
        ids = [int(e.get(_w(attr))) for e in self._numbering.iter(_w(tag))]
        return max(ids, default=0) + 1

    def new_list(self, levels: Sequence[Level] = MULTILEVEL_LETTERED) -> int:
        """Add a multi-level list definition; return its numId."""
        from lxml import etree

        abs_id = self._next_id("abstractNum", "abstractNumId")
        absnum = etree.Element(_w("abstractNum"), {_w("abstractNumId"): str(abs_id)})
        etree.SubElement(absnum, _w("multiLevelType"), {_w("val"): "multilevel"})
        for ilvl, lv in enumerate(levels):
            lvl = etree.SubElement(absnum, _w("lvl"), {_w("ilvl"): str(ilvl)})
            etree.SubElement(lvl, _w("start"), {_w("val"): str(lv.start)})
            etree.SubElement(lvl, _w("numFmt"), {_w("val"): lv.fmt})
            etree.SubElement(lvl, _w("lvlText"), {_w("val"): "\u2022" if lv.fmt == "bullet" else lv.text})
        # abstractNums must precede nums in numbering.xml
        first_num = self._numbering.find(_w("num"))
        if first_num is not None:
            first_num.addprevious(absnum)
        else:
            self._numbering.append(absnum)
        return self._add_num(abs_id)

    def _add_num(self, abs_id: int, start_override: dict[int, int] | None = None) -> int:
        from lxml import etree

        num_id = self._next_id("num", "numId")
        num = etree.SubElement(self._numbering, _w("num"), {_w("numId"): str(num_id)})
        etree.SubElement(num, _w("abstractNumId"), {_w("val"): str(abs_id)})
        for ilvl, start in (start_override or {}).items():
            ov = etree.SubElement(num, _w("lvlOverride"), {_w("ilvl"): str(ilvl)})
            etree.SubElement(ov, _w("startOverride"), {_w("val"): str(start)})
        self._abstract_of[num_id] = abs_id
        return num_id

    def restart(self, list_id: int, start: int = 1) -> int:
        """A new numId on the same definition whose top level restarts at ``start``."""
        return self._add_num(self._abstract_of[list_id], {0: start})

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(text, level)

    def paragraph(self, text: str, style: str | None = None, link: str | None = None) -> None:
        p = self.doc.add_paragraph(text, style=style)
        if link:
            _add_hyperlink(p, link, link)

    def numbered(self, text: str, level: int = 0, list_id: int | None = None) -> None:
        """A list paragraph numbered by Word (list_id from new_list, default: a fresh list)."""
        from lxml import etree

        if list_id is None:
            list_id = self.new_list()
        p = self.doc.add_paragraph(text, style="List Paragraph")
        ppr = p._p.get_or_add_pPr()
        numpr = etree.SubElement(ppr, _w("numPr"))
        etree.SubElement(numpr, _w("ilvl"), {_w("val"): str(level)})
        etree.SubElement(numpr, _w("numId"), {_w("val"): str(list_id)})

    def style_numbered(self, text: str, style: str = "List Number") -> None:
        """A paragraph numbered through its style (style-linked numbering, no numPr of its own)."""
        self.doc.add_paragraph(text, style=style)

    def bullet(self, text: str) -> None:
        self.doc.add_paragraph(text, style="List Bullet")

    def table(self, rows: Sequence[Sequence[str]]) -> None:
        t = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                t.cell(r, c).text = text

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        self.doc.save(str(path))
        return path


def _add_hyperlink(paragraph, url: str, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    h = etree.SubElement(paragraph._p, _w("hyperlink"),
                         {"{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id": r_id})
    run = etree.SubElement(h, _w("r"))
    t = etree.SubElement(run, _w("t"))
    t.text = text


def make_review_docx(
    path: str | Path,
    *,
    title: str = "Rapid review: Child K",
    author: str = "Reviewer",
    findings: Sequence[str] = DEFAULT_FINDINGS,
    recommendations: Sequence[str | tuple[str, Sequence[str]]] = (
        (DEFAULT_RECOMMENDATIONS[0], ("Schools should record every absence.", "The local authority should chase within a day.")),
        DEFAULT_RECOMMENDATIONS[1],
    ),
    levels: Sequence[Level] = MULTILEVEL_LETTERED,
    recommendations_start: int = 1,
    action_plan: Sequence[Sequence[str]] | None = None,
) -> Path:
    """A DOCX review: Heading 1 sections, findings and recommendations as Word-numbered lists.

    A recommendation given as (text, [sub, ...]) gets level-1 sub-items, which read "(a)", "(b)"
    with MULTILEVEL_LETTERED or "1.1", "1.2" with MULTILEVEL_DOTTED. The recommendations list
    restarts at ``recommendations_start`` on the same definition as the findings list.
    """
    b = DocxBuilder(title=title, author=author)
    b.heading(title, 0)
    b.heading("Findings", 1)
    findings_list = b.new_list(levels)
    for text in findings:
        b.numbered(text, 0, findings_list)
    b.heading("Recommendations", 1)
    recs = b.restart(findings_list, recommendations_start)
    for rec in recommendations:
        text, subs = (rec, ()) if isinstance(rec, str) else rec
        b.numbered(text, 0, recs)
        for sub in subs:
            b.numbered(sub, 1, recs)
    if action_plan:
        b.heading("Action plan", 1)
        b.table([ACTION_PLAN_HEADER] + [list(r) for r in action_plan])
    return b.save(path)


# --------------------------------------------------------------------------- HTML / Markdown


def make_html(path: str | Path, *, title: str = "Learning from Child T",
              findings: Sequence[str] = DEFAULT_FINDINGS,
              recommendations: Sequence[str] = DEFAULT_RECOMMENDATIONS,
              recommendations_start: int = 1,
              table_rows: Sequence[Sequence[str]] | None = None,
              source_url: str = "https://example.org/child-t") -> Path:
    """A web page with nav/header/footer/script clutter around the review content."""
    from html import escape

    path = Path(path)
    rows = table_rows or [ACTION_PLAN_HEADER, ["1", "Audit attendance", "Education", "2023-01", "Completed"]]
    parts = [
        "<!DOCTYPE html><html><head><title>", escape(title), "</title>",
        "<style>body{font-family:sans-serif}</style><script>var x = 'not content';</script></head><body>",
        "<header>Site header</header><nav><a href='/'>Home</a> | <a href='/about'>About</a></nav><main>",
        f"<h1>{escape(title)}</h1>",
        f"<p>Read the <a href=\"{escape(source_url)}\">full report</a> on the partnership website.</p>",
        "<h2>Findings</h2><ol>", *[f"<li>{escape(t)}</li>" for t in findings], "</ol>",
        f"<h2>Recommendations</h2><ol start=\"{recommendations_start}\">",
        *[f"<li>{escape(t)}</li>" for t in recommendations], "</ol>",
        "<h2>Action plan</h2><table><thead><tr>",
        *[f"<th>{escape(c)}</th>" for c in rows[0]], "</tr></thead><tbody>",
        *["<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:]],
        "</tbody></table></main><footer>Copyright footer</footer></body></html>",
    ]
    path.write_text("".join(parts), encoding="utf-8")
    return path


def make_markdown(path: str | Path, *, title: str = "Child T",
                  background: str = "Child T was fourteen when the review began.",
                  findings: Sequence[tuple[str, str]] = tuple(
                      (t, f"https://example.org/child-t#p{i}") for i, t in enumerate(DEFAULT_FINDINGS, 1)),
                  recommendations: Sequence[str] = (),
                  table_rows: Sequence[Sequence[str]] | None = None) -> Path:
    """An own-words learning summary in the bundled format: each finding ends ([source](url))."""
    path = Path(path)
    lines = [f"# Learning summary: {title}", "", "## Background", background, "", "## Findings"]
    lines += [f"{i}. {text} ([source]({url}))" for i, (text, url) in enumerate(findings, 1)]
    if recommendations:
        lines += ["", "## Recommendations"] + [f"{i}. {t}" for i, t in enumerate(recommendations, 1)]
    if table_rows:
        lines += ["", "## Action plan", "", "| " + " | ".join(table_rows[0]) + " |",
                  "|" + "---|" * len(table_rows[0])]
        lines += ["| " + " | ".join(r) + " |" for r in table_rows[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- bad input


def write_zip_bomb(path: str | Path, uncompressed_mb: int = 200) -> Path:
    """A DOCX-looking zip whose document.xml inflates from a few KB to ``uncompressed_mb`` MB."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(uncompressed_mb):
                f.write(chunk)
    return path


def write_garbage(path: str | Path, size: int = 4096, seed: int = 7) -> Path:
    """Random binary bytes (deterministic), e.g. to name .txt or .md."""
    import random

    path = Path(path)
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def write_deep_html(path: str | Path, depth: int = 100_000) -> Path:
    """HTML nested ``depth`` divs deep around one paragraph."""
    path = Path(path)
    path.write_text("<html><body>" + "<div>" * depth + "<p>deep</p>" + "</div>" * depth + "</body></html>")
    return path


def write_huge_line(path: str | Path, chars: int = 5_000_000) -> Path:
    """A text file that is one enormous line."""
    path = Path(path)
    path.write_text("word " * (chars // 5))
    return path


def truncate_copy(src: str | Path, dst: str | Path, keep: float = 0.5) -> Path:
    """Copy the first ``keep`` fraction of a file, as an interrupted download leaves it."""
    data = Path(src).read_bytes()
    dst = Path(dst)
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


__all__ = [
    "ACTION_PLAN_HEADER", "DEFAULT_FINDINGS", "FILLER", "filler", "DEFAULT_RECOMMENDATIONS", "DocxBuilder", "Level",
    "MULTILEVEL_DOTTED", "MULTILEVEL_LETTERED", "ReportPdf", "make_encrypted_pdf", "make_html",
    "make_markdown", "make_report_pdf", "make_review_docx", "make_scanned_pdf", "make_simple_pdf",
    "truncate_copy", "write_deep_html", "write_garbage", "write_huge_line", "write_zip_bomb",
]
