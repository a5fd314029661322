"""The app's long-lived searcher: one open Whoosh searcher shared across requests, reopened only
when the index changes (a new version behind CURRENT, or a status update committed in place).
"""
from __future__ import annotations

import logging
import math
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting

from search_index import store, synonyms
from search_index.facets import FacetCache
from search_index.query import Parsed, parse
from search_index.snippets import snippet

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
MAX_PAGE = 1000
HIT_FIELDS = ("kind", "id", "review_id", "review_title", "title", "url", "year", "themes",
              "agencies", "status", "wording", "page")
RELATED_KINDS = {"recommendation": "recommendation", "rec": "recommendation",
                 "learning-point": "learning-point", "learning_point": "learning-point", "lp": "learning-point"}


@dataclass
class SearchResults:
    """One page of hits plus what the page around them needs."""

    hits: list[dict] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    query: str = ""
    index_missing: bool = False
    total_is_exact: bool = True


def _int(value: object, default: int, low: int, high: int) -> int:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return default
    return max(low, min(high, number))


class _Opened:
    """A searcher with its version and facet cache (replaced whole when the index changes)."""

    def __init__(self, version: Path):
        self.version = version
        self.index = whoosh_index.open_dir(str(version))
        self.searcher = self.index.searcher()
        self.facets = FacetCache(self.searcher)

    def reopen(self) -> None:
        """Pick up a commit made in place (a status update). A fresh reader, not refresh():
        Whoosh's reader reuse would keep the old segment reader and miss the new deletion."""
        old, self.searcher = self.searcher, self.index.searcher()
        self.facets = FacetCache(self.searcher)
        old.close()

    def close(self) -> None:
        self.searcher.close()
        self.index.close()


class SearchService:
    """Thread-safe search over the live index in `index_dir`; never raises on user input."""

    def __init__(self, index_dir: str | Path, taxonomy: Path | None = None):
        self.index_dir = Path(index_dir)
        self.synonyms = synonyms.load(taxonomy or synonyms.TAXONOMY_FILE)
        self._lock = threading.RLock()
        self._opened: _Opened | None = None

    # -- keeping the searcher current -------------------------------------------------------

    def _current(self) -> _Opened | None:
        """The open searcher for the live version, reopened if CURRENT moved or a commit landed."""
        version = store.current_version(self.index_dir)
        opened = self._opened
        if version is None:
            return opened  # a vanished pointer should not take search down; keep what we have
        try:
            if opened is None or opened.version != version:
                fresh = _Opened(version)
                self._opened = fresh
                if opened is not None:
                    opened.close()
            elif not opened.searcher.up_to_date():
                opened.reopen()
        except Exception:  # noqa: BLE001 - a half-deleted or unreadable index: keep the old one
            log.exception("could not open search index %s", version)
        return self._opened

    def close(self) -> None:
        with self._lock:
            if self._opened is not None:
                self._opened.close()
                self._opened = None

    # -- searching ---------------------------------------------------------------------------

    def search(self, q: object = "", filters: dict | None = None, page: object = 1, per_page: object = 20,
               sort: object = "relevance", facets: bool = True) -> SearchResults:
        """One page of results for `q` within `filters` (facet -> allowed values).

        An empty query with filters lists the filtered documents; an empty query without filters
        returns nothing (but the facet counts for the whole index). `facets=False` skips the exact
        total and facet counts (the total is then Whoosh's estimate).
        """
        page = _int(page, 1, 1, MAX_PAGE)
        per_page = _int(per_page, 20, 1, MAX_PER_PAGE)
        sort = sort if sort in ("relevance", "date") else "relevance"
        filters = filters if isinstance(filters, dict) else {}
        with self._lock:
            opened = self._current()
            parsed = parse(q, self.synonyms)
            if opened is None:
                return SearchResults(page=page, query=parsed.text, index_missing=True)
            try:
                return self._search(opened, parsed, filters, page, per_page, sort, facets)
            except Exception:  # noqa: BLE001 - log it; the reader gets an empty page, not a 500
                log.exception("search failed for %r", parsed.text)
                return SearchResults(page=page, query=parsed.text)

    def _search(self, opened: _Opened, parsed: Parsed, filters: dict, page: int, per_page: int,
                sort: str, want_facets: bool) -> SearchResults:
        searcher, cache = opened.searcher, opened.facets
        allowed = cache.filter_docs(filters)
        query = parsed.query
        if query is None:
            if allowed is None:
                return SearchResults(page=page, query=parsed.text,
                                     facets=cache.counts(cache.all_docs) if want_facets else {})
            query, sort = wq.Every(), "date" if sort == "relevance" and not parsed.text else sort
        if allowed is not None and not allowed:
            return SearchResults(page=page, query=parsed.text, facets=cache.counts(set()) if want_facets else {})
        kwargs = {"limit": page * per_page, "filter": set(allowed) if allowed is not None else None}
        if sort == "date":
            kwargs["sortedby"] = [sorting.FieldFacet("date", reverse=True), sorting.ScoreFacet()]
        results = searcher.search(query, **kwargs)
        exact = True
        if want_facets:
            matched = set(searcher.docs_for_query(query))
            if allowed is not None:
                matched &= allowed
            total, facet_counts = len(matched), cache.counts(matched)
        else:
            exact = results.has_exact_length()
            total, facet_counts = (len(results) if exact else results.estimated_length()), {}
        start = (page - 1) * per_page
        hits = [self._hit(results[i], parsed) for i in range(start, min(start + per_page, results.scored_length()))]
        suggestion = self._suggest(searcher, parsed) if total == 0 else None
        return SearchResults(hits=hits, total=total, page=page, pages=math.ceil(total / per_page),
                             facets=facet_counts, suggestion=suggestion, query=parsed.text,
                             total_is_exact=exact)

    @staticmethod
    def _hit(hit, parsed: Parsed) -> dict:
        record = hit["doc"]
        out = {name: record.get(name) for name in HIT_FIELDS}
        out["snippet"] = snippet(record.get("content") or "", parsed.stems, parsed.prefixes)
        out["score"] = hit.score
        return out

    def _suggest(self, searcher, parsed: Parsed) -> str | None:
        """"Did you mean": each unknown word replaced by its nearest indexed word, if any."""
        reader = searcher.reader()
        text, changed = parsed.text, False
        corrector = reader.corrector("exact")
        for word in dict.fromkeys(parsed.words):
            if ("exact", word) in reader:
                continue
            found = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
            if found and found[0] != word:
                text = _replace_word(text, word, found[0])
                changed = True
        return text if changed else None

    # -- related learning --------------------------------------------------------------------

    def related(self, kind: str, id: str, limit: int = 5) -> list[dict]:
        """Recommendations and learning points from OTHER reviews most like this one."""
        kind = RELATED_KINDS.get(kind) if isinstance(kind, str) else None
        limit = _int(limit, 5, 1, 50)
        if kind is None or not isinstance(id, str):
            return []
        with self._lock:
            opened = self._current()
            if opened is None:
                return []
            try:
                return self._related(opened, kind, id, limit)
            except Exception:  # noqa: BLE001
                log.exception("related failed for %s %s", kind, id)
                return []

    def _related(self, opened: _Opened, kind: str, doc_id: str, limit: int) -> list[dict]:
        searcher, cache = opened.searcher, opened.facets
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return []
        record = searcher.stored_fields(docnum)["doc"]
        if record.get("kind") != kind:
            return []
        kinds = cache.sets["kind"]
        candidates = (kinds.get("recommendation", frozenset()) | kinds.get("learning-point", frozenset()))
        candidates -= cache.sets["review"].get(record.get("review_id") or "", frozenset())
        terms = searcher.key_terms_from_text("text", record.get("content") or "", numterms=12)
        if not terms or not candidates:
            return []
        query = wq.Or([wq.Term("text", word, boost=weight) for word, weight in terms])
        results = searcher.search(query, limit=limit, filter=set(candidates))
        parsed = Parsed("", None, stems={word for word, _ in terms})
        return [self._hit(hit, parsed) for hit in results]


def _replace_word(text: str, word: str, replacement: str) -> str:
    return re.sub(rf"(?i)\b{re.escape(word)}\b", replacement, text, count=1)
