"""The numpy ranker (search_index.scoring) must rank exactly as Whoosh scores.

Every call the search service makes to `scoring.top` is checked against Whoosh's own scores for
the same query (a full, unfiltered search scoring every document), ranked as the service ranks:
same documents in the same order, same scores. (Whoosh's TopCollector under a filter was the
ranker before; it sometimes leaves out better documents, so it is not the reference.) The index has two
segments and deleted documents (as an incremental review update leaves it), so segment offsets
and deletions are exercised too.
"""
from __future__ import annotations

import pytest
from whoosh import index as whoosh_index

from benchmarks.search_bench import make_queries, make_records, whoosh_search
from search_index import SearchService, scoring, store
from search_index.build import publish_records
from search_index.schema import index_fields


def near_misses(like: dict) -> list[dict]:
    """Records holding half of a three-word phrase: inside an OR, that half must add nothing."""
    texts = ["The child protection conference heard about neglect at home.",
             "A protection plan was agreed; neglect was not named in it.",
             "Neglect, neglect and neglect: the child protection plan came late."]
    return [{**like, "id": f"near-miss-{i}", "kind": "recommendation", "content": text}
            for i, text in enumerate(texts)]


@pytest.fixture(scope="module")
def two_segment_index(tmp_path_factory):
    records = make_records(2000, seed=11)
    index_dir = tmp_path_factory.mktemp("scoring") / "index"
    publish_records(records[:1800], index_dir)
    ix = whoosh_index.open_dir(str(store.current_version(index_dir)))
    writer = ix.writer()
    writer.delete_by_term("review", records[0]["review_id"])  # deleted documents in the first segment
    for record in records[1800:] + near_misses(records[1800]):
        writer.add_document(**index_fields(record))
    writer.commit(merge=False)
    assert len(list(ix.searcher().leaf_searchers())) == 2
    ix.close()
    return index_dir


@pytest.fixture
def checked_calls(monkeypatch):
    """Each call to the numpy ranker, with what Whoosh's collector gives for the same call."""
    calls = []
    mirror = scoring.top

    def both(searcher, query, docs, limit, cache):
        mine = mirror(searcher, query, docs, limit, cache)  # Unsupported propagates: Whoosh ranks it
        scores = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
        assert set(docs) <= set(scores)  # the service only asks about documents the query matches
        best = sorted(docs, key=lambda d: (-scores[d], d))[:limit]
        calls.append((str(query), mine, [(scores[d], -d) for d in best]))
        return mine

    monkeypatch.setattr(scoring, "top", both)
    return calls


def test_numpy_ranking_equals_whoosh_on_every_query_kind(two_segment_index, checked_calls):
    service = SearchService(two_segment_index)
    for query in make_queries(40, seed=3):
        for page in (1, 2):
            service.search(" ".join(query["fts"]), page=page)
        whoosh_search(service, query)
    service.close()
    assert len(checked_calls) > 100  # the mirror ranked most queries itself
    for text, mine, theirs in checked_calls:
        assert [d for _, d in mine] == [d for _, d in theirs], text
        assert [s for s, _ in mine] == pytest.approx([s for s, _ in theirs], rel=1e-12), text


def test_an_intersection_scores_only_where_both_sides_match(two_segment_index, checked_calls):
    # "a b c" OR d: a document with d and "a b" but not "b c" must not get the pair's score (a bug once)
    service = SearchService(two_segment_index)
    for text in ('"child protection plan" OR neglect', '"voice of the child" OR baby',
                 "safeguarding partnership OR referral", '"health visitor" -police'):
        service.search(text)
    service.close()
    assert checked_calls
    for text, mine, theirs in checked_calls:
        assert mine == [(pytest.approx(s, rel=1e-12), d) for s, d in theirs], text


def test_queries_the_mirror_does_not_know_are_ranked_by_whoosh(two_segment_index, monkeypatch):
    def unsupported(*args, **kwargs):
        raise scoring.Unsupported("test")

    service = SearchService(two_segment_index)
    before = [hit["id"] for hit in service.search("safeguarding referral").hits]
    monkeypatch.setattr(scoring, "top", unsupported)
    after = [hit["id"] for hit in service.search("safeguarding referral").hits]
    service.close()
    assert before and before == after


def test_the_postings_cache_stays_within_its_bound(two_segment_index, monkeypatch):
    monkeypatch.setattr(scoring, "CACHE_POSTINGS", 500)
    service = SearchService(two_segment_index)
    first = [[hit["id"] for hit in service.search(" ".join(q["fts"])).hits] for q in make_queries(20, seed=5)]
    cache = service._current().scores
    assert 0 < cache._size <= 500 or len(cache._terms) == 1
    again = [[hit["id"] for hit in service.search(" ".join(q["fts"])).hits] for q in make_queries(20, seed=5)]
    service.close()
    assert first == again and any(first)
