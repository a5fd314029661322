"""The briefing pages: preview, edit-and-download, CSRF, the use log and 404s."""
from __future__ import annotations

import io
import re

import pytest
from bs4 import BeautifulSoup
from docx import Document
from flask import g

from app import create_app
from briefings import uses
from briefings.content import SUMMARY_LABEL, TITLES
from ingest.load import write_database
from tests.briefing_data import shared_theme_records
from tracker.store import connect

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _app(db, tmp_path, **config):
    return create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE": str(db),
                       "TRACKER_DATABASE": str(tmp_path / "tracker.db"), "WTF_CSRF_ENABLED": False,
                       "SEARCH_INDEX_DIR": str(tmp_path / "no-index"), **config})


@pytest.fixture
def client(sample_db_path, tmp_path):
    return _app(sample_db_path, tmp_path).test_client()


def _soup(response):
    return BeautifulSoup(response.data, "html.parser")


def _use_form(**changes):
    return {"delivered_on": "2026-01-15", "team": "Northshire early help team", "staff_count": "12",
            "actions_agreed": "Add a missing-education check to supervision.", **changes}


def _stored(tmp_path):
    conn = connect(tmp_path / "tracker.db")
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM briefing_uses ORDER BY id")]
    finally:
        conn.close()


def test_index_links_every_review_and_themes_in_use(client):
    soup = _soup(client.get("/briefings"))
    hrefs = {a["href"] for a in soup.select("main a")}
    assert {"/briefings/review/child-t-2022", "/briefings/review/baby-q-2019", "/briefings/review/family-w-2024",
            "/briefings/theme/neglect", "/briefings/theme/physical-abuse"} <= hrefs
    assert "/briefings/theme/radicalisation" not in hrefs  # no review has it: no empty briefing offered


def test_review_page_previews_seven_sections_with_sources_and_an_edit_form(client):
    response = client.get("/briefings/review/child-t-2022")
    assert response.status_code == 200
    soup = _soup(response)
    headings = [h.get_text(" ", strip=True) for h in soup.select(".briefing-section h3")]
    assert headings == [f"{n} {t}" for n, t in TITLES.items()]
    assert "county lines groups" in soup.select_one("#section-3").get_text()
    hrefs = {a["href"] for a in soup.select("main a")}
    assert {"https://example.org/northshire/reviews/child-t.pdf", "/reviews/child-t-2022"} <= hrefs
    assert soup.select_one("time")["datetime"]
    areas = soup.select("form textarea[name^=s]")
    assert [a["name"] for a in areas] == [f"s{n}" for n in TITLES]
    assert areas[2].get_text().startswith("Being out of education left Child T")


def test_summary_recommendation_is_tagged_on_the_page(client):
    soup = _soup(client.get("/briefings/review/baby-q-2019"))
    tag = soup.select_one("#section-4 .govuk-tag")
    assert tag.get_text(strip=True) == SUMMARY_LABEL
    assert "[" not in soup.select_one("#section-4 li").get_text()
    assert "our summaries, not the published wording" in soup.select_one("#sources").find_next("ul").get_text()


def test_theme_page_draws_on_several_reviews(tmp_path):
    db = write_database(tmp_path / "reviews.db", shared_theme_records())
    soup = _soup(_app(db, tmp_path).test_client().get("/briefings/theme/neglect"))
    sources = soup.select_one("#sources").find_next("ul").get_text()
    assert all(name in sources for name in ("Family W", "Child T", "Baby Q"))


def test_edited_sections_come_back_in_the_docx(client):
    form = {f"s{n}": f"Edited point for section {n}." for n in TITLES}
    form["s3"] = "First edited finding.\nSecond edited finding."
    response = client.post("/briefings/review/child-t-2022", data=form)
    assert response.status_code == 200 and response.mimetype == DOCX
    assert "7-minute-briefing-review-child-t-2022.docx" in response.headers["Content-Disposition"]
    cells = [c for row in Document(io.BytesIO(response.data)).tables[0].rows for c in row.cells]
    assert [p.text for p in cells[2].paragraphs[1:]] == ["First edited finding.", "Second edited finding."]
    assert cells[0].paragraphs[1].text == "Edited point for section 1."
    assert "county lines groups" not in cells[2].text
    assert "http://localhost/reviews/child-t-2022" in {
        h.address for p in cells[7].paragraphs for h in p.hyperlinks}


@pytest.mark.parametrize("url", ["/briefings/review/nobody-2020", "/briefings/theme/not-a-theme",
                                 "/briefings/theme/radicalisation", "/briefings/agency/police"])
def test_bad_slugs_give_404(client, url):
    assert client.get(url).status_code == 404
    assert client.post(url, data={"s1": "x"}).status_code == 404


def test_bad_slug_gets_the_apps_404_page(client):
    response = client.get("/briefings/review/nobody-2020")
    assert response.status_code == 404
    assert _soup(response).h1.get_text(strip=True) == "Page not found"


def test_with_csrf_enabled_a_post_without_token_is_refused(sample_db_path, tmp_path):
    client = _app(sample_db_path, tmp_path, WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/briefings/review/child-t-2022", data={"s1": "Edited."})
    assert response.status_code == 400 and response.mimetype != DOCX
    assert client.post("/briefings/review/child-t-2022/uses", data=_use_form()).status_code == 400
    assert _stored(tmp_path) == []
    # with the page's token the same download works
    token = _soup(client.get("/briefings/review/child-t-2022")).select_one("input[name=csrf_token]")["value"]
    response = client.post("/briefings/review/child-t-2022", data={"s1": "Edited.", "csrf_token": token})
    assert response.status_code == 200 and response.mimetype == DOCX


def test_a_use_is_logged_counted_and_acknowledged(client, tmp_path):
    response = client.post("/briefings/review/child-t-2022/uses", data=_use_form())
    assert response.status_code == 302
    assert response.location == "/briefings/review/child-t-2022?logged=1#log-use"
    (row,) = _stored(tmp_path)
    assert (row["kind"], row["slug"], row["delivered_on"], row["team"], row["staff_count"]) == (
        "review", "child-t-2022", "2026-01-15", "Northshire early help team", 12)
    client.post("/briefings/theme/neglect/uses", data=_use_form(team="Health visitors", logged_by="Team leader"))
    conn = connect(tmp_path / "tracker.db")
    try:
        assert uses.counts(conn) == {"review": {"child-t-2022": 1}, "theme": {"neglect": 1}}
    finally:
        conn.close()
    page = client.get(response.location).get_data(as_text=True)
    assert "has been logged" in page and "delivered 1 time to 12 staff" in page
    assert "Northshire early help team" not in page  # only counts are shown publicly


@pytest.mark.parametrize("changes, message", [
    ({"staff_count": "0"}, "Number must be between 1 and 200"),
    ({"team": ""}, "This field is required"),
    ({"delivered_on": "2999-01-01"}, "must be a past date"),
    ({"delivered_on": "yesterday"}, "Not a valid date value"),
])
def test_a_bad_use_is_refused_and_not_stored(client, tmp_path, changes, message):
    response = client.post("/briefings/review/child-t-2022/uses", data=_use_form(**changes))
    assert response.status_code == 400
    assert message in _soup(response).select_one(".govuk-error-summary").get_text()
    assert _stored(tmp_path) == []


def test_a_duplicate_use_is_refused(client, tmp_path):
    client.post("/briefings/review/child-t-2022/uses", data=_use_form())
    response = client.post("/briefings/review/child-t-2022/uses", data=_use_form())
    assert response.status_code == 400
    assert "already logged this briefing" in response.get_data(as_text=True)
    assert len(_stored(tmp_path)) == 1


def test_use_logging_is_rate_limited_per_client(sample_db_path, tmp_path):
    client = _app(sample_db_path, tmp_path, BRIEFING_USE_RATE_LIMIT=2).test_client()
    codes = [client.post("/briefings/review/child-t-2022/uses", data=_use_form(team=f"Team {i}")).status_code
             for i in range(3)]
    assert codes == [302, 302, 429]
    assert len(_stored(tmp_path)) == 2


def test_a_signed_in_users_name_is_recorded(sample_db_path, tmp_path):
    app = _app(sample_db_path, tmp_path)

    @app.before_request
    def _sign_in():  # runs after the auth blueprint's loader, standing in for a real session
        g.user = {"id": 1, "name": "board.member"}

    client = app.test_client()
    assert "Logged as board.member" in client.get("/briefings/review/child-t-2022").get_data(as_text=True)
    client.post("/briefings/review/child-t-2022/uses", data=_use_form(logged_by="someone else"))
    assert _stored(tmp_path)[0]["logged_by"] == "board.member"


def test_pages_use_no_inline_style_or_script(client):
    html = client.get("/briefings/review/child-t-2022").get_data(as_text=True)
    assert not re.search(r"<script|<style|\sstyle=", html)
