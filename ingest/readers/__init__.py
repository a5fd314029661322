"""Read PDF, DOCX, HTML, Markdown and plain-text documents into ingest.document.Document.

``read_document(path)`` is the only entry point: it checks size, sniffs the real format from the
bytes (the extension is never trusted alone), dispatches to one reader and turns any library
failure into a one-line UnreadableDocument naming the file.

Block conventions every reader follows:
- list items: kind "list_item", the label in ``number`` as published without a trailing full
  stop ("1", "4.2", "(b)", "a)", "iii", "3" for "Recommendation 3:"); bullets have number None;
  ``level`` is the nesting depth (0 = top).
- headings: kind "heading", ``level`` 1-6; a numbered heading such as "5. Recommendations" has
  text "Recommendations" and number "5".
- tables: one "table_row" block per row, ``cells`` the cell texts, ``text`` the cells joined by
  " | ", ``table`` the table's index in the document, ``header`` True on its header row(s).
- PDF blocks carry the 1-based page where they start; other formats have page None.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from ingest.document import Document
from ingest.errors import IngestError, UnreadableDocument, UnsupportedFormat
from ingest.readers.sniff import HEAD_BYTES, sniff

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

__all__ = ["read_document", "check_document", "DEFAULT_MAX_BYTES", "UnreadableDocument", "UnsupportedFormat"]


def read_document(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, on_page=None) -> Document:
    """Parse one document file into blocks in reading order, with provenance.

    `on_page(done, total)` reports progress through a PDF's pages (other formats are quick)."""
    path = Path(path)
    fmt = _checked_format(path, max_bytes)
    reader = _reader_for(fmt)
    try:
        doc = reader(path, on_page=on_page) if on_page and fmt == "pdf" else reader(path)
    except IngestError:
        raise
    except RecursionError:
        raise UnreadableDocument(path, f"the {fmt.upper()} structure is nested too deeply to read") from None
    except MemoryError:
        raise UnreadableDocument(path, f"the {fmt.upper()} document is too large to read in memory") from None
    except Exception as exc:  # any library failure becomes a one-line, path-naming error
        raise UnreadableDocument(path, f"the {fmt.upper()} file is corrupt or unreadable "
                                       f"({type(exc).__name__}: {_first_line(exc)})") from None
    doc.sha256 = _sha256(path)
    return doc


def check_document(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Refuse a file the way read_document would, quickly (a PDF is not laid out page by page):
    for the browser's upload form, which must answer before a long report is read. Returns the format."""
    path = Path(path)
    fmt = _checked_format(path, max_bytes)
    if fmt == "pdf":
        from ingest.readers.pdf import check_pdf
        try:
            check_pdf(path)
        except IngestError:
            raise
        except Exception as exc:
            raise UnreadableDocument(path, f"the PDF file is corrupt or unreadable "
                                           f"({type(exc).__name__}: {_first_line(exc)})") from None
    else:
        read_document(path, max_bytes=max_bytes)
    return fmt


def _checked_format(path: Path, max_bytes: int) -> str:
    """Size, emptiness and the real format from the bytes (the extension is never trusted alone)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnreadableDocument(path, "no such file") from None
    except OSError as exc:
        raise UnreadableDocument(path, f"cannot be opened ({exc.strerror or exc})") from None
    if not path.is_file():
        raise UnreadableDocument(path, "not a regular file")
    if size == 0:
        raise UnreadableDocument(path, "the file is empty")
    if size > max_bytes:
        raise UnreadableDocument(
            path, f"the file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.0f} MB limit")
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise UnreadableDocument(path, f"cannot be read ({exc.strerror or exc})") from None
    fmt = sniff(path, head)
    return fmt


def _reader_for(fmt: str) -> Callable[[Path], Document]:
    """Import lazily: reading a Markdown file should not load pdfium or python-docx."""
    if fmt == "pdf":
        from ingest.readers.pdf import read_pdf
        return read_pdf
    if fmt == "docx":
        from ingest.readers.docx import read_docx
        return read_docx
    if fmt == "html":
        from ingest.readers.html import read_html
        return read_html
    if fmt == "md":
        from ingest.readers.markdown import read_markdown
        return read_markdown
    from ingest.readers.text import read_text
    return read_text


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else "no detail"
