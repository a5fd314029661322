"""Tracker users: creation, roles, deactivation, sign-in checks, password changes and resets.

Passwords are hashed with Werkzeug's scrypt. Each user has a session epoch: changing the password,
the role or deactivating the account bumps it, which signs out every session that carries the old one.
Every change made by an administrator is appended to the audit trail (entity `user`).

A password reset is a signed link, shown to the administrator who asked for it (there is no email):
asking for one replaces the user's password by an unusable one and the link is bound to that hash,
so it works once, stops working when a newer link is made, and expires after RESET_HOURS.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from functools import lru_cache
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from core.text import control_message
from tracker import store

ROLES = ("admin", "board", "agency-lead")
ROLE_LABELS = {"admin": "Administrator (business unit)", "board": "Board member", "agency-lead": "Agency lead"}
MIN_PASSWORD = 12
RESET_HOURS = 48
_RESET_SALT = "tracker-password-reset"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@ '-]{1,63}$")

# Werkzeug's scrypt at its full cost. Tests may lower it (use_test_hashing); create_app refuses
# to run with the lower cost unless TESTING is set.
HASH_METHOD = "scrypt"
TEST_HASH_METHOD = "scrypt:1024:8:1"
_method = HASH_METHOD
_dummy: dict[str, str] = {}


def use_test_hashing(cheap: bool = True) -> None:
    """Hash new passwords at a low scrypt cost (for the test suite only) or back at full cost."""
    global _method
    _method = TEST_HASH_METHOD if cheap else HASH_METHOD


def hashing_is_for_tests() -> bool:
    return _method != HASH_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_method)


def _dummy_hash() -> str:
    """Checked against when a name is unknown, so a wrong name takes as long as a wrong password."""
    if _method not in _dummy:
        _dummy[_method] = hash_password("not-a-real-password-only-for-timing")
    return _dummy[_method]


class UserError(ValueError):
    """Bad input for a user operation; the message is one line, fit to show as it is."""


COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
MIN_DISTINCT_CHARACTERS = 5
_RUNS = ("abcdefghijklmnopqrstuvwxyz", "01234567890123456789", "qwertyuiopasdfghjklzxcvbnm")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def check_password_strength(password: str) -> None:
    """Long enough, and neither on the list of common passwords nor trivial (twelve 'a's, 'abcdefghijkl')."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must be at least {MIN_PASSWORD} characters long")
    if password.strip() != password:
        raise UserError("the password must not start or end with spaces")
    if control_message(password):
        raise UserError("the password must not contain control characters")
    folded = "".join(password.lower().split())
    if len(set(folded)) < MIN_DISTINCT_CHARACTERS:
        raise UserError(f"the password must use at least {MIN_DISTINCT_CHARACTERS} different characters")
    if folded in common_passwords() or any(folded in run or folded in run[::-1] for run in _RUNS):
        raise UserError("that password is too common or too easy to guess: choose a few unrelated words")


def _check_role(role: str, agency: str | None, known_agencies: set[str] | None) -> None:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    if role == "agency-lead" and not agency:
        raise UserError("an agency lead needs an agency")
    if role != "agency-lead" and agency:
        raise UserError(f"only agency leads belong to an agency, not the {role} role")
    if agency and known_agencies is not None and agency not in known_agencies:
        raise UserError(f"unknown agency {agency!r}: use one of {', '.join(sorted(known_agencies))}")


def _describe(name: str, role: str, agency: str | None) -> str:
    return f"{name} ({ROLE_LABELS.get(role, role)}{', ' + agency if agency else ''})"


def _insert_user(conn: sqlite3.Connection, actor: dict | None, name: str, role: str, password_hash: str,
                 agency: str | None, known_agencies: set[str] | None, note: str) -> int:
    name = name.strip()
    if not _NAME.match(name):
        raise UserError("the name must be 2-64 letters, digits, spaces or . _ @ ' - and start with a letter or digit")
    agency = agency or None
    _check_role(role, agency, known_agencies)
    with store.transaction(conn):
        if conn.execute("SELECT 1 FROM users WHERE name = :name", {"name": name}).fetchone():
            raise UserError(f"a user called {name!r} already exists")
        cur = conn.execute(
            "INSERT INTO users (name, password_hash, role, agency, created_at)"
            " VALUES (:name, :hash, :role, :agency, :at)",
            {"name": name, "hash": password_hash, "role": role, "agency": agency, "at": store.now()},
        )
        user_id = cur.lastrowid
        _audit(conn, actor, user_id, "created", None, _describe(name, role, agency), note)
    return user_id


def _audit(conn: sqlite3.Connection, actor: dict | None, user_id: int, field: str, old: object, new: object,
           note: str) -> None:
    store.append_audit(conn, change_id=store.new_change_id(), at=store.now(), user=actor, entity="user",
                       entity_id=str(user_id), recommendation_id=None, field=field, old_value=old,
                       new_value=new, note=note, public=False)


def create_user(conn: sqlite3.Connection, name: str, role: str, password: str, agency: str | None = None,
                known_agencies: set[str] | None = None) -> int:
    """Add a user from the command line and return their id; known_agencies validates the agency slug."""
    check_password_strength(password)
    return _insert_user(conn, None, name, role, hash_password(password), agency,
                        known_agencies, "created from the command line")


def _unusable_hash() -> str:
    """A hash no typed password matches: the account waits for its reset link."""
    return hash_password(secrets.token_urlsafe(32))


def add_user(conn: sqlite3.Connection, actor: dict, name: str, role: str, agency: str | None,
             known_agencies: set[str] | None = None) -> int:
    """An administrator adds a user; they choose their own password through a reset link."""
    return _insert_user(conn, actor, name, role, _unusable_hash(), agency, known_agencies,
                        "added in the browser")


def end_sessions(conn: sqlite3.Connection, user_id: int) -> None:
    """Sign-out: bump the session epoch, so no copy of the user's session cookies opens anything."""
    conn.execute("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = :id", {"id": user_id})
    if conn.in_transaction:
        conn.commit()


def get_user(conn: sqlite3.Connection, user_id: int) -> dict | None:
    row = conn.execute("SELECT * FROM users WHERE id = :id", {"id": user_id}).fetchone()
    return dict(row) if row else None


def authenticate(conn: sqlite3.Connection, name: str, password: str) -> dict | None:
    """The active user with this name and password, or None (same work either way)."""
    row = conn.execute("SELECT * FROM users WHERE name = :name", {"name": name.strip()}).fetchone()
    if row is None:
        check_password_hash(_dummy_hash(), password)
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
            {"hash": hash_password(new), "id": user_id})
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
        if not active:
            _keep_an_administrator(conn, row)
        conn.execute("UPDATE users SET active = :active, session_epoch = session_epoch + 1 WHERE id = :id",
                     {"active": int(active), "id": user_id})
        _audit(conn, actor, user_id, "active", str(bool(row["active"])).lower(), str(active).lower(),
               f"{'reactivated' if active else 'deactivated'} {row['name']}")


def _keep_an_administrator(conn: sqlite3.Connection, row: sqlite3.Row) -> None:
    """Refuse a change that would leave no active administrator (call inside the transaction)."""
    if row["role"] != "admin" or not row["active"]:
        return
    others = conn.execute("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1 AND id != :id",
                          {"id": row["id"]}).fetchone()[0]
    if others == 0:
        raise UserError(f"{row['name']} is the last active administrator: make another administrator first")


def set_role(conn: sqlite3.Connection, actor: dict, user_id: int, role: str, agency: str | None,
             known_agencies: set[str] | None = None) -> bool:
    """Change a user's role and agency; signs them out so the new rights apply at once. False: no change."""
    agency = agency or None
    if role != "agency-lead":
        agency = None
    _check_role(role, agency, known_agencies)
    with store.transaction(conn):
        row = conn.execute("SELECT * FROM users WHERE id = :id", {"id": user_id}).fetchone()
        if row is None:
            raise UserError("no such user")
        if (row["role"], row["agency"]) == (role, agency):
            return False
        if role != "admin":
            _keep_an_administrator(conn, row)
        conn.execute("UPDATE users SET role = :role, agency = :agency, session_epoch = session_epoch + 1"
                     " WHERE id = :id", {"role": role, "agency": agency, "id": user_id})
        _audit(conn, actor, user_id, "role", _describe(row["name"], row["role"], row["agency"]),
               _describe(row["name"], role, agency), f"role changed for {row['name']}")
    return True


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_RESET_SALT)


def issue_reset(conn: sqlite3.Connection, actor: dict, user_id: int, secret_key: str) -> str:
    """Lock the user's password, sign them out and return the one-time reset token for them."""
    new_hash = _unusable_hash()
    with store.transaction(conn):
        row = conn.execute("SELECT * FROM users WHERE id = :id", {"id": user_id}).fetchone()
        if row is None:
            raise UserError("no such user")
        if not row["active"]:
            raise UserError(f"{row['name']} is deactivated: reactivate the account first")
        conn.execute("UPDATE users SET password_hash = :hash, session_epoch = session_epoch + 1 WHERE id = :id",
                     {"hash": new_hash, "id": user_id})
        _audit(conn, actor, user_id, "password-reset", None, None,
               f"reset link made for {row['name']} (valid {RESET_HOURS} hours, once)")
    return _serializer(secret_key).dumps({"u": user_id, "h": _fingerprint(new_hash)})


def user_for_reset(conn: sqlite3.Connection, token: str, secret_key: str) -> dict:
    """The active user a reset token is for; UserError if it is forged, used, replaced or expired."""
    try:
        data = _serializer(secret_key).loads(token, max_age=RESET_HOURS * 3600)
    except SignatureExpired:
        raise UserError("this reset link has expired: ask an administrator for a new one") from None
    except BadSignature:
        raise UserError("this reset link is not valid: ask an administrator for a new one") from None
    user = get_user(conn, data.get("u")) if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    if user is None or not user["active"] or _fingerprint(user["password_hash"]) != data.get("h"):
        raise UserError("this reset link has been used or replaced: ask an administrator for a new one")
    return user


def reset_password(conn: sqlite3.Connection, token: str, secret_key: str, new: str) -> dict:
    """Set a new password through a reset token (which then stops working); returns the user."""
    user = user_for_reset(conn, token, secret_key)
    check_password_strength(new)
    with store.transaction(conn):
        cur = conn.execute(
            "UPDATE users SET password_hash = :hash, session_epoch = session_epoch + 1"
            " WHERE id = :id AND password_hash = :old",
            {"hash": hash_password(new), "id": user["id"], "old": user["password_hash"]})
        if cur.rowcount != 1:
            raise UserError("this reset link has been used or replaced: ask an administrator for a new one")
        _audit(conn, user, user["id"], "password", None, None, "password set with a reset link")
    return get_user(conn, user["id"])


def list_users(conn: sqlite3.Connection) -> list[dict]:
    return [dict(r) for r in conn.execute(
        "SELECT id, name, role, agency, active, created_at FROM users ORDER BY name")]
