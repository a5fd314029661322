"""Tracker users: creation (from the command line), sign-in checks and password changes.

Passwords are hashed with Werkzeug's scrypt. Each user has a session epoch: changing the password
or deactivating the account bumps it, which signs out every session that carries the old one.
"""
from __future__ import annotations

import re
import sqlite3

from werkzeug.security import check_password_hash, generate_password_hash

from tracker import store

ROLES = ("admin", "board", "agency-lead")
ROLE_LABELS = {"admin": "Administrator (business unit)", "board": "Board member", "agency-lead": "Agency lead"}
MIN_PASSWORD = 12
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@ '-]{1,63}$")

# Checked against when a name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-only-for-timing", method="scrypt")


class UserError(ValueError):
    """Bad input for a user operation; the message is one line, fit to show as it is."""


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must be at least {MIN_PASSWORD} characters long")
    if password.strip() != password:
        raise UserError("the password must not start or end with spaces")


def create_user(conn: sqlite3.Connection, name: str, role: str, password: str, agency: str | None = None,
                known_agencies: set[str] | None = None) -> int:
    """Add a user and return their id; known_agencies, when given, validates the agency slug."""
    name = name.strip()
    if not _NAME.match(name):
        raise UserError("the name must be 2-64 letters, digits, spaces or . _ @ ' - and start with a letter or digit")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    if role == "agency-lead" and not agency:
        raise UserError("an agency lead needs --agency SLUG")
    if role != "agency-lead" and agency:
        raise UserError(f"only agency leads belong to an agency, not the {role} role")
    if agency and known_agencies is not None and agency not in known_agencies:
        raise UserError(f"unknown agency {agency!r}: use one of {', '.join(sorted(known_agencies))}")
    check_password_strength(password)
    with store.transaction(conn):
        if conn.execute("SELECT 1 FROM users WHERE name = :name", {"name": name}).fetchone():
            raise UserError(f"a user called {name!r} already exists")
        cur = conn.execute(
            "INSERT INTO users (name, password_hash, role, agency, created_at)"
            " VALUES (:name, :hash, :role, :agency, :at)",
            {"name": name, "hash": generate_password_hash(password, method="scrypt"), "role": role,
             "agency": agency, "at": store.now()},
        )
        user_id = cur.lastrowid
        store.append_audit(conn, change_id=store.new_change_id(), at=store.now(), user=None, entity="user",
                           entity_id=str(user_id), recommendation_id=None, field="created", old_value=None,
                           new_value=f"{name} ({role}{', ' + agency if agency else ''})",
                           note="created from the command line", public=False)
    return user_id


def get_user(conn: sqlite3.Connection, user_id: int) -> dict | None:
    row = conn.execute("SELECT * FROM users WHERE id = :id", {"id": user_id}).fetchone()
    return dict(row) if row else None


def authenticate(conn: sqlite3.Connection, name: str, password: str) -> dict | None:
    """The active user with this name and password, or None (same work either way)."""
    row = conn.execute("SELECT * FROM users WHERE name = :name", {"name": name.strip()}).fetchone()
    if row is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(row["password_hash"], password) or not row["active"]:
        return None
    return dict(row)


def change_password(conn: sqlite3.Connection, user_id: int, current: str, new: str) -> None:
    row = conn.execute("SELECT * FROM users WHERE id = :id", {"id": user_id}).fetchone()
    if row is None or not check_password_hash(row["password_hash"], current):
        raise UserError("the current password is not right")
    if new == current:
        raise UserError("the new password must differ from the current one")
    check_password_strength(new)
    with store.transaction(conn):
        conn.execute(
            "UPDATE users SET password_hash = :hash, session_epoch = session_epoch + 1 WHERE id = :id",
            {"hash": generate_password_hash(new, method="scrypt"), "id": user_id})
        store.append_audit(conn, change_id=store.new_change_id(), at=store.now(), user=dict(row), entity="user",
                           entity_id=str(user_id), recommendation_id=None, field="password", old_value=None,
                           new_value=None, note="password changed", public=False)


def set_active(conn: sqlite3.Connection, actor: dict, user_id: int, active: bool) -> None:
    """Deactivate (or reactivate) a user; deactivating signs them out everywhere."""
    row = conn.execute("SELECT * FROM users WHERE id = :id", {"id": user_id}).fetchone()
    if row is None:
        raise UserError("no such user")
    if row["id"] == actor["id"] and not active:
        raise UserError("you cannot deactivate your own account")
    if bool(row["active"]) == active:
        return
    with store.transaction(conn):
        conn.execute("UPDATE users SET active = :active, session_epoch = session_epoch + 1 WHERE id = :id",
                     {"active": int(active), "id": user_id})
        store.append_audit(conn, change_id=store.new_change_id(), at=store.now(), user=actor, entity="user",
                           entity_id=str(user_id), recommendation_id=None, field="active",
                           old_value=str(bool(row["active"])).lower(), new_value=str(active).lower(),
                           note=f"{'reactivated' if active else 'deactivated'} {row['name']}", public=False)


def list_users(conn: sqlite3.Connection) -> list[dict]:
    return [dict(r) for r in conn.execute(
        "SELECT id, name, role, agency, active, created_at FROM users ORDER BY name")]
