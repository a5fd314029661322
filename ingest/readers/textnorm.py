"""Whitespace and invisible-character clean-up shared by every reader.

Documents carry non-breaking spaces, soft hyphens, zero-width characters and pdfium's
generated hyphen marks; comparing and searching texts needs them normalised the same way.
"""
from __future__ import annotations

import re
import unicodedata

from core.text import strip_control

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\x02\x00"), None)
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)\]])")


def clean(text: str) -> str:
    """NFC-normalise, drop invisible and control characters and collapse all whitespace to single spaces.

    Whitespace controls (vertical tab, form feed) become spaces first; the rest are dropped, so no
    stored text can break an XLSX or DOCX export later."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return strip_control(_SPACES.sub(" ", text)).strip()


def tidy_punctuation(text: str) -> str:
    """Remove spaces left before punctuation after something was cut out of a sentence."""
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text).strip()


def join_lines(first: str, second: str) -> str:
    """Join two wrapped lines: a trailing hyphen joins without a space (and is kept)."""
    if not first:
        return second
    if not second:
        return first
    if first.endswith("-") and not first.endswith(" -") and second[:1].islower():
        return first + second
    return f"{first} {second}"


def join_all(lines) -> str:
    """join_lines over many lines in linear time (repeated join_lines copies the text each time)."""
    parts: list[str] = []
    tail = ""  # the last two characters joined so far
    for line in lines:
        if not line:
            continue
        if parts and not (tail.endswith("-") and not tail.endswith(" -") and line[:1].islower()):
            parts.append(" ")
            tail = " "
        parts.append(line)
        tail = (tail + line)[-2:]
    return "".join(parts)


def ends_sentence(text: str) -> bool:
    """True when text ends with final punctuation (optionally inside quotes or brackets)."""
    return bool(re.search(r"[.!?:;][\"'\u2019\u201d)\]]*$", text.rstrip()))
