"""Bad documents fail with one clear line naming the file and the problem, never a traceback."""
from __future__ import annotations

import shutil
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import IngestError, UnreadableDocument, UnsupportedFormat
from ingest.readers import read_document
from tests import docgen


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    d = tmp_path_factory.mktemp("good")
    return {
        "pdf": docgen.make_report_pdf(d / "r.pdf", pages=4).path,
        "docx": docgen.make_review_docx(d / "r.docx"),
    }


def _scanned(tmp, good):
    return docgen.make_scanned_pdf(tmp / "scan.pdf")


def _encrypted(tmp, good):
    return docgen.make_encrypted_pdf(tmp / "locked.pdf")


def _truncated_pdf(tmp, good):
    return docgen.truncate_copy(good["pdf"], tmp / "cut.pdf", 0.6)


def _corrupt_pdf(tmp, good):
    p = tmp / "corrupt.pdf"
    p.write_bytes(b"%PDF-1.7\n" + b"this is not a pdf body at all\n" * 50 + b"%%EOF\n")
    return p


def _truncated_docx(tmp, good):
    return docgen.truncate_copy(good["docx"], tmp / "cut.docx", 0.5)


def _empty(name):
    def make(tmp, good):
        p = tmp / name
        p.write_bytes(b"")
        return p
    return make


def _renamed(src, name):
    def make(tmp, good):
        return shutil.copy(good[src], tmp / name)
    return make


def _zip_bomb(tmp, good):
    return docgen.write_zip_bomb(tmp / "bomb.docx", uncompressed_mb=120)


def _garbage(name):
    def make(tmp, good):
        return docgen.write_garbage(tmp / name)
    return make


def _deep_html(tmp, good):
    return docgen.write_deep_html(tmp / "deep.html", depth=50_000)


def _huge_line(tmp, good):
    return docgen.write_huge_line(tmp / "one-line.txt", chars=2_000_000)


def _png_as_pdf(tmp, good):
    from PIL import Image

    p = tmp / "photo.pdf"
    Image.new("RGB", (10, 10)).save(p, format="PNG")
    return p


def _legacy_doc(tmp, good):
    p = tmp / "old.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    return p


def _xlsx_as_docx(tmp, good):
    p = tmp / "sheet.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return p


def _docx_missing_parts(tmp, good):
    p = tmp / "broken.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", "<not-word/>")
    return p


CASES = [
    ("scanned", _scanned, UnreadableDocument, ["no text layer", "OCR"]),
    ("encrypted", _encrypted, UnreadableDocument, ["encrypted", "password"]),
    ("truncated pdf", _truncated_pdf, UnreadableDocument, ["truncated"]),
    ("corrupt pdf", _corrupt_pdf, UnreadableDocument, ["corrupt"]),
    ("truncated docx", _truncated_docx, UnreadableDocument, ["corrupt or truncated"]),
    ("empty pdf", _empty("e.pdf"), UnreadableDocument, ["empty"]),
    ("empty md", _empty("e.md"), UnreadableDocument, ["empty"]),
    ("docx named pdf", _renamed("docx", "x.pdf"), UnsupportedFormat, ["the file is a DOCX document, not a PDF"]),
    ("pdf named docx", _renamed("pdf", "x.docx"), UnsupportedFormat, ["the file is a PDF document, not a DOCX"]),
    ("pdf named md", _renamed("pdf", "x.md"), UnsupportedFormat, ["PDF document, not a Markdown"]),
    ("zip bomb", _zip_bomb, UnreadableDocument, ["zip bomb"]),
    ("garbage txt", _garbage("notes.txt"), UnsupportedFormat, ["binary data", "plain-text"]),
    ("garbage md", _garbage("notes.md"), UnsupportedFormat, ["binary data", "Markdown"]),
    ("deep html", _deep_html, UnreadableDocument, ["nested more than"]),
    ("huge line", _huge_line, UnreadableDocument, ["line 1 is", "characters long"]),
    ("png named pdf", _png_as_pdf, UnsupportedFormat, ["image/png", "OCR"]),
    ("legacy doc", _legacy_doc, UnsupportedFormat, ["legacy Word"]),
    ("xlsx named docx", _xlsx_as_docx, UnsupportedFormat, ["Excel"]),
    ("docx missing parts", _docx_missing_parts, UnreadableDocument, ["DOCX file is corrupt or unreadable"]),
]


@pytest.mark.parametrize("make,error,phrases", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gives_one_line_error(tmp_path, good, make, error, phrases):
    path = make(tmp_path, good)
    with pytest.raises(error) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message and len(message) < 300
    for phrase in phrases:
        assert phrase in message
    assert info.value.__suppress_context__ or info.value.__cause__ is None


def test_oversized_file(tmp_path, good):
    with pytest.raises(UnreadableDocument, match=r"over the 1 MB limit"):
        read_document(shutil.copy(docgen.write_huge_line(tmp_path / "big.txt", chars=1_500_000), tmp_path / "b.txt"),
                      max_bytes=1024 * 1024)


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableDocument, match="no such file"):
        read_document(tmp_path / "nope.pdf")


def test_owner_password_only_pdf_still_reads(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption("", ownerPassword="owner", canPrint=0)
    info = docgen.make_report_pdf(tmp_path / "owner.pdf", pages=4, encrypt=enc)
    doc = read_document(info.path)
    assert any(b.kind == "list_item" and b.number == "1" for b in doc.blocks)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=3000),
       prefix=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html>", b"# Title\n"]),
       ext=st.sampled_from([".pdf", ".docx", ".html", ".md", ".txt", ".bin"]))
def test_random_bytes_never_escape_as_library_errors(tmp_path, data, prefix, ext):
    path = tmp_path / f"fuzz{ext}"
    path.write_bytes(prefix + data)
    try:
        read_document(path)
    except IngestError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)


def test_a_library_message_full_of_bytes_still_makes_one_short_line():
    """Found by fuzzing: zipfile put a whole corrupt header, newlines included, into its message."""
    from ingest.errors import UnreadableDocument

    exc = UnreadableDocument("x.docx", "the DOCX is corrupt (" + "header b'\\x00\n\\xff' " * 200 + ")")
    assert "\n" not in str(exc) and len(str(exc)) < 260 and str(exc).endswith("...")
