"""Turn what a person typed into a Whoosh query, without ever raising.

Supported: words (all must match), "quoted phrases", `word*` prefixes (3+ letters, matched on
the unstemmed copy), `OR` between two clauses, `-word` / `NOT word` exclusions, abbreviations and
equivalent phrases both ways, and runs of words that name a theme or agency (which also find what
is tagged with it), "A&E" as one word, a lone letter ("Child M") as itself, a hyphenated word
also written as one ("post-natal", "postnatal") and a year as the reviews published in it. The parsed query
keeps each unit apart so the service can relax it. Everything else (field syntax, brackets, lone operators, stray quotes,
control characters) is treated as plain words; the query is capped in length and clauses.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as wq

from search_index.schema import PAIR_FIELD, TEXT_FIELDS
from search_index.synonyms import Synonyms, stems

MAX_QUERY_CHARS = 200
MAX_CLAUSES = 12
MIN_PREFIX = 3
PAIR_BOOST = 2.0  # a phrase's pairs: worth a word's match in learning or recommendation text
TAG_BOOST = 0.5  # a tag match counts for less than finding the words themselves
FINDS_SCALE = 0.5  # a pattern's parts ("toxic trio" -> domestic abuse) count for less than its own words

_TOKEN = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"|(?P<bare>[^\s"]+)|"')
_WORD = re.compile(r"\w+(?:['’&]\w+)*")  # "A&E" is one word
_HYPHENATED = re.compile(r"\w+(?:-\w+)+")
_FIELD_PREFIX = re.compile(r"^\w+:+")
_YEAR = re.compile(r"(?:19[89]|20[0-9])[0-9]")
_LETTER = re.compile(r"(?i)[b-hj-z]")  # a lone letter other than the words "a" and "I"  # `title:neglect` searches for neglect, `id:*` for nothing


@dataclass
class Item:
    kind: str  # word | phrase | prefix | syn
    text: str
    neg: bool = False
    or_prev: bool = False
    forms: frozenset = frozenset()
    loose: bool = False  # typed as separate words: their own form need not be a phrase
    quoted: bool = False  # "in quotes": exactly these words, no themes or agencies behind them
    joined: str = ""  # a hyphenated word written as one ("post-natal" -> "postnatal")
    weak: frozenset = frozenset()  # forms found one way only (`finds`): they count for less


@dataclass
class Unit:
    """One thing the query asks for: a word, phrase, prefix, synonym run or OR group.

    `literal` finds it in the text; `tag_query` (when the unit names a theme or agency) finds what
    is tagged with it; `words` are the typed words, for spelling; a `question` unit ("how", "why")
    is dropped when the query has other words.
    """

    literal: wq.Query
    tags: frozenset = frozenset()
    tag_query: wq.Query | None = None
    words: list[str] = field(default_factory=list)
    question: bool = False
    splittable: bool = False  # one unquoted run of several words: relaxation may take them one by one
    own: wq.Query | None = None  # the typed words alone, when `literal` also holds their equivalents

    @property
    def either(self) -> wq.Query:
        """The unit found literally or through its tags."""
        return self.literal if self.tag_query is None else wq.Or([self.literal, self.tag_query])


@dataclass
class Parsed:
    """The Whoosh query plus what relaxation, concepts, highlighting and spelling need."""

    text: str
    query: wq.Query | None
    stems: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    negative: wq.Query | None = None
    synonyms: Synonyms | None = None  # what it was parsed with: relaxation reads a run's words the same way

    @property
    def concept(self) -> wq.Query | None:
        """Every unit found literally or through its tags (None when no unit names a tag)."""
        if self.query is None or not any(u.tag_query is not None for u in self.units):
            return None
        query = _and([u.either for u in self.units])
        return query if self.negative is None else wq.AndNot(query, self.negative)


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
                items.append(Item("phrase", m.group("phrase"), bool(m.group("neg")) or pending_not, pending_or,
                                  quoted=True))
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
            word = core.rstrip("*")
            new = [Item("phrase", word.replace("-", " "), joined=word.replace("-", ""))]
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
            if item.joined:  # either way of writing it, and what either is equivalent to
                forms |= synonyms.lookup(stems(item.joined), item.joined) | {stems(item.text), stems(item.joined)}
                forms -= {()}
            out.append(Item("syn", item.text, False, item.or_prev, frozenset(forms), quoted=item.quoted,
                            joined=item.joined, weak=synonyms.one_way(stems(item.text))) if forms else item)
            i += 1
            continue
        matched = False
        if item.kind == "word" and not item.neg:
            for j in range(min(len(items), i + synonyms.max_len), i, -1):
                run = items[i:j]
                if any(r.kind != "word" or r.neg or (r.or_prev and r is not item) for r in run):
                    continue
                if len(run) > 1 and any(_LETTER.fullmatch(r.text) for r in run):
                    continue  # "child m" is Child M, not the phrase "child" with a letter lost
                typed = " ".join(r.text for r in run)
                forms = synonyms.lookup(stems(typed), typed)
                if not forms and len(run) > 1 and synonyms.tags(stems(typed), typed):
                    forms = frozenset({stems(typed)})  # a run naming a theme or agency stays together
                if forms:
                    out.append(Item("syn", typed, False, item.or_prev, forms, loose=True,
                                    weak=synonyms.one_way(stems(typed))))
                    i = j
                    matched = True
                    break
        if not matched:
            out.append(item)
            i += 1
    return out


def _terms(form: tuple[str, ...], scale: float = 1.0) -> wq.Query:
    """One stem in any text field; a phrase as its neighbouring pairs (see schema.PAIR_FIELD)."""
    if len(form) == 1:
        return wq.Or([wq.Term(f, form[0], boost=b * scale) for f, b in TEXT_FIELDS.items()])
    pairs = [wq.Term(PAIR_FIELD, f"{a} {b}", boost=PAIR_BOOST * scale) for a, b in zip(form, form[1:])]
    return pairs[0] if len(pairs) == 1 else wq.And(pairs)


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
                alternatives.append(_terms(form, FINDS_SCALE if form in item.weak else 1.0))
        return wq.Or(alternatives)
    form = stems(item.text)
    if not form:
        if item.kind == "word" and _LETTER.fullmatch(item.text):
            return wq.Term("exact", item.text.lower())  # "Child M": the letter names the child
        return None
    parsed.stems.update(form)
    if item.kind == "word":
        parsed.words.append(item.text.lower())
    return _terms(form)


def _tag_query(tags: frozenset) -> wq.Query | None:
    terms = [wq.Term(fld, slug, boost=TAG_BOOST) for fld, slug in sorted(tags)]
    return None if not terms else terms[0] if len(terms) == 1 else wq.Or(terms)


def _combine(items: list[Item], parsed: Parsed, synonyms: Synonyms | None = None) -> wq.Query | None:
    """The strict query (every group must match); also fills `parsed.units` and `parsed.negative`."""
    groups: list[list[tuple[Item, wq.Query]]] = []
    negatives: list[wq.Query] = []
    for item in items:
        clause = _clause(item, parsed)
        if clause is None:
            continue
        if item.neg:
            negatives.append(clause)
        elif item.or_prev and groups:
            groups[-1].append((item, clause))
        else:
            groups.append([(item, clause)])
    if not groups:
        return None  # nothing positive to look for: a lone NOT is not a search
    units = [_unit(group, synonyms) for group in groups]
    content = [u for u in units if not u.question]
    parsed.units = content or units  # question words never make a query fail
    parsed.negative = (wq.Or(negatives) if len(negatives) > 1 else negatives[0]) if negatives else None
    query = _and([u.literal for u in parsed.units])
    if parsed.negative is not None:
        query = wq.AndNot(query, parsed.negative)
    return query


def _and(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.And(queries)


def _unit(group: list[tuple[Item, wq.Query]], synonyms: Synonyms | None) -> Unit:
    literal = group[0][1] if len(group) == 1 else wq.Or([clause for _, clause in group])
    tags: frozenset = frozenset()
    words: list[str] = []
    for item, _ in group:
        if synonyms is not None and item.kind in ("word", "phrase", "syn") and not item.quoted:
            tags |= synonyms.tags(stems(item.text), item.text)
            if item.joined:
                tags |= synonyms.tags(stems(item.joined), item.joined)
        if item.kind == "word" and _YEAR.fullmatch(item.text):
            tags |= {("year", item.text)}  # a year names the reviews published in it
        if item.kind in ("word", "syn", "phrase"):
            words += [w.lower() for w in _WORD.findall(item.text)]
    question = (synonyms is not None and len(group) == 1 and group[0][0].kind == "word"
                and group[0][0].text.lower() in synonyms.question_words)
    splittable = (len(group) == 1 and group[0][0].kind in ("syn", "phrase") and not group[0][0].quoted
                  and len(words) > 1)
    return Unit(literal, tags, _tag_query(tags), words, question, splittable, _own(group))


def _own(group: list[tuple[Item, wq.Query]]) -> wq.Query | None:
    """What the typed words find by themselves, for a lone synonym item with other forms: what
    was typed ranks above what is only equivalent to it ("manslaughter" before "died")."""
    if len(group) != 1 or group[0][0].kind != "syn":
        return None
    item = group[0][0]
    typed = stems(item.text)
    if not typed or item.forms <= {typed}:
        return None
    if item.loose and len(typed) > 1:
        return wq.And([_terms((word,)) for word in typed])
    joined = stems(item.joined) if item.joined else ()
    return _terms(typed) if not joined or joined == typed else wq.Or([_terms(typed), _terms(joined)])


def relaxed_units(parsed: Parsed) -> list[Unit]:
    """The units, plus each word of an unquoted multi-word run as a unit of its own.

    A query that is one concept run ("adult mental health services") is a single unit, so it
    could not be relaxed at all; its words one by one can be, and a record holding more of them
    ranks higher. Each word finds what it finds typed alone, equivalents included ("online
    grooming": grooming also finds exploitation). Words already typed as units of their own are
    not counted twice.
    """
    seen = {stems(u.words[0]) for u in parsed.units if len(u.words) == 1}
    extra: list[Unit] = []
    for unit in parsed.units:
        if not unit.splittable:
            continue
        for word in unit.words:
            form = stems(word)
            if form and form not in seen:
                seen.add(form)
                alone = _alone(word, parsed.synonyms) if parsed.synonyms is not None else None
                extra.append(alone or Unit(_terms(form), words=[word]))
    return parsed.units + extra


def _alone(word: str, synonyms: Synonyms) -> Unit | None:
    """One word of a run as the parser reads it typed alone (its equivalents and tags)."""
    alone = Parsed(word, None)
    if _combine(_with_synonyms([Item("word", word)], synonyms), alone, synonyms) is None:
        return None
    return next((u for u in alone.units if u.words == [word] and not u.question), None)


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
        parsed.query = _combine(items, parsed, synonyms)
        parsed.synonyms = synonyms
        if parsed.query is None and any(i.neg for i in items):
            return _plain(text.replace("-", " ").replace("NOT", " "))
        return parsed
    except Exception:  # noqa: BLE001 - user input must never break search
        return _plain(text)


def only_fields(query: wq.Query, drop: frozenset[str]) -> wq.Query:
    """`query` without its terms on the fields in `drop` (NullQuery if nothing is left).

    Paragraphs are indexed in `body` and everything else in `heading`/`text`, so a document is
    scored by one side only: ranking each side on its own and merging gives the same scores as
    the whole query, without Whoosh walking a union of the two posting lists for every word.
    Exclusions keep every field (a word excluded anywhere stays excluded).
    """
    if isinstance(query, (wq.Term, wq.Phrase, wq.Prefix)):
        return wq.NullQuery if query.fieldname in drop else query
    if isinstance(query, wq.AndNot):
        positive = only_fields(query.a, drop)
        return wq.NullQuery if positive is wq.NullQuery else wq.AndNot(positive, query.b)
    if isinstance(query, wq.And):
        parts = [only_fields(q, drop) for q in query.subqueries]
        return wq.NullQuery if any(p is wq.NullQuery for p in parts) else wq.And(parts)
    if isinstance(query, wq.Or):
        parts = [p for p in (only_fields(q, drop) for q in query.subqueries) if p is not wq.NullQuery]
        return wq.NullQuery if not parts else parts[0] if len(parts) == 1 else wq.Or(parts)
    return query
