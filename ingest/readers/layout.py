"""Remove running headers, footers and page numbers from PDF pages.

Running heads repeat the report title on every page and would otherwise split paragraphs
and pollute search; they are recognised as lines near the top or bottom edge whose text
(with digits masked) repeats across pages, or that are page numbers ("Page 3 of 60", "7").
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Protocol, TypeVar

from ingest.labels import is_page_number

EDGE_FRACTION = 0.15  # how far from the top/bottom edge a running line may sit
EDGE_LINES = 3  # how many lines at each edge are candidates


class PlacedLine(Protocol):
    text: str
    top: float  # PDF user space: larger is higher on the page
    bottom: float


L = TypeVar("L", bound=PlacedLine)


def mask(text: str) -> str:
    """The repeat key of a line: case-folded, digits masked, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.casefold())).strip()


def _edge_lines(lines: Sequence[L], height: float) -> list[L]:
    ordered = sorted(lines, key=lambda ln: -ln.top)
    top = [ln for ln in ordered[:EDGE_LINES] if ln.bottom >= height * (1 - EDGE_FRACTION)]
    bottom = [ln for ln in ordered[-EDGE_LINES:] if ln.top <= height * EDGE_FRACTION]
    return top + [ln for ln in bottom if ln not in top]


def strip_running(pages: Sequence[Sequence[L]], heights: Sequence[float]) -> list[list[L]]:
    """Return the pages without running headers/footers and page numbers."""
    edges = [_edge_lines(lines, h) for lines, h in zip(pages, heights)]
    counts: Counter[str] = Counter()
    for edge in edges:
        counts.update({mask(ln.text) for ln in edge})
    with_text = sum(1 for p in pages if p)
    threshold = max(2, int(0.4 * with_text + 0.999))
    out = []
    for lines, edge in zip(pages, edges):
        drop = {id(ln) for ln in edge if is_page_number(ln.text) or counts[mask(ln.text)] >= threshold}
        out.append([ln for ln in lines if id(ln) not in drop])
    return out
