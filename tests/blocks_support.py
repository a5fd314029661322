"""Documents built block by block, for the extractor's tests: H(eading), P(aragraph), L(ist item),
T(able row), a Document of them, and what the extractor makes of one read as a web page."""
from __future__ import annotations

from ingest.document import Block, Document
from ingest.extract import extract


def H(text, level=1, page=None):
    return Block(text, "heading", page, level)


def P(text, page=None):
    return Block(text, "paragraph", page)


def L(text, number=None, level=0, page=None):
    return Block(text, "list_item", page, level, number)


def T(cells, table=0, header=False, page=None):
    return Block(" | ".join(cells), "table_row", page, cells=list(cells), table=table, header=header)


def doc(*blocks, fmt="pdf", metadata=None) -> Document:
    return Document("review.pdf", fmt, "0" * 64, None, "test", "1", list(blocks), metadata or {})


def run(*blocks, fmt="html") -> dict:
    """The extraction of a page made of `blocks`."""
    return extract(Document("page." + fmt, fmt, "0" * 64, None, "test", "1", list(blocks), {}))
