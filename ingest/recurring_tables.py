"""Write the recurring-learning groups into reviews.db, from what the database already holds.

Run at the end of every build, so the groups always match the recommendations and learning points
they were computed from, and a person's split/join corrections apply again each time.
"""
from __future__ import annotations

import json

import sqlite_utils

from ingest.recurring import Corrections, Item, group, load_rules, shared_with_group

KINDS = {
    "recommendation": ("recommendations", "recommendation_themes", "recommendation_id"),
    "learning-point": ("learning_points", "learning_point_themes", "learning_point_id"),
}


def create(db: sqlite_utils.Database) -> None:
    db["recurring_groups"].create(
        {"id": str, "kind": str, "label": str, "key_phrases": str, "themes": str, "agencies": str,
         "reviews": int, "items": int, "first_year": int, "last_year": int},
        pk="id",
    )
    db["recurring_members"].create(
        {"group_id": str, "item_id": str, "kind": str, "review_id": str, "year": int, "similarity": float,
         "shared_phrases": str},
        pk=("group_id", "item_id"),
        foreign_keys=[("group_id", "recurring_groups", "id"), ("review_id", "reviews", "id")],
    )
    db["recurring_members"].create_index(["item_id"])


def _items(db: sqlite_utils.Database, kind: str) -> list[Item]:
    """Items in review order (as a full build inserts them), so an incremental build groups the same."""
    table, themes, key = KINDS[kind]
    agencies_sql = ("(select group_concat(agency, '|') from recommendation_agencies a where a.recommendation_id = r.id)"
                    if kind == "recommendation" else "null")
    sql = f"""select r.id, r.review_id, r.text, v.year,
                (select group_concat(theme, '|') from {themes} t where t.{key} = r.id) as themes,
                {agencies_sql} as agencies
              from {table} r join reviews v on v.id = r.review_id order by r.review_id, r.rowid"""
    return [Item(row["id"], row["review_id"], row["text"], tuple(filter(None, (row["themes"] or "").split("|"))),
                 tuple(filter(None, (row["agencies"] or "").split("|"))), row["year"])
            for row in db.query(sql)]


def write(db: sqlite_utils.Database, corrections: Corrections | None = None) -> int:
    """Compute and store the groups of both kinds; returns how many groups there are."""
    rules = load_rules()
    count = 0
    for kind in KINDS:
        groups = group(_items(db, kind), rules, corrections)
        db["recurring_groups"].insert_all({
            "id": g.id, "kind": kind, "label": "; ".join(g.key_phrases[:2]) or None,
            "key_phrases": json.dumps(g.key_phrases), "themes": json.dumps(g.themes),
            "agencies": json.dumps(g.agencies), "reviews": len(g.reviews), "items": len(g.members),
            "first_year": min((m.year for m in g.members if m.year), default=None),
            "last_year": max((m.year for m in g.members if m.year), default=None),
        } for g in groups)
        db["recurring_members"].insert_all({
            "group_id": g.id, "item_id": m.id, "kind": kind, "review_id": m.review_id, "year": m.year,
            "similarity": g.similarity.get(m.id), "shared_phrases": json.dumps(phrases),
        } for g in groups for m, phrases in zip(g.members, shared_with_group([m.text for m in g.members], rules)))
        count += len(groups)
    return count
