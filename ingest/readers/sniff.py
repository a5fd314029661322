"""Decide a file's real format from its bytes; the extension only chooses among text formats.

A report saved with the wrong extension is common (a DOCX named .pdf, an HTML error page
saved as .pdf); reading it with the wrong parser gives a confusing library error, so the
mismatch is reported plainly instead.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import filetype

from ingest.errors import UnreadableDocument, UnsupportedFormat

FORMAT_NAMES = {
    "pdf": "a PDF document",
    "docx": "a DOCX document",
    "html": "an HTML document",
    "md": "a Markdown file",
    "txt": "a plain-text file",
}
EXTENSIONS = {
    ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "md", ".markdown": "md", ".txt": "txt", ".text": "txt",
}
TEXT_FORMATS = ("html", "md", "txt")
HEAD_BYTES = 8192


def expected_format(path: Path) -> str | None:
    """The format the file name claims, or None for an unknown extension."""
    return EXTENSIONS.get(path.suffix.lower())


def sniff(path: Path, head: bytes) -> str:
    """Return pdf | docx | html | md | txt for the file's content, or raise with the reason.

    ``head`` is the first HEAD_BYTES bytes of the file.
    """
    claimed = expected_format(path)
    actual = _binary_kind(path, head)
    if actual is None:
        actual = _text_kind(path, head, claimed)
    if claimed and claimed != actual and not (claimed in TEXT_FORMATS and actual in TEXT_FORMATS):
        raise UnsupportedFormat(path, f"the file is {FORMAT_NAMES[actual]}, not {FORMAT_NAMES[claimed]}")
    return actual


def _binary_kind(path: Path, head: bytes) -> str | None:
    """pdf or docx from magic bytes; raise for other binary formats; None for text."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnsupportedFormat(path, "the file is a legacy Word/Office (OLE) document; save it as DOCX or PDF")
    if head.lstrip().startswith(b"{\\rtf"):
        raise UnsupportedFormat(path, "the file is an RTF document; save it as DOCX or PDF")
    kind = filetype.guess(head)
    if kind is not None:
        what = "an image" if kind.mime.startswith("image/") else "a binary file"
        hint = " (a scan needs OCR first)" if kind.mime.startswith("image/") else ""
        raise UnsupportedFormat(path, f"the file is {what} ({kind.mime}), not a document{hint}")
    return None


def _zip_kind(path: Path) -> str:
    """A zip is a DOCX only when it holds a Word main document part."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise UnreadableDocument(path, f"the file is a corrupt or truncated zip/DOCX ({_first_line(exc)})") from None
    if "word/document.xml" in names or any(n.startswith("word/document") for n in names):
        return "docx"
    if "xl/workbook.xml" in names:
        raise UnsupportedFormat(path, "the file is an Excel workbook (XLSX), not a document")
    if "ppt/presentation.xml" in names:
        raise UnsupportedFormat(path, "the file is a PowerPoint presentation (PPTX), not a document")
    if "content.xml" in names and "mimetype" in names:
        raise UnsupportedFormat(path, "the file is an OpenDocument file; save it as DOCX or PDF")
    raise UnsupportedFormat(path, "the file is a zip archive, not a document")


def looks_binary(sample: bytes) -> bool:
    """NUL bytes or many control characters mean the bytes are not text in any encoding."""
    if not sample:
        return False
    if b"\x00" in sample and not (sample.startswith(b"\xff\xfe") or sample.startswith(b"\xfe\xff")):
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) > 0.01


def _text_kind(path: Path, head: bytes, claimed: str | None) -> str:
    if looks_binary(head):
        what = FORMAT_NAMES.get(claimed or "", "a document")
        raise UnsupportedFormat(path, f"the file holds binary data, not text, so it is not {what}")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    is_html = start.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        start.startswith(b"<") and (b"<body" in head.lower() or b"<head" in head.lower()))
    if claimed in TEXT_FORMATS:
        return "html" if is_html and claimed == "txt" else claimed
    return "html" if is_html else "txt"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
