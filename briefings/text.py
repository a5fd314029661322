"""Word budgets: each section must stay short enough for the whole briefing to fit one A4 page."""
from __future__ import annotations

import re

# Split after ., ! or ? followed by space and a capital, digit or quote: good enough for review prose
# and it never splits "e.g. the" or "4.2".
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'‘“(])")

CUT_NOTE = "Shortened for this briefing: see the full review."


def word_count(text: str) -> int:
    return len(text.split())


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def fit_items(items: list[str], budget: int) -> tuple[list[str], bool]:
    """Keep whole items while they fit, then whole sentences; return (items kept, whether cut).

    Cutting only at sentence boundaries keeps every line a faithful quotation of the source. A
    first sentence longer than the whole budget is the one case cut mid-sentence, marked with "…".
    """
    kept: list[str] = []
    used = 0
    for item in items:
        n = word_count(item)
        if used + n <= budget:
            kept.append(item)
            used += n
            continue
        partial: list[str] = []
        for sentence in sentences(item):
            if used + word_count(sentence) > budget:
                break
            partial.append(sentence)
            used += word_count(sentence)
        if partial:
            kept.append(" ".join(partial))
        elif not kept:
            kept.append(" ".join(item.split()[:budget]) + " …")
        return kept, True
    return kept, False
