"""The tracker as the public pages and the search filters see it, loaded once per change.

The search index holds no status. Each search passes the current document id -> status mapping
(`tracker.public.search_statuses`, the rule the pages use); it and the loaded tracker state are
cached per app until the tracker or the reviews database changes, so neither a search nor a
review, theme, agency or recommendation page reloads the whole tracker, and the search service
can keep the status sets it built from the same mapping object. Pages only read the state.
"""
from __future__ import annotations

import os
import threading

from flask import current_app

from tracker import state as state_mod
from tracker.public import search_statuses
from views.db import get_db, get_tracker_db

CACHE_KEY = "search_statuses"
STATE_KEY = "tracker_state"
# Re-entrant: the statuses are computed from the cached tracker state, which takes it too.
_lock = threading.RLock()

# Changes whenever a tracked row is added or saved (every save bumps its version).
_TRACKER_STAMP = """select (select count(*) || ':' || total(version) || ':' || coalesce(max(updated_at), '')
                            from recommendation_tracking),
                           (select count(*) || ':' || total(version) || ':' || coalesce(max(updated_at), '')
                            from tracked_actions)"""


def _stamp() -> tuple:
    reviews = os.stat(current_app.config["DATABASE"])
    return (reviews.st_ino, reviews.st_mtime_ns, reviews.st_size,
            tuple(get_tracker_db().execute(_TRACKER_STAMP).fetchone()))


def _cached(key: str, compute):
    """compute(), kept in the app until the stamp of what it reads changes."""
    stamp = _stamp()
    cached = current_app.extensions.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        value = compute()
        current_app.extensions[key] = (stamp, value)
    return value


def tracker_state() -> state_mod.TrackerState:
    """The loaded tracker (read-only for pages), the same object until something it reads changes."""
    return _cached(STATE_KEY, lambda: state_mod.load(get_tracker_db(), get_db()))


def current() -> dict[str, str]:
    """Document id -> status, the same object until something it depends on changes."""
    return _cached(CACHE_KEY, lambda: search_statuses(get_tracker_db(), get_db(), loaded=tracker_state()))
