"""Every forbidden change is refused and leaves the database as it was."""
from __future__ import annotations

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
    assert audit_count(tracker_conn) == 1 + 3  # only the four users' creation rows from the fixture... minus 0
