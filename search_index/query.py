"""Turn what a person typed into a Whoosh query, without ever raising.

Supported: words (all must match), "quoted phrases", `word*` prefixes (3+ letters, matched on
the unstemmed copy), `OR` between two clauses, `-word` / `NOT word` exclusions, and abbreviation
synonyms both ways. Everything else (field syntax, brackets, lone operators, stray quotes,
control characters) is treated as plain words; the query is capped in length and clauses.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as wq

from search_index.schema import TEXT_FIELDS
from search_index.synonyms import Synonyms, stems

MAX_QUERY_CHARS = 200
MAX_CLAUSES = 12
MIN_PREFIX = 3

_TOKEN = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"|(?P<bare>[^\s"]+)|"')
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_HYPHENATED = re.compile(r"\w+(?:-\w+)+")
_FIELD_PREFIX = re.compile(r"^\w+:+")  # `title:neglect` searches for neglect, `id:*` for nothing


@dataclass
class Item:
    kind: str  # word | phrase | prefix | syn
    text: str
    neg: bool = False
    or_prev: bool = False
    forms: frozenset = frozenset()
    loose: bool = False  # typed as separate words: their own form need not be a phrase


@dataclass
class Parsed:
    """The Whoosh query plus what highlighting and spelling suggestions need."""

    text: str
    query: wq.Query | None
    stems: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)


def clean(raw: object) -> str:
    """Normalise, drop control/format characters (NUL included), collapse spaces, cap the length."""
    if not isinstance(raw, str):
        return ""
    text = unicodedata.normalize("NFKC", raw[: MAX_QUERY_CHARS * 4])
    text = "".join(ch if unicodedata.category(ch)[0] not in "CZ" else " " for ch in text)
    return " ".join(text.split())[:MAX_QUERY_CHARS].strip()


def _items(text: str) -> list[Item]:
    items: list[Item] = []
    pending_not = pending_or = False
    for m in _TOKEN.finditer(text):
        if m.group("phrase") is not None:
            if _WORD.search(m.group("phrase")):
                items.append(Item("phrase", m.group("phrase"), bool(m.group("neg")) or pending_not, pending_or))
                pending_not = pending_or = False
            continue
        token = m.group("bare")
        if token is None:
            continue
        if token in ("AND", "&&", "+"):
            continue
        if token in ("OR", "||", "|"):
            pending_or = bool(items)
            continue
        if token == "NOT":
            pending_not = True
            continue
        neg = pending_not or (token.startswith("-") and len(token) > 1)
        core = _FIELD_PREFIX.sub("", token.lstrip("-+").strip("()[]{}<>.,;!?'"))
        core = core.strip("()[]{}<>.,;:!?'")
        if _HYPHENATED.fullmatch(core.rstrip("*")):
            new = [Item("phrase", core.rstrip("*").replace("-", " "))]
        else:
            words = _WORD.findall(core)
            new = [Item("word", w) for w in words]
            if new and core.endswith("*") and len(words[-1]) >= MIN_PREFIX and core[:-1].endswith(words[-1]):
                new[-1] = Item("prefix", words[-1])
        if not new:
            continue
        new[0].or_prev = pending_or
        for item in new:
            item.neg = neg
        items += new
        pending_not = pending_or = False
    return items[:MAX_CLAUSES]


def _with_synonyms(items: list[Item], synonyms: Synonyms) -> list[Item]:
    """Replace runs of plain words (or a whole phrase) that spell a known form with a synonym item."""
    out: list[Item] = []
    i = 0
    while i < len(items):
        item = items[i]
        if item.kind == "phrase" and not item.neg:
            forms = synonyms.lookup(stems(item.text), item.text)
            out.append(Item("syn", item.text, False, item.or_prev, forms) if forms else item)
            i += 1
            continue
        matched = False
        if item.kind == "word" and not item.neg:
            for j in range(min(len(items), i + synonyms.max_len), i, -1):
                run = items[i:j]
                if any(r.kind != "word" or r.neg or (r.or_prev and r is not item) for r in run):
                    continue
                typed = " ".join(r.text for r in run)
                forms = synonyms.lookup(stems(typed), typed)
                if forms:
                    out.append(Item("syn", typed, False, item.or_prev, forms, loose=True))
                    i = j
                    matched = True
                    break
        if not matched:
            out.append(item)
            i += 1
    return out


def _terms(form: tuple[str, ...]) -> wq.Query:
    if len(form) == 1:
        return wq.Or([wq.Term(f, form[0], boost=b) for f, b in TEXT_FIELDS.items()])
    return wq.Or([wq.Phrase(f, list(form), boost=b) for f, b in TEXT_FIELDS.items()])


def _clause(item: Item, parsed: Parsed) -> wq.Query | None:
    if item.kind == "prefix":
        parsed.prefixes.append(item.text.lower())
        return wq.Prefix("exact", item.text.lower())
    if item.kind == "syn":
        typed = stems(item.text)
        alternatives = []
        for form in sorted(item.forms):
            parsed.stems.update(form)
            if item.loose and form == typed and len(form) > 1:
                alternatives.append(wq.And([_terms((word,)) for word in form]))
            else:
                alternatives.append(_terms(form))
        return wq.Or(alternatives)
    form = stems(item.text)
    if not form:
        return None
    parsed.stems.update(form)
    if item.kind == "word":
        parsed.words.append(item.text.lower())
    return _terms(form)


def _combine(items: list[Item], parsed: Parsed) -> wq.Query | None:
    groups: list[list[wq.Query]] = []
    negatives: list[wq.Query] = []
    for item in items:
        clause = _clause(item, parsed)
        if clause is None:
            continue
        if item.neg:
            negatives.append(clause)
        elif item.or_prev and groups:
            groups[-1].append(clause)
        else:
            groups.append([clause])
    if not groups:
        return None  # nothing positive to look for: a lone NOT is not a search
    positives = [g[0] if len(g) == 1 else wq.Or(g) for g in groups]
    query = positives[0] if len(positives) == 1 else wq.And(positives)
    if negatives:
        query = wq.AndNot(query, wq.Or(negatives) if len(negatives) > 1 else negatives[0])
    return query


def _plain(text: str) -> Parsed:
    """The fallback: every word must match, no operators, no synonyms."""
    parsed = Parsed(text, None)
    items = [Item("word", w) for w in _WORD.findall(text)][:MAX_CLAUSES]
    try:
        parsed.query = _combine(items, parsed)
    except Exception:  # noqa: BLE001 - user input must never break search
        parsed.query = None
    return parsed


def parse(raw: object, synonyms: Synonyms) -> Parsed:
    """Parse a user's query; on any surprise fall back to a plain-terms search."""
    text = clean(raw)
    try:
        items = _with_synonyms(_items(text), synonyms)
        parsed = Parsed(text, None)
        parsed.query = _combine(items, parsed)
        if parsed.query is None and any(i.neg for i in items):
            return _plain(text.replace("-", " ").replace("NOT", " "))
        return parsed
    except Exception:  # noqa: BLE001 - user input must never break search
        return _plain(text)
