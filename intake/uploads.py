"""Accept an uploaded document or pasted web-page text into a draft, or refuse it with the
command line's one-line error and keep nothing of it.

The upload is written to a private temporary file beside the draft, checked there with the
readers' own checks (size, real format from the bytes, truncated, encrypted, scanned, empty),
and only renamed into the draft folder when it passes.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from werkzeug.utils import secure_filename

from ingest.errors import IngestError
from ingest.readers import check_document
from ingest.readers.sniff import EXTENSIONS

SUFFIX = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "md": ".md", "txt": ".txt"}


def megabytes(n: int) -> str:
    """50 MB, 0.2 MB: the size limit as the page states it."""
    mb = n / 1048576
    return f"{mb:.0f} MB" if mb >= 1 else f"{mb:.1f} MB"


class UploadRefused(Exception):
    """One line for the page: what is wrong with the file."""


def _unique(folder: Path, name: str) -> str:
    stem, suffix = os.path.splitext(name)
    candidate, n = name, 2
    while (folder / candidate).exists():
        candidate, n = f"{stem}-{n}{suffix}", n + 1
    return candidate


def _safe_name(filename: str, fallback: str) -> str:
    name = secure_filename(filename or "") or fallback
    return name[:120]


def accept_stream(folder: Path, stream, filename: str, max_bytes: int) -> tuple[str, str, int]:
    """Copy `stream` to a temp file, check it, move it into `folder`; returns (file, format, size)."""
    name = _safe_name(filename, "document")
    if Path(name).suffix.lower() not in EXTENSIONS:
        raise UploadRefused(f"{filename or 'The file'}: not a PDF, DOCX, HTML, Markdown or text file "
                            f"(the name should end in .pdf, .docx, .html, .md or .txt)")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".upload-", suffix=Path(name).suffix.lower(), dir=folder.parent)
    tmp = Path(tmp_name)
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRefused(f"{filename}: the file is over the {megabytes(max_bytes)} limit")
                out.write(chunk)
        try:
            fmt = check_document(tmp, max_bytes=max_bytes)
        except IngestError as exc:
            raise UploadRefused(f"{filename}: {exc.problem}") from None
        final = _unique(folder, name)
        os.replace(tmp, folder / final)
        return final, fmt, size
    finally:
        tmp.unlink(missing_ok=True)


def accept_text(folder: Path, text: str, title: str, max_bytes: int) -> tuple[str, str, int]:
    """Pasted web-page text becomes a .txt document, checked like any other."""
    import io

    data = (text or "").replace("\r\n", "\n").encode("utf-8")
    name = (secure_filename(title or "")[:60] or "web-page") + ".txt"
    return accept_stream(folder, io.BytesIO(data), name, max_bytes)
