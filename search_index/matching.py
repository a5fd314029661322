"""Which documents a query matches, as a set of document numbers read from the postings.

Counting and facets need every match but no scores, and Whoosh's matchers walk documents one at a
time in Python. Terms, prefixes, ORs, ANDs and exclusions are answered here with set algebra over
each term's posting list (cached per open index, since the same common words recur); only phrases
go through Whoosh's matcher, and only within the documents holding all their words.
"""
from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from whoosh import query as wq

MAX_PREFIX_TERMS = 500  # a prefix that expands further than this is matched by Whoosh itself
CACHE_TERMS = 1024
# documents held over all cached terms (a set costs about 60 bytes a document, so about 240 MB):
# at 1,400 reviews a common word is in 300,000 documents, and 1,024 such sets took 12 GB
CACHE_DOCS = 4_000_000


class PostingSets:
    """Per-index cache of term -> frozenset of document numbers (shared by threads)."""

    def __init__(self, max_docs: int = CACHE_DOCS):
        self._cache: OrderedDict[tuple[str, bytes], frozenset[int]] = OrderedDict()
        self._lock = Lock()
        self._size = 0
        self._max_docs = max_docs

    @property
    def size(self) -> int:
        """Document numbers held over all cached terms."""
        return self._size

    def term(self, reader, fieldname: str, text: str | bytes) -> frozenset[int]:
        """One term's documents; `reader` is the calling thread's own (readers are not shared)."""
        key = (fieldname, text if isinstance(text, bytes) else text.encode("utf-8"))
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        if key not in reader:
            docs: frozenset[int] = frozenset()
        else:
            docs = frozenset(reader.postings(*key).all_ids())
        with self._lock:
            if key not in self._cache:
                self._cache[key] = docs
                self._size += len(docs)
            while len(self._cache) > 1 and (len(self._cache) > CACHE_TERMS or self._size > self._max_docs):
                _, dropped = self._cache.popitem(last=False)
                self._size -= len(dropped)
        return docs


def docs(query: wq.Query | None, searcher, postings: PostingSets) -> frozenset[int]:
    """Document numbers matching `query` (the same set Whoosh's `docs_for_query` yields)."""
    if query is None or query is wq.NullQuery:
        return frozenset()
    reader = searcher.reader()
    if isinstance(query, wq.Term):
        return postings.term(reader, query.fieldname, query.text)
    if isinstance(query, wq.Or):
        return frozenset().union(*(docs(q, searcher, postings) for q in query.subqueries))
    if isinstance(query, wq.And):
        result: frozenset[int] | None = None
        for sub in sorted(query.subqueries, key=lambda q: not isinstance(q, wq.Term)):
            part = docs(sub, searcher, postings)
            result = part if result is None else result & part
            if not result:
                return frozenset()
        return result or frozenset()
    if isinstance(query, wq.AndNot):
        return docs(query.a, searcher, postings) - docs(query.b, searcher, postings)
    if isinstance(query, wq.Prefix):
        terms = []
        for term in reader.expand_prefix(query.fieldname, query.text):
            terms.append(term)
            if len(terms) > MAX_PREFIX_TERMS:
                return frozenset(searcher.docs_for_query(query))
        return frozenset().union(*(postings.term(reader, query.fieldname, t) for t in terms))
    if isinstance(query, wq.Phrase):
        words = [postings.term(reader, query.fieldname, w) for w in query.words]
        if not words or not all(words):
            return frozenset()
        within = frozenset.intersection(*words)
        if len(query.words) == 1 or not within:
            return within
        return frozenset(searcher.docs_for_query(query))  # positions: Whoosh walks the intersection
    if isinstance(query, wq.Every):
        return frozenset(reader.all_doc_ids())
    return frozenset(searcher.docs_for_query(query))
