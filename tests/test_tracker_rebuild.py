"""A rebuild of the reviews database never loses tracked status: aliases are followed,
and what cannot be placed is kept and shown to administrators as orphaned."""
from __future__ import annotations

import copy
import sqlite3

from ingest.load import write_database
from tests.sample_data import SAMPLE_RECORDS
from tests.tracker_support import TODAY, signed_in
from tracker import public


def _records(alias: bool) -> list[dict]:
    """Child T's recommendation 2 renumbered 2a; Baby Q's summary S1 replaced by published 1."""
    records = copy.deepcopy(SAMPLE_RECORDS)
    child_t = next(r for r in records if r["id"] == "child-t-2022")
    child_t["recommendations"][1]["number"] = "2a"
    child_t["agency_actions"][1]["recommendation"] = "2a"
    baby_q = next(r for r in records if r["id"] == "baby-q-2019")
    baby_q["recommendations"][0].update(number="1", wording="published", text="Health visitors must refer.")
    baby_q["aliases"] = [{"old_id": "baby-q-2019-rec-s1", "new_id": "baby-q-2019-rec-1",
                          "reason": "the published report was found"}]
    if alias:
        child_t["aliases"] = [{"old_id": "child-t-2022-rec-2", "new_id": "child-t-2022-rec-2a",
                               "reason": "renumbered"}]
    return records


def _statuses(app, conn):
    reviews = sqlite3.connect(app.config["DATABASE"])
    try:
        return public.recommendation_statuses(conn, reviews, TODAY)
    finally:
        reviews.close()


def _track(app):
    admin = signed_in(app, "ann")
    for rec_id, response in [("child-t-2022-rec-2", "not-accepted"), ("baby-q-2019-rec-s1", "accepted")]:
        response = admin.post(f"/tracker/recommendations/{rec_id}/edit",
                              data={"version": "0", "response": response, "owner": "Board"})
        assert response.status_code == 302
    assert admin.post("/tracker/recommendations/baby-q-2019-rec-s1/actions/new",
                      data={"agency": "health", "action": "Bruising protocol"}).status_code == 302
    assert admin.post("/tracker/actions/child-t-2022-act-2/edit",
                      data={"version": "0", "delivery": "complete", "assurance": "impact-evidenced"}).status_code == 302
    return admin


def test_rebuild_keeps_status_follows_aliases_and_reports_orphans(tracker_app, tracker_conn, reviews_db_path):
    admin = _track(tracker_app)
    before = _statuses(tracker_app, tracker_conn)
    assert before["child-t-2022-rec-2"]["status"] == "not-accepted"
    assert before["baby-q-2019-rec-s1"]["status"] == "not-started"

    write_database(reviews_db_path, _records(alias=False))
    after = _statuses(tracker_app, tracker_conn)
    # Alias: Baby Q's tracked response and added action now show on the published recommendation.
    assert "baby-q-2019-rec-s1" not in after
    assert after["baby-q-2019-rec-1"]["response"] == "accepted"
    assert [a["action"] for a in public.action_states(tracker_conn, sqlite3.connect(reviews_db_path),
                                                      "baby-q-2019-rec-1")] == ["Bruising protocol"]
    # Orphan: Child T's old recommendation 2 has no alias, so its status is kept but not shown publicly.
    assert after["child-t-2022-rec-2a"]["response"] is None
    assert tracker_conn.execute("SELECT response FROM recommendation_tracking WHERE recommendation_id ="
                                " 'child-t-2022-rec-2'").fetchone()[0] == "not-accepted"
    orphans = admin.get("/tracker/orphans").text
    assert "child-t-2022-rec-2<" in orphans or "child-t-2022-rec-2</a>" in orphans
    assert admin.get("/tracker/recommendations/child-t-2022-rec-2").status_code == 200
    assert signed_in(tracker_app, "bob").get("/tracker/recommendations/child-t-2022-rec-2").status_code == 404
    # The action's own tracked state survived: it follows its stable action id to recommendation 2a,
    # but with no board response recorded for 2a its accepted evidence does not make 2a Assured.
    assert [a["assurance"] for a in public.action_states(tracker_conn, sqlite3.connect(reviews_db_path),
                                                         "child-t-2022-rec-2a")] == ["impact-evidenced"]
    assert after["child-t-2022-rec-2a"]["status"] == "in-progress"

    write_database(reviews_db_path, _records(alias=True))
    aliased = _statuses(tracker_app, tracker_conn)
    assert aliased["child-t-2022-rec-2a"]["status"] == "not-accepted"
    assert "child-t-2022-rec-2<" not in admin.get("/tracker/orphans").text
    # An admin edit through the new id updates the tracked row (kept under its old key): no duplicate.
    page = admin.get("/tracker/recommendations/child-t-2022-rec-2a/edit").text
    assert 'name="version" value="1"' in page
    assert admin.post("/tracker/recommendations/child-t-2022-rec-2a/edit",
                      data={"version": "1", "response": "accepted", "owner": "Board"}).status_code == 302
    rows = tracker_conn.execute("SELECT recommendation_id, response FROM recommendation_tracking"
                                " WHERE recommendation_id LIKE 'child-t-2022-rec-2%'").fetchall()
    assert [tuple(r) for r in rows] == [("child-t-2022-rec-2", "accepted")]
    timeline = public.public_timeline(tracker_conn, "child-t-2022-rec-2a", sqlite3.connect(reviews_db_path))
    assert [t["to"] for t in timeline if t["field"] == "response"] == ["Accepted", "Not accepted"]


def test_export_rows_match_public_db_columns(tracker_app, tracker_conn):
    _track(tracker_app)
    reviews = sqlite3.connect(tracker_app.config["DATABASE"])
    recs, actions = public.export_rows(tracker_conn, reviews, TODAY)
    reviews.close()
    from tracker.publish import ACTION_COLUMNS, REC_COLUMNS

    assert set(recs[0]) == set(REC_COLUMNS)
    assert set(actions[0]) == set(ACTION_COLUMNS)
    by_id = {r["recommendation_id"]: r for r in recs}
    assert by_id["child-t-2022-rec-2"]["status"] == "not-accepted" and by_id["child-t-2022-rec-2"]["brag"] is None
    assert by_id["family-w-2024-rec-1"]["status"] == "not-tracked"
    assert {a["action_id"] for a in actions} == {"child-t-2022-act-1", "child-t-2022-act-2", "baby-q-2019-act-t1"}
