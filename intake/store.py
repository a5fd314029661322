"""instance/intake.db: drafts (with their extraction job's progress) and the append-only intake log.

Drafts are small JSON documents; the files and extraction results live in the draft's folder.
The log follows the tracker's audit rules: triggers refuse UPDATE and DELETE.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tracker.store import now, transaction  # noqa: F401 (BEGIN IMMEDIATE ... COMMIT, as the tracker does)

SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    draft_id TEXT PRIMARY KEY REFERENCES drafts(id),
    stage TEXT NOT NULL,
    pages_done INTEGER NOT NULL DEFAULT 0,
    pages_total INTEGER,
    error TEXT,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS intake_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user_id INTEGER,
    user_name TEXT NOT NULL,
    draft_id TEXT,
    review_id TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS intake_log_review ON intake_log(review_id, at);
CREATE TRIGGER IF NOT EXISTS intake_log_no_update BEFORE UPDATE ON intake_log
BEGIN SELECT RAISE(ABORT, 'the intake log is append-only: rows cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS intake_log_no_delete BEFORE DELETE ON intake_log
BEGIN SELECT RAISE(ABORT, 'the intake log is append-only: rows cannot be deleted'); END;
"""


def connect(path: str | Path) -> sqlite3.Connection:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=10, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(SCHEMA)
    return conn


def log(conn: sqlite3.Connection, user: dict | None, action: str, *, draft_id: str | None = None,
        review_id: str | None = None, detail: str = "") -> None:
    """One line of history: who, when, what."""
    conn.execute(
        "INSERT INTO intake_log (at, user_id, user_name, draft_id, review_id, action, detail)"
        " VALUES (:at, :uid, :name, :draft, :review, :action, :detail)",
        {"at": now(), "uid": user["id"] if user else None, "name": user["name"] if user else "system",
         "draft": draft_id, "review": review_id, "action": action, "detail": detail[:2000]})


def history(conn: sqlite3.Connection, review_id: str | None = None, limit: int = 200) -> list[sqlite3.Row]:
    if review_id:
        return conn.execute("SELECT * FROM intake_log WHERE review_id = :r ORDER BY id DESC LIMIT :n",
                            {"r": review_id, "n": limit}).fetchall()
    return conn.execute("SELECT * FROM intake_log ORDER BY id DESC LIMIT :n", {"n": limit}).fetchall()


def save_draft(conn: sqlite3.Connection, draft: dict, user: dict | None = None) -> None:
    at = now()
    conn.execute(
        "INSERT INTO drafts (id, state, created_by, created_at, updated_at) VALUES (:id, :s, :by, :at, :at)"
        " ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        {"id": draft["id"], "s": json.dumps(draft), "by": user["name"] if user else "system", "at": at})


def load_draft(conn: sqlite3.Connection, draft_id: str) -> dict | None:
    row = conn.execute("SELECT state FROM drafts WHERE id = :id", {"id": draft_id}).fetchone()
    return json.loads(row["state"]) if row else None


def list_drafts(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute("SELECT state, created_by, updated_at FROM drafts ORDER BY updated_at DESC").fetchall()
    return [{**json.loads(r["state"]), "created_by": r["created_by"], "updated_at": r["updated_at"]} for r in rows]


def set_job(conn: sqlite3.Connection, draft_id: str, stage: str, pages_done: int = 0,
            pages_total: int | None = None, error: str | None = None) -> None:
    at = now()
    conn.execute(
        "INSERT INTO jobs (draft_id, stage, pages_done, pages_total, error, started_at, updated_at)"
        " VALUES (:d, :s, :p, :t, :e, :at, :at) ON CONFLICT(draft_id) DO UPDATE SET stage = excluded.stage,"
        " pages_done = excluded.pages_done, pages_total = excluded.pages_total, error = excluded.error,"
        " updated_at = excluded.updated_at",
        {"d": draft_id, "s": stage, "p": pages_done, "t": pages_total, "e": error, "at": at})


def get_job(conn: sqlite3.Connection, draft_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM jobs WHERE draft_id = :d", {"d": draft_id}).fetchone()
