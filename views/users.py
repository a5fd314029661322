"""User administration in the browser (administrators only) and the one-time password reset link.

Rules live in tracker.users (last administrator, one-time links, audit) and tracker.permissions
(who may manage users); this module only turns them into pages.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from wtforms import SelectChoice

from tracker import permissions, store
from tracker import users as users_mod
from views.auth import login_required, start_session
from views.db import get_db, get_tracker_db
from views.forms import ConfirmForm, NewPasswordForm, NewUserForm, UserRoleForm

bp = Blueprint("users", __name__)
_FORBIDDEN = "Only the business unit (administrators) can manage users."
_USER_FIELDS = {"created": "Account created", "role": "Role", "active": "Active", "password-reset": "Reset link made",
                "password": "Password changed"}


def _agency_names() -> dict[str, str]:
    return {r[0]: r[1] for r in get_db().execute("SELECT slug, name FROM agencies ORDER BY name")}


def _fill_choices(form: UserRoleForm, agencies: dict[str, str]) -> None:
    form.role.choices = [SelectChoice(r, users_mod.ROLE_LABELS[r]) for r in users_mod.ROLES]
    form.agency.choices = [SelectChoice("", "No agency")] + [SelectChoice(k, v) for k, v in agencies.items()]


def _sentence(exc: Exception) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:]


def _forbidden():
    return render_template("tracker/forbidden.html", message=_FORBIDDEN), 403


def _history(user_id: int) -> list[dict]:
    rows = store.rows(get_tracker_db(), "SELECT * FROM audit WHERE entity = 'user' AND entity_id = :id"
                      " ORDER BY at DESC, id DESC", {"id": str(user_id)})
    return [{**dict(r), "field_label": _USER_FIELDS.get(r["field"], r["field"])} for r in rows]


@bp.route("/tracker/users")
@login_required
def index():
    if not permissions.can_manage_users(g.user):
        return _forbidden()
    return render_template("tracker/users.html", users=users_mod.list_users(get_tracker_db()),
                           role_labels=users_mod.ROLE_LABELS, agency_names=_agency_names())


@bp.route("/tracker/users/new", methods=["GET", "POST"])
@login_required
def add():
    if not permissions.can_manage_users(g.user):
        return _forbidden()
    agencies = _agency_names()
    form = NewUserForm()
    _fill_choices(form, agencies)
    if form.validate_on_submit():
        try:
            user_id = users_mod.add_user(get_tracker_db(), g.user, form.name.data, form.role.data,
                                         form.agency.data, set(agencies))
            token = users_mod.issue_reset(get_tracker_db(), g.user, user_id, current_app.secret_key)
        except users_mod.UserError as exc:
            form.form_errors.append(_sentence(exc))
        else:
            return _show_link(user_id, token, added=True)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("tracker/user_new.html", form=form), status


def _show_link(user_id: int, token: str, added: bool = False):
    """The reset link, shown once to the administrator (it is not stored anywhere)."""
    user = users_mod.get_user(get_tracker_db(), user_id)
    link = url_for("users.reset", token=token, _external=True)
    return render_template("tracker/user_link.html", user=user, link=link, added=added,
                           hours=users_mod.RESET_HOURS)


@bp.route("/tracker/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit(user_id: int):
    if not permissions.can_manage_users(g.user):
        return _forbidden()
    conn = get_tracker_db()
    user = users_mod.get_user(conn, user_id)
    if user is None:
        return render_template("errors/404.html"), 404
    agencies = _agency_names()
    form = UserRoleForm()
    _fill_choices(form, agencies)
    if request.method == "GET":
        form.role.data, form.agency.data = user["role"], user["agency"] or ""
    elif form.validate_on_submit():
        try:
            changed = users_mod.set_role(conn, g.user, user_id, form.role.data, form.agency.data, set(agencies))
        except users_mod.UserError as exc:
            form.form_errors.append(_sentence(exc))
        else:
            flash(f"{user['name']} is now: {users_mod.ROLE_LABELS[form.role.data]}." if changed
                  else "Nothing was changed.")
            if user_id == g.user["id"] and changed:
                _keep_own_session(user_id)
            return redirect(url_for("users.edit", user_id=user_id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("tracker/user_edit.html", user=user, form=form, confirm=ConfirmForm(),
                           role_labels=users_mod.ROLE_LABELS, agency_names=agencies,
                           history=_history(user_id)), status


def _keep_own_session(user_id: int) -> None:
    """A role change signs the user out everywhere; an administrator changing their own keeps this session."""
    fresh = users_mod.get_user(get_tracker_db(), user_id)
    session["epoch"] = fresh["session_epoch"]


@bp.route("/tracker/users/<int:user_id>/<any(activate, deactivate):what>", methods=["POST"])
@login_required
def set_active(user_id: int, what: str):
    if not permissions.can_manage_users(g.user):
        return _forbidden()
    if ConfirmForm().validate_on_submit():
        try:
            users_mod.set_active(get_tracker_db(), g.user, user_id, what == "activate")
        except users_mod.UserError as exc:
            flash(_sentence(exc) + ".")
        else:
            flash("User " + ("reactivated." if what == "activate" else "deactivated."))
    return redirect(request.referrer if _same_site(request.referrer) else url_for("users.index"))


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)


@bp.route("/tracker/users/<int:user_id>/reset-link", methods=["POST"])
@login_required
def make_reset_link(user_id: int):
    if not permissions.can_manage_users(g.user):
        return _forbidden()
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("users.edit", user_id=user_id))
    try:
        token = users_mod.issue_reset(get_tracker_db(), g.user, user_id, current_app.secret_key)
    except users_mod.UserError as exc:
        flash(_sentence(exc) + ".")
        return redirect(url_for("users.edit", user_id=user_id))
    if user_id == g.user["id"]:
        session.clear()  # their own password is locked now: they continue through the link
    return _show_link(user_id, token)


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Anyone holding a valid link may choose the password for that account, once."""
    conn = get_tracker_db()
    form = NewPasswordForm()
    try:
        user = users_mod.user_for_reset(conn, token, current_app.secret_key)
    except users_mod.UserError as exc:
        return render_template("auth/reset.html", form=None, error=_sentence(exc)), 400
    error = None
    if form.validate_on_submit():
        try:
            user = users_mod.reset_password(conn, token, current_app.secret_key, form.new.data)
        except users_mod.UserError as exc:
            error = _sentence(exc)
        else:
            start_session(user)
            flash("Your password is set and you are signed in.")
            return redirect(url_for("tracker.index"))
    status = 400 if (error or form.errors) else 200
    return render_template("auth/reset.html", form=form, user=user, error=error, token=token), status
