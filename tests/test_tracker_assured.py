"""Every path that could make a recommendation Assured: only the board's acceptance does.

Assured needs the board's accepting response and accepted evidence of impact for every delivered
action. Agency leads report delivery and offer evidence; the board (or the business unit on its
behalf, recorded as such) accepts it.
"""
from __future__ import annotations

import itertools
import sqlite3

import pytest

from core import status as statuses
from tests.tracker_support import TODAY, action_row, signed_in
from tracker import changes, permissions, public, users
from tracker import state as state_mod

REC, ACT = "child-t-2022-rec-2", "child-t-2022-act-2"  # education's action, reported "completed"
POLICE_REC, POLICE_ACT = "child-t-2022-rec-1", "child-t-2022-act-1"


def _user(conn, name):
    return users.get_user(conn, conn.execute("SELECT id FROM users WHERE name = :n", {"n": name}).fetchone()[0])


def _state(app, conn) -> state_mod.TrackerState:
    reviews = sqlite3.connect(app.config["DATABASE"])
    try:
        return state_mod.load(conn, reviews)
    finally:
        reviews.close()


def _status(app, conn, rec_id=REC) -> str:
    return _state(app, conn).recommendations[rec_id].status()


def _save_action(app, conn, who, action_id, **fields):
    loaded = _state(app, conn)
    action, _ = loaded.find_action(action_id)
    return changes.update_action(conn, _user(conn, who), action, action.version, fields)


def _respond(app, conn, who, rec_id, response):
    rec = _state(app, conn).recommendations[rec_id]
    return changes.update_recommendation(conn, _user(conn, who), rec, rec.version, {"response": response})


def test_an_agency_lead_can_never_make_a_recommendation_assured(tracker_app, tracker_conn):
    """Every delivery and assurance an agency lead may submit, with and without a board response."""
    eve = "eve"  # education's lead owns child-t-2022-act-2
    for response in (None, "accepted"):
        if response:
            _respond(tracker_app, tracker_conn, "bob", REC, response)
        for delivery, assurance in itertools.product(statuses.keys(statuses.DELIVERY, True),
                                                     statuses.keys(statuses.ASSURANCE)):
            try:
                _save_action(tracker_app, tracker_conn, eve, ACT, delivery=delivery, assurance=assurance,
                             public_evidence=f"evidence for {delivery}")
            except permissions.PermissionDenied as exc:
                assert assurance == statuses.EVIDENCE_ACCEPTED and "accepted evidence" in str(exc)
            assert _status(tracker_app, tracker_conn) != "assured", (response, delivery, assurance)
    assert action_row(tracker_conn, ACT)["assurance"] != statuses.EVIDENCE_ACCEPTED


def test_the_lead_s_form_offers_evidence_but_cannot_accept_it(tracker_app, tracker_conn):
    lead = signed_in(tracker_app, "eve")
    form = lead.get(f"/tracker/actions/{ACT}/edit").text
    assert 'value="impact-evidence-offered"' in form and 'value="impact-evidenced"' not in form
    assert "only the board can accept it" in form
    response = lead.post(f"/tracker/actions/{ACT}/edit", data={"version": "0", "delivery": "complete",
                                                               "assurance": "impact-evidenced"})
    assert response.status_code == 403 and "accepted evidence of impact" in response.text
    assert action_row(tracker_conn, ACT) is None
    assert lead.post(f"/tracker/actions/{ACT}/edit", data={"version": "0", "delivery": "complete",
                                                           "assurance": "impact-evidence-offered",
                                                           "public_evidence": "Audit of 40 cases"}).status_code == 302
    assert _status(tracker_app, tracker_conn) == "in-progress"  # no board response yet


def test_a_lead_cannot_withdraw_evidence_the_board_accepted(tracker_app, tracker_conn):
    _save_action(tracker_app, tracker_conn, "bob", ACT, assurance=statuses.EVIDENCE_ACCEPTED)
    with pytest.raises(permissions.PermissionDenied):
        _save_action(tracker_app, tracker_conn, "eve", ACT, assurance="impact-evidence-pending")
    _save_action(tracker_app, tracker_conn, "eve", ACT, delivery="complete-late")  # delivery stays theirs
    assert action_row(tracker_conn, ACT)["assurance"] == statuses.EVIDENCE_ACCEPTED


@pytest.mark.parametrize("who, on_behalf", [("bob", False), ("ann", True)])
def test_the_board_or_the_business_unit_on_its_behalf_assures(tracker_app, tracker_conn, who, on_behalf):
    _save_action(tracker_app, tracker_conn, "eve", ACT, delivery="complete", assurance="impact-evidence-offered")
    _save_action(tracker_app, tracker_conn, who, ACT, assurance=statuses.EVIDENCE_ACCEPTED)
    assert _status(tracker_app, tracker_conn) == "in-progress"  # accepted evidence but no response
    _respond(tracker_app, tracker_conn, who, REC, "accepted")
    assert _status(tracker_app, tracker_conn) == "assured"
    notes = [r[0] for r in tracker_conn.execute(
        "SELECT note FROM audit WHERE user_name = :who AND field IN ('assurance', 'response')", {"who": who})]
    assert len(notes) == 2 and all((permissions.ON_BEHALF_NOTE in n) == on_behalf for n in notes)


def test_accepting_in_part_also_signs_off_but_awaiting_or_not_accepted_never_assures(tracker_app, tracker_conn):
    _save_action(tracker_app, tracker_conn, "bob", ACT, assurance=statuses.EVIDENCE_ACCEPTED)
    for response, expected in [("awaiting-response", "awaiting-response"), ("not-accepted", "not-accepted"),
                               ("accepted-in-part", "assured")]:
        _respond(tracker_app, tracker_conn, "bob", REC, response)
        assert _status(tracker_app, tracker_conn) == expected


def test_an_added_action_takes_assured_away_until_it_is_accepted(tracker_app, tracker_conn):
    _save_action(tracker_app, tracker_conn, "bob", ACT, assurance=statuses.EVIDENCE_ACCEPTED)
    _respond(tracker_app, tracker_conn, "bob", REC, "accepted")
    assert _status(tracker_app, tracker_conn) == "assured"
    loaded = _state(tracker_app, tracker_conn)
    new_id = changes.add_action(tracker_conn, _user(tracker_conn, "ann"), loaded.recommendations[REC], "education",
                                "Second audit", None, {"education"}, {a.action_id for a in loaded.all_actions()})
    assert _status(tracker_app, tracker_conn) == "in-progress"
    _save_action(tracker_app, tracker_conn, "eve", new_id, delivery="complete")
    assert _status(tracker_app, tracker_conn) == "completed"
    _save_action(tracker_app, tracker_conn, "bob", new_id, assurance=statuses.EVIDENCE_ACCEPTED)
    assert _status(tracker_app, tracker_conn) == "assured"


def test_closing_every_action_without_action_completes_but_never_assures():
    assert statuses.recommendation_status("accepted", [("closed-without-action", "impact-evidenced")]) == "completed"


def test_sources_reporting_assured_actions_never_assure_without_the_board(tracker_app, tracker_conn):
    """An action plan may call an action assured; with no board response it is only in progress."""
    reported = [statuses.INGESTED_STATUS["assured"], statuses.INGESTED_STATUS["assured"]]
    assert statuses.recommendation_status(None, reported) == "in-progress"
    assert statuses.recommendation_status(None, [("complete", statuses.EVIDENCE_ACCEPTED)]) == "in-progress"


def test_public_pages_and_open_data_say_assured_only_after_the_board(tracker_app, tracker_conn):
    reviews = sqlite3.connect(tracker_app.config["DATABASE"])
    _save_action(tracker_app, tracker_conn, "eve", ACT, delivery="complete", assurance="impact-evidence-offered")
    rows = {r["recommendation_id"]: r for r in public.export_rows(tracker_conn, reviews, TODAY)[0]}
    assert rows[REC]["status"] == "in-progress"
    _save_action(tracker_app, tracker_conn, "bob", ACT, assurance=statuses.EVIDENCE_ACCEPTED)
    _respond(tracker_app, tracker_conn, "bob", REC, "accepted")
    rows = {r["recommendation_id"]: r for r in public.export_rows(tracker_conn, reviews, TODAY)[0]}
    assert (rows[REC]["status"], rows[REC]["brag"]) == ("assured", "blue")
    reviews.close()


def test_inactive_or_signed_out_users_hold_no_rule(tracker_conn):
    bob = {**_user(tracker_conn, "bob"), "active": 0}
    for rule in permissions.RULES:
        assert not permissions.allowed(bob, rule["key"], "police")
        assert not permissions.allowed(None, rule["key"], "police")
