"""Gather the seven sections of a briefing from reviews.db.

Sections 1-5 come from the reviews (summary, themes, learning points, recommendations, agency
actions); sections 6-7 come from our own practice prompts in questions.yml. Everything a reader
could mistake for the review's own words is labelled: summaries of recommendations say so.

A page holds only so much, so each section picks what matters most for its subject
(briefings/learning.py: items tagged with the briefing's theme, then ones a practitioner can act
on), shortens only at sentence ends, and the briefing says once where the rest is. A stand-in
record that holds no learning (a recommendation whose wording we could not get, a review we could
not read) is never shown as if it were learning.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain, zip_longest

from briefings import learning, questions
from briefings.text import REST_NOTE, fit_items, fit_one, sentences, word_count
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
BUDGETS: dict[int, int] = {1: 85, 2: 55, 3: 120, 4: 120, 5: 85, 6: 45, 7: 50}
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
    left_out: int = 0  # source items not shown in full here (shortened or left out)
    total: int = 0  # source items this section chose from
    what: str = ""  # what those items are, for the one note: "findings", "recommendations", ...

    @property
    def cut(self) -> bool:
        return self.left_out > 0

    def text(self) -> str:
        """One item per line, as shown in the edit form."""
        return "\n".join(self.items)


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
    rest_path: str = ""  # where everything is: the review's or the theme's page
    not_available: list[str] = field(default_factory=list)  # lines about learning we could not get

    def with_texts(self, texts: dict[int, str]) -> Briefing:
        """A copy with the given sections replaced by edited text (one item per non-empty line)."""
        sections = [
            replace(s, items=_lines(texts[s.number]), left_out=0) if s.number in texts else s
            for s in self.sections
        ]
        return replace(self, sections=sections)

    def rest_note(self) -> str | None:
        """The one sentence that says what was shortened and that the rest is on `rest_path`."""
        parts = [f"{s.total - s.left_out} of {s.total} {s.what}" if s.what else f"the {TITLES[s.number].lower()}"
                 for s in self.sections if s.cut]
        lines = []
        if parts:
            shown = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
            lines.append(f"{REST_NOTE}: {shown} shown in full.")
        lines += self.not_available
        return " ".join(lines) or None


def _lines(text: str) -> list[str]:
    return [line.strip().lstrip("-•* ").strip() for line in text.splitlines() if line.strip()]


def human_date(value: str | None) -> str:
    """A partial date as words; says so when the source gives none."""
    return readable_date(value) if value else "date not recorded"


def _rows(conn: sqlite3.Connection, sql: str, params: dict) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


@dataclass(frozen=True)
class _Item:
    """One candidate line: `on_subject` when tagged with the briefing's theme; `order` as published."""
    text: str
    order: int
    on_subject: bool = True
    key: str = ""  # identifies the source record, so one record is shown at most once


def _ranked(items: list[_Item]) -> list[_Item]:
    """What matters most first: on the subject, then what a practitioner can act on, then as published."""
    return sorted(items, key=lambda i: (not i.on_subject, not learning.is_actionable(i.text), i.order))


def _choose(groups: list[list[_Item]], budget: int, keep_order: bool) -> tuple[list[_Item], list[str], int]:
    """Fit the best items of every group (taken in turn) into `budget` words.

    Returns (items chosen, their shown texts, how many chosen or passed over were not shown in full).
    `keep_order` shows a single review's items in the order it published them.
    """
    queue = [x for x in chain.from_iterable(zip_longest(*[_ranked(g) for g in groups])) if x is not None]
    chosen: list[tuple[_Item, str]] = []
    used = not_in_full = 0
    for item in queue:
        fitted = fit_one(item.text, budget - used)
        if fitted != item.text:
            not_in_full += 1
        if fitted:
            chosen.append((item, fitted))
            used += word_count(fitted)
    if keep_order:
        chosen.sort(key=lambda pair: pair[0].order)
    return [c for c, _ in chosen], [text for _, text in chosen], not_in_full


def _plain_section(number: int, items: list[str], fallback: str) -> Section:
    """A section from a short list (background, why it matters): whole sentences, in order."""
    kept, left_out = fit_items(items, BUDGETS[number])
    return Section(number, TITLES[number], kept or [fallback], left_out)


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


def _agency_names(conn: sqlite3.Connection) -> dict[str, str]:
    return {a["slug"]: a["name"] for a in _rows(conn, "SELECT slug, name FROM agencies", {})}


def _practice_sections(theme_slugs: list[str]) -> list[Section]:
    """Sections 6 and 7 from our own prompts; the 'embedded' question is always last and never cut."""
    remember, asks = questions.prompts(theme_slugs)
    # These prompts are ours, not the review's: shortening them loses nothing a reader must be told.
    six = Section(6, TITLES[6], fit_items(remember, BUDGETS[6])[0])
    seven = Section(7, TITLES[7], fit_items(asks, BUDGETS[7])[0] + [questions.embedded_question()])
    return [six, seven]


@dataclass
class _Review:
    """One review's learning, read once: placeholders already set apart."""
    row: dict
    findings: list[dict]
    recommendations: list[dict]
    placeholders: list[dict]
    actions: list[dict]

    @property
    def who(self) -> str:
        return self.row["subject"] or self.row["title"]

    @property
    def holds_learning(self) -> bool:
        return bool(self.findings or self.recommendations)


def _read_review(conn: sqlite3.Connection, row: dict, theme: str | None = None) -> _Review:
    """A review's findings, recommendations and actions, each marked on or off the theme."""
    params = {"id": row["id"], "theme": theme}
    findings = _rows(conn, "SELECT lp.id, lp.text, lp.seq AS ord, EXISTS (SELECT 1 FROM learning_point_themes t"
                     " WHERE t.learning_point_id = lp.id AND t.theme = :theme) AS on_theme"
                     " FROM learning_points lp WHERE lp.review_id = :id ORDER BY lp.seq", params)
    recs = _rows(conn, "SELECT r.id, r.number, r.text, r.wording, r.rowid AS ord, EXISTS (SELECT 1 FROM"
                 " recommendation_themes t WHERE t.recommendation_id = r.id AND t.theme = :theme) AS on_theme,"
                 " (SELECT group_concat(a.agency, '|') FROM recommendation_agencies a"
                 " WHERE a.recommendation_id = r.id) AS agencies"
                 " FROM recommendations r WHERE r.review_id = :id ORDER BY r.rowid", params)
    acts = _rows(conn, "SELECT a.id, a.agency, a.action, a.reported, a.status, a.rowid AS ord, EXISTS (SELECT 1"
                 " FROM recommendation_themes t WHERE t.recommendation_id = a.recommendation_id"
                 " AND t.theme = :theme) AS on_theme FROM agency_actions a WHERE a.review_id = :id"
                 " ORDER BY a.rowid", params)
    return _Review(row, [f for f in findings if not learning.is_placeholder(f["text"])],
                   [r for r in recs if not learning.is_placeholder(r["text"])],
                   [r for r in recs if learning.is_placeholder(r["text"])],
                   [a for a in acts if not learning.is_placeholder(a["action"])])


def _learning_sections(reviews: list[_Review], agencies: dict[str, str], theme: bool) -> list[Section]:
    """Sections 3-5: findings, the learning (recommendations, then findings a practitioner can act
    on) and agency actions, chosen across every review in turn; each record shown at most once."""
    def who(r: _Review) -> str | None:
        return r.who if theme else None

    def on(x: dict) -> bool:
        return bool(x["on_theme"]) if theme else True

    finding_groups = [[_Item(f"{who(r) + ': ' if who(r) else ''}{f['text']}", f["ord"], on(f), f["id"])
                       for f in r.findings] for r in reviews]
    n_findings = sum(len(g) for g in finding_groups)
    n_recs = sum(len(r.recommendations) for r in reviews)
    # "The learning" first: the recommendations, then findings a practitioner can act on (after them).
    learning_groups = [
        [_Item(_recommendation_line(rec, who(r)), rec["ord"], on(rec), rec["id"]) for rec in r.recommendations]
        + [_Item(i.text, 10**6 + i.order, i.on_subject, i.key) for i in g if learning.is_actionable(i.text)]
        for r, g in zip(reviews, finding_groups)
    ]
    four, four_texts, _ = _choose(learning_groups, BUDGETS[4], keep_order=not theme)
    taken = {i.key for i in four}
    three, three_texts, _ = _choose([[i for i in g if i.key not in taken] for g in finding_groups], BUDGETS[3],
                                    keep_order=not theme)
    shown = {i.key for i, text in [*zip(three, three_texts), *zip(four, four_texts)] if text == i.text}
    rec_keys = {rec["id"] for r in reviews for rec in r.recommendations}
    action_groups = [[_Item(_action_line(a, agencies, who(r)), a["ord"], on(a), a["id"]) for a in r.actions]
                     for r in reviews]
    n_actions = sum(len(g) for g in action_groups)
    five, five_texts, _ = _choose(action_groups, BUDGETS[5], keep_order=not theme)
    shown_actions = sum(1 for i, text in zip(five, five_texts) if text == i.text)
    where = "these reviews" if theme else "this review"
    return [
        Section(3, TITLES[3], three_texts or [f"No findings are recorded for {where} yet: see the full report."],
                n_findings - len(shown - rec_keys), n_findings, "findings"),
        Section(4, TITLES[4], four_texts or [f"No recommendations of {where} are recorded in words we can "
                                             "show: see the full report."],
                n_recs - len(shown & rec_keys), n_recs, "recommendations"),
        Section(5, TITLES[5], five_texts or [f"No agency actions are recorded for {where} yet; the "
                                             "recommendations describe the practice expected."],
                n_actions - shown_actions, n_actions, "agency actions"),
    ]


def _sources(reviews: list[_Review]) -> list[Source]:
    return [Source(r.row["id"], r.row["title"], r.who, r.row["publisher"], r.row["published"], r.row["report_url"],
                   any(rec["wording"] == "summary" for rec in r.recommendations)) for r in reviews]


def _names(items: list[str]) -> str:
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1] if items else ""


def _unavailable(reviews: list[_Review], agencies: dict[str, str], theme: bool) -> list[str]:
    """One line on recommendations we hold only as stand-ins (their wording was not available)."""
    with_stand_ins = [r for r in reviews if r.placeholders]
    if not with_stand_ins:
        return []
    if theme:
        return [f"Recommendations of {_names([r.who for r in with_stand_ins])} are not shown: their wording "
                "was not available to us; they are in the published reports."]
    slugs = dict.fromkeys(s for rec in with_stand_ins[0].placeholders for s in (rec["agencies"] or "").split("|") if s)
    to = f" to {_names([agencies.get(s, s) for s in slugs])}" if slugs else ""
    return [f"The review's recommendations{to} are not shown: their wording was not available to us; "
            "they are in the published report."]


def _recurring_lines(conn: sqlite3.Connection, review_id: str, limit: int = 2) -> list[str]:
    """'Recommended before' lines: asks of this review that other reviews made too (the strongest
    reason why the learning matters). Empty when nothing recurs."""
    rows = _rows(conn, """
        SELECT g.id, g.key_phrases, r.number,
          (SELECT COUNT(DISTINCT o.review_id) FROM recurring_members o WHERE o.group_id = g.id
             AND o.review_id != :id) AS others,
          (SELECT MIN(o.year) FROM recurring_members o WHERE o.group_id = g.id AND o.review_id != :id) AS since
        FROM recurring_members m JOIN recurring_groups g ON g.id = m.group_id
        JOIN recommendations r ON r.id = m.item_id
        WHERE m.review_id = :id AND g.kind = 'recommendation'
        ORDER BY others DESC, r.rowid""", {"id": review_id})
    lines, seen = [], set()
    for row in rows:
        if row["id"] in seen or not row["others"]:
            continue
        seen.add(row["id"])
        phrases = ", ".join(json.loads(row["key_phrases"] or "[]")[:2])
        reviews = "another review" if row["others"] == 1 else f"{row['others']} other reviews"
        since = f" (since {row['since']})" if row["since"] else ""
        lines.append(f"Recommended before: {reviews}{since} asked for much the same as recommendation "
                     f"{row['number']}{f' ({phrases})' if phrases else ''}.")
        if len(lines) >= limit:
            break
    return lines


def review_briefing(conn: sqlite3.Connection, review_id: str, prepared_on: date | None = None) -> Briefing:
    """The briefing for one review; raises BriefingNotFound naming the id (or saying it holds no learning)."""
    found = _rows(conn, "SELECT * FROM reviews WHERE id = :id", {"id": review_id})
    if not found:
        raise BriefingNotFound(f"no review with id '{review_id}'")
    review = _read_review(conn, found[0])
    if not review.holds_learning:
        raise BriefingNotFound(f"review '{review_id}' holds no findings or recommendations we could read, "
                               "so there is no briefing for it")
    row = review.row
    themes = _rows(
        conn,
        "SELECT t.slug, t.name, t.description FROM review_themes rt JOIN themes t ON t.slug = rt.theme"
        " WHERE rt.review_id = :id ORDER BY rt.rowid", {"id": review_id},
    )
    agencies = _agency_names(conn)
    context = f"{row['title']}, published by {row['publisher'] or 'the partnership'}" \
              f" ({human_date(row['published'])})."
    if row["period"]:
        context += f" Period reviewed: {row['period']}."
    background = [context] + ([row["summary"]] if row["summary"] else [])
    why = _recurring_lines(conn, review_id) + [
        f"{t['name']}: {t['description']}" if t["description"] else t["name"] for t in themes]
    sections = [
        _plain_section(1, background, "No summary is recorded for this review."),
        # Section 2 is our vocabulary, not the review: shortening it is not worth a note.
        Section(2, TITLES[2], fit_items(why, BUDGETS[2])[0] or ["See the full review for why this learning matters."]),
        *_learning_sections([review], agencies, theme=False),
        *_practice_sections([t["slug"] for t in themes]),
    ]
    return Briefing("review", review_id, f"7-minute briefing: {review.who}", prepared_on or date.today(),
                    sections, _sources([review]), f"/reviews/{review_id}",
                    _unavailable([review], agencies, theme=False))


def theme_briefing(conn: sqlite3.Connection, slug: str, prepared_on: date | None = None) -> Briefing:
    """The briefing for a theme, drawing on every review with that theme that holds learning (newest first)."""
    found = _rows(conn, "SELECT slug, name, description FROM themes WHERE slug = :slug", {"slug": slug})
    if not found:
        raise BriefingNotFound(f"no theme with slug '{slug}'")
    theme = found[0]
    # A review has the theme when it is tagged with it, or any of its findings or recommendations is.
    rows = _rows(
        conn,
        "SELECT r.* FROM reviews r WHERE r.id IN (SELECT review_id FROM review_themes WHERE theme = :slug"
        " UNION SELECT lp.review_id FROM learning_point_themes t JOIN learning_points lp"
        " ON lp.id = t.learning_point_id WHERE t.theme = :slug"
        " UNION SELECT rc.review_id FROM recommendation_themes t JOIN recommendations rc"
        " ON rc.id = t.recommendation_id WHERE t.theme = :slug)"
        " ORDER BY r.published DESC, r.id", {"slug": slug},
    )
    read = [_read_review(conn, r, slug) for r in rows]
    reviews = [r for r in read if r.holds_learning]
    if not reviews:
        raise BriefingNotFound(f"no reviews have the theme '{slug}' yet" if not rows else
                               f"no review with the theme '{slug}' holds findings or recommendations we could read")
    agencies = _agency_names(conn)
    years = sorted({r.row["published"][:4] for r in reviews if r.row["published"]})
    span = f"{years[0]} to {years[-1]}" if len(years) > 1 else (years[0] if years else "")
    intro = f"{len(reviews)} review{'s' if len(reviews) != 1 else ''} in this repository" \
            f" {'share' if len(reviews) != 1 else 'has'} the theme {theme['name']}" + (f" ({span})." if span else ".")
    background = [intro] + [f"{r.who} ({r.row['area'] or r.row['publisher']}): {sentences(r.row['summary'])[0]}"
                            for r in reviews if r.row["summary"]]
    skipped = [r.row["title"] for r in read if not r.holds_learning]
    not_available = _unavailable(reviews, agencies, theme=True)
    if skipped:
        not_available.append(f"Also tagged with this theme but holding no findings or recommendations we could "
                             f"read, so not used: {_names(skipped)}.")
    sections = [
        _plain_section(1, background, intro),
        Section(2, TITLES[2], [theme["description"]] if theme["description"] else
                ["See the reviews listed below for why this learning matters."]),
        *_learning_sections(reviews, agencies, theme=True),
        *_practice_sections([slug]),
    ]
    return Briefing("theme", slug, f"7-minute briefing: {theme['name']}", prepared_on or date.today(),
                    sections, _sources(reviews), f"/themes/{slug}", not_available)


def briefable(conn: sqlite3.Connection) -> tuple[list[dict], list[dict]]:
    """(reviews, themes) that have a briefing: each holds learning; themes with how many such reviews."""
    holding = {row[0] for row in conn.execute("SELECT DISTINCT review_id FROM learning_points")}
    holding |= {row[0] for row in conn.execute("SELECT review_id, text FROM recommendations")
                if not learning.is_placeholder(row[1])}
    reviews = [r for r in _rows(conn, "SELECT id, subject, title, published FROM reviews"
                                " ORDER BY published DESC, id", {}) if r["id"] in holding]
    pairs = _rows(conn, "SELECT review_id, theme FROM review_themes UNION SELECT lp.review_id, t.theme"
                  " FROM learning_point_themes t JOIN learning_points lp ON lp.id = t.learning_point_id"
                  " UNION SELECT r.review_id, t.theme FROM recommendation_themes t JOIN recommendations r"
                  " ON r.id = t.recommendation_id", {})
    counts: dict[str, int] = {}
    for pair in pairs:
        if pair["review_id"] in holding:
            counts[pair["theme"]] = counts.get(pair["theme"], 0) + 1
    themes = [{**t, "n": counts[t["slug"]]} for t in _rows(conn, "SELECT slug, name FROM themes ORDER BY name", {})
              if t["slug"] in counts]
    return reviews, themes


def build(conn: sqlite3.Connection, kind: str, slug: str, prepared_on: date | None = None) -> Briefing:
    """Dispatch on kind ('review' or 'theme')."""
    if kind == "review":
        return review_briefing(conn, slug, prepared_on)
    if kind == "theme":
        return theme_briefing(conn, slug, prepared_on)
    raise BriefingNotFound(f"no briefing kind '{kind}': use 'review' or 'theme'")
