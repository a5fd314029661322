"""Helpers shared by the tracker and auth tests (the fixtures themselves are in tests/conftest.py).

The app uses the shared `reviews_db_path` (tests/conftest.py), its own tracker.db, a pinned
"today" of 2023-01-15, and four users: an administrator, a board member and two agency leads.
"""
from __future__ import annotations

import re
from datetime import date

from app import create_app

PASSWORD = "correct horse battery staple"
TODAY = date(2023, 1, 15)
USERS = {"ann": ("admin", None), "bob": ("board", None), "pat": ("agency-lead", "police"),
         "eve": ("agency-lead", "education")}


def make_app(reviews_db, tmp_path, **extra):
    config = {"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE": str(reviews_db),
              "TRACKER_DATABASE": str(tmp_path / "instance" / "tracker.db"),
              "PUBLIC_DATABASE": str(tmp_path / "no-public.db"), "SEARCH_INDEX_DIR": str(tmp_path / "no-index"),
              "WTF_CSRF_ENABLED": False, "TRACKER_TODAY": TODAY.isoformat()}
    config.update(extra)
    return create_app(config)


def sign_in(client, name: str, password: str = PASSWORD):
    return client.post("/sign-in", data={"name": name, "password": password})


def signed_in(app, name: str):
    client = app.test_client()
    response = sign_in(client, name)
    assert response.status_code == 302, response.text
    return client


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def action_row(conn, action_id: str):
    return conn.execute("SELECT * FROM tracked_actions WHERE action_id = :id", {"id": action_id}).fetchone()


def audit_count(conn) -> int:
    """Audit rows about recommendations and actions (user creation is audited too)."""
    return conn.execute("SELECT COUNT(*) FROM audit WHERE entity != 'user'").fetchone()[0]
