"""Plain text: paragraphs separated by blank lines; list labels and headings detected."""
from __future__ import annotations

import re
from pathlib import Path

from ingest.document import Block, Document
from ingest.readers import limits
from ingest.readers.blocks import classify
from ingest.readers.decode import read_text_file
from ingest.labels import split_label
from ingest.readers.textnorm import ends_sentence, join_all


def read_text(path: Path) -> Document:
    text = read_text_file(path, "a plain-text file")
    limits.check_text(path, text, "text file")
    return Document(path=str(path), format="txt", sha256="", pages=None, parser="ingest.readers.text",
                    parser_version="1", blocks=text_blocks(text))


def text_blocks(text: str) -> list[Block]:
    """Blocks from plain text: a blank line ends a paragraph, a labelled line starts a block."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [ln.strip() for ln in chunk.split("\n") if ln.strip()]
        groups: list[list[str]] = []
        separate = _separate_lines(lines)
        for line in lines:
            if not groups or separate or split_label(line)[2]:
                groups.append([line])
            else:
                groups[-1].append(line)
        standalone = (len(groups) == 1 and len(lines) == 1) or separate
        for group in groups:
            blocks.append(classify(join_all(group), may_be_heading=standalone))
    return blocks


def _separate_lines(lines: list[str]) -> bool:
    """A run of short lines with no sentence in it (a cover: title, publisher, 'Page 1 of 24'; or
    a running title above a page number) is one block per line, not a wrapped paragraph, whose
    lines run to the wrap width."""
    return len(lines) >= 2 and all(len(ln.split()) <= 7 and not ends_sentence(ln) for ln in lines)
