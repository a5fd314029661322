"""Every forbidden change is refused and leaves the database as it was."""
from __future__ import annotations

import sqlite3

import pytest

from tests.test_tracker_fixtures import (action_row, audit_count, signed_in, tracker_app,  # noqa: F401
                                         tracker_conn)
from tracker import public

ACTION = "/tracker/actions/child-t-2022-act-1/edit"  # a police action
EDIT = {"version": "0", "delivery": "complete", "assurance": "impact-evidence-pending",
        "public_evidence": "done", "private_notes": "secret note"}


def _rec_row(conn, rec_id="child-t-2022-rec-1"):
    return conn.execute("SELECT * FROM recommendation_tracking WHERE recommendation_id = :id",
                        {"id": rec_id}).fetchone()


def test_agency_lead_updates_own_agency_action(tracker_app, tracker_conn):
    client = signed_in(tracker_app, "pat")
    assert client.post(ACTION, data=EDIT).status_code == 302
    row = action_row(tracker_conn, "child-t-2022-act-1")
    assert (row["delivery"], row["public_evidence"], row["private_notes"]) == ("complete", "done", "secret note")


@pytest.mark.parametrize("who", ["eve", "bob"])
def test_other_agency_and_board_cannot_change_an_action(tracker_app, tracker_conn, who):
    client = signed_in(tracker_app, who)
    assert client.get(ACTION).status_code == 403
    response = client.post(ACTION, data=EDIT)
    assert response.status_code == 403 and "Nothing was changed" in response.text
    assert action_row(tracker_conn, "child-t-2022-act-1") is None and audit_count(tracker_conn) == 0


def test_anonymous_post_gets_the_sign_in_page_and_changes_nothing(tracker_app, tracker_conn):
    client = tracker_app.test_client()
    for url, data in [(ACTION, EDIT), ("/tracker/recommendations/child-t-2022-rec-1/edit",
                                       {"version": "0", "response": "accepted"}),
                      ("/tracker/recommendations/child-t-2022-rec-1/actions/new",
                       {"agency": "police", "action": "x"}), ("/tracker/users/1/deactivate", {})]:
        response = client.post(url, data=data, follow_redirects=True)
        assert response.status_code == 200 and "Sign in to the recommendation tracker" in response.text
    assert action_row(tracker_conn, "child-t-2022-act-1") is None and _rec_row(tracker_conn) is None
    assert audit_count(tracker_conn) == 0


def test_agency_lead_cannot_change_due_dates_or_recommendations(tracker_app, tracker_conn):
    client = signed_in(tracker_app, "pat")
    response = client.post(ACTION, data={**EDIT, "target_date": "2030-01-01"})
    assert response.status_code == 403 and "target date" in response.text
    assert action_row(tracker_conn, "child-t-2022-act-1") is None
    for url in ("/tracker/recommendations/child-t-2022-rec-1/edit",
                "/tracker/recommendations/child-t-2022-rec-1/actions/new", "/tracker/users", "/tracker/orphans",
                "/tracker/dashboard", "/tracker/dashboard.csv"):
        assert client.get(url).status_code == 403, url
    assert client.post("/tracker/recommendations/child-t-2022-rec-1/edit",
                       data={"version": "0", "response": "not-accepted"}).status_code == 403
    assert client.post("/tracker/recommendations/child-t-2022-rec-1/actions/new",
                       data={"agency": "police", "action": "More"}).status_code == 403
    assert _rec_row(tracker_conn) is None and audit_count(tracker_conn) == 0


def test_board_reads_everything_but_changes_nothing(tracker_app, tracker_conn):
    signed_in(tracker_app, "pat").post(ACTION, data=EDIT)
    board = signed_in(tracker_app, "bob")
    page = board.get("/tracker/recommendations/child-t-2022-rec-1").text
    assert "secret note" in page and "pat" in page
    assert board.get("/tracker/dashboard").status_code == 200
    assert board.post("/tracker/recommendations/child-t-2022-rec-1/edit",
                      data={"version": "0", "response": "accepted"}).status_code == 403
    assert board.post("/tracker/users/1/deactivate").status_code == 403
    assert _rec_row(tracker_conn) is None


def test_other_agency_lead_does_not_see_private_notes(tracker_app):
    signed_in(tracker_app, "pat").post(ACTION, data=EDIT)
    page = signed_in(tracker_app, "eve").get("/tracker/recommendations/child-t-2022-rec-1").text
    assert "secret note" not in page and "done" in page


def test_admin_changes_anything(tracker_app, tracker_conn):
    admin = signed_in(tracker_app, "ann")
    assert admin.post(ACTION, data={**EDIT, "target_date": "2023-06-30"}).status_code == 302
    assert action_row(tracker_conn, "child-t-2022-act-1")["target_date"] == "2023-06-30"
    response = admin.post("/tracker/recommendations/child-t-2022-rec-1/edit",
                          data={"version": "0", "response": "accepted-in-part", "owner": "Head of Service",
                                "target_date": "2023-12-31"})
    assert response.status_code == 302
    row = _rec_row(tracker_conn)
    assert (row["response"], row["owner"], row["target_date"]) == ("accepted-in-part", "Head of Service", "2023-12-31")
    response = admin.post("/tracker/recommendations/child-t-2022-rec-1/actions/new",
                          data={"agency": "police", "action": "Train custody staff", "target_date": "2023-03-01"})
    assert response.status_code == 302
    added = action_row(tracker_conn, "child-t-2022-act-t1")
    assert (added["agency"], added["origin"], added["delivery"]) == ("police", "added", "not-started")


def test_public_functions_never_carry_names_or_private_notes(tracker_app, tracker_conn):
    signed_in(tracker_app, "pat").post(ACTION, data={**EDIT, "note": "because pat said so"})
    reviews = sqlite3.connect(tracker_app.config["DATABASE"])
    exported = repr(public.export_rows(tracker_conn, reviews)) + repr(
        public.action_states(tracker_conn, reviews, "child-t-2022-rec-1")) + repr(
        public.public_timeline(tracker_conn, "child-t-2022-rec-1", reviews))
    reviews.close()
    assert "done" in exported
    assert "secret note" not in exported and "pat" not in exported and "because" not in exported
