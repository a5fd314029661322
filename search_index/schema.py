"""The Whoosh schema and the one function that turns a stored record into indexed fields.

Text is indexed three times with the stemming analyzer, split by how much a match should count
(`heading` for review titles, `text` for learning points, recommendations, actions and review
summaries, `body` for source paragraphs), so query-time boosts rank a title or recommendation
match above a passing mention in a paragraph. An unstemmed copy (`exact`) serves prefix queries
(`escalat*`) and spelling suggestions, which both need real words rather than stems; `pairs`
holds each two neighbouring stems as one term, so phrases are found from postings alone, and no
field keeps word positions (they cost a third of the postings and no query reads them).

A build hands the fields term counts from `analysis.analyse` (one pass over the text instead of
one per field); the analyzers stay on the fields for query words and for anything indexed as text.
"""
from __future__ import annotations

from collections.abc import Mapping

from whoosh.analysis import ShingleFilter, StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.system import pack_uint

from search_index.analysis import PAIR_SEPARATOR, analyse

from core import vocab

STEM_ANALYZER = StemmingAnalyzer()
EXACT_ANALYZER = StandardAnalyzer(stoplist=None, minsize=1)
# each pair of neighbouring stems as one term: a phrase is then a lookup of its pairs, not a walk
# over word positions (the slowest query type in Whoosh)
PAIR_ANALYZER = StemmingAnalyzer() | ShingleFilter(size=2, sep=PAIR_SEPARATOR)
PAIR_FIELD = "pairs"

# query-time boost for each stemmed text field
TEXT_FIELDS: dict[str, float] = {"heading": 4.0, "text": 2.0, "body": 1.0}

# facet / filter name -> index field (`status` is not indexed: it comes from the tracker at query time)
FACETS: dict[str, str] = {
    "kind": "kind", "theme": "theme", "agency": "agency", "review": "review",
    "year": "year", "type": "type", "wording": "wording",
}

KINDS = vocab.slugs("result_kinds")


class CountedText(TEXT):
    """A text field that also takes ready-made term counts ({term: count}), as Whoosh's own
    frequency format would count them, so a build analyses each text once (see analysis.py)."""

    def index(self, value, **kwargs):
        if not isinstance(value, Mapping):
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        for term, freq in value.items():
            yield term.encode("utf-8"), freq, freq * boost, pack_uint(freq)


def make_schema() -> Schema:
    """A fresh schema object (Whoosh schemas hold per-index state, so never share one)."""
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID,
        review=ID,
        theme=KEYWORD(commas=True),
        agency=KEYWORD(commas=True),
        year=ID,
        type=ID,
        wording=ID,
        date=NUMERIC(int, bits=32, sortable=True),
        heading=CountedText(analyzer=STEM_ANALYZER, phrase=False),
        text=CountedText(analyzer=STEM_ANALYZER, phrase=False),
        body=CountedText(analyzer=STEM_ANALYZER, phrase=False),
        exact=CountedText(analyzer=EXACT_ANALYZER, phrase=False),
        pairs=CountedText(analyzer=PAIR_ANALYZER, phrase=False),
        doc=STORED,
    )


def index_fields(record: dict) -> dict:
    """Whoosh fields for one record; the record itself is stored whole so it can be re-indexed."""
    kind = record["kind"]
    counts = analyse(record.get("heading") or "", record.get("content") or "")
    fields = {
        "id": record["id"],
        "kind": kind,
        "review": record.get("review_id") or "",
        "theme": ",".join(record.get("themes") or []),
        "agency": ",".join(record.get("agencies") or []),
        "year": str(record["year"]) if record.get("year") else "",
        "type": record.get("review_type") or "",
        "wording": record.get("wording") or "",
        "date": int(record.get("date") or 0),
        "heading": counts["heading"],
        "exact": counts["exact"],
        "pairs": counts["pairs"],
        "doc": record,
        # paragraphs count less in the unstemmed copy too (prefix queries rank through it)
        "_exact_boost": 1.0 if kind == "paragraph" else 2.0,
        "_pairs_boost": 1.0 if kind == "paragraph" else 2.0,
    }
    fields["body" if kind == "paragraph" else "text"] = counts["content"]
    return {k: v for k, v in fields.items() if v != "" and v != {}}
