"""Atom feeds of new reviews and recommendations: the whole repository, per theme, per agency.

Trainers and safeguarding leads follow learning as it is published. An entry's date is its
review's publication date (only as precise as the source: a month means its first day), so a
feed lists the newest published learning first. Each feed's HTML page links to it with
<link rel="alternate"> and a visible link (`feed_url`, used by the templates).
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, current_app, request, url_for

from briefings.learning import is_placeholder
from views import public_queries as queries
from views.db import get_db

bp = Blueprint("feeds", __name__)

MAX_ENTRIES = 50
SITE_TITLE = "Safeguarding review learning"
# XML 1.0 cannot carry most control characters: an entry keeps its text without them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def feed_url(kind: str = "all", slug: str | None = None) -> str:
    """The path of a feed: kind is "all", "theme" or "agency"."""
    if kind == "all":
        return url_for("feeds.all_feed")
    return url_for(f"feeds.{kind}_feed", slug=slug)


def _clean(text) -> str:
    return _NOT_XML.sub("", str(text or ""))


def published_at(published: str | None, year: int | None = None) -> datetime | None:
    """'2021', '2021-03' or '2021-03-15' as the first moment it can mean (UTC); None if unknown."""
    text = str(published or year or "")
    for fmt, length in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            return datetime.strptime(text[:length], fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    return None


def _base() -> str:
    return current_app.config.get("PUBLIC_BASE_URL") or request.url_root


def _absolute(path: str) -> str:
    return urljoin(_base(), path)


def _review_entry(review: dict) -> dict:
    return {"id": _absolute(url_for("public.review", review_id=review["id"])),
            "title": review["title"], "when": published_at(review.get("published"), review.get("year")),
            "summary": review.get("summary") or "", "kind": "Review: ", "categories": review.get("themes", [])}


def _recommendation_entry(rec: dict) -> dict:
    wording = " (our summary; the published wording was not available)" if rec.get("wording") == "summary" else ""
    return {"id": _absolute(url_for("public.recommendation", rec_id=rec["id"])),
            "title": f"Recommendation {rec['number']} of {rec['review_title']}",
            "when": published_at(rec.get("published")), "summary": f"{rec['text']}{wording}",
            "kind": "", "categories": rec.get("themes", [])}


def _with_learning(conn, reviews: list[dict], recs: list[dict]) -> list[dict]:
    """Entries for the reviews and recommendations that hold learning; placeholders are left out."""
    recs = [r for r in recs if not is_placeholder(r["text"])]
    with_findings = {row[0] for row in conn.execute("select distinct review_id from learning_points")}
    with_recs = {r["review_id"] for r in recs}
    with_recs |= {row[0] for row in conn.execute(
        "select review_id, text from recommendations where review_id not in (select review_id from learning_points)")
        if not is_placeholder(row[1])}
    kept = [r for r in reviews if r["id"] in with_findings | with_recs]
    return [_review_entry(r) for r in kept] + [_recommendation_entry(r) for r in recs]


def _render(title: str, page_path: str, self_path: str, entries: list[dict], vocab: dict) -> Response:
    """An Atom 1.0 document, newest entries first; undated entries go last with the feed's date."""
    entries = sorted(entries, key=lambda e: (e["when"] is not None, e["when"] or datetime.min.replace(tzinfo=timezone.utc)),
                     reverse=True)[:MAX_ENTRIES]
    dated = [e["when"] for e in entries if e["when"]]
    feed_updated = max(dated) if dated else datetime(1970, 1, 1, tzinfo=timezone.utc)
    fg = FeedGenerator()
    fg.id(_absolute(page_path))
    fg.title(_clean(f"{title} - {SITE_TITLE}"))
    fg.author({"name": SITE_TITLE})
    fg.link(href=_absolute(page_path), rel="alternate", type="text/html")
    fg.link(href=_absolute(self_path), rel="self", type="application/atom+xml")
    fg.subtitle("New reviews and recommendations, newest published first.")
    fg.language("en-GB")
    fg.updated(feed_updated)
    for item in reversed(entries):  # feedgen prepends each entry
        entry = fg.add_entry()
        entry.id(item["id"])
        entry.title(_clean(f"{item['kind']}{item['title']}"))
        entry.link(href=item["id"], rel="alternate", type="text/html")
        entry.summary(_clean(item["summary"]))
        entry.updated(item["when"] or feed_updated)
        if item["when"]:
            entry.published(item["when"])
        for slug in item["categories"]:
            theme = vocab["themes"].get(slug)
            entry.category(term=slug, label=_clean(theme["name"] if theme else slug))
    body = fg.atom_str(pretty=True)
    return Response(body, mimetype="application/atom+xml", headers={"Cache-Control": "public, max-age=300"})


@bp.get("/feeds/all.atom")
def all_feed():
    conn = get_db()
    entries = _with_learning(conn, queries.reviews(conn, limit=MAX_ENTRIES),
                             queries.newest_recommendations(conn, MAX_ENTRIES))
    return _render("New learning", "/", feed_url(), entries, queries.vocabulary(conn))


@bp.get("/feeds/themes/<slug>.atom")
def theme_feed(slug: str):
    conn = get_db()
    vocab = queries.vocabulary(conn)
    if slug not in vocab["themes"]:
        abort(404, description="There is no theme with that name.")
    entries = _with_learning(conn, [r for r in queries.reviews(conn) if slug in r["themes"]],
                             queries.theme_recommendations(conn, slug))
    return _render(f"Theme: {vocab['themes'][slug]['name']}", url_for("public.theme", slug=slug),
                   feed_url("theme", slug), entries, vocab)


@bp.get("/feeds/agencies/<slug>.atom")
def agency_feed(slug: str):
    conn = get_db()
    vocab = queries.vocabulary(conn)
    if slug not in vocab["agencies"]:
        abort(404, description="There is no agency with that name.")
    recs = queries.agency_recommendations(conn, slug)
    addressed = {r["review_id"] for r in recs}
    entries = _with_learning(conn, [r for r in queries.reviews(conn) if r["id"] in addressed], recs)
    return _render(f"Agency: {vocab['agencies'][slug]['name']}", url_for("public.agency", slug=slug),
                   feed_url("agency", slug), entries, vocab)
