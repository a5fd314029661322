"""Abbreviations and their spelled-out forms, so a query for either finds both.

Pairs come from the controlled vocabulary, `core/vocabulary.yml` (an abbreviation signal such as CCE paired with a phrase of
the same entry whose initials spell it, e.g. the name "Child criminal exploitation") plus a small
list of our own for abbreviations the taxonomy may not spell out. Forms are compared as tuples of
stems (the index analyzer's output), so "child and adolescent mental health service" still matches.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from core import vocab
from search_index.schema import STEM_ANALYZER

TAXONOMY_FILE = vocab.VOCABULARY_PATH

BUILTIN: dict[str, list[str]] = {
    "CCE": ["child criminal exploitation"], "CSE": ["child sexual exploitation"],
    "CSA": ["child sexual abuse"], "HSB": ["harmful sexual behaviour"], "DA": ["domestic abuse"],
    "DSL": ["designated safeguarding lead"], "LADO": ["local authority designated officer"],
    "MASH": ["multi-agency safeguarding hub"],
    "CAMHS": ["child and adolescent mental health services"], "EHE": ["elective home education"],
    "CME": ["children missing education"], "YJS": ["youth justice service"],
    "NRM": ["national referral mechanism"], "MARAC": ["multi-agency risk assessment conference"],
    "MAPPA": ["multi-agency public protection arrangements"], "ICB": ["integrated care board"],
    "TVP": ["thames valley police"], "CSC": ["children's social care"],
    "IRO": ["independent reviewing officer"], "EHCP": ["education health and care plan"],
    "SEND": ["special educational needs and disabilities"],
    "SUDI": ["sudden unexpected death in infancy"], "NAI": ["non-accidental injury"],
    "GP": ["general practitioner"], "FGM": ["female genital mutilation"],
}
# abbreviations that are also everyday words: expanded only when typed in capitals
EVERYDAY_WORDS = {"send", "can", "care", "art", "ward", "pace", "act", "aim", "help", "dash", "prevent"}

_ABBREVIATION = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z0-9]{2,8}$")
_SMALL_WORDS = {"and", "of", "the", "for", "to", "in", "on", "a"}

Form = tuple[str, ...]


def stems(text: str) -> Form:
    """The index analyzer's terms for `text` (stopwords dropped, words stemmed)."""
    return tuple(t.text for t in STEM_ANALYZER(text))


def _initials(phrase: str) -> set[str]:
    words = [w for w in re.split(r"[\s\-/]+", phrase.lower().replace("'s", "")) if w]
    return {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in _SMALL_WORDS)}


def _signals(entry: dict) -> list[str]:
    out: list[str] = []
    for key in ("name", "signals", "exact"):
        value = entry.get(key)
        values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        out += [v for v in values if isinstance(v, str)]
    return out


def taxonomy_pairs(path: Path = TAXONOMY_FILE) -> dict[str, list[str]]:
    """Abbreviation -> phrases found in the taxonomy; a missing or odd file gives {}."""
    try:
        data = vocab.read(None if Path(path) == TAXONOMY_FILE else path)
    except vocab.VocabularyError:
        return {}
    pairs: dict[str, list[str]] = defaultdict(list)
    for kind in vocab.SIGNAL_KINDS:
        for entry in data[kind]:
            signals = _signals(entry)
            for abbr in (s for s in signals if _ABBREVIATION.match(s)):
                for phrase in signals:
                    if " " in phrase.strip() or "-" in phrase:
                        if abbr.lower() in _initials(phrase) and phrase not in pairs[abbr.upper()]:
                            pairs[abbr.upper()].append(phrase)
    return dict(pairs)


class Synonyms:
    """Lookup from a form (tuple of stems) to every equivalent form."""

    def __init__(self, pairs: dict[str, Iterable[str]]):
        groups: dict[Form, set[Form]] = defaultdict(set)
        self.abbreviations: set[Form] = set()
        for abbr, phrases in pairs.items():
            key = stems(abbr)
            if len(key) != 1:
                continue
            forms = {key} | {f for f in map(stems, phrases) if f}
            self.abbreviations.add(key)
            for form in forms:
                groups[form] |= forms
        self._groups = {form: frozenset(alts) for form, alts in groups.items()}
        self.max_len = max((len(f) for f in self._groups), default=1)

    def lookup(self, form: Form, typed: str = "") -> frozenset[Form]:
        """Equivalent forms (including `form`), or empty; everyday-word abbreviations need capitals."""
        if form in self.abbreviations and typed.lower() in EVERYDAY_WORDS and not typed.isupper():
            return frozenset()
        return self._groups.get(form, frozenset())


@lru_cache(maxsize=4)
def load(path: Path = TAXONOMY_FILE) -> Synonyms:
    """The synonyms for the taxonomy at `path` merged with the built-in list (cached)."""
    pairs: dict[str, list[str]] = {k: list(v) for k, v in BUILTIN.items()}
    for abbr, phrases in taxonomy_pairs(path).items():
        pairs.setdefault(abbr, [])
        pairs[abbr] += [p for p in phrases if p not in pairs[abbr]]
    return Synonyms(pairs)
