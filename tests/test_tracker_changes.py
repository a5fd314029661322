"""The audit trail and optimistic concurrency: two people editing one action lose nothing."""
from __future__ import annotations

import sqlite3

import pytest

from tests.tracker_support import action_row, signed_in
from tracker import public

ACTION = "/tracker/actions/child-t-2022-act-1/edit"
BASE = {"delivery": "in-progress", "assurance": "impact-evidence-pending", "public_evidence": "",
        "private_notes": ""}


def test_every_change_is_audited_with_who_when_from_to_and_note(tracker_app, tracker_conn):
    client = signed_in(tracker_app, "pat")
    client.post(ACTION, data={**BASE, "version": "0", "delivery": "in-progress-at-risk", "note": "staffing"})
    client.post(ACTION, data={**BASE, "version": "1", "delivery": "complete", "public_evidence": "Audit report",
                              "note": "finished"})
    rows = tracker_conn.execute("SELECT * FROM audit WHERE entity = 'action' ORDER BY id").fetchall()
    got = [(r["user_name"], r["field"], r["old_value"], r["new_value"], r["note"]) for r in rows]
    assert got == [
        ("pat", "delivery", "in-progress", "in-progress-at-risk", "staffing"),
        ("pat", "delivery", "in-progress-at-risk", "complete", "finished"),
        ("pat", "public_evidence", "", "Audit report", "finished"),
    ]
    assert all(r["at"].startswith("20") and r["recommendation_id"] == "child-t-2022-rec-1" for r in rows)
    assert action_row(tracker_conn, "child-t-2022-act-1")["version"] == 2
    with pytest.raises(sqlite3.IntegrityError):
        tracker_conn.execute("UPDATE audit SET user_name = 'someone else'")


def test_unchanged_submission_writes_nothing(tracker_app, tracker_conn):
    client = signed_in(tracker_app, "pat")
    assert client.post(ACTION, data={**BASE, "version": "0"}).status_code == 302
    assert action_row(tracker_conn, "child-t-2022-act-1") is None
    assert tracker_conn.execute("SELECT COUNT(*) FROM audit WHERE entity = 'action'").fetchone()[0] == 0


def test_second_editor_gets_a_conflict_and_keeps_their_input(tracker_app, tracker_conn):
    first, second = signed_in(tracker_app, "pat"), signed_in(tracker_app, "ann")
    assert 'name="version" value="0"' in first.get(ACTION).text
    assert 'name="version" value="0"' in second.get(ACTION).text
    assert first.post(ACTION, data={**BASE, "version": "0", "delivery": "in-progress-on-track",
                                    "public_evidence": "First editor's evidence"}).status_code == 302
    response = second.post(ACTION, data={**BASE, "version": "0", "delivery": "in-progress-off-track",
                                         "public_evidence": "Second editor's careful words"})
    assert response.status_code == 409
    assert "Someone else saved a change" in response.text
    assert "Second editor&#39;s careful words" in response.text  # their input, still in the form
    assert "First editor&#39;s evidence" in response.text  # the saved value, shown to compare
    assert 'name="version" value="1"' in response.text
    row = action_row(tracker_conn, "child-t-2022-act-1")
    assert (row["delivery"], row["version"]) == ("in-progress-on-track", 1)
    # Having seen the other change, they save again deliberately, and it goes through.
    again = second.post(ACTION, data={**BASE, "version": "1", "delivery": "in-progress-off-track",
                                      "public_evidence": "Second editor's careful words"})
    assert again.status_code == 302
    assert action_row(tracker_conn, "child-t-2022-act-1")["delivery"] == "in-progress-off-track"


def test_recommendation_conflict(tracker_app, tracker_conn):
    url = "/tracker/recommendations/child-t-2022-rec-2/edit"
    admin1, admin2 = signed_in(tracker_app, "ann"), signed_in(tracker_app, "ann")
    assert admin1.post(url, data={"version": "0", "response": "accepted", "owner": "A"}).status_code == 302
    response = admin2.post(url, data={"version": "0", "response": "not-accepted", "owner": "B"})
    assert response.status_code == 409 and 'value="B"' in response.text
    row = tracker_conn.execute("SELECT response, owner FROM recommendation_tracking").fetchone()
    assert tuple(row) == ("accepted", "A")


def test_bad_values_are_refused_with_a_clear_message(tracker_app, tracker_conn):
    admin = signed_in(tracker_app, "ann")
    for data, message in [({"delivery": "finished-ish"}, "Delivery must be one of"),
                          ({"target_date": "31/12/2023"}, "YYYY-MM-DD"),
                          ({"delivery": "in-progress-on-track", "version": "abc"}, "Not a valid integer")]:
        response = admin.post(ACTION, data={**BASE, "version": "0", **data})
        assert response.status_code == 400 and message in response.text, message
    assert action_row(tracker_conn, "child-t-2022-act-1") is None


def test_public_timeline_is_dated_and_anonymous(tracker_app, tracker_conn):
    client = signed_in(tracker_app, "pat")
    client.post(ACTION, data={**BASE, "version": "0", "delivery": "complete", "private_notes": "hidden text",
                              "public_evidence": "Published audit"})
    signed_in(tracker_app, "ann").post("/tracker/recommendations/child-t-2022-rec-1/edit",
                                       data={"version": "0", "response": "accepted", "owner": "Ms Owner"})
    reviews = sqlite3.connect(tracker_app.config["DATABASE"])
    timeline = public.public_timeline(tracker_conn, "child-t-2022-rec-1", reviews)
    reviews.close()
    summaries = [t["summary"] for t in timeline]
    assert "Response changed from not set to Accepted" in summaries
    assert ("Delivery changed from In progress (not rated) to Complete"
            " (Police action: Audit of NRM referrals for exploited children.)") in summaries
    assert "Public evidence updated (Police action: Audit of NRM referrals for exploited children.): " \
           "Published audit" in summaries
    assert "child-t-2022-act-1" not in repr(summaries)
    assert all(t["date"] == t["at"][:10] for t in timeline)
    text = repr(timeline)
    assert "hidden text" not in text and "Ms Owner" not in text and "pat" not in text and "ann" not in text
