"""Make `public.db`, the open data Datasette serves: reviews.db plus public status tables.

Only whitelisted status columns are copied from the tracker, and the finished file is checked
for anything that looks private before it replaces the old one: Datasette lets anyone run SQL,
so hiding a table would not keep it private; it must not be in the file at all.
"""
from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

import sqlite_utils

from ingest.atomic import replacing
from tracker import store
from tracker.public import export_rows

REC_COLUMNS = ("recommendation_id", "response", "status", "brag", "target_date", "updated")
ACTION_COLUMNS = (
    "action_id", "review_id", "recommendation_id", "agency", "action", "origin", "delivery", "assurance",
    "brag", "target_date", "public_evidence", "updated",
)
STATUS_FTS = {"recommendation_status": ["response"], "action_status": ["action", "public_evidence"]}

# One row per recommendation with its review, status, themes and agencies (JSON arrays), so
# Datasette can facet by theme, agency, year, review type and status in one place.
OVERVIEW_SQL = """
create view recommendation_overview as
select r.rowid as rec_rowid, r.id, r.review_id, v.title as review_title, v.year, v.review_type,
  r.number, r.text, r.wording, r.rec_type, coalesce(s.status, 'not-tracked') as status, s.brag,
  s.target_date,
  (select json_group_array(t.theme) from recommendation_themes t where t.recommendation_id = r.id) as themes,
  (select json_group_array(a.agency) from recommendation_agencies a where a.recommendation_id = r.id) as agencies,
  r.source_url, r.source_citation
from recommendations r
join reviews v on v.id = r.review_id
left join recommendation_status s on s.recommendation_id = r.id
"""

# Names that must never appear in the public file, whatever table or column they come from.
PRIVATE_TABLE = re.compile(r"user|password|session|audit|login|secret|token|credential", re.I)
PRIVATE_COLUMN = re.compile(
    r"password|private|session|secret|token|email|^user$|^user_?(id|name)$|_by$|^editor|^owner$|^note$", re.I
)


class PublishError(Exception):
    """The public database could not be made safely; the previous one is left in place."""


def _create_status_tables(db: sqlite_utils.Database) -> None:
    """The public status tables (linked for Datasette labels) and the overview view."""
    db["recommendation_status"].create(
        {c: str for c in REC_COLUMNS}, pk="recommendation_id",
        foreign_keys=[("recommendation_id", "recommendations", "id")],
    )
    db["action_status"].create(
        {c: str for c in ACTION_COLUMNS}, pk="action_id",
        foreign_keys=[("recommendation_id", "recommendations", "id"), ("agency", "agencies", "slug")],
    )
    db["action_status"].create_index(["recommendation_id"])
    for table, columns in STATUS_FTS.items():
        db[table].enable_fts(columns, create_triggers=True, tokenize="porter")
    db.execute(OVERVIEW_SQL)


def _clean(rows: Iterable[Mapping], columns: tuple[str, ...], key: str) -> list[dict]:
    """Keep only whitelisted columns (every one, None when missing); rows without their key are dropped."""
    return [{c: row.get(c) for c in columns} for row in map(dict, rows) if row.get(key)]


def write_statuses(conn: sqlite3.Connection, rec_rows: Iterable[Mapping],
                   action_rows: Iterable[Mapping]) -> tuple[int, int]:
    """Replace every row of both status tables (in the caller's transaction); FTS follows by trigger."""
    recs = _clean(rec_rows, REC_COLUMNS, "recommendation_id")
    acts = _clean(action_rows, ACTION_COLUMNS, "action_id")
    for table, columns, rows in (("recommendation_status", REC_COLUMNS, recs), ("action_status", ACTION_COLUMNS, acts)):
        conn.execute(f"delete from {table}")
        conn.executemany(f"insert into {table} ({', '.join(columns)}) values ({', '.join(':' + c for c in columns)})",
                         rows)
    return len(recs), len(acts)


def tracker_rows(tracker_db: str | os.PathLike, reviews_conn: sqlite3.Connection) -> tuple[list, list]:
    """The public status rows, by the one rule the pages use (`tracker.public.export_rows`).

    With no tracker file yet they are an empty tracker's (made in memory, never written), which
    are exactly the statuses the site shows before anyone has signed in.
    """
    if Path(tracker_db).exists():
        tracker_conn = sqlite3.connect(f"{Path(tracker_db).resolve().as_uri()}?mode=ro", uri=True)
        tracker_conn.row_factory = sqlite3.Row
    else:
        tracker_conn = store.connect(":memory:")
    try:
        rec_rows, action_rows = export_rows(tracker_conn, reviews_conn)
        return list(rec_rows), list(action_rows)
    finally:
        tracker_conn.close()


def private_findings(conn: sqlite3.Connection) -> list[str]:
    """Every table or column whose name suggests private data (should always be empty)."""
    found = []
    tables = [r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")]
    for table in tables:
        if PRIVATE_TABLE.search(table):
            found.append(table)
        for col in conn.execute("select name from pragma_table_info(:t)", {"t": table}):
            if PRIVATE_COLUMN.search(col[0]):
                found.append(f"{table}.{col[0]}")
    return found


def publish(reviews_db: str | os.PathLike, tracker_db: str | os.PathLike, public_db: str | os.PathLike) -> dict:
    """Build public.db in a temp file beside it, check it holds nothing private, rename into place."""
    source = sqlite3.connect(f"{Path(reviews_db).resolve().as_uri()}?mode=ro", uri=True)
    try:
        with replacing(public_db) as tmp:
            conn = sqlite3.connect(tmp)
            try:
                source.backup(conn)
                _create_status_tables(sqlite_utils.Database(conn))
                with conn:
                    n_recs, n_acts = write_statuses(conn, *tracker_rows(tracker_db, source))
                leaks = private_findings(conn)
                if leaks:
                    raise PublishError(f"refusing to publish private-looking data: {', '.join(leaks)}")
            finally:
                conn.close()
    finally:
        source.close()
    tracker = Path(tracker_db).exists()
    return {"recommendations": n_recs, "tracked_recommendations": n_recs if tracker else 0,
            "tracked_actions": n_acts if tracker else 0, "tracker": tracker}


def refresh(public_db: str | os.PathLike, reviews_db: str | os.PathLike, tracker_db: str | os.PathLike) -> tuple[int, int]:
    """Rewrite the live open data's status tables in one transaction, by the same rule as publish.

    Called after every tracker change, so Datasette shows it at once; and because a BRAG colour
    depends on the date (an overdue action turns red), also on the first request of each day.
    """
    source = sqlite3.connect(f"{Path(reviews_db).resolve().as_uri()}?mode=ro", uri=True)
    try:
        rec_rows, action_rows = tracker_rows(tracker_db, source)
    finally:
        source.close()
    conn = sqlite3.connect(public_db, timeout=10)
    try:
        with conn:
            return write_statuses(conn, rec_rows, action_rows)
    finally:
        conn.close()
