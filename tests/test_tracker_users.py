"""User administration in the browser: add, role and agency, deactivate, one-time reset links, audit."""
from __future__ import annotations

import re

import pytest

from tests.tracker_support import PASSWORD, sign_in, signed_in
from tracker import users

NEW_PASSWORD = "a fresh long passphrase"


def _id(conn, name: str) -> int:
    return conn.execute("SELECT id FROM users WHERE name = :n", {"n": name}).fetchone()[0]


def _link(html: str) -> str:
    match = re.search(r'<code id="reset-link"[^>]*>([^<]+)</code>', html)
    assert match, "no reset link on the page"
    return match.group(1).replace("http://localhost", "")


def _user_audit(conn, user_id: int) -> list[tuple]:
    return [tuple(r) for r in conn.execute(
        "SELECT field, user_name, old_value, new_value FROM audit WHERE entity = 'user' AND entity_id = :id"
        " ORDER BY id", {"id": str(user_id)})]


def test_admin_adds_a_user_who_sets_their_own_password_once(tracker_app, tracker_conn):
    admin = signed_in(tracker_app, "ann")
    page = admin.post("/tracker/users/new", data={"name": "Dee", "role": "agency-lead", "agency": "health"})
    assert page.status_code == 200 and "Dee has been added" in page.text
    link = _link(page.text)
    dee = _id(tracker_conn, "Dee")
    assert users.get_user(tracker_conn, dee)["agency"] == "health"
    client = tracker_app.test_client()
    assert "Choose a password" in client.get(link).text
    response = client.post(link, data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and client.get("/tracker/").status_code == 200  # signed in
    assert sign_in(tracker_app.test_client(), "Dee", NEW_PASSWORD).status_code == 302
    again = tracker_app.test_client().post(link, data={"new": "yet another passphrase", "confirm": "yet another passphrase"})
    assert again.status_code == 400 and "used or replaced" in again.text
    assert sign_in(tracker_app.test_client(), "Dee", "yet another passphrase").status_code == 401
    assert [(f, who) for f, who, _, _ in _user_audit(tracker_conn, dee)] == [
        ("created", "ann"), ("password-reset", "ann"), ("password", "Dee")]


def test_reset_link_locks_the_old_password_and_only_the_newest_link_works(tracker_app, tracker_conn):
    pat_id = _id(tracker_conn, "pat")
    pat = signed_in(tracker_app, "pat")
    admin = signed_in(tracker_app, "ann")
    first = _link(admin.post(f"/tracker/users/{pat_id}/reset-link").text)
    second = _link(admin.post(f"/tracker/users/{pat_id}/reset-link").text)
    assert pat.get("/tracker/").status_code == 302  # signed out everywhere
    assert sign_in(tracker_app.test_client(), "pat", PASSWORD).status_code == 401  # old password locked
    client = tracker_app.test_client()
    assert client.get(first).status_code == 400
    assert client.post(first, data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 400
    assert client.post(second, data={"new": "short", "confirm": "short"}).status_code == 400
    assert client.post(second, data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert sign_in(tracker_app.test_client(), "pat", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxLCJoIjoiYWJjIn0.forged.sig"])
def test_forged_reset_links_change_nothing(tracker_app, tracker_conn, token):
    before = tracker_conn.execute("SELECT password_hash FROM users ORDER BY id").fetchall()
    response = tracker_app.test_client().post(f"/account/reset/{token}", data={"new": NEW_PASSWORD,
                                                                               "confirm": NEW_PASSWORD})
    assert response.status_code == 400 and "not valid" in response.text
    assert tracker_conn.execute("SELECT password_hash FROM users ORDER BY id").fetchall() == before


def test_reset_links_expire(tracker_conn, monkeypatch):
    ann = users.get_user(tracker_conn, _id(tracker_conn, "ann"))
    token = users.issue_reset(tracker_conn, ann, _id(tracker_conn, "pat"), "k")
    monkeypatch.setattr(users, "RESET_HOURS", 0)
    import time
    time.sleep(1.1)
    with pytest.raises(users.UserError, match="expired"):
        users.user_for_reset(tracker_conn, token, "k")
    with pytest.raises(users.UserError, match="not valid"):
        users.user_for_reset(tracker_conn, token, "another key")


def test_admin_changes_role_and_agency_and_the_user_is_signed_out(tracker_app, tracker_conn):
    pat_id = _id(tracker_conn, "pat")
    pat = signed_in(tracker_app, "pat")
    admin = signed_in(tracker_app, "ann")
    response = admin.post(f"/tracker/users/{pat_id}", data={"role": "agency-lead", "agency": "education"})
    assert response.status_code == 302
    assert users.get_user(tracker_conn, pat_id)["agency"] == "education"
    assert pat.get("/tracker/").status_code == 302
    response = admin.post(f"/tracker/users/{pat_id}", data={"role": "board", "agency": "education"})
    assert response.status_code == 302
    assert (users.get_user(tracker_conn, pat_id)["role"], users.get_user(tracker_conn, pat_id)["agency"]) == \
        ("board", None)
    bad = admin.post(f"/tracker/users/{pat_id}", data={"role": "agency-lead", "agency": ""})
    assert bad.status_code == 400 and "needs an agency" in bad.text
    audit = _user_audit(tracker_conn, pat_id)
    assert [f for f, *_ in audit] == ["created", "role", "role"]
    assert audit[1][2:] == ("pat (Agency lead, police)", "pat (Agency lead, education)")
    page = admin.get(f"/tracker/users/{pat_id}").text
    assert "Agency lead, education" in page and "Board member" in page


def test_last_administrator_is_protected(tracker_app, tracker_conn):
    ann_id = _id(tracker_conn, "ann")
    admin = signed_in(tracker_app, "ann")
    response = admin.post(f"/tracker/users/{ann_id}", data={"role": "board", "agency": ""})
    assert response.status_code == 400 and "last active administrator" in response.text
    admin.post(f"/tracker/users/{ann_id}/deactivate")
    assert users.get_user(tracker_conn, ann_id)["active"] == 1
    with pytest.raises(users.UserError, match="last active administrator"):
        users.set_active(tracker_conn, {"id": -1, "name": "system"}, ann_id, False)
    # with a second administrator, ann may step down (and keeps her session as a board member)
    admin.post("/tracker/users/new", data={"name": "Abe", "role": "admin", "agency": ""})
    assert admin.post(f"/tracker/users/{ann_id}", data={"role": "board", "agency": ""}).status_code == 302
    assert users.get_user(tracker_conn, ann_id)["role"] == "board"
    assert admin.get("/tracker/users").status_code == 403 and admin.get("/tracker/dashboard").status_code == 200


def test_only_administrators_manage_users(tracker_app, tracker_conn):
    pat_id = _id(tracker_conn, "pat")
    before = tracker_conn.execute("SELECT * FROM users ORDER BY id").fetchall()
    for name in ("bob", "pat", "eve"):
        client = signed_in(tracker_app, name)
        for url in ("/tracker/users", "/tracker/users/new", f"/tracker/users/{pat_id}"):
            assert client.get(url).status_code == 403, (name, url)
        assert client.post("/tracker/users/new", data={"name": "Mal", "role": "admin"}).status_code == 403
        assert client.post(f"/tracker/users/{pat_id}", data={"role": "admin"}).status_code == 403
        assert client.post(f"/tracker/users/{pat_id}/reset-link").status_code == 403
        assert client.post(f"/tracker/users/{pat_id}/deactivate").status_code == 403
    assert tracker_conn.execute("SELECT * FROM users ORDER BY id").fetchall() == before


def test_deactivated_users_get_no_reset_link_and_reactivation_is_audited(tracker_app, tracker_conn):
    pat_id = _id(tracker_conn, "pat")
    admin = signed_in(tracker_app, "ann")
    admin.post(f"/tracker/users/{pat_id}/deactivate")
    page = admin.post(f"/tracker/users/{pat_id}/reset-link", follow_redirects=True).text
    assert "reactivate the account first" in page and 'id="reset-link"' not in page
    admin.post(f"/tracker/users/{pat_id}/activate")
    assert [f for f, *_ in _user_audit(tracker_conn, pat_id)] == ["created", "active", "active"]
    assert "Deactivated" not in admin.get("/tracker/users").text
