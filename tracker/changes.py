"""Apply a user's change to a recommendation or action: permission, validation, version, audit.

Optimistic concurrency: the form carries the version it was opened at; the UPDATE only matches
that version (version 0 means "never edited", so the INSERT must find no row). A mismatch raises
ConflictError and nothing is written. Every changed field is appended to the audit history.
"""
from __future__ import annotations

import re
import sqlite3

from core import status as statuses
from tracker import store
from tracker import permissions
from tracker.permissions import PermissionDenied, can_add_action, editable_action_fields
from tracker.state import ActionState, RecommendationState

ConflictError = store.ConflictError
MAX_TEXT = 5000
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PUBLIC_ACTION_FIELDS = ("delivery", "assurance", "target_date", "public_evidence")
PUBLIC_RECOMMENDATION_FIELDS = ("response", "target_date")


class ChangeError(ValueError):
    """A submitted value is not allowed; the message names the field in one line."""


def _clean_date(value: str | None, field: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not _ISO_DATE.match(value) or statuses.parse_due(value) is None:
        raise ChangeError(f"{field} must be a date written as YYYY-MM-DD")
    return value


def _clean_text(value: str | None, field: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > MAX_TEXT:
        raise ChangeError(f"{field} must be at most {MAX_TEXT} characters")
    return value


def _clean_choice(value: str | None, field: str, allowed: list[str], current: str | None) -> str:
    if value == current and value is not None:
        return value  # an ingested-only state may be kept as it is
    if value not in allowed:
        raise ChangeError(f"{field} must be one of: {', '.join(allowed)}")
    return value


def _recorded_note(user: dict, rule: str, note: str) -> str:
    """The reason typed, saying so when the business unit records a board decision for the board."""
    if permissions.on_behalf_of_board(user, rule):
        return f"{permissions.ON_BEHALF_NOTE} {note}".strip()
    return note


def clean_action_changes(action: ActionState, submitted: dict) -> dict:
    """Validated new values for the fields submitted (others are left out)."""
    cleaners = {
        "delivery": lambda v: _clean_choice(v, "delivery", statuses.keys(statuses.DELIVERY, True), action.delivery),
        "assurance": lambda v: _clean_choice(v, "assurance", statuses.keys(statuses.ASSURANCE), action.assurance),
        "target_date": lambda v: action.target_date if (v or "").strip() == (action.target_date or "")
        else _clean_date(v, "target date"),
        "public_evidence": lambda v: _clean_text(v, "public evidence"),
        "private_notes": lambda v: _clean_text(v, "private notes"),
    }
    return {f: cleaners[f](v) for f, v in submitted.items() if f in cleaners}


def update_action(conn: sqlite3.Connection, user: dict, action: ActionState, expected_version: int,
                  submitted: dict, note: str = "") -> list[str]:
    """Save the fields that changed and audit them; returns the changed field names."""
    allowed = editable_action_fields(user, action.agency)
    if not allowed:
        raise PermissionDenied(f"you may not change actions for {action.agency}")
    if action.orphaned and user["role"] != "admin":
        raise PermissionDenied("only an administrator may change an orphaned action")
    new = clean_action_changes(action, submitted)
    changed = {f: v for f, v in new.items() if v != getattr(action, f)}
    forbidden = permissions.forbidden_action_changes(user, action.agency, changed,
                                                     {f: getattr(action, f) for f in changed})
    if forbidden:
        raise PermissionDenied(f"you may not change {', '.join(forbidden)}")
    note = _clean_text(note, "note")
    if not changed:
        if expected_version != action.version:  # a stale form is a conflict even when it changes nothing
            raise ConflictError("someone else changed this action after you opened it")
        return []
    at, change_id = store.now(), store.new_change_id()
    values = {f: getattr(action, f) for f in ("delivery", "assurance", "target_date", "public_evidence",
                                              "private_notes")}
    values.update(changed)
    with store.transaction(conn):
        if expected_version == 0:
            cur = conn.execute(
                "INSERT INTO tracked_actions (action_id, recommendation_id, review_id, agency, action, origin,"
                " delivery, assurance, target_date, public_evidence, private_notes, version, updated_at)"
                " VALUES (:id, :rec, :review, :agency, :action, :origin, :delivery, :assurance, :target_date,"
                " :public_evidence, :private_notes, 1, :at) ON CONFLICT(action_id) DO NOTHING",
                {"id": action.action_id, "rec": action.recommendation_id, "review": action.review_id,
                 "agency": action.agency, "action": action.action, "origin": action.origin, "at": at, **values})
        else:
            cur = conn.execute(
                "UPDATE tracked_actions SET delivery = :delivery, assurance = :assurance,"
                " target_date = :target_date, public_evidence = :public_evidence,"
                " private_notes = :private_notes, version = version + 1, updated_at = :at"
                " WHERE action_id = :id AND version = :version",
                {"id": action.action_id, "version": expected_version, "at": at, **values})
        if cur.rowcount != 1:
            raise ConflictError("someone else changed this action after you opened it")
        for f, v in changed.items():
            rule = permissions.action_field_rule(f, getattr(action, f), v)
            store.append_audit(conn, change_id=change_id, at=at, user=user, entity="action",
                               entity_id=action.action_id, recommendation_id=action.recommendation_id, field=f,
                               old_value=getattr(action, f), new_value=v, note=_recorded_note(user, rule, note),
                               public=f in PUBLIC_ACTION_FIELDS)
    return list(changed)


def update_recommendation(conn: sqlite3.Connection, user: dict, rec: RecommendationState, expected_version: int,
                          submitted: dict, note: str = "") -> list[str]:
    """The board's response (board, or business unit on its behalf); owner and date (business unit)."""
    allowed = permissions.editable_recommendation_fields(user)
    if not allowed:
        raise PermissionDenied("only the board and the business unit may change a recommendation")
    new: dict = {}
    if "response" in submitted:
        new["response"] = _clean_choice(submitted["response"], "response", statuses.keys(statuses.RESPONSES), None)
    if "owner" in submitted:
        new["owner"] = _clean_text(submitted["owner"], "owner")[:200]
    if "target_date" in submitted:
        new["target_date"] = _clean_date(submitted["target_date"], "target date")
    note = _clean_text(note, "note")
    current = {"response": rec.response, "owner": rec.owner, "target_date": rec.target_date}
    changed = {f: v for f, v in new.items() if v != current[f]}
    forbidden = [f.replace("_", " ") for f in changed if f not in allowed]
    if forbidden:
        raise PermissionDenied(f"you may not change {', '.join(forbidden)}")
    if not changed:
        if expected_version != rec.version:
            raise ConflictError("someone else changed this recommendation after you opened it")
        return []
    values = {"response": rec.response or "awaiting-response", "owner": rec.owner, "target_date": rec.target_date}
    values.update(changed)
    key = rec.tracked_as or rec.recommendation_id
    at, change_id = store.now(), store.new_change_id()
    with store.transaction(conn):
        if expected_version == 0:
            cur = conn.execute(
                "INSERT INTO recommendation_tracking (recommendation_id, response, owner, target_date, version,"
                " updated_at) VALUES (:key, :response, :owner, :target_date, 1, :at)"
                " ON CONFLICT(recommendation_id) DO NOTHING", {"key": key, "at": at, **values})
        else:
            cur = conn.execute(
                "UPDATE recommendation_tracking SET response = :response, owner = :owner,"
                " target_date = :target_date, version = version + 1, updated_at = :at"
                " WHERE recommendation_id = :key AND version = :version",
                {"key": key, "version": expected_version, "at": at, **values})
        if cur.rowcount != 1:
            raise ConflictError("someone else changed this recommendation after you opened it")
        for f, v in changed.items():
            store.append_audit(conn, change_id=change_id, at=at, user=user, entity="recommendation",
                               entity_id=rec.recommendation_id, recommendation_id=rec.recommendation_id, field=f,
                               old_value=current[f], new_value=v,
                               note=_recorded_note(user, permissions.RECOMMENDATION_FIELD_RULE[f], note),
                               public=f in PUBLIC_RECOMMENDATION_FIELDS)
    return list(changed)


def _next_action_id(conn: sqlite3.Connection, review_id: str, taken: set[str]) -> str:
    """`<review>-act-t<n>`: the `t` keeps tracker-added ids clear of ingested `<review>-act-<n>`."""
    n = 1
    while True:
        candidate = f"{review_id}-act-t{n}"
        if candidate not in taken and not conn.execute(
                "SELECT 1 FROM tracked_actions WHERE action_id = :id", {"id": candidate}).fetchone():
            return candidate
        n += 1


def add_action(conn: sqlite3.Connection, user: dict, rec: RecommendationState, agency: str, text: str,
               target_date: str | None, known_agencies: set[str], taken_ids: set[str], note: str = "") -> str:
    """An administrator adds an agency action to a recommendation; returns its new id."""
    if not can_add_action(user):
        raise PermissionDenied("only an administrator may add actions")
    if rec.orphaned or not rec.review_id:
        raise ChangeError("actions cannot be added to an orphaned recommendation")
    if agency not in known_agencies:
        raise ChangeError(f"agency must be one of: {', '.join(sorted(known_agencies))}")
    text = _clean_text(text, "action")
    if not text:
        raise ChangeError("describe the action")
    target_date = _clean_date(target_date, "target date")
    note = _clean_text(note, "note")
    at, change_id = store.now(), store.new_change_id()
    with store.transaction(conn):
        action_id = _next_action_id(conn, rec.review_id, taken_ids)
        conn.execute(
            "INSERT INTO tracked_actions (action_id, recommendation_id, review_id, agency, action, origin, delivery,"
            " assurance, target_date, version, updated_at) VALUES (:id, :rec, :review, :agency, :action, 'added',"
            " 'not-started', 'impact-evidence-pending', :target_date, 1, :at)",
            {"id": action_id, "rec": rec.recommendation_id, "review": rec.review_id, "agency": agency,
             "action": text, "target_date": target_date, "at": at})
        store.append_audit(conn, change_id=change_id, at=at, user=user, entity="action", entity_id=action_id,
                           recommendation_id=rec.recommendation_id, field="added", old_value=None,
                           new_value=f"{agency}: {text}", note=note, public=True)
    return action_id
