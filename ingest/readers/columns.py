"""Reading order for multi-column PDF pages: left column top to bottom, then the right.

Some producers draw two-column pages line by line across the page, so content-stream order
interleaves the columns; lines that sit wholly either side of a clear vertical gutter are
regrouped, while full-width lines (titles, footers) keep their place between column runs.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

MIN_COLUMN_LINES = 2


class BoxedLine(Protocol):
    x0: float
    x1: float
    top: float
    bottom: float


L = TypeVar("L", bound=BoxedLine)


def find_gutter(lines: Sequence[L], width: float) -> float | None:
    """The x of a gutter with enough lines wholly on each side at overlapping heights, else None."""
    starts = sorted(ln.x0 for ln in lines if 0.3 * width < ln.x0 < 0.7 * width)
    if len(starts) < MIN_COLUMN_LINES:
        return None
    gutter = starts[0] - 1.0
    left = [ln for ln in lines if ln.x1 <= gutter]
    right = [ln for ln in lines if ln.x0 >= gutter]
    if len(left) < MIN_COLUMN_LINES or len(right) < MIN_COLUMN_LINES:
        return None
    overlap = min(max(ln.top for ln in left), max(ln.top for ln in right)) - max(
        min(ln.bottom for ln in left), min(ln.bottom for ln in right))
    return gutter if overlap > 0 else None


def reading_order(lines: Sequence[L], width: float) -> tuple[list[L], bool]:
    """Lines in reading order and whether a two-column layout was found."""
    gutter = find_gutter(lines, width)
    if gutter is None:
        return list(lines), False
    ordered: list[L] = []
    run: list[L] = []

    def flush() -> None:
        left = sorted((ln for ln in run if ln.x1 <= gutter), key=lambda ln: -ln.top)
        right = sorted((ln for ln in run if ln.x1 > gutter), key=lambda ln: -ln.top)
        ordered.extend(left + right)
        run.clear()

    for ln in sorted(lines, key=lambda ln: -ln.top):
        if ln.x0 < gutter < ln.x1:  # spans both columns: ends the current column run
            flush()
            ordered.append(ln)
        else:
            run.append(ln)
    flush()
    return ordered, True
