"""Write a briefing as a one-page A4 Word document: seven numbered cells in a two-column grid.

Styled like the web front end (GOV.UK-like: Arial, black text, blue #1d70b8 accents) and built
from ordinary Word styles, tables and bullets, so a team can edit it in Word before delivering it.
"""
from __future__ import annotations

from pathlib import Path
from typing import IO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from briefings.content import SUMMARY_LABEL, Briefing, Section, Source, human_date
from core.text import strip_control

FONT = "Arial"
BLUE = RGBColor(0x1D, 0x70, 0xB8)
BLACK = RGBColor(0x0B, 0x0C, 0x0C)
BORDER = "B1B4B6"  # GOV.UK border grey
MARGIN = Cm(1.3)
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
               "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
               "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
               "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
               "w:pPrChange")
MAX_SOURCES = 5  # more would push a theme briefing onto a second page; the web page lists them all


def _styles(doc: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(9)
    normal.font.color.rgb = BLACK
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.line_spacing = 1.0
    small = doc.styles.add_style("Source", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    small.font.size = Pt(8)
    bullets = doc.styles["List Bullet"]
    bullets.paragraph_format.space_after = Pt(1)


def _page(doc: Document) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _border(element, tag: str, edges: dict[str, tuple[str, int]]) -> None:
    """Add <w:tag> borders (edge -> (hex colour, eighths of a point)) to a cell or paragraph."""
    props = element.get_or_add_tcPr() if tag == "w:tcBorders" else element.get_or_add_pPr()
    borders = OxmlElement(tag)
    for edge, (colour, size) in edges.items():
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "2")
        el.set(qn("w:color"), colour)
        borders.append(el)
    if tag == "w:tcBorders":
        props.append(borders)  # tcW (set first) is the only earlier child we use
    else:  # Word rejects a pPr whose children are out of schema order
        props.insert_element_before(borders, *_AFTER_PBDR)


def add_link(paragraph: Paragraph, url: str, text: str) -> None:
    """Append a real, clickable hyperlink (python-docx has no writer for them)."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1D70B8")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.extend([colour, underline])
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _item(cell: _Cell, text: str, bullet: bool) -> None:
    text = strip_control(text)  # stored text from before the input checks must not break the file
    p = cell.add_paragraph(style="List Bullet" if bullet else None)
    label = f"[{SUMMARY_LABEL}]"
    if label in text:  # keep the summary label visibly distinct from the review's wording
        before, after = text.split(label, 1)
        p.add_run(before)
        p.add_run(label).italic = True
        p.add_run(after)
    else:
        p.add_run(text)


def _heading(cell: _Cell, number: int | None, title: str) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(3)
    if number is not None:
        num = p.add_run(f"{number}  ")
        num.bold, num.font.size, num.font.color.rgb = True, Pt(13), BLUE
    head = p.add_run(title)
    head.bold, head.font.size = True, Pt(10.5)


def _section_cell(cell: _Cell, section: Section) -> None:
    _heading(cell, section.number, section.title)
    for line in section.items:
        _item(cell, line, bullet=len(section.items) > 1)


def _url(base_url: str | None, path: str) -> str | None:
    return base_url.rstrip("/") + path if base_url else None


def _source_line(cell: _Cell, source: Source, base_url: str | None) -> None:
    p = cell.add_paragraph(style="Source")
    p.add_run(f"{source.subject}: ").bold = True
    p.add_run(f"{source.publisher or 'publisher not recorded'}, {human_date(source.published)}. ")
    if source.report_url:
        add_link(p, source.report_url, "Published report")
        p.add_run(" · ")
    else:
        p.add_run("No published report link held · ")
    page = _url(base_url, source.path)
    if page:
        add_link(p, page, "repository page")
    else:
        p.add_run(f"repository page {source.path}")
    if source.has_summary_recommendations:
        p.add_run(" · recommendations summarised")


def _sources_cell(cell: _Cell, briefing: Briefing, base_url: str | None) -> None:
    _heading(cell, None, "Sources and use")
    for source in briefing.sources[:MAX_SOURCES]:
        _source_line(cell, source, base_url)
    extra = len(briefing.sources) - MAX_SOURCES
    page = _url(base_url, f"/briefings/{briefing.kind}/{briefing.slug}")
    if extra > 0:
        cell.add_paragraph(f"and {extra} more review{'s' if extra > 1 else ''}, listed on the briefing page.",
                           style="Source")
    rest = briefing.rest_note()
    if rest:  # said once, with the one place that has everything
        p = cell.add_paragraph(style="Source")
        p.add_run(strip_control(rest) + " Everything is on ")
        where = _url(base_url, briefing.rest_path)
        label = "the review's page" if briefing.kind == "review" else "the theme's page"
        if where:
            add_link(p, where, label)
        else:
            p.add_run(f"{label} ({briefing.rest_path})")
        p.add_run(".")
    note = cell.add_paragraph(style="Source")
    if any(s.has_summary_recommendations for s in briefing.sources):
        note.add_run(f"Recommendations marked [{SUMMARY_LABEL}] are our summaries; "
                     "the exact wording is in the published report. ").italic = True
    note.add_run("Sections 6 and 7 are practice prompts written by the repository team. "
                 "Deliver in about seven minutes, then discuss. Please log each use: ").italic = True
    if page:
        add_link(note, page, "briefing page")
    else:
        note.add_run(f"/briefings/{briefing.kind}/{briefing.slug}").italic = True
    note.add_run(".")


def _grid(doc: Document, briefing: Briefing, base_url: str | None) -> None:
    width = (Cm(21.0) - 2 * MARGIN) // 2
    table = doc.add_table(rows=4, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    cells = [c for row in table.rows for c in row.cells]
    for cell in cells:
        cell.width = width
        _border(cell._tc, "w:tcBorders", {
            "top": ("1D70B8", 18), "left": (BORDER, 4), "bottom": (BORDER, 4), "right": (BORDER, 4),
        })
    for cell, section in zip(cells, briefing.sections):
        _section_cell(cell, section)
    _sources_cell(cells[7], briefing, base_url)


def build_document(briefing: Briefing, base_url: str | None = None) -> Document:
    """The python-docx Document; base_url (e.g. https://learning.example.org) makes app links absolute."""
    doc = Document()
    _styles(doc)
    _page(doc)
    doc.core_properties.title = briefing.title
    doc.core_properties.subject = "7-minute briefing"
    title = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    run = title.add_run(briefing.title)
    run.bold, run.font.size = True, Pt(16)
    title.paragraph_format.space_after = Pt(2)
    dated = doc.add_paragraph()
    dated.add_run(f"Prepared {human_date(briefing.prepared_on.isoformat())}").bold = True
    dated.add_run(" · Safeguarding review learning repository · "
                  f"{'Review' if briefing.kind == 'review' else 'Theme'} briefing")
    dated.paragraph_format.space_after = Pt(6)
    _border(dated._p, "w:pBdr", {"bottom": ("1D70B8", 12)})
    _grid(doc, briefing, base_url)
    return doc


def write_docx(briefing: Briefing, out: str | Path | IO[bytes], base_url: str | None = None) -> None:
    """Save the briefing as DOCX to a path or a binary stream."""
    build_document(briefing, base_url).save(out)
