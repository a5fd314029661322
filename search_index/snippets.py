"""Safe HTML snippets: every character of document text is escaped, matches wrapped in <mark>.

Document text is untrusted (it comes from published PDFs and editors), so the snippet is built
from escaped pieces only; the one tag we add is `<mark class="search-hit">`.
"""
from __future__ import annotations

import re
from html import escape

from search_index.analysis import stem_word

_WORD = re.compile(r"\w+")
SNIPPET_CHARS = 240
LEAD_CHARS = 60


def _is_hit(word: str, stems: set[str], prefixes: list[str]) -> bool:
    lower = word.lower()
    return stem_word(lower) in stems or any(lower.startswith(p) for p in prefixes)


def snippet(text: str, stems: set[str], prefixes: list[str], max_chars: int = SNIPPET_CHARS) -> str:
    """An escaped excerpt of `text` around the first match, with matches marked."""
    text = text or ""
    hits = [m for m in _WORD.finditer(text) if _is_hit(m.group(), stems, prefixes)] if (stems or prefixes) else []
    start = 0
    if hits and hits[0].start() > LEAD_CHARS and len(text) > max_chars:
        start = hits[0].start() - LEAD_CHARS
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < hits[0].start() else start
    end = min(len(text), start + max_chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    out: list[str] = ["…"] if start > 0 else []
    pos = start
    for m in hits:
        if m.start() < start or m.end() > end:
            continue
        out.append(escape(text[pos:m.start()]))
        out.append(f'<mark class="search-hit">{escape(m.group())}</mark>')
        pos = m.end()
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)
