"""A Whoosh segment writer for building a whole index at once, without its external sort.

Whoosh's writer puts every posting in one list as a tuple, spills sorted runs to disk with pickle
and merges them back, then looks up each posting's field length in the column files it has just
written: profiles of a build showed these three about half its time. Documents arrive in order,
so each term's postings are already sorted by document: this writer keeps them per term in
compact arrays (about 20 bytes a posting) and only sorts the terms, and it reads each field's
lengths once. The segment files are the ones Whoosh writes (same codec, same calls);
`tests/test_search_analysis.py` checks an index built this way holds what Whoosh's own writer
puts there. It reads Whoosh internals, so it is tied to the pinned whoosh-reloaded version.
"""
from __future__ import annotations

from array import array

from whoosh.writing import SegmentWriter


class MemoryPool:
    """Postings grouped by (field, term), each group's documents in the order they were added."""

    def __init__(self):
        self._terms: dict[tuple[str, bytes], tuple[array, array, list]] = {}
        self._values: dict[bytes, bytes] = {}  # one object per distinct value (most are tiny)

    def add(self, item) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        group = self._terms.get((fieldname, tbytes))
        if group is None:
            group = self._terms[(fieldname, tbytes)] = (array("I"), array("d"), [])
        group[0].append(docnum)
        group[1].append(weight)
        if vbytes is not None:
            vbytes = self._values.setdefault(vbytes, vbytes)
        group[2].append(vbytes)

    def iter_postings(self):
        for key in sorted(self._terms):
            fieldname, tbytes = key
            docnums, weights, values = self._terms[key]
            for docnum, weight, vbytes in zip(docnums, weights, values):
                yield fieldname, tbytes, docnum, weight, vbytes

    def cleanup(self) -> None:
        self._terms.clear()
        self._values.clear()


class _Lengths:
    """Field lengths read once per field from a per-document reader, then looked up in a list."""

    def __init__(self, reader, doc_count: int):
        self._reader = reader
        self._count = doc_count
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._fields.get(fieldname)
        if lengths is None:
            lengths = self._fields[fieldname] = [
                self._reader.doc_field_length(n, fieldname, default) for n in range(self._count)]
        return lengths[docnum]


class BulkWriter(SegmentWriter):
    """A SegmentWriter for a new, empty index whose postings stay in memory until the commit."""

    def __init__(self, ix, **kwargs):
        if not ix.is_empty():
            raise ValueError("BulkWriter writes a new index; this one already has segments")
        super().__init__(ix, **kwargs)
        self.pool = MemoryPool()

    def _flush_segment(self):
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader, self.docnum) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()
