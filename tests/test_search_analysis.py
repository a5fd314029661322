"""An index built the fast way (one analysis pass, BulkWriter) holds what Whoosh's own analyzers
and writer put there: the same terms, postings, weights, field lengths and stored records."""
from __future__ import annotations

from collections import Counter

import pytest
from whoosh import index as whoosh_index

from benchmarks.search_bench import make_records
from search_index import analysis
from search_index.build import write_records
from search_index.bulk_writer import BulkWriter
from search_index.schema import EXACT_ANALYZER, PAIR_ANALYZER, STEM_ANALYZER, index_fields, make_schema

TRICKY = [
    "", "a", "The", "Of the and", "Child M", "Don't escalate; escalating, escalated!",
    "v1.2.3 section 4.5 (b) and 10.", "Café naïve coöperation ÉCOLE", "escalat* and *",
    "GP's health-visitor re-referral", "x" * 300, "one two", "word\nnext\tline  spaced",
    "Ünïcode ß straße İstanbul", "under_score and 3rd 21st", "...", "a b c d e f",
]


def whoosh_counts(analyzer, text: str) -> Counter:
    return Counter(t.text for t in analyzer(text, mode="index"))


@pytest.mark.parametrize("heading", ["", "Recommendation 3", "Think family: a GP's view"])
@pytest.mark.parametrize("content", TRICKY)
def test_analysis_counts_what_the_analyzers_count(heading, content):
    counts = analysis.analyse(heading, content)
    joined = f"{heading}\n{content}"
    assert counts["heading"] == whoosh_counts(STEM_ANALYZER, heading)
    assert counts["content"] == whoosh_counts(STEM_ANALYZER, content)
    assert counts["exact"] == whoosh_counts(EXACT_ANALYZER, joined)
    assert counts["pairs"] == whoosh_counts(PAIR_ANALYZER, joined)


def test_analysis_of_generated_records_matches():
    for record in make_records(600, seed=5):
        heading, content = record.get("heading") or "", record.get("content") or ""
        counts = analysis.analyse(heading, content)
        assert counts["content"] == whoosh_counts(STEM_ANALYZER, content)
        assert counts["pairs"] == whoosh_counts(PAIR_ANALYZER, f"{heading}\n{content}")


def as_text(record: dict) -> dict:
    """The record's fields with text values, analysed by the schema's analyzers (the old way)."""
    fields = index_fields(record)
    heading, content = record.get("heading") or "", record.get("content") or ""
    for name in ("exact", "pairs"):
        if name in fields:
            fields[name] = f"{heading}\n{content}"
    for name, text in (("heading", heading), ("text", content), ("body", content)):
        if name in fields:
            fields[name] = text
    return fields


def contents(path) -> dict:
    """Everything a search reads from an index: postings per term, field lengths, stored docs."""
    ix = whoosh_index.open_dir(str(path))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        postings = {}
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            items = []
            while matcher.is_active():
                items.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            postings[(fieldname, text)] = items
        fields = [name for name in ix.schema.scorable_names()]
        lengths = {(d, f): reader.doc_field_length(d, f) for d in range(reader.doc_count_all()) for f in fields}
        stored = [reader.stored_fields(d) for d in range(reader.doc_count_all())]
        totals = {f: reader.field_length(f) for f in fields}
    ix.close()
    return {"postings": postings, "lengths": lengths, "stored": stored, "totals": totals}


def test_bulk_index_equals_whoosh_writer_index(tmp_path):
    records = make_records(400, seed=7)
    records[3] = {**records[3], "heading": "", "content": "of the and"}  # nothing left to index
    fast, slow = tmp_path / "fast", tmp_path / "slow"
    fast.mkdir()
    slow.mkdir()
    assert write_records(fast, records) == len(records)
    ix = whoosh_index.create_in(str(slow), make_schema())
    writer = ix.writer()
    for record in records:
        writer.add_document(**as_text(record))
    writer.commit()
    ix.close()
    built, reference = contents(fast), contents(slow)
    assert len(built["postings"]) > 1000
    assert built["postings"] == reference["postings"]
    assert built["lengths"] == reference["lengths"]
    assert built["totals"] == reference["totals"]
    assert built["stored"] == reference["stored"]


def test_bulk_writer_refuses_an_index_with_segments(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = ix.writer()
    writer.add_document(**index_fields(make_records(1, seed=1)[0]))
    writer.commit()
    with pytest.raises(ValueError, match="new index"):
        BulkWriter(ix)
