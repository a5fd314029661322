"""Turn one stretch of plain text into a Block: heading, list item or paragraph.

The PDF and plain-text readers only know where a paragraph starts and ends; this module
decides what it is, so both formats label recommendations and headings the same way.
"""
from __future__ import annotations

import re

from ingest.document import Block
from ingest.labels import is_toc_line, label_word, looks_like_heading, section_number, split_label
from ingest.readers.textnorm import clean

URL = re.compile(r"https?://[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]")


def classify(text: str, *, page: int | None = None, may_be_heading: bool = True,
             styled_heading: bool = False) -> Block:
    """Build the Block for ``text``.

    may_be_heading: the text stood alone (a one-line paragraph), so a heading shape counts.
    styled_heading: the source marked it (larger or bold font), so a short text is a heading.
    """
    text = clean(text)
    links = URL.findall(text)
    if is_toc_line(text):
        return Block(text=text, kind="paragraph", page=page, links=links)
    number, rest, is_list = split_label(text)
    if (styled_heading or may_be_heading) and looks_like_heading(text, max_words=15 if styled_heading else 10):
        sec, title = section_number(text)
        if styled_heading or not is_list or (sec and _title_like(title)):
            level = sec.count(".") + 1 if sec else 1
            return Block(text=title if sec else text, kind="heading", page=page, level=min(level, 6),
                         number=sec, links=links)
    if is_list:
        level = number.count(".") if number and re.fullmatch(r"[\d.]+", number) else (1 if number and not number[0].isdigit() else 0)
        return Block(text=rest, kind="list_item", page=page, level=level, number=number, links=links,
                     label_word=label_word(text))
    return Block(text=text, kind="paragraph", page=page, links=links)


def _title_like(title: str) -> bool:
    """'Recommendations', 'Learning and Findings': few words, the significant ones capitalised."""
    words = title.split()
    if not 1 <= len(words) <= 6:
        return False
    small = {"and", "of", "the", "for", "in", "on", "to", "a", "an", "with", "from", "by", "at"}
    return all(w[0].isupper() or w.lower() in small or not w[0].isalpha() for w in words)
