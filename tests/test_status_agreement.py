"""The site and the open data show the same status and BRAG for every recommendation and action.

Both come from one rule (core/status.py through tracker.public.export_rows); the open data is
rewritten after every tracker change (views/published.py). This test changes the tracker through
the app, as a board member would, then reads every recommendation page and compares it with the
open-data file, row by row.
"""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from bs4 import BeautifulSoup

from core import status as status_rule
from tracker import publish
from tests.tracker_support import make_app, signed_in

# An overdue target date (red), an on-track action with a future date, an assured action (blue).
CHANGES = [
    ("/tracker/recommendations/child-t-2022-rec-1/edit",
     {"version": "0", "response": "accepted", "owner": "", "target_date": "2020-01-31"}),
    ("/tracker/actions/child-t-2022-act-1/edit",
     {"version": "0", "delivery": "in-progress-on-track", "assurance": "impact-evidence-pending",
      "target_date": "2099-12-31", "public_evidence": "Referral audit under way"}),
    ("/tracker/recommendations/child-t-2022-rec-2/edit",
     {"version": "0", "response": "accepted", "owner": "", "target_date": ""}),
    ("/tracker/actions/child-t-2022-act-2/edit",
     {"version": "0", "delivery": "complete", "assurance": "impact-evidenced", "target_date": "2023-03-31"}),
]


@pytest.fixture
def site(reviews_db_path, tmp_path):
    """An app whose tracker was changed through its own forms, with its open data published."""
    public_db = tmp_path / "public.db"
    app = make_app(reviews_db_path, tmp_path, PUBLIC_DATABASE=str(public_db))
    publish.publish(reviews_db_path, app.config["TRACKER_DATABASE"], public_db)
    from tracker import store, users

    conn = store.connect(app.config["TRACKER_DATABASE"])
    users.create_user(conn, "ann", "admin", "correct horse battery staple")
    conn.close()
    client = signed_in(app, "ann")
    for url, form in CHANGES:
        response = client.post(url, data=form)
        assert response.status_code == 302, (url, response.text[:500])
    return app, public_db


def _open_data(public_db, sql: str) -> dict[str, dict]:
    conn = sqlite3.connect(public_db)
    conn.row_factory = sqlite3.Row
    try:
        return {row[0]: dict(row) for row in conn.execute(sql)}
    finally:
        conn.close()


def _tags(cell) -> list[str]:
    return [" ".join(t.get_text(" ").split()) for t in cell.select("strong.govuk-tag")]


def test_every_recommendation_and_action_agrees_with_the_open_data(site):
    app, public_db = site
    recs = _open_data(public_db, "select * from recommendation_status order by recommendation_id")
    actions = _open_data(public_db, "select * from action_status order by action_id")
    assert len(recs) == 4 and len(actions) == 2
    assert {r["brag"] for r in recs.values()} >= {"red", "blue"}  # the changes above did show
    client = app.test_client()
    seen_actions = set()
    for rec_id, row in recs.items():
        page = BeautifulSoup(client.get(f"/recommendations/{rec_id}").data, "html.parser")
        tags = _tags(page.select_one("main p.app-meta"))
        status_shown = tags[1]
        brag_shown = tags[2].removeprefix("BRAG: ").lower() if len(tags) > 2 else None
        assert (status_shown, brag_shown) == (status_rule.label("status", row["status"]), row["brag"]), rec_id
        for tr in page.select("tr[id^=action-]"):
            action_id = tr["id"].removeprefix("action-")
            published = actions[action_id]
            cell = tr.select("td")[-1]
            shown = _tags(cell)
            brag = status_rule.brag_for_action(published["delivery"], published["assurance"],
                                               published["target_date"], date.today())
            assert shown[0] == status_rule.label("delivery", published["delivery"]), action_id
            assert (shown[1].removeprefix("BRAG: ").lower() if len(shown) > 1 else None) == brag, action_id
            assert status_rule.label("assurance", published["assurance"]) in cell.get_text(" "), action_id
            seen_actions.add(action_id)
    assert seen_actions == set(actions)


def test_the_open_data_follows_each_change_at_once(site):
    app, public_db = site
    client = signed_in(app, "ann")
    form = {"version": "1", "delivery": "in-progress-off-track", "assurance": "impact-evidence-pending",
            "target_date": "2099-12-31", "public_evidence": "Referral audit under way"}
    assert client.post("/tracker/actions/child-t-2022-act-1/edit", data=form).status_code == 302
    assert _open_data(public_db, "select action_id, delivery from action_status")["child-t-2022-act-1"]["delivery"] \
        == "in-progress-off-track"
    rec = _open_data(public_db, "select * from recommendation_status")["child-t-2022-rec-1"]
    page = BeautifulSoup(client.get("/recommendations/child-t-2022-rec-1").data, "html.parser")
    assert f"BRAG: {rec['brag'].capitalize()}" in _tags(page.select_one("main p.app-meta"))


def test_the_search_status_filter_follows_the_tracker_without_a_rebuild(site, tmp_path):
    from search_index import build_index

    app, _ = site
    build_index(app.config["DATABASE"], tmp_path / "index")
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    client = signed_in(app, "ann")

    def found(status: str) -> set[str]:
        data = client.get(f"/api/search?kind=recommendation&status={status}&per_page=50").get_json()
        return {hit["id"] for hit in data["hits"] if hit["status"] == status}

    assert "child-t-2022-rec-2" in found("assured")  # its action complete with impact evidenced
    form = {"version": "1", "delivery": "in-progress-at-risk", "assurance": "impact-evidence-pending",
            "target_date": "2023-03-31"}
    assert client.post("/tracker/actions/child-t-2022-act-2/edit", data=form).status_code == 302
    assert "child-t-2022-rec-2" not in found("assured")
    assert "child-t-2022-rec-2" in found("in-progress")


def test_actions_added_in_the_tracker_read_the_same_in_the_open_data(site):
    """An action the business unit adds has its words, review and colour in the open data, as on the site."""
    import yaml

    app, public_db = site
    client = signed_in(app, "ann")
    assert client.post("/tracker/recommendations/child-t-2022-rec-1/actions/new",
                       data={"agency": "health", "action": "Train custody nurses to spot exploitation",
                             "target_date": "2020-06-30"}).status_code == 302
    actions = _open_data(public_db, "select * from action_status order by action_id")
    added = actions["child-t-2022-act-t1"]
    assert (added["action"], added["review_id"], added["origin"], added["agency"]) == (
        "Train custody nurses to spot exploitation", "child-t-2022", "added", "health")
    page = BeautifulSoup(client.get("/recommendations/child-t-2022-rec-1").data, "html.parser")
    row = page.select_one("tr#action-child-t-2022-act-t1")
    assert "Train custody nurses to spot exploitation" in row.get_text(" ")
    for action_id, published in actions.items():  # the stored colour is the one the rule gives today
        assert published["brag"] == status_rule.brag_for_action(
            published["delivery"], published["assurance"], published["target_date"], date.today()), action_id
    from pathlib import Path

    metadata = yaml.safe_load(Path(__file__).resolve().parents[1].joinpath("metadata.yml").read_text())
    sql = metadata["databases"]["safeguarding-reviews"]["queries"]["overdue_actions"]["sql"]
    conn = sqlite3.connect(public_db)
    overdue = {r[0]: r for r in conn.execute(sql)}
    conn.close()
    assert overdue["child-t-2022-act-t1"][4] == "Train custody nurses to spot exploitation"
    assert overdue["child-t-2022-act-t1"][2] == "child-t-2022"
    assert all(r[4] for r in overdue.values())  # no action without its words


def test_public_pages_load_the_tracker_once_until_it_changes(reviews_db_path, tmp_path, monkeypatch):
    """Review and recommendation pages share one loaded tracker; a saved change is seen at once."""
    from tracker import state as state_mod
    from tracker import store, users

    app = make_app(reviews_db_path, tmp_path)
    conn = store.connect(app.config["TRACKER_DATABASE"])
    users.create_user(conn, "ann", "admin", "correct horse battery staple")
    conn.close()
    loads = []
    real_load = state_mod.load
    monkeypatch.setattr(state_mod, "load", lambda *a: loads.append(1) or real_load(*a))
    visitor = app.test_client()
    for url in ("/reviews/child-t-2022", "/recommendations/child-t-2022-rec-1",
                "/recommendations/child-t-2022-rec-2", "/reviews/child-t-2022"):
        assert visitor.get(url).status_code == 200
    assert len(loads) == 1
    url, form = CHANGES[0]
    assert signed_in(app, "ann").post(url, data=form).status_code == 302
    loads.clear()
    page = visitor.get("/recommendations/child-t-2022-rec-1").text
    assert len(loads) == 1 and "Accepted" in page
