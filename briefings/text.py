"""Word budgets: each section must stay short enough for the whole briefing to fit one A4 page."""
from __future__ import annotations

import re

# Split after ., ! or ? followed by space and a capital, digit or quote: good enough for review prose
# and it never splits "e.g. the" or "4.2".
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'‘“(])")

# Said once per briefing (never per section) when anything had to be shortened or left out.
REST_NOTE = "Shortened to fit one page"

def word_count(text: str) -> int:
    return len(text.split())


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def fit_one(item: str, room: int) -> str | None:
    """The item whole if it fits in `room` words, else its leading sentences that fit, else None.

    Nothing is ever cut inside a sentence, so every line stays a faithful quotation of the source.
    """
    if word_count(item) <= room:
        return item
    kept: list[str] = []
    for sentence in sentences(item):
        if word_count(sentence) > room:
            break
        kept.append(sentence)
        room -= word_count(sentence)
    return " ".join(kept) or None


def fit_items(items: list[str], budget: int) -> tuple[list[str], int]:
    """Keep items in the order given while they fit; return (items kept, how many not shown in full).

    An item that does not fit whole keeps the leading sentences that fit; one whose first sentence
    does not fit is left out, and shorter items after it still get their turn.
    """
    kept: list[str] = []
    used = not_in_full = 0
    for item in items:
        fitted = fit_one(item, budget - used)
        if fitted != item:
            not_in_full += 1
        if fitted:
            kept.append(fitted)
            used += word_count(fitted)
    return kept, not_in_full
