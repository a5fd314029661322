"""The Whoosh schema and the one function that turns a stored record into indexed fields.

Text is indexed three times with the stemming analyzer, split by how much a match should count
(`heading` for review titles, `text` for learning points, recommendations, actions and review
summaries, `body` for source paragraphs), so query-time boosts rank a title or recommendation
match above a passing mention in a paragraph. An unstemmed copy (`exact`) serves prefix queries
(`escalat*`) and spelling suggestions, which both need real words rather than stems; `pairs`
holds each two neighbouring stems as one term, so phrases are found from postings alone.
"""
from __future__ import annotations

from whoosh.analysis import ShingleFilter, StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from core import vocab

STEM_ANALYZER = StemmingAnalyzer()
EXACT_ANALYZER = StandardAnalyzer(stoplist=None, minsize=1)
# each pair of neighbouring stems as one term: a phrase is then a lookup of its pairs, not a walk
# over word positions (the slowest query type in Whoosh)
PAIR_ANALYZER = StemmingAnalyzer() | ShingleFilter(size=2, sep=" ")
PAIR_FIELD = "pairs"

# query-time boost for each stemmed text field
TEXT_FIELDS: dict[str, float] = {"heading": 4.0, "text": 2.0, "body": 1.0}

# facet / filter name -> index field (`status` is not indexed: it comes from the tracker at query time)
FACETS: dict[str, str] = {
    "kind": "kind", "theme": "theme", "agency": "agency", "review": "review",
    "year": "year", "type": "type", "wording": "wording",
}

KINDS = vocab.slugs("result_kinds")


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
        heading=TEXT(analyzer=STEM_ANALYZER),
        text=TEXT(analyzer=STEM_ANALYZER),
        body=TEXT(analyzer=STEM_ANALYZER),
        exact=TEXT(analyzer=EXACT_ANALYZER, phrase=False),
        pairs=TEXT(analyzer=PAIR_ANALYZER, phrase=False),
        doc=STORED,
    )


def index_fields(record: dict) -> dict:
    """Whoosh fields for one record; the record itself is stored whole so it can be re-indexed."""
    kind = record["kind"]
    content = record.get("content") or ""
    heading = record.get("heading") or ""
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
        "heading": heading,
        "exact": f"{heading}\n{content}",
        "pairs": f"{heading}\n{content}",
        "doc": record,
        # paragraphs count less in the unstemmed copy too (prefix queries rank through it)
        "_exact_boost": 1.0 if kind == "paragraph" else 2.0,
        "_pairs_boost": 1.0 if kind == "paragraph" else 2.0,
    }
    fields["body" if kind == "paragraph" else "text"] = content
    return {k: v for k, v in fields.items() if v != ""}
