"""Atom feeds of new reviews and recommendations: parsed with feedparser, checked against the data.

Uses the same fixture data as test_pages.py (the samples plus a hostile record), with two extra
records: a review we could not read (no learning) and one whose only recommendation is a
stand-in that says its wording was not available. Neither may appear as if it held learning.
"""
from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup

from ingest.load import write_database
from search_index import build_index
from tests.sample_data import SAMPLE_RECORDS, SOURCE
from tests.pages_support import HOSTILE, make_app

UNREAD = {
    "id": "unread-2025", "title": "Learning review on neglect (not found)", "subject": "Not known",
    "review_type": "partnership-learning-review", "publisher": "Northshire Partnership", "area": "Northshire",
    "published": "2025-01", "summary": "We could not find the document, so none are recorded here.",
    "themes": ["neglect"], "facts": [], "learning_points": [], "recommendations": [], "agency_actions": [],
}
STAND_IN = {
    "id": "stand-in-2025", "title": "Serious case review: Child S", "subject": "Child S",
    "review_type": "scr", "publisher": "Northshire Partnership", "area": "Northshire",
    "published": "2025-02-10", "summary": "A fictional review whose recommendations we could not read.",
    "themes": ["neglect"], "facts": [], "learning_points": [],
    "recommendations": [{"number": "S1", "wording": "summary", "agencies": ["police"], "themes": ["neglect"],
                         "text": "The review made recommendations to the police. This is a summary of who they "
                                 "were addressed to, not their wording, which was not available to us.",
                         "source_url": SOURCE}],
    "agency_actions": [],
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("feeds")
    db = write_database(root / "reviews.db", [*SAMPLE_RECORDS, HOSTILE, UNREAD, STAND_IN])
    build_index(db, root / "index")
    return make_app(root, db).test_client()


def parse(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")  # well-formed XML that feedparser fully understood
    assert feed.version == "atom10"
    return feed


def links(feed) -> list[str]:
    return [e.link.replace("http://localhost", "") for e in feed.entries]


def test_whole_repository_feed_lists_reviews_and_recommendations_newest_first(client):
    feed = parse(client, "/feeds/all.atom")
    assert feed.feed.title.startswith("New learning")
    assert {"/reviews/family-w-2024", "/reviews/child-t-2022", "/recommendations/child-t-2022-rec-1",
            "/recommendations/family-w-2024-rec-1"} <= set(links(feed))
    dates = [e.updated_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert feed.entries[0].updated.startswith("2024")  # family-w-2024 is the newest with learning
    for entry in feed.entries:  # every entry is complete Atom: id, title, link, date, summary
        assert entry.id.startswith("http") and entry.title and entry.link and entry.summary


def test_records_without_learning_are_left_out(client):
    feed = parse(client, "/feeds/all.atom")
    assert not {"/reviews/unread-2025", "/reviews/stand-in-2025", "/recommendations/stand-in-2025-rec-s1"} \
        & set(links(feed))


def test_theme_feed_holds_exactly_that_theme(client):
    feed = parse(client, "/feeds/themes/neglect.atom")
    assert set(links(feed)) == {"/reviews/family-w-2024", "/recommendations/family-w-2024-rec-1",
                                "/reviews/hostile-2023", "/recommendations/hostile-2023-rec-1"}
    for entry in feed.entries:
        assert "neglect" in [t.term for t in entry.tags]


def test_agency_feed_holds_recommendations_addressed_to_it(client):
    feed = parse(client, "/feeds/agencies/police.atom")
    assert set(links(feed)) == {"/reviews/child-t-2022", "/recommendations/child-t-2022-rec-1"}


def test_hostile_text_stays_text(client):
    feed = parse(client, "/feeds/themes/neglect.atom")
    hostile = next(e for e in feed.entries if e.link.endswith("/recommendations/hostile-2023-rec-1"))
    assert "<script>" in hostile.summary or "&lt;script&gt;" in hostile.summary
    assert b"<script>" not in client.get("/feeds/themes/neglect.atom").data  # escaped in the XML


@pytest.mark.parametrize("path", ["/feeds/themes/no-such-theme.atom", "/feeds/agencies/no-such-agency.atom"])
def test_unknown_theme_or_agency_is_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("page, feed", [
    ("/", "/feeds/all.atom"), ("/reviews", "/feeds/all.atom"),
    ("/themes/neglect", "/feeds/themes/neglect.atom"), ("/agencies/police", "/feeds/agencies/police.atom"),
])
def test_pages_link_to_their_feed(client, page, feed):
    soup = BeautifulSoup(client.get(page).data, "html.parser")
    alternates = [link["href"] for link in soup.select('head link[rel=alternate][type="application/atom+xml"]')]
    assert feed in alternates
    assert soup.select_one(f'main a[href="{feed}"]') is not None, "a visible link too"
    parse(client, feed)  # and the feed it links to is valid


def test_pages_link_to_the_same_rows_in_the_open_data(client):
    soup = BeautifulSoup(client.get("/themes/neglect").data, "html.parser")
    hrefs = [a["href"] for a in soup.select("main a")]
    assert ("https://data.example.org/safeguarding-reviews/recommendation_overview?themes__arraycontains=neglect" in hrefs)
