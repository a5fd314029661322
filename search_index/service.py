"""The app's long-lived searcher: one open Whoosh searcher shared across requests, reopened only
when the index changes (a new version behind CURRENT, or a status update committed in place).
"""
from __future__ import annotations

import heapq
import logging
import math
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring
from whoosh.collectors import FilterCollector, ScoredCollector, TopCollector
from whoosh.spelling import ListCorrector

from search_index import store, synonyms
from search_index.facets import FacetCache
from search_index.query import Parsed, parse
from search_index.records import hit_title
from search_index.snippets import snippet
from search_index.synonyms import stems

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
MAX_PAGE = 1000
HIT_FIELDS = ("kind", "id", "review_id", "review_title", "title", "url", "year", "themes",
              "agencies", "status", "wording", "page")
FEW = 5  # fewer documents than this with all the words: add the closest matches below them
THIN_FACTOR = 0.3  # score weight of records that hold no learning
RELATED_TERMS = 12
RELATED_MIN_SHARED = 2  # key terms a related item must share with the source
RELATED_FLOOR = 0.15  # and this share of the score the source gets against its own terms
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
    matched_all: int = 0  # how many contain every word (or name what the query names)
    relaxed: bool = False  # closer matches over some of the words follow those
    corrected_from: str | None = None  # what was typed, when the results are for a correction

    @property
    def closest_only(self) -> bool:
        """No result contains all the words: every hit is a closest match."""
        return self.relaxed and self.matched_all == 0


def _int(value: object, default: int, low: int, high: int) -> int:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return default
    return max(low, min(high, number))


class _AllDocs(TopCollector):
    """The top `limit` hits plus every matching document number, from one scoring pass.

    Whoosh's TopCollector skips low-quality blocks and then re-runs the query (`docs_for_query`)
    for the total; scoring every match once and keeping its number is cheaper than matching twice.
    """

    def __init__(self, limit: int):
        super().__init__(limit=max(1, limit), usequality=False)

    def _collect(self, global_docnum, score):
        self.docset.add(global_docnum)
        return super()._collect(global_docnum, score)

    def all_ids(self):
        return self.docset

    def computes_count(self):
        return True


class _Scores(ScoredCollector):
    """Every matching document's score (for best-match ranking with coordination)."""

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.scores: dict[int, float] = {}

    def _collect(self, global_docnum, score):
        self.scores[global_docnum] = score
        return 0 - score

    def results(self):  # pragma: no cover - read through .scores
        return None


class _Weighting(scoring.BM25F):
    """BM25F, with records that hold no learning (a review we could not read) ranked lower."""

    use_final = True

    def __init__(self, thin: frozenset[int]):
        super().__init__()
        self.thin = thin

    def final(self, searcher, docnum, score):
        return score * THIN_FACTOR if docnum in self.thin else score


@dataclass
class _Tier:
    ranked: list[tuple[int, float]]
    docs: set[int]


class _Opened:
    """One generation of the index: facet cache, dates and one searcher per thread.

    Whoosh searchers are not safe to share between threads, so each thread gets its own (opened
    on first use); everything else here is read-only once built, so searches need no lock.
    """

    def __init__(self, version: Path):
        self.version = version
        self.index = whoosh_index.open_dir(str(version))
        self.primary = self.index.searcher()
        self.facets = FacetCache(self.primary)
        kinds = self.facets.sets["kind"]
        learning = kinds.get("learning-point", frozenset()) | kinds.get("recommendation", frozenset())
        self.thin = frozenset().union(*(docs for docs in self.facets.sets["review"].values()
                                        if not docs & learning))
        self.weighting = _Weighting(self.thin)
        reader = self.primary.reader()
        column = reader.column_reader("date") if reader.has_column("date") else None
        self.dates = list(column) if column is not None else []
        self._local = threading.local()
        self._searchers: list = []
        self._searchers_lock = threading.Lock()

    def searcher(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self.index.searcher(weighting=self.weighting)
            self._local.searcher = searcher
            with self._searchers_lock:
                self._searchers.append(searcher)
        return searcher

    def up_to_date(self) -> bool:
        return self.primary.up_to_date()

    def close(self) -> None:
        with self._searchers_lock:
            for searcher in [self.primary, *self._searchers]:
                try:
                    searcher.close()
                except Exception:  # noqa: BLE001 - closing a retired reader must not fail a search
                    log.debug("closing a retired searcher failed", exc_info=True)
            self._searchers = []
        self.index.close()


class SearchService:
    """Thread-safe search over the live index in `index_dir`; never raises on user input."""

    def __init__(self, index_dir: str | Path, taxonomy: Path | None = None):
        self.index_dir = Path(index_dir)
        self.synonyms = synonyms.load(taxonomy or synonyms.TAXONOMY_FILE)
        self._swap_lock = threading.Lock()  # held only while a new index generation is opened
        self._opened: _Opened | None = None
        self._retired: list[_Opened] = []
        self._vocabulary = ListCorrector(self.synonyms.vocabulary)

    # -- keeping the searcher current -------------------------------------------------------

    def _current(self) -> _Opened | None:
        """The live generation, reopened if CURRENT moved or a commit landed in place."""
        version = store.current_version(self.index_dir)
        opened = self._opened
        if version is None:
            return opened  # a vanished pointer should not take search down; keep what we have
        try:
            if opened is not None and opened.version == version and opened.up_to_date():
                return opened
        except Exception:  # noqa: BLE001 - an unreadable TOC: treat as changed
            log.debug("could not check the index generation", exc_info=True)
        with self._swap_lock:
            opened = self._opened
            try:
                if opened is None or opened.version != version or not opened.up_to_date():
                    self._opened = _Opened(version)
                    if opened is not None:
                        # other threads may still be reading it: close it one generation later
                        self._retired.append(opened)
                        while len(self._retired) > 1:
                            self._retired.pop(0).close()
            except Exception:  # noqa: BLE001 - a half-deleted or unreadable index: keep the old one
                log.exception("could not open search index %s", version)
            return self._opened

    def close(self) -> None:
        with self._swap_lock:
            for opened in [*self._retired, self._opened]:
                if opened is not None:
                    opened.close()
            self._opened, self._retired = None, []

    # -- searching ---------------------------------------------------------------------------

    def search(self, q: object = "", filters: dict | None = None, page: object = 1, per_page: object = 20,
               sort: object = "relevance", facets: bool = True, spelling: bool = True) -> SearchResults:
        """One page of results for `q` within `filters` (facet -> allowed values).

        All words first; then what names the same theme or agency; when that finds fewer than
        `FEW` documents, the best matches over any of the words (more words matched first). A
        query that finds nothing because of a misspelt word is answered for the corrected words
        (`corrected_from` holds what was typed) unless `spelling=False`. An empty query with
        filters lists the filtered documents; an empty query without filters returns nothing
        (but the facet counts for the whole index). `facets=False` skips the facet counts.
        """
        page = _int(page, 1, 1, MAX_PAGE)
        per_page = _int(per_page, 20, 1, MAX_PER_PAGE)
        sort = sort if sort in ("relevance", "date") else "relevance"
        filters = filters if isinstance(filters, dict) else {}
        opened = self._current()
        parsed = parse(q, self.synonyms)
        if opened is None:
            return SearchResults(page=page, query=parsed.text, index_missing=True)
        try:
            results = self._search(opened, parsed, filters, page, per_page, sort, facets)
            if results.total == 0 and spelling and parsed.query is not None:
                corrected = self._corrected(opened, parsed)
                if corrected:
                    again = self._search(opened, parse(corrected, self.synonyms), filters, page, per_page,
                                         sort, facets)
                    if again.total:
                        again.corrected_from = parsed.text
                        return again
            return results
        except Exception:  # noqa: BLE001 - log it; the reader gets an empty page, not a 500
            log.exception("search failed for %r", parsed.text)
            return SearchResults(page=page, query=parsed.text)

    def _search(self, opened: _Opened, parsed: Parsed, filters: dict, page: int, per_page: int,
                sort: str, want_facets: bool) -> SearchResults:
        searcher, cache = opened.searcher(), opened.facets
        allowed = cache.filter_docs(filters)
        if allowed is not None and not allowed:
            return SearchResults(page=page, query=parsed.text, facets=cache.counts(set()) if want_facets else {})
        need = page * per_page
        if parsed.query is None:
            if allowed is None:
                return SearchResults(page=page, query=parsed.text,
                                     facets=cache.counts(cache.all_docs) if want_facets else {})
            tiers = [_Tier([], set(allowed))]
            sort = "date" if sort == "relevance" and not parsed.text else sort
            if sort == "relevance":
                tiers = [self._run(searcher, wq.Every(), need, allowed)]
        else:
            tiers = [self._run(searcher, parsed.query, need, allowed)]
            found = set(tiers[0].docs)
            if parsed.concept is not None:
                tiers.append(self._run(searcher, parsed.concept, need, allowed, mask=found))
                found |= tiers[-1].docs
        matched_all = sum(len(t.docs) for t in tiers)
        relaxed = False
        if parsed.query is not None and matched_all < FEW and len(parsed.units) > 1:
            tiers.append(self._relaxed(searcher, parsed, need, allowed, set().union(*(t.docs for t in tiers))))
            relaxed = bool(tiers[-1].docs)
        found = set().union(*(t.docs for t in tiers))
        total = len(found)
        if sort == "date":
            dates = opened.dates
            ranked = [(d, 0.0) for d in heapq.nsmallest(
                need, found, key=lambda d: (-(dates[d] if d < len(dates) else 0), d))]
        else:
            ranked = [pair for tier in tiers for pair in tier.ranked][:need]
        start = (page - 1) * per_page
        hits = [self._hit(searcher, docnum, score, parsed) for docnum, score in ranked[start:start + per_page]]
        suggestion = self._suggest(searcher, parsed) if total == 0 else None
        return SearchResults(hits=hits, total=total, page=page, pages=math.ceil(total / per_page),
                             facets=cache.counts(found) if want_facets else {}, suggestion=suggestion,
                             query=parsed.text, matched_all=matched_all, relaxed=relaxed)

    @staticmethod
    def _run(searcher, query: wq.Query, limit: int, allowed, mask: set | None = None) -> _Tier:
        """One scoring pass: the best `limit` documents and the numbers of all that match."""
        top = _AllDocs(limit)
        collector = FilterCollector(top, allow=set(allowed) if allowed is not None else None,
                                    restrict=mask or None)
        searcher.search_with_collector(query, collector)
        # the heap holds (score, -docnum): best score first, lower document number on ties
        return _Tier([(-negated, score) for score, negated in sorted(top.items, reverse=True)], top.docset)

    @staticmethod
    def _relaxed(searcher, parsed: Parsed, limit: int, allowed, mask: set) -> _Tier:
        """Best match over any of the units: more units matched first, then the summed score."""
        if parsed.negative is not None:
            mask = mask | set(searcher.docs_for_query(parsed.negative))
        scores: dict[int, float] = defaultdict(float)
        coord: Counter = Counter()
        for unit in parsed.units:
            part = _Scores()
            searcher.search_with_collector(unit.either, FilterCollector(
                part, allow=set(allowed) if allowed is not None else None, restrict=mask or None))
            for docnum, score in part.scores.items():
                scores[docnum] += score
                coord[docnum] += 1
        best = heapq.nsmallest(limit, scores, key=lambda d: (-coord[d], -scores[d], d))
        return _Tier([(d, scores[d]) for d in best], set(scores))

    def _hit(self, searcher, docnum: int, score: float, parsed: Parsed) -> dict:
        record = searcher.stored_fields(docnum)["doc"]
        out = {name: record.get(name) for name in HIT_FIELDS}
        out["label"] = record.get("title")
        out["title"] = hit_title(record)
        out["snippet"] = snippet(record.get("content") or "", parsed.stems, parsed.prefixes)
        out["score"] = score
        return out

    def _corrected(self, opened: _Opened, parsed: Parsed) -> str | None:
        """The query with each word the index and the vocabulary do not know spelt as one they do."""
        reader = opened.searcher().reader()
        indexed = reader.corrector("exact")
        text, changed = parsed.text, False
        for word in dict.fromkeys(parsed.words):
            if ("exact", word) in reader or self.synonyms.known(stems(word), word) or len(word) < 4:
                continue
            maxdist = 1 if len(word) <= 5 else 2
            found = (self._vocabulary.suggest(word, limit=1, maxdist=maxdist, prefix=1)
                     or indexed.suggest(word, limit=1, maxdist=maxdist, prefix=1))
            if found and found[0] != word:
                text, changed = _replace_word(text, word, found[0]), True
        return text if changed else None

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
        opened = self._current()
        if opened is None:
            return []
        try:
            return self._related(opened, kind, id, limit)
        except Exception:  # noqa: BLE001
            log.exception("related failed for %s %s", kind, id)
            return []

    def _related(self, opened: _Opened, kind: str, doc_id: str, limit: int) -> list[dict]:
        """Like Whoosh's `more_like`: the source's key terms (boilerplate and review language left
        out) against learning from other reviews that shares one of its themes; a hit must share
        at least two key terms and score at least RELATED_FLOOR of what the source scores itself."""
        searcher, cache = opened.searcher(), opened.facets
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return []
        record = searcher.stored_fields(docnum)["doc"]
        if record.get("kind") != kind:
            return []
        kinds = cache.sets["kind"]
        candidates = (kinds.get("recommendation", frozenset()) | kinds.get("learning-point", frozenset()))
        candidates -= cache.sets["review"].get(record.get("review_id") or "", frozenset())
        themes = [cache.sets["theme"].get(t, frozenset()) for t in record.get("themes") or []]
        if themes:
            candidates &= frozenset().union(*themes)
        ignore = self.synonyms.related_ignore
        terms = [(w, weight) for w, weight in
                 searcher.key_terms_from_text("text", record.get("content") or "", numterms=20)
                 if w not in ignore and len(w) > 2][:RELATED_TERMS]
        if len(terms) < RELATED_MIN_SHARED or not candidates:
            return []
        query = wq.Or([wq.Term("text", word, boost=weight) for word, weight in terms])
        itself = searcher.search(query, limit=1, filter={docnum})
        floor = RELATED_FLOOR * itself[0].score if len(itself) else 0.0
        results = searcher.search(query, limit=limit * 3, filter=set(candidates), terms=True)
        parsed = Parsed("", None, stems={word for word, _ in terms})
        return [self._hit(searcher, hit.docnum, hit.score, parsed) for hit in results
                if hit.score >= floor and len({t for _, t in hit.matched_terms()}) >= RELATED_MIN_SHARED][:limit]


def _replace_word(text: str, word: str, replacement: str) -> str:
    return re.sub(rf"(?i)\b{re.escape(word)}\b", replacement, text, count=1)
