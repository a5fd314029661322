"""The shape of a review: which headings open recommendations or learning, list labels, and
which blocks are page furniture or continue the previous block across a page break."""
from __future__ import annotations

import re
from ingest.document import Block

RECS, LEARNING = "recommendations", "learning"

_NUMBER_PREFIX = re.compile(r"^\s*(?:(?:section|part|chapter)\s+)?(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4}|[A-Z])[.):]?\s+", re.I)
_RECS_HEADING = re.compile(
    r"^(?:(?:summary|list) of (?:the )?|the |our |key |main |final |local |draft |additional |further )*"
    r"(?:(?:partnership|single[- ]agency|multi[- ]agency|agency|national|system|strategic|practice|review)\s+)*"
    r"recommendations?\b(?!\s+(?:from|of|made by|in)\s+(?:the\s+)?(?:previous|earlier|prior|other|national))"
    r"|\brecommendations\s*$|^what needs to (?:change|happen)\b|^areas? for (?:improvement|development)\b",
    re.I,
)
_NOT_RECS = re.compile(
    r"\b(?:response|responses|progress|update|previous|earlier|prior|implementation|monitoring|status)\b"
    r"[^.]{0,30}\brecommendations?\b|\brecommendations?\b[^.]{0,20}\b(?:from previous|progress|update)\b",
    re.I,
)
_MIXED = re.compile(r"\b(?:findings?|learning|conclusions?|lessons)\b.*\band recommendations?\b", re.I)
_LEARNING_HEADING = re.compile(
    r"^(?:the |our |key |main |summary of (?:the )?|overarching |emerging |additional )*"
    r"(?:findings?|learning(?!\s+(?:summary|summaries|brief|briefing|review))(?: points?| themes?| for practice| from (?:this|the) review| and reflection)?|"
    r"lessons?(?: learn[te]d| to be learn[te]d)?|conclusions?|key messages?|messages for practice|"
    r"practice (?:learning|points|messages)|what (?:we|did we|have we) learn[te]d|what did we learn|"
    r"things to remember|key information|what (?:does )?good practice looks? like|good practice|"
    r"analysis and findings|findings and analysis|themes and learning|learning and findings|key themes|"
    r"what (?:should|can|do) practitioners do|what to do|implications for practice|key points)\b",
    re.I,
)
# Sections that are neither recommendations nor learning: they close whatever section was open.
_GENERIC_SECTION = re.compile(
    r"^(?:(?:appendix|appendices|annex|glossary|terms of reference)\b.*|"
    r"(?:introduction|background|summary|executive summary|overview|context|scope|methodology|method|"
    r"the review process|review process|abbreviations|references|bibliography|acknowledgements|why it matters|"
    r"why this matters|information|what happened|the family|family background|family involvement|chronology|"
    r"timeline|next steps|further information|contact|contents|foreword|purpose|review panel|panel membership|"
    r"analysis|agency involvement|conclusion|concluding comments|closing remarks|about the review)\s*)$", re.I)
_TOC_LINE = re.compile(r"(?:\.{4,}|\u2026{2,}|(?:\. ){4,})\s*\d+\s*$")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_TERMINAL = re.compile(r"[.!?:;\"'\u201d\u2019)]\s*$")

# A label as published, with its kind: "rec" (Recommendation 3), "dotted" (4.2), "number" (1),
# "letter" ((b), a)), "roman" (iii).
_LABEL_WORD = re.compile(
    r"^\s*(?:recommendation|rec\.?)\s+(?P<n>[A-Z]{0,3}\d{1,3}(?:\.\d{1,3})*[a-z]?)\b\s*[:.\-\u2013\u2014)]?\s*", re.I
)
_LABEL_LP = re.compile(
    r"^\s*(?:finding|learning point|learning|lesson|key learning point)\s+(?P<n>\d{1,3}(?:\.\d{1,3})*)\b\s*[:.\-\u2013\u2014]?\s*",
    re.I,
)
_LABEL_TEXT = re.compile(
    r"^\s*(?:\(?(?P<d>\d{1,2}(?:\.\d{1,2})+)\)?\.?|\(?(?P<n>\d{1,2})[.)]|\((?P<p>\d{1,2})\)|"
    r"\(?(?P<l>[a-zA-Z]|[ivx]{1,4})\))\s+(?=\S)"
)
_ROMAN = re.compile(r"^(?:x{0,3})(?:ix|iv|v?i{0,3})$")


def clean_number(label: str | None) -> str | None:
    """The core of a published label: '1.' -> '1', '(b)' -> 'b', 'a)' -> 'a',
    'Recommendation 3' -> '3'; '4.2' and 'S1' stay as they are."""
    if not label:
        return None
    text = label.strip()
    m = _LABEL_WORD.match(text + " ")
    if m:
        return m.group("n")
    text = text.strip("()[]").rstrip(".):").strip()
    return text or None


def label_kind(number: str | None) -> str | None:
    if not number:
        return None
    if re.fullmatch(r"\d+", number):
        return "number"
    if re.fullmatch(r"\d+(?:\.\d+)+[a-z]?", number):
        return "dotted"
    if _ROMAN.match(number.lower()) and len(number) > 1:
        return "roman"
    if re.fullmatch(r"[a-zA-Z]", number):
        return "roman" if number.lower() == "i" else "letter"
    return "number"


def split_text_label(text: str) -> tuple[str | None, str, str | None]:
    """(number, rest, kind) for a label still inside the text; kind 'rec' for 'Recommendation 3:'."""
    m = _LABEL_WORD.match(text)
    if m:
        rest = text[m.end():]
        if not re.match(r"^(?:of|was|were|is|has|had|from|in|and|to)\b", rest, re.I):
            return m.group("n"), rest, "rec"
    m = _LABEL_TEXT.match(text)
    if m:
        number = next(g for g in m.group("d", "n", "p", "l") if g)
        return number, text[m.end():], label_kind(number)
    return None, text, None


def lp_label(text: str) -> tuple[str | None, str]:
    """('2', rest) for 'Finding 2: ...' or 'Learning point 2 - ...'."""
    m = _LABEL_LP.match(text)
    if m and m.end() < len(text):
        return m.group("n"), text[m.end():]
    return None, text


def heading_core(text: str) -> str:
    """Heading text without its section number: '5. Recommendations' -> 'Recommendations'."""
    return _NUMBER_PREFIX.sub("", text.strip(), count=1).strip().rstrip(":").strip()


def section_kind(text: str) -> str | None:
    """RECS, LEARNING or None for a heading's text. 'Findings and recommendations' counts as
    learning: its labelled recommendations are picked out one by one."""
    core = heading_core(text)
    if len(core.split()) > 14:
        return None
    if _MIXED.search(core):
        return LEARNING
    if _RECS_HEADING.search(core) and not _NOT_RECS.search(core):
        return RECS
    if _LEARNING_HEADING.match(core):
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
    if _TOC_LINE.search(text):  # a contents-page entry names a section but does not open it
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
    return section_kind(text) is not None or bool(_GENERIC_SECTION.match(heading_core(text)))


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
    kept = []
    for b in blocks:
        text = b.text.strip()
        if not text and not (b.cells and any(c.strip() for c in b.cells)):
            continue
        if b.kind != "table_row" and (_PAGE_NUMBER.match(text) or _furniture_key(text) in repeated):
            continue
        kept.append(b)
    return kept


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())
