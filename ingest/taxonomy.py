"""The controlled vocabulary (core/vocabulary.yml, read by core.vocab) matched against text.

Matching is on word tokens so "Tvp" or "dsl" inside other words never match; ordinary words
match on their Porter stem (so "exploited" finds "exploitation"); abbreviations match
case-sensitively; at any word the longest signal wins, and `<kind>_ignore` phrases label nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from whoosh.lang.porter import stem as _porter_stem

from core import vocab
from ingest.errors import InvalidSource

TAXONOMY_PATH = vocab.VOCABULARY_PATH
KINDS = vocab.SIGNAL_KINDS

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_COLOUR_LETTERS = {"R": "red", "A": "amber", "G": "green", "B": "blue"}
_DIRECTIVE = re.compile(
    r"\b(?:should|must|shall|will|needs? to|ought to|to ensure|(?:is|are) (?:asked|required|requested|expected) to)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """Lower-cased Porter stem, cached because the same words recur in every document."""
    return _porter_stem(word.lower())


def _is_abbreviation(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2


@dataclass(frozen=True)
class Token:
    raw: str  # possessive stripped: "children's" -> "children"
    stem: str
    start: int
    end: int


@lru_cache(maxsize=4096)
def tokenize(text: str) -> tuple[Token, ...]:
    """Word tokens with character offsets; hyphens and punctuation separate words. Cached: each
    text is looked up once per vocabulary (themes, agencies, ...), and profiles of a build showed
    theme and agency matching a third of extraction."""
    tokens = []
    for m in _TOKEN.finditer(text):
        raw = _POSSESSIVE.sub("", m.group()) if "'" in m.group() or "\u2019" in m.group() else m.group()
        tokens.append(Token(raw, stem(raw), m.start(), m.end()))
    return tuple(tokens)


@dataclass(frozen=True)
class Term:
    """One vocabulary entry."""

    slug: str
    name: str
    description: str
    signals: tuple[str, ...]
    exact: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    rag: tuple[str, ...] = ()
    brag: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """Where a vocabulary entry (or an ignore phrase, slug None) was found in a text."""

    slugs: tuple[str, ...]
    start: int
    end: int
    signal: str

    @property
    def slug(self) -> str:
        return self.slugs[0]


# a signal word is matched as ("A", raw) abbreviation, ("E", lower) exact or ("S", stem)
_Key = tuple[str, str]


def _signal_keys(signal: str, exact: bool = False) -> tuple[_Key, ...]:
    keys = []
    for m in _TOKEN.finditer(signal):
        word = _POSSESSIVE.sub("", m.group())
        if _is_abbreviation(word):
            keys.append(("A", word))
        elif exact:
            keys.append(("E", word.lower()))
        else:
            keys.append(("S", stem(word)))
    return tuple(keys)


def _token_keys(tok: Token) -> frozenset[_Key]:
    return _raw_keys(tok.raw)


@lru_cache(maxsize=50000)
def _raw_keys(raw: str) -> frozenset[_Key]:
    """The keys a word matches by (they depend on the word alone, and words recur)."""
    keys = {("A", raw), ("S", stem(raw)), ("E", raw.lower())}
    if raw.endswith("s"):
        keys.add(("A", raw[:-1]))
    return frozenset(keys)


@dataclass
class Matcher:
    """Leftmost-longest matching of a vocabulary's signals over word tokens."""

    index: dict[_Key, list[tuple[tuple[_Key, ...], tuple[str, ...], str]]] = field(default_factory=dict)
    patterns: list[tuple[re.Pattern, str]] = field(default_factory=list)

    @classmethod
    def build(cls, terms: list[Term], ignore: list[str]) -> "Matcher":
        by_keys: dict[tuple[_Key, ...], tuple[list[str], str]] = {}

        def add(keys: tuple[_Key, ...], slug: str | None, signal: str) -> None:
            if not keys:
                return
            slugs, _ = by_keys.setdefault(keys, ([], signal))
            if slug is not None and slug not in slugs:
                slugs.append(slug)

        for phrase in ignore:
            add(_signal_keys(phrase), None, phrase)
        for term in terms:
            for signal in term.signals:
                add(_signal_keys(signal), term.slug, signal)
            for word in term.exact:
                add(_signal_keys(word, exact=True), term.slug, word)
        matcher = cls()
        for keys, (slugs, signal) in by_keys.items():
            matcher.index.setdefault(keys[0], []).append((keys, tuple(slugs), signal))
        for entries in matcher.index.values():
            entries.sort(key=lambda e: -len(e[0]))
        for term in terms:
            for pattern in term.patterns:
                matcher.patterns.append((re.compile(pattern), term.slug))
        return matcher

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping mentions, left to right; ignore phrases consume words but are dropped."""
        tokens = tokenize(text)
        token_keys = [_token_keys(t) for t in tokens]
        index = self.index
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            best: tuple[int, tuple[str, ...], str] | None = None
            for key in token_keys[i]:
                for keys, slugs, signal in index.get(key, ()):
                    n = len(keys)
                    if best is not None and n <= best[0]:
                        break
                    if i + n <= len(tokens) and all(
                        k in token_keys[i + j] for j, k in enumerate(keys)
                    ):
                        best = (n, slugs, signal)
                        break
            if best is None:
                for pattern, slug in self.patterns:
                    if pattern.fullmatch(tokens[i].raw):
                        best = (1, (slug,), tokens[i].raw)
                        break
            if best is None:
                i += 1
                continue
            n, slugs, signal = best
            if slugs:
                found.append(Mention(slugs, tokens[i].start, tokens[i + n - 1].end, signal))
            i += n
        return found


@dataclass
class Taxonomy:
    """The loaded vocabulary: terms by kind and slug, plus a matcher per kind."""

    terms: dict[str, dict[str, Term]]
    matchers: dict[str, Matcher]

    def slugs(self, kind: str) -> list[str]:
        return list(self.terms[kind])

    def mentions(self, kind: str, text: str) -> list[Mention]:
        return self.matchers[kind].find(text or "")

    def found(self, kind: str, text: str) -> list[str]:
        """Slugs of `kind` signalled in text, in vocabulary order."""
        hit = {slug for m in self.mentions(kind, text) for slug in m.slugs}
        return [slug for slug in self.terms[kind] if slug in hit]


def _check_list(value, where: str, path: Path) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise InvalidSource(path, f"{where} must be a list of strings")
    return [str(v) for v in value]


def _parse(data: dict, path: Path) -> Taxonomy:
    """Terms and matchers from a vocabulary core.vocab has already checked (slugs, names)."""
    terms: dict[str, dict[str, Term]] = {}
    matchers: dict[str, Matcher] = {}
    for kind in KINDS:
        terms[kind] = {}
        for entry in data[kind]:
            slug = entry["slug"]
            signals = _check_list(entry.get("signals"), f"{kind} '{slug}' signals", path)
            if not signals:
                raise InvalidSource(path, f"{kind} '{slug}' needs at least one signal")
            patterns = _check_list(entry.get("patterns"), f"{kind} '{slug}' patterns", path)
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise InvalidSource(path, f"{kind} '{slug}' pattern {pattern!r} is not a regex: {exc}") from exc
            terms[kind][slug] = Term(
                slug=slug,
                name=entry["name"].strip(),
                description=entry["description"].strip(),
                signals=tuple(signals),
                exact=tuple(_check_list(entry.get("exact"), f"{kind} '{slug}' exact", path)),
                patterns=tuple(patterns),
                rag=tuple(c.lower() for c in _check_list(entry.get("rag"), f"{kind} '{slug}' rag", path)),
                brag=tuple(c.lower() for c in _check_list(entry.get("brag"), f"{kind} '{slug}' brag", path)),
            )
        ignore = _check_list(data.get(kind + "_ignore"), f"{kind}_ignore", path)
        matchers[kind] = Matcher.build(list(terms[kind].values()), ignore)
    for term in terms["statuses"].values():
        bad = set(term.rag + term.brag) - {e["slug"] for e in data["brag"]}
        if bad:
            raise InvalidSource(path, f"status '{term.slug}' has unknown colours {sorted(bad)}")
    return Taxonomy(terms, matchers)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy file; the default file is cached for the process."""
    if path is None:
        return _default()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default() -> Taxonomy:
    return _load(TAXONOMY_PATH)


def _load(path: Path) -> Taxonomy:
    try:
        data = vocab.read(None if path == TAXONOMY_PATH else path)
    except vocab.VocabularyError as exc:
        raise InvalidSource(path, exc.problem) from exc
    return _parse(data, path)


# ---- lookups on the default vocabulary ---------------------------------------------------


def themes_in(text: str) -> list[str]:
    """Theme slugs signalled anywhere in text."""
    return load_taxonomy().found("themes", text)


def agencies_in(text: str) -> list[str]:
    """Agency slugs mentioned in text (mentioned, not necessarily addressed: see ingest.addressees)."""
    return load_taxonomy().found("agencies", text)


def agency_mentions(text: str) -> list[Mention]:
    return load_taxonomy().mentions("agencies", text)


def agency_of(text: str) -> str | None:
    """The first agency named in a short text such as an action plan's Lead column."""
    mentions = agency_mentions(text)
    return mentions[0].slug if mentions else None


def rec_type_of(text: str) -> str | None:
    """The type of what a recommendation asks for: the first type signalled after its
    should/must/will (the main ask), else the first anywhere, else None."""
    mentions = load_taxonomy().mentions("rec_types", text)
    if not mentions:
        return None
    directive = _DIRECTIVE.search(text)
    if directive:
        after = [m for m in mentions if m.start >= directive.end()]
        if after:
            return after[0].slug
    return mentions[0].slug


def status_of(text: str, scheme: str = "rag") -> str | None:
    """A status slug from progress words or RAG/BRAG colours (scheme 'rag' or 'brag').

    The first status named wins ("Ongoing - training completed" is in progress), except that
    evidence of impact upgrades a completed action to assured."""
    if scheme not in ("rag", "brag"):
        raise ValueError(f"scheme must be 'rag' or 'brag', not {scheme!r}")
    text = text or ""
    taxonomy = load_taxonomy()
    colour_to_status = {
        colour: term.slug for term in taxonomy.terms["statuses"].values() for colour in getattr(term, scheme)
    }
    found: list[tuple[int, str]] = [(m.start, m.slug) for m in taxonomy.mentions("statuses", text)]
    stripped = text.strip().rstrip(".")
    if stripped in _COLOUR_LETTERS and _COLOUR_LETTERS[stripped] in colour_to_status:
        found.append((0, colour_to_status[_COLOUR_LETTERS[stripped]]))
    for tok in tokenize(text):
        colour = tok.raw.lower()
        if colour in colour_to_status:
            found.append((tok.start, colour_to_status[colour]))
    if not found:
        return None
    found.sort()
    first = found[0][1]
    if first == "completed" and any(slug == "assured" for _, slug in found):
        return "assured"
    return first


def uses_brag(cells: list[str]) -> bool:
    """True when a status column uses Blue anywhere, so its colours are BRAG, not RAG."""
    return any(
        "blue" in {t.raw.lower() for t in tokenize(cell)} or cell.strip() == "B" for cell in cells if cell
    )
