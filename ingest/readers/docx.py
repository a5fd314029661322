"""DOCX via python-docx: paragraphs and tables in document order, Word list numbers rebuilt.

The zip is checked before python-docx opens it, since a DOCX is a zip and a hostile one can
declare a few KB that inflate to gigabytes. Past the zip-bomb checks, the work is bounded by what a
real report can hold: each XML part's size, element and paragraph counts are measured while the
part is inflated (before anything is parsed), and the walk stops at a text size and a time limit.
A long serious case review has a few thousand paragraphs and well under a million characters.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from importlib.metadata import version
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE

from ingest.document import Block, Document
from ingest.errors import UnreadableDocument
from ingest.readers import limits
from ingest.readers.blocks import classify
from ingest.readers.docx_numbering import W, Numbering
from ingest.readers.textnorm import clean

MAX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 5000
_PARAGRAPH_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?p[\s>/]")  # <w:p>, <w:p w:rsidR=...>, <a:p/>
_TAG_SPAN = 64  # longer than any _PARAGRAPH_TAG match
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre)\s*(\d)$", re.IGNORECASE)


def check_zip(path: Path) -> None:
    """Refuse archives whose declared sizes or compression ratios look like a zip bomb."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise UnreadableDocument(path, f"the DOCX is corrupt or truncated ({exc})") from None
    if len(infos) > MAX_ENTRIES:
        raise UnreadableDocument(path, f"the DOCX holds {len(infos):,} parts; refusing a possible zip bomb")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > 1024 * 1024), default=0.0)
    if total > MAX_UNCOMPRESSED or worst > MAX_RATIO:
        raise UnreadableDocument(
            path, f"the DOCX would expand from {packed / 1048576:.1f} MB to {total / 1048576:.0f} MB "
                  f"(compression ratio {max(worst, total / packed):.0f}:1); refusing a possible zip bomb")
    _inflate_checked(path)


def _inflate_checked(path: Path) -> None:
    """Inflate every part in 1 MB steps, so a part whose headers understate its size fails here.

    The declared sizes above can lie: zipfile's read() inflates a whole part in one call and only
    then cuts it to the declared size, so 1.4 MB claiming to be 4 KB took 600 MB of memory (and a
    50 MB file could take tens of GB) inside python-docx. Read in steps, zipfile stops at the
    declared size and the CRC check fails; after this, python-docx can only get the declared sizes.
    """
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.is_dir():
                    continue
                with z.open(info) as part:
                    if info.filename.endswith((".xml", ".rels")):
                        _measure_xml(path, info.filename, part)
                    else:
                        while part.read(1 << 20):
                            pass
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
            NotImplementedError) as exc:
        raise UnreadableDocument(path, f"the DOCX is corrupt or truncated ({exc})") from None


def _measure_xml(path: Path, name: str, part) -> None:
    """Count one XML part's bytes, tags and paragraphs in 1 MB steps; refuse it past a real report's size.

    Five million empty paragraphs pack into under 3 MB and pass every zip-bomb check, yet took
    python-docx and the walk 128 s and 6 GB; counted here, they are refused in well under a second.
    """
    size = tags = paragraphs = 0
    carry = b""
    while True:
        chunk = part.read(1 << 20)
        size += len(chunk)
        tags += chunk.count(b"<")
        buffer = carry + chunk
        # a paragraph tag is counted where it starts, in the part of the buffer it cannot run past
        end = len(buffer) if not chunk else max(len(buffer) - _TAG_SPAN, 0)
        paragraphs += sum(1 for match in _PARAGRAPH_TAG.finditer(buffer) if match.start() < end)
        carry = buffer[end:]
        if size > limits.MAX_XML_PART:
            raise limits.too_much(path, f"the DOCX part {name} is over {limits.MAX_XML_PART // 1048576} MB of XML")
        if paragraphs > limits.MAX_PARAGRAPHS:
            raise limits.too_much(path, f"the DOCX part {name} holds over {limits.MAX_PARAGRAPHS:,} paragraphs")
        if tags > limits.MAX_DOCX_TAGS:
            raise limits.too_much(path, f"the DOCX part {name} holds over {limits.MAX_DOCX_TAGS:,} XML tags")
        if not chunk:
            return


def read_docx(path: Path) -> Document:
    check_zip(path)
    doc = docx.Document(str(path))
    numbering = Numbering(_numbering_element(doc), doc.styles.element)
    reader = _BodyReader(doc, numbering, path)
    blocks = reader.read()
    cp = doc.core_properties
    meta = {k: v for k, v in (("title", clean(cp.title or "")), ("author", clean(cp.author or "")),
                              ("created", cp.created.isoformat() if cp.created else "")) if v}
    return Document(path=str(path), format="docx", sha256="", pages=None, parser="python-docx",
                    parser_version=version("python-docx"), blocks=blocks, metadata=meta)


def _numbering_element(doc: DocxDocument):
    try:
        return doc.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None


def _box_cell(tbl):
    """The one cell of a single-row, single-column table (a shaded or bordered box), else None."""
    rows = tbl.findall(W + "tr")
    if len(rows) != 1:
        return None
    cells = rows[0].findall(W + "tc")
    if len(cells) != 1 or cells[0].find(".//" + W + "tbl") is not None:
        return None
    return cells[0]


class _BodyReader:
    """Walks w:body (and content controls) without recursion, emitting blocks in order."""

    def __init__(self, doc: DocxDocument, numbering: Numbering, path: Path) -> None:
        self.doc = doc
        self.budget = limits.Budget(path, "DOCX")
        self.numbering = numbering
        self.rels = doc.part.rels
        self.style_names = {s.style_id: s.name or "" for s in doc.styles}
        self.style_outline = {}
        for st in doc.styles.element.iter(W + "style"):
            lvl = st.find(f"{W}pPr/{W}outlineLvl")
            if lvl is not None:
                self.style_outline[st.get(W + "styleId")] = int(lvl.get(W + "val", "9"))
        default = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.default_style = default.style_id if default is not None else None
        self.blocks: list[Block] = []
        self.tables = 0

    def read(self) -> list[Block]:
        stack = list(reversed(list(self.doc.element.body)))
        steps = 0
        while stack:
            el = stack.pop()
            steps += 1
            if steps % 1000 == 0:
                self.budget.check_time()
            if el.tag == W + "p":
                self._paragraph(el)
            elif el.tag == W + "tbl":
                box = _box_cell(el)
                if box is not None:  # a one-cell table is a box around paragraphs, not a table
                    stack.extend(reversed([c for c in box if c.tag in (W + "p", W + "sdt")]))
                else:
                    self._table(el)
            elif el.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins"):
                inner = el.find(W + "sdtContent") if el.tag == W + "sdt" else el
                if inner is not None:
                    stack.extend(reversed(list(inner)))
        self.budget.check_time()
        return self.blocks

    def _text(self, el) -> str:
        parts = []
        for node in el.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "del"):
            if node.tag == W + "t":
                if not _inside(node, W + "del", el):
                    parts.append(node.text or "")
            elif node.tag == W + "noBreakHyphen":
                parts.append("-")
            elif node.tag != W + "del":
                parts.append(" ")
        text = "".join(parts)
        self.budget.add(len(text))
        return text

    def _links(self, p) -> list[str]:
        urls = []
        for h in p.iter(W + "hyperlink"):
            rid = h.get(R_ID)
            if rid and rid in self.rels and self.rels[rid].is_external:
                url = self.rels[rid].target_ref
                anchor = h.get(W + "anchor")
                urls.append(f"{url}#{anchor}" if anchor else url)
        return urls

    def _paragraph(self, p) -> None:
        text = clean(self._text(p))
        ppr = p.find(W + "pPr")
        style_id = ppr.find(W + "pStyle").get(W + "val") if ppr is not None and ppr.find(W + "pStyle") is not None else None
        if style_id is None:
            style_id = self.default_style
        numpr = self.numbering.paragraph_numpr(ppr, style_id)
        label, bullet = (None, False)
        if numpr is not None and text:
            label, bullet = self.numbering.next_label(*numpr)
        if not text:
            return
        links = self._links(p)
        heading = self._heading_level(ppr, style_id)
        if heading:
            self.blocks.append(Block(text=text, kind="heading", level=heading, number=label, links=links))
        elif label or bullet:
            self.blocks.append(Block(text=text, kind="list_item", level=numpr[1] if numpr else 0,
                                     number=label, links=links))
        else:
            block = classify(text, may_be_heading=False)
            block.links = links or block.links
            self.blocks.append(block)

    def _heading_level(self, ppr, style_id: str | None) -> int:
        name = self.style_names.get(style_id or "", "")
        if name.lower() == "title":
            return 1
        m = _HEADING_STYLE.match(name)
        if m:
            return min(int(m.group(1)), 6)
        lvl = ppr.find(W + "outlineLvl") if ppr is not None else None
        outline = int(lvl.get(W + "val", "9")) if lvl is not None else self.style_outline.get(style_id or "", 9)
        return outline + 1 if outline < 6 else 0

    def _table(self, tbl) -> None:
        index = self.tables
        self.tables += 1
        for r, tr in enumerate(tbl.findall(W + "tr")):
            cells = []
            for tc in tr.findall(W + "tc"):
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                continued = merge is not None and merge.get(W + "val", "continue") == "continue"
                # a cell's paragraphs are separate lines: "Recommendation 1" / "The partnership ..."
                cells.append("" if continued else clean(" ".join(self._text(p) for p in tc.iter(W + "p"))))
            if not any(cells):
                continue
            is_header = r == 0 or tr.find(f"{W}trPr/{W}tblHeader") is not None
            self.blocks.append(Block(text=" | ".join(c for c in cells if c), kind="table_row",
                                     cells=cells, table=index, header=is_header))


def _inside(node, tag: str, stop) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False
