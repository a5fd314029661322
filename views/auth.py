"""Sign-in, sign-out and password change (CSRF and the rate limiter are set up in views/extensions.py).

Sign-in clears the session before storing the user (no session fixation) and only follows a
local `next`. The session holds the user's epoch: a password change signs out other sessions.
"""
from __future__ import annotations

import functools
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, current_app, flash, g, redirect, render_template, request, session,
                   url_for)
from flask_limiter.util import get_remote_address

from tracker import users
from views.db import get_tracker_db
from views.extensions import limiter
from views.forms import ConfirmForm, LoginForm, PasswordForm

bp = Blueprint("auth", __name__, cli_group=None)
LOGIN_LIMIT = "5 per minute"
LOGIN_LIMIT_PER_IP = "30 per minute"
PASSWORD_CHANGE_LIMIT = "5 per 10 minutes"  # per account: guessing the current password from a stolen session
# A session ends after a working day however busy (absolute) and after two idle hours; both are
# checked from times kept in the signed cookie, so a copied cookie expires as the original does.
SESSION_ABSOLUTE_LIMIT = timedelta(hours=8)
SESSION_IDLE_LIMIT = timedelta(hours=2)


@bp.record_once
def _session_limits(state) -> None:
    """Session lifetimes (the extensions themselves are set up in views/extensions.py)."""
    app: Flask = state.app
    # Flask has its own PERMANENT_SESSION_LIFETIME (31 days), so setdefault would never apply:
    # the cookie lives as long as the absolute limit unless a deployment chose a shorter one.
    app.config.setdefault("SESSION_ABSOLUTE_LIMIT", SESSION_ABSOLUTE_LIMIT)
    app.config.setdefault("SESSION_IDLE_LIMIT", SESSION_IDLE_LIMIT)
    app.config["PERMANENT_SESSION_LIFETIME"] = min(app.config["PERMANENT_SESSION_LIFETIME"],
                                                   app.config["SESSION_ABSOLUTE_LIMIT"])
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", int(app.config["SESSION_ABSOLUTE_LIMIT"].total_seconds()))


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
    if user is None or not user["active"] or user["session_epoch"] != session.get("epoch") or _expired():
        session.clear()
        return
    session["seen_at"] = int(time.time())
    g.user = user


def _expired() -> bool:
    """Past the absolute or the idle limit (a session without its times is from before them: expired)."""
    now = time.time()
    started, seen = session.get("signed_in_at"), session.get("seen_at")
    if not isinstance(started, int) or not isinstance(seen, int):
        return True
    return (now - started > current_app.config["SESSION_ABSOLUTE_LIMIT"].total_seconds()
            or now - seen > current_app.config["SESSION_IDLE_LIMIT"].total_seconds())


def start_session(user: dict) -> None:
    """A fresh session for a user who just proved who they are: nothing from before survives."""
    session.clear()
    session.permanent = True
    session["user_id"], session["epoch"] = user["id"], user["session_epoch"]
    session["signed_in_at"] = session["seen_at"] = int(time.time())


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
            start_session(user)
            return redirect(safe_next(form.next.data) or url_for("tracker.index"))
    status = 401 if error else (400 if form.errors else 200)
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/sign-out", methods=["POST"])
def logout():
    """Ends the session on the server too: the user's epoch moves on, so a copy of this cookie
    (or any other session of theirs) no longer signs anyone in."""
    if g.get("user") is not None:
        users.end_sessions(get_tracker_db(), g.user["id"])
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("auth.login"))


def _account_key() -> str:
    return f"account|{session.get('user_id')}|{get_remote_address() if session.get('user_id') is None else ''}"


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(PASSWORD_CHANGE_LIMIT, key_func=_account_key, methods=["POST"])
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
            start_session(users.get_user(get_tracker_db(), g.user["id"]))
            flash("Your password has been changed. Other devices have been signed out.")
            return redirect(url_for("tracker.index"))
    status = 400 if (error or form.errors) else 200
    return render_template("auth/password.html", form=form, error=error), status
