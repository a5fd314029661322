"""Gather the seven sections of a briefing from reviews.db.

Sections 1-5 come from the reviews (summary, themes, learning points, recommendations, agency
actions); sections 6-7 come from our own practice prompts in questions.yml. Everything a reader
could mistake for the review's own words is labelled: summaries of recommendations say so.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain, zip_longest

from briefings import questions
from briefings.text import CUT_NOTE, fit_items, sentences
from ingest.dates import readable_date

TITLES: dict[int, str] = {
    1: "Background",
    2: "Why it matters",
    3: "Key findings",
    4: "The learning",
    5: "What good practice looks like",
    6: "Things to remember",
    7: "What to do: questions for reflection",
}
# Words per section, chosen so that the seven cells, the title and the sources fit one A4 page
# (checked by tests/test_briefings_docx.py with LibreOffice).
BUDGETS: dict[int, int] = {1: 85, 2: 55, 3: 95, 4: 95, 5: 65, 6: 45, 7: 50}
SUMMARY_LABEL = "Summary, not the published wording"
STATUS_WORDS = {
    "not-started": "not started", "in-progress": "in progress", "completed": "completed",
    "assured": "completed and assured",
}


class BriefingNotFound(LookupError):
    """The review or theme asked for is not in the database."""


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    items: list[str]
    cut: bool = False

    def text(self) -> str:
        """One item per line, as shown in the edit form."""
        return "\n".join(self.items + ([CUT_NOTE] if self.cut else []))


@dataclass(frozen=True)
class Source:
    review_id: str
    title: str
    subject: str
    publisher: str | None
    published: str | None
    report_url: str | None
    has_summary_recommendations: bool

    @property
    def path(self) -> str:
        """The review's page in this app; made absolute by whoever renders the link."""
        return f"/reviews/{self.review_id}"


@dataclass(frozen=True)
class Briefing:
    kind: str  # "review" | "theme"
    slug: str
    title: str
    prepared_on: date
    sections: list[Section]
    sources: list[Source] = field(default_factory=list)

    def with_texts(self, texts: dict[int, str]) -> Briefing:
        """A copy with the given sections replaced by edited text (one item per non-empty line)."""
        sections = [
            replace(s, items=_lines(texts[s.number]), cut=False) if s.number in texts else s
            for s in self.sections
        ]
        return replace(self, sections=sections)


def _lines(text: str) -> list[str]:
    return [line.strip().lstrip("-•* ").strip() for line in text.splitlines() if line.strip()]


def human_date(value: str | None) -> str:
    """A partial date as words; says so when the source gives none."""
    return readable_date(value) if value else "date not recorded"


def _rows(conn: sqlite3.Connection, sql: str, params: dict) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _section(number: int, items: list[str], fallback: str) -> Section:
    kept, cut = fit_items(items or [fallback], BUDGETS[number])
    return Section(number, TITLES[number], kept, cut)


def _interleave(groups: list[list[str]]) -> list[str]:
    """Take one item from each review in turn, so a theme briefing draws on every review."""
    return [x for x in chain.from_iterable(zip_longest(*groups)) if x is not None]


def _recommendation_line(rec: dict, who: str | None = None) -> str:
    prefix = f"{who}: " if who else ""
    if rec["wording"] == "summary":
        return f"{prefix}[{SUMMARY_LABEL}] {rec['text']}"
    return f"{prefix}Recommendation {rec['number']}: {rec['text']}"


def _action_line(act: dict, agency_names: dict[str, str], who: str | None = None) -> str:
    agency = agency_names.get(act["agency"] or "", act["agency"] or "An agency")
    status = STATUS_WORDS.get(act["status"] or "")
    when = f", reported {human_date(act['reported'])}" if act["reported"] else ""
    detail = f" ({status}{when})" if status else ""
    prefix = f"{who}, " if who else ""
    return f"{prefix}{agency}: {act['action'].rstrip('.')}{detail}."


def _sources(conn: sqlite3.Connection, reviews: list[dict]) -> list[Source]:
    out = []
    for r in reviews:
        summary = conn.execute(
            "SELECT 1 FROM recommendations WHERE review_id = :id AND wording = 'summary' LIMIT 1",
            {"id": r["id"]},
        ).fetchone()
        out.append(Source(r["id"], r["title"], r["subject"] or r["title"], r["publisher"],
                          r["published"], r["report_url"], summary is not None))
    return out


def _agency_names(conn: sqlite3.Connection) -> dict[str, str]:
    return {a["slug"]: a["name"] for a in _rows(conn, "SELECT slug, name FROM agencies", {})}


def _practice_sections(theme_slugs: list[str]) -> list[Section]:
    """Sections 6 and 7 from our own prompts; the 'embedded' question is always last and never cut."""
    remember, asks = questions.prompts(theme_slugs)
    # These prompts are ours, not the review's: shortening them loses nothing a reader must be told.
    six = Section(6, TITLES[6], fit_items(remember, BUDGETS[6])[0])
    seven = Section(7, TITLES[7], fit_items(asks, BUDGETS[7])[0] + [questions.embedded_question()])
    return [six, seven]


def review_briefing(conn: sqlite3.Connection, review_id: str, prepared_on: date | None = None) -> Briefing:
    """The briefing for one review; raises BriefingNotFound naming the id."""
    found = _rows(conn, "SELECT * FROM reviews WHERE id = :id", {"id": review_id})
    if not found:
        raise BriefingNotFound(f"no review with id '{review_id}'")
    review = found[0]
    themes = _rows(
        conn,
        "SELECT t.slug, t.name, t.description FROM review_themes rt JOIN themes t ON t.slug = rt.theme"
        " WHERE rt.review_id = :id ORDER BY rt.rowid", {"id": review_id},
    )
    lps = _rows(conn, "SELECT text FROM learning_points WHERE review_id = :id ORDER BY seq", {"id": review_id})
    recs = _rows(conn, "SELECT number, text, wording FROM recommendations WHERE review_id = :id"
                 " ORDER BY rowid", {"id": review_id})
    acts = _rows(conn, "SELECT agency, action, reported, status FROM agency_actions WHERE review_id = :id"
                 " ORDER BY rowid", {"id": review_id})
    agencies = _agency_names(conn)
    subject = review["subject"] or review["title"]
    context = f"{review['title']}, published by {review['publisher'] or 'the partnership'}" \
              f" ({human_date(review['published'])})."
    if review["period"]:
        context += f" Period reviewed: {review['period']}."
    background = [context] + ([review["summary"]] if review["summary"] else [])
    sections = [
        _section(1, background, "No summary is recorded for this review."),
        _section(2, [f"{t['name']}: {t['description']}" if t["description"] else t["name"] for t in themes],
                 "See the full review for why this learning matters."),
        _section(3, [lp["text"] for lp in lps], "No findings are recorded yet: see the full review."),
        _section(4, [_recommendation_line(r) for r in recs], "No recommendations are recorded yet: see the full review."),
        _section(5, [_action_line(a, agencies) for a in acts],
                 "No agency actions are recorded for this review yet; the recommendations in section 4 "
                 "describe the practice expected."),
        *_practice_sections([t["slug"] for t in themes]),
    ]
    return Briefing("review", review_id, f"7-minute briefing: {subject}", prepared_on or date.today(),
                    sections, _sources(conn, [review]))


def theme_briefing(conn: sqlite3.Connection, slug: str, prepared_on: date | None = None) -> Briefing:
    """The briefing for a theme, drawing on every review with that theme (newest first)."""
    found = _rows(conn, "SELECT slug, name, description FROM themes WHERE slug = :slug", {"slug": slug})
    if not found:
        raise BriefingNotFound(f"no theme with slug '{slug}'")
    theme = found[0]
    reviews = _rows(
        conn,
        "SELECT r.* FROM reviews r JOIN review_themes rt ON rt.review_id = r.id WHERE rt.theme = :slug"
        " ORDER BY r.published DESC, r.id", {"slug": slug},
    )
    if not reviews:
        raise BriefingNotFound(f"no reviews have the theme '{slug}' yet")
    agencies = _agency_names(conn)
    findings, learning, practice = [], [], []
    for r in reviews:
        who = r["subject"] or r["title"]
        params = {"id": r["id"], "slug": slug}
        lps = _rows(conn, "SELECT lp.text FROM learning_points lp JOIN learning_point_themes t"
                    " ON t.learning_point_id = lp.id WHERE lp.review_id = :id AND t.theme = :slug"
                    " ORDER BY lp.seq", params)
        recs = _rows(conn, "SELECT r.id, r.number, r.text, r.wording FROM recommendations r JOIN"
                     " recommendation_themes t ON t.recommendation_id = r.id WHERE r.review_id = :id"
                     " AND t.theme = :slug ORDER BY r.rowid", params)
        acts = _rows(conn, "SELECT a.agency, a.action, a.reported, a.status FROM agency_actions a JOIN"
                     " recommendation_themes t ON t.recommendation_id = a.recommendation_id"
                     " WHERE a.review_id = :id AND t.theme = :slug ORDER BY a.rowid", params)
        findings.append([f"{who}: {lp['text']}" for lp in lps])
        learning.append([_recommendation_line(rec, who) for rec in recs])
        practice.append([_action_line(a, agencies, who) for a in acts])
    years = sorted({r["published"][:4] for r in reviews if r["published"]})
    span = f"{years[0]} to {years[-1]}" if len(years) > 1 else (years[0] if years else "")
    intro = f"{len(reviews)} review{'s' if len(reviews) != 1 else ''} in this repository" \
            f" {'share' if len(reviews) != 1 else 'has'} the theme {theme['name']}" + (f" ({span})." if span else ".")
    background = [intro] + [
        f"{r['subject'] or r['title']} ({r['area'] or r['publisher']}): {sentences(r['summary'])[0]}"
        for r in reviews if r["summary"]
    ]
    sections = [
        _section(1, background, intro),
        _section(2, [theme["description"]] if theme["description"] else [],
                 "See the reviews listed below for why this learning matters."),
        _section(3, _interleave(findings), "No findings are tagged with this theme yet: see the full reviews."),
        _section(4, _interleave(learning), "No recommendations are tagged with this theme yet: see the full reviews."),
        _section(5, _interleave(practice),
                 "No agency actions are recorded for these recommendations yet; the recommendations in "
                 "section 4 describe the practice expected."),
        *_practice_sections([slug]),
    ]
    return Briefing("theme", slug, f"7-minute briefing: {theme['name']}", prepared_on or date.today(),
                    sections, _sources(conn, reviews))


def build(conn: sqlite3.Connection, kind: str, slug: str, prepared_on: date | None = None) -> Briefing:
    """Dispatch on kind ('review' or 'theme')."""
    if kind == "review":
        return review_briefing(conn, slug, prepared_on)
    if kind == "theme":
        return theme_briefing(conn, slug, prepared_on)
    raise BriefingNotFound(f"no briefing kind '{kind}': use 'review' or 'theme'")
