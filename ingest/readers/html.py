"""HTML via BeautifulSoup (lxml parser): headings, paragraphs, numbered list items, tables, links.

Page furniture (script, style, nav, header, footer, and divs whose role or class marks them as
menus, breadcrumbs, sidebars or site footers) is dropped. The tree is walked with
explicit stacks, never recursion, and refused beyond MAX_DEPTH so hostile nesting cannot
exhaust the interpreter's recursion limit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from bs4.element import CData, Declaration, ProcessingInstruction

from ingest.document import Block, Document
from ingest.errors import UnreadableDocument
from ingest.readers import limits
from ingest.readers.blocks import classify
from ingest.readers.docx_numbering import format_number
from ingest.readers.textnorm import clean

MAX_DEPTH = 1000
DROP = {"script", "style", "nav", "header", "footer", "noscript", "template", "head", "svg", "form",
        "button", "iframe", "object", "select"}
HEADINGS = {f"h{i}": i for i in range(1, 7)}
TEXT_BLOCKS = {"p", "pre", "dt", "figcaption", "address", "caption", "summary"}
CONTAINERS = {"html", "body", "main", "div", "section", "article", "aside", "blockquote", "dl", "dd",
              "figure", "details", "center", "fieldset"}
LISTS = {"ul", "ol", "menu"}
SKIP_IN_TEXT = LISTS | {"table"} | DROP
_OL_TYPES = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
_NON_TEXT = (Comment, Doctype, Declaration, ProcessingInstruction, CData)


# Site furniture that is not in nav/header/footer tags: marked by ARIA role or by class/id words.
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
_FURNITURE_WORDS = {"breadcrumb", "breadcrumbs", "navbar", "nav", "navigation", "menu", "sidebar", "footer",
                    "cookie", "cookies", "skip", "share", "social", "related", "masthead"}


def _furniture(node: Tag) -> bool:
    """A menu, breadcrumb trail, sidebar or site footer built from divs: its role or its class/id
    words say so, and it does not hold the page's title (a wrapper such as "has-sidebar" does)."""
    if node.name in ("html", "body", "main", "article", "h1"):
        return False
    role = str(node.get("role") or "").lower()
    words: set[str] = set()
    for value in (node.get("class") or []) + [str(node.get("id") or "")]:
        words.update(w for w in str(value).lower().replace("_", "-").split("-") if w)
    if role not in _FURNITURE_ROLES and not (words & _FURNITURE_WORDS or "site" in words and "header" in words):
        return False
    return node.find(["h1", "main", "article"]) is None


@dataclass
class _Frame:
    children: list
    pos: int = 0
    pending: list = field(default_factory=list)  # inline nodes waiting to become a paragraph
    list_tag: Tag | None = None
    counter: int = 0
    depth: int = 0


def read_html(path: Path) -> Document:
    markup = path.read_bytes()
    limits.check_tags(path, markup)
    soup = BeautifulSoup(markup, "lxml")
    _check_depth(path, soup)
    meta = {}
    if soup.title and soup.title.string:
        meta["title"] = clean(soup.title.string)
    author = soup.find("meta", attrs={"name": "author"})
    if author and author.get("content"):
        meta["author"] = clean(author["content"])
    blocks = _Walker().walk(soup)
    return Document(path=str(path), format="html", sha256="", pages=None, parser="beautifulsoup4+lxml",
                    parser_version=f"{version('beautifulsoup4')}+{version('lxml')}", blocks=blocks, metadata=meta)


def _check_depth(path: Path, soup: BeautifulSoup) -> None:
    stack = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise UnreadableDocument(path, f"the HTML is nested more than {MAX_DEPTH} elements deep; not a readable page")
        stack.extend((c, depth + 1) for c in node.children if isinstance(c, Tag))


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.tables = 0

    def walk(self, soup: BeautifulSoup) -> list[Block]:
        root = soup.body or soup
        frames = [_Frame(list(root.children))]
        while frames:
            f = frames[-1]
            if f.pos >= len(f.children):
                self._flush(f)
                frames.pop()
                continue
            node = f.children[f.pos]
            f.pos += 1
            if isinstance(node, _NON_TEXT):
                continue
            if isinstance(node, NavigableString):
                f.pending.append(node)
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name
            if name in DROP or _furniture(node):
                continue
            if name in HEADINGS:
                self._flush(f)
                text, links = inline_text(node)
                if text:
                    self.blocks.append(Block(text=text, kind="heading", level=HEADINGS[name], links=links))
            elif name in TEXT_BLOCKS:
                self._flush(f)
                self._paragraph(node)
            elif name == "li":
                self._flush(f)
                self._list_item(node, f, frames)
            elif name in LISTS:
                self._flush(f)
                frames.append(_Frame(list(node.children), list_tag=node, depth=self._list_depth(frames) + 1,
                                     counter=_ol_start(node) - (-1 if node.has_attr("reversed") else 1)))
            elif name == "table":
                self._flush(f)
                self._table(node)
            elif name in CONTAINERS or name in {"tr", "td", "th", "tbody", "thead"}:
                self._flush(f)
                frames.append(_Frame(list(node.children), list_tag=f.list_tag, depth=f.depth))
            elif name in {"br", "hr"}:
                if name == "hr":
                    self._flush(f)
                else:
                    f.pending.append(" ")
            else:
                f.pending.append(node)
        return self.blocks

    @staticmethod
    def _list_depth(frames: list[_Frame]) -> int:
        return frames[-1].depth if frames else 0

    def _flush(self, f: _Frame) -> None:
        if not f.pending:
            return
        parts, links = [], []
        for node in f.pending:
            if isinstance(node, Tag):
                t, ls = inline_text(node)
                parts.append(t)
                links += ls
            else:
                parts.append(str(node))
        f.pending = []
        text = clean(" ".join(parts))
        if text:
            block = classify(text, may_be_heading=False)
            block.links = links + [u for u in block.links if u not in links]
            self.blocks.append(block)

    def _paragraph(self, node: Tag) -> None:
        text, links = inline_text(node)
        if text:
            block = classify(text, may_be_heading=False)
            block.links = links + [u for u in block.links if u not in links]
            self.blocks.append(block)

    def _list_item(self, li: Tag, f: _Frame, frames: list[_Frame]) -> None:
        ordered = f.list_tag is not None and f.list_tag.name == "ol"
        number = None
        if ordered:
            step = -1 if f.list_tag.has_attr("reversed") else 1
            f.counter = _int(li.get("value"), f.counter + step)
            number = format_number(f.counter, _OL_TYPES.get(str(f.list_tag.get("type", "1")), "decimal"))
        text, links = inline_text(li)
        if text:
            self.blocks.append(Block(text=text, kind="list_item", level=max(f.depth - 1, 0),
                                     number=number, links=links))
        nested = [c for c in li.children if isinstance(c, Tag) and c.name in LISTS | {"table"}]
        for div in (c for c in li.children if isinstance(c, Tag) and c.name in {"div", "p"}):
            nested += [c for c in div.children if isinstance(c, Tag) and c.name in LISTS | {"table"}]
        if nested:
            frames.append(_Frame(nested, list_tag=f.list_tag, depth=f.depth))

    def _table(self, table: Tag) -> None:
        index = self.tables
        self.tables += 1
        first = True
        for tr in _rows(table):
            cells = [inline_text(c)[0] for c in tr.find_all(["td", "th"], recursive=False)]
            if not any(cells):
                continue
            header = first or tr.parent.name == "thead" or all(
                c.name == "th" for c in tr.find_all(["td", "th"], recursive=False))
            self.blocks.append(Block(text=" | ".join(c for c in cells if c), kind="table_row", cells=cells,
                                     table=index, header=header,
                                     links=[a["href"] for a in tr.find_all("a", href=True) if _is_url(a["href"])]))
            first = False


def _rows(table: Tag) -> list[Tag]:
    """Rows of this table, not of tables nested in its cells."""
    rows = []
    for child in table.children:
        if isinstance(child, Tag):
            if child.name == "tr":
                rows.append(child)
            elif child.name in {"thead", "tbody", "tfoot"}:
                rows += child.find_all("tr", recursive=False)
    return rows


def inline_text(el: Tag) -> tuple[str, list[str]]:
    """Normalised text of an element and its link URLs, skipping nested lists, tables and furniture."""
    parts: list[str] = []
    links: list[str] = []
    stack: list = list(reversed(list(el.children)))
    while stack:
        node = stack.pop()
        if isinstance(node, _NON_TEXT):
            continue
        if isinstance(node, NavigableString):
            parts.append(str(node))
        elif isinstance(node, Tag):
            if node.name in SKIP_IN_TEXT:
                continue
            if node.name == "br":
                parts.append(" ")
                continue
            if node.name == "a" and node.get("href") and _is_url(node["href"]):
                links.append(node["href"].strip())
            if node.name in TEXT_BLOCKS or node.name in CONTAINERS:
                parts.append(" ")
            stack.extend(reversed(list(node.children)))
    return clean("".join(parts)), links


def _is_url(href: str) -> bool:
    href = href.strip().lower()
    return bool(href) and not href.startswith(("#", "javascript:"))


def _ol_start(ol: Tag) -> int:
    return _int(ol.get("start"), 1) if ol.name == "ol" else 1


def _int(value, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default
