"""The app's long-lived searcher: one open Whoosh searcher shared across requests, reopened only
when the index changes (a new version behind CURRENT).

Statuses are not in the index: a caller passes the current ones (document id -> status, from the
tracker) and the status facet, filter and each hit's status come from them, as sets of document
numbers like every other facet.
"""
from __future__ import annotations

import heapq
import logging
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.spelling import ListCorrector

from search_index import matching, scoring, spelling, store, synonyms
from search_index.facets import FacetCache
from search_index.query import Parsed, only_fields, parse, relaxed_units
from search_index.records import hit_title
from search_index.snippets import snippet
from search_index.synonyms import stems

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
MAX_PAGE = 1000
HIT_FIELDS = ("kind", "id", "review_id", "review_title", "title", "url", "year", "themes",
              "agencies", "status", "wording", "page")
PARAGRAPH_FIELDS = frozenset({"body"})  # where report paragraphs' text is indexed
OTHER_FIELDS = frozenset({"heading", "text"})  # where everything else's is
DIRECT_TAGS = frozenset({"kind", "year"})  # "recommendations", "2018": the words ask for exactly these records
FEW = 5  # fewer documents than this with all the words: add the closest matches below them
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
    tagged_only: bool = False  # no record holds the words: what matched is tagged with what they name

    @property
    def closest_only(self) -> bool:
        """No result contains all the words: every hit is a closest match (or only tagged with the
        theme or agency the words name, as "LADO" finds the council's records)."""
        return (self.relaxed and self.matched_all == 0) or self.tagged_only


def _int(value: object, default: int, low: int, high: int) -> int:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return default
    return max(low, min(high, number))


class _Within(FilterCollector):
    """Whoosh's FilterCollector taking any set-like of document numbers as it is (no copy)."""

    def __init__(self, child, allow):
        super().__init__(child, allow=allow)

    def prepare(self, top_searcher, q, context):
        self.child.prepare(top_searcher, q, context)
        self._allow, self._restrict, self.filtered_count = self.allow, None, 0


@dataclass
class _Tier:
    """Documents of equal standing and the query that orders them (`cheap`: order without scoring)."""

    query: wq.Query
    docs: frozenset[int]
    cheap: bool = False
    literal: list[frozenset[int]] = field(default_factory=list)  # per unit, to order a cheap tier
    tags: list[frozenset] = field(default_factory=list)  # per unit naming a theme or agency, its tags


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
        self.postings = matching.PostingSets()
        self.scores = scoring.TermScores()
        rank = {"learning-point": 0, "recommendation": 0, "action": 1, "review": 2, "paragraph": 3}
        self.kind_rank = {d: rank.get(kind, 4) for kind, docs in kinds.items() for d in docs}
        reader = self.primary.reader()
        column = reader.column_reader("date") if reader.has_column("date") else None
        self.dates = list(column) if column is not None else []
        self._local = threading.local()
        self._searchers: list = []
        self._searchers_lock = threading.Lock()
        self._docnums: dict[str, int | None] = {}  # document id -> number, filled as statuses ask
        self._status_sets: tuple[Mapping, dict[str, frozenset[int]]] | None = None
        self.review_records = kinds.get("review", frozenset())
        self._whole: dict[tuple[str, str], frozenset[int]] = {}  # tag -> records of reviews carrying it

    def whole_reviews(self, units: list[frozenset]) -> frozenset[int]:
        """Every record of the reviews whose own record carries a tag of each unit.

        A theme the review as a whole carries says more than the same tag on one learning point of
        a review about something else ("CAMHS": a child's mental health, not a parent's history of
        self-harm). Per tag, worked out once per index generation.
        """
        per_unit = []
        for tags in units:
            found = []
            for tag in tags:
                if tag not in self._whole:
                    tagged = self.facets.sets.get(tag[0], {}).get(tag[1], frozenset()) & self.review_records
                    self._whole[tag] = frozenset().union(*(
                        docs for docs in self.facets.sets["review"].values() if not docs.isdisjoint(tagged)))
                found.append(self._whole[tag])
            per_unit.append(frozenset().union(*found))
        return frozenset.intersection(*per_unit) if per_unit else frozenset()

    def status_sets(self, statuses: Mapping[str, str]) -> dict[str, frozenset[int]]:
        """status -> document numbers, for the given id -> status mapping (the last one is kept,
        so a caller that passes the same mapping object again pays nothing)."""
        last = self._status_sets
        if last is not None and last[0] is statuses:
            return last[1]
        searcher = self.searcher()
        grouped: dict[str, set[int]] = defaultdict(set)
        for doc_id, status in statuses.items():
            if doc_id not in self._docnums:
                self._docnums[doc_id] = searcher.document_number(id=doc_id)
            docnum = self._docnums[doc_id]
            if docnum is not None and status:
                grouped[status].add(docnum)
        sets = {status: frozenset(docs) for status, docs in grouped.items()}
        self._status_sets = (statuses, sets)
        return sets

    def searcher(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self.index.searcher()
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
        self._vocabulary_words = frozenset(self.synonyms.vocabulary)

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
               sort: object = "relevance", facets: bool = True, spelling: bool = True,
               statuses: Mapping[str, str] | None = None) -> SearchResults:
        """One page of results for `q` within `filters` (facet -> allowed values).

        All words first; then what names the same theme or agency; when that finds fewer than
        `FEW` documents, the best matches over any of the words (more words matched first). A
        query that finds nothing because of a misspelt word is answered for the corrected words
        (`corrected_from` holds what was typed) unless `spelling=False`. An empty query with
        filters lists the filtered documents; an empty query without filters returns nothing
        (but the facet counts for the whole index). `facets=False` skips the facet counts.
        `statuses` (document id -> status) gives the status facet, filter and hit field; without
        it a status filter matches nothing.
        """
        page = _int(page, 1, 1, MAX_PAGE)
        per_page = _int(per_page, 20, 1, MAX_PER_PAGE)
        sort = sort if sort in ("relevance", "date") else "relevance"
        filters = filters if isinstance(filters, dict) else {}
        statuses = statuses if isinstance(statuses, Mapping) else {}
        opened = self._current()
        parsed = parse(q, self.synonyms)
        if opened is None:
            return SearchResults(page=page, query=parsed.text, index_missing=True)
        try:
            results = self._search(opened, parsed, filters, page, per_page, sort, facets, statuses)
            if results.matched_all == 0 and spelling and parsed.query is not None:
                # a misspelt word is corrected before the query is relaxed around it
                corrected = self._corrected(opened, parsed)
                if corrected:
                    again = self._search(opened, parse(corrected, self.synonyms), filters, page, per_page,
                                         sort, facets, statuses)
                    if again.matched_all or (again.total and not results.total):
                        again.corrected_from = parsed.text
                        return again
            return results
        except Exception:  # noqa: BLE001 - log it; the reader gets an empty page, not a 500
            log.exception("search failed for %r", parsed.text)
            return SearchResults(page=page, query=parsed.text)

    def _search(self, opened: _Opened, parsed: Parsed, filters: dict, page: int, per_page: int,
                sort: str, want_facets: bool, statuses: Mapping[str, str]) -> SearchResults:
        searcher = opened.searcher()
        cache = opened.facets.with_facet("status", opened.status_sets(statuses))
        allowed = cache.filter_docs(filters)
        if allowed is not None and not allowed:
            return SearchResults(page=page, query=parsed.text, facets=cache.counts(set()) if want_facets else {})
        need = page * per_page
        if parsed.query is None:
            if allowed is None:
                return SearchResults(page=page, query=parsed.text,
                                     facets=cache.counts(cache.all_docs) if want_facets else {})
            tiers = [_Tier(wq.Every(), allowed)]
            sort = "date" if sort == "relevance" and not parsed.text else sort
            relaxed, matched_all, literally = False, len(allowed), len(allowed)
        else:
            tiers, relaxed, matched_all, literally = self._tiers(opened, parsed, allowed)
        found = frozenset().union(*(t.docs for t in tiers))
        total = len(found)
        if sort == "date":
            dates = opened.dates
            ranked = [(d, 0.0) for d in heapq.nsmallest(
                need, found, key=lambda d: (-(dates[d] if d < len(dates) else 0), d))]
        else:
            ranked = self._rank(opened, tiers, need)
        start = (page - 1) * per_page
        hits = [self._hit(searcher, docnum, score, parsed, statuses)
                for docnum, score in ranked[start:start + per_page]]
        suggestion = self._suggest(searcher, parsed) if matched_all == 0 and parsed.query is not None else None
        return SearchResults(hits=hits, total=total, page=page, pages=math.ceil(total / per_page),
                             facets=cache.counts(found) if want_facets else {}, suggestion=suggestion,
                             query=parsed.text, matched_all=matched_all, relaxed=relaxed,
                             tagged_only=matched_all > 0 and not literally)

    @staticmethod
    def _tiers(opened: _Opened, parsed: Parsed, allowed) -> tuple[list[_Tier], bool, int, int]:
        """The matching documents in rank tiers, from posting sets (no scoring yet), whether
        closest matches were added, how many match all units and how many of those hold every unit
        itself (or are the kind of record or year it names).

        1. every unit found literally (as typed before through equivalents only, and each of those
        tagged with what the words name first); 2. every unit found literally or through the theme
        or agency it names; 3. (when 1 and 2 hold fewer than FEW) any unit, more units first; when
        1 and 2 are empty, each word of a multi-word run counts as a unit too.
        """
        searcher, cache, postings = opened.searcher(), opened.facets, opened.postings

        def found(units: list) -> tuple[list[frozenset[int]], list[frozenset[int]], list[frozenset[int]]]:
            literal = [matching.docs(u.literal, searcher, postings) for u in units]
            tagged = [frozenset().union(*(cache.sets.get(fld, {}).get(slug, frozenset()) for fld, slug in u.tags))
                      for u in units]
            return literal, [lit | tag for lit, tag in zip(literal, tagged)], tagged

        literal, either, tags = found(parsed.units)
        excluded = matching.docs(parsed.negative, searcher, postings) if parsed.negative is not None else frozenset()

        def usable(docs: frozenset[int]) -> frozenset[int]:
            # without filters nothing to keep out: postings already leave deleted documents out,
            # and copying a national-scale match into `& all_docs` cost milliseconds a query
            kept = docs & allowed if allowed is not None else docs
            return kept - excluded if excluded else kept

        strict = usable(frozenset.intersection(*literal))
        # what holds every unit itself, or is the kind of record or year a unit names (not only
        # tagged with the theme or agency it names)
        direct = strict
        if any(fld in DIRECT_TAGS for u in parsed.units for fld, _ in u.tags):
            direct = usable(frozenset.intersection(*(lit.union(*(cache.sets.get(fld, {}).get(slug, frozenset())
                                                                 for fld, slug in u.tags if fld in DIRECT_TAGS))
                                                     for u, lit in zip(parsed.units, literal))))
        own = frozenset.intersection(*(lit if u.own is None else matching.docs(u.own, searcher, postings)
                                       for u, lit in zip(parsed.units, literal)))
        # what was typed, then what holds only its equivalents (both contain every unit); within
        # each, what is also tagged with every theme or agency the words name comes first
        named = [tag for u, tag in zip(parsed.units, tags) if u.tags]
        tagged = frozenset.intersection(*named) if named else strict
        parts = (strict & own & tagged, (strict & own) - tagged, (strict - own) & tagged, strict - own - tagged)
        tiers = [_Tier(parsed.query, docs) for docs in parts if docs] or [_Tier(parsed.query, strict)]
        if any(u.tags for u in parsed.units):
            tiers.append(_Tier(parsed.concept, usable(frozenset.intersection(*either)) - strict, cheap=True,
                               literal=literal, tags=[u.tags for u in parsed.units if u.tags]))
        matched_all = sum(len(t.docs) for t in tiers)
        units = relaxed_units(parsed) if matched_all == 0 else parsed.units  # a run's words: only to avoid nothing
        if matched_all >= FEW or len(units) < 2:
            return tiers, False, matched_all, len(direct)
        either += found(units[len(parsed.units):])[1]
        seen = frozenset().union(*(t.docs for t in tiers))
        coord = Counter(d for docs in either for d in docs)
        rest = usable(frozenset(coord)) - seen
        by_level: dict[int, set[int]] = defaultdict(set)
        for docnum in rest:
            by_level[coord[docnum]].add(docnum)
        relaxed_query = wq.Or([u.either for u in units])
        if parsed.negative is not None:
            relaxed_query = wq.AndNot(relaxed_query, parsed.negative)
        for level in sorted(by_level, reverse=True):
            tiers.append(_Tier(relaxed_query, frozenset(by_level[level])))
        return tiers, bool(rest), matched_all, len(direct)

    def _rank(self, opened: _Opened, tiers: list[_Tier], need: int) -> list[tuple[int, float]]:
        """The first `need` documents: tier by tier, records without learning last within a tier."""
        ranked: list[tuple[int, float]] = []
        for tier in tiers:
            for docs in (tier.docs - opened.thin, tier.docs & opened.thin):
                if len(ranked) >= need:
                    return ranked
                if docs:
                    ranked += self._ranked(opened, tier, docs, need - len(ranked))
        return ranked

    @staticmethod
    def _ranked(opened: _Opened, tier: _Tier, docs: frozenset[int], limit: int) -> list[tuple[int, float]]:
        if tier.cheap:
            # found only through a tag: newest learning first, report text last (no text to score)
            kind_rank, dates, literal = opened.kind_rank, opened.dates, tier.literal
            whole = opened.whole_reviews(tier.tags)
            best = heapq.nsmallest(limit, docs, key=lambda d: (
                -sum(d in lit for lit in literal), d not in whole, kind_rank.get(d, 9),
                -(dates[d] if d < len(dates) else 0), d))
            return [(d, 0.0) for d in best]
        searcher = opened.searcher()
        paragraphs = opened.facets.sets["kind"].get("paragraph", frozenset())
        sides = [(tier.query, docs)]
        if docs & paragraphs and docs - paragraphs:
            # paragraphs score on `body`, the rest on `heading`/`text`: rank each side on its own
            others, paras = only_fields(tier.query, PARAGRAPH_FIELDS), only_fields(tier.query, OTHER_FIELDS)
            if not (others == tier.query and paras == tier.query):  # prefixes and pairs are on both sides
                sides = [(others, docs - paragraphs), (paras, docs & paragraphs)]
        found: list[tuple[float, int]] = []
        for query, within in sides:
            if query is wq.NullQuery:
                continue
            try:
                found += scoring.top(searcher, query, within, limit, opened.scores)
            except scoring.Unsupported:
                top = TopCollector(limit=limit)  # block-quality skipping: only the best are scored fully
                searcher.search_with_collector(query, _Within(top, within))
                found += top.items
        # (score, -docnum): best score first, lower document number on ties
        return [(-negated, score) for score, negated in sorted(found, reverse=True)[:limit]]

    def _hit(self, searcher, docnum: int, score: float, parsed: Parsed,
             statuses: Mapping[str, str] | None = None) -> dict:
        record = searcher.stored_fields(docnum)["doc"]
        out = {name: record.get(name) for name in HIT_FIELDS}
        out["status"] = (statuses or {}).get(record.get("id"))
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
            if ("exact", word) in reader or self._known(word):
                continue
            found = spelling.nearest(word, self._vocabulary, indexed)
            if found:
                text, changed = _replace_word(text, word, found), True
        return text if changed else None

    def _known(self, word: str) -> bool:
        """A word of the field's vocabulary is never "corrected" into another word."""
        return word in self._vocabulary_words or self.synonyms.known(stems(word), word)

    def _suggest(self, searcher, parsed: Parsed) -> str | None:
        """"Did you mean": each unknown word replaced by its nearest indexed word, if any."""
        reader = searcher.reader()
        text, changed = parsed.text, False
        corrector = reader.corrector("exact")
        for word in dict.fromkeys(parsed.words):
            if ("exact", word) in reader or self._known(word):
                continue
            found = spelling.nearest(word, corrector)
            if found:
                text = _replace_word(text, word, found)
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
