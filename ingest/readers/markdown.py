"""Markdown via markdown-it-py (CommonMark + tables): headings, paragraphs, list items, tables.

Our own-words summaries end each finding with "([source](https://...))": the URL goes into
Block.links and the "(source)" husk is removed from the text, while ordinary link text
("see the [full report](...)") stays in the sentence.
"""
from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.document import Block, Document
from ingest.labels import split_label
from ingest.readers import limits
from ingest.readers.blocks import classify
from ingest.readers.decode import read_text_file
from ingest.readers.textnorm import clean, tidy_punctuation

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use markers around link text while rendering inline tokens
_LINK = f"{_OPEN}[^{_OPEN}{_CLOSE}]*{_CLOSE}"
_LINK_ONLY_PARENS = re.compile(rf"\(\s*{_LINK}(?:\s*(?:[,;]|and)?\s*{_LINK})*\s*\)")
_GENERIC = re.compile(rf"\s*[-\u2013\u2014:]?\s*{_OPEN}\s*(?:source|sources|link|ref|reference|here|\d+)\s*{_CLOSE}\s*$",
                      re.IGNORECASE)


def read_markdown(path: Path) -> Document:
    text = read_text_file(path, "a Markdown file")
    limits.check_text(path, text, "Markdown file")
    md = MarkdownIt("commonmark", {"maxNesting": 50}).enable("table")
    blocks = markdown_blocks(md.parse(text))
    meta = {}
    first_heading = next((b for b in blocks if b.kind == "heading"), None)
    if first_heading is not None and first_heading.level == 1:
        meta["title"] = first_heading.text
    return Document(path=str(path), format="md", sha256="", pages=None, parser="markdown-it-py",
                    parser_version=version("markdown-it-py"), blocks=blocks, metadata=meta)


def _labelled_lines(content: str) -> list[str] | None:
    """A paragraph whose lines start with list labels ("a)", "(ii)", "1)") split into its items;
    None when it is ordinary prose."""
    lines = [ln.strip() for ln in content.splitlines() if ln.strip()]
    if len(lines) < 2 or not split_label(lines[0])[2] or sum(bool(split_label(ln)[2]) for ln in lines) < 2:
        return None
    parts: list[list[str]] = []
    for ln in lines:
        if split_label(ln)[2] or not parts:
            parts.append([ln])
        else:
            parts[-1].append(ln)
    return [" ".join(part) for part in parts]


def markdown_blocks(tokens: list[Token]) -> list[Block]:
    """Blocks from markdown-it's flat token stream (no recursion involved)."""
    blocks: list[Block] = []
    lists: list[str] = []  # "ol"/"ul" of the open lists
    items: list[Block] = []  # the open list items, innermost last
    table = -1
    row: list[str] | None = None
    row_links: list[str] = []
    in_head = False
    heading_level = 0
    for tok in tokens:
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            lists.append("ol" if t == "ordered_list_open" else "ul")
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open":
            number = tok.info or None if lists and lists[-1] == "ol" else None
            items.append(Block(text="", kind="list_item", level=max(len(lists) - 1, 0), number=number))
            blocks.append(items[-1])
        elif t == "list_item_close":
            done = items.pop()
            if not done.text:
                blocks.remove(done)
        elif t == "heading_open":
            heading_level = int(tok.tag[1])
        elif t == "heading_close":
            heading_level = 0
        elif t == "table_open":
            table += 1
        elif t == "thead_open":
            in_head = True
        elif t == "thead_close":
            in_head = False
        elif t == "tr_open":
            row, row_links = [], []
        elif t == "tr_close" and row is not None:
            if any(row):
                blocks.append(Block(text=" | ".join(c for c in row if c), kind="table_row", cells=row,
                                    table=table, header=in_head, links=row_links))
            row = None
        elif t == "inline":
            text, links = render_inline(tok.children or [])
            if row is not None:
                row.append(text)
                row_links += links
            elif heading_level:
                blocks.append(Block(text=text, kind="heading", level=heading_level, links=links))
            elif items:
                item = items[-1]
                item.text = clean(f"{item.text} {text}")
                item.links += links
            elif text:
                parts = _labelled_lines(tok.content)
                if parts:  # "a) ...\nb) ...": Markdown has no lettered lists, so it made one paragraph
                    blocks += [classify(part, may_be_heading=False) for part in parts]
                    continue
                block = classify(text, may_be_heading=False)
                block.links = links + [u for u in block.links if u not in links]
                blocks.append(block)
        elif t in ("fence", "code_block") and tok.content.strip():
            blocks.append(Block(text=clean(tok.content), kind="paragraph"))
    return blocks


def render_inline(children: list[Token]) -> tuple[str, list[str]]:
    """Plain text of inline tokens plus link URLs; link-only parentheticals are dropped."""
    parts: list[str] = []
    links: list[str] = []
    for tok in children:
        if tok.type == "link_open":
            href = str(tok.attrs.get("href", ""))
            if href and not href.startswith("#"):
                links.append(href)
            parts.append(_OPEN)
        elif tok.type == "link_close":
            parts.append(_CLOSE)
        elif tok.type in ("text", "code_inline", "html_inline"):
            parts.append(tok.content if tok.type != "html_inline" else "")
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif tok.type == "image":
            parts.append(tok.content)
    # Collapse whitespace first: on long runs of spaces the \s* pairs in _GENERIC backtrack
    # catastrophically (4,000 spaces took 19 s).
    text = clean("".join(parts))
    text = _LINK_ONLY_PARENS.sub("", text)
    text = _GENERIC.sub("", text)
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    return tidy_punctuation(clean(text)), links
