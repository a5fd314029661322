"""Facet counts and filters from per-searcher sets of document numbers.

When a searcher opens, each facet field's postings are read once into `{value: set(docnums)}`.
Filtering is then set algebra and counting is set intersection (both in C), instead of walking
every matching document's stored values on every request. The status facet is not in the index:
`with_facet` adds sets built at query time from the tracker's current statuses.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping

from whoosh.searching import Searcher

from search_index.schema import FACETS

MAX_FILTER_VALUES = 50


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

    def counts(self, docs: set[int] | frozenset[int]) -> dict[str, list[tuple[str, int]]]:
        """For each facet, (value, count) among `docs`, most frequent first (years newest first)."""
        out: dict[str, list[tuple[str, int]]] = {}
        for facet, values in self.sets.items():
            pairs = [(v, len(docs & s)) for v, s in values.items()]
            pairs = [p for p in pairs if p[1]]
            if facet == "year":
                pairs.sort(key=lambda p: p[0], reverse=True)
            else:
                pairs.sort(key=lambda p: (-p[1], p[0]))
            out[facet] = pairs
        return out
