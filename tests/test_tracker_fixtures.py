"""The tracker fixtures (tests/conftest.py) give four users who can sign in, and data to track."""
from __future__ import annotations

from tests.tracker_support import USERS, sign_in, signed_in


def test_fixture_users_can_sign_in(tracker_app):
    for name in USERS:
        client = tracker_app.test_client()
        assert sign_in(client, name).status_code == 302
        assert client.get("/tracker/").status_code == 200


def test_sample_has_ingested_actions_to_track(tracker_app):
    client = signed_in(tracker_app, "ann")
    page = client.get("/tracker/recommendations/child-t-2022-rec-1").text
    assert "child-t-2022-act-1" in page and "Audit of NRM referrals" in page
