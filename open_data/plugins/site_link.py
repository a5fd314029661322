"""Datasette plugin: every page knows the web app's address (RLR_BASE_URL), to link back to it."""
import os

from datasette import hookimpl

DEFAULT_SITE_URL = "http://127.0.0.1:5000"


@hookimpl
def extra_template_vars():
    return {"site_url": (os.environ.get("RLR_BASE_URL") or DEFAULT_SITE_URL).rstrip("/")}
