"""Keep the open data's statuses current: after every tracker change, and once a day.

One code path (`tracker.publish.refresh`, the rule `make build` publishes with) rewrites the
status tables of the live open-data file in one transaction. A BRAG colour depends on the date
(an action turns red when its target date passes), so the first request of each day refreshes
them too. The change itself is already safe in tracker.db: a failure here is logged, never
raised, and the next refresh or `make build` catches up.
"""
from __future__ import annotations

import logging
import os
import sqlite3
from datetime import date

from flask import Flask, current_app

from tracker import publish

log = logging.getLogger(__name__)

PUBLISHED_ON = "statuses_published_on"


def refresh(app: Flask) -> bool:
    """Rewrite the open data's status tables from the tracker; False when it could not."""
    path = app.config.get("PUBLIC_DATABASE")
    if not path or not os.path.exists(path):
        return False
    try:
        publish.refresh(path, app.config["DATABASE"], app.config["TRACKER_DATABASE"])
    except (OSError, sqlite3.Error) as exc:
        log.warning("could not refresh the statuses in %s: %s", path, exc)
        return False
    app.extensions[PUBLISHED_ON] = date.today()
    return True


def after_change(app: Flask, rec_id: str | None = None) -> None:
    """After a saved tracker change (to `rec_id` or anything): the open data shows it at once."""
    refresh(app)


def _daily() -> None:
    app = current_app._get_current_object()
    if app.extensions.get(PUBLISHED_ON) != date.today():
        app.extensions[PUBLISHED_ON] = date.today()  # one refresh a day, even if it fails
        refresh(app)


def init_app(app: Flask) -> None:
    app.before_request(_daily)
