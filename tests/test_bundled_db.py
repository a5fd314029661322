"""The bundled reviews, built through the real pipeline: present, sourced, flagged, findable."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ingest.build import build

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "jacob-2021", "child-m-2019", "neglect-learning-review-2020", "child-k-2020", "child-r-2021",
    "children-a-f-2015", "child-y-2013", "child-j-2016", "baby-l-2016",
}


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("bundled") / "reviews.db"
    build(ROOT / "reviews", db)
    conn = sqlite3.connect(db)
    yield conn
    conn.close()


def ids(conn, sql, params=()):
    return {row[0] for row in conn.execute(sql, params)}


def test_every_bundled_review_is_present(bundled_db):
    assert ids(bundled_db, "select id from reviews") == EXPECTED


def test_each_review_has_learning_themes_and_sources(bundled_db):
    for review in EXPECTED:
        themes = ids(bundled_db, "select theme from review_themes where review_id = ?", (review,))
        assert themes, f"{review} has no themes"
        facts = bundled_db.execute("select count(*) from facts where review_id = ?", (review,)).fetchone()[0]
        learning = bundled_db.execute(
            "select count(*) from learning_points where review_id = ?", (review,)).fetchone()[0]
        assert facts + learning > 0, f"{review} ships no facts or findings"


def test_every_shipped_fact_has_a_source(bundled_db):
    """A web address, or the citation of a document that has none (the partnership's bulletin)."""
    for table in ("facts", "learning_points", "recommendations", "agency_actions"):
        missing = bundled_db.execute(
            f"select id from {table} where (source_url is null or source_url not like 'http%')"
            " and coalesce(source_citation, '') = ''").fetchall()
        assert not missing, f"{table} rows without a source: {missing}"
    cited = bundled_db.execute("select count(*) from facts where source_citation like "
                               "'Safeguarding in Education Bulletin, Issue 27%'").fetchone()[0]
    assert cited >= 3


def test_each_review_says_what_the_repository_holds(bundled_db):
    holds = dict(bundled_db.execute("select id, holds from reviews"))
    assert set(holds) == EXPECTED
    assert set(holds.values()) <= ids(bundled_db, "select slug from holdings")
    assert holds["baby-l-2016"] == "existence-only"  # nothing it found or asked is known
    assert holds["jacob-2021"] == "our-summaries"
    assert ids(bundled_db, "select agency from review_addressees where review_id = 'child-k-2020'") == {
        "health", "public-health", "national-government", "childrens-social-care"}
    assert not ids(bundled_db, "select id from recommendations where review_id = 'child-k-2020'")


def test_a_home_without_heating_is_not_tagged_radicalisation(bundled_db):
    tagged = ids(bundled_db, """select lp.id from learning_points lp
        join learning_point_themes t on t.learning_point_id = lp.id
        where t.theme = 'radicalisation' and lp.text like '%extremely%'""")
    assert not tagged


def test_every_recommendation_has_a_wording_flag(bundled_db):
    flags = ids(bundled_db, "select distinct wording from recommendations")
    assert flags and flags <= {"published", "summary"}


def test_jacob_recommendations_actions_and_agencies(bundled_db):
    addressed = ids(bundled_db, "select agency from review_addressees where review_id = 'jacob-2021'")
    assert addressed == {"police", "education", "mental-health", "housing-and-district-councils",
                         "childrens-social-care"}
    linked = bundled_db.execute("""select count(*) from agency_actions
        where review_id = 'jacob-2021' and recommendation_id is not null""").fetchone()[0]
    assert linked >= 10  # the workstreams S1 and S2 carry the reported actions
    actions = bundled_db.execute(
        "select reported, status, source_url from agency_actions where review_id = 'jacob-2021'").fetchall()
    dated = [a for a in actions if a[0]]
    assert len(dated) >= 5  # the second progress update is undated in its source, so some are null
    assert all(a[0][:4] in {"2021", "2022", "2023"} for a in dated)
    assert any(a[1] == "completed" for a in actions)


def test_child_m_threshold_of_needs_action(bundled_db):
    actions = bundled_db.execute(
        "select action from agency_actions where review_id = 'child-m-2019'").fetchall()
    assert any("Threshold" in a[0] for a in actions)


@pytest.mark.parametrize("query, expected", [
    ("exploitation", {"jacob-2021", "children-a-f-2015"}),
    ("neglect", {"neglect-learning-review-2020", "child-k-2020"}),
    ('"mental health"', {"child-m-2019"}),
])
def test_full_text_search_finds_the_expected_reviews(bundled_db, query, expected):
    found = ids(bundled_db, """
        select review_id from learning_points where rowid in
          (select rowid from learning_points_fts where learning_points_fts match :q)
        union select id from reviews where rowid in
          (select rowid from reviews_fts where reviews_fts match :q)""", {"q": query})
    assert expected <= found
