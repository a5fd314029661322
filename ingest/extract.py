"""Turn a parsed Document into the structured learning of a review (the `ingest extract` JSON).

The phrases the rules below rely on (section headings, lead-in sentences, group labels,
directive verbs, items that are not recommendations, theme rules) are data in
ingest/extraction_rules.yml, read by ingest/rules.py; themes are chosen by ingest/themes.py.

Rules worth knowing (see also docs in ingest/addressees.py and ingest/plan_tables.py):
- Recommendations come from sections headed Recommendations (and group headings inside them
  such as "For the partnership" or "Recommendations for Thames Valley Police", whose agencies
  become addressees), from "Recommendation 3: ..." anywhere, and from recommendation tables.
- Numbers are the published labels without decoration: "1." -> "1", "(b)" -> "b", "4.2" stays.
  Lettered or roman sub-items, and bullets under a numbered recommendation, belong to their
  parent: they are appended to its text as "(a) ...", so the published number people cite
  stays the recommendation's id. Only a list that is lettered at its top level gives "a", "b".
  Unnumbered recommendations are numbered 1, 2, ... in document order.
- Numbers are unique in a document: the same recommendation repeated (executive summary and
  body) is merged; when a later group restarts its numbering, that group's numbers are prefixed
  with the initials of its heading ("For single agencies" 1 -> "SA1"), or "G<n>-" without one.
- Addressees: the group heading's agencies, a table's Agency/Lead column, and the agencies the
  text addresses (ingest.addressees). "All agencies"/"partner agencies" means the partnership.
  A recommendation that addresses nobody explicitly gets the agencies it mentions, and failing
  those the safeguarding partnership, which owns a local review's recommendations.
- Learning points: each list item or paragraph in a Findings / Learning / Lessons /
  Conclusions / Key messages section, and "Finding 2: ..." anywhere. The paragraphs under a
  "Finding 2: <title>" heading are its analysis, not learning points of their own; reflective
  questions and "The review identified three findings" are skipped; a Conclusions section counts
  only when the review has no other learning.
- Also: Word-numbered headings ("4. Recommendations" as a list item) open sections; inside a
  learning section, "It is recommended that ..." and a numbered should/must item standing alone
  (a "Recommendation 2:" whose label the reader split off) are recommendations; "Recommendations
  include: a; b." and "Learning themes include: ..." (the NSPCC summary form) give one item per
  part; a sentence such as "The review makes the following recommendations:" opens a section
  that the list after it fills.
- Published pages (issue 14, second round; the phrases are in extraction_rules.yml): a
  committee's resolution to note is not a recommendation; "The review found that ..." in prose
  outside a named section is a learning point; listed questions are learning unless a heading or
  lead-in says they are for reflection; a list after "What we have done since:" is skipped; a
  "Responsible: <agency>" line addresses the recommendation before it; a table with both a
  learning and a recommendation column gives both.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from ingest.addressees import addressees, heading_agencies, opening_agencies
from ingest.document import Block, Document
from ingest.near_duplicates import NearTexts
from ingest.near_duplicates import similar_norm as _similar_norm
from ingest.plan_tables import Table, agency_actions, make_tables, number_in
from ingest.review_meta import review_metadata
from ingest.rules import load_rules
from ingest.sections import (
    LEARNING, RECS, clean_number, continues, drop_furniture, heading_core, is_mixed, label_kind, list_heading,
    looks_like_heading, lp_label, section_kind, split_text_label,
)
from ingest.taxonomy import agencies_in, load_taxonomy, rec_type_of
from ingest.themes import choose_themes, document_counts

# "That the partnership seeks assurance ...": the subjunctive form of a recommendation.
_THAT_FORM = re.compile(r"^that\s+(?!said\b|is\b|was\b|being\b|means\b|would\b|could\b|may\b|might\b)\S", re.I)
_DISCUSSION = re.compile(
    r"\b(?:makes?|made|following|these|those|below|above|set out|number of|previous|earlier|panel|reviewers?)\b"
    r"[^.]{0,40}\brecommendations?\b|\brecommendations?\b[^.]{0,30}\b(?:are|were|have been|has been|will be|is|was|"
    r"below|above|follow|arising|from)\b|:\s*$",
    re.I,
)
_PRONOUN_START = re.compile(r"^(?:it|this|they|these|that|in particular|also|additionally|further(?:more)?|and)\b", re.I)
_GROUP_LINE = re.compile(
    r"^(?:recommendations?\s+)?(?:for|to)\s+(?:the\s+)?\w+|\b(?:single|multi)[\s-]agency\b|\bpartnership\b|"
    r"\bnational\b|\bagenc(?:y|ies)\b", re.I)
_SOURCE_SUFFIX = re.compile(r"\s*\(\s*(?:\[?source\]?|link|see source)(?:\([^)]*\))?\s*\)\s*\.?\s*$", re.I)
_URL_SUFFIX = re.compile(r"\s*\(?\s*(?P<url>https?://[^\s)]+)\s*\)?\s*\.?\s*$")
# A recommendation sentence: a subject then should/must/needs to (not "should have", which judges the past).
_REC_SENTENCE = re.compile(
    r"^(?:[\w'\u2019(),-]+\s+){0,14}?(?:should|must|needs? to|(?:is|are) (?:asked|required) to)\s+"
    r"(?!have\b|not\s+have\b|be\s+aware\s+that\b)|\brecommend(?:s|ed)?\s+that\b", re.I)
# A paragraph that states a recommendation in so many words: "It is recommended that ...".
_RECOMMENDS = re.compile(
    r"^(?:it\s+is\s+(?:therefore\s+|also\s+|further\s+)?recommended\s+that|"
    r"(?:the|this)\s+(?:review|panel|reviewer|author|partnership|board)\s+(?:therefore\s+|also\s+|further\s+)?"
    r"recommends?\b|we\s+(?:therefore\s+|also\s+)?recommend\b)", re.I)
_STRONG_DIRECTIVE = re.compile(r"\b(?:should|must|shall|will|needs? to|recommends?)\b", re.I)
# A paragraph announcing what follows: "The review identified three findings."
_ANNOUNCE = re.compile(
    r"\b(?:following|below|two|three|four|five|six|seven|eight|nine|ten|\d+|a number of|several)\s+"
    r"(?:\w+\s+){0,2}?(?:findings?|learning points?|themes|lessons|key messages|areas of learning|"
    r"recommendations?)\b", re.I)
# "Recommendations include: a; b; c." and "Learning themes include: ...": the NSPCC summary form.
_INLINE_LIST = re.compile(
    r"^\s*(?P<what>(?:the\s+)?(?:key\s+|main\s+)?(?:recommendations?|learning(?:\s+themes|\s+points)?|"
    r"key\s+learning|lessons(?:\s+learn[te]d)?|themes|key\s+messages|findings))"
    r"(?:\s+(?:include|includes|included|are|were|made))?\s*:\s*(?P<rest>\S.*)$", re.I | re.S)
# Learning in prose needs a few words to be a point; an item of a learning list may be a short
# theme label ("chronic neglect", "self-harm": issue 14, "learning as short theme labels").
_MIN_LP_WORDS = 4
_INLINE_GROUP = re.compile(r"^(?:for|to)\s+(?P<who>[^:]{2,60}):\s*(?P<text>\S.*)$", re.I | re.S)
# A closing paragraph about what happens to the recommendations next.
_FOLLOW_UP = re.compile(
    r"\b(?:will|progress|monitor(?:s|ed|ing)?|update|report(?:s|ed)? (?:on|back))\b[^.]{0,60}\brecommendations\b|"
    r"\brecommendations\b[^.]{0,40}\b(?:will be|are being)\s+(?:monitored|tracked|overseen|reviewed)\b", re.I)
_CONCLUSIONS = re.compile(r"^(?:the\s+|overall\s+|final\s+)?(?:conclusions?|concluding\s+(?:comments|remarks))\s*$", re.I)
_INITIAL_STOP = {"for", "the", "to", "of", "and", "recommendations", "recommendation", "a", "an", "all", "by"}


def _reported_by(heading: str) -> bool:
    """Whether the agencies a group heading or lead-in names report its list rather than receive
    it: they come before one of `lead_in_reporting_verbs` ("The Board agreed the following
    recommendations:") or after "<verb> by"; none is named after the verb."""
    pattern = load_rules().lead_in_reporting
    m = pattern.search(heading) if pattern is not None else None
    if m is None:
        return False
    rest = heading[m.end():]
    return bool(re.match(r"\s*by\b", rest, re.I)) or not heading_agencies(rest)


@dataclass
class _Group:
    heading: str
    agencies: list[str]
    ordinal: int
    # the lead-in's agencies report the list ("The Board agreed the following recommendations:"):
    # they address only the items that name no addressee of their own
    reporter: bool = False

    @property
    def initials(self) -> str:
        words = [w for w in re.findall(r"[A-Za-z']+", heading_core(self.heading)) if w.lower() not in _INITIAL_STOP]
        return "".join(w[0].upper() for w in words)[:4]


@dataclass
class _Item:
    kind: str  # "rec" | "lp"
    number: str | None
    page: int | None
    group: _Group | None = None
    parts: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    level: int = 0
    context: str = ""
    weak: bool = False  # from a Conclusions section: kept only when the review has no other learning
    listed: bool = False  # an item of a learning list: a short theme label ("chronic neglect") is learning

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(p.strip() for p in self.parts if p.strip())).strip()

    def add(self, text: str, block: Block | None = None) -> None:
        self.parts.append(text)
        if block is not None:
            self.links.extend(block.links)


def _not_a_recommendation(text: str) -> bool:
    """A resolution to note a report, a caption, a link, or a sentence about the recommendations
    (ingest/extraction_rules.yml, `not_recommendations`)."""
    rules = load_rules()
    stripped = text.strip().lstrip("\u2022-*\u2013 ").strip()
    if rules.not_recommendation_start.match(stripped) or rules.resolution.match(stripped) or stripped.endswith("?"):
        return True  # a committee's resolution, or a question for reflection, is not a recommendation either
    return bool(rules.describing.search(stripped)) and not _STRONG_DIRECTIVE.search(
        rules.describing.sub(" ", stripped))


def _has_directive(text: str) -> bool:
    """Directive phrases and verbs come from ingest/extraction_rules.yml; "That X does ..." is the
    subjunctive form of a recommendation."""
    return load_rules().has_directive(text) or bool(_THAT_FORM.match(text))


class Section(Enum):
    """Which part of a review the walker is in: the first half of its state."""

    OUTSIDE = "outside"  # nothing collected but labelled items ("Recommendation 3:", "Finding 2:") and
    # a paragraph stating one finding ("The review found that ...")
    OTHER = "other"  # a section the document names as something else (Analysis, Background): labelled items only
    RECOMMENDATIONS = "recommendations"
    LEARNING = "learning"
    MIXED = "mixed"  # "Findings and recommendations": learning, with recommendations picked out
    CONCLUSIONS = "conclusions"  # learning kept only when the review has no other


class Focus(Enum):
    """Where inside that part: the second half of the walker's state."""

    OPEN = "open"
    FINDING = "finding"  # the analysis under a "Finding 2: <title>" heading: not learning points of its own
    LIST = "list"  # a list a lead-in sentence introduced: the next block that is not a list item ends it
    REFLECTION = "reflection"  # under "Questions for reflection" (heading or lead-in): its questions are not learning


# Transitions (all in _Walker._enter): a heading names the Section (sections.section_kind) or, at
# a deeper level, a group or a context inside it; a "Finding n:" heading sets Focus.FINDING until
# the next heading; a lead-in paragraph ending in ":" enters RECOMMENDATIONS or LEARNING with
# Focus.LIST, and the first non-list block that is not a group label returns to OUTSIDE; a heading
# or lead-in naming questions or reflection (`reflection_lead_ins`) sets Focus.REFLECTION until
# the next heading.


class _Walker:
    """One pass over the blocks in reading order: a state (Section, Focus) plus the open item."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.tables = {id(t.rows[0]) if t.rows else None: t for t in make_tables(blocks)}
        self.all_tables = list(self.tables.values())
        self.state = Section.OUTSIDE
        self.focus = Focus.OPEN
        self.section_level = 0
        self.group: _Group | None = None
        self.groups = 0
        self.context = ""
        self.current: _Item | None = None
        self.last: Block | None = None
        self.recs: list[_Item] = []
        self.lps: list[_Item] = []
        self.table_sections: dict[int, str | None] = {}
        self.i = 0
        self.owned: _Item | None = None  # the recommendation an owner line here would belong to

    @property
    def section(self) -> str | None:
        """RECS, LEARNING or None: the kind of items the current section holds."""
        if self.state is Section.RECOMMENDATIONS:
            return RECS
        return None if self.state in (Section.OUTSIDE, Section.OTHER) else LEARNING

    def _enter(self, state: Section, level: int | None = None, focus: Focus = Focus.OPEN) -> None:
        self.state, self.focus = state, focus
        if level is not None:
            self.section_level = level

    def _next_block(self) -> Block | None:
        return self.blocks[self.i + 1] if self.i + 1 < len(self.blocks) else None

    def _isolated(self, b: Block) -> bool:
        """A numbered item standing alone among paragraphs, as "Recommendation 2: ..." does in
        running text once a reader has split its label off."""
        nxt = self._next_block()
        prev_list = self.last is not None and self.last.kind == "list_item" and self.last.level == b.level
        next_list = nxt is not None and nxt.kind == "list_item" and nxt.level == b.level
        return not prev_list and not next_list

    def _inline_list(self, b: Block) -> bool:
        """'Recommendations include: a; b; c.' or 'Learning themes include: ...' in one paragraph."""
        m = _INLINE_LIST.match(b.text)
        if not m or m.group("rest").count(";") < 1:
            return self._label_sentence(b)
        what = m.group("what").lower()
        kind = "rec" if "recommend" in what else "lp"
        self._close()
        for part in re.split(r"\s*;\s*", m.group("rest"))[:60]:
            part = re.sub(r"^(?:and|or)\s+", "", part.strip()).rstrip(".").strip()
            agencies: list[str] = []
            g = _INLINE_GROUP.match(part)
            if g and kind == "rec":
                agencies, part = heading_agencies(g.group("who")), g.group("text").strip()
            if len(part.split()) < (1 if kind == "lp" else 3):
                continue
            item = self._start(kind, None, part, b)
            item.agencies = agencies
            item.listed = kind == "lp"
        self._close()
        return True

    def _label_sentence(self, b: Block) -> bool:
        """'The themes identified include a, b, and c.' (`learning_label_lists`): each label is learning."""
        m = load_rules().learning_label_list.match(b.text)
        rest = b.text[m.end():].strip(" :").rstrip(".") if m else ""
        if not rest or ";" in rest or "," not in rest or len(rest.split()) > 80:
            return False
        self._close()
        for part in re.split(r"\s*,\s*", rest)[:30]:
            part = re.sub(r"^(?:and|or)\s+", "", part.strip()).strip()
            if part:
                self._start("lp", None, part, b).listed = True
        self._close()
        return True

    # -- items -------------------------------------------------------------------------
    def _close(self) -> None:
        self.current = None

    def _start(self, kind: str, number: str | None, text: str, block: Block) -> _Item:
        item = _Item(kind, number, block.page, self.group if kind == "rec" else None,
                     level=block.level if block.kind == "list_item" else 0, context=self.context,
                     weak=kind == "lp" and self.state is Section.CONCLUSIONS)
        item.add(text, block)
        if kind == "rec" and _not_a_recommendation(text):
            self.current = item  # its continuation lines follow it out of the results
            return item
        (self.recs if kind == "rec" else self.lps).append(item)
        self.current = item
        return item

    def _new_group(self, heading: str) -> None:
        self.groups += 1
        self.group = _Group(heading, heading_agencies(heading), self.groups, _reported_by(heading))

    # -- walk --------------------------------------------------------------------------
    def run(self) -> None:
        for self.i, block in enumerate(self.blocks):
            if block.kind == "table_row":
                table = self.tables.get(id(block))
                if table is not None:
                    self._close()
                    self.table_sections[id(table)] = self.section
                    self._table(table)
                continue
            owned = self._owned(block)
            if self._owner_line(block):
                pass
            elif list_heading(block):
                self._heading(Block(block.text, "heading", block.page, block.level + 1, block.number,
                                    links=block.links))
            elif looks_like_heading(block):
                self._heading(block)
            elif block.kind == "paragraph" and self._inline_list(block):
                pass
            elif self.focus is Focus.LIST and block.kind != "list_item":
                if not self._group_label(block):
                    self._enter(Section.OUTSIDE)
                    self._outside(block)
            elif self.section == RECS:
                self._rec_block(block)
            elif self.section == LEARNING:
                self._lp_block(block)
            else:
                self._outside(block)
            self.last = block
            self.owned = owned

    def _owned(self, b: Block) -> _Item | None:
        """The recommendation an owner line after `b` belongs to: the open one, or the one before a
        rationale paragraph ("Why: ...", `rationale_labels`) that `b` is."""
        if self.recs and self.current is not None and self.current is self.recs[-1]:
            return self.current
        pattern = load_rules().rationale_line
        if self.owned is not None and b.kind == "paragraph" and pattern is not None and pattern.match(b.text):
            return self.owned
        return None

    def _owner_line(self, b: Block) -> bool:
        """'Responsible: <agency>' just after a recommendation (`agencies.owner_labels`), or after
        its rationale paragraph: its owner."""
        pattern = load_rules().owner_line
        target = self.current if self.recs and self.current is not None and self.current is self.recs[-1] \
            else self.owned
        if pattern is None or b.kind == "table_row" or target is None:
            return False
        m = pattern.match(b.text)
        agencies = heading_agencies(m.group("who")) if m else []
        if not agencies:
            return False
        target.agencies += [a for a in agencies if a not in target.agencies]
        self._close()
        return True

    def _heading(self, b: Block) -> None:
        text = b.text.strip()
        if text.endswith(":") and section_kind(text) is None and \
                self._list_intro(b, recs_only=self.section == RECS):
            return  # "The panel recommends:" set as a heading still introduces its list
        number, rest, kind = split_text_label(text)
        self._close()
        if kind == "rec":
            self._start("rec", number, rest, b)
            return
        self.focus = Focus.OPEN
        lp_number, lp_rest = lp_label(text)
        if lp_number:
            if self.section is None:
                self._enter(Section.LEARNING, b.level or 2)
            self.context = lp_rest
            self._start("lp", None, lp_rest, b)
            self.focus = Focus.FINDING
            return
        level = b.level if b.kind == "heading" and b.level else (self.section_level + 1 if self.section else 2)
        kind = section_kind(text)
        if kind == RECS:
            if self.section == RECS and (level > self.section_level or heading_agencies(text)):
                self._new_group(text)
            else:
                self._enter(Section.RECOMMENDATIONS, level)
                self.group = None
                if heading_agencies(text):
                    self._new_group(text)
        elif kind == LEARNING:
            self._enter(Section.MIXED if is_mixed(text) else
                        Section.CONCLUSIONS if _CONCLUSIONS.match(heading_core(text)) else Section.LEARNING, level)
            self.context = ""
        elif self.section == RECS and (level > self.section_level or self._group_like(text)):
            self._new_group(text)
        elif self.section == LEARNING and level > self.section_level:
            self.context = text
        else:
            self._enter(Section.OTHER if load_rules().headings.other.match(heading_core(text)) else Section.OUTSIDE)
            self.group, self.context = None, ""
        if load_rules().reflection.search(text):
            self.focus = Focus.REFLECTION

    @staticmethod
    def _group_like(text: str) -> bool:
        if _STRONG_DIRECTIVE.search(text):  # "The Board should ensure that ...:" introduces, it does not group
            return False
        return len(text.split()) <= 12 and bool(heading_agencies(text) or _GROUP_LINE.search(heading_core(text)))

    def _label(self, b: Block) -> tuple[str | None, str, str | None]:
        if b.number:
            number = clean_number(b.number)
            if b.label_word in ("recommendation", "rec"):
                return number, b.text, "rec"
            inner, rest, kind = split_text_label(b.text)
            if kind == "rec":  # "1. Recommendation 3: ..." keeps the word's number
                return inner, rest, kind
            return number, b.text, label_kind(number)
        return split_text_label(b.text)

    def _rec_block(self, b: Block) -> None:
        if b.kind == "paragraph" and (self._group_label(b) or self._list_intro(b, recs_only=True)):
            return
        number, text, kind = self._label(b)
        cur = self.current if self.current is not None and self.current.kind == "rec" else None
        if number:
            if cur is not None and cur.number and kind in ("letter", "roman") and \
                    label_kind(cur.number) in ("number", "dotted"):
                cur.add(f"({number}) {text}", b)
                return
            if cur is not None and cur.number and kind == "roman" and label_kind(cur.number) == "letter" and \
                    (number.lower() != "i" or cur.number.lower() != "h" or cur.text.rstrip().endswith(":")):
                cur.add(f"({number}) {text}", b)  # (a) ... (i) ... (ii): roman items are the letter's parts
                return
            if cur is not None and b.kind == "list_item" and b.level > cur.level and kind != "dotted":
                cur.add(f"({number}) {text}", b)
                return
            if cur is not None and kind == "dotted" and cur.number and number.startswith(cur.number + ".") \
                    and not _has_directive(cur.text) and len(cur.text.split()) <= 10:
                self.recs.remove(cur)
                self._new_group(cur.text)
            self._start("rec", number, text, b)
            return
        if b.kind == "list_item":
            if cur is not None and (cur.text.endswith(":") or b.level > cur.level or cur.number):
                cur.add(text, b)
            else:
                self._start("rec", None, text, b)
            return
        if cur is not None and (continues(self.last, b) or not cur.text):
            cur.add(text, b)
            return
        if len(text.split()) <= 12 and self._group_like(text) and not _has_directive(text) \
                and (text.endswith(":") or not text.rstrip().endswith(".")):
            self._close()
            self._new_group(text.rstrip(":"))
            return
        if cur is not None and cur.number and _has_directive(text) and _PRONOUN_START.match(text):
            cur.add(text, b)
            return
        if _has_directive(text) and not _DISCUSSION.search(text):
            self._start("rec", None, text, b)
        else:
            self._close()

    def _lp_block(self, b: Block) -> None:
        if b.kind == "paragraph" and self._list_intro(b, recs_only=True):
            return
        number, text, kind = self._label(b)
        if kind == "rec":
            self._start("rec", number, text, b)
            return
        if b.kind == "list_item" and number and kind in ("number", "dotted") and _REC_SENTENCE.search(text) \
                and (self.state is Section.MIXED or self.focus is Focus.FINDING or self._isolated(b)):
            self._start("rec", number, text, b)  # "Recommendation 2: ..." under its finding
            return
        if _RECOMMENDS.match(text) and not _DISCUSSION.search(text):
            self._start("rec", number if kind in ("number", "dotted") else None, text, b)
            return
        cur = self.current
        if cur is not None and cur.kind == "rec":
            if continues(self.last, b) or not cur.text:
                cur.add(text, b)
                return
            self._close()
            cur = None
        lp_number, lp_rest = lp_label(text)
        if lp_number:
            self._start("lp", None, lp_rest, b)
            return
        if self.focus is Focus.FINDING:  # the analysis of a titled finding is not a learning point of its own
            if cur is not None and cur.kind == "lp" and len(cur.text.split()) <= 6:
                cur.parts, cur.links = [text], list(b.links)  # a short title stays the context only
            return
        if text.rstrip().endswith("?") and (b.kind != "list_item" or self.focus is Focus.REFLECTION):
            self._close()  # questions for reflection are not learning points; listed questions elsewhere are
            return
        if b.kind == "paragraph" and _ANNOUNCE.search(text) and len(text.split()) < 40:
            self._close()
            return
        if len(text.split()) < 20 and load_rules().describing.search(text) and not _STRONG_DIRECTIVE.search(text):
            self._close()  # "The Board has accepted all four recommendations."
            return
        if b.kind == "paragraph" and text.rstrip().endswith(":") and load_rules().reflection.search(text):
            self._close()  # "Questions for the Board:" introduces questions, not learning
            self.focus = Focus.REFLECTION
            return
        if self.state is Section.CONCLUSIONS and b.kind == "paragraph" and _FOLLOW_UP.search(text):
            self._close()  # "The partnership will monitor progress on these recommendations": not learning
            return
        if b.kind == "list_item":
            if cur is not None and (kind in ("letter", "roman") or b.level > cur.level) and cur.text.endswith(":"):
                cur.add(text, b)
            else:
                self._start("lp", None, text, b).listed = True
            return
        if cur is not None and continues(self.last, b):
            cur.add(text, b)
        elif text.rstrip().endswith(":") or len(text.split()) < 4:
            self._close()
        else:
            self._start("lp", None, text, b)

    def _list_intro(self, b: Block, recs_only: bool = False) -> bool:
        """A short paragraph ending in ':' that introduces a list (ingest/extraction_rules.yml,
        `recommendation_lead_ins`, `learning_lead_ins`) opens a section that the list fills and
        the next block that is neither a list item nor a group label closes. An addressee the
        lead-in names ("Recommendations for health partners:", "the Board is asked to:") is the
        addressee of the whole list."""
        last = re.split(r"(?<=[.!?])\s+", b.text.strip())[-1]  # its last sentence
        nxt = self._next_block()
        if b.kind not in ("paragraph", "heading") or not last.endswith(":") or len(b.text.split()) > 30 or \
                nxt is None or nxt.kind != "list_item":
            return False
        rules = load_rules()
        if rules.not_lead_in.search(last):
            if not rules.progress_lead_in.search(last):
                return False
            self._close()  # "What we have done since:": actions taken, neither recommendations nor learning
            self._enter(Section.OTHER, 99, Focus.LIST)
            self.group, self.context = None, ""
            return True
        if rules.recommendation_lead_in.search(last):
            kind = RECS
        elif not recs_only and rules.learning_lead_in.search(last):
            kind = LEARNING
        else:
            return False
        self._close()  # the list that follows is the section, until the next non-list block
        self._enter(Section.RECOMMENDATIONS if kind == RECS else Section.LEARNING, 99, Focus.LIST)
        self.group, self.context = None, ""
        if kind == RECS and heading_agencies(last):
            self._new_group(last.rstrip(":"))
        return True

    def _group_label(self, b: Block) -> bool:
        """'For both partnerships:' before a list inside a recommendations list: a new group."""
        text = b.text.strip()
        nxt = self._next_block()
        if self.section != RECS or b.kind != "paragraph" or not text.endswith(":") or len(text.split()) > 8 or \
                nxt is None or nxt.kind != "list_item" or not load_rules().group_label_start.match(text):
            return False
        self._close()
        self._new_group(text.rstrip(":"))
        return True

    def _outside(self, b: Block) -> None:
        if self._list_intro(b):
            return
        number, text, kind = split_text_label(b.text)
        if kind == "rec":
            self._start("rec", number, text, b)
            return
        lp_number, lp_rest = lp_label(b.text)
        if lp_number:
            self._start("lp", None, lp_rest, b)
            return
        if self.current is not None and (continues(self.last, b) or not self.current.text):
            self.current.add(b.text, b)
        elif self.state is Section.OUTSIDE and b.kind == "paragraph" and load_rules().learning_sentence.match(b.text):
            self._start("lp", None, b.text, b)  # "The review found that ...": one finding in prose
        else:
            self._close()

    # -- tables ------------------------------------------------------------------------
    def _table(self, table: Table) -> None:
        kind = table.kind
        if kind == "actions" and "recommendation" in table.roles:
            self._plan_recs(table)
        elif kind == "recommendations" or (kind is None and self.section == RECS):
            self._rec_table(table)
        elif kind == "learning" or (kind is None and self.section == LEARNING):
            self._lp_table(table)

    def _rec_table(self, table: Table) -> None:
        prev: _Item | None = None
        for row in table.rows:
            cells = [c.strip() for c in row.cells or [] if c and c.strip()]
            if not cells:
                continue
            if table.roles:
                text = table.cell(row, "recommendation")
                number = number_in(table.cell(row, "number")) if "number" in table.roles else None
                agency_cell = table.cell(row, "agency")
            else:
                text = max(cells, key=len)
                first = cells[0] if cells[0] != text else ""
                number = number_in(first) if first else None
                agency_cell = " ".join(c for c in cells if c not in (text, first))
            if not text:
                continue
            inner, rest, label = split_text_label(text)
            if number is None and inner and label in ("rec", "number", "dotted"):
                number, text = inner, rest
            if number is None and prev is not None and ("number" in table.roles or text[:1].islower()):
                prev.add(text, row)
                prev.agencies += [a for a in agencies_in(agency_cell) if a not in prev.agencies]
                continue
            if len(text.split()) < 4 and number is None:
                continue
            prev = self._start("rec", number, text, row)
            prev.agencies = agencies_in(agency_cell)
            learning = table.cell(row, "learning") if "learning" in table.roles else ""
            if len(learning.split()) >= 4:  # a "Learning point | Recommendation | Agency" row holds both
                self._start("lp", None, learning, row)
                self.current = prev
        self._close()

    def _plan_recs(self, table: Table) -> None:
        """An action plan whose Recommendation column (often merged over its action rows) states
        the recommendations: each distinct recommendation there is one, numbered by the Number
        column or its own label. A short title ("1. Neglect toolkit") is a reference, not one."""
        seen: set[str] = set()
        for row in table.rows:
            text = table.cell(row, "recommendation")
            if not text or text in seen:
                continue
            seen.add(text)
            number = number_in(table.cell(row, "number")) if "number" in table.roles else None
            inner, rest, label = split_text_label(text)
            if inner and label in ("rec", "number", "dotted", "letter"):
                number, text = number or inner, rest
            if len(text.split()) >= 6 and _has_directive(text):
                item = self._start("rec", number, text, row)
                item.agencies = []
        self._close()

    def _lp_table(self, table: Table) -> None:
        for row in table.rows:
            if table.roles and "learning" in table.roles:
                # the finding, and what it means for practice where a column without a role says so
                free = [c for c in range(len(row.cells or [])) if c not in table.roles.values()]
                text = " ".join(t for t in [table.cell(row, "learning")] +
                                [(row.cells[c] or "").strip() for c in free] if t)
            else:
                text = " ".join(c.strip() for c in row.cells or [] if c and c.strip() and not number_in(c.strip()))
            if len(text.split()) >= 4:
                self._start("lp", None, text, row)
        self._close()


# -- finishing -------------------------------------------------------------------------

def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", text.lower())


def _similar(a: str, b: str, threshold: float) -> bool:
    return _similar_norm(_norm(a), _norm(b), threshold)



_STOP = frozenset("""the a an and or of to for in on at by with that this be is are should must will all its their
it as from into when where who which any every each have has not""".split())


def _content_words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 2}


def _same_gist(a: str, b: str) -> bool:
    """A summary and the full wording of one recommendation share most of the summary's words."""
    wa, wb = _content_words(a), _content_words(b)
    small = min(len(wa), len(wb))
    return small >= 3 and len(wa & wb) / small >= 0.5


def _same_place(a: _Item, b: _Item) -> bool:
    return (a.group.ordinal if a.group else None) == (b.group.ordinal if b.group else None)


def _merge_duplicates(items: list[_Item]) -> list[_Item]:
    """One recommendation repeated (executive summary and body, text and table) is kept once, with
    its fullest wording: same number and similar text, or same number and place and the same gist,
    or near-identical text under any number."""
    kept: list[_Item] = []
    by_number: dict[str | None, list[int]] = defaultdict(list)  # same-number rules: one bucket each
    near = NearTexts(0.85)  # near-identical under any number: candidates only (ingest.near_duplicates)

    for item in items:
        norm = _norm(item.text)
        candidates = sorted(set(by_number[item.number]) | near.candidates(norm))
        twin_at = next((i for i in candidates if (kept[i].number == item.number and (
            _similar_norm(near.texts[i], norm, 0.6) or (
                kept[i].number and _same_place(kept[i], item) and _same_gist(kept[i].text, item.text))))
            or _similar_norm(near.texts[i], norm, 0.85)), None)
        if twin_at is None:
            by_number[item.number].append(near.add(norm))
            kept.append(item)
            continue
        twin = kept[twin_at]
        if len(item.text) > len(twin.text):
            twin.parts, twin.links = item.parts, item.links
            near.replace(twin_at, _norm(twin.text))
        twin.agencies += [a for a in item.agencies if a not in twin.agencies]
        if twin.group is None:
            twin.group = item.group
    return kept


def _number_all(recs: list[_Item]) -> None:
    """Give unnumbered recommendations 1, 2, ... and make every number unique (module doc)."""
    counter = 0
    for rec in recs:
        if not rec.number:
            counter += 1
            rec.number = str(counter)
    seen: dict[str, int | None] = {}
    prefixes: dict[int | None, str] = {}
    for rec in recs:
        ordinal = rec.group.ordinal if rec.group else None
        if rec.number in seen and seen[rec.number] != ordinal and ordinal not in prefixes:
            initials = rec.group.initials if rec.group else ""
            prefix = initials if initials and not any(
                p == initials for p in prefixes.values()) else f"G{ordinal or 0}-"
            prefixes[ordinal] = prefix
        if ordinal in prefixes:
            sep = "-" if prefixes[ordinal][-1:].isalpha() and not rec.number[:1].isdigit() else ""
            rec.number = f"{prefixes[ordinal]}{sep}{rec.number}"
        base, n = rec.number, 1
        while rec.number in seen:
            n += 1
            rec.number = f"{base}-{n}"
        seen[rec.number] = ordinal


def _rec_agencies(rec: _Item, previous: list[str] | None = None) -> list[str]:
    """Addressees (group, table column, the text's own); failing those, the previous
    recommendation's when this one refers back to it ("The service should ..."), the agencies of
    its opening noun phrase, the agencies it mentions, and last the safeguarding partnership.
    A general agency named beside a part of it gives way to the part (`agencies.subsumed`)."""
    rules = load_rules()
    group = rec.group.agencies if rec.group and not rec.group.reporter else []
    found = set(group) | set(rec.agencies) | set(addressees(rec.text))
    if not found and previous and rules.anaphoric_subject is not None and rules.anaphoric_subject.match(rec.text):
        found = set(previous)
    if not found and rec.group and rec.group.reporter:
        found = set(rec.group.agencies)
    if not found and rules.first_person is not None and rules.first_person[0].match(rec.text):
        found = {rules.first_person[1]}  # "We will run briefings for teachers": the publisher, not the teachers
    if not found:
        found = set(opening_agencies(rec.text)) or set(agencies_in(rec.text)) or {"safeguarding-partnership"}
    for general, parts in (rules.subsumed or {}).items():
        if general in found and found & parts:
            found.discard(general)
    return [slug for slug in load_taxonomy().slugs("agencies") if slug in found]


def _lp_text_and_url(item: _Item) -> tuple[str, str | None]:
    text = item.text
    url = item.links[-1] if item.links else None
    m = _URL_SUFFIX.search(text)
    if m:
        url = url or m.group("url")
        text = text[: m.start()].rstrip()
    text = _SOURCE_SUFFIX.sub("", text).rstrip()
    return text, url


def _resolver(recs: list[_Item]):
    def resolve(cell: str) -> str | None:
        number = number_in(cell)
        if number:
            return number
        match = next((r for r in recs if _similar(r.text, cell, 0.6)), None)
        return match.number if match else None
    return resolve


def extract(document: Document) -> dict:
    """The structured learning in one parsed document (JSON-ready)."""
    walker = _Walker(drop_furniture(document.blocks))
    walker.run()
    recs = _merge_duplicates([r for r in walker.recs if len(r.text.split()) >= 3])
    _number_all(recs)
    resolve = _resolver(recs)
    actions: list[dict] = []
    for table in walker.all_tables:
        if table.kind == "actions":
            actions += agency_actions(table, resolve)

    context = document_counts([b.text for b in walker.blocks if b.kind != "table_row"])
    recommendations = []
    previous: list[str] = []
    for rec in recs:
        agencies = previous = _rec_agencies(rec, previous)
        rec_type = "national-escalation" if "national-government" in addressees(rec.text) else rec_type_of(rec.text)
        recommendations.append({
            "number": rec.number,
            "text": rec.text,
            "agencies": agencies,
            "themes": choose_themes(rec.text, context),
            "page": rec.page,
            "rec_type": rec_type,
        })
    learning_points = []
    lps = walker.lps
    if any(not lp.weak and len(lp.text.split()) >= 4 for lp in lps):
        lps = [lp for lp in lps if not lp.weak]  # conclusions restate the findings already found
    for lp in lps:
        text, url = _lp_text_and_url(lp)
        if len(text.split()) < (1 if lp.listed else _MIN_LP_WORDS):
            continue
        learning_points.append({
            "text": text,
            "themes": choose_themes(f"{lp.context} {text}" if lp.context != text else text, context),
            "page": lp.page,
            "source_url": url,
        })
    return {
        "source": {
            "file": Path(document.path).name,
            "format": document.format,
            "sha256": document.sha256,
            "pages": document.pages,
        },
        "review": review_metadata(document),
        "recommendations": recommendations,
        "learning_points": learning_points,
        "agency_actions": actions,
    }


def extract_file(path: str | Path) -> dict:
    """extract(read_document(path)): the readers are imported late so tests of the extractor
    do not need them."""
    from ingest.readers import read_document

    return extract(read_document(path))
