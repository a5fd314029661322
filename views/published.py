"""After a tracker change: bring the open data and the search index up to date.

This sits in the web layer because it joins two packages that never import each other (tracker
and search_index). The change itself is already safe in tracker.db; a failure here is logged,
never raised, and the next `make build` republishes anyway.
"""
from __future__ import annotations

import logging
import os
import sqlite3

import search_index
from tracker import publish, store
from tracker.public import export_rows

log = logging.getLogger(__name__)


def after_change(app, rec_id: str) -> None:
    """Refresh one recommendation's published status (open data and search index)."""
    try:
        reviews_conn = sqlite3.connect(f"file:{app.config['DATABASE']}?mode=ro", uri=True)
        tracker_conn = store.connect(app.config["TRACKER_DATABASE"])
        try:
            rec_rows, action_rows = export_rows(tracker_conn, reviews_conn, only=rec_id)
        finally:
            reviews_conn.close()
            tracker_conn.close()
    except sqlite3.Error as exc:
        log.warning("could not refresh published status of %s: %s", rec_id, exc)
        return
    _update_open_data(app, rec_rows, action_rows)
    _update_search_index(app, rec_id, rec_rows[0]["status"] if rec_rows else None)


def _update_open_data(app, rec_rows: list[dict], action_rows: list[dict]) -> None:
    path = app.config.get("PUBLIC_DATABASE")
    if not path or not os.path.exists(path):
        return
    try:
        publish.update_status(path, rec_rows, action_rows)
    except Exception as exc:  # noqa: BLE001 - the change is saved; publishing catches up at the next build
        log.warning("could not update %s: %s", path, exc)


def _update_search_index(app, rec_id: str, status: str | None) -> None:
    index_dir = app.config.get("SEARCH_INDEX_DIR")
    if status is None or not index_dir or not os.path.isdir(index_dir):
        return
    try:
        search_index.update_status(index_dir, rec_id, status)
    except Exception as exc:  # noqa: BLE001 - as above: the index is rebuilt by the next build
        log.warning("could not update the search index for %s: %s", rec_id, exc)
