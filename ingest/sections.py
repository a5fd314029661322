"""The shape of a review: which headings open recommendations or learning, list labels, and
which blocks are page furniture or continue the previous block across a page break."""
from __future__ import annotations

import re
from ingest.document import Block
from ingest.rules import load_rules
from ingest.labels import (  # noqa: F401  (re-exported for the extractor)
    clean_number, is_page_number, is_toc_line, label_kind, lp_label, split_text_label,
)

RECS, LEARNING = "recommendations", "learning"

_NUMBER_PREFIX = re.compile(r"^\s*(?:(?:section|part|chapter)\s+)?(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4}|[A-Z])[.):]?\s+", re.I)
_MIXED = re.compile(r"\b(?:findings?|learning|conclusions?|lessons)\b.*\band recommendations?\b", re.I)
# "Appendix 2: Recommendations of the review": the appendix holds a section of its own
_APPENDIX_PREFIX = re.compile(r"^(?:appendix|annex)\s*(?:\w{1,3}\s*)?[:.\-\u2013\u2014]\s+(?=\S)", re.I)
# "Learning from the review of Child H", "Learning from Child B": a document's title, not a section.
_TITLE_NOT_SECTION = re.compile(
    r"^learning\s+from\b.*(?:\b(?:child|baby|family|young person|siblings?)\s+(?-i:[A-Z0-9])|"
    r"\breview\s+(?:of|into)\b|\bpublished\b|\bdeath\b)|\blearning\s+(?:summary|summaries|brief|briefing)\b", re.I)
_TERMINAL = re.compile(r"[.!?:;\"'\u201d\u2019)]\s*$")

def heading_core(text: str) -> str:
    """Heading text without its section number: '5. Recommendations' -> 'Recommendations'."""
    core = _NUMBER_PREFIX.sub("", text.strip(), count=1).strip().rstrip(":").strip()
    return _APPENDIX_PREFIX.sub("", core, count=1).strip() or core


def section_kind(text: str) -> str | None:
    """RECS, LEARNING or None for a heading's text. 'Findings and recommendations' counts as
    learning: its labelled recommendations are picked out one by one."""
    core = heading_core(text)
    if len(core.split()) > 14:
        return None
    if _MIXED.search(core):
        return LEARNING
    headings = load_rules().headings  # the phrases: ingest/extraction_rules.yml, `headings:`
    if headings.recommendations.search(core) and not headings.not_recommendations.search(core):
        return RECS
    if headings.learning.match(core) and not _TITLE_NOT_SECTION.search(core):
        return LEARNING
    return None


def is_mixed(text: str) -> bool:
    """'Findings and recommendations', 'Learning and recommendations': one section holding both."""
    return bool(_MIXED.search(heading_core(text)))


def looks_like_heading(block: Block) -> bool:
    """A paragraph that is really a heading: short, no full stop, and names a section."""
    text = block.text.strip()
    if block.kind == "heading":
        return True
    if block.kind != "paragraph" or not text or len(text.split()) > 12 or text[-1] in ".;,?!":
        return False
    if is_toc_line(text):  # a contents-page entry names a section but does not open it
        return False
    return section_kind(text) is not None


def list_heading(block: Block) -> bool:
    """A numbered list item that is really a section heading: Word documents often number their
    headings with list numbering ("4. Recommendations", "1. Background"), so the reader sees a
    list item. Only a short, unpunctuated text that names a section counts."""
    if block.kind != "list_item" or not block.number or block.level > 1:
        return False
    text = block.text.strip()
    if not text or len(text.split()) > 8 or text[-1] in ".;,?!:" or not text[0].isupper():
        return False
    return section_kind(text) is not None or bool(load_rules().headings.other.match(heading_core(text)))


def ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text))


def continues(prev: Block | None, block: Block) -> bool:
    """Whether `block` carries on the text of `prev`: it starts in lower case, or it follows a page
    break after a block that stopped mid-sentence."""
    if prev is None or block.kind in ("heading", "table_row") or block.number:
        return False
    text = block.text.lstrip()
    if not text:
        return False
    if text[0].islower() or text[0] in ",;)":
        return True
    page_break = prev.page is not None and block.page is not None and block.page != prev.page
    return page_break and not ends_sentence(prev.text) and block.kind == "paragraph"


def drop_furniture(blocks: list[Block]) -> list[Block]:
    """Remove page numbers and running headers/footers: short texts repeated on many pages."""
    pages = {b.page for b in blocks if b.page is not None}
    repeated: set[str] = set()
    if len(pages) >= 3:
        seen: dict[str, set[int]] = {}
        for b in blocks:
            if b.kind != "table_row" and b.page is not None and len(b.text) < 120:
                seen.setdefault(_furniture_key(b.text), set()).add(b.page)
        threshold = max(3, len(pages) // 3)
        repeated = {k for k, p in seen.items() if len(p) >= threshold}
    beside = _beside_page_numbers(blocks)
    kept = []
    for i, b in enumerate(blocks):
        text = b.text.strip()
        if not text and not (b.cells and any(c.strip() for c in b.cells)):
            continue
        if b.kind != "table_row" and (is_page_number(text) or _furniture_key(text) in repeated or i in beside):
            continue
        kept.append(b)
    return kept


def _beside_page_numbers(blocks: list[Block]) -> set[int]:
    """Indexes of a running title next to a page number ("Serious Case Review Child N6" above
    "Page 22 of 24") where the same short text sits beside page numbers twice or more: how
    page headers look in text that has lost its pages."""
    at: dict[str, list[int]] = {}
    for i, b in enumerate(blocks):
        if b.kind == "table_row" or not is_page_number(b.text.strip()):
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(blocks) and blocks[j].kind != "table_row" and len(blocks[j].text) < 100 \
                    and not is_page_number(blocks[j].text.strip()):
                at.setdefault(_furniture_key(blocks[j].text), []).append(j)
    return {j for found in at.values() if len(found) >= 2 for j in found}


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())
