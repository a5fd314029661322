"""Dates as reviews and action plans write them, normalised to ISO strings.

UK documents write numeric dates day first (23/09/2019). A publication date keeps the precision
it was published with ("January 2021" -> "2021-01"); a target date is a deadline, so a month,
quarter or year stands for its last day ("March 2022" -> "2022-03-31").
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    name: n
    for n in range(1, 13)
    for name in (calendar.month_name[n].lower(), calendar.month_abbr[n].lower())
}
_MONTHS["sept"] = 9
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"

# Each pattern names its groups: y, m or mon, d; q (quarter) with optional fy (second year).
_PATTERNS = [
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH},?\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(rf"\b{_MONTH},?\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(rf"\b{_MONTH}(?:[\-'\u2019/]|\s+['\u2019])(?P<y>\d{{2}})\b(?![/\-.:]?\d)", re.I),
    re.compile(r"\b(?P<m>\d{1,2})/(?P<y>\d{4})\b"),
    re.compile(
        r"\b(?:Q|quarter\s*)(?P<q>[1-4])\s*(?:of\s+)?(?:FY\s*)?(?P<y>\d{4})(?:\s*[/\-]\s*(?P<fy>\d{2}|\d{4}))?\b",
        re.I,
    ),
    re.compile(r"\b(?P<y>(?:19|20)\d{2})\b"),
]


@dataclass(frozen=True)
class DateMatch:
    """One date expression found in a text, with its precision."""

    start: int
    end: int
    year: int
    month: int | None
    day: int | None
    quarter: int | None = None
    financial: bool = False

    def last_day(self) -> date:
        """The deadline this expression stands for: its last day."""
        if self.day is not None and self.month is not None:
            return date(self.year, self.month, self.day)
        if self.quarter is not None:
            if self.financial:  # UK financial year: Q1 = April-June of the first year
                end_month = 3 * self.quarter + 3
                year = self.year + (end_month > 12)
                end_month = (end_month - 1) % 12 + 1
            else:
                end_month, year = 3 * self.quarter, self.year
            return date(year, end_month, calendar.monthrange(year, end_month)[1])
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if y < 100 else y


def _build(m: re.Match) -> DateMatch | None:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    try:
        year = _year(g["y"])
        if "q" in g:
            return DateMatch(m.start(), m.end(), year, None, None, int(g["q"]), financial="fy" in g)
        month = _MONTHS[g["mon"].lower()] if "mon" in g else int(g["m"]) if "m" in g else None
        day = int(g["d"]) if "d" in g else None
        if month is not None:
            date(year, month, day or 1)  # validates month and day
        if not 1900 <= year <= 2100:
            return None
    except (ValueError, KeyError):
        return None
    return DateMatch(m.start(), m.end(), year, month, day)


def find_dates(text: str) -> list[DateMatch]:
    """Every date expression in text, left to right; where expressions overlap the longest wins."""
    candidates = [d for pattern in _PATTERNS for m in pattern.finditer(text or "") if (d := _build(m))]
    candidates.sort(key=lambda d: (d.start, -(d.end - d.start)))
    chosen: list[DateMatch] = []
    for d in candidates:
        if chosen and d.start < chosen[-1].end:
            continue
        chosen.append(d)
    return chosen


def published_date(text: str) -> str | None:
    """The first dated expression with at least a month: 'YYYY-MM' or 'YYYY-MM-DD'; else None."""
    for d in find_dates(text):
        if d.month is None:
            continue
        return f"{d.year:04d}-{d.month:02d}" + (f"-{d.day:02d}" if d.day else "")
    return None


def due_date(text: str) -> str | None:
    """A target date as YYYY-MM-DD: the last date a cell names (a revised target follows the
    original), month/quarter/year -> its last day; None for 'Ongoing', 'Immediate' and the like."""
    found = find_dates(text)
    precise = [d for d in found if d.month is not None or d.quarter is not None]
    pick = (precise or found)[-1] if found else None
    return pick.last_day().isoformat() if pick else None


MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


def readable_date(value: str | None) -> str:
    """`2022-03` -> `March 2022`, `2019-05-14` -> `14 May 2019`, `2024` -> `2024`; else as given.

    The one way the pages and the briefings show the partial dates the sources give.
    """
    text = str(value or "")
    parts = text[:10].split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTH_NAMES[int(parts[1]) - 1]} {int(parts[0])}"
        if len(parts) == 2:
            return f"{MONTH_NAMES[int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        pass
    return text
