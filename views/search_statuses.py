"""The statuses the search filters and counts by, from the tracker at query time.

The search index holds no status. Each search passes the current document id -> status mapping
(`tracker.public.search_statuses`, the rule the pages use); it is cached per app until the
tracker or the reviews database changes, so a search does not reload the tracker, and the search
service can keep the status sets it built from the same mapping object.
"""
from __future__ import annotations

import os
import threading

from flask import current_app

from tracker.public import search_statuses
from views.db import get_db, get_tracker_db

CACHE_KEY = "search_statuses"
_lock = threading.Lock()

# Changes whenever a tracked row is added or saved (every save bumps its version).
_TRACKER_STAMP = """select (select count(*) || ':' || total(version) || ':' || coalesce(max(updated_at), '')
                            from recommendation_tracking),
                           (select count(*) || ':' || total(version) || ':' || coalesce(max(updated_at), '')
                            from tracked_actions)"""


def _stamp() -> tuple:
    reviews = os.stat(current_app.config["DATABASE"])
    return (reviews.st_ino, reviews.st_mtime_ns, reviews.st_size,
            tuple(get_tracker_db().execute(_TRACKER_STAMP).fetchone()))


def current() -> dict[str, str]:
    """Document id -> status, the same object until something it depends on changes."""
    stamp = _stamp()
    cached = current_app.extensions.get(CACHE_KEY)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        statuses = search_statuses(get_tracker_db(), get_db())
        current_app.extensions[CACHE_KEY] = (stamp, statuses)
    return statuses
