"""Choose the one to three themes a recommendation or learning point is about (issue 14).

The vocabulary's signals (core/vocabulary.yml) say which themes a text mentions; the rules in
ingest/extraction_rules.yml (`themes:`) say which mentions make a theme: specialist terms count
as well, a weak signal ("assessment", "placement", "records") counts only beside a stronger
signal of the same theme, a word two themes share goes to the one the rest of the document is
about, and phrases such as "hospital attendance" signal nothing; a few signals count only as written
("staffing", not the "staff" its stem also finds). The themes signalled most are
kept, up to `max_per_recommendation`, ties going to the one mentioned first.
"""
from __future__ import annotations

from bisect import bisect_left
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
    """Theme mentions in text: vocabulary signals and specialist terms, minus the not-signals.
    Where the two overlap the longer phrase wins ("moving drugs" is exploitation, not the
    vocabulary's "drugs"), as it does inside the vocabulary."""
    masked = _masked(text or "")
    exact = load_rules().themes.exact_signals
    found = [m for m in load_taxonomy().mentions("themes", masked)
             if m.signal.lower() not in exact or masked[m.start:m.end].lower() == m.signal.lower()]
    found.sort(key=lambda v: v.start)
    starts = [v.start for v in found]
    longest = max((v.end - v.start for v in found), default=0)
    dropped: set[int] = set()
    added: list[Mention] = []
    specialist = [m for m in _specialist_matcher().find(masked)
                  if m.signal.lower() not in exact or masked[m.start:m.end].lower() == m.signal.lower()]
    for m in specialist:  # by position, so a long text stays linear
        i = bisect_left(starts, m.start - longest)
        overlapping = []
        while i < len(found) and found[i].start < m.end:
            if m.start < found[i].end and i not in dropped:
                overlapping.append(i)
            i += 1
        if all(m.end - m.start > found[i].end - found[i].start and m.start <= found[i].start
               and found[i].end <= m.end for i in overlapping):
            dropped.update(overlapping)
            added.append(m)
    return sorted([v for i, v in enumerate(found) if i not in dropped] + added, key=lambda m: m.start)


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


def _is_action(text: str, m: Mention) -> bool:
    """A weak word that is what the recommendation asks for ("should record", "Assess every ...")."""
    pattern = load_rules().themes.action_before
    return bool(text and pattern is not None and pattern.search(text[max(0, m.start - 60):m.start]))


def _scored(found: list[Mention], context: Counter, text: str = "") -> list[tuple[str, bool]]:
    """(slug, is_strong) per mention, with ambiguous words resolved by the context; in `text`, a
    weak signal in the action's place counts as strong."""
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
            weak = signal in rules.weak_signals.get(slug, frozenset())
            confirmed = (rules.weak_confirmed_by or {}).get(slug)
            out.append((slug, not weak or (slug in rules.action_themes and _is_action(text, m))
                        or bool(confirmed is not None and text and confirmed.search(text)
                                and text[m.start:m.end].lower() == signal)))  # "attendance", not "attend"
    return out


def choose_themes(text: str, context: Counter | None = None, limit: int | None = None) -> list[str]:
    """The themes `text` is about, most signalled first (at most the rules' maximum)."""
    rules = load_rules().themes
    scored = _scored(mentions(text), context or Counter(), text or "")
    strong = Counter(slug for slug, is_strong in scored if is_strong)
    weak = Counter(slug for slug, is_strong in scored if not is_strong)
    first: dict[str, int] = {}
    for i, (slug, _) in enumerate(scored):
        first.setdefault(slug, i)
    ranked = sorted(strong, key=lambda s: (-(strong[s] + weak[s]), first[s]))
    return ranked[: limit or rules.max_per_recommendation]
