"""What a reader hands to the extractor: a document as an ordered list of text blocks.

Readers (ingest/readers/) know file formats and nothing about safeguarding;
the extractor (ingest/extract.py) knows reviews and nothing about file formats.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

BLOCK_KINDS = ("heading", "paragraph", "list_item", "table_row")


@dataclass
class Block:
    """One heading, paragraph, list item or table row, with the page it came from."""

    text: str
    kind: str = "paragraph"
    page: int | None = None  # 1-based page; None where the format has no pages
    level: int = 0  # heading level 1-6, or list nesting level (0 = top)
    number: str | None = None  # list label as published: "1", "4.2", "(b)", Word auto-numbering
    cells: list[str] | None = None  # table rows: the cell texts
    table: int | None = None  # table rows: index of the table within the document
    header: bool = False  # table rows: True for a table's header row
    links: list[str] = field(default_factory=list)  # URLs linked from this block
    label_word: str | None = None  # "recommendation" when a reader split "Recommendation 3:" into number "3"


@dataclass
class Document:
    """A parsed file: provenance plus its blocks in reading order."""

    path: str
    format: str  # pdf | docx | html | md | txt
    sha256: str
    pages: int | None
    parser: str  # e.g. "pypdfium2"
    parser_version: str
    blocks: list[Block] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)  # title/author/created from the file's properties

    def to_dict(self) -> dict:
        return asdict(self)
