"""Sign-in: hashing, rate limiting, CSRF, session rotation, safe redirects and the user command."""
from __future__ import annotations

import pytest

from tests.tracker_support import PASSWORD, action_row, audit_count, csrf_token, make_app, sign_in, signed_in
from tracker import store, users


def test_wrong_password_is_refused_without_saying_which_part(tracker_app):
    client = tracker_app.test_client()
    for name in ("pat", "nobody"):
        response = sign_in(client, name, "not the password at all")
        assert response.status_code == 401
        assert "The user name or password is not right" in response.text
    assert client.get("/tracker/").status_code == 302


@pytest.mark.parametrize("target, expected", [
    ("/tracker/dashboard", "/tracker/dashboard"),
    ("https://evil.example/", "/tracker/"),
    ("//evil.example/x", "/tracker/"),
    ("/\\evil.example", "/tracker/"),
    ("javascript:alert(1)", "/tracker/"),
])
def test_next_only_ever_goes_to_a_local_path(tracker_app, target, expected):
    client = tracker_app.test_client()
    response = client.post("/sign-in", data={"name": "ann", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.location == expected


def test_sign_in_starts_a_fresh_session(tracker_app):
    client = tracker_app.test_client()
    with client.session_transaction() as sess:
        sess["planted"] = "attacker's value"
        sess["csrf_token"] = "attacker-known-token"
    sign_in(client, "ann")
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess.get("csrf_token") != "attacker-known-token"
        assert sess["user_id"]


def test_session_cookie_flags(tracker_app):
    client = tracker_app.test_client()
    response = sign_in(client, "ann")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_in_is_rate_limited_per_user_name(tracker_app):
    client = tracker_app.test_client()
    codes = [sign_in(client, "pat", "wrong password!!").status_code for _ in range(6)]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    blocked = sign_in(client, "pat")  # even the right password waits
    assert blocked.status_code == 429 and "Too many sign-in attempts" in blocked.text
    assert sign_in(client, "ann").status_code == 302  # another name from the same address is not locked out


def test_csrf_missing_or_wrong_token_is_a_clear_400_and_changes_nothing(reviews_db_path, tmp_path):
    app = make_app(reviews_db_path, tmp_path, WTF_CSRF_ENABLED=True)
    conn = store.connect(app.config["TRACKER_DATABASE"])
    users.create_user(conn, "pat", "agency-lead", PASSWORD, "police")
    client = app.test_client()
    assert sign_in(client, "pat").status_code == 400  # no token on the sign-in form either
    page = client.get("/sign-in").text
    ok = client.post("/sign-in", data={"name": "pat", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert ok.status_code == 302
    before = audit_count(conn)
    data = {"version": "0", "delivery": "complete", "assurance": "impact-evidence-pending"}
    for token in (None, "forged-token"):
        response = client.post("/tracker/actions/child-t-2022-act-1/edit",
                               data={**data, **({"csrf_token": token} if token else {})})
        assert response.status_code == 400
        assert "Your form could not be sent" in response.text and "Nothing was changed" in response.text
    assert action_row(conn, "child-t-2022-act-1") is None and audit_count(conn) == before
    form = client.get("/tracker/actions/child-t-2022-act-1/edit").text
    saved = client.post("/tracker/actions/child-t-2022-act-1/edit", data={**data, "csrf_token": csrf_token(form)})
    assert saved.status_code == 302
    assert action_row(conn, "child-t-2022-act-1")["delivery"] == "complete"
    conn.close()


def test_sign_out_is_a_post_and_ends_the_session(tracker_app):
    client = signed_in(tracker_app, "bob")
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 302
    assert client.get("/tracker/dashboard").status_code == 302


def test_password_change_signs_out_other_sessions(tracker_app):
    laptop, phone = signed_in(tracker_app, "pat"), signed_in(tracker_app, "pat")
    response = laptop.post("/account/password", data={"current": PASSWORD, "new": "a brand new passphrase",
                                                      "confirm": "a brand new passphrase"})
    assert response.status_code == 302
    assert laptop.get("/tracker/").status_code == 200
    assert phone.get("/tracker/").status_code == 302
    assert sign_in(tracker_app.test_client(), "pat", "a brand new passphrase").status_code == 302


def test_password_change_errors_are_shown(tracker_app):
    client = signed_in(tracker_app, "pat")
    response = client.post("/account/password", data={"current": "wrong one", "new": "a brand new passphrase",
                                                      "confirm": "a brand new passphrase"})
    assert response.status_code == 400 and "The current password is not right" in response.text
    response = client.post("/account/password", data={"current": PASSWORD, "new": "short", "confirm": "short"})
    assert response.status_code == 400 and "at least 12 characters" in response.text


def test_deactivated_user_is_signed_out_and_cannot_sign_in(tracker_app, tracker_conn):
    pat = signed_in(tracker_app, "pat")
    admin = signed_in(tracker_app, "ann")
    pat_id = tracker_conn.execute("SELECT id FROM users WHERE name = 'pat'").fetchone()[0]
    assert admin.post(f"/tracker/users/{pat_id}/deactivate").status_code == 302
    assert pat.get("/tracker/").status_code == 302
    assert sign_in(tracker_app.test_client(), "pat").status_code == 401
    assert pat.post(f"/tracker/users/{pat_id}/activate").status_code == 302  # redirected to sign-in
    assert users.get_user(tracker_conn, pat_id)["active"] == 0


def test_cli_user_add_reads_the_password_from_stdin(tracker_app, tracker_conn):
    runner = tracker_app.test_cli_runner()
    result = runner.invoke(args=["user", "add", "Dee", "--role", "agency-lead", "--agency", "health"],
                           input="a password from stdin\n")
    assert result.exit_code == 0, result.output
    assert users.authenticate(tracker_conn, "Dee", "a password from stdin")["agency"] == "health"
    listed = runner.invoke(args=["user", "list"])
    assert "Dee\tagency-lead\thealth\tactive" in listed.output


@pytest.mark.parametrize("args, stdin, message", [
    (["user", "add", "Dee", "--role", "agency-lead", "--agency", "fire-brigade"], "a password from stdin\n",
     "unknown agency 'fire-brigade'"),
    (["user", "add", "Dee", "--role", "board"], "short\n", "at least 12 characters"),
    (["user", "add", "ann", "--role", "board"], "a password from stdin\n", "already exists"),
    (["user", "add", "Dee", "--role", "king"], "a password from stdin\n", "Invalid value for '--role'"),
])
def test_cli_user_add_errors_are_one_line(tracker_app, args, stdin, message):
    result = tracker_app.test_cli_runner().invoke(args=args, input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_header_shows_who_is_signed_in(tracker_app):
    client = tracker_app.test_client()
    assert ">Sign in</a>" in client.get("/sign-in").text
    sign_in(client, "ann")
    page = client.get("/tracker/").text
    assert "ann (signed in)" in page and ">Sign in</a>" not in page


def test_low_cost_password_hashing_is_only_for_testing(reviews_db_path, tmp_path):
    from tracker import users

    assert users.hashing_is_for_tests()  # the suite hashes cheaply (tests/conftest.py) ...
    assert users.hash_password("x" * 12).startswith("scrypt:1024:")
    make_app(reviews_db_path, tmp_path)
    assert users.hashing_is_for_tests()  # an app under TESTING keeps it ...
    make_app(reviews_db_path, tmp_path, TESTING=False)
    assert not users.hashing_is_for_tests()  # ... a real app turns it off
    assert users.hash_password("x" * 12).startswith("scrypt:32768:")  # the full cost
