"""Sign-in, sign-out and password change; CSRF, rate limiting and the `flask user` commands.

The blueprint sets up CSRFProtect and Flask-Limiter itself (record_once), so app.py needs nothing.
Sign-in clears the session before storing the user (no session fixation) and only follows a
local `next`. The session holds the user's epoch: a password change signs out other sessions.
"""
from __future__ import annotations

import functools
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, current_app, flash, g, redirect, render_template, request, session,
                   url_for)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect

from tracker import users
from views.db import get_tracker_db
from views.forms import ConfirmForm, LoginForm, PasswordForm

bp = Blueprint("auth", __name__, cli_group=None)
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, storage_uri="memory://", default_limits=[])
LOGIN_LIMIT = "5 per minute"
LOGIN_LIMIT_PER_IP = "30 per minute"


@bp.record_once
def _init(state) -> None:
    app: Flask = state.app
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=8))
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 8 * 3600)
    csrf.init_app(app)
    limiter.init_app(app)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(429, _rate_limited)


def _csrf_error(error: CSRFError):
    return render_template("auth/csrf_error.html", reason=error.description), 400


def _rate_limited(_error):
    return render_template("auth/rate_limited.html"), 429


def _login_key() -> str:
    """Per IP address and user name, so one person's typos do not lock out a colleague."""
    name = (request.form.get("name") or "").strip().lower()[:64]
    return f"{get_remote_address()}|{name}"


@bp.before_app_request
def load_user() -> None:
    """g.user: the signed-in, still active user whose session epoch is current; else None."""
    g.user = None
    user_id = session.get("user_id")
    if user_id is None:
        return
    user = users.get_user(get_tracker_db(), user_id)
    if user is None or not user["active"] or user["session_epoch"] != session.get("epoch"):
        session.clear()
        return
    g.user = user


@bp.app_context_processor
def _inject_user() -> dict:
    return {"current_user": g.get("user"), "sign_out_form": ConfirmForm() if g.get("user") else None}


def login_required(view):
    """Signed-out visitors (posting or not) get the sign-in page and nothing changes."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            target = request.full_path if request.method == "GET" else request.path
            return redirect(url_for("auth.login", next=target.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no `//` or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, key_func=_login_key, methods=["POST"])
@limiter.limit(LOGIN_LIMIT_PER_IP, methods=["POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    error = None
    if form.validate_on_submit():
        user = users.authenticate(get_tracker_db(), form.name.data, form.password.data)
        if user is None:
            error = "The user name or password is not right"
        else:
            session.clear()  # new session: nothing from before sign-in survives
            session.permanent = True
            session["user_id"] = user["id"]
            session["epoch"] = user["session_epoch"]
            return redirect(safe_next(form.next.data) or url_for("tracker.index"))
    status = 401 if error else (400 if form.errors else 200)
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/sign-out", methods=["POST"])
def logout():
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    error = None
    if form.validate_on_submit():
        try:
            users.change_password(get_tracker_db(), g.user["id"], form.current.data, form.new.data)
        except users.UserError as exc:
            error = str(exc).capitalize()
        else:
            user = users.get_user(get_tracker_db(), g.user["id"])
            session.clear()
            session.permanent = True
            session["user_id"], session["epoch"] = user["id"], user["session_epoch"]
            flash("Your password has been changed. Other devices have been signed out.")
            return redirect(url_for("tracker.index"))
    status = 400 if (error or form.errors) else 200
    return render_template("auth/password.html", form=form, error=error), status
