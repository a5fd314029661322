"""The search vocabulary: abbreviations and equivalent phrases (found literally), and the themes
and agencies a query can name (found through their tags).

Sources: `search_index/concepts.yml`, read here only (abbreviations, equivalents and what a
practice phrase finds one way, British/American spellings, question words, kept as data by people
who know the field), and the controlled vocabulary `core/vocabulary.yml`,
read through `core.vocab` (each theme's and agency's name and signals name that theme or agency; an abbreviation signal
paired with a phrase of the same entry whose initials spell it is an abbreviation pair too).
Forms are compared as tuples of stems (the index analyzer's output), so "child and adolescent
mental health service" still matches.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

from core import vocab
from search_index.schema import STEM_ANALYZER

TAXONOMY_FILE = vocab.VOCABULARY_PATH
CONCEPTS_FILE = Path(__file__).resolve().parent / "concepts.yml"
TAG_SECTIONS = {"themes": "theme", "agencies": "agency"}  # taxonomy section -> index field

_ABBREVIATION = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z0-9&]{2,8}$")
_SMALL_WORDS = {"and", "of", "the", "for", "to", "in", "on", "a"}
_WORDS = re.compile(r"[a-z]+")

Form = tuple[str, ...]
Tag = tuple[str, str]  # (index field, slug)


def stems(text: str) -> Form:
    """The index analyzer's terms for `text` (stopwords dropped, words stemmed)."""
    return tuple(t.text for t in STEM_ANALYZER(text))


def _form(phrase: str) -> Form:
    """A phrase's stems, or () when stopwords shrank a phrase to one common word ("in care")."""
    form = stems(phrase)
    words = [w for w in re.split(r"[\s/]+", phrase.strip()) if w]
    return () if len(words) > 1 and len(form) < 2 and "-" not in phrase else form


def _initials(phrase: str) -> set[str]:
    words = [w for w in re.split(r"[\s\-/]+", phrase.lower().replace("'s", "")) if w]
    return {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in _SMALL_WORDS)}


def _strings(value) -> list[str]:
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [v for v in values if isinstance(v, str) and v.strip()]


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _entries(taxonomy: dict, section: str) -> list[dict]:
    value = taxonomy.get(section)
    entries = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [e for e in entries if isinstance(e, dict)]


def _signals(entry: dict) -> list[str]:
    return [s for key in ("name", "signals", "exact") for s in _strings(entry.get(key))]


def taxonomy_pairs(taxonomy: dict) -> dict[str, list[str]]:
    """Abbreviation -> phrases of the same taxonomy entry whose initials spell it."""
    pairs: dict[str, list[str]] = defaultdict(list)
    for section in TAG_SECTIONS:
        for entry in _entries(taxonomy, section):
            signals = _signals(entry)
            for abbr in (s for s in signals if _ABBREVIATION.match(s)):
                for phrase in signals:
                    if (" " in phrase.strip() or "-" in phrase) and abbr.lower() in _initials(phrase):
                        if phrase not in pairs[abbr.upper()]:
                            pairs[abbr.upper()].append(phrase)
    return dict(pairs)


class Synonyms:
    """Lookup from a form (tuple of stems) to its literal equivalents and to the tags it names."""

    def __init__(self, pairs: dict[str, Iterable[str]], equivalents: Iterable[dict] = (),
                 tags: dict[str, Iterable[Tag]] | None = None, question_words: Iterable[str] = (),
                 everyday_words: Iterable[str] = (), related_ignore: Iterable[str] = (),
                 spelling: Iterable[tuple[str, str]] = ()):
        groups: dict[Form, set[Form]] = defaultdict(set)
        tagged: dict[Form, set[Tag]] = defaultdict(set)
        self.abbreviations: set[Form] = set()
        self.everyday_words = {w.lower() for w in everyday_words}
        self.question_words = {w.lower() for w in question_words}
        self.related_ignore = {s for w in related_ignore for s in stems(w)} | {s for w in question_words for s in stems(w)}
        vocabulary: set[str] = set()
        for abbr, phrases in pairs.items():
            key = stems(abbr)
            if len(key) != 1:
                continue
            forms = {key} | {f for f in map(_form, phrases) if f}
            self.abbreviations.add(key)
            for form in forms:
                groups[form] |= forms
        one_way: dict[Form, set[Form]] = defaultdict(set)  # a group's `finds`: looked for, never tagged
        self._typed: dict[str, set[Form]] = defaultdict(set)  # "A&E": no stems of its own
        for abbr, phrases in pairs.items():
            if not stems(abbr):
                self._typed[abbr.lower()] |= {f for f in map(_form, phrases) if f}
        for group in equivalents:
            words = _strings(group.get("words"))
            forms = {f for f in map(_form, words) if f}
            finds = {f for f in map(_form, _strings(group.get("finds"))) if f}  # one way only
            group_tags = _group_tags(group)
            for form in forms:
                groups[form] |= forms
                one_way[form] |= finds
                tagged[form] |= group_tags
            vocabulary.update(w for phrase in words for w in _WORDS.findall(phrase.lower()))
        for uk, us in spelling:
            forms = {stems(uk), stems(us)} - {()}
            for form in forms:
                groups[form] |= forms
        for phrase, phrase_tags in (tags or {}).items():
            form = _form(phrase)
            if form:
                tagged[form] |= set(phrase_tags)
                vocabulary.update(_WORDS.findall(phrase.lower()))
        # the tags of a form hold for every literal equivalent of it ("LAC" names looked-after children)
        for form, alts in list(groups.items()):
            shared = set().union(*(tagged.get(a, set()) for a in alts))
            for alt in alts:
                if shared:
                    tagged[alt] |= shared
        self._one_way = {form: frozenset(finds - groups.get(form, set())) for form, finds in one_way.items()}
        for form, finds in one_way.items():
            groups[form] |= finds
        self._groups = {form: frozenset(alts) for form, alts in groups.items()}
        self._tags = {form: frozenset(t) for form, t in tagged.items() if t}
        self.vocabulary = sorted(w for w in vocabulary if len(w) > 3)
        self.max_len = max((len(f) for f in [*self._groups, *self._tags]), default=1)

    def _everyday(self, form: Form, typed: str) -> bool:
        return form in self.abbreviations and typed.lower() in self.everyday_words and not typed.isupper()

    def lookup(self, form: Form, typed: str = "") -> frozenset[Form]:
        """Equivalent forms (including `form`), or empty; everyday-word abbreviations need capitals.
        A word spelt the American or the British way (-ize/-ise, -yze/-yse) finds the other too."""
        if not form:
            return frozenset(self._typed.get(typed.lower().strip(), ()))
        if self._everyday(form, typed):
            return frozenset()
        found = self._groups.get(form)
        if found is None and len(form) == 1:
            other = _other_spelling(typed)
            if other:
                found = self._groups.get(stems(other), frozenset()) | {form, stems(other)}
        return found or frozenset()

    def one_way(self, form: Form) -> frozenset[Form]:
        """The forms `form` finds only one way (a practice phrase's parts), which count for less."""
        return self._one_way.get(form, frozenset())

    def tags(self, form: Form, typed: str = "") -> frozenset[Tag]:
        """The (field, slug) tags a form names, or empty."""
        if self._everyday(form, typed) or (typed.lower() in self.everyday_words and not typed.isupper()):
            return frozenset()
        return self._tags.get(form, frozenset())

    def known(self, form: Form, typed: str = "") -> bool:
        return bool(self.lookup(form, typed) or self.tags(form, typed))


_ISE = re.compile(r"^([a-z]{3,}[^aeiouw\W])(i|y)([sz])(e|es|ed|ing|ation|ations|er|ers)$")
# -ise words with no -ize spelling
_ISE_ONLY = {"supervise", "exercise", "compromise", "surprise", "promise", "premise", "expertise", "franchise",
             "merchandise", "enterprise", "televise", "improvise", "chastise", "concise", "precise",
             "circumcise", "treatise", "advertise", "comprise", "despise"}


def _other_spelling(typed: str) -> str | None:
    """The -ise word for an -ize one and back ("organized" / "organised", "analyze" / "analyse");
    words that are -ise only (supervise, compromise) have no other."""
    m = _ISE.match(typed.lower().strip())
    if not m:
        return None
    head, vowel, letter, tail = m.groups()
    if f"{head}{vowel}se" in _ISE_ONLY:
        return None
    return f"{head}{vowel}{'s' if letter == 'z' else 'z'}{tail}"


def _group_tags(group: dict) -> set[Tag]:
    """`theme`/`agency`/`kind` (one slug) or `themes`/`agencies`/`kinds` (several) of a concepts group."""
    out: set[Tag] = set()
    for one, many, fld in (("theme", "themes", "theme"), ("agency", "agencies", "agency"), ("kind", "kinds", "kind")):
        out |= {(fld, slug) for slug in _strings(group.get(one)) + _strings(group.get(many))}
    return out


def taxonomy_tags(taxonomy: dict) -> dict[str, set[Tag]]:
    """Each theme's and agency's name and signals -> the tag it names."""
    out: dict[str, set[Tag]] = defaultdict(set)
    for section, fld in TAG_SECTIONS.items():
        for entry in _entries(taxonomy, section):
            slug = entry.get("slug")
            if isinstance(slug, str):
                for signal in _signals(entry):
                    out[signal].add((fld, slug))
    return out


@lru_cache(maxsize=4)
def load(path: Path = TAXONOMY_FILE, concepts: Path = CONCEPTS_FILE) -> Synonyms:
    """The search vocabulary from the taxonomy at `path` and the concepts file (cached)."""
    try:
        taxonomy = vocab.read(None if Path(path) == TAXONOMY_FILE else path)
    except vocab.VocabularyError:
        taxonomy = {}
    data = _read_yaml(Path(concepts))
    pairs: dict[str, list[str]] = {}
    for abbr, phrases in (data.get("abbreviations") or {}).items():
        pairs[str(abbr)] = _strings(phrases)
    for abbr, phrases in taxonomy_pairs(taxonomy).items():
        pairs.setdefault(abbr, [])
        pairs[abbr] += [p for p in phrases if p not in pairs[abbr]]
    equivalents = [g for g in (data.get("equivalents") or []) if isinstance(g, dict)]
    spelling = [(str(a), str(b)) for key in ("spelling", "word_forms")
                for a, b in (data.get(key) or {}).items() if a and b]
    return Synonyms(pairs, equivalents, taxonomy_tags(taxonomy), _strings(data.get("question_words")),
                    _strings(data.get("everyday_words")), _strings(data.get("related_ignore")), spelling)
