"""The document readers on realistic generated files: order, labels, pages, tables, provenance."""
from __future__ import annotations

import hashlib

import pytest

from ingest.readers import read_document
from ingest.readers.docx_numbering import format_number
from ingest.labels import split_label
from ingest.readers.layout import is_page_number, strip_running
from tests import docgen

RECS = [
    "The partnership should make sure that schools report every child missing education to the "
    "local authority within five school days.",
    "Thames Valley Police and children's social care should agree a joint protocol for sharing "
    "intelligence about county lines exploitation, and review it every year with the partnership "
    "board so that it keeps up with new patterns of exploitation across the county.",
    "The integrated care board should assure the partnership that health visitors transfer records.",
]
LEFT = ["Left column: the school noticed that attendance fell in the spring term and wrote to the family twice.",
        "Left column second paragraph ends here."]
RIGHT = ["Right column: the police stopped the child in another county with cash and two phones.",
         "Right column second paragraph ends here."]
ACTIONS = [[str(i), f"Deliver action {i} across the partnership", "Police", f"2023-{i % 12 + 1:02d}", "In progress"]
           for i in range(1, 41)]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    info = docgen.make_report_pdf(path, recommendations=RECS, pages=14, two_column=(LEFT, RIGHT),
                                  action_plan=ACTIONS)
    return info, read_document(path)


def texts(doc, kind=None):
    return [b.text for b in doc.blocks if kind is None or b.kind == kind]


def test_pdf_provenance(report):
    info, doc = report
    assert doc.format == "pdf" and doc.parser == "pypdfium2"
    assert doc.pages == info.pages == 14
    assert doc.sha256 == hashlib.sha256(info.path.read_bytes()).hexdigest()
    assert doc.parser_version
    assert doc.metadata["title"] == "Child Safeguarding Practice Review: Child T"


def test_pdf_drops_running_header_footer_and_page_numbers(report):
    info, doc = report
    everything = " ".join(texts(doc))
    assert info.header not in everything
    assert "Page 3 of" not in everything
    assert not any(is_page_number(t) for t in texts(doc))


def test_pdf_recommendations_are_numbered_list_items(report):
    _, doc = report
    recs = [b for b in doc.blocks if b.kind == "list_item" and b.text in RECS]
    assert [b.number for b in recs] == ["1", "2", "3"]


def test_pdf_joins_recommendation_split_by_page_break(report):
    info, doc = report
    block = next(b for b in doc.blocks if b.kind == "list_item" and b.number == "2" and "Thames" in b.text)
    assert block.text == RECS[1]
    assert block.page == info.crossing_page


def test_pdf_findings_and_headings(report):
    _, doc = report
    headings = [(b.number, b.text) for b in doc.blocks if b.kind == "heading"]
    assert ("3", "Findings") in headings and ("4", "Recommendations") in headings
    findings = [b for b in doc.blocks if b.kind == "list_item" and b.text in docgen.DEFAULT_FINDINGS]
    assert [b.number for b in findings] == ["1", "2", "3"]


def test_pdf_contents_page_is_not_headings_or_items(report):
    _, doc = report
    contents = [b for b in doc.blocks if b.page == 2 and b.kind != "heading"]
    assert contents and all(b.kind == "paragraph" and b.number is None for b in contents)


def test_pdf_two_column_page_reads_left_then_right(report):
    info, doc = report
    page = [b.text for b in doc.blocks if b.page == info.two_column_page]
    assert page == LEFT + RIGHT


def test_pdf_tables_become_rows_with_header(report):
    _, doc = report
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    rec_table = [b for b in rows if b.table == 0]
    assert rec_table[0].header and rec_table[0].cells == ["No.", "Recommendation", "Agencies"]
    assert [b.cells[1] for b in rec_table[1:]] == RECS
    plan = [b for b in rows if b.table == 1]
    assert plan[0].cells == docgen.ACTION_PLAN_HEADER and plan[0].header
    # the action plan continues over a page break: one table, header not repeated
    assert [b.cells for b in plan[1:]] == ACTIONS
    assert len({b.page for b in plan}) > 1
    assert sum(b.header for b in plan) == 1
    assert not any("Deliver action" in t for t in texts(doc, "paragraph"))


def test_pdf_pages_are_in_order(report):
    _, doc = report
    pages = [b.page for b in doc.blocks]
    assert pages == sorted(pages) and pages[0] == 1


def test_pdf_lines_drawn_separately_merge_and_repeats_are_dropped(tmp_path):
    pages = [[(72, 800, f"Northshire review {n}"), (72, 700, f"Body text number {n} on its own page."),
              (300, 30, str(n))] for n in range(1, 5)]
    doc = read_document(docgen.make_simple_pdf(tmp_path / "s.pdf", pages))
    assert texts(doc) == [f"Body text number {n} on its own page." for n in range(1, 5)]
    assert [b.page for b in doc.blocks] == [1, 2, 3, 4]


def test_strip_running_keeps_unique_edge_lines():
    class L:
        def __init__(self, text, top):
            self.text, self.top, self.bottom = text, top, top - 10

    words = ["school", "police", "health", "housing", "court"]
    pages = [[L("Report title", 830), L(f"Opening about {w}", 820), L("body", 400), L(f"{n}", 20)]
             for n, w in enumerate(words)]
    out = strip_running(pages, [842.0] * 5)
    assert [[ln.text for ln in p] for p in out] == [[f"Opening about {w}", "body"] for w in words]


# ------------------------------------------------------------------ DOCX


@pytest.fixture(scope="module")
def docx_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "review.docx"
    docgen.make_review_docx(path, findings=["Finding one.", "Finding two."],
                            recommendations=[("Top one.", ["Sub a.", "Sub b."]), "Top two.", ("Top three.", ["Sub c."])],
                            recommendations_start=4, action_plan=ACTIONS[:2])
    return read_document(path)


def test_docx_word_numbering_is_rebuilt(docx_doc):
    items = [(b.number, b.text, b.level) for b in docx_doc.blocks if b.kind == "list_item"]
    assert items == [("1", "Finding one.", 0), ("2", "Finding two.", 0),
                     ("4", "Top one.", 0), ("(a)", "Sub a.", 1), ("(b)", "Sub b.", 1),
                     ("5", "Top two.", 0), ("6", "Top three.", 0), ("(a)", "Sub c.", 1)]


def test_docx_headings_tables_metadata(docx_doc):
    assert [b.text for b in docx_doc.blocks if b.kind == "heading"] == [
        "Rapid review: Child K", "Findings", "Recommendations", "Action plan"]
    rows = [b for b in docx_doc.blocks if b.kind == "table_row"]
    assert [r.cells for r in rows] == [docgen.ACTION_PLAN_HEADER] + ACTIONS[:2]
    assert [r.header for r in rows] == [True, False, False]
    assert docx_doc.blocks[-1].kind == "table_row"  # tables stay in document order
    assert docx_doc.metadata["title"] == "Rapid review: Child K"
    assert docx_doc.metadata["author"] == "Reviewer"
    assert docx_doc.metadata["created"].startswith("2022-03-01")
    assert docx_doc.parser == "python-docx" and docx_doc.pages is None


def test_docx_dotted_multilevel_roman_and_style_numbering(tmp_path):
    b = docgen.DocxBuilder()
    lst = b.new_list(docgen.MULTILEVEL_DOTTED)
    b.numbered("Four", 0, b.restart(lst, 4))
    b.numbered("Four point one", 1, lst)
    b.numbered("Four point two", 1, lst)
    b.numbered("Roman", 2, lst)
    b.numbered("Five", 0, lst)
    b.numbered("Five point one", 1, lst)
    b.style_numbered("Styled first")
    b.style_numbered("Styled second")
    b.paragraph("See the report.", link="https://example.org/report")
    doc = read_document(b.save(tmp_path / "d.docx"))
    assert [(x.number, x.text) for x in doc.blocks if x.kind == "list_item"] == [
        ("4", "Four"), ("4.1", "Four point one"), ("4.2", "Four point two"), ("i", "Roman"),
        ("5", "Five"), ("5.1", "Five point one"), ("1", "Styled first"), ("2", "Styled second")]
    assert doc.blocks[-1].links == ["https://example.org/report"]


@pytest.mark.parametrize("value,fmt,expected", [
    (1, "decimal", "1"), (2, "lowerLetter", "b"), (27, "lowerLetter", "aa"), (4, "upperLetter", "D"),
    (9, "lowerRoman", "ix"), (14, "upperRoman", "XIV"), (3, "decimalZero", "03"), (22, "ordinal", "22nd")])
def test_format_number(value, fmt, expected):
    assert format_number(value, fmt) == expected


# ------------------------------------------------------------------ HTML, Markdown, text


def test_html_reader(tmp_path):
    doc = read_document(docgen.make_html(tmp_path / "p.html", recommendations=RECS, recommendations_start=3))
    everything = " ".join(texts(doc))
    assert "Site header" not in everything and "Copyright" not in everything and "not content" not in everything
    assert [(b.number, b.text) for b in doc.blocks if b.text in RECS] == [("3", RECS[0]), ("4", RECS[1]), ("5", RECS[2])]
    link = next(b for b in doc.blocks if b.links)
    assert link.links == ["https://example.org/child-t"] and "full report" in link.text
    assert [b.cells for b in doc.blocks if b.kind == "table_row"][0] == docgen.ACTION_PLAN_HEADER
    assert doc.metadata["title"] == "Learning from Child T"


def test_html_ol_type_nested_and_value(tmp_path):
    p = tmp_path / "l.html"
    p.write_text("<ol type='a' start='2'><li>Bee<ol type='i'><li>one</li><li>two</li></ol></li>"
                 "<li value='7'>Gee</li></ol><p>2.  Typed   label&nbsp;here</p>")
    doc = read_document(p)
    assert [(b.kind, b.number, b.level, b.text) for b in doc.blocks] == [
        ("list_item", "b", 0, "Bee"), ("list_item", "i", 1, "one"), ("list_item", "ii", 1, "two"),
        ("list_item", "g", 0, "Gee"), ("list_item", "2", 0, "Typed label here")]


def test_markdown_summary_keeps_source_urls_and_drops_source_clutter(tmp_path):
    findings = [("Schools did not report absence.", "https://example.org/a"),
                ("Police saw exploitation as a choice", "https://example.org/b")]
    doc = read_document(docgen.make_markdown(tmp_path / "s.md", findings=findings, recommendations=["Act now."],
                                             table_rows=[docgen.ACTION_PLAN_HEADER, ACTIONS[0]]))
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert [(b.number, b.text, b.links) for b in items[:2]] == [
        ("1", "Schools did not report absence.", ["https://example.org/a"]),
        ("2", "Police saw exploitation as a choice", ["https://example.org/b"])]
    assert "source" not in " ".join(texts(doc)).lower()
    assert [b.text for b in doc.blocks if b.kind == "heading"] == [
        "Learning summary: Child T", "Background", "Findings", "Recommendations", "Action plan"]
    assert [b.cells for b in doc.blocks if b.kind == "table_row"] == [docgen.ACTION_PLAN_HEADER, ACTIONS[0]]
    assert doc.format == "md" and doc.parser == "markdown-it-py"


def test_markdown_keeps_ordinary_link_text(tmp_path):
    p = tmp_path / "x.md"
    p.write_text("Read [Working Together 2018](https://gov.uk/wt) first.\n\n3. Third item\n4. Fourth\n")
    doc = read_document(p)
    assert doc.blocks[0].text == "Read Working Together 2018 first." and doc.blocks[0].links == ["https://gov.uk/wt"]
    assert [(b.number, b.text) for b in doc.blocks[1:]] == [("3", "Third item"), ("4", "Fourth")]


def test_plain_text(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("5. Recommendations\n\nRecommendation 1: The board should act\nquickly.\n"
                 "(b) A lettered one.\niii. A roman one.\n\nAn ordinary paragraph, see https://example.org/x.\n",
                 encoding="cp1252")
    doc = read_document(p)
    assert [(b.kind, b.number, b.text) for b in doc.blocks] == [
        ("heading", "5", "Recommendations"), ("list_item", "1", "The board should act quickly."),
        ("list_item", "(b)", "A lettered one."), ("list_item", "iii", "A roman one."),
        ("paragraph", None, "An ordinary paragraph, see https://example.org/x.")]
    assert doc.blocks[-1].links == ["https://example.org/x"]


def test_text_named_md_with_html_content_still_reads(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text("<!DOCTYPE html><html><body><h2>Title</h2><p>Body.</p></body></html>")
    doc = read_document(p)
    assert doc.format == "html" and [b.kind for b in doc.blocks] == ["heading", "paragraph"]


@pytest.mark.parametrize("text,expected", [
    ("1. Text", ("1", "Text", True)), ("4.2 The police", ("4.2", "The police", True)),
    ("(b) schools", ("(b)", "schools", True)), ("a) the", ("a)", "the", True)),
    ("iii. the board", ("iii", "the board", True)), ("Recommendation 3: The x", ("3", "The x", True)),
    ("2019 was a year", (None, "2019 was a year", False)), ("i.e. this", (None, "i.e. this", False)),
    ("\u2022 bullet", (None, "bullet", True)), ("A. Smith said", (None, "A. Smith said", False)),
])
def test_split_label(text, expected):
    assert split_label(text) == expected
