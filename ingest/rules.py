"""The extraction rules in ingest/extraction_rules.yml, read and checked once.

The extractor asks this module, never a regex of its own, whether a paragraph is a lead-in to
a list, whether a list item is a recommendation, which verbs direct, and how themes are chosen.
Phrases are compiled to whole-word, case-insensitive patterns; "..." in a phrase allows up to
four words in between. A malformed file raises InvalidSource: one line naming the file and key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.errors import InvalidSource

RULES_PATH = Path(__file__).with_name("extraction_rules.yml")
_PHRASE_LISTS = ("recommendation_lead_ins", "learning_lead_ins", "not_lead_ins", "group_label_starts",
                 "directive_phrases", "directive_verbs", "learning_sentence_starts", "reflection_lead_ins",
                 "progress_lead_ins", "learning_label_lists", "lead_in_reporting_verbs")


def phrase_pattern(phrases: list[str], *, anchored: bool = False) -> re.Pattern:
    """One pattern for a list of plain phrases (longest first, so 'recommendations' beats 'recommend')."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        words = [re.escape(w) for w in phrase.split() if w != "..."]
        gaps = []
        tokens = phrase.split()
        for i, w in enumerate(tokens):
            if w == "...":
                continue
            gaps.append(re.escape(w))
            if i + 1 < len(tokens):
                gaps.append(r"(?:\s+\S+){0,4}\s+" if tokens[i + 1] == "..." else r"\s+")
        parts.append("".join(gaps) if words else "")
    body = "|".join(p for p in parts if p)
    return re.compile((r"^\s*" if anchored else r"\b") + f"(?:{body})" + r"(?![\w'])", re.I)


@dataclass(frozen=True)
class HeadingRules:
    """Compiled from `headings:`: which heading texts open which section."""

    recommendations: re.Pattern
    not_recommendations: re.Pattern
    learning: re.Pattern
    other: re.Pattern


def _alternatives(phrases: list[str]) -> str:
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in sorted(phrases, key=len, reverse=True))


def _heading_rules(data, path: Path) -> HeadingRules:
    if not isinstance(data, dict):
        raise InvalidSource(path, "extraction rules: 'headings' must be a mapping")

    def part(name: str) -> dict:
        value = data.get(name)
        if not isinstance(value, dict):
            raise InvalidSource(path, f"extraction rules: 'headings.{name}' must be a mapping")
        return value

    prefixes = _alternatives(_strings(data.get("prefixes"), "headings.prefixes", path))
    recs, learning, other = part("recommendations"), part("learning"), part("other")
    qualifiers = _alternatives(_strings(recs.get("qualifiers"), "headings.recommendations.qualifiers", path))
    rec_starts = _alternatives(_strings(recs.get("starts"), "headings.recommendations.starts", path))
    rec_ends = _alternatives(_strings(recs.get("ends"), "headings.recommendations.ends", path))
    rec_not_after = _alternatives(_strings(recs.get("not_followed_by"), "headings.recommendations.not_followed_by", path))
    not_with = _alternatives(_strings(recs.get("not_with"), "headings.recommendations.not_with", path))
    lp_starts = _alternatives(_strings(learning.get("starts"), "headings.learning.starts", path))
    lp_not_after = _alternatives(_strings(learning.get("not_followed_by"), "headings.learning.not_followed_by", path))
    other_starts = _alternatives(_strings(other.get("starts"), "headings.other.starts", path))
    other_exact = _alternatives(_strings(other.get("exact"), "headings.other.exact", path))
    return HeadingRules(
        recommendations=re.compile(
            rf"^(?:(?:{prefixes})\s+)*(?:(?:{qualifiers})\s+)*(?:{rec_starts})\b(?!\s+(?:{rec_not_after})\b)"
            rf"|\b(?:{rec_ends})\s*$", re.I),
        not_recommendations=re.compile(
            rf"\b(?:{not_with})\b[^.]{{0,30}}\brecommendations?\b|\brecommendations?\b[^.]{{0,20}}\b(?:{not_with})\b",
            re.I),
        learning=re.compile(rf"^(?:(?:{prefixes})\s+)*(?:{lp_starts})\b(?!\s+(?:{lp_not_after})\b)", re.I),
        other=re.compile(rf"^(?:(?:{other_starts})\b.*|(?:{other_exact})\s*)$", re.I),
    )


@dataclass(frozen=True)
class ThemeRules:
    max_per_recommendation: int
    specialist_terms: dict[str, tuple[str, ...]]
    weak_signals: dict[str, frozenset[str]]
    ambiguous: dict[str, tuple[str, ...]]
    not_signals: re.Pattern | None
    action_before: re.Pattern | None = None  # matches the text just before a weak signal that is the action
    action_themes: frozenset[str] = frozenset()  # the themes whose weak signals count there
    weak_confirmed_by: dict[str, re.Pattern] = None  # theme -> words beside which its weak signals count
    exact_signals: frozenset[str] = frozenset()  # signals that count only as written, not by their stem


@dataclass(frozen=True)
class Rules:
    recommendation_lead_in: re.Pattern
    learning_lead_in: re.Pattern
    not_lead_in: re.Pattern
    group_label_start: re.Pattern
    directive_start: re.Pattern
    directive_phrase: re.Pattern
    not_recommendation_start: re.Pattern
    describing: re.Pattern
    resolution: re.Pattern
    learning_sentence: re.Pattern
    reflection: re.Pattern
    progress_lead_in: re.Pattern
    themes: ThemeRules
    headings: HeadingRules
    raw: dict
    subsumed: dict[str, frozenset[str]] = None  # a general agency -> the parts of it that replace it
    anaphoric_subject: re.Pattern | None = None
    owner_line: re.Pattern | None = None  # "Responsible: <agency>" after a recommendation
    learning_label_list: re.Pattern | None = None  # "The themes identified include a, b and c."
    lead_in_reporting: re.Pattern | None = None  # "The Board agreed ...": who reports, before the verb
    rationale_line: re.Pattern | None = None  # "Why: ..." after a recommendation, before its owner line
    first_person: tuple[re.Pattern, str] | None = None  # "We will ..." and the agency "we" is

    def has_directive(self, text: str) -> bool:
        """A sentence that asks for something: a directive phrase anywhere or an imperative verb first."""
        return bool(self.directive_phrase.search(text) or self.directive_start.match(text))

    def is_not_recommendation(self, text: str) -> bool:
        """A list item that is a resolution, a caption, a link or a sentence about the recommendations."""
        stripped = text.strip().lstrip("\u2022-*\u2013 ").strip()
        return bool(self.not_recommendation_start.match(stripped) or self.describing.search(stripped)
                    or self.resolution.match(stripped))


def _strings(value, where: str, path: Path) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidSource(path, f"extraction rules: '{where}' must be a non-empty list of phrases")
    return [v.strip() for v in value]


def _slug_lists(value, where: str, path: Path, themes: set[str]) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise InvalidSource(path, f"extraction rules: '{where}' must map theme slugs to lists of phrases")
    out = {}
    for slug, phrases in value.items():
        if slug not in themes:
            raise InvalidSource(path, f"extraction rules: '{where}' names unknown theme '{slug}'")
        out[slug] = _strings(phrases, f"{where}.{slug}", path)
    return out


def _slug_list(value, where: str, path: Path, themes: set[str]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidSource(path, f"extraction rules: '{where}' must be a list of theme slugs")
    unknown = [v for v in value if v not in themes]
    if unknown:
        raise InvalidSource(path, f"extraction rules: '{where}' names unknown theme '{unknown[0]}'")
    return value


def parse_rules(data, path: Path) -> Rules:
    from core import vocab

    if not isinstance(data, dict):
        raise InvalidSource(path, "extraction rules must be a mapping")
    lists = {key: _strings(data.get(key), key, path) for key in _PHRASE_LISTS}
    not_recs = data.get("not_recommendations")
    if not isinstance(not_recs, dict):
        raise InvalidSource(path, "extraction rules: 'not_recommendations' must have 'starts' and 'describing'")
    starts = _strings(not_recs.get("starts"), "not_recommendations.starts", path)
    describing = _strings(not_recs.get("describing"), "not_recommendations.describing", path)
    bodies = _alternatives(_strings(not_recs.get("resolution_bodies"), "not_recommendations.resolution_bodies", path))
    verbs = _alternatives(_strings(not_recs.get("resolution_verbs"), "not_recommendations.resolution_verbs", path))
    resolution = re.compile(
        rf"^(?:resolved\s*[:\-\u2013]?\s*)?(?:that\s+)?(?:the\s+)?(?:{bodies})\s+"
        rf"(?:(?:is|are)\s+(?:recommended|asked|invited|requested)\s+to\s+)?(?:{verbs})\b", re.I)
    theme_data = data.get("themes")
    if not isinstance(theme_data, dict):
        raise InvalidSource(path, "extraction rules: 'themes' must be a mapping")
    theme_slugs = set(vocab.slugs("themes"))
    cap = theme_data.get("max_per_recommendation")
    if not isinstance(cap, int) or not 1 <= cap <= 10:
        raise InvalidSource(path, "extraction rules: 'themes.max_per_recommendation' must be a whole number 1-10")
    specialist = _slug_lists(theme_data.get("specialist_terms"), "themes.specialist_terms", path, theme_slugs)
    weak = _slug_lists(theme_data.get("weak_signals"), "themes.weak_signals", path, theme_slugs)
    ambiguous_raw = theme_data.get("ambiguous") or {}
    if not isinstance(ambiguous_raw, dict):
        raise InvalidSource(path, "extraction rules: 'themes.ambiguous' must map a word to theme slugs")
    ambiguous = {}
    for word, slugs in ambiguous_raw.items():
        slugs = _strings(slugs, f"themes.ambiguous.{word}", path)
        unknown = [s for s in slugs if s not in theme_slugs]
        if unknown or len(slugs) < 2:
            raise InvalidSource(path, f"extraction rules: 'themes.ambiguous.{word}' needs two or more known themes")
        ambiguous[str(word).lower()] = tuple(slugs)
    not_signals = theme_data.get("not_signals")
    action_before = None
    if theme_data.get("action_words") is not None:
        words = _alternatives(_strings(theme_data.get("action_words"), "themes.action_words", path))
        adverbs = _alternatives(_strings(theme_data.get("action_adverbs") or ["always"], "themes.action_adverbs", path))
        action_before = re.compile(
            rf"(?:^\W*|\b(?:{words})\s+(?:(?:{adverbs})\s+)?(?:[a-z]+\s+and\s+)?)$", re.I)
    themes = ThemeRules(
        max_per_recommendation=cap,
        specialist_terms={k: tuple(v) for k, v in specialist.items()},
        weak_signals={k: frozenset(p.lower() for p in v) for k, v in weak.items()},
        ambiguous=ambiguous,
        not_signals=phrase_pattern(_strings(not_signals, "themes.not_signals", path)) if not_signals else None,
        action_before=action_before,
        weak_confirmed_by={k: phrase_pattern(list(v)) for k, v in _slug_lists(
            theme_data.get("weak_confirmed_by") or {}, "themes.weak_confirmed_by", path, theme_slugs).items()},
        exact_signals=frozenset(p.lower() for p in _strings(theme_data.get("exact_signals") or ["-"],
                                                           "themes.exact_signals", path)) - {"-"},
        action_themes=frozenset(_slug_list(theme_data.get("action_themes") or [], "themes.action_themes", path,
                                           theme_slugs)),
    )
    agency_data = data.get("agencies") or {}
    if not isinstance(agency_data, dict):
        raise InvalidSource(path, "extraction rules: 'agencies' must be a mapping")
    agency_slugs = set(vocab.slugs("agencies"))
    subsumed: dict[str, frozenset[str]] = {}
    for general, parts in (agency_data.get("subsumed") or {}).items():
        parts = _strings(parts, f"agencies.subsumed.{general}", path)
        unknown = [a for a in [general, *parts] if a not in agency_slugs]
        if unknown:
            raise InvalidSource(path, f"extraction rules: 'agencies.subsumed' names unknown agency '{unknown[0]}'")
        subsumed[general] = frozenset(parts)
    anaphoric = agency_data.get("anaphoric_subjects")
    first_person = None
    if agency_data.get("first_person") is not None:
        fp = agency_data["first_person"]
        if not isinstance(fp, dict) or fp.get("agency") not in agency_slugs:
            raise InvalidSource(path, "extraction rules: 'agencies.first_person' needs openings and a known agency")
        first_person = (phrase_pattern(_strings(fp.get("openings"), "agencies.first_person.openings", path),
                                       anchored=True), fp["agency"])
    owners = agency_data.get("owner_labels")
    rationale = agency_data.get("rationale_labels")
    owner_line = re.compile(rf"^\s*(?:{_alternatives(_strings(owners, 'agencies.owner_labels', path))})\s*[:\-\u2013]\s*"
                            r"(?P<who>\S.{0,150})$", re.I) if owners else None
    return Rules(
        recommendation_lead_in=phrase_pattern(lists["recommendation_lead_ins"]),
        learning_lead_in=phrase_pattern(lists["learning_lead_ins"]),
        not_lead_in=phrase_pattern(lists["not_lead_ins"]),
        group_label_start=phrase_pattern(lists["group_label_starts"], anchored=True),
        directive_start=phrase_pattern(lists["directive_verbs"], anchored=True),
        directive_phrase=phrase_pattern(lists["directive_phrases"]),
        not_recommendation_start=phrase_pattern(starts, anchored=True),
        describing=phrase_pattern(describing),
        resolution=resolution,
        learning_sentence=phrase_pattern(lists["learning_sentence_starts"], anchored=True),
        reflection=phrase_pattern(lists["reflection_lead_ins"]),
        progress_lead_in=phrase_pattern(lists["progress_lead_ins"]),
        themes=themes,
        headings=_heading_rules(data.get("headings"), path),
        raw=data,
        subsumed=subsumed,
        anaphoric_subject=phrase_pattern(_strings(anaphoric, "agencies.anaphoric_subjects", path), anchored=True)
        if anaphoric else None,
        owner_line=owner_line,
        learning_label_list=phrase_pattern(lists["learning_label_lists"], anchored=True),
        lead_in_reporting=phrase_pattern(lists["lead_in_reporting_verbs"]),
        first_person=first_person,
        rationale_line=re.compile(rf"^\s*(?:{_alternatives(_strings(rationale, 'agencies.rationale_labels', path))})"
                                  r"\s*[:\-\u2013]", re.I) if rationale else None,
    )


def load_rules(path: str | Path | None = None) -> Rules:
    """The rules in `path` (default: ingest/extraction_rules.yml, cached for the process)."""
    if path is None:
        return _default()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default() -> Rules:
    return _load(RULES_PATH)


def _load(path: Path) -> Rules:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidSource(path, f"cannot read extraction rules: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise InvalidSource(path, f"extraction rules are not valid YAML: {first}") from exc
    return parse_rules(data, path)
