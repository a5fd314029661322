"""7-minute briefing pages: preview, edit and download as DOCX, and log each time a team uses one.

Who may log a use: anyone with the link. Briefings are delivered by team leaders, DSLs and
trainers who mostly have no account here, and asking them to sign in would mean most uses never
get logged. The log is self-reported evidence of reach, so instead of sign-in it has CSRF
protection, strict validation (briefings.uses.validate), refusal of duplicates and a per-client
rate limit; a signed-in user's name is recorded in `logged_by` in place of the free-text field.
"""
from __future__ import annotations

import io
import re

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, send_file, url_for
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from briefings import uses
from briefings.content import SUMMARY_LABEL, TITLES, Briefing, BriefingNotFound, briefable, build, human_date
from briefings.docx_writer import write_docx
from views import extensions
from views.db import get_db, get_tracker_db
from views.forms import SafeForm

bp = Blueprint("briefings", __name__)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RATE_WINDOW = 3600  # seconds
DEFAULT_RATE_LIMIT = 10  # use logs per client per hour: a team leader logs a few a week


class EditForm(SafeForm):
    """One textarea per section; one line per bullet point."""


for _n, _title in TITLES.items():
    setattr(EditForm, f"s{_n}", TextAreaField(f"{_n} {_title}", validators=[Length(max=4000)]))


class UseForm(SafeForm):
    delivered_on = DateField("Date delivered", validators=[InputRequired()])
    team = StringField("Team or agency", validators=[InputRequired(), Length(max=uses.MAX_TEAM)])
    staff_count = IntegerField("Number of staff who attended",
                               validators=[InputRequired(), NumberRange(1, uses.MAX_STAFF)])
    actions_agreed = TextAreaField("Actions agreed", validators=[Optional(), Length(max=uses.MAX_ACTIONS)])
    logged_by = StringField("Your name or role (optional)",
                            validators=[Optional(), Length(max=uses.MAX_LOGGED_BY)])


class HideUseForm(SafeForm):
    reason = StringField("Why hide this use?", validators=[InputRequired(message="Say why this use is being hidden"),
                                                          Length(max=300)])


def _briefing(kind: str, slug: str) -> Briefing:
    try:
        return build(get_db(), kind, slug)
    except BriefingNotFound as exc:
        abort(404, description=f"There is no briefing for this address: {exc}.")


def _base_url() -> str:
    return current_app.config.get("PUBLIC_BASE_URL") or request.url_root


def _split_label(item: str) -> tuple[bool, str]:
    """(is a summary, text without the label), so the page can show the label as a tag."""
    label = f"[{SUMMARY_LABEL}]"
    if label in item:
        return True, item.replace(label, "").replace("  ", " ").strip()
    return False, item


def _signed_in_name() -> str | None:
    user = g.get("user")
    try:
        return user["name"] if user else None
    except (KeyError, IndexError, TypeError):
        return None


def _is_admin() -> bool:
    user = g.get("user")
    try:
        return bool(user) and user["role"] == "admin"
    except (KeyError, IndexError, TypeError):
        return False


def _page(briefing: Briefing, form: EditForm, use_form: UseForm, status: int = 200, error: str | None = None):
    sections = [(s, [_split_label(i) for i in s.items]) for s in briefing.sections]
    return render_template(
        "briefings/briefing.html", briefing=briefing, sections=sections, form=form, use_form=use_form,
        usage=uses.summary(get_tracker_db(), briefing.kind, briefing.slug), use_error=error,
        logged_uses=uses.logged(get_tracker_db(), briefing.kind, briefing.slug) if _is_admin() else None,
        hide_form=HideUseForm(formdata=None),
        logged=request.args.get("logged") == "1", signed_in=_signed_in_name(), human_date=human_date,
    ), status


@bp.get("/briefings")
def index():
    reviews, themes = briefable(get_db())  # only what holds learning has a briefing
    return render_template("briefings/index.html", reviews=reviews, themes=themes,
                           counts=uses.counts(get_tracker_db()))


@bp.route("/briefings/<any(review, theme):kind>/<slug>", methods=["GET", "POST"])
def briefing(kind: str, slug: str):
    """GET previews the briefing with its edit form; POST returns the edited version as DOCX."""
    briefing = _briefing(kind, slug)
    form = EditForm()
    if request.method == "GET":
        for section in briefing.sections:
            form[f"s{section.number}"].data = section.text()
    elif form.validate_on_submit():
        edited = briefing.with_texts({n: form[f"s{n}"].data or "" for n in TITLES})
        out = io.BytesIO()
        write_docx(edited, out, _base_url())
        out.seek(0)
        name = re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-") or "briefing"
        return send_file(out, mimetype=DOCX_MIME, as_attachment=True,
                         download_name=f"7-minute-briefing-{kind}-{name}.docx")
    else:
        return _page(briefing, form, UseForm(formdata=None), 400)
    return _page(briefing, form, UseForm(formdata=None))


@bp.post("/briefings/<any(review, theme):kind>/<slug>/uses")
def log_use(kind: str, slug: str):
    """Store one delivery of the briefing, then go back to its page."""
    briefing = _briefing(kind, slug)
    form = UseForm()
    edit_form = EditForm(formdata=None, data={f"s{s.number}": s.text() for s in briefing.sections})
    if not form.validate_on_submit():
        return _page(briefing, edit_form, form, 400)
    limit = int(current_app.config.get("BRIEFING_USE_RATE_LIMIT", DEFAULT_RATE_LIMIT))
    if not extensions.hit(f"{limit} per {RATE_WINDOW} seconds", "briefing-use", request.remote_addr or "unknown"):
        return _page(briefing, edit_form, form, 429, "Too many uses logged from here in the last hour: "
                     "please try again later.")
    use = uses.Use(kind, briefing.slug, form.delivered_on.data, form.team.data or "", form.staff_count.data,
                   form.actions_agreed.data or "", _signed_in_name() or form.logged_by.data)
    try:
        uses.log(get_tracker_db(), use)
    except uses.InvalidUse as exc:
        return _page(briefing, edit_form, form, 400, f"{str(exc)[0].upper()}{str(exc)[1:]}.")
    return redirect(url_for("briefings.briefing", kind=kind, slug=briefing.slug, logged=1) + "#log-use")


@bp.post("/briefings/<any(review, theme):kind>/<slug>/uses/<int:use_id>/hide")
def hide_use(kind: str, slug: str, use_id: int):
    """An administrator leaves an inflated or false use out of the counts; who, when and why is kept."""
    if not _is_admin():
        abort(403, description="Only the business unit (administrators) can hide a logged use.")
    briefing = _briefing(kind, slug)
    form = HideUseForm()
    error = None
    if form.validate_on_submit():
        try:
            uses.hide(get_tracker_db(), use_id, g.user["name"], form.reason.data)
        except uses.InvalidUse as exc:
            error = f"{str(exc)[0].upper()}{str(exc)[1:]}."
        else:
            return redirect(url_for("briefings.briefing", kind=kind, slug=briefing.slug) + "#logged-uses")
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    edit_form = EditForm(formdata=None, data={f"s{s.number}": s.text() for s in briefing.sections})
    return _page(briefing, edit_form, UseForm(formdata=None), 400, error)
