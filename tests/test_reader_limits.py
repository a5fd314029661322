"""Readers stop at what a real report can hold (issue 18, item 4): a small file that passes every
zip-bomb check but holds millions of paragraphs, tags or lines is refused with one line, before
the expensive parse; and the walk of a parsed document stops at a text size and a time limit."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest

from ingest.errors import UnreadableDocument
from ingest.readers import docx as docx_reader
from ingest.readers import limits, read_document
from tests import docgen

PARAGRAPH = b'<w:p><w:r><w:t xml:space="preserve">ab</w:t></w:r></w:p>'  # 58 bytes, as in the issue


def write_paragraph_flood_docx(path, paragraphs: int = 5_000_000, paragraph: bytes = PARAGRAPH):
    """A real DOCX whose body is `paragraphs` short paragraphs: 290 MB of XML in under 2 MB on disk.

    Written as a stream at compression level 1, it takes about two seconds and no memory."""
    template = io.BytesIO()
    docx.Document().save(template)
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                out.writestr(info.filename, data)
                continue
            head, _, tail = data.partition(b"<w:body>")
            block = paragraph * 10_000
            with out.open("word/document.xml", "w") as part:
                part.write(head + b"<w:body>")
                for _ in range(paragraphs // 10_000):
                    part.write(block)
                part.write(tail)
    return path


@pytest.fixture(scope="module")
def flood(tmp_path_factory):
    return write_paragraph_flood_docx(tmp_path_factory.mktemp("flood") / "flood.docx")


def _never_parse(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("the document was parsed: the limit was not checked first")
    monkeypatch.setattr(docx_reader.docx, "Document", refuse)


@pytest.mark.timeout(60)
def test_five_million_paragraphs_are_refused_before_parsing(flood, monkeypatch):
    with zipfile.ZipFile(flood) as z:
        info = z.getinfo("word/document.xml")
    assert info.file_size > 250 * 1024 * 1024  # 290 MB of XML ...
    assert info.file_size / info.compress_size < docx_reader.MAX_RATIO  # ... that no zip-bomb check catches
    assert sum(i.file_size for i in z.infolist()) < docx_reader.MAX_UNCOMPRESSED
    _never_parse(monkeypatch)
    with pytest.raises(UnreadableDocument) as err:
        read_document(flood)
    message = str(err.value)
    assert "\n" not in message and "flood.docx" in message
    assert "over 100,000 paragraphs, more than any real report; refusing it" in message


def test_paragraphs_with_any_prefix_and_attributes_are_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PARAGRAPHS", 25_000)
    odd = b'<x:p w:rsidR="00AB"><x:r><x:t>a</x:t></x:r></x:p><w:p/>'
    path = write_paragraph_flood_docx(tmp_path / "odd.docx", paragraphs=20_000, paragraph=odd)
    _never_parse(monkeypatch)
    with pytest.raises(UnreadableDocument, match="over 25,000 paragraphs"):
        read_document(path)


def test_a_real_report_is_far_below_every_limit(tmp_path):
    path = docgen.make_review_docx(tmp_path / "review.docx")
    assert read_document(path).blocks
    big = write_paragraph_flood_docx(tmp_path / "long.docx", paragraphs=20_000)  # twice a long review
    assert len(read_document(big).blocks) == 20_000


def test_the_walk_stops_at_a_text_size(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 1_000)
    path = write_paragraph_flood_docx(tmp_path / "text.docx", paragraphs=10_000)
    with pytest.raises(UnreadableDocument, match="over 0 million characters of text"):
        read_document(path)


@pytest.mark.parametrize("make", ["docx", "pdf"])
def test_the_walk_stops_at_a_time_limit(tmp_path, monkeypatch, make):
    path = (docgen.make_review_docx(tmp_path / "r.docx") if make == "docx"
            else docgen.make_report_pdf(tmp_path / "r.pdf", pages=2).path)
    monkeypatch.setattr(limits, "MAX_SECONDS", -1.0)
    with pytest.raises(UnreadableDocument, match=f"reading the {make.upper()} took over -1 s"):
        read_document(path)


def test_a_pdf_with_more_pages_than_a_report_is_refused(tmp_path, monkeypatch):
    path = docgen.make_report_pdf(tmp_path / "r.pdf", pages=4).path
    monkeypatch.setattr(limits, "MAX_PAGES", 3)
    with pytest.raises(UnreadableDocument, match=r"the PDF has \d pages, over 3, more than any real report"):
        read_document(path)


def test_an_html_page_with_a_flood_of_tags_is_refused_before_parsing(tmp_path, monkeypatch):
    from ingest.readers import html

    path = tmp_path / "flood.html"
    path.write_text("<html><body>" + "<p>ab</p>" * 150_000 + "</body></html>")
    monkeypatch.setattr(html, "BeautifulSoup", lambda *a, **k: pytest.fail("parsed before counting"))
    with pytest.raises(UnreadableDocument, match="the HTML page holds over 200,000 tags"):
        read_document(path)


@pytest.mark.parametrize("suffix,item,kind", [(".md", "- ab\n", "Markdown file"), (".txt", "ab\n\n", "text file")])
def test_text_and_markdown_with_a_flood_of_lines_are_refused(tmp_path, suffix, item, kind):
    path = tmp_path / f"flood{suffix}"
    path.write_text("# Title\n\n" + item * 60_000)
    with pytest.raises(UnreadableDocument, match=f"the {kind} holds over 50,000 paragraphs and list items"):
        read_document(path)
