"""List labels and heading shapes in plain text lines, shared by the PDF and text readers.

A published recommendation is identified by its label ("4.2", "(b)", "Recommendation 3:"), so
the label is split off into Block.number exactly as published (minus a trailing full stop).
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


def _plausible_letter_label(label: str, rest: str) -> bool:
    """'A. Smith said' is an initial, not a list item: a single capital with a full stop only
    counts as a label before a longer sentence; "b." and "iii." always count."""
    if label.endswith(")") or not label.isupper() or len(label) > 1:
        return True
    words = rest.split()
    return len(words) > 3 and not (words[0][:1].isupper() and words[1][:1].islower() and len(words[0]) > 2
                                   and words[0] not in {"The", "All", "Each", "Every", "When", "Where", "There"}
                                   and words[1] in {"said", "was", "is", "has", "had", "told", "and"})


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
