"""What a real report can hold: the bounds every reader keeps to, so a small hostile file cannot
cost minutes and gigabytes.

A long serious case review runs to a few hundred pages: some thousands of paragraphs and well
under two million characters. These limits are several times that. Each is checked before the
expensive step where it can be (counting lines or tags is fast, parsing them is not), and past
any of them a reader stops with the same one-line UnreadableDocument as any other bad file.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

from ingest.errors import UnreadableDocument

MAX_PAGES = 2_000  # PDF pages
MAX_PARAGRAPHS = 100_000  # DOCX paragraphs, table cells included
MAX_BLOCKS = 50_000  # paragraphs and list items of a plain-text or Markdown file
MAX_DOCX_TAGS = 4_000_000  # opening plus closing tags in one DOCX part (Word's XML is verbose)
MAX_HTML_TAGS = 200_000  # a long report published as one web page has some tens of thousands
MAX_XML_PART = 64 * 1024 * 1024  # bytes of one DOCX part
MAX_TEXT_CHARS = 10_000_000
MAX_SECONDS = 120.0  # a real report reads in seconds; this only stops what the counts miss

_REFUSE = "more than any real report; refusing it"
# where a paragraph or a list item starts: after a blank line, or a line opening with a list label
_BLOCK_START = re.compile(r"\n[ \t]*(?:\n|[-*+\u2022][ \t]|\(?[0-9A-Za-z]{1,4}[.)][ \t])")


def too_much(path: Path, what: str) -> UnreadableDocument:
    """The one-line error for a document past a limit: `what` says which, e.g. "over 100,000 lines"."""
    return UnreadableDocument(path, f"{what}, {_REFUSE}")


def check_text(path: Path, text: str, kind: str) -> None:
    """Before a plain-text or Markdown file is parsed: its characters, and its blocks counted from
    blank lines and list labels (parsing costs per block: 100,000 list items took markdown-it 25 s)."""
    if len(text) > MAX_TEXT_CHARS:
        raise too_much(path, f"the {kind} holds over {MAX_TEXT_CHARS // 1_000_000} million characters")
    blocks = 0
    for _ in _BLOCK_START.finditer("\n" + text):
        blocks += 1
        if blocks > MAX_BLOCKS:
            raise too_much(path, f"the {kind} holds over {MAX_BLOCKS:,} paragraphs and list items")


def check_tags(path: Path, markup: bytes, kind: str = "HTML page", limit: int = MAX_HTML_TAGS) -> None:
    """Before markup is parsed: a cheap count of '<', an upper bound on its tags."""
    if markup.count(b"<") > limit:
        raise too_much(path, f"the {kind} holds over {limit:,} tags")


class Budget:
    """Characters read and time spent while a reader walks a document it has already parsed."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path, self.kind = path, kind
        self.chars = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def add(self, chars: int) -> None:
        self.chars += chars
        if self.chars > MAX_TEXT_CHARS:
            raise too_much(self.path, f"the {self.kind} holds over {MAX_TEXT_CHARS // 1_000_000} million "
                                      "characters of text")

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise too_much(self.path, f"reading the {self.kind} took over {MAX_SECONDS:.0f} s")
