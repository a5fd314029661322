"""The public pages: home, search (+ JSON API), themes, reviews, recommendations, agencies, about.

Each page runs a handful of queries (views/public_queries.py), at most one search and at most
one tracker load. Every URL parameter is checked (views/public_search.py); a bad one is a
friendly 400, an unknown id a 404. Statuses come only from tracker.public, which never
returns private notes or editors' names.
"""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin

from flask import (Blueprint, abort, current_app, g, jsonify, redirect, render_template, request,
                   url_for)
from markupsafe import Markup, escape

from tracker import permissions as tracker_permissions
from tracker import public as tracker_public
from core import status as status_rule
from core import vocab
from search_index import SearchService
from views import public_queries as queries
from views import extensions, public_search, search_statuses
from views.db import get_db, get_tracker_db

bp = Blueprint("public", __name__)

SEARCH_SERVICE_KEY = "search_service"

REVIEW_TYPES = vocab.names("review_types")
HIT_KINDS = vocab.names("result_kinds")
WORDING = vocab.names("wordings")


# --- the one SearchService per app -------------------------------------------------------

def search_service():
    """The app's SearchService, made on first use (after tests have set the index folder); two
    threads racing here both make one and setdefault keeps the first, so no lock is needed."""
    service = current_app.extensions.get(SEARCH_SERVICE_KEY)
    if service is None:
        service = current_app.extensions.setdefault(
            SEARCH_SERVICE_KEY, SearchService(current_app.config["SEARCH_INDEX_DIR"]))
    return service


# --- template helpers (app-wide filters and globals are in views/extensions.py) -----------

@bp.app_context_processor
def _helpers() -> dict:
    return {
        "status_label": lambda key: status_rule.label("status", key or "not-tracked"),
        "status_tag": lambda key: status_rule.STATUS_TAGS.get(key or "not-tracked", "grey"),
        "review_type_label": lambda key: REVIEW_TYPES.get(key, key or "Review"),
        "hit_kind_label": lambda key: HIT_KINDS.get(key, str(key).replace("_", " ").capitalize()),
        "safe_snippet": _safe_snippet,
    }


_HIGHLIGHT_TAG = re.compile(r"&lt;(/?)(b|strong|mark)((?: class=&#34;[A-Za-z0-9 _-]*&#34;)?)&gt;")


def _safe_snippet(hit: dict) -> Markup:
    """The service sends snippets already escaped; escaping again and restoring only the
    highlight tags means a fault there still cannot put live markup on the page."""
    text = str(escape(Markup(hit.get("snippet") or "").unescape()))
    return Markup(_HIGHLIGHT_TAG.sub(lambda m: f"<{m[1]}{m[2]}{m[3].replace('&#34;', chr(34))}>", text))


# --- small shared helpers ----------------------------------------------------------------

def _status_snapshot() -> tuple[dict[str, dict], dict[str, dict]]:
    """(rec id -> status row, action id -> status row) from one tracker load."""
    rec_rows, action_rows = tracker_public.export_rows(get_tracker_db(), get_db(), loaded=search_statuses.tracker_state())
    today = date.today()
    actions = {}
    for row in action_rows:
        row = dict(row)
        row["delivery_label"] = status_rule.label("delivery", row["delivery"])
        row["assurance_label"] = status_rule.label("assurance", row["assurance"])
        row["brag"] = status_rule.brag_for_action(row["delivery"], row["assurance"],
                                                       row["target_date"], today)
        actions[row["action_id"]] = row
    return {r["recommendation_id"]: r for r in rec_rows}, actions


def _bad_request(message: str):
    abort(400, description=message)


def _search_params(per_page_allowed: bool = False) -> tuple[public_search.SearchParams, dict]:
    """The checked parameters and the known filter values (with their labels)."""
    known = queries.known_values(get_db())
    status_keys = set(status_rule.keys(status_rule.PUBLIC_STATUSES))
    try:
        return public_search.parse(request.args, known, status_keys, per_page_allowed), known
    except public_search.BadParameter as exc:
        _bad_request(str(exc))


def _run_search(params: public_search.SearchParams):
    return search_service().search(params.q, params.filters, page=params.page,
                                   per_page=params.per_page, sort=params.sort, spelling=params.spell,
                                   statuses=search_statuses.current())


# --- pages -------------------------------------------------------------------------------

@bp.get("/")
def home():
    conn = get_db()
    themes = sorted(queries.theme_counts(conn), key=lambda t: (-t["reviews"], t["name"]))
    return render_template("home.html", totals=queries.totals(conn), themes=themes,
                           latest=queries.reviews(conn, limit=5), vocab=queries.vocabulary(conn))


@bp.get("/search")
def search():
    params, known = _search_params()
    results = _run_search(params) if params.active else None
    if results is not None and not results.index_missing and results.total and params.page > results.pages:
        abort(404, description="There are not that many pages of results.")
    facets = results.facets if results is not None and not results.index_missing else {}
    labels = _filter_value_labels(known)
    return render_template(
        "search.html", params=params, results=results,
        facets=_facet_view(params, facets, labels),
        selected=[{"name": public_search.FILTER_LABELS[name], "value": labels(name, value),
                   "query": params.toggled(name, value)}
                  for name, values in params.filters.items() for value in values],
        window=public_search.page_window(params.page, results.pages) if results else [],
    )


def _filter_value_labels(known: dict[str, dict[str, str]]):
    """A function (filter name, value) -> what a person reads: names, titles, labels."""
    status_labels = {s["key"]: s["label"] for s in status_rule.PUBLIC_STATUSES}

    def label(name: str, value) -> str:
        value = str(value)
        if name in known:
            return known[name].get(value, value)
        if name == "status":
            return status_labels.get(value, value)
        if name == "kind":
            return HIT_KINDS.get(value, value)
        if name == "type":
            return REVIEW_TYPES.get(value, value)
        if name == "wording":
            return WORDING.get(value, value)
        return value
    return label


def _facet_view(params: public_search.SearchParams, facets: dict, labels) -> list[dict]:
    """One checkbox group per filter: the service's counts, plus chosen values it did not return."""
    groups = []
    for name in public_search.FILTERS:
        chosen = params.filters.get(name, [])
        counts = [(str(value), count) for value, count in facets.get(name, [])]
        offered = {value for value, _ in counts}
        counts += [(value, 0) for value in chosen if value not in offered]
        if not counts:
            continue
        groups.append({"name": name, "label": public_search.FILTER_LABELS[name], "options": [
            {"value": value, "label": labels(name, value), "count": count, "checked": value in chosen,
             "id": f"facet-{name}-{n}"} for n, (value, count) in enumerate(counts, 1)]})
    return groups


@bp.get("/api/search")
def api_search():
    """The search as JSON for other tools; the parameters are those of /search (see /about#api)."""
    params, _known = _search_params(per_page_allowed=True)
    results = _run_search(params)
    if results.index_missing:
        return jsonify({"error": {"status": 503, "title": "Search index not built",
                                  "detail": "The search index has not been built yet."}}), 503

    def link(page: int | None) -> str | None:
        if page is None:
            return None
        return url_for("public.api_search", _external=True) + "?" + params.query_string(
            page=page if page != 1 else None, per_page=params.per_page if params.per_page != 20 else None)

    hits = []
    for hit in results.hits:
        item = {k: hit.get(k) for k in ("kind", "id", "review_id", "review_title", "title", "year",
                                        "themes", "agencies", "status", "wording", "page")}
        item["snippet_html"] = str(hit.get("snippet") or "")
        item["url"] = urljoin(request.host_url, hit.get("url") or "")
        hits.append(item)
    return jsonify({
        "query": results.query if results.query is not None else params.q,
        "filters": params.filters, "sort": params.sort,
        "page": results.page, "per_page": params.per_page, "pages": results.pages,
        "total": results.total, "suggestion": results.suggestion,
        "corrected_from": results.corrected_from, "closest_matches": results.relaxed,
        "matched_all_words": results.matched_all, "tagged_only": results.tagged_only,
        "hits": hits,
        "facets": {name: [{"value": v, "count": c} for v, c in values]
                   for name, values in results.facets.items()},
        "links": {
            "self": link(results.page),
            "next": link(results.page + 1 if results.page < results.pages else None),
            "prev": link(results.page - 1 if results.page > 1 else None),
            "html": url_for("public.search", _external=True) + "?" + params.query_string(),
        },
    })


@bp.get("/themes")
def themes():
    return render_template("themes.html", themes=queries.theme_counts(get_db()))


@bp.get("/themes/<slug>")
def theme(slug: str):
    conn = get_db()
    vocab = queries.vocabulary(conn)
    item = vocab["themes"].get(slug)
    if item is None:
        abort(404, description="There is no theme with that name.")
    by_year = queries.theme_by_year(conn, slug)
    recs = queries.theme_recommendations(conn, slug)
    statuses, _ = _status_snapshot()
    return render_template("theme.html", theme=item, vocab=vocab, by_year=_fill_years(by_year),
                           learning_points=queries.theme_learning_points(conn, slug),
                           recommendations=recs, statuses=statuses,
                           recurring=queries.recurring_asks(conn, theme=slug))


def _fill_years(rows: list[dict]) -> list[dict]:
    """Every year from the first to the last, so gaps show as empty bars rather than vanish."""
    if not rows:
        return []
    by_year = {r["year"]: r for r in rows}
    return [by_year.get(y, {"year": y, "reviews": 0, "learning_points": 0, "recommendations": 0})
            for y in range(rows[0]["year"], rows[-1]["year"] + 1)]


@bp.get("/reviews")
def reviews():
    conn = get_db()
    return render_template("reviews.html", reviews=queries.reviews(conn), vocab=queries.vocabulary(conn))


@bp.get("/reviews/<review_id>")
def review(review_id: str):
    conn = get_db()
    item = queries.review(conn, review_id)
    if item is None:
        abort(404, description="There is no review with that id.")
    statuses, action_statuses = _status_snapshot()
    return render_template(
        "review.html", review=item, vocab=queries.vocabulary(conn),
        facts=queries.facts(conn, review_id), documents=queries.documents(conn, review_id),
        learning_points=queries.review_learning_points(conn, review_id),
        recommendations=queries.review_recommendations(conn, review_id),
        actions=queries.review_actions(conn, review_id),
        statuses=statuses, action_statuses=action_statuses,
        holdings=queries.holdings(conn), addressees=queries.review_addressees(conn, review_id),
    )


@bp.get("/reviews/<review_id>/documents/<path:file>")
def document(review_id: str, file: str):
    """The text read from one document, paragraph by paragraph: where search hits on report text link."""
    conn = get_db()
    item = queries.review(conn, review_id)
    doc = queries.document(conn, review_id, file) if item else None
    if doc is None:
        abort(404, description="There is no such document.")
    return render_template("document.html", review=item, document=doc,
                           paragraphs=queries.paragraphs(conn, doc["id"]))


@bp.get("/recommendations/<rec_id>")
def recommendation(rec_id: str):
    conn = get_db()
    item = queries.recommendation(conn, rec_id)
    if item is None:
        target = queries.alias_target(conn, rec_id)
        if target and queries.recommendation(conn, target):
            return redirect(url_for("public.recommendation", rec_id=target), code=301)
        abort(404, description="There is no recommendation with that id.")
    tracker_conn = get_tracker_db()
    loaded = search_statuses.tracker_state()
    all_statuses = tracker_public.recommendation_statuses(tracker_conn, conn, loaded=loaded)
    status = all_statuses.get(rec_id, {})
    related = [h for h in search_service().related("recommendation", rec_id, limit=5)
               if h.get("review_id") != item["review_id"]]
    return render_template(
        "recommendation.html", rec=item, vocab=queries.vocabulary(conn), status=status,
        timeline=tracker_public.public_timeline(tracker_conn, rec_id, conn, loaded=loaded),
        actions=tracker_public.action_states(tracker_conn, conn, rec_id, loaded=loaded), related=related,
        recurring=queries.recurring_for(conn, rec_id), statuses=all_statuses,
        can_correct_recurring=tracker_permissions.can_manage_reviews(g.get("user")),
    )


@bp.get("/agencies")
def agencies():
    return render_template("agencies.html", agencies=queries.agency_counts(get_db()))


@bp.get("/agencies/<slug>")
def agency(slug: str):
    conn = get_db()
    vocab = queries.vocabulary(conn)
    item = vocab["agencies"].get(slug)
    if item is None:
        abort(404, description="There is no agency with that name.")
    statuses, action_statuses = _status_snapshot()
    return render_template(
        "agency.html", agency=item, vocab=vocab, statuses=statuses, action_statuses=action_statuses,
        recommendations=queries.agency_recommendations(conn, slug),
        actions=queries.agency_actions(conn, slug), recurring=queries.recurring_asks(conn, agency=slug),
    )


@bp.get("/about")
def about():
    conn = get_db()
    vocab = queries.vocabulary(conn)
    return render_template(
        "about.html", vocab=vocab, totals=queries.totals(conn), holdings=queries.holdings(conn),
        public_statuses=status_rule.PUBLIC_STATUSES, responses=status_rule.RESPONSES,
        delivery=status_rule.DELIVERY, assurance=status_rule.ASSURANCE,
        brag=status_rule.BRAG_DEFINITIONS,
        recommendation_brag_rules=status_rule.RECOMMENDATION_BRAG_RULES,
        role_rules=tracker_permissions.role_rules(), public_rule=tracker_permissions.PUBLIC_RULE,
        review_types=REVIEW_TYPES, filter_names=public_search.FILTERS,
        datasette_url=extensions.http_url(current_app.config.get("DATASETTE_URL")),
    )
