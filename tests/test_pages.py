"""The public pages through Flask's test client: structure, status codes, headers, escaping.

The app reads the fictional sample reviews plus one hostile record (`<script>` in its text and
`javascript:` links) that must always come out escaped and unlinked.
"""
from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from search_index import SearchResults
from tests.pages_support import SCRIPT, make_app
from views import public_search

PAGES = ["/", "/search?q=neglect", "/themes", "/themes/neglect", "/reviews", "/reviews/child-t-2022",
         "/recommendations/child-t-2022-rec-1", "/agencies", "/agencies/police", "/about",
         "/reviews/child-t-2022/documents/report.pdf"]


@pytest.fixture(scope="module")
def app(built):
    return make_app(*built)


@pytest.fixture
def client(app):
    return app.test_client()


def get_soup(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return BeautifulSoup(response.data, "html.parser")


def main_text(soup) -> str:
    return " ".join(soup.select_one("main").get_text(" ").split())


# --- every page ------------------------------------------------------------------------

@pytest.mark.parametrize("url", PAGES)
def test_page_has_one_h1_landmarks_and_skip_link(client, url):
    soup = get_soup(client, url)
    assert len(soup.find_all("h1")) == 1
    assert soup.select_one("html")["lang"] == "en-GB"
    skip = soup.select_one("body > a.govuk-skip-link")
    assert skip is not None and skip["href"] == "#main-content"
    assert soup.select_one("main#main-content") is not None
    assert soup.select_one("header nav a[href='/search']") is not None
    assert soup.select_one("footer") is not None
    assert soup.find("script") is None  # no JavaScript at all: every page works without it
    assert not soup.select("[style]")  # the CSP forbids inline styles


def test_header_links_to_other_areas(client):
    soup = get_soup(client, "/")
    hrefs = {a["href"] for a in soup.select("header nav a")}
    assert {"/sign-in", "/tracker/dashboard", "/briefings", "/about", "/themes", "/reviews"} <= hrefs


def test_current_area_is_marked_in_navigation(client):
    soup = get_soup(client, "/themes/neglect")
    current = soup.select("header nav a[aria-current='page']")
    assert [a["href"] for a in current] == ["/themes"]


def test_every_form_field_has_a_label(client):
    for url in ("/", "/search?q=school", "/reviews"):
        soup = get_soup(client, url)
        for field in soup.select("input:not([type=hidden]), select"):
            assert soup.select_one(f"label[for='{field['id']}']") is not None, (url, field)


# --- security --------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/search?q=neglect", "/api/search?q=neglect", "/nope", "/search?page=abc"])
def test_security_headers(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_stylesheets_are_same_origin_and_served(client):
    soup = get_soup(client, "/")
    links = [link["href"] for link in soup.select("link[rel=stylesheet]")]
    assert links == ["/static/govuk-frontend.min.css", "/static/app.css"]
    for href in links:
        response = client.get(href)
        assert response.status_code == 200
        assert b"GDS Transport" not in response.data  # licensed for GOV.UK only
        response.close()


@pytest.mark.parametrize("url", ["/reviews/hostile-2023", "/search?q=toddler", "/search?q=neglect",
                                 "/themes/neglect", "/agencies/health", "/recommendations/hostile-2023-rec-1",
                                 "/reviews", "/"])
def test_document_text_is_escaped(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b"<script>" not in response.data
    assert b"onerror=alert" not in response.data or b"&lt;img" in response.data
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert not soup.select("a[href^='javascript']"), "javascript: links from the data must not be links"


def test_hostile_review_shows_its_text_as_text(client):
    soup = get_soup(client, "/reviews/hostile-2023")
    assert SCRIPT in soup.select_one("h1").get_text()
    assert soup.select_one(".app-summary").get_text().count("<img src=x onerror=alert(1)>") == 1
    assert soup.find("b") is None  # "<b>Partnership</b>" in the publisher stays text
    assert "No link recorded" in main_text(soup)  # the javascript: report link is dropped


def test_api_escapes_snippets(client):
    data = client.get("/api/search?q=toddler").get_json()
    assert data["total"] >= 1
    for hit in data["hits"]:
        assert "<script>" not in hit["snippet_html"]
        assert "<script>" in hit["title"] or hit["kind"] != "review"  # JSON carries raw text, not HTML


# --- errors ----------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "page=abc", "page=-1", "page=0", "page=99999", "year=xyz", "year=20222", "theme=not-a-theme",
    "agency=nobody", "review=no-such-review", "status=bogus", "kind=bogus", "type=bogus",
    "wording=exact", "sort=oldest", "q=" + "x" * 201,
])
def test_bad_search_parameters_are_friendly_400s(client, query):
    url = f"/search?{query}" if query.startswith("q=") else f"/search?q=school&{query}"
    soup = get_soup(client, url, status=400)
    assert soup.select_one("h1").get_text(strip=True) == "There is a problem with the address"
    assert soup.select_one(".app-error-detail").get_text(strip=True)
    assert "Traceback" not in soup.get_text()


@pytest.mark.parametrize("query", ["page=abc", "year=xyz", "per_page=0", "per_page=101", "theme=nope"])
def test_bad_api_parameters_are_json_400s(client, query):
    response = client.get(f"/api/search?q=school&{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["status"] == 400


@pytest.mark.parametrize("url", ["/nope", "/themes/nope", "/reviews/nope", "/recommendations/nope",
                                 "/agencies/nope", "/reviews/child-t-2022/documents/nope.pdf",
                                 "/reviews/nope/documents/report.pdf"])
def test_unknown_ids_are_friendly_404s(client, url):
    soup = get_soup(client, url, status=404)
    assert soup.select_one("h1").get_text(strip=True) == "Page not found"
    assert soup.select_one("main a[href='/search']") is not None


def test_page_past_the_last_is_404(client):
    get_soup(client, "/search?q=school&page=2", status=404)


def test_unexpected_error_is_a_friendly_500_without_internals(built):
    app = make_app(*built, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def boom():
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", "boom", boom)
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.select_one("h1").get_text(strip=True) == "Sorry, there is a problem with the service"
    assert b"secret internals" not in response.data and b"Traceback" not in response.data
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_wrong_method_is_405_page(client):
    response = client.post("/search")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert BeautifulSoup(response.data, "html.parser").select_one("h1") is not None


# --- home ------------------------------------------------------------------------------

def test_home_shows_holdings_latest_and_search(client):
    soup = get_soup(client, "/")
    stats = {dt.get_text(strip=True): dd.get_text(strip=True)
             for dt, dd in zip(soup.select(".app-stats dt"), soup.select(".app-stats dd"))}
    assert stats["Reviews"] == "4" and stats["Recommendations"] == "5"
    latest = [a["href"] for a in soup.select(".app-results .app-result h3 a")]
    assert latest[:3] == ["/reviews/family-w-2024", "/reviews/hostile-2023", "/reviews/child-t-2022"]
    form = soup.select_one("main form[role=search]")
    assert form["action"] == "/search" and form["method"] == "get"
    assert form.select_one("input[name=q]")["id"] == "home-search"
    themes = {a.get_text(strip=True): a["href"] for a in soup.select(".app-theme-counts a")}
    assert themes["Neglect"] == "/themes/neglect"


# --- search ----------------------------------------------------------------------------

def test_search_lists_highlighted_hits(client):
    soup = get_soup(client, "/search?q=school")
    assert soup.select_one("#search-q")["value"] == "school"
    count = soup.select_one(".app-result-count").get_text(" ", strip=True)
    hits = soup.select("ol.app-results > li.app-result")
    assert count.startswith(f"{len(hits)} result")
    marks = soup.select(".app-snippet mark")
    assert marks and all(m.get_text().lower().startswith("school") for m in marks)
    assert all(li.select_one("h3 a")["href"].startswith("/") for li in hits)


def test_search_facets_are_checkboxes_in_the_url(client):
    soup = get_soup(client, "/search?q=school&theme=children-missing-education")
    checked = soup.select("input.govuk-checkboxes__input[checked]")
    assert [(c["name"], c["value"]) for c in checked] == [("theme", "children-missing-education")]
    theme_values = {c["value"] for c in soup.select("input[name=theme]")}
    assert "children-missing-education" in theme_values
    label = soup.select_one(f"label[for='{checked[0]['id']}']").get_text(" ", strip=True)
    assert label.startswith("Children missing education")
    removal = soup.select_one(".app-selected-filters a")
    assert removal["href"] == "/search?q=school"
    for hit in soup.select("li.app-result"):
        assert "Child T" in hit.get_text() or "school" in hit.get_text().lower()


def test_repeated_filters_are_alternatives(client):
    one = client.get("/api/search?theme=neglect").get_json()["total"]
    two = client.get("/api/search?theme=neglect&theme=physical-abuse").get_json()["total"]
    assert two > one > 0


def test_filter_only_search_lists_documents_newest_first(client):
    soup = get_soup(client, "/search?theme=neglect&sort=date")
    assert soup.select_one("#search-sort option[selected]")["value"] == "date"
    assert len(soup.select("li.app-result")) >= 3


def test_misspelt_search_shows_corrected_results_and_offers_the_original(client):
    soup = get_soup(client, "/search?q=neglekt")
    note = soup.select_one(".app-corrected")
    assert "Showing results for neglect" in " ".join(note.get_text().split())
    link = note.select_one("a")
    assert link.get_text(strip=True) == "neglekt" and link["href"] == "/search?q=neglekt&spell=off"
    assert soup.select("li.app-result")
    # searching for exactly what was typed finds nothing and says "did you mean"
    soup = get_soup(client, "/search?q=neglekt&spell=off")
    assert soup.select_one(".app-corrected") is None and not soup.select("li.app-result")
    link = soup.select_one(".app-suggestion a")
    assert link.get_text(strip=True) == "neglect" and link["href"] == "/search?q=neglect&spell=off"


def test_query_without_all_its_words_shows_the_closest_matches(client):
    soup = get_soup(client, "/search?q=neglect+zzyzzx+qqxqqx")
    assert "No results contain all your words" in soup.select_one(".app-relaxed").get_text()
    assert soup.select("li.app-result")


def test_bad_spell_parameter_is_a_400(client):
    assert client.get("/search?q=neglect&spell=maybe").status_code == 400


def test_empty_search_shows_form_without_results(client):
    soup = get_soup(client, "/search")
    assert soup.select_one("#search-q")["value"] == ""
    assert soup.select_one(".app-result-count") is None


class FakeService:
    """Stands in for SearchService to show many pages without a large index."""

    def search(self, q, filters, page=1, per_page=20, sort="relevance", spelling=True, statuses=None):
        hit = {"kind": "recommendation", "id": "child-t-2022-rec-1", "review_id": "child-t-2022",
               "review_title": "Child T", "title": "Recommendation 1", "url": "/recommendations/child-t-2022-rec-1",
               "year": 2022, "status": "in-progress", "wording": "published", "page": 9,
               "snippet": 'a <mark class="search-hit">school</mark> &lt;script&gt;'}
        return SearchResults(hits=[hit] * per_page, total=200, page=page, pages=10,
                             facets={"theme": [("neglect", 3)]}, query=q)

    def related(self, kind, id, limit=5):
        return []


def test_pagination_keeps_the_query_and_marks_the_current_page(built):
    app = make_app(*built)
    app.extensions["search_service"] = FakeService()
    soup = get_soup(app.test_client(), "/search?q=school&theme=neglect&page=5")
    nav = soup.select_one("nav.govuk-pagination")
    current = nav.select_one("[aria-current=page]")
    assert current.get_text(strip=True) == "5"
    assert nav.select_one("a[rel=prev]")["href"] == "/search?q=school&theme=neglect&page=4"
    assert nav.select_one("a[rel=next]")["href"] == "/search?q=school&theme=neglect&page=6"
    numbers = [a.get_text(strip=True) for a in nav.select(".govuk-pagination__item a")]
    assert numbers == ["1", "3", "4", "5", "6", "7", "10"]
    assert len(nav.select(".govuk-pagination__item--ellipsis")) == 2
    snippet = soup.select_one(".app-snippet")
    assert snippet.select_one("mark.search-hit").get_text() == "school" and snippet.find("script") is None


def test_missing_index_degrades_gracefully(built, tmp_path):
    root, db = built
    app = make_app(root, db, SEARCH_INDEX_DIR=str(tmp_path / "no-index"))
    client = app.test_client()
    soup = get_soup(client, "/search?q=neglect")
    assert soup.select_one(".app-index-missing") is not None
    response = client.get("/api/search?q=neglect")
    assert response.status_code == 503 and response.get_json()["error"]["status"] == 503


# --- JSON API --------------------------------------------------------------------------

def test_api_returns_results_facets_and_links(client):
    response = client.get("/api/search?q=school&per_page=2")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["query"] == "school" and data["per_page"] == 2
    assert data["total"] >= 3 and data["pages"] == -(-data["total"] // 2)
    assert len(data["hits"]) == 2
    hit = data["hits"][0]
    assert {"kind", "id", "review_id", "title", "url", "snippet_html", "themes", "year"} <= hit.keys()
    assert hit["url"].startswith("http://localhost/")
    assert "theme" in data["facets"] and {"value", "count"} <= data["facets"]["theme"][0].keys()
    assert data["links"]["next"] == "http://localhost/api/search?q=school&page=2&per_page=2"
    assert data["links"]["prev"] is None
    assert data["links"]["html"] == "http://localhost/search?q=school"


def test_api_filters_match_html(client):
    data = client.get("/api/search?q=school&theme=children-missing-education&kind=recommendation").get_json()
    assert data["filters"] == {"kind": ["recommendation"], "theme": ["children-missing-education"]}
    assert [h["id"] for h in data["hits"]] == ["child-t-2022-rec-2"]


def test_api_is_documented_on_about(client):
    soup = get_soup(client, "/about")
    api = soup.select_one("#api")
    assert api is not None
    documented = {code.get_text() for code in soup.select(".app-api-params th code")}
    assert {"q", "page", "per_page", "sort", *public_search.FILTERS} <= documented


# --- themes ----------------------------------------------------------------------------

def test_themes_index_counts(client):
    soup = get_soup(client, "/themes")
    rows = {row.select_one("th a").get_text(strip=True): [td.get_text(strip=True) for td in row.select("td")]
            for row in soup.select(".app-theme-table tbody tr")}
    assert rows["Neglect"] == ["2", "2", "2"]


def test_theme_page_chart_and_table_agree(client):
    soup = get_soup(client, "/themes/neglect")
    assert soup.select_one("h1").get_text(strip=True) == "Neglect"
    svg = soup.select_one("svg.app-chart__svg")
    assert svg["role"] == "img" and svg.select_one("title")
    table = {row.select_one("th").get_text(strip=True): row.select_one("td").get_text(strip=True)
             for row in soup.select(".app-chart-table tbody tr")}
    assert table == {"2023": "1", "2024": "1"}
    assert len(svg.select("rect.app-chart__bar")) == len(table)
    assert [t.get_text() for t in svg.select("text.app-chart__label")] == ["2023", "2024"]


def test_theme_page_lists_learning_and_recommendations_newest_first(client):
    soup = get_soup(client, "/themes/neglect")
    sources = [a["href"] for a in soup.select(".app-learning-point a")]
    assert sources == ["/reviews/family-w-2024#lp-1", "/reviews/hostile-2023#lp-1"]
    recs = [a["href"] for a in soup.select(".app-recommendation h3 a")]
    assert recs == ["/recommendations/family-w-2024-rec-1", "/recommendations/hostile-2023-rec-1"]


def test_theme_with_nothing_tagged_has_no_chart(client):
    soup = get_soup(client, "/themes/safe-sleep")
    assert soup.select_one("svg.app-chart__svg") is None
    assert "No learning points carry this theme yet." in main_text(soup)


# --- reviews ---------------------------------------------------------------------------

def test_reviews_index_newest_first(client):
    soup = get_soup(client, "/reviews")
    assert [a["href"] for a in soup.select(".app-result h2 a")] == [
        "/reviews/family-w-2024", "/reviews/hostile-2023", "/reviews/child-t-2022", "/reviews/baby-q-2019"]


def test_review_page_sections(client):
    soup = get_soup(client, "/reviews/child-t-2022")
    assert soup.select_one("h1").get_text(strip=True) == "Child Safeguarding Practice Review: Child T"
    details = {row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(" ", strip=True)
               for row in soup.select(".app-review-details .govuk-summary-list__row")}
    assert details["Published"] == "March 2022"
    assert soup.select_one(".app-report-link")["href"] == "https://example.org/northshire/reviews/child-t.pdf"
    fact = soup.select_one(".app-fact")
    assert fact.select_one("a")["href"] == "https://example.org/northshire/reviews"
    lps = soup.select("#learning ~ ol .app-learning-point")
    assert [li["id"] for li in lps] == ["lp-1", "lp-2"]
    assert "Page 4 of report.pdf" in lps[0].get_text(" ", strip=True)
    recs = soup.select(".app-recommendation")
    assert [r["id"] for r in recs] == ["rec-child-t-2022-rec-1", "rec-child-t-2022-rec-2"]
    first = recs[0]
    assert "Published wording" in first.select_one(".app-meta").get_text()
    assert "In progress" in first.select_one(".app-meta").get_text()
    agencies = [a.get_text(strip=True) for a in first.select("ul[aria-label=Agencies] a")]
    assert sorted(agencies) == ["Police", "Safeguarding partnership"]
    assert "Page 9 of report.pdf" in first.get_text(" ", strip=True)
    actions = soup.select(".app-actions tbody tr")
    assert [tr["id"] for tr in actions] == ["action-child-t-2022-act-1", "action-child-t-2022-act-2"]
    doc = soup.select_one(".app-documents tbody tr")
    cells = [td.get_text(" ", strip=True) for td in doc.select("td")]
    assert cells[0].startswith("report.pdf") and cells[1] == "PDF" and cells[2] == "12"
    assert cells[3] == "pypdfium2 5.15.2" and cells[4] == "0" * 64


def test_uncertain_facts_are_marked(client):
    soup = get_soup(client, "/reviews/hostile-2023")
    facts = soup.select(".app-fact")
    assert len(facts) == 2
    assert facts[0].select_one(".app-uncertain") is None
    assert facts[1].select_one(".app-uncertain").get_text(strip=True) == "Uncertain"
    assert "source not recorded" in facts[1].get_text()


def test_summary_wording_is_tagged(client):
    soup = get_soup(client, "/reviews/baby-q-2019")
    rec = soup.select_one(".app-recommendation")
    assert "Summary" in rec.select_one(".app-meta").get_text()
    assert "Published wording" not in rec.get_text()


def test_document_page_anchors_paragraphs(client):
    soup = get_soup(client, "/reviews/child-t-2022/documents/report.pdf")
    assert [p["id"] for p in soup.select(".app-document-text p")] == ["p-1", "p-2"]
    assert [h.get_text(strip=True) for h in soup.select(".app-page-marker")] == ["Page 3", "Page 7"]


# --- recommendations -------------------------------------------------------------------

def test_recommendation_page(client):
    soup = get_soup(client, "/recommendations/child-t-2022-rec-2")
    assert soup.select_one("h1").get_text(strip=True) == "Recommendation 2"
    assert "track every child missing education" in soup.select_one(".app-rec-text").get_text()
    details = {row.select_one("dt").get_text(strip=True): row.select_one("dd")
               for row in soup.select(".app-rec-details .govuk-summary-list__row")}
    assert details["From"].select_one("a")["href"] == "/reviews/child-t-2022"
    assert {a["href"] for a in details["Addressed to"].select("a")} == {"/agencies/education", "/agencies/local-authority"}
    assert details["Source"].get_text(" ", strip=True) == "Page 10 of report.pdf"
    # its one action is complete, but no board response signs the recommendation off
    assert details["Status"].get_text(" ", strip=True).startswith("In progress")
    action = soup.select_one(".app-actions tbody tr")
    assert action["id"] == "action-child-t-2022-act-2"
    assert "Complete" in action.get_text() and "Education" in action.get_text()
    assert soup.select_one("#timeline") is not None


def test_recommendation_related_learning_is_never_a_wrong_suggestion(client):
    # no other sample review is about neglect or the voice of the child: nothing is better than a
    # wrong suggestion (tests/test_search.py checks that related items share the topic)
    soup = get_soup(client, "/recommendations/family-w-2024-rec-1")
    for item in soup.select(".app-related li"):
        assert "/reviews/family-w-2024" not in [a["href"] for a in item.select("a")]
    assert not soup.select(".app-related li")


def test_retired_recommendation_id_redirects(client):
    response = client.get("/recommendations/hostile-2023-rec-s1")
    assert response.status_code == 301
    assert response.headers["Location"] == "/recommendations/hostile-2023-rec-1"


def test_recommendation_timeline_shows_public_changes(built, tmp_path):
    """A change recorded in the tracker appears, dated, on the public timeline."""
    from tracker import store

    root, db = built
    conn = store.connect(tmp_path / "tracker.db")
    store.append_audit(conn, change_id="c1", at="2024-02-01T10:00:00+00:00", user=None,
                       entity="recommendation", entity_id="child-t-2022-rec-1",
                       recommendation_id="child-t-2022-rec-1", field="response",
                       old_value=None, new_value="accepted", note="", public=True)
    conn.close()
    app = make_app(root, db, TRACKER_DATABASE=str(tmp_path / "tracker.db"))
    soup = get_soup(app.test_client(), "/recommendations/child-t-2022-rec-1")
    items = soup.select(".app-timeline__item")
    assert len(items) == 1
    assert items[0].select_one("time")["datetime"] == "2024-02-01"
    assert "Accepted" in items[0].get_text()


# --- agencies and about ----------------------------------------------------------------

def test_agency_page_lists_recommendations_and_actions(client):
    soup = get_soup(client, "/agencies/police")
    assert soup.select_one("h1").get_text(strip=True) == "Police"
    assert [a["href"] for a in soup.select(".app-recommendation h3 a")] == ["/recommendations/child-t-2022-rec-1"]
    rows = soup.select(".app-actions tbody tr")
    assert len(rows) == 1 and "Audit of NRM referrals" in rows[0].get_text()
    assert rows[0].select_one(".govuk-tag").get_text(strip=True).startswith("In progress")


def test_agencies_index(client):
    soup = get_soup(client, "/agencies")
    rows = {r.select_one("th a").get_text(strip=True): [td.get_text(strip=True) for td in r.select("td")]
            for r in soup.select(".app-agency-table tbody tr")}
    assert rows["Police"] == ["1", "1"]


def test_about_page_explains_the_data(client):
    from core import status as statuses

    soup = get_soup(client, "/about")
    for anchor in ("sources", "wording", "certainty", "statuses", "brag", "themes", "agencies", "open-data", "api"):
        assert soup.select_one(f"#{anchor}") is not None, anchor
    status_labels = [dt.get_text(strip=True) for dt in soup.select("#statuses + p + dl dt")]
    assert status_labels == [s["label"] for s in statuses.PUBLIC_STATUSES]
    brag = [h.select_one(".govuk-tag").get_text(strip=True) for h in soup.select("#brag ~ h3") if h.select_one(".govuk-tag")]
    assert brag == [d["label"] for d in statuses.BRAG_DEFINITIONS]
    theme_rows = soup.select("#themes + .app-table-scroll table tbody tr")
    assert any(r.select_one("th").get_text(strip=True) == "Neglect" and r.select_one("td").get_text(strip=True)
               for r in theme_rows)
    assert soup.select_one("#open-data ~ p a")["href"] == "https://data.example.org"


# --- query-string helpers --------------------------------------------------------------

def test_page_window():
    assert public_search.page_window(1, 1) == [1]
    assert public_search.page_window(1, 4) == [1, 2, 3, 4]
    assert public_search.page_window(10, 40) == [1, None, 8, 9, 10, 11, 12, None, 40]


def test_params_round_trip_and_toggle():
    from werkzeug.datastructures import MultiDict

    known = {"theme": {"neglect": "Neglect", "early-help": "Early help"}, "agency": {}, "review": {}}
    args = MultiDict([("q", "  county   lines "), ("theme", "neglect"), ("theme", "early-help"),
                      ("theme", "neglect"), ("page", "2")])
    params = public_search.parse(args, known, {"in-progress"})
    assert params.q == "county lines" and params.filters == {"theme": ["neglect", "early-help"]}
    assert params.query_string() == "q=county+lines&theme=neglect&theme=early-help&page=2"
    assert params.toggled("theme", "neglect") == "q=county+lines&theme=early-help"
    assert params.toggled("year", "2022") == "q=county+lines&theme=neglect&theme=early-help&year=2022"
    with pytest.raises(public_search.BadParameter):
        public_search.parse(MultiDict([("theme", "x")] * 21), known, None)


def test_json_error_never_leaks_traceback(client):
    response = client.get("/api/search?page=abc")
    body = json.dumps(response.get_json())
    assert "Traceback" not in body and "page" in body
