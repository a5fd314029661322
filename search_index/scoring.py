"""Whoosh's BM25F top-N for a set of documents, computed with numpy instead of Whoosh's matchers.

Whoosh scores one posting at a time in Python, which made ranking most of each query's time. Here
each term's postings are read once per open index into arrays (document numbers and BM25F score,
cached), and a query is scored over a tier's documents in a few array operations. The arithmetic
mirrors the matcher tree Whoosh itself builds for the query (same tree shape, same operations in
the same order: a sum of two sub-scores, a boost as a product), so the scores are bit for bit the
ones Whoosh gives and the order is unchanged. Anything the mirror does not know (prefixes, phrases
over positions, preloaded ORs of small segments) raises `Unsupported` and the caller lets Whoosh
rank it as before.
"""
from __future__ import annotations

from collections import OrderedDict
from threading import Lock

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn
from whoosh.matching import binary, combo, mcore, wrappers
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.util.numeric import byte_to_length

CACHE_POSTINGS = 4_000_000  # about 64 MB of arrays per open index; least recently used go first
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)


class Unsupported(Exception):
    """The query builds a matcher this module does not mirror: rank it with Whoosh."""


class TermScores:
    """Per-index cache of (segment, field, term) -> (sorted docnums, BM25F scores without boost)."""

    def __init__(self):
        self._terms: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lengths: dict[tuple[int, str], np.ndarray] = {}
        self._size = 0
        self._lock = Lock()

    def leaf(self, segment: int, reader, matcher) -> tuple[np.ndarray, np.ndarray]:
        fieldname, text = matcher.term()
        scorer = matcher.scorer if isinstance(matcher, W3LeafMatcher) else matcher._scorer
        key = (segment, fieldname, text)
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
                return found
        ids, weights = _postings(reader, fieldname, text)
        if type(scorer) is BM25FScorer:
            fl = _LENGTHS[self._field_lengths(segment, reader, fieldname)[ids]]
            idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
            # scoring.bm25, operation for operation
            scores = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avgfl)))
        elif type(scorer) is WeightScorer:
            scores = weights
        else:
            raise Unsupported(type(scorer).__name__)
        found = (ids, scores)
        with self._lock:
            if key not in self._terms:
                self._terms[key] = found
                self._size += len(ids)
            while self._size > CACHE_POSTINGS and len(self._terms) > 1:
                _, (old, _) = self._terms.popitem(last=False)
                self._size -= len(old)
        return found

    def _field_lengths(self, segment: int, reader, fieldname: str) -> np.ndarray:
        """Every document's encoded length of one field in one segment (what Whoosh's dfl reads)."""
        key = (segment, fieldname)
        found = self._lengths.get(key)
        if found is None:
            count = reader.doc_count_all()
            column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            found = np.zeros(count + 1, dtype=np.uint8)
            if isinstance(column, NumericColumn.Reader) and column._fixedlen == 1:
                raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
                found[:len(raw)] = raw[:count + 1]
            elif column is not None:
                found[:count] = [column[d] for d in range(count)]
            self._lengths[key] = found
        return found


def _postings(reader, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A term's document numbers and weights in one segment, deleted documents included (the
    caller only ever asks for documents the postings sets found, which leave them out)."""
    matcher = reader._terms.matcher(fieldname, text, reader.schema[fieldname].format)
    ids: list = []
    weights: list = []
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():  # a block at a time
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def _plan(matcher):
    """The matcher tree as nested tuples: ("leaf", m) | ("or"/"and"/"not", a, b) | ("mul", a, boost) |
    ("sum", [plans], boost) | None."""
    kind = type(matcher)
    if isinstance(matcher, mcore.NullMatcherClass):
        return None
    if kind in (W3LeafMatcher, mcore.ListMatcher) and matcher.term() is not None:
        return ("leaf", matcher)
    if kind in (wrappers.WrappingMatcher, wrappers.FilterMatcher):
        child = _plan(matcher.child)
        return child if matcher.boost == 1.0 else ("mul", child, matcher.boost)
    if kind is binary.UnionMatcher:
        return ("or", _plan(matcher.a), _plan(matcher.b))
    if kind is binary.IntersectionMatcher:
        return ("and", _plan(matcher.a), _plan(matcher.b))
    if kind is binary.AndNotMatcher:
        return ("not", _plan(matcher.a), _plan(matcher.b))
    if kind is combo.ArrayUnionMatcher and matcher._scored:  # a wide OR: sub-scores summed in order
        return ("sum", [_plan(m) for m in matcher._submatchers], matcher._boost)
    raise Unsupported(kind.__name__)


def _evaluate(plan, docs: np.ndarray, segment: int, reader, cache: TermScores) -> tuple[np.ndarray, np.ndarray]:
    """(score, matched) for each of `docs`: a branch scores only the documents it matches, as
    Whoosh's matchers do (an intersection needs both sides, an and-not none of its right side)."""
    if plan is not None and plan[0] == "sum":
        total, matched = np.zeros(len(docs)), np.zeros(len(docs), dtype=bool)
        for sub in plan[1]:
            score, in_sub = _evaluate(sub, docs, segment, reader, cache)
            total, matched = total + score * plan[2], matched | in_sub  # a[i] += m.score() * boost
        return total, matched
    if plan is None:
        return np.zeros(len(docs)), np.zeros(len(docs), dtype=bool)
    if plan[0] == "leaf":
        ids, scores = cache.leaf(segment, reader, plan[1])
        if not len(ids):
            return np.zeros(len(docs)), np.zeros(len(docs), dtype=bool)
        at = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
        matched = ids[at] == docs
        return np.where(matched, scores[at], 0.0), matched  # x + 0.0 == x: absent terms add nothing
    if plan[0] == "mul":
        score, matched = _evaluate(plan[1], docs, segment, reader, cache)
        return score * plan[2], matched
    a, in_a = _evaluate(plan[1], docs, segment, reader, cache)
    if plan[0] == "not":
        _, in_b = _evaluate(plan[2], docs, segment, reader, cache)
        matched = in_a & ~in_b
        return np.where(matched, a, 0.0), matched
    b, in_b = _evaluate(plan[2], docs, segment, reader, cache)
    if plan[0] == "and":
        matched = in_a & in_b
        return np.where(matched, a + b, 0.0), matched
    return a + b, in_a | in_b


def top(searcher, query, docs, limit: int, cache: TermScores) -> list[tuple[float, int]]:
    """The best `limit` of `docs` (each must match `query`) as (score, -docnum), like Whoosh's
    TopCollector: higher score first, lower document number first on equal scores."""
    wanted = np.fromiter(docs, dtype=np.int64, count=len(docs))
    wanted.sort()
    context = searcher.context()
    all_docs, all_scores = [], []
    for subsearcher, offset in searcher.leaf_searchers():
        count = subsearcher.doc_count_all()
        lo, hi = np.searchsorted(wanted, [offset, offset + count])
        if lo == hi:
            continue
        local = wanted[lo:hi] - offset
        plan = _plan(query.matcher(subsearcher, context))
        all_docs.append(wanted[lo:hi])
        all_scores.append(_evaluate(plan, local, offset, subsearcher.reader(), cache)[0])
    if not all_docs:
        return []
    found, scores = np.concatenate(all_docs), np.concatenate(all_scores)
    if len(found) > limit:
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= kth
        found, scores = found[keep], scores[keep]
    order = np.lexsort((found, -scores))[:limit]
    return [(float(scores[i]), -int(found[i])) for i in order]
