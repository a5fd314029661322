"""The tracker pages: recommendations and actions for signed-in users, the board dashboard,
exports and orphans for administrators, and a public summary.

Permission rules live in tracker.permissions; this module only turns them into responses.
"""
from __future__ import annotations

from datetime import date

from flask import (Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request,
                   url_for)
from wtforms import SelectChoice

from core import status as statuses
from tracker import changes, dashboard, exports, labels, permissions, store
from tracker import state as state_mod
from views import published
from views.auth import login_required
from views.db import get_db, get_tracker_db
from views.forms import ActionForm, AddActionForm, RecommendationForm, choices

bp = Blueprint("tracker", __name__, url_prefix="/tracker", cli_group=None)

_EXPORTS = {
    "zip": ("application/zip", exports.to_csv_zip),  # one CSV file a table
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", exports.to_docx),
}


def today() -> date:
    """Today, unless config TRACKER_TODAY (a date or YYYY-MM-DD) pins it for tests."""
    pinned = current_app.config.get("TRACKER_TODAY")
    if isinstance(pinned, str):
        return date.fromisoformat(pinned)
    return pinned or date.today()


def _load() -> state_mod.TrackerState:
    return state_mod.load(get_tracker_db(), get_db())


def _forbidden(message: str):
    return render_template("tracker/forbidden.html", message=message), 403


@bp.app_template_global()
def tracker_label(kind: str, key: str | None) -> str:
    """Label for a tracker vocabulary key (kind: response, delivery, assurance, status)."""
    return statuses.label(kind, key)


@bp.app_template_global()
def readable_when(stamp: str | None) -> str:
    """An audit timestamp as `3 December 2026, 13:28` (local time)."""
    return labels.when(stamp)


@bp.app_template_global()
def readable_day(value, missing: str = "Not set") -> str:
    """A date as `3 December 2026`."""
    return labels.day(value, missing)


@bp.route("/")
@login_required
def index():
    loaded = _load()
    user = g.user
    mine = []
    if user["role"] == "agency-lead":
        mine = [(a, loaded.recommendations.get(a.recommendation_id)) for a in loaded.all_actions()
                if a.agency == user["agency"]]
    recommendations = sorted(loaded.recommendations.values(),
                             key=lambda r: (loaded.review_names.get(r.review_id or "", "").lower(),
                                            *dashboard.natural_key(r.number or "")))
    return render_template("tracker/index.html", loaded=loaded, mine=mine, today=today(),
                           recommendations=recommendations,
                           agency_name=loaded.agency_names.get(user.get("agency") or "", user.get("agency")))


def _rec_or_404(loaded: state_mod.TrackerState, rec_id: str) -> state_mod.RecommendationState:
    rec = loaded.recommendations.get(rec_id)
    if rec is None:
        rec = next((o for o in loaded.orphans if o.recommendation_id == rec_id), None)
        if rec is None or not permissions.can_see_orphans(g.user):
            abort(404)
    return rec


def _history(rec: state_mod.RecommendationState, loaded: state_mod.TrackerState) -> list[dict]:
    """The history in words, each part shown only to those tracker.permissions lets read it."""
    ids = state_mod.old_ids_for(rec.recommendation_id, state_mod.aliases(get_db()))
    actions = {a.action_id: a for a in loaded.all_actions(include_orphans=True)}
    out = []
    for row in store.history(get_tracker_db(), ids):
        action = actions.get(row["entity_id"]) if row["entity"] == "action" else None
        agency = action.agency if action else _added_agency(row)
        parts = permissions.history_row_visible_parts(g.user, row["entity"], row["field"], agency)
        old, new = (labels.value(row["field"], row["old_value"]), labels.value(row["field"], row["new_value"])) \
            if parts["values"] else ("", "(private)")
        if row["field"] == "added" and parts["values"] and ":" in new:
            new = new.split(":", 1)[1].strip()  # stored as "agency-slug: text"; the record names the agency
        if row["entity"] == "recommendation":
            record = "Recommendation"
        elif action is not None:
            record = loaded.action_name(action)
        else:
            record = f"{loaded.agency_names.get(agency, agency or 'An')} action"
        out.append({"when": labels.when(row["at"]), "at": row["at"], "who": row["user_name"], "record": record,
                    "field": labels.field_label(row["field"]), "from": old, "to": new,
                    "note": row["note"] if parts["note"] else ("(private)" if row["note"] else "")})
    return out


def _added_agency(row) -> str | None:
    """The agency of an `added` audit row ("police: text"), for an action no longer loaded."""
    value = row["new_value"] or ""
    return value.split(":", 1)[0] if row["field"] == "added" and ":" in value else None


@bp.route("/recommendations/<rec_id>")
@login_required
def recommendation(rec_id: str):
    loaded = _load()
    rec = _rec_or_404(loaded, rec_id)
    actions = rec.actions if permissions.can_see_orphans(g.user) else rec.live_actions()
    return render_template(
        "tracker/recommendation.html", rec=rec, actions=actions, today=today(), loaded=loaded,
        history=_history(rec, loaded), review_title=loaded.review_titles.get(rec.review_id or "", ""),
        rec_name=loaded.recommendation_name(rec) if not rec.orphaned else rec.recommendation_id,
        rec_fields=permissions.editable_recommendation_fields(g.user),
        can_add_action=permissions.can_add_action(g.user) and not rec.orphaned,
        can_read_owner=permissions.can_read_owner(g.user),
        editable={a.action_id: permissions.editable_action_fields(g.user, a.agency) for a in actions},
        private={a.action_id: permissions.can_read_private(g.user, a.agency) for a in actions})


def _submitted(form, names) -> dict:
    """Only the fields actually posted: an absent field is not a request to blank it."""
    return {n: getattr(form, n).data for n in names if n in request.form}


@bp.route("/recommendations/<rec_id>/edit", methods=["GET", "POST"])
@login_required
def edit_recommendation(rec_id: str):
    allowed = permissions.editable_recommendation_fields(g.user)
    if not allowed:
        return _forbidden("Only the board (or the business unit on its behalf) records the board's response; "
                          "only the business unit sets owners and target dates.")
    loaded = _load()
    rec = _rec_or_404(loaded, rec_id)
    form = RecommendationForm()
    conflict = None
    if request.method == "GET":
        form.version.data = rec.version
        form.response.data = rec.response or "awaiting-response"
        form.owner.data, form.target_date.data = rec.owner, rec.target_date or ""
    elif form.validate_on_submit():
        try:
            changes.update_recommendation(get_tracker_db(), g.user, rec, form.version.data,
                                          _submitted(form, permissions.RECOMMENDATION_FIELDS), form.note.data)
        except permissions.PermissionDenied as exc:
            return _forbidden(str(exc).capitalize() + ".")
        except changes.ConflictError:
            conflict = rec  # the fresh state loaded above; the user's input stays in the form
            form.version.data = rec.version
        except changes.ChangeError as exc:
            form.form_errors.append(str(exc).capitalize())
        else:
            published.after_change(current_app._get_current_object(), rec.recommendation_id)
            flash("Recommendation updated.")
            return redirect(url_for("tracker.recommendation", rec_id=rec.recommendation_id))
    status = 409 if conflict else (400 if form.errors or form.form_errors else 200)
    return render_template("tracker/edit_recommendation.html", form=form, rec=rec, conflict=conflict, allowed=allowed,
                           on_behalf=permissions.on_behalf_of_board(g.user, "record-response"),
                           rec_name=loaded.recommendation_name(rec)), status


def _find_action(action_id: str):
    loaded = _load()
    found = loaded.find_action(action_id)
    if found is None:
        abort(404)
    action, rec = found
    if action.orphaned and g.user["role"] != "admin":
        abort(404)
    return loaded, action, rec


@bp.route("/actions/<action_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action(action_id: str):
    loaded, action, rec = _find_action(action_id)
    allowed = permissions.editable_action_fields(g.user, action.agency)
    agency_name = loaded.agency_names.get(action.agency, action.agency)
    if not allowed:
        return _forbidden(f"You can only change actions for your own agency; this action belongs to {agency_name}.")
    form = ActionForm()
    form.delivery.choices = choices(statuses.DELIVERY, keep=action.delivery)
    assurance_keys = permissions.assurance_choices(g.user, action.agency, action.assurance)
    form.assurance.choices = [c for c in choices(statuses.ASSURANCE) if c.value in assurance_keys]
    conflict = None
    if request.method == "GET":
        form.version.data = action.version
        for name in permissions.ACTION_FIELDS:
            getattr(form, name).data = getattr(action, name) or ""
    elif form.validate_on_submit():
        try:
            changes.update_action(get_tracker_db(), g.user, action, form.version.data,
                                  _submitted(form, permissions.ACTION_FIELDS), form.note.data)
        except changes.ConflictError:
            conflict = action
            form.version.data = action.version
        except permissions.PermissionDenied as exc:
            return _forbidden(str(exc).capitalize() + ".")
        except changes.ChangeError as exc:
            form.form_errors.append(str(exc).capitalize())
        else:
            if action.recommendation_id:
                published.after_change(current_app._get_current_object(), action.recommendation_id)
            flash("Action updated.")
            if rec is not None and not rec.orphaned:
                return redirect(url_for("tracker.recommendation", rec_id=rec.recommendation_id))
            return redirect(url_for("tracker.index"))
    status = 409 if conflict else (400 if form.errors or form.form_errors else 200)
    return render_template("tracker/edit_action.html", form=form, action=action, rec=rec, allowed=allowed,
                           conflict=conflict, agency_name=agency_name, today=today(),
                           rec_name=loaded.recommendation_name(rec) if rec else "",
                           assurance_hint=_assurance_hint(action)), status


def _assurance_hint(action: state_mod.ActionState) -> str:
    """Tells the user what they may do with assurance, from the same rules the save checks."""
    if permissions.allowed(g.user, "accept-evidence", action.agency):
        who = " (recorded as on the board's behalf)" if permissions.on_behalf_of_board(g.user, "accept-evidence") else ""
        accepted = statuses.label("assurance", statuses.EVIDENCE_ACCEPTED)
        return f"Choose “{accepted}” to accept the evidence offered{who}."
    return "Offer evidence of impact here and describe it below; only the board can accept it."


@bp.route("/recommendations/<rec_id>/actions/new", methods=["GET", "POST"])
@login_required
def add_action(rec_id: str):
    if not permissions.can_add_action(g.user):
        return _forbidden("Only the business unit (administrators) can add actions.")
    loaded = _load()
    rec = _rec_or_404(loaded, rec_id)
    form = AddActionForm()
    names = loaded.agency_names or {a: a for a in rec.agencies}
    form.agency.choices = [SelectChoice(slug, name) for slug, name in sorted(names.items(), key=lambda kv: kv[1])]
    if form.validate_on_submit():
        taken = {a.action_id for a in loaded.all_actions(include_orphans=True)}
        try:
            changes.add_action(get_tracker_db(), g.user, rec, form.agency.data, form.action.data,
                               form.target_date.data, set(names), taken, form.note.data)
        except changes.ChangeError as exc:
            form.form_errors.append(str(exc).capitalize())
        else:
            published.after_change(current_app._get_current_object(), rec.recommendation_id)
            flash("Action added.")
            return redirect(url_for("tracker.recommendation", rec_id=rec.recommendation_id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("tracker/add_action.html", form=form, rec=rec), status


@bp.route("/dashboard")
@login_required
def dashboard_page():
    if not permissions.can_see_dashboard(g.user):
        return _forbidden("The dashboard is for board members and the business unit.")
    data = dashboard.build(get_tracker_db(), get_db(), today())
    return render_template("tracker/dashboard.html", data=data, tables={t.key: t for t in data.tables()})


@bp.route("/dashboard.<fmt>")
@login_required
def dashboard_export(fmt: str):
    if fmt not in _EXPORTS:
        abort(404)
    if not permissions.can_see_dashboard(g.user):
        return _forbidden("The dashboard is for board members and the business unit.")
    data = dashboard.build(get_tracker_db(), get_db(), today())
    mimetype, render = _EXPORTS[fmt]
    filename = f"board-progress-{data.today.isoformat()}{'-csv' if fmt == 'zip' else ''}.{fmt}"
    return Response(render(data), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/dashboard/<key>.csv")
@login_required
def dashboard_table_csv(key: str):
    """One table of the dashboard as its own CSV file."""
    if not permissions.can_see_dashboard(g.user):
        return _forbidden("The dashboard is for board members and the business unit.")
    data = dashboard.build(get_tracker_db(), get_db(), today())
    table = next((t for t in data.tables() if t.key == key), None)
    if table is None:
        abort(404)
    filename = f"board-progress-{data.today.isoformat()}-{key}.csv"
    return Response(exports.table_csv(table), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/summary")
def summary():
    """Public: completion by review and agency (no names, notes, or overdue lists)."""
    data = dashboard.build(get_tracker_db(), get_db(), today())
    return render_template("tracker/summary.html", data=data, statuses=statuses.PUBLIC_STATUSES)


@bp.route("/orphans")
@login_required
def orphans():
    if not permissions.can_see_orphans(g.user):
        return _forbidden("Only the business unit (administrators) can see orphaned records.")
    loaded = _load()
    orphan_actions = [a for a in loaded.all_actions(include_orphans=True) if a.orphaned]
    return render_template("tracker/orphans.html", orphans=loaded.orphans, orphan_actions=orphan_actions,
                           today=today())
