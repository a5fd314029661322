"""The tracker schema: append-only audit, users and the briefing log table."""
from __future__ import annotations

import sqlite3

import pytest

from tracker import store, users


@pytest.fixture
def conn(tmp_path):
    c = store.connect(tmp_path / "tracker.db")
    yield c
    c.close()


def _audit(conn, field="delivery"):
    with store.transaction(conn):
        store.append_audit(conn, change_id="c1", at=store.now(), user={"id": 1, "name": "ann"}, entity="action",
                           entity_id="x-act-1", recommendation_id="x-rec-1", field=field, old_value="not-started",
                           new_value="complete", note="n", public=True)


def test_audit_rows_cannot_be_changed_or_deleted(conn):
    _audit(conn)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit SET new_value = 'tampered'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit")
    row = conn.execute("SELECT new_value, user_name FROM audit").fetchone()
    assert tuple(row) == ("complete", "ann")


def test_reopening_keeps_the_triggers(tmp_path, conn):
    _audit(conn)
    again = store.connect(tmp_path / "tracker.db")
    with pytest.raises(sqlite3.IntegrityError):
        again.execute("DELETE FROM audit")
    again.close()


def test_transaction_rolls_back_on_error(conn):
    with pytest.raises(RuntimeError):
        with store.transaction(conn):
            store.append_audit(conn, change_id="c", at=store.now(), user=None, entity="action", entity_id="a",
                               recommendation_id=None, field="f", old_value=None, new_value="v", note="",
                               public=False)
            raise RuntimeError("boom")
    assert conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == 0


def test_briefing_uses_table_accepts_the_documented_columns(conn):
    conn.execute(
        "INSERT INTO briefing_uses (kind, slug, delivered_on, team, staff_count, actions_agreed, logged_by, logged_at)"
        " VALUES ('theme', 'neglect', '2023-01-10', 'Team A', 8, 'use the toolkit', 'ann', :at)", {"at": store.now()})
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO briefing_uses (kind, slug, delivered_on, team, staff_count, logged_at)"
                     " VALUES ('other', 'x', '2023-01-10', 'T', 1, 'now')")


def test_users_hash_and_check_passwords(conn):
    user_id = users.create_user(conn, "pat", "agency-lead", "a long enough password", "police", {"police"})
    row = conn.execute("SELECT password_hash FROM users WHERE id = :id", {"id": user_id}).fetchone()
    assert row[0].startswith("scrypt:") and "a long enough password" not in row[0]
    assert users.authenticate(conn, "pat", "a long enough password")["agency"] == "police"
    assert users.authenticate(conn, "PAT", "wrong password here") is None
    assert users.authenticate(conn, "nobody", "a long enough password") is None


@pytest.mark.parametrize("args, message", [
    (("x", "admin", "a long enough password"), "the name"),
    (("sam", "chief", "a long enough password"), "unknown role"),
    (("sam", "agency-lead", "a long enough password"), "needs an agency"),
    (("sam", "board", "a long enough password", "police"), "only agency leads"),
    (("sam", "agency-lead", "a long enough password", "fire"), "unknown agency"),
    (("sam", "admin", "short"), "at least 12"),
])
def test_bad_user_input_is_one_clear_line(conn, args, message):
    with pytest.raises(users.UserError, match=message) as info:
        users.create_user(conn, *args, known_agencies={"police"})
    assert "\n" not in str(info.value)
    assert conn.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0


def test_duplicate_names_are_refused(conn):
    users.create_user(conn, "ann", "admin", "a long enough password")
    with pytest.raises(users.UserError, match="already exists"):
        users.create_user(conn, "Ann", "board", "a long enough password")


def test_password_change_bumps_the_session_epoch(conn):
    user_id = users.create_user(conn, "ann", "admin", "a long enough password")
    with pytest.raises(users.UserError, match="current password"):
        users.change_password(conn, user_id, "wrong", "another long password")
    users.change_password(conn, user_id, "a long enough password", "another long password")
    assert users.get_user(conn, user_id)["session_epoch"] == 1
    assert users.authenticate(conn, "ann", "another long password") is not None
    assert users.authenticate(conn, "ann", "a long enough password") is None
