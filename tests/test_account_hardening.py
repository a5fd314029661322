"""Issue 18, item 7: the password form is rate limited, common and trivial passwords are refused,
the public base URL fixes the host links are built from, and the tracker database and the secret
key are readable by their owner only."""
from __future__ import annotations

import stat

import pytest

from app import create_app
from tests.tracker_support import PASSWORD, make_app, signed_in
from tracker import store, users


@pytest.mark.parametrize("password", ["a" * 12, "abababababab", "abcdefghijkl", "123456789012", "Password1234",
                                      "QWERTYUIOPAS", "safeguarding2025", "pass word 1234"])
def test_common_and_trivial_passwords_are_refused(password):
    with pytest.raises(users.UserError):
        users.check_password_strength(password)


def test_a_passphrase_is_accepted():
    users.check_password_strength("correct horse battery staple")
    users.check_password_strength("Tuesday's blue kettle sings")


def test_the_password_form_refuses_a_trivial_password(tracker_app):
    client = signed_in(tracker_app, "ann")
    response = client.post("/account/password", data={"current": PASSWORD, "new": "a" * 12, "confirm": "a" * 12})
    assert response.status_code == 400 and "at least 5 different characters" in response.text


def test_the_password_form_is_rate_limited(reviews_db_path, tmp_path):
    app = make_app(reviews_db_path, tmp_path, RATELIMIT_ENABLED=True)
    conn = store.connect(app.config["TRACKER_DATABASE"])
    users.create_user(conn, "ann", "admin", PASSWORD)
    conn.close()
    client = signed_in(app, "ann")
    codes = [client.post("/account/password", data={"current": f"wrong guess {n}", "new": "x", "confirm": "x"})
             .status_code for n in range(7)]
    assert codes[:5] == [400] * 5 and codes[5:] == [429, 429]


def test_unknown_hosts_are_refused_when_a_public_base_url_is_set(reviews_db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("RLR_BASE_URL", "https://learning.example.org")
    app = make_app(reviews_db_path, tmp_path)
    client = app.test_client()
    assert client.get("/about", base_url="https://evil.example.com").status_code == 400
    assert client.get("/about", base_url="https://learning.example.org").status_code == 200


def test_any_host_is_served_without_a_public_base_url(reviews_db_path, tmp_path, monkeypatch):
    monkeypatch.delenv("RLR_BASE_URL", raising=False)
    assert make_app(reviews_db_path, tmp_path).test_client().get(
        "/about", base_url="http://whatever.example").status_code == 200


def test_a_trusted_proxy_gives_the_visitors_address(reviews_db_path, tmp_path, monkeypatch):
    from flask import request

    monkeypatch.setenv("RLR_TRUSTED_PROXIES", "1")
    app = make_app(reviews_db_path, tmp_path)
    seen = []
    app.before_request(lambda: seen.append(request.remote_addr))
    app.test_client().get("/about", headers={"X-Forwarded-For": "203.0.113.9"},
                          environ_base={"REMOTE_ADDR": "10.0.0.1"})
    monkeypatch.delenv("RLR_TRUSTED_PROXIES")
    plain = make_app(reviews_db_path, tmp_path / "plain")
    plain.before_request(lambda: seen.append(request.remote_addr))
    plain.test_client().get("/about", headers={"X-Forwarded-For": "203.0.113.9"},
                            environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert seen == ["203.0.113.9", "10.0.0.1"]


def test_tracker_db_and_secret_key_are_private(tmp_path, monkeypatch):
    path = tmp_path / "instance" / "tracker.db"
    store.connect(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for extra in path.parent.glob("tracker.db-*"):
        assert stat.S_IMODE(extra.stat().st_mode) & 0o077 == 0, extra
    path.chmod(0o644)  # an older, readable file is narrowed on the next connection
    store.connect(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setenv("RLR_INSTANCE_DIR", str(tmp_path / "fresh"))
    monkeypatch.delenv("RLR_SECRET_KEY", raising=False)
    create_app()
    assert stat.S_IMODE((tmp_path / "fresh" / "secret_key").stat().st_mode) == 0o600


def test_an_in_memory_tracker_database_leaves_no_file(tmp_path, monkeypatch):
    """Publishing without a tracker uses `:memory:`; that must not create a file of that name."""
    monkeypatch.chdir(tmp_path)
    store.connect(":memory:").close()
    assert list(tmp_path.iterdir()) == []
