"""Decode a text-format file safely: right encoding, no binary data, no monster lines.

A multi-megabyte single line is not prose (minified data, a log, a bad export) and makes
downstream regular expressions slow, so it is refused with the line number.
"""
from __future__ import annotations

from pathlib import Path

from ingest.errors import UnsupportedFormat, UnreadableDocument
from ingest.readers.sniff import looks_binary

MAX_LINE_CHARS = 200_000


def read_text_file(path: Path, what: str, *, max_line: int | None = MAX_LINE_CHARS) -> str:
    """Return the file's text (UTF-8, UTF-16 with BOM, else Windows-1252)."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        if looks_binary(data[:65536]):
            raise UnsupportedFormat(path, f"the file holds binary data, not text, so it is not {what}")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if max_line is not None:
        _check_lines(path, text, max_line)
    return text


def _check_lines(path: Path, text: str, max_line: int) -> None:
    if len(text) <= max_line:
        return
    start = 0
    for n, _ in enumerate(iter(int, 1), start=1):
        end = text.find("\n", start)
        stop = len(text) if end == -1 else end
        if stop - start > max_line:
            raise UnreadableDocument(
                path, f"line {n} is {stop - start:,} characters long (limit {max_line:,}); not a prose document")
        if end == -1:
            return
        start = end + 1
