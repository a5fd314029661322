"""Who a recommendation is addressed to, as opposed to who it merely mentions.

An agency is an addressee when it is the subject of should/must/will/needs to ("GPs should"),
when it opens an "X to <verb>" recommendation ("TVP to review"), or when the addressee brings it
in as a co-addressee: "seek assurance from X", "ask/require/request X to", "work with X",
"in partnership with X", "ensure (that) X ...", "seek assurance that X ...", "provide X with",
"led by X", "Lead: X"; and "That X reviews ..." (the subjunctive form) addresses X. A recipient
is not an addressee: "write to the Department for Education", "report to the Board".
"The partnership should ask schools to share data with children's social care" is addressed
to the partnership and schools, not to children's social care.
"""
from __future__ import annotations

import re

from ingest.taxonomy import Mention, agency_mentions, load_taxonomy, tokenize

_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'\u2018\u201c])|;|\n|\u2022")
_DIRECTIVE = re.compile(
    r"\b(?:should|must|shall|will|need to|needs to|ought to|"
    r"(?:is|are) (?:asked|required|requested|expected|encouraged|invited|recommended) to|(?:is|are) to)\b",
    re.IGNORECASE,
)
# Where a new subject can start before a directive: after "recommends that", "ensure that", ", and"...
_BOUNDARY = re.compile(
    r"\b(?:recommend(?:s|ed)?|suggest(?:s|ed)?|propose[sd]?|advise[sd]?|ensure[sd]?|assurance|satisf(?:y|ied)|"
    r"confident|confirm(?:s|ed)?|request(?:s|ed)?|require[sd]?|expect(?:s|ed)?|agree[sd]?)\s+that\b"
    r"|,\s*and\b|\band that\b|\bso that\b|\bin order that\b|\bbecause\b|\bwhereby\b|\bwhen\b|\bif\b|\bunless\b"
    r"|\bwhilst\b|\bwhile\b|:|\(|\)",
    re.IGNORECASE,
)
# A subject's head ends at a relative pronoun or a topic preposition ("learning from ... about X").
_HEAD_END = re.compile(
    r"\b(?:who|which|that|whose|whom|where|about|regarding|relating|concerning|from|on|to|into|by|against)\b",
    re.IGNORECASE,
)
_LEADING_ADVERBIAL = re.compile(
    r"^\s*(?:in|for|following|given|as|after|when|where|despite|with|about|from|at|on|to|by|under|although|"
    r"while|whilst|because|if|having|once|through|during|within|across|before|since|until|where)\b",
    re.IGNORECASE,
)
# Phrases after which the following noun phrase is a co-addressee.
_CO_ADDRESSEE = re.compile(
    r"\b(?:seek(?:s|ing)?|obtain(?:s|ing)?|receive[sd]?|gain(?:s|ing)?|request(?:s|ing)?|require[sd]?)"
    r"\s+(?:\w+\s+){0,2}?(?:re)?assurances?\s+(?:from|by)\b"
    r"|\b(?:seek(?:s|ing)?|obtain(?:s|ing)?|gain(?:s|ing)?|receive[sd]?)\s+(?:\w+\s+){0,2}?(?:re)?assurances?\s+that\b"
    r"|\b(?:provide[sd]?|providing|equip(?:s|ped)?)\b(?=\s+(?:[\w'\u2019-]+\s+){1,5}?with\b)"
    r"|\bassurances?\s+(?:should|must|will|is to|are to)\s+be\s+(?:sought|obtained|provided|given|requested)\s+(?:from|by)\b"
    r"|\b(?:ask|asks|asking|asked|require|requires|requiring|request|requests|requesting|invite|invites|inviting|"
    r"encourage|encourages|encouraging|direct|directs|commission|commissions|support|supports|enable|enables|"
    r"challenge|challenges|remind|reminds|instruct|instructs|hold)\b(?:\s+that\b)?"
    r"|\b(?:work|works|working|liaise|liaises|liaising|consult|consults|consulting|engage|engages|engaging|"
    r"collaborate|collaborates|collaborating|partner|partners|meet|meets|agree|agrees)\s+(?:\w+\s+)?(?:with|alongside)\b"
    r"|\b(?:in partnership|jointly|together|in conjunction|in collaboration|in consultation|with the support)\s+(?:with|of)\b"
    r"|\balongside\b"
    r"|\braise\s+(?:\w+\s+){0,3}?with\b"
    r"|\b(?:ensure[sd]?|make\s+sure)\b(?:\s+that\b)?"
    r"|\brecommend(?:s|ed)?\s+that\b"
    r"|\b(?:led|chaired|co-ordinated|coordinated|delivered|undertaken|owned|overseen|supported)\s+by\b"
    r"|\b(?:lead(?:\s+agenc(?:y|ies)|\s+organisations?|\s+partners?)?|owners?|responsible(?:\s+agenc(?:y|ies))?|"
    r"for the attention of|addressed to)\s*[:\-\u2013]",
    re.IGNORECASE,
)
# Co-addressee phrases that count even before the directive ("It is recommended that X ...").
_ANYWHERE = re.compile(r"recommend|lead|owner|responsible|for the attention|addressed|led|chaired", re.I)
# Words allowed between agency names in a co-addressee phrase ("colleagues in health and education").
_FILLER = frozenset(
    """the a an all each every any local relevant their its our other partner and or both also including
    colleagues staff practitioners professionals managers leaders leadership senior services service teams team
    agencies agency organisations organisation in within across at of key statutory named designated
    appropriate individual respective single area's areas area""".split()
)


_THAT_SUBJECT = re.compile(r"\s*that\s+(?=the\b|all\b|each\b|every\b|[A-Z])", re.I)


def _clauses(text: str) -> list[str]:
    return [c for c in _SENTENCES.split(text) if c and c.strip()]


def _subject_span(clause: str, directive_start: int) -> str:
    """The words before a directive that can be its subject."""
    start = 0
    for b in _BOUNDARY.finditer(clause, 0, directive_start):
        start = b.end()
    subject = clause[start:directive_start]
    head = _HEAD_END.search(subject)
    if head:
        subject = subject[: head.start()]
    segments = subject.split(",")
    kept: list[str] = []
    for segment in reversed(segments):
        if _LEADING_ADVERBIAL.match(segment):
            break
        kept.insert(0, segment)
    return ",".join(kept)


def _noun_phrase_mentions(text: str, start: int, mentions: list[Mention]) -> list[Mention]:
    """Agency mentions in the noun phrase that begins at `start`: agency names joined only by
    determiners, 'and', 'colleagues in' and the like; the first other word ends the phrase."""
    found: list[Mention] = []
    pos = start
    for tok in tokenize(text[start:]):
        tok_start = start + tok.start
        inside = next((m for m in mentions if m.start <= tok_start < m.end), None)
        if inside is not None:
            if inside not in found:
                found.append(inside)
            pos = inside.end
            continue
        between = text[pos:tok_start]
        if any(ch in between for ch in ".;:()"):
            break
        if tok.raw.lower() not in _FILLER:
            break
        pos = start + tok.end
    return found


def _to_clause_subject(clause: str, mentions: list[Mention]) -> list[Mention]:
    """'Thames Valley Police to review ...': a short opening noun phrase followed by 'to <verb>'."""
    m = re.match(r"\s*(?P<np>(?:[^\s.;:]+\s+){0,7}?[^\s.;:]+)\s+to\s+[a-z]+", clause)
    if not m or _LEADING_ADVERBIAL.match(m.group("np")):
        return []
    return _noun_phrase_mentions(clause, 0, [x for x in mentions if x.end <= m.end("np")]) if mentions else []


def addressees(text: str) -> list[str]:
    """Agency slugs a recommendation's own words address, in vocabulary order."""
    hits: set[str] = set()
    for clause in _clauses(text or ""):
        mentions = agency_mentions(clause)
        if not mentions:
            continue
        that = _THAT_SUBJECT.match(clause)
        if that:  # "That the partnership seeks ...", "That health visitors ask ..."
            for m in _noun_phrase_mentions(clause, that.end(), mentions):
                hits.update(m.slugs)
        for m in _to_clause_subject(clause, mentions):
            hits.update(m.slugs)
        for directive in _DIRECTIVE.finditer(clause):
            span = _subject_span(clause, directive.start())
            for m in agency_mentions(span):
                hits.update(m.slugs)
        first = _DIRECTIVE.search(clause)
        predicate_start = first.start() if first else 0
        for trigger in _CO_ADDRESSEE.finditer(clause):
            if trigger.start() < predicate_start and not _ANYWHERE.match(trigger.group()):
                continue  # "agencies that work with the police should ...": inside the subject
            for m in _noun_phrase_mentions(clause, trigger.end(), mentions):
                hits.update(m.slugs)
    return [slug for slug in load_taxonomy().slugs("agencies") if slug in hits]


def opening_agencies(text: str) -> list[str]:
    """Agencies in the noun phrase a recommendation opens with ("mental health services do not
    close ...", "that the partnership reviews ..."): its subject when no directive names one."""
    text = re.sub(r"^\s*that\s+", "", text or "", flags=re.I)
    mentions = agency_mentions(text)
    found = _noun_phrase_mentions(text, 0, mentions) if mentions else []
    hits = {slug for m in found for slug in m.slugs}
    return [slug for slug in load_taxonomy().slugs("agencies") if slug in hits]


def heading_agencies(heading: str) -> list[str]:
    """Agencies a group heading names ("Recommendations for Thames Valley Police", "For schools");
    "single agency", "multi-agency" and similar name none."""
    cleaned = re.sub(r"\b(?:single|multi|individual)[\s-]agenc(?:y|ies)\b", " ", heading, flags=re.I)
    return load_taxonomy().found("agencies", cleaned)
