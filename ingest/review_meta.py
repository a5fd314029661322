"""A review's metadata from its cover page: title, subject, review type, publisher, publication date.

Real covers are a handful of short lines ("Oxfordshire Safeguarding Children Board",
"Serious Case Review", "Child K", "Published March 2020"); the file's own title property is
used only when the cover gives nothing better, because it is often a template name.
"""
from __future__ import annotations

import re
from collections import Counter

from ingest.dates import published_date
from ingest.document import Block, Document
from ingest.labels import is_page_number

_TYPES = (  # checked in this order on the title; on the cover the earliest mention wins
    ("learning-summary", re.compile(
        r"\b(?:7|seven)[\s-]*minute[\s-]*(?:briefing|brief|learning)|\blearning\s+(?:summary|brief|briefing)\b|"
        r"\bpractice\s+(?:brief|briefing|learning\s+summary)\b|\bbriefing\s+(?:note|paper)\b|\bsummary\s+of\s+learning\b",
        re.I)),
    ("cspr", re.compile(r"\bchild\s+safeguarding\s+practice\s+reviews?\b|\bL?CSPRs?\b", re.I)),
    ("scr", re.compile(r"\bserious\s+case\s+reviews?\b|\bSCRs?\b", re.I)),
    ("partnership-learning-review", re.compile(
        r"\b(?:(?:local|partnership|multi[\s-]agency|practice|single[\s-]agency|safeguarding)\s+)*learning\s+reviews?\b|"
        r"\brapid\s+reviews?\b|\b(?:LLR|PLR|LCLR)\b", re.I)),
)
_PUBLISHER_CORE = re.compile(
    r"(?:Local\s+)?(?:Safeguarding\s+(?:Children(?:['\u2019]s)?\s+|Childrens\s+|Children\s+and\s+Young\s+People\s+)?"
    r"(?:Partnership|Board)|Children(?:['\u2019]s)?\s+Safeguarding\s+(?:Partnership|Board))"
    r"(?:\s*\((?P<abbr>[A-Z]{2,8})\))?"
)
_AREA_WORD = re.compile(r"^(?:[A-Z][\w'\u2019.-]*|and|&|of|the|upon|on|in|le|with)$")
_AREA_STOP = {
    "published", "by", "for", "commissioned", "review", "report", "a", "an", "this", "behalf", "case", "serious",
    "practice", "learning", "rapid", "child", "children", "safeguarding", "overview", "final", "the", "on", "of",
    "in", "and", "&", "executive", "summary", "brief", "briefing", "minute", "partnership", "board", "from",
}
_CODED_SUBJECT = re.compile(
    r"\b(?P<s>(?:Child|Baby|Infant|Young\s+Person|Siblings?|Children|Family|Adolescent|Adult|Boy|Girl|Sibling\s+Group)"
    r"\s+[A-Z]{1,2}\d{0,2}(?:\s*(?:-|\u2013|and|&|to)\s*[A-Z]{1,2}\d{0,2})?)(?![\w'\u2019])"
)
_NAMED_SUBJECT = re.compile(
    r"(?:\b(?:concerning|regarding|in\s+respect\s+of|relating\s+to|into\s+the\s+(?:death|circumstances)\s+of|"
    r"about|for)\s+|\breview\s*[:\-\u2013]\s*|^)[\"\u201c\u2018']?(?P<n>[A-Z][a-z]{2,15})[\"\u201d\u2019']?"
    r"(?:\s*\(?(?:aged|age)\b|\s*$|\s*[.,:;)])",
    re.I,
)
_QUOTED_NAME = re.compile(r"[\"\u201c\u2018](?P<n>[A-Z][a-z]{2,15})[\"\u201d\u2019]")
_NOT_NAMES = {
    "the", "child", "children", "baby", "family", "review", "safeguarding", "practice", "serious", "case", "local",
    "learning", "summary", "report", "published", "partnership", "board", "final", "overview", "executive",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "draft", "version",
    "contents", "introduction", "background", "official", "sensitive", "recommendations", "findings", "rapid",
    "briefing", "minute", "seven", "her", "his", "their", "them", "him", "this", "that", "these", "those",
}
_DATE_LABEL = re.compile(
    r"\b(?:published|publication(?:\s+date)?|date\s+of\s+publication|date\s+published|date|final(?:\s+version|\s+report)?|"
    r"version\s*[\d.]*|issued|approved)\b\s*(?:on|in)?\s*[:\-\u2013]?\s*(?P<rest>.{0,90})",
    re.I,
)
_NOT_PUBLICATION = re.compile(
    r"\b(?:born|died|death|period|between|from|until|covering|scope|incident|aged|birth|timeframe|time\s+frame)\b"
    r"|\b\w+\s+\d{4}\s*(?:-|\u2013|to)\s*\w+\s+\d{4}\b",
    re.I,
)
_JUNK_TITLE = re.compile(r"^(?:microsoft\s+word\s*-\s*|untitled|title|document\d*|powerpoint presentation)", re.I)


def cover_blocks(doc: Document) -> list[Block]:
    """The cover: page 1 (and page 2 if page 1 holds almost nothing), or the first blocks."""
    blocks = [b for b in doc.blocks if b.kind != "table_row"]
    if any(b.page is not None for b in blocks):
        cover = [b for b in blocks if (b.page or 1) <= 1]
        if len(cover) < 3:
            cover = [b for b in blocks if (b.page or 1) <= 2]
        return cover[:25]
    # the cover runs to the first top-level heading after the title (itself often the first heading)
    title_at = next((i for i, b in enumerate(blocks[:6]) if b.kind == "heading"), 0)
    while title_at + 1 < min(len(blocks), 6) and blocks[title_at].kind == "heading" and \
            blocks[title_at + 1].kind == "heading" and find_publisher(blocks[title_at].text) and \
            len(blocks[title_at].text.split()) <= 8:
        title_at += 1  # the publisher's name set as a heading above the title
    first_body = next((i for i, b in enumerate(blocks[title_at + 1:], title_at + 1)
                       if b.kind == "heading" and b.level <= 1), None)
    return blocks[: min(first_body or 12, 12)]


def review_type(title: str, cover_text: str, head_text: str) -> str:
    for slug, pattern in _TYPES:
        if pattern.search(title or ""):
            return slug
    if _TYPES[0][1].search(head_text):
        return "learning-summary"
    hits = [(m.start(), slug) for slug, pattern in _TYPES[1:] if (m := pattern.search(cover_text))]
    return min(hits)[1] if hits else "other"


def find_publisher(text: str) -> str | None:
    """'Oxfordshire Safeguarding Children Board (OSCB)' from a line such as
    'Published by Oxfordshire Safeguarding Children Board (OSCB) in March 2020'."""
    for line in text.splitlines():
        for m in _PUBLISHER_CORE.finditer(line):
            words = line[: m.start()].split()
            area: list[str] = []
            for word in reversed(words):
                if not _AREA_WORD.match(word) or word.lower() in _AREA_STOP - {"and", "&", "of", "the", "on", "in"}:
                    break
                area.insert(0, word)
                if len(area) >= 6:
                    break
            while area and area[0].lower() in {"and", "&", "of", "the", "on", "in", "upon", "with"}:
                area.pop(0)
            core = re.sub(r"\s+", " ", m.group(0)).strip()
            name = " ".join(area + [core])
            if area or m.group("abbr") or core.lower().startswith("local"):
                return name
    return None


def find_subject(title: str, cover_text: str, body_text: str) -> str | None:
    for text in (title, cover_text):
        m = _CODED_SUBJECT.search(text or "")
        if m:
            return re.sub(r"\s+", " ", m.group("s"))
        for line in (text or "").splitlines():
            for pattern in (_NAMED_SUBJECT, _QUOTED_NAME):
                for n in pattern.finditer(line.strip()):
                    name = n.group("n")
                    if name.lower() not in _NOT_NAMES and name[0].isupper() and name[1:].islower() and \
                            len(re.findall(rf"\b{name}\b", body_text)) >= 2:
                        return name
    coded = Counter(re.sub(r"\s+", " ", m.group("s")) for m in _CODED_SUBJECT.finditer(body_text))
    if coded:
        best, count = coded.most_common(1)[0]
        if count >= 3:
            return best
    return None


def find_published(cover: list[Block], doc: Document) -> str | None:
    early = [b for b in doc.blocks if b.kind != "table_row" and (b.page or 0) <= 3][:80]
    for blocks in (cover, early, doc.blocks[-15:]):
        for b in blocks:
            for m in _DATE_LABEL.finditer(b.text):
                rest = re.split(r"\.\s|;|\n", m.group("rest"))[0]
                if _NOT_PUBLICATION.search(rest):
                    continue
                found = published_date(rest)
                if found:
                    return found
    for b in cover:
        if len(b.text.split()) <= 8 and not _NOT_PUBLICATION.search(b.text):
            found = published_date(b.text)
            if found:
                return found
    return None


_SUBJECT_LINE = re.compile(
    r"^(?:(?:concerning|regarding|in\s+respect\s+of|relating\s+to|about|into\s+the\s+(?:death|circumstances)\s+of|"
    r"for)\s+)?[\"\u201c\u2018']?(?P<s>.+?)[\"\u201d\u2019']?(?:\s*\((?:aged?|\d)[^)]*\))?\s*$", re.I)


def _cover_subject(line: str) -> str | None:
    """The subject a cover line names on its own: 'Child P', '"Sam"', 'Concerning Child E'."""
    m = _SUBJECT_LINE.match(line.strip())
    if not m:
        return None
    core = m.group("s").strip()
    if _CODED_SUBJECT.fullmatch(core):
        return re.sub(r"\s+", " ", core)
    if re.fullmatch(r"[A-Z][a-z]{2,15}", core) and core.lower() not in _NOT_NAMES:
        return core
    return None


def find_title(doc: Document, cover: list[Block]) -> str | None:
    meta = (doc.metadata or {}).get("title") or ""
    meta = re.sub(r"^microsoft\s+word\s*-\s*", "", str(meta), flags=re.I).strip()
    meta = re.sub(r"\.(?:docx?|pdf)$", "", meta, flags=re.I).strip()
    meta_ok = len(meta) >= 8 and " " in meta and not _JUNK_TITLE.match(meta) and "_" not in meta
    cover = [b for b in cover if not is_page_number(b.text)]  # "Page 1 of 24" is furniture, never a title
    headings = [b for b in cover if b.kind == "heading"] or cover[:3]
    candidates = []
    for b in headings:
        text = b.text.strip()
        if not text or (find_publisher(text) and len(text.split()) <= 8 and not any(p.search(text) for _, p in _TYPES)):
            continue
        if text.lower() in ("contents", "table of contents"):
            continue
        at = next(i for i, c in enumerate(cover) if c is b)
        nxt = cover[at + 1].text.strip() if at + 1 < len(cover) else ""
        if any(p.search(text) for _, p in _TYPES) and not _CODED_SUBJECT.search(text) and nxt and \
                len(nxt.split()) <= 6:
            subject = _cover_subject(nxt)
            if subject:
                text = f"{text.rstrip(':').rstrip()}: {subject}"
        candidates.append(text)
    candidates = [c for c in candidates if len(c.split()) <= 20 and not c.endswith(".")]
    if meta_ok:  # a heading the page's own title repeats is the title, not the first entry's heading
        page_title = next((c for c in candidates if meta == c or re.match(re.escape(c) + r"\s*[|\-\u2013:]", meta)), None)
        if page_title:
            return page_title
    typed = [c for c in candidates if any(p.search(c) for _, p in _TYPES)]
    if typed:
        return typed[0]
    if meta_ok and any(p.search(meta) for _, p in _TYPES):
        return meta
    coded = [c for c in candidates if _CODED_SUBJECT.search(c)]
    if coded:
        return coded[0]
    if meta_ok:
        return meta
    return candidates[0] if candidates else (meta or None)


def review_metadata(doc: Document) -> dict:
    """The 'review' part of an extraction."""
    cover = cover_blocks(doc)
    cover_text = "\n".join(b.text for b in cover)
    head_text = "\n".join(b.text for b in cover[:6])
    body_text = "\n".join(b.text for b in doc.blocks)
    title = find_title(doc, cover)
    publisher = (find_publisher(cover_text) or find_publisher(str((doc.metadata or {}).get("author") or ""))
                 or _most_common_publisher(doc))
    return {
        "title": title,
        "subject": find_subject(title or "", cover_text, body_text),
        "review_type": review_type(title or "", cover_text, head_text),
        "publisher": publisher,
        "published": find_published(cover, doc),
    }


def _most_common_publisher(doc: Document) -> str | None:
    names = Counter(p for b in doc.blocks if (p := find_publisher(b.text)))
    return names.most_common(1)[0][0] if names else None
