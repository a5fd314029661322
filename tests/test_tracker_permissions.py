"""Every forbidden change is refused and leaves the database as it was."""
from __future__ import annotations

import sqlite3


from tests.tracker_support import action_row, audit_count, signed_in
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


def test_other_agency_cannot_change_an_action(tracker_app, tracker_conn):
    client = signed_in(tracker_app, "eve")
    assert client.get(ACTION).status_code == 403
    response = client.post(ACTION, data=EDIT)
    assert response.status_code == 403 and "Nothing was changed" in response.text
    assert action_row(tracker_conn, "child-t-2022-act-1") is None and audit_count(tracker_conn) == 0


def test_board_may_only_accept_evidence_on_an_action(tracker_app, tracker_conn):
    board = signed_in(tracker_app, "bob")
    page = board.get(ACTION).text
    assert "Accept evidence of impact" in page and 'name="delivery"' not in page and 'name="private_notes"' not in page
    response = board.post(ACTION, data=EDIT)  # delivery, evidence and notes are the agency's to report
    assert response.status_code == 403 and "Nothing was changed" in response.text
    assert action_row(tracker_conn, "child-t-2022-act-1") is None and audit_count(tracker_conn) == 0
    response = board.post(ACTION, data={"version": "0", "assurance": "impact-evidenced", "note": "audit seen"})
    assert response.status_code == 302
    assert action_row(tracker_conn, "child-t-2022-act-1")["assurance"] == "impact-evidenced"


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
                "/tracker/dashboard", "/tracker/dashboard.zip"):
        assert client.get(url).status_code == 403, url
    assert client.post("/tracker/recommendations/child-t-2022-rec-1/edit",
                       data={"version": "0", "response": "not-accepted"}).status_code == 403
    assert client.post("/tracker/recommendations/child-t-2022-rec-1/actions/new",
                       data={"agency": "police", "action": "More"}).status_code == 403
    assert _rec_row(tracker_conn) is None and audit_count(tracker_conn) == 0


def test_board_reads_everything_and_records_only_the_board_s_decisions(tracker_app, tracker_conn):
    signed_in(tracker_app, "pat").post(ACTION, data=EDIT)
    board = signed_in(tracker_app, "bob")
    page = board.get("/tracker/recommendations/child-t-2022-rec-1").text
    assert "secret note" in page and "pat" in page
    assert board.get("/tracker/dashboard").status_code == 200
    form = board.get("/tracker/recommendations/child-t-2022-rec-1/edit").text
    assert "Record the board's response" in form and 'name="owner"' not in form
    assert board.post("/tracker/recommendations/child-t-2022-rec-1/edit",
                      data={"version": "0", "response": "accepted", "owner": "Head of Service"}).status_code == 403
    assert _rec_row(tracker_conn) is None
    assert board.post("/tracker/recommendations/child-t-2022-rec-1/edit",
                      data={"version": "0", "response": "accepted"}).status_code == 302
    assert _rec_row(tracker_conn)["response"] == "accepted"
    assert board.post("/tracker/recommendations/child-t-2022-rec-1/actions/new",
                      data={"agency": "police", "action": "More"}).status_code == 403
    assert board.post("/tracker/users/1/deactivate").status_code == 403
    note = tracker_conn.execute("SELECT note, user_name FROM audit WHERE field = 'response'").fetchone()
    assert tuple(note) == ("", "bob")


def test_business_unit_records_board_decisions_as_on_the_board_s_behalf(tracker_app, tracker_conn):
    admin = signed_in(tracker_app, "ann")
    page = admin.get("/tracker/recommendations/child-t-2022-rec-1/edit").text
    assert "on its behalf" in page
    admin.post("/tracker/recommendations/child-t-2022-rec-1/edit",
               data={"version": "0", "response": "accepted", "owner": "Head of Service", "note": "board 3 May"})
    admin.post(ACTION, data={**EDIT, "assurance": "impact-evidenced"})
    notes = dict(tracker_conn.execute("SELECT field, note FROM audit WHERE user_name = 'ann'").fetchall())
    assert notes["response"] == "Recorded by the business unit on behalf of the board. board 3 May"
    assert notes["assurance"] == "Recorded by the business unit on behalf of the board."
    assert notes["owner"] == "board 3 May" and notes["delivery"] == ""
    history = admin.get("/tracker/recommendations/child-t-2022-rec-1").text
    assert "Recorded by the business unit on behalf of the board. board 3 May" in history


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


def test_about_page_prints_the_rules_the_code_evaluates(tracker_app):
    from html import unescape

    from tracker import permissions

    page = unescape(tracker_app.test_client().get("/about").text)
    for rule in permissions.RULES:
        assert rule["text"] in page
    for role in permissions.role_rules():
        assert role["name"] in page
    # and the rows are what allowed() reads: a role missing from a rule's roles holds nothing
    lead = {"id": 9, "name": "x", "role": "agency-lead", "agency": "police", "active": 1}
    held = {r["key"] for r in permissions.RULES if permissions.allowed(lead, r["key"], "police")}
    assert held == {r["key"] for r in permissions.RULES if "agency-lead" in r["roles"]}
