"""What anyone may see of the tracker: statuses, public evidence and a dated timeline.

Used by the public pages, the publish step (the open data for Datasette) and the search facet.
Nothing returned here names an editor or carries a private note.
"""
from __future__ import annotations

import sqlite3
from datetime import date

from core import status as statuses
from tracker import state as state_mod
from tracker import labels, store

_TIMELINE_FIELDS = {"response": "Response", "target_date": "Target date", "delivery": "Delivery",
                    "assurance": "Assurance", "public_evidence": "Public evidence", "added": "Action added"}


def _today(today: date | None) -> date:
    return today or date.today()


def recommendation_statuses(tracker_conn: sqlite3.Connection, reviews_conn: sqlite3.Connection,
                            today: date | None = None, loaded: state_mod.TrackerState | None = None) -> dict[str, dict]:
    """rec id -> response, status, brag, target_date, updated, for every current recommendation."""
    rec_rows, _ = export_rows(tracker_conn, reviews_conn, today, loaded)
    return {row.pop("recommendation_id"): row for row in rec_rows}


def search_statuses(tracker_conn: sqlite3.Connection, reviews_conn: sqlite3.Connection,
                    loaded: state_mod.TrackerState | None = None) -> dict[str, str]:
    """Search document id -> status: each recommendation's public status and each action's."""
    loaded = loaded or state_mod.load(tracker_conn, reviews_conn)
    out = {rec_id: rec.status() for rec_id, rec in loaded.recommendations.items()}
    for action in loaded.all_actions():
        status = statuses.action_status(action.delivery, action.assurance)
        if status:
            out[action.action_id] = status
    return out


def public_timeline(tracker_conn: sqlite3.Connection, rec_id: str,
                    reviews_conn: sqlite3.Connection | None = None,
                    loaded: state_mod.TrackerState | None = None) -> list[dict]:
    """Dated public changes in words, newest first; with reviews_conn, changes made under aliased old
    ids too, and each action named by its agency and text ("Police action: Audit of ...")."""
    ids, names = [rec_id], {}
    if reviews_conn is not None:
        ids = state_mod.old_ids_for(rec_id, state_mod.aliases(reviews_conn))
        loaded = loaded or state_mod.load(tracker_conn, reviews_conn)
        names = {a.action_id: loaded.action_name(a) for a in loaded.all_actions(include_orphans=True)}
    out = []
    for row in store.history(tracker_conn, ids):
        if not row["public"] or row["field"] not in _TIMELINE_FIELDS:
            continue
        old, new = labels.value(row["field"], row["old_value"]), labels.value(row["field"], row["new_value"])
        what = _TIMELINE_FIELDS[row["field"]]
        about = "" if row["entity"] == "recommendation" else \
            f" ({names.get(row['entity_id'], 'an agency action')})"
        if row["field"] == "added":
            summary = f"Action added: {names.get(row['entity_id'], new)}"
        elif row["field"] == "public_evidence":
            summary = f"{what} updated{about}: {new or '(removed)'}"
        else:
            summary = f"{what} changed from {old or 'not set'} to {new or 'not set'}{about}"
        out.append({"at": row["at"], "date": row["at"][:10], "entity": row["entity"],
                    "entity_id": row["entity_id"], "field": row["field"], "field_label": what,
                    "from": old, "to": new, "summary": summary})
    return out


def action_states(tracker_conn: sqlite3.Connection, reviews_conn: sqlite3.Connection, rec_id: str,
                  include_private: bool = False, today: date | None = None,
                  loaded: state_mod.TrackerState | None = None) -> list[dict]:
    """The current state of each action on a recommendation (orphaned ones only with include_private)."""
    today = _today(today)
    loaded = loaded or state_mod.load(tracker_conn, reviews_conn)
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


def _export(loaded: state_mod.TrackerState, today: date) -> tuple[list[dict], list[dict]]:
    """The one place a recommendation's public status row is made: pages, open data and search use it."""
    rec_rows, action_rows = [], []
    for rec_id, rec in loaded.recommendations.items():
        rec_rows.append({"recommendation_id": rec_id, "response": rec.response, "status": rec.status(),
                         "brag": rec.brag(today), "target_date": rec.target_date, "updated": rec.last_updated()})
        for a in rec.live_actions():
            action_rows.append(_action_row(a, today))
    action_rows += [_action_row(a, today) for a in loaded.unlinked_actions if not a.orphaned]
    return rec_rows, action_rows


def _action_row(a: state_mod.ActionState, today: date) -> dict:
    """An action's public row: its words and review too, so tracker-added actions read as fully as ingested ones."""
    return {"action_id": a.action_id, "review_id": a.review_id, "recommendation_id": a.recommendation_id,
            "agency": a.agency, "action": a.action, "origin": a.origin, "delivery": a.delivery,
            "assurance": a.assurance, "brag": a.brag(today), "target_date": a.target_date,
            "public_evidence": a.public_evidence, "updated": a.updated}


def export_rows(tracker_conn: sqlite3.Connection, reviews_conn: sqlite3.Connection,
                today: date | None = None, loaded: state_mod.TrackerState | None = None
                ) -> tuple[list[dict], list[dict]]:
    """(recommendation_status rows, action_status rows) with exactly public.db's columns.

    `loaded`: a tracker state the caller already holds (the site keeps one until the data changes)."""
    return _export(loaded or state_mod.load(tracker_conn, reviews_conn), _today(today))
