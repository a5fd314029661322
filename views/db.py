"""Request-scoped database connections (flaskr's get_db pattern).

The reviews database is opened read-only: only `ingest` writes it. The tracker database is
the one the app writes; it lives in the instance folder, where rebuilds never reach.
"""
from __future__ import annotations

import sqlite3

from flask import Flask, current_app, g


def get_db() -> sqlite3.Connection:
    """The reviews database, read-only, one connection per request."""
    if "db" not in g:
        path = current_app.config["DATABASE"]
        g.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        g.db.row_factory = sqlite3.Row
    return g.db


def get_tracker_db() -> sqlite3.Connection:
    """The tracker database, read-write, created on first use."""
    if "tracker_db" not in g:
        from tracker.store import connect

        g.tracker_db = connect(current_app.config["TRACKER_DATABASE"])
    return g.tracker_db


def close_db(_exc: BaseException | None = None) -> None:
    for name in ("db", "tracker_db"):
        conn = g.pop(name, None)
        if conn is not None:
            conn.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
