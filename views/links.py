"""Links every template may need to places outside the page: its Atom feed and the open data.

`open_data_url(table, **filters)` points into Datasette, whose database is named after the
published file (PUBLIC_DATABASE's stem), so renaming the file renames the links too.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from flask import Blueprint, current_app

from views.feeds import feed_url

bp = Blueprint("links", __name__)


def open_data_url(table: str | None = None, **filters: str) -> str | None:
    """The Datasette page for `table` (the database page if None), filtered; None if no http(s) URL is set."""
    base = str(current_app.config.get("DATASETTE_URL") or "").strip().rstrip("/")
    if urlsplit(base).scheme not in ("http", "https"):
        return None
    url = f"{base}/{quote(Path(current_app.config['PUBLIC_DATABASE']).stem)}"
    if table:
        url += f"/{quote(table)}"
    return url + (f"?{urlencode(filters)}" if filters else "")


@bp.app_context_processor
def _links() -> dict:
    return {"feed_url": feed_url, "open_data_url": open_data_url}
