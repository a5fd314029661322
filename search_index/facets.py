"""Facet counts and filters from per-searcher sets of document numbers.

When a searcher opens, each facet field's postings are read once into `{value: set(docnums)}`.
Filtering is then set algebra and counting is set intersection (both in C), instead of walking
every matching document's stored values on every request. The status facet is not in the index:
`with_facet` adds sets built at query time from the tracker's current statuses.

Counts are taken with numpy (a common word at national scale matches 300,000 documents): each facet's values as one code per document (or, for facets a document can hold several
values of, one row of flags per value), so a count is a gather and a bincount over the matches
rather than a Python loop over them (which was most of a search's time at 1,400 reviews).
"""
from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Mapping

import numpy as np
from whoosh.searching import Searcher

from search_index.schema import FACETS

MAX_FILTER_VALUES = 50
ARRAY_COUNT_FROM = 1  # matches from which facets are counted with arrays (tests set it high)
MAX_FLAG_ROWS = 256  # a several-valued facet with more values than this is counted with sets


class FacetCache:
    """Docnum sets for every value of every facet field of one open searcher."""

    def __init__(self, searcher: Searcher):
        reader = searcher.reader()
        self.all_docs = frozenset(reader.all_doc_ids())
        self.sets: dict[str, dict[str, frozenset[int]]] = {}
        for facet, fieldname in FACETS.items():
            values: dict[str, frozenset[int]] = {}
            if fieldname in reader.indexed_field_names():
                for term in reader.lexicon(fieldname):
                    value = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                    values[value] = frozenset(reader.postings(fieldname, term).all_ids())
            self.sets[facet] = values
        self._prepare()

    @classmethod
    def from_sets(cls, sets: dict[str, dict[str, frozenset[int]]], all_docs: frozenset[int]) -> "FacetCache":
        """A cache over sets made elsewhere (the FTS5 side of benchmarks/search_bench.py)."""
        cache = cls.__new__(cls)
        cache.sets, cache.all_docs = sets, all_docs
        cache._prepare()
        return cache

    def _prepare(self) -> None:
        # the index's own facets (a view from `with_facet` shares these, and the caches below)
        self._own = dict(self.sets)
        self._sizes = {facet: sum(len(s) for s in values.values()) for facet, values in self.sets.items()}
        self._by_doc: dict[str, dict[int, tuple[str, ...]]] = {}
        self._arrays: dict[str, tuple] = {}  # filled in place, so views share it

    def with_facet(self, facet: str, values: dict[str, frozenset[int]]) -> "FacetCache":
        """This cache plus one facet computed elsewhere (shares every other set)."""
        view = copy.copy(self)
        view.sets = {**self.sets, facet: values}
        return view

    def filter_docs(self, filters: Mapping | None) -> frozenset[int] | None:
        """Docs passing every facet filter (values within one facet are alternatives); None = no filter."""
        result: frozenset[int] | None = None
        for facet, wanted in (filters or {}).items():
            values = self.sets.get(facet) if isinstance(facet, str) else None
            if values is None:
                continue  # unknown facet names are ignored, not errors
            wanted = [wanted] if isinstance(wanted, str) else wanted
            if not isinstance(wanted, (list, tuple, set, frozenset)):
                continue
            chosen = [v for v in list(wanted)[:MAX_FILTER_VALUES] if isinstance(v, str) and v]
            if not chosen:
                continue
            docs = frozenset().union(*(values.get(v, frozenset()) for v in chosen))
            result = docs if result is None else result & docs
        return result

    def _values_of(self, facet: str) -> dict[int, tuple[str, ...]]:
        """docnum -> its values of one of the index's own facets, built on first use (a race
        between threads only builds it twice)."""
        found = self._by_doc.get(facet)
        if found is None:
            found = {}
            for value, docs in self._own[facet].items():
                for docnum in docs:
                    found[docnum] = found.get(docnum, ()) + (value,)
            self._by_doc[facet] = found
        return found

    def _facet_arrays(self) -> dict[str, tuple]:
        """facet -> ("codes", names, code per document) or ("flags", names, value x document
        flags), for the index's own facets; built on first use (a race only builds it twice)."""
        arrays = self._arrays
        if not arrays:
            size = max(self.all_docs, default=-1) + 1
            for values in self._own.values():
                for docs in values.values():
                    size = max(size, max(docs, default=-1) + 1)
            built = {}
            for facet, values in self._own.items():
                names = list(values)
                if sum(len(d) for d in values.values()) == len(frozenset().union(*values.values())):
                    codes = np.full(size, -1, dtype=np.int32)
                    for code, name in enumerate(names):
                        if values[name]:
                            codes[np.fromiter(values[name], dtype=np.int64, count=len(values[name]))] = code
                    built[facet] = ("codes", names, codes)
                elif len(names) <= MAX_FLAG_ROWS:
                    flags = np.zeros((len(names), size), dtype=bool)
                    for row, name in enumerate(names):
                        if values[name]:
                            flags[row, np.fromiter(values[name], dtype=np.int64, count=len(values[name]))] = True
                    built[facet] = ("flags", names, flags)
            arrays.update(built)
        return arrays

    def _array_counts(self, facet: str, matches: np.ndarray) -> list[tuple[str, int]] | None:
        found = self._facet_arrays().get(facet)
        if found is None:
            return None
        kind, names, table = found
        if kind == "codes":
            codes = table[matches]
            counts = np.bincount(codes[codes >= 0], minlength=len(names))
        else:
            counts = table[:, matches].sum(axis=1)
        return [(names[i], int(n)) for i in np.flatnonzero(counts) for n in (counts[i],)]

    def _count(self, facet: str, values: dict[str, frozenset[int]], docs,
               matches: np.ndarray | None = None) -> list[tuple[str, int]]:
        if matches is not None and values is self._own.get(facet):
            counted = self._array_counts(facet, matches)
            if counted is not None:
                return counted
        if values is self._own.get(facet) and len(docs) * 4 < self._sizes[facet]:
            # few matches: look up each match's values rather than intersect every value's set
            by_doc = self._values_of(facet)
            return list(Counter(v for d in docs for v in by_doc.get(d, ())).items())
        return [(v, n) for v, s in values.items() if (n := len(docs & s))]

    def counts(self, docs: set[int] | frozenset[int]) -> dict[str, list[tuple[str, int]]]:
        """For each facet, (value, count) among `docs`, most frequent first (years newest first)."""
        out: dict[str, list[tuple[str, int]]] = {}
        matches = np.fromiter(docs, dtype=np.int64, count=len(docs)) if len(docs) >= ARRAY_COUNT_FROM else None
        for facet, values in self.sets.items():
            pairs = self._count(facet, values, docs, matches)
            if facet == "year":
                pairs.sort(key=lambda p: p[0], reverse=True)
            else:
                pairs.sort(key=lambda p: (-p[1], p[0]))
            out[facet] = pairs
        return out
