"""What anyone may see of the tracker: statuses, public evidence and a dated timeline.

Used by the public pages, `ingest publish` (public.db for Datasette) and the search facet.
Nothing returned here names an editor or carries a private note.
"""
from __future__ import annotations

import logging
import os
import sqlite3
from datetime import date

from tracker import state as state_mod
from core import status as statuses
from tracker import store

log = logging.getLogger(__name__)

_TIMELINE_FIELDS = {"response": "Response", "target_date": "Target date", "delivery": "Delivery",
                    "assurance": "Assurance", "public_evidence": "Public evidence", "added": "Action added"}
_VOCAB_FIELD = {"response": "response", "delivery": "delivery", "assurance": "assurance"}


def _today(today: date | None) -> date:
    return today or date.today()


def recommendation_statuses(tracker_conn: sqlite3.Connection, reviews_conn: sqlite3.Connection,
                            today: date | None = None) -> dict[str, dict]:
    """rec id -> response, status, brag, target_date, updated, for every current recommendation."""
    today = _today(today)
    loaded = state_mod.load(tracker_conn, reviews_conn)
    return {rec_id: {"response": rec.response, "status": rec.status(), "brag": rec.brag(today),
                     "target_date": rec.target_date, "updated": rec.last_updated()}
            for rec_id, rec in loaded.recommendations.items()}


def public_timeline(tracker_conn: sqlite3.Connection, rec_id: str,
                    reviews_conn: sqlite3.Connection | None = None) -> list[dict]:
    """Dated public changes, newest first; with reviews_conn, changes made under aliased old ids too."""
    ids = [rec_id]
    if reviews_conn is not None:
        ids = state_mod.old_ids_for(rec_id, state_mod.aliases(reviews_conn))
    out = []
    for row in store.history(tracker_conn, ids):
        if not row["public"] or row["field"] not in _TIMELINE_FIELDS:
            continue
        kind = _VOCAB_FIELD.get(row["field"])
        old = statuses.label(kind, row["old_value"]) if kind and row["old_value"] else row["old_value"]
        new = statuses.label(kind, row["new_value"]) if kind and row["new_value"] else row["new_value"]
        what = _TIMELINE_FIELDS[row["field"]]
        subject = "recommendation" if row["entity"] == "recommendation" else f"action {row['entity_id']}"
        if row["field"] == "added":
            summary = f"Action {row['entity_id']} added: {new}"
        elif row["field"] == "public_evidence":
            summary = f"{what} for {subject} updated: {new or '(removed)'}"
        else:
            summary = f"{what} of {subject} changed from {old or 'not set'} to {new or 'not set'}"
        out.append({"at": row["at"], "date": row["at"][:10], "entity": row["entity"],
                    "entity_id": row["entity_id"], "field": row["field"], "field_label": what,
                    "from": old, "to": new, "summary": summary})
    return out


def action_states(tracker_conn: sqlite3.Connection, reviews_conn: sqlite3.Connection, rec_id: str,
                  include_private: bool = False, today: date | None = None) -> list[dict]:
    """The current state of each action on a recommendation (orphaned ones only with include_private)."""
    today = _today(today)
    loaded = state_mod.load(tracker_conn, reviews_conn)
    rec = loaded.recommendations.get(rec_id)
    if rec is None:
        return []
    actions = rec.actions if include_private else rec.live_actions()
    out = []
    for action in actions:
        item = action.as_dict(today, include_private)
        item["agency_name"] = loaded.agency_names.get(action.agency, action.agency)
        out.append(item)
    return out


def _export(loaded: state_mod.TrackerState, today: date, only: str | None = None) -> tuple[list[dict], list[dict]]:
    rec_rows, action_rows = [], []
    for rec_id, rec in loaded.recommendations.items():
        if only is not None and rec_id != only:
            continue
        rec_rows.append({"recommendation_id": rec_id, "response": rec.response, "status": rec.status(),
                         "brag": rec.brag(today), "target_date": rec.target_date, "updated": rec.last_updated()})
        for a in rec.live_actions():
            action_rows.append(_action_row(a))
    if only is None:
        action_rows += [_action_row(a) for a in loaded.unlinked_actions if not a.orphaned]
    return rec_rows, action_rows


def _action_row(a: state_mod.ActionState) -> dict:
    return {"action_id": a.action_id, "recommendation_id": a.recommendation_id, "agency": a.agency,
            "delivery": a.delivery, "assurance": a.assurance, "target_date": a.target_date,
            "public_evidence": a.public_evidence, "updated": a.updated}


def export_rows(tracker_conn: sqlite3.Connection, reviews_conn: sqlite3.Connection,
                today: date | None = None) -> tuple[list[dict], list[dict]]:
    """(recommendation_status rows, action_status rows) with exactly public.db's columns."""
    return _export(state_mod.load(tracker_conn, reviews_conn), _today(today))


def on_change(app, rec_id: str) -> None:
    """After a saved change, refresh the published status; a failure is logged, never raised.

    The change itself is already safe in tracker.db; the next `make build` republishes anyway.
    """
    try:
        reviews_conn = sqlite3.connect(f"file:{app.config['DATABASE']}?mode=ro", uri=True)
        tracker_conn = store.connect(app.config["TRACKER_DATABASE"])
        try:
            rec_rows, action_rows = _export(state_mod.load(tracker_conn, reviews_conn), date.today(), only=rec_id)
        finally:
            reviews_conn.close()
            tracker_conn.close()
    except sqlite3.Error as exc:
        log.warning("could not refresh published status of %s: %s", rec_id, exc)
        return
    _call_publish(app, rec_rows, action_rows)
    _call_search_index(app, rec_id, rec_rows[0]["status"] if rec_rows else None)


def _call_publish(app, rec_rows: list[dict], action_rows: list[dict]) -> None:
    try:
        from ingest import publish
    except ImportError:
        return
    path = app.config.get("PUBLIC_DATABASE")
    if not hasattr(publish, "update_status") or not path or not os.path.exists(path):
        return
    try:
        publish.update_status(path, rec_rows, action_rows)
    except Exception as exc:  # noqa: BLE001 - the change is saved; publishing catches up at the next build
        log.warning("could not update %s: %s", path, exc)


def _call_search_index(app, rec_id: str, status: str | None) -> None:
    try:
        import search_index
    except ImportError:
        return
    update = getattr(search_index, "update_status", None)
    index_dir = app.config.get("SEARCH_INDEX_DIR")
    if status is None or update is None or not index_dir or not os.path.isdir(index_dir):
        return
    try:
        update(index_dir, rec_id, status)
    except Exception as exc:  # noqa: BLE001 - as above: the index is rebuilt by the next build
        log.warning("could not update the search index for %s: %s", rec_id, exc)
