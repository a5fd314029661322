"""Read and check the search page's query string, and build the links that change it.

Every filter lives in the URL (repeatable GET parameters) so a search can be bookmarked and
shared. Anything malformed is a 400 with a message saying which parameter was wrong, never a
traceback or a silently different search.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from core import vocab
from core.text import strip_control

FILTERS = ("kind", "theme", "agency", "review", "year", "type", "status", "wording")
FILTER_LABELS = {
    "kind": "Kind of result", "theme": "Theme", "agency": "Agency", "review": "Review",
    "year": "Year", "type": "Review type", "status": "Status", "wording": "Wording",
}
# Closed vocabularies (the search index's own); theme/agency/review/status come from the data.
CHOICES = {
    "kind": vocab.slugs("result_kinds"),
    "type": vocab.slugs("review_types"),
    "wording": vocab.slugs("wordings"),
}
SORTS = ("relevance", "date")
MAX_QUERY = 200
MAX_PAGE = 1000
MAX_VALUES = 20  # per filter: more is not a real search
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")
YEAR = re.compile(r"^(19|20)\d\d$")


class BadParameter(ValueError):
    """A query-string parameter that cannot be used; the message is shown to the user."""


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"
    spell: bool = True  # False: search for exactly what was typed ("Search instead for ...")

    @property
    def active(self) -> bool:
        """Whether there is anything to search for (an empty form shows no results)."""
        return bool(self.q or any(self.filters.values()))

    def args(self, **changes) -> MultiDict:
        """These parameters as a query string dict, with `changes` applied (None drops a key)."""
        values = {"q": self.q, "sort": self.sort if self.sort != "relevance" else None,
                  "spell": None if self.spell else "off",
                  "page": self.page if self.page != 1 else None, **changes}
        out = MultiDict()
        for key in ("q", "sort", "spell"):
            if values.get(key):
                out.add(key, values[key])
        filters = values.get("filters", self.filters)
        for name in FILTERS:
            for value in filters.get(name, []):
                out.add(name, value)
        for key in ("page", "per_page"):  # per_page only when a caller passes it (the API)
            if values.get(key):
                out.add(key, values[key])
        return out

    def query_string(self, **changes) -> str:
        return urlencode(list(self.args(**changes).items(multi=True)))

    def toggled(self, name: str, value: str) -> str:
        """Query string with one filter value added or removed, back on page 1."""
        filters = {k: list(v) for k, v in self.filters.items()}
        chosen = filters.setdefault(name, [])
        if value in chosen:
            chosen.remove(value)
        else:
            chosen.append(value)
        return self.query_string(filters=filters, page=None)


def positive_int(raw: str | None, name: str, default: int, maximum: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise BadParameter(f"{name} must be a whole number from 1 to {maximum}.")
    return int(raw)


def parse(args: MultiDict, known: dict[str, dict[str, str]], statuses: set[str] | None,
          per_page_allowed: bool = False) -> SearchParams:
    """Check every parameter; `known` maps theme/agency/review to their valid values."""
    q = " ".join(strip_control(args.get("q") or "").split())  # never echo a control character
    if len(q) > MAX_QUERY:
        raise BadParameter(f"The search words must be at most {MAX_QUERY} characters.")
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadParameter("sort must be relevance or date.")
    filters: dict[str, list[str]] = {}
    for name in FILTERS:
        values = list(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
        if len(values) > MAX_VALUES:
            raise BadParameter(f"Too many {name} filters.")
        for value in values:
            _check_filter(name, value, known, statuses)
        if values:
            filters[name] = values
    spell = args.get("spell") or "on"
    if spell not in ("on", "off"):
        raise BadParameter("spell must be on or off.")
    page = positive_int(args.get("page"), "page", 1, MAX_PAGE)
    per_page = positive_int(args.get("per_page"), "per_page", 20, 100) if per_page_allowed else 20
    return SearchParams(q=q, filters=filters, page=page, per_page=per_page, sort=sort, spell=spell == "on")


def _check_filter(name: str, value: str, known: dict[str, dict[str, str]], statuses: set[str] | None) -> None:
    label = FILTER_LABELS[name].lower()
    if name == "year":
        if not YEAR.match(value):
            raise BadParameter("year must be a four-digit year, such as 2022.")
    elif name in ("theme", "agency", "review"):
        if value not in known.get(name, {}):
            raise BadParameter(f"There is no {label} called {value!r}.")
    elif name == "status" and statuses is not None:
        if value not in statuses:
            raise BadParameter(f"There is no status called {value!r}.")
    elif name in CHOICES:
        if value not in CHOICES[name]:
            raise BadParameter(f"{value!r} is not a valid {label}: use one of {', '.join(CHOICES[name])}.")
    elif not SLUG.match(value):
        raise BadParameter(f"{value!r} is not a valid {label}.")


def page_window(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link, with None where GOV.UK pagination shows an ellipsis."""
    wanted = {1, pages, *range(page - around, page + around + 1)}
    shown = sorted(p for p in wanted if 1 <= p <= pages)
    out: list[int | None] = []
    for number in shown:
        if out and number - (out[-1] or 0) > 1:
            out.append(None)
        out.append(number)
    return out
