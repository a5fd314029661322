"""Sessions (issue 18, item 1): sign-out revokes on the server, and a session ends after a working
day (absolute) or two idle hours, whatever the cookie says."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.tracker_support import signed_in
from views import auth

HOUR = 3600


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def opens_tracker(app, cookie: str) -> bool:
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/tracker/").status_code == 200


def test_a_copied_cookie_no_longer_opens_the_tracker_after_sign_out(tracker_app):
    client = signed_in(tracker_app, "ann")
    copied = cookie_of(client)
    assert opens_tracker(tracker_app, copied)
    assert client.post("/sign-out").status_code == 302
    assert not opens_tracker(tracker_app, copied)
    assert client.get("/tracker/").status_code == 302
    assert signed_in(tracker_app, "ann").get("/tracker/").status_code == 200  # signing in again works


def test_the_cookie_lasts_a_working_day_not_flasks_31_days(tracker_app):
    assert tracker_app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=8)
    response = tracker_app.test_client().post("/sign-in", data={"name": "ann",
                                                                "password": "correct horse battery staple"})
    assert "Max-Age=28800" in response.headers["Set-Cookie"] or "Expires=" in response.headers["Set-Cookie"]


@pytest.fixture
def clock(monkeypatch):
    now = [1_900_000_000.0]
    monkeypatch.setattr(auth.time, "time", lambda: now[0])
    return now


def test_an_idle_session_ends_after_two_hours(tracker_app, clock):
    client = signed_in(tracker_app, "bob")
    clock[0] += 2 * HOUR - 60
    assert client.get("/tracker/").status_code == 200  # still within the idle limit, and refreshed
    clock[0] += 2 * HOUR - 60
    assert client.get("/tracker/").status_code == 200
    clock[0] += 2 * HOUR + 60
    assert client.get("/tracker/").status_code == 302


def test_a_busy_session_still_ends_after_a_working_day(tracker_app, clock):
    client = signed_in(tracker_app, "bob")
    copied = cookie_of(client)
    for _ in range(8):
        clock[0] += HOUR - 60
        assert client.get("/tracker/").status_code == 200
    clock[0] += 10 * 60  # 8 h 2 min after signing in, never idle
    assert client.get("/tracker/").status_code == 302
    assert not opens_tracker(tracker_app, copied)


def test_a_session_without_its_times_is_refused(tracker_app):
    """A cookie signed before the limits existed (user id and epoch only) signs nobody in."""
    client = tracker_app.test_client()
    with client.session_transaction() as sess:
        sess["user_id"], sess["epoch"] = 1, 0
    assert client.get("/tracker/").status_code == 302
