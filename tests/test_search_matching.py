"""The posting-set cache stays within its document budget, and what it answers is still right."""
from __future__ import annotations

from whoosh import index as whoosh_index

from benchmarks.search_bench import make_records
from search_index.build import write_records
from search_index.matching import PostingSets


def test_posting_cache_is_bounded_by_documents_not_only_terms(tmp_path):
    records = make_records(600, seed=3)
    write_records(tmp_path, records)
    ix = whoosh_index.open_dir(str(tmp_path))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        terms = [t for t in reader.lexicon("body")][:200]
        cache = PostingSets(max_docs=300)
        for term in terms:
            docs = cache.term(reader, "body", term)
            assert docs == frozenset(reader.postings("body", term).all_ids())
            assert cache.size <= max(300, len(docs))
        assert 0 < cache.size
        again = cache.term(reader, "body", terms[0])  # evicted long ago: read again, same answer
        assert again == frozenset(reader.postings("body", terms[0]).all_ids())
    ix.close()


def test_facet_counts_with_arrays_equal_counts_with_sets(tmp_path, monkeypatch):
    from search_index import facets
    from search_index.facets import FacetCache

    records = make_records(1500, seed=9)
    write_records(tmp_path, records)
    ix = whoosh_index.open_dir(str(tmp_path))
    with ix.searcher() as searcher:
        cache = FacetCache(searcher)
        view = cache.with_facet("status", {"open": frozenset(range(0, 900, 3))})
        everything = sorted(cache.all_docs)
        samples = [frozenset(everything[:40]), frozenset(everything[::7]), cache.all_docs]
        monkeypatch.setattr(facets, "ARRAY_COUNT_FROM", 10 ** 9)
        by_sets = [view.counts(docs) for docs in samples]
        monkeypatch.setattr(facets, "ARRAY_COUNT_FROM", 1)
        by_arrays = [view.counts(docs) for docs in samples]
        assert view._arrays and cache._arrays is view._arrays  # built once, shared with views
        assert any(kind == "flags" for kind, _, _ in cache._arrays.values())  # themes: several per doc
        assert any(kind == "codes" for kind, _, _ in cache._arrays.values())
    ix.close()
    assert by_arrays == by_sets
    assert by_sets[2]["kind"] and by_sets[2]["status"] == [("open", 300)]
