"""The tracker database: schema, connections and the append-only audit trail.

Writes go through `transaction()` (BEGIN IMMEDIATE), so a change and its audit rows land
together or not at all. Triggers make the audit table refuse UPDATE and DELETE outright.
"""
from __future__ import annotations

import json
import os
import sqlite3
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

SCHEMA_VERSION = 2  # 2: briefing_use_hidden

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'board', 'agency-lead')),
    agency TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    CHECK ((role = 'agency-lead') = (agency IS NOT NULL))
);
CREATE TABLE IF NOT EXISTS recommendation_tracking (
    recommendation_id TEXT PRIMARY KEY,
    response TEXT NOT NULL CHECK (response IN
        ('accepted', 'accepted-in-part', 'not-accepted', 'awaiting-response')),
    owner TEXT NOT NULL DEFAULT '',
    target_date TEXT,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tracked_actions (
    action_id TEXT PRIMARY KEY,
    recommendation_id TEXT,
    review_id TEXT NOT NULL,
    agency TEXT NOT NULL,
    action TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('ingested', 'added')),
    delivery TEXT NOT NULL,
    assurance TEXT NOT NULL,
    target_date TEXT,
    public_evidence TEXT NOT NULL DEFAULT '',
    private_notes TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tracked_actions_rec ON tracked_actions(recommendation_id);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id TEXT NOT NULL,
    at TEXT NOT NULL,
    user_id INTEGER,
    user_name TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('recommendation', 'action', 'user')),
    entity_id TEXT NOT NULL,
    recommendation_id TEXT,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    note TEXT NOT NULL DEFAULT '',
    public INTEGER NOT NULL CHECK (public IN (0, 1))
);
CREATE INDEX IF NOT EXISTS audit_rec ON audit(recommendation_id, at);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit history is append-only: rows cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit history is append-only: rows cannot be deleted'); END;
CREATE TABLE IF NOT EXISTS briefing_uses (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('review', 'theme')),
    slug TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    team TEXT NOT NULL,
    staff_count INTEGER NOT NULL CHECK (staff_count >= 0),
    actions_agreed TEXT NOT NULL DEFAULT '',
    logged_by TEXT,
    logged_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS briefing_uses_slug ON briefing_uses(kind, slug);
CREATE TABLE IF NOT EXISTS briefing_use_hidden (
    use_id INTEGER PRIMARY KEY REFERENCES briefing_uses(id),
    hidden_by TEXT NOT NULL,
    hidden_at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS briefing_use_hidden_no_update BEFORE UPDATE ON briefing_use_hidden
BEGIN SELECT RAISE(ABORT, 'hiding a logged use is recorded for good: rows cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS briefing_use_hidden_no_delete BEFORE DELETE ON briefing_use_hidden
BEGIN SELECT RAISE(ABORT, 'hiding a logged use is recorded for good: rows cannot be deleted'); END;
"""


class ConflictError(Exception):
    """Someone else saved the same record since the form was opened."""


def now() -> str:
    """UTC timestamp, second precision, ISO 8601: sortable as text."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _private_file(path: Path) -> None:
    """Create the database readable by its owner only (0600): it holds password hashes. SQLite
    gives its -wal and -shm files the same permissions; an older, wider file is narrowed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.is_file() and path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) the tracker database with the schema in place."""
    if str(path) != ":memory:":  # an in-memory database is no file to protect
        _private_file(Path(path))
    conn = sqlite3.connect(str(path), timeout=10, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(SCHEMA)
        conn.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def new_change_id() -> str:
    return uuid.uuid4().hex


def append_audit(conn: sqlite3.Connection, *, change_id: str, at: str, user: dict | None, entity: str,
                 entity_id: str, recommendation_id: str | None, field: str, old_value: object,
                 new_value: object, note: str, public: bool) -> None:
    """Add one row of history; values are stored as text (None stays NULL)."""
    conn.execute(
        "INSERT INTO audit (change_id, at, user_id, user_name, entity, entity_id, recommendation_id,"
        " field, old_value, new_value, note, public) VALUES (:change_id, :at, :user_id, :user_name,"
        " :entity, :entity_id, :rec, :field, :old, :new, :note, :public)",
        {"change_id": change_id, "at": at, "user_id": user["id"] if user else None,
         "user_name": user["name"] if user else "system", "entity": entity, "entity_id": entity_id,
         "rec": recommendation_id, "field": field,
         "old": None if old_value is None else str(old_value),
         "new": None if new_value is None else str(new_value), "note": note, "public": int(public)},
    )


def rows(conn: sqlite3.Connection, sql: str, params: dict | None = None) -> list[sqlite3.Row]:
    """Rows addressable by column name, whatever row_factory the caller's connection has."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(sql, params or {}).fetchall()


def history(conn: sqlite3.Connection, recommendation_ids: list[str]) -> list[sqlite3.Row]:
    """Every audit row for the given recommendation ids, newest first."""
    if not recommendation_ids:
        return []
    # json_each keeps the query parameterised for a list of any length.

    return rows(conn, "SELECT * FROM audit WHERE recommendation_id IN (SELECT value FROM json_each(:ids))"
                " ORDER BY at DESC, id DESC", {"ids": json.dumps(recommendation_ids)})


def recent_changes(conn: sqlite3.Connection, limit: int = 20) -> list[sqlite3.Row]:
    return rows(conn, "SELECT * FROM audit WHERE entity != 'user' ORDER BY at DESC, id DESC LIMIT :limit",
                {"limit": limit})
