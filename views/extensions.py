"""Every Flask extension and app-wide template helper, set up once by create_app.

CSRF protection and the one rate limiter (Flask-Limiter: sign-in attempts and briefing-use logs)
live here, with the error pages they answer with, and the filters and globals any template (error
pages, imported macros, every blueprint) may use.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, render_template
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect
from limits import parse

from core import status as status_rule
from ingest.dates import readable_date

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, storage_uri="memory://", default_limits=[])


def hit(limit: str, *keys: str) -> bool:
    """Count one event against `limit` ("10 per hour") for `keys`; False once it is used up.

    For limits checked inside a view (after its form is valid), on the same limiter and storage
    as the decorated ones."""
    if not limiter.enabled:
        return True
    return limiter.limiter.hit(parse(limit), *keys)


def _csrf_error(error: CSRFError):
    return render_template("auth/csrf_error.html", reason=error.description), 400


def _rate_limited(_error):
    return render_template("auth/rate_limited.html"), 429


# --- template helpers -------------------------------------------------------------------

def pub_date(value) -> str:
    return readable_date(value)


def http_url(value) -> str | None:
    """A link target from the data only if it is http(s): a `javascript:` URL is never a link."""
    text = str(value or "").strip()
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc else None


def local_path(value) -> str:
    """A same-site path (as the search index gives for hits), or "#" for anything else."""
    text = str(value or "")
    return text if text.startswith("/") and not text.startswith("//") else "#"


def brag_tag(colour) -> str:
    """The GOV.UK tag colour for a BRAG colour (a global, so imported macros can use it too)."""
    return status_rule.BRAG_TAGS.get(colour, "grey")


FILTERS = {"pub_date": pub_date, "http_url": http_url, "local_path": local_path}
GLOBALS = {"brag_tag": brag_tag}


def init_app(app: Flask) -> None:
    # session and CSRF token lifetimes are set by the auth blueprint (views/auth.py)
    csrf.init_app(app)
    limiter.init_app(app)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(429, _rate_limited)
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(GLOBALS)
