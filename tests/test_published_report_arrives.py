"""Issue 3's last path, end to end: a partnership drops its published PDF into a review's folder.

The summaries are retired, the published wording takes over, and the board's tracked status and a
person's corrections carry over to the published recommendations.
"""
from __future__ import annotations

import sqlite3

from ingest.build import build
from tests.test_build import make_report_pdf, make_review
from tracker import public, state, store, users
from tracker.changes import update_recommendation


def _statuses(tracker_conn, db):
    reviews = sqlite3.connect(db)
    try:
        return public.recommendation_statuses(tracker_conn, reviews)
    finally:
        reviews.close()


def test_published_report_replaces_summaries_and_keeps_tracking(tmp_path):
    root = tmp_path / "reviews"
    folder = make_review(root)
    db = tmp_path / "reviews.db"
    build(root, db)
    tracker_conn = store.connect(tmp_path / "tracker.db")
    users.create_user(tracker_conn, "ann", "admin", "correct horse battery")
    admin = dict(tracker_conn.execute("select * from users where name = 'ann'").fetchone())
    with sqlite3.connect(db) as reviews:
        rec = state.load(tracker_conn, reviews).recommendations["child-v-2023-rec-s1"]
    update_recommendation(tracker_conn, admin, rec, 0, {"response": "accepted", "owner": "Police lead"})
    assert _statuses(tracker_conn, db)["child-v-2023-rec-s1"]["response"] == "accepted"

    make_report_pdf(folder / "report.pdf", [
        "Thames Valley Police should review how exploited children are identified and referred.",
        "Schools should share attendance concerns with the local authority without delay.",
    ])
    (folder / "corrections.yml").write_text("recommendations:\n  '2':\n    agencies: [education, local-authority]\n")
    build(root, db)

    with sqlite3.connect(db) as conn:
        wording = dict(conn.execute("select number, wording from recommendations"))
        agencies = {a for (a,) in conn.execute(
            "select agency from recommendation_agencies where recommendation_id = 'child-v-2023-rec-2'")}
    assert wording == {"1": "published", "2": "published"}
    assert agencies == {"education", "local-authority"}
    statuses = _statuses(tracker_conn, db)
    assert "child-v-2023-rec-s1" not in statuses
    assert statuses["child-v-2023-rec-1"]["response"] == "accepted"
    assert statuses["child-v-2023-rec-2"]["response"] is None
    with sqlite3.connect(db) as reviews:
        assert not state.load(tracker_conn, reviews).orphans
