"""Labels, contents lines, page numbers and heading shapes: the one module that knows them.

A published recommendation is identified by its label ("4.2", "(b)", "Recommendation 3:").
Two jobs use the same label shapes: the readers split a label off a raw line into Block.number
exactly as published (`split_label`), and the extractor reads a label still inside a block's
text and says what kind it is (`split_text_label`, `clean_number`, `label_kind`, `lp_label`).
Every pattern here is linear (fixed repeats, no nested quantifiers): a line of 20,000 dots must
not take seconds (issue 14).
"""
from __future__ import annotations

import re

_ROMAN = r"(?=[ivx])(?:x{0,3})(?:ix|iv|v?i{0,3})"  # never empty: ". text" is not a label
_LABEL = re.compile(
    r"""^(?:
        (?P<word>(?:Recommendation|Rec\.?|Finding|Learning\ point|Action)\s+
                 (?P<wnum>[A-Z]?\d{1,3}(?:\.\d{1,3})*[a-z]?))\s*[:.\u2013\u2014-]\s+
      | (?P<dotted>\d{1,3}(?:\.\d{1,3})+)\.?\s+
      | (?P<num>\d{1,3})[.)]\s+
      | (?P<paren>\((?:\d{1,3}|[a-zA-Z]|""" + _ROMAN + r""")\))\s+
      | (?P<letter>(?:[a-zA-Z]|""" + _ROMAN + r"""))[.)]\s+
    )(?=\S)""",
    re.VERBOSE,
)
_BULLET = re.compile(r"^[\u2022\u2023\u25aa\u25cf\u25e6\u2043\u2219\u00b7\u25a0\u25a1\u2013\u2014*\-o\uf0b7\uf0a7]\s+(?=\S)")
# Fixed counts, not {4,}: equivalent for a search, and linear on a long run of dots (no backtracking).
_TOC_LINE = re.compile(r"(?:\.{4}|\u2026{2}|(?:\. ){4})\s*\d+\s*$")
# "7", "Page 3 of 60", "- 4 -", "iv", "[12]", "3 | Page": a line that is only a page number.
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[\[(\-\u2013\u2014]?\s*(?:\d{1,4}|" + _ROMAN + r")\s*[\])\-\u2013\u2014]?"
    r"(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*\|\s*page)?$",
    re.IGNORECASE,
)
_SECTION_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\.|Part \d+:?|Section \d+:?)\s+[A-Z]")


def split_label(text: str) -> tuple[str | None, str, bool]:
    """Split a leading list label: returns (number, rest, is_list).

    number is the label as published without a trailing full stop ("4.2", "(b)", "a)", "iii",
    "3" for "Recommendation 3:"); a bullet gives (None, rest, True); no label gives
    (None, text, False).
    """
    m = _LABEL.match(text)
    if m:
        rest = text[m.end():]
        if m.group("word"):
            return m.group("wnum"), rest, True
        label = next(g for g in (m.group("dotted"), m.group("num"), m.group("paren"), m.group("letter")) if g)
        raw = text[: m.end()].strip()
        if m.group("num") or m.group("letter"):
            label = raw.rstrip(".")  # keep "a)" and "1)" as published, drop "1." full stops
        if m.group("letter") and not _plausible_letter_label(label, rest):
            return None, text, False
        return label, rest, True
    b = _BULLET.match(text)
    if b:
        return None, text[b.end():], True
    return None, text, False


def label_word(text: str) -> str | None:
    """'recommendation' for 'Recommendation 3: ...', 'finding' for 'Finding 2 - ...', else None."""
    m = _LABEL.match(text)
    if m and m.group("word"):
        return m.group("word").split()[0].rstrip(".").lower()
    return None


def _plausible_letter_label(label: str, rest: str) -> bool:
    """'A. Smith said' is an initial, not a list item: a single capital with a full stop only
    counts as a label before a longer sentence; "b." and "iii." always count."""
    if label.endswith(")") or not label.isupper() or len(label) > 1:
        return True
    words = rest.split()
    return len(words) > 3 and not (words[0][:1].isupper() and words[1][:1].islower() and len(words[0]) > 2
                                   and words[0] not in {"The", "All", "Each", "Every", "When", "Where", "There"}
                                   and words[1] in {"said", "was", "is", "has", "had", "told", "and"})


def is_page_number(text: str) -> bool:
    """A line or block that is only a page number."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def is_toc_line(text: str) -> bool:
    """A contents-page entry: text, dot leaders, page number."""
    return bool(_TOC_LINE.search(text))


def looks_like_heading(text: str, *, max_words: int = 12) -> bool:
    """Shape of a heading: short, no final full stop, starts with a capital or a section number."""
    words = text.split()
    if not words or len(words) > max_words or len(text) > 120:
        return False
    if text.rstrip()[-1] in ".,;!?" or is_toc_line(text):
        return False
    if text.rstrip().endswith(":") and len(words) > 6:  # a sentence introducing a list, not a heading
        return False
    return text[0].isupper() or bool(_SECTION_HEADING.match(text))


def section_number(text: str) -> tuple[str | None, str]:
    """Split "5. Recommendations" / "4.2 Findings" into ("5", "Recommendations")."""
    m = re.match(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(?=[A-Z])", text)
    if m:
        return m.group(1), text[m.end():]
    return None, text


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
# "R1 The partnership should ...", "R2: ...": a recommendation code as its own label (before a capital,
# so a stray "R2" in prose is not one).
_LABEL_CODE = re.compile(r"^\s*(?P<n>R\d{1,2}(?:\.\d{1,2})?)(?:\s*[:.\-\u2013\u2014)]\s*|\s+)(?=[A-Z])")
_ROMAN_WORD = re.compile(r"^(?:x{0,3})(?:ix|iv|v?i{0,3})$")



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
    if _ROMAN_WORD.match(number.lower()) and len(number) > 1:
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
    m = _LABEL_CODE.match(text)
    if m:
        return m.group("n"), text[m.end():], "rec"
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
