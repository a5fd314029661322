"""The intake pages: administrators add a newly published review from the browser.

New review (metadata) -> documents (upload or paste) -> extraction in the background (progress
page) -> preview and corrections -> publish. Board members and agency leads are refused (403).
The work itself is in intake/; this module turns it into responses.
"""
from __future__ import annotations

import functools
import shutil
from pathlib import Path

import yaml
from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   url_for)
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectChoice

from ingest.build import vocabulary
from ingest.cited import CITED_FILE
from ingest.load import vocabulary_rows
from ingest.readers import DEFAULT_MAX_BYTES
from ingest.records import REVIEW_TYPES, load_review, review_folders_in
from intake import drafts, jobs, preview as preview_mod, publishing, store, uploads
from tracker import permissions
from views.auth import login_required
from views.db import get_db
from views.intake_forms import (ActionLinkForm, CorrectionsForm, PasteForm, RecommendationEditForm,
                                RenumberForm, ReviewForm, UploadForm)
from views.public import REVIEW_TYPES as REVIEW_TYPE_LABELS

bp = Blueprint("intake", __name__, url_prefix="/intake")
ROOT = Path(__file__).resolve().parents[1]
UPLOAD_ENDPOINTS = ("intake.upload", "intake.paste")


@bp.record_once
def _init(state) -> None:
    # Uploads may be larger than the app's 2 MB form limit. This runs before CSRFProtect reads
    # the form (app-wide before_request functions run first, in order).
    state.app.before_request_funcs.setdefault(None, []).insert(0, _upload_limit)


def _upload_limit() -> None:
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = current_app.config.get("INTAKE_MAX_BYTES", DEFAULT_MAX_BYTES) + 65536


def admin_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not permissions.can_manage_reviews(g.user):
            return render_template("tracker/forbidden.html",
                                   message="Only the business unit (administrators) can add or change reviews."), 403
        return view(*args, **kwargs)
    return wrapped


def targets() -> publishing.Targets:
    return publishing.Targets.from_config(current_app.config, ROOT)


def paths() -> jobs.Paths:
    t = targets()
    return jobs.Paths(work=t.work, db=Path(current_app.config.get("INTAKE_DATABASE") or t.work.parent / "intake.db"))


def conn():
    if "intake_db" not in g:
        g.intake_db = store.connect(paths().db)
    return g.intake_db


@bp.teardown_app_request
def _close(_exc=None) -> None:
    c = g.pop("intake_db", None)
    if c is not None:
        c.close()


def _max_bytes() -> int:
    return current_app.config.get("INTAKE_MAX_BYTES", DEFAULT_MAX_BYTES)


def _vocab_choices(kind: str) -> list[SelectChoice]:
    return [SelectChoice(r["slug"], r["name"]) for r in sorted(vocabulary_rows()[kind], key=lambda r: r["name"])]


def _review_form(**kwargs) -> ReviewForm:
    form = ReviewForm(**kwargs)
    form.review_type.choices = [SelectChoice(k, REVIEW_TYPE_LABELS.get(k, k)) for k in REVIEW_TYPES]
    form.themes.choices = _vocab_choices("themes")
    return form


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(k, v) for k, v in drafts.ROLES.items()]


def _taken_ids(exclude_draft: str | None = None) -> set[str]:
    t = targets()
    taken = {f.name for f in review_folders_in([t.bundled, t.managed])}
    taken |= publishing.withdrawn_ids(t.managed) if t.managed.exists() else set()
    taken |= {d["review_id"] for d in store.list_drafts(conn()) if d["id"] != exclude_draft and d["status"] != "published"}
    return taken


def _draft_or_404(draft_id: str) -> dict:
    try:
        drafts.draft_dir(targets().work, draft_id)
    except ValueError:
        abort(404)
    draft = store.load_draft(conn(), draft_id)
    if draft is None:
        abort(404)
    return draft


def _save(draft: dict, action: str, detail: str = "") -> None:
    with store.transaction(conn()):
        store.save_draft(conn(), draft, g.user)
        store.log(conn(), g.user, action, draft_id=draft["id"], review_id=draft["review_id"], detail=detail)


@bp.route("/")
@admin_required
def index():
    t = targets()
    published = []
    withdrawn = publishing.withdrawn_ids(t.managed) if t.managed.exists() else set()
    for root, kind in ((t.bundled, "bundled"), (t.managed, "browser")):
        if root.exists():
            published += [{"id": f.name, "kind": kind, "withdrawn": f.name in withdrawn}
                          for f in sorted(root.iterdir()) if f.is_dir() and not f.name.startswith((".", "_"))]
    return render_template("intake/index.html", drafts=[d for d in store.list_drafts(conn()) if d["status"] != "published"],
                           published=published, form=CorrectionsForm())


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    form = _review_form()
    if form.validate_on_submit():
        meta = _meta(form)
        review_id = form.review_id.data or drafts.proposed_id(meta["subject"], meta["published"], _taken_ids())
        if review_id in _taken_ids():
            form.review_id.errors = [f"The id {review_id} is already used: choose another"]
        else:
            draft = drafts.new_draft(review_id, meta)
            drafts.write_folder(targets().work, draft)
            _save(draft, "draft created", f"{review_id}: {meta['title']}")
            return redirect(url_for("intake.draft", draft_id=draft["id"]))
    status = 400 if form.errors else 200
    return render_template("intake/details.html", form=form, draft=None), status


def _meta(form: ReviewForm) -> dict:
    return {"title": form.title.data.strip(), "subject": form.subject.data.strip(),
            "review_type": form.review_type.data, "publisher": (form.publisher.data or "").strip() or None,
            "area": (form.area.data or "").strip() or None, "published": form.published(),
            "period": (form.period.data or "").strip() or None, "report_url": form.report_url.data or None,
            "summary": " ".join((form.summary.data or "").split()) or None, "themes": form.themes.data or []}


@bp.route("/<draft_id>/details", methods=["GET", "POST"])
@admin_required
def details(draft_id: str):
    draft = _draft_or_404(draft_id)
    form = _review_form()
    if request.method == "GET":
        meta = draft["meta"]
        for key in ("title", "subject", "review_type", "publisher", "area", "period", "report_url", "summary", "themes"):
            getattr(form, key).data = meta.get(key)
        parts = (meta.get("published") or "").split("-")
        form.year.data, form.month.data = int(parts[0]) if parts[0] else None, int(parts[1]) if len(parts) > 1 else None
        form.day.data = int(parts[2]) if len(parts) > 2 else None
        form.review_id.data = draft["review_id"]
    elif form.validate_on_submit():
        review_id = form.review_id.data or draft["review_id"]
        if review_id != draft["review_id"] and review_id in _taken_ids(exclude_draft=draft_id) and review_id != draft.get("replaces"):
            form.review_id.errors = [f"The id {review_id} is already used: choose another"]
        else:
            draft["meta"], draft["review_id"] = _meta(form), review_id
            drafts.write_folder(targets().work, draft)
            _save(draft, "details changed")
            return redirect(url_for("intake.draft", draft_id=draft_id))
    status = 400 if form.errors else 200
    return render_template("intake/details.html", form=form, draft=draft), status


def _documents_page(draft: dict, upload=None, paste=None, error: str | None = None, status: int = 200):
    upload = upload or UploadForm(formdata=None)
    paste = paste or PasteForm(formdata=None)
    upload.role.choices = paste.role.choices = _role_choices()
    job = store.get_job(conn(), draft["id"])
    return render_template("intake/draft.html", draft=draft, upload=upload, paste=paste, error=error,
                           job=job, running=jobs.is_running(job), button=CorrectionsForm(formdata=None),
                           pending=jobs.pending(draft, targets().work), roles=drafts.ROLES,
                           max_size=uploads.megabytes(_max_bytes())), status


@bp.route("/<draft_id>")
@admin_required
def draft(draft_id: str):
    return _documents_page(_draft_or_404(draft_id))


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc):
    # The body was refused unread: give the request an empty form, so the page (and the sign-out
    # form every page carries) can be rendered without parsing it again.
    request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
    draft_id = (request.view_args or {}).get("draft_id")
    message = f"The file is over the {uploads.megabytes(_max_bytes())} limit"
    if draft_id and g.get("user") and permissions.can_manage_reviews(g.user):
        return _documents_page(_draft_or_404(draft_id), error=message, status=413)
    return message, 413


@bp.route("/<draft_id>/upload", methods=["POST"])
@admin_required
def upload(draft_id: str):
    draft = _draft_or_404(draft_id)
    form = UploadForm()
    form.role.choices = _role_choices()
    if not form.validate_on_submit():
        return _documents_page(draft, upload=form, status=400)
    file = request.files.get("document")
    if file is None or not file.filename:
        return _documents_page(draft, upload=form, error="Choose a file to upload", status=400)
    folder = drafts.review_folder(targets().work, draft_id)
    try:
        name, fmt, size = uploads.accept_stream(folder, file.stream, file.filename, _max_bytes())
    except uploads.UploadRefused as exc:
        store.log(conn(), g.user, "upload refused", draft_id=draft_id, review_id=draft["review_id"], detail=str(exc))
        return _documents_page(draft, upload=form, error=str(exc), status=400)
    return _added(draft, name, fmt, size, form.role.data)


def _added(draft: dict, name: str, fmt: str, size: int, role: str):
    draft = store.load_draft(conn(), draft["id"])  # fresh: an extraction may have changed it
    draft["documents"].append({"file": name, "format": fmt, "bytes": size, "role": role, "new": True})
    draft["status"] = "new"
    drafts.write_folder(targets().work, draft)
    _save(draft, "document added", f"{name} ({drafts.ROLES[role]}, {fmt}, {size} bytes)")
    flash(f"{name} added.")
    return redirect(url_for("intake.draft", draft_id=draft["id"]))


@bp.route("/<draft_id>/paste", methods=["POST"])
@admin_required
def paste(draft_id: str):
    draft = _draft_or_404(draft_id)
    form = PasteForm()
    form.role.choices = _role_choices()
    if not form.validate_on_submit():
        return _documents_page(draft, paste=form, status=400)
    folder = drafts.review_folder(targets().work, draft_id)
    try:
        name, fmt, size = uploads.accept_text(folder, form.text.data, form.page_title.data, _max_bytes())
    except uploads.UploadRefused as exc:
        return _documents_page(draft, paste=form, error=str(exc), status=400)
    return _added(draft, name, fmt, size, form.role.data)


@bp.route("/<draft_id>/documents/<file>/remove", methods=["POST"])
@admin_required
def remove_document(draft_id: str, file: str):
    draft = _draft_or_404(draft_id)
    removable = [d for d in draft["documents"] if d["file"] == file and (d.get("new") or not draft.get("bundled"))]
    if CorrectionsForm().validate_on_submit() and removable:
        drafts.remove_document(targets().work, draft, file)
        drafts.write_folder(targets().work, draft)
        _save(draft, "document removed", file)
    return redirect(url_for("intake.draft", draft_id=draft_id))


@bp.route("/<draft_id>/extract", methods=["POST"])
@admin_required
def extract(draft_id: str):
    draft = _draft_or_404(draft_id)
    if not CorrectionsForm().validate_on_submit():
        abort(400)
    if not jobs.is_running(store.get_job(conn(), draft_id)):
        draft["status"] = "extracting"
        _save(draft, "extraction started", ", ".join(d["file"] for d in jobs.pending(draft, targets().work)))
        jobs.start(paths(), draft_id, dict(g.user), wait=current_app.config.get("INTAKE_SYNC_JOBS", False))
    return redirect(url_for("intake.progress", draft_id=draft_id))


@bp.route("/<draft_id>/progress")
@admin_required
def progress(draft_id: str):
    draft = _draft_or_404(draft_id)
    job = store.get_job(conn(), draft_id)
    return render_template("intake/progress.html", draft=draft, job=job, running=jobs.is_running(job))


def _preview_page(draft: dict, status: int = 200, errors: dict | None = None):
    pv = preview_mod.preview(targets().work, draft)
    numbers = [str(r["number"]) for r in pv.recommendations if not r.get("dropped")]
    edit_forms = {}
    for rec in pv.recommendations:
        if rec.get("dropped"):
            continue
        f = RecommendationEditForm(formdata=None, number=rec["number"], text=rec["text"],
                                   agencies=rec.get("agencies", []), themes=rec.get("themes", []), prefix=f"r{_slot(rec['number'])}")
        f.agencies.choices, f.themes.choices = _vocab_choices("agencies"), _vocab_choices("themes")
        edit_forms[str(rec["number"])] = f
    add_form = RecommendationEditForm(prefix="new")
    add_form.agencies.choices, add_form.themes.choices = _vocab_choices("agencies"), _vocab_choices("themes")
    link_form = ActionLinkForm(formdata=None)
    link_form.recommendation.choices = [SelectChoice("", "No recommendation")] + [SelectChoice(n, n) for n in numbers]
    return render_template("intake/preview.html", draft=draft, pv=pv, edit_forms=edit_forms, add_form=add_form,
                           link_form=link_form, renumber=RenumberForm(formdata=None, start=1), button=CorrectionsForm(),
                           errors=errors or {}, warning_rules=preview_mod.WARNINGS,
                           theme_names={r["slug"]: r["name"] for r in vocabulary_rows()["themes"]},
                           agency_names={r["slug"]: r["name"] for r in vocabulary_rows()["agencies"]}), status


def _slot(number: str) -> str:
    from ingest.ids import slugify
    return slugify(str(number)) or "x"


@bp.route("/<draft_id>/preview")
@admin_required
def preview(draft_id: str):
    draft = _draft_or_404(draft_id)
    return _preview_page(draft)


def _corrections(draft: dict) -> dict:
    return draft.setdefault("corrections", {})


def _extracted_numbers(draft: dict) -> set[str]:
    """Numbers as extracted or curated in review.yml (the keys corrections.yml uses), before any
    renumbering."""
    folder = drafts.review_folder(targets().work, draft["id"])
    out = {r["number"] for r in load_review(folder, vocabulary())["recommendations"]}
    for d in draft["documents"]:
        found = drafts.load_extraction(targets().work, draft["id"], d["file"])
        if found:
            out |= {str(r.get("number")) for r in found[1].get("recommendations", []) if r.get("number")}
    return out


def _key_for(draft: dict, number: str) -> tuple[str, str]:
    """('fix', original number) for an extracted recommendation shown as `number`, or ('add', index)."""
    corr = _corrections(draft)
    for key, fix in corr.get("recommendations", {}).items():
        if isinstance(fix, dict) and str(fix.get("number", key)) == number:
            return "fix", key
    for i, added in enumerate(corr.get("add_recommendations", [])):
        if str(added["number"]) == number:
            return "add", str(i)
    if number in _extracted_numbers(draft):
        return "fix", number
    abort(404)


@bp.route("/<draft_id>/recommendations/<number>", methods=["POST"])
@admin_required
def edit_recommendation(draft_id: str, number: str):
    draft = _draft_or_404(draft_id)
    kind, key = _key_for(draft, number)
    form = RecommendationEditForm(prefix=f"r{_slot(number)}")
    form.agencies.choices, form.themes.choices = _vocab_choices("agencies"), _vocab_choices("themes")
    if not form.validate_on_submit():
        return _preview_page(draft, 400, {number: [e for errs in form.errors.values() for e in errs]})
    values = {"text": " ".join(form.text.data.split()), "agencies": form.agencies.data, "themes": form.themes.data}
    corr = _corrections(draft)
    if kind == "add":
        corr["add_recommendations"][int(key)].update(values, number=form.number.data.strip())
    else:
        fix = {**(corr.setdefault("recommendations", {}).get(key) or {}), **values}
        if form.number.data.strip() != key:
            fix["number"] = form.number.data.strip()
        else:
            fix.pop("number", None)
        corr["recommendations"][key] = fix
    _save(draft, "recommendation corrected", f"{number}: {values['text'][:200]}")
    return redirect(url_for("intake.preview", draft_id=draft_id) + f"#rec-{_slot(form.number.data)}")


@bp.route("/<draft_id>/recommendations/<number>/<any(drop, restore):choice>", methods=["POST"])
@admin_required
def drop_recommendation(draft_id: str, number: str, choice: str):
    draft = _draft_or_404(draft_id)
    if not CorrectionsForm().validate_on_submit():
        abort(400)
    corr = _corrections(draft)
    if choice == "restore":
        corr.get("recommendations", {}).pop(number, None)
    else:
        kind, key = _key_for(draft, number)
        if kind == "add":
            corr["add_recommendations"].pop(int(key))
        else:
            corr.setdefault("recommendations", {})[key] = "drop"
    _save(draft, f"recommendation {'restored' if choice == 'restore' else 'marked not a recommendation'}", number)
    return redirect(url_for("intake.preview", draft_id=draft_id))


@bp.route("/<draft_id>/recommendations/add", methods=["POST"])
@admin_required
def add_recommendation(draft_id: str):
    draft = _draft_or_404(draft_id)
    form = RecommendationEditForm(prefix="new")
    form.agencies.choices, form.themes.choices = _vocab_choices("agencies"), _vocab_choices("themes")
    if not form.validate_on_submit():
        return _preview_page(draft, 400, {"new": [e for errs in form.errors.values() for e in errs]})
    number = form.number.data.strip()
    pv = preview_mod.preview(targets().work, draft)
    if number in {str(r["number"]) for r in pv.recommendations if not r.get("dropped")}:
        return _preview_page(draft, 400, {"new": [f"There is already a recommendation {number}"]})
    _corrections(draft).setdefault("add_recommendations", []).append(
        {"number": number, "text": " ".join(form.text.data.split()), "agencies": form.agencies.data,
         "themes": form.themes.data})
    _save(draft, "recommendation added", f"{number}: {form.text.data[:200]}")
    return redirect(url_for("intake.preview", draft_id=draft_id) + f"#rec-{_slot(number)}")


@bp.route("/<draft_id>/renumber", methods=["POST"])
@admin_required
def renumber(draft_id: str):
    """Number the extracted recommendations consecutively from `start`, in the order shown."""
    draft = _draft_or_404(draft_id)
    form = RenumberForm()
    if not form.validate_on_submit():
        return _preview_page(draft, 400, {"renumber": ["Enter a whole number from 1"]})
    pv = preview_mod.preview(targets().work, draft)
    corr = _corrections(draft)
    fixes = corr.setdefault("recommendations", {})
    n = form.start.data
    for rec in pv.recommendations:
        if rec.get("dropped"):
            continue
        kind, key = _key_for(draft, str(rec["number"]))
        if kind == "add":
            corr["add_recommendations"][int(key)]["number"] = str(n)
        else:
            fix = fixes.get(key) if isinstance(fixes.get(key), dict) else {}
            fix = {**fix, "number": str(n)}
            if str(n) == key:
                fix.pop("number")
            fixes[key] = fix
            if not fix:
                fixes.pop(key)
        n += 1
    _save(draft, "recommendations renumbered", f"from {form.start.data}")
    return redirect(url_for("intake.preview", draft_id=draft_id))


@bp.route("/<draft_id>/actions/<int:row>", methods=["POST"])
@admin_required
def link_action(draft_id: str, row: int):
    draft = _draft_or_404(draft_id)
    pv = preview_mod.preview(targets().work, draft)
    if not 1 <= row <= len(pv.actions):
        abort(404)
    form = ActionLinkForm()
    numbers = [str(r["number"]) for r in pv.recommendations if not r.get("dropped")]
    form.recommendation.choices = [SelectChoice("", "No recommendation")] + [SelectChoice(n, n) for n in numbers]
    if not form.validate_on_submit():
        return _preview_page(draft, 400, {f"action-{row}": ["Choose a recommendation from the list"]})
    link = form.recommendation.data or None
    _corrections(draft).setdefault("agency_actions", {})[str(row)] = {"recommendation": link}
    _save(draft, "action row linked", f"row {row} -> {link or 'none'}")
    return redirect(url_for("intake.preview", draft_id=draft_id) + f"#action-{row}")


@bp.route("/<draft_id>/publish", methods=["POST"])
@admin_required
def publish(draft_id: str):
    draft = _draft_or_404(draft_id)
    if not CorrectionsForm().validate_on_submit():
        abort(400)
    if jobs.pending(draft, targets().work) or jobs.is_running(store.get_job(conn(), draft_id)):
        flash("Extract the documents before publishing.")
        return redirect(url_for("intake.draft", draft_id=draft_id))
    t = targets()
    folder = drafts.write_folder(t.work, draft)
    extracted = {found[0].sha256: found for d in draft["documents"]
                 if (found := drafts.load_extraction(t.work, draft_id, d["file"]))}
    try:
        if draft.get("bundled"):
            new_documents = [(folder / d["file"], d["role"]) for d in draft["documents"] if d.get("new")]
            result = publishing.save_bundled(t, t.bundled / draft["review_id"],
                                             (folder / "corrections.yml").read_text(encoding="utf-8")
                                             if (folder / "corrections.yml").exists() else None,
                                             new_documents, extracted)
        else:
            if draft["review_id"] in _taken_ids(exclude_draft=draft_id) and draft["review_id"] != draft.get("replaces"):
                flash(f"The id {draft['review_id']} is already used: change it under Review details.")
                return redirect(url_for("intake.draft", draft_id=draft_id))
            result = publishing.save_review(t, draft["review_id"], folder, extracted)
    except publishing.PublishFailed as exc:
        store.log(conn(), g.user, "publish failed", draft_id=draft_id, review_id=draft["review_id"], detail=str(exc))
        return render_template("intake/published.html", draft=draft, error=str(exc), result=None), 400
    draft["status"] = "published"
    _save(draft, "published", f"{result.recommendations} recommendations in the database; live after "
                              f"{result.old_data_seconds:.1f} s (swap {result.swap_seconds * 1000:.0f} ms)")
    return render_template("intake/published.html", draft=draft, error=None, result=result)


@bp.route("/reviews/<review_id>/edit", methods=["POST"])
@admin_required
def edit_published(review_id: str):
    """A draft from a published review: a new version of its report, or corrections to it."""
    if not CorrectionsForm().validate_on_submit():
        abort(400)
    t = targets()
    bundled = (t.bundled / review_id).is_dir()
    source = t.bundled / review_id if bundled else t.managed / review_id
    if not source.is_dir():
        abort(404)
    record = load_review(source, vocabulary())
    meta = {k: record.get(k) for k in drafts.META_FIELDS}
    draft = drafts.new_draft(review_id, meta, replaces=review_id)
    draft["bundled"] = bundled
    folder = drafts.review_folder(t.work, draft["id"])
    shutil.copytree(source, folder)
    if (source.parent / CITED_FILE).exists():  # the documents its facts cite live beside it
        shutil.copy(source.parent / CITED_FILE, folder.parent / CITED_FILE)
    if (folder / "corrections.yml").exists():
        draft["corrections"] = yaml.safe_load((folder / "corrections.yml").read_text(encoding="utf-8")) or {}
    from ingest.records import document_files
    draft["documents"] = [{"file": p.name, "format": p.suffix.lstrip("."), "bytes": p.stat().st_size,
                           "role": role or ("learning-summary" if p.suffix in (".md", ".txt") else "published-report")}
                          for p, role in document_files(folder, record)]
    draft["keep_review_yml"] = bundled
    drafts.write_folder(t.work, draft)
    _save(draft, "draft from published review", review_id)
    return redirect(url_for("intake.draft", draft_id=draft["id"]))


@bp.route("/reviews/<review_id>/<any(withdraw, restore):choice>", methods=["POST"])
@admin_required
def withdraw(review_id: str, choice: str):
    if not CorrectionsForm().validate_on_submit():
        abort(400)
    t = targets()
    if not ((t.bundled / review_id).is_dir() or (t.managed / review_id).is_dir()):
        abort(404)
    try:
        publishing.set_withdrawn(t, review_id, choice == "withdraw")
    except publishing.PublishFailed as exc:
        flash(str(exc))
        return redirect(url_for("intake.index"))
    store.log(conn(), g.user, "withdrawn from public view" if choice == "withdraw" else "restored to public view",
              review_id=review_id)
    flash(f"{review_id} {'withdrawn from public view' if choice == 'withdraw' else 'restored'}.")
    return redirect(url_for("intake.index"))


def _recurring_item(item_id: str) -> tuple[str, str, str] | None:
    """(kind, review id, page address) of a recommendation or learning point in the live database."""
    db = get_db()
    rec = db.execute("select review_id from recommendations where id = ?", (item_id,)).fetchone()
    if rec:
        return "recommendation", rec[0], url_for("public.recommendation", rec_id=item_id)
    lp = db.execute("select review_id, seq from learning_points where id = ?", (item_id,)).fetchone()
    if lp:
        return "learning point", lp[0], url_for("public.review", review_id=lp[0]) + f"#lp-{lp[1]}"
    return None


@bp.route("/recurring/<any(split, join):action>", methods=["POST"])
@admin_required
def recurring_correction(action: str):
    """'Not the same ask' (split) or 'the same ask' (join), from a recommendation page: saved
    with the other corrections in reviews/recurring-corrections.yml and rebuilt at once."""
    if not CorrectionsForm().validate_on_submit():
        abort(400)
    item, other = (request.form.get(k, "").strip() for k in ("item", "other"))
    found = _recurring_item(item) if item else None
    if found is None:
        abort(404)
    kind, review_id, back = found
    other_found = _recurring_item(other) if other else None
    if other_found is None or other_found[0] != kind:
        flash(f"There is no {kind} with the id {other[:80]!r}." if other else f"Give the id of the other {kind}.")
        return redirect(back)
    try:
        publishing.save_recurring_correction(targets(), action, item, other, review_id)
    except publishing.PublishFailed as exc:
        flash(str(exc))
        return redirect(back)
    verb = "not the same ask as" if action == "split" else "the same ask as"
    store.log(conn(), g.user, f"recurring learning: {item} marked {verb} {other}", review_id=review_id)
    flash(f"Saved: {item} is {verb} {other}. Recurring learning has been grouped again.")
    return redirect(back)


@bp.route("/log")
@admin_required
def log():
    return render_template("intake/log.html", rows=store.history(conn(), request.args.get("review") or None))

