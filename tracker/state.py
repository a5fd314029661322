"""Merge the rebuilt reviews database with the tracker's never-rebuilt records.

Ingested agency actions are the starting state; a tracker row for the same action id overrides
them. Tracker rows whose recommendation is gone from a rebuild follow recommendation_aliases to
the recommendation that replaced it; if there is none they are kept and reported as orphaned.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date

from core import status as statuses
from tracker import labels, store


@dataclass
class ActionState:
    action_id: str
    recommendation_id: str | None
    review_id: str
    agency: str
    action: str
    origin: str  # ingested | added
    delivery: str
    assurance: str
    target_date: str | None
    public_evidence: str = ""
    private_notes: str = ""
    version: int = 0  # 0: never edited in the tracker
    updated: str | None = None
    orphaned: bool = False

    def brag(self, today: date) -> str | None:
        return statuses.brag_for_action(self.delivery, self.assurance, self.target_date, today)

    def overdue(self, today: date) -> bool:
        return statuses.is_overdue(self.delivery, self.target_date, today)

    def as_dict(self, today: date, include_private: bool = False) -> dict:
        data = {
            "action_id": self.action_id, "recommendation_id": self.recommendation_id,
            "review_id": self.review_id, "agency": self.agency, "action": self.action,
            "origin": self.origin, "delivery": self.delivery,
            "delivery_label": statuses.label("delivery", self.delivery), "assurance": self.assurance,
            "assurance_label": statuses.label("assurance", self.assurance), "target_date": self.target_date,
            "public_evidence": self.public_evidence, "brag": self.brag(today),
            "overdue": self.overdue(today), "updated": self.updated,
        }
        if include_private:
            data.update(private_notes=self.private_notes, version=self.version, orphaned=self.orphaned)
        return data


@dataclass
class RecommendationState:
    recommendation_id: str
    review_id: str | None
    number: str | None
    text: str
    agencies: list[str] = field(default_factory=list)
    response: str | None = None
    owner: str = ""
    target_date: str | None = None
    version: int = 0
    updated: str | None = None
    tracked_as: str | None = None  # the tracker row's key (an old id when followed through an alias)
    orphaned: bool = False
    actions: list[ActionState] = field(default_factory=list)

    def live_actions(self) -> list[ActionState]:
        return [a for a in self.actions if not a.orphaned]

    def status(self) -> str:
        return statuses.recommendation_status(
            self.response, [(a.delivery, a.assurance) for a in self.live_actions()])

    def brag(self, today: date) -> str | None:
        return statuses.recommendation_brag(
            self.status(), self.target_date, [a.brag(today) for a in self.live_actions()], today)

    def last_updated(self) -> str | None:
        stamps = [s for s in [self.updated, *(a.updated for a in self.live_actions())] if s]
        return max(stamps) if stamps else None


@dataclass
class TrackerState:
    recommendations: dict[str, RecommendationState]
    orphans: list[RecommendationState]  # tracked recommendations no rebuild contains any more
    unlinked_actions: list[ActionState]  # actions with no recommendation (review-level)
    review_titles: dict[str, str]
    agency_names: dict[str, str]
    review_names: dict[str, str] = field(default_factory=dict)  # the names people use: "Child K"

    def recommendation_name(self, rec: RecommendationState) -> str:
        """`Child K, recommendation 3`: how pages and papers name a recommendation."""
        return labels.recommendation_name(self.review_names.get(rec.review_id or ""), rec.number)

    def action_name(self, action: ActionState) -> str:
        """`Police action: Audit of NRM referrals...`."""
        return labels.action_name(self.agency_names.get(action.agency, action.agency), action.action)

    def all_actions(self, include_orphans: bool = False) -> list[ActionState]:
        out = [a for r in self.recommendations.values() for a in r.actions if include_orphans or not a.orphaned]
        out += self.unlinked_actions
        if include_orphans:
            out += [a for r in self.orphans for a in r.actions]
        return out

    def find_action(self, action_id: str) -> tuple[ActionState, RecommendationState | None] | None:
        for rec in [*self.recommendations.values(), *self.orphans]:
            for action in rec.actions:
                if action.action_id == action_id:
                    return action, rec
        for action in self.unlinked_actions:
            if action.action_id == action_id:
                return action, None
        return None


def _table_exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n", {"n": name}).fetchone() \
        is not None


def aliases(reviews_conn: sqlite3.Connection) -> dict[str, str]:
    if not _table_exists(reviews_conn, "recommendation_aliases"):
        return {}
    return {r[0]: r[1] for r in reviews_conn.execute("SELECT old_id, new_id FROM recommendation_aliases")}


def resolve(rec_id: str | None, alias_map: dict[str, str], known: set[str] | dict) -> str | None:
    """Follow aliases from rec_id until a current id (or a dead end); cycles stop the walk."""
    seen: set[str] = set()
    current = rec_id
    while current is not None and current not in known and current in alias_map and current not in seen:
        seen.add(current)
        current = alias_map[current]
    return current


def old_ids_for(rec_id: str, alias_map: dict[str, str]) -> list[str]:
    """rec_id and every id that aliases (directly or through a chain) to it."""
    found = [rec_id]
    changed = True
    while changed:
        changed = False
        for old, new in alias_map.items():
            if new in found and old not in found:
                found.append(old)
                changed = True
    return found


def _tracked_action(row: sqlite3.Row, **overrides) -> ActionState:
    values = dict(
        action_id=row["action_id"], recommendation_id=row["recommendation_id"], review_id=row["review_id"],
        agency=row["agency"], action=row["action"], origin=row["origin"], delivery=row["delivery"],
        assurance=row["assurance"], target_date=row["target_date"], public_evidence=row["public_evidence"],
        private_notes=row["private_notes"], version=row["version"], updated=row["updated_at"],
    )
    values.update(overrides)
    return ActionState(**values)


def load(tracker_conn: sqlite3.Connection, reviews_conn: sqlite3.Connection) -> TrackerState:
    """Everything the tracker pages, the dashboard and the public status need, in one pass."""
    recs: dict[str, RecommendationState] = {}
    for row in reviews_conn.execute("SELECT id, review_id, number, text FROM recommendations ORDER BY review_id, id"):
        recs[row[0]] = RecommendationState(row[0], row[1], row[2], row[3])
    for rec_id, agency in reviews_conn.execute("SELECT recommendation_id, agency FROM recommendation_agencies"):
        if rec_id in recs:
            recs[rec_id].agencies.append(agency)
    alias_map = aliases(reviews_conn)
    review_titles, review_names = {}, {}
    for review_id, subject, title in reviews_conn.execute("SELECT id, subject, title FROM reviews"):
        review_titles[review_id], review_names[review_id] = title, labels.review_name(subject, title)
    agency_names = {r[0]: r[1] for r in reviews_conn.execute("SELECT slug, name FROM agencies")} \
        if _table_exists(reviews_conn, "agencies") else {}

    orphans: dict[str, RecommendationState] = {}

    def home(rec_id: str | None) -> RecommendationState | None:
        """The recommendation a tracked row belongs to now, or an orphan placeholder."""
        if rec_id is None:
            return None
        target = resolve(rec_id, alias_map, recs)
        if target in recs:
            return recs[target]
        if rec_id not in orphans:
            orphans[rec_id] = RecommendationState(rec_id, None, None, "", orphaned=True)
        return orphans[rec_id]

    tracking = store.rows(tracker_conn, "SELECT * FROM recommendation_tracking ORDER BY recommendation_id")
    # A recommendation's own row wins over one reached through an alias.
    for row in sorted(tracking, key=lambda r: r["recommendation_id"] not in recs):
        rec = home(row["recommendation_id"])
        if rec.tracked_as is None:
            rec.tracked_as = row["recommendation_id"]
            rec.response, rec.owner, rec.target_date = row["response"], row["owner"], row["target_date"]
            rec.version, rec.updated = row["version"], row["updated_at"]

    tracked = {r["action_id"]: r for r in store.rows(tracker_conn, "SELECT * FROM tracked_actions ORDER BY action_id")}
    unlinked: list[ActionState] = []
    ingested_ids: set[str] = set()
    for row in reviews_conn.execute(
            "SELECT id, review_id, recommendation_id, agency, action, due, status FROM agency_actions ORDER BY id"):
        action_id, review_id, rec_id, agency, text, due, status = tuple(row)
        ingested_ids.add(action_id)
        if action_id in tracked:
            action = _tracked_action(tracked[action_id], recommendation_id=rec_id, review_id=review_id,
                                     agency=agency, action=text, origin="ingested")
        else:
            delivery, assurance = statuses.INGESTED_STATUS.get(status, statuses.INGESTED_STATUS[None])
            action = ActionState(action_id, rec_id, review_id, agency, text, "ingested", delivery, assurance, due)
        (recs[rec_id].actions if rec_id in recs else unlinked).append(action)

    for action_id, row in tracked.items():
        if action_id in ingested_ids:
            continue
        rec = home(row["recommendation_id"])
        # An ingested action that a rebuild no longer contains is kept, but only shown to admins.
        action = _tracked_action(row, orphaned=row["origin"] == "ingested" or (rec is not None and rec.orphaned))
        if rec is None:
            unlinked.append(action)
        else:
            if rec.recommendation_id != row["recommendation_id"] and not rec.orphaned:
                action.recommendation_id = rec.recommendation_id
            rec.actions.append(action)

    return TrackerState(recs, sorted(orphans.values(), key=lambda r: r.recommendation_id), unlinked,
                        review_titles, agency_names, review_names)
