"""Choose the one to three themes a recommendation or learning point is about (issue 14).

The vocabulary's signals (core/vocabulary.yml) say which themes a text mentions; the rules in
ingest/extraction_rules.yml (`themes:`) say which mentions make a theme: specialist terms count
as well, a weak signal ("assessment", "placement", "records") counts only beside a stronger
signal of the same theme, a word two themes share goes to the one the rest of the document is
about, and phrases such as "hospital attendance" signal nothing. The themes signalled most are
kept, up to `max_per_recommendation`, ties going to the one mentioned first.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from ingest.rules import load_rules
from ingest.taxonomy import Matcher, Mention, Term, load_taxonomy


@lru_cache(maxsize=1)
def _specialist_matcher() -> Matcher:
    rules = load_rules().themes
    terms = [Term(slug=slug, name=slug, description=slug, signals=phrases)
             for slug, phrases in rules.specialist_terms.items()]
    return Matcher.build(terms, [])


def _masked(text: str) -> str:
    pattern = load_rules().themes.not_signals
    if pattern is None:
        return text
    return pattern.sub(lambda m: " " * len(m.group()), text)


def mentions(text: str) -> list[Mention]:
    """Theme mentions in text: vocabulary signals and specialist terms, minus the not-signals."""
    masked = _masked(text or "")
    found = load_taxonomy().mentions("themes", masked)
    taken = [(m.start, m.end) for m in found]
    for m in _specialist_matcher().find(masked):
        if not any(s < m.end and m.start < e for s, e in taken):
            found.append(m)
    return sorted(found, key=lambda m: m.start)


def document_counts(texts: list[str]) -> Counter:
    """How often each theme is signalled (strongly) across a document: the context that
    settles ambiguous words."""
    ambiguous = load_rules().themes.ambiguous
    counts: Counter = Counter()
    for text in texts:
        found = [m for m in mentions(text) if m.signal.lower() not in ambiguous]
        for slug, strong in _scored(found, Counter()):
            if strong:
                counts[slug] += 1
    return counts


def _scored(found: list[Mention], context: Counter) -> list[tuple[str, bool]]:
    """(slug, is_strong) per mention, with ambiguous words resolved by the context."""
    rules = load_rules().themes
    out = []
    for m in found:
        signal = m.signal.lower()
        if signal in rules.ambiguous:
            candidates = rules.ambiguous[signal]
            slug = max(candidates, key=lambda s: (context.get(s, 0), -candidates.index(s)))
            out.append((slug, True))
            continue
        for slug in m.slugs:
            out.append((slug, signal not in rules.weak_signals.get(slug, frozenset())))
    return out


def choose_themes(text: str, context: Counter | None = None, limit: int | None = None) -> list[str]:
    """The themes `text` is about, most signalled first (at most the rules' maximum)."""
    rules = load_rules().themes
    scored = _scored(mentions(text), context or Counter())
    strong = Counter(slug for slug, is_strong in scored if is_strong)
    weak = Counter(slug for slug, is_strong in scored if not is_strong)
    first: dict[str, int] = {}
    for i, (slug, _) in enumerate(scored):
        first.setdefault(slug, i)
    ranked = sorted(strong, key=lambda s: (-(strong[s] + weak[s]), first[s]))
    return ranked[: limit or rules.max_per_recommendation]
