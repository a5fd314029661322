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

import click
import sqlite_utils

from core import status
from ingest.atomic import replacing
from tracker.public import export_rows

REC_COLUMNS = ("recommendation_id", "response", "status", "brag", "target_date", "updated")
ACTION_COLUMNS = (
    "action_id", "recommendation_id", "agency", "delivery", "assurance", "target_date",
    "public_evidence", "updated",
)
STATUS_FTS = {"recommendation_status": ["response"], "action_status": ["public_evidence"]}

# One row per recommendation with its review, status, themes and agencies (JSON arrays), so
# Datasette can facet by theme, agency, year, review type and status in one place.
OVERVIEW_SQL = """
create view recommendation_overview as
select r.rowid as rec_rowid, r.id, r.review_id, v.title as review_title, v.year, v.review_type,
  r.number, r.text, r.wording, r.rec_type, coalesce(s.status, 'not-tracked') as status, s.brag,
  s.target_date,
  (select json_group_array(t.theme) from recommendation_themes t where t.recommendation_id = r.id) as themes,
  (select json_group_array(a.agency) from recommendation_agencies a where a.recommendation_id = r.id) as agencies,
  r.source_url
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


derived_status = status.ingested_status


def derived_rows(conn: sqlite3.Connection) -> list[dict]:
    """One status row per recommendation, derived from the sources' agency actions."""
    actions: dict[str, list[sqlite3.Row]] = {}
    for row in conn.execute(
        "select recommendation_id, status, due, reported from agency_actions "
        "where recommendation_id is not null"
    ):
        actions.setdefault(row[0], []).append(row)
    rows = []
    for (rec_id,) in conn.execute("select id from recommendations order by id"):
        acts = actions.get(rec_id, [])
        dues = [a[2] for a in acts if a[2]]
        reported = [a[3] for a in acts if a[3]]
        rows.append({
            "recommendation_id": rec_id, "response": None,
            "status": derived_status([a[1] for a in acts]), "brag": None,
            "target_date": max(dues) if dues else None, "updated": max(reported) if reported else None,
        })
    return rows


def _clean(rows: Iterable[Mapping], columns: tuple[str, ...], key: str) -> list[dict]:
    """Keep only whitelisted columns; rows without their key are dropped."""
    out = []
    for row in rows:
        row = dict(row)
        if row.get(key):
            out.append({c: row[c] for c in columns if c in row})
    return out


def _resolve(conn: sqlite3.Connection, rows: list[dict], required: bool) -> list[dict]:
    """Follow recommendation aliases; drop rows whose recommendation is not (or no longer) published."""
    known = {r[0] for r in conn.execute("select id from recommendations")}
    aliases = dict(conn.execute("select old_id, new_id from recommendation_aliases").fetchall())
    out = []
    for row in rows:
        rec_id = row.get("recommendation_id")
        if rec_id and rec_id not in known and aliases.get(rec_id) in known:
            row = {**row, "recommendation_id": aliases[rec_id]}
        elif rec_id and rec_id not in known:
            if required:
                continue
            row = {**row, "recommendation_id": None}
        out.append(row)
    return out


def _upsert(conn: sqlite3.Connection, table: str, key: str, rows: list[dict]) -> None:
    """Insert or update each row by primary key, touching only the columns the row gives."""
    for row in rows:
        cols = list(row)  # already limited to whitelisted names by _clean
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != key)
        sql = (
            f"insert into {table} ({', '.join(cols)}) values ({', '.join(':' + c for c in cols)}) "
            f"on conflict({key}) do " + (f"update set {updates}" if updates else "nothing")
        )
        conn.execute(sql, row)


def _apply(conn: sqlite3.Connection, rec_rows: Iterable[Mapping], action_rows: Iterable[Mapping]) -> tuple[int, int]:
    recs = _resolve(conn, _clean(rec_rows, REC_COLUMNS, "recommendation_id"), required=True)
    acts = _resolve(conn, _clean(action_rows, ACTION_COLUMNS, "action_id"), required=False)
    _upsert(conn, "recommendation_status", "recommendation_id", recs)
    _upsert(conn, "action_status", "action_id", acts)
    return len(recs), len(acts)


def tracker_rows(tracker_db: str | os.PathLike, reviews_conn: sqlite3.Connection) -> tuple[list, list] | None:
    """Rows from `tracker.public.export_rows`, or None when there is no tracker file yet."""
    if not Path(tracker_db).exists():
        return None
    tracker_conn = sqlite3.connect(f"{Path(tracker_db).resolve().as_uri()}?mode=ro", uri=True)
    tracker_conn.row_factory = sqlite3.Row
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
                tracked = tracker_rows(tracker_db, source)
                with conn:
                    n_derived, _ = _apply(conn, derived_rows(conn), [])
                    n_recs, n_acts = _apply(conn, *tracked) if tracked else (0, 0)
                leaks = private_findings(conn)
                if leaks:
                    raise PublishError(f"refusing to publish private-looking data: {', '.join(leaks)}")
            finally:
                conn.close()
    finally:
        source.close()
    return {"recommendations": n_derived, "tracked_recommendations": n_recs, "tracked_actions": n_acts,
            "tracker": tracked is not None}


def update_status(public_db: str | os.PathLike, rec_rows: Iterable[Mapping], action_rows: Iterable[Mapping]) -> tuple[int, int]:
    """Upsert status rows into the live public.db in one transaction (after a tracker change)."""
    conn = sqlite3.connect(public_db, timeout=10)
    try:
        with conn:
            return _apply(conn, rec_rows, action_rows)
    finally:
        conn.close()


@click.command("publish")
@click.argument("reviews_db", type=click.Path(exists=True, dir_okay=False))
@click.argument("tracker_db", type=click.Path(dir_okay=False))
@click.argument("public_db", type=click.Path(dir_okay=False))
def publish_command(reviews_db: str, tracker_db: str, public_db: str) -> None:
    """Write PUBLIC_DB: REVIEWS_DB plus public statuses from TRACKER_DB (which may not exist yet).

    \b
    Example:
        python -m ingest publish data/reviews.db instance/tracker.db data/safeguarding-reviews.db
    """
    try:
        result = publish(reviews_db, tracker_db, public_db)
    except (PublishError, sqlite3.Error) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{public_db}: cannot write ({exc.strerror or exc}); the previous one is unchanged") \
            from None
    source = "tracker" if result["tracker"] else "ingested agency actions only (no tracker)"
    click.echo(
        f"Published {public_db}: {result['recommendations']} recommendations, statuses from {source}; "
        f"{result['tracked_recommendations']} tracked recommendations, {result['tracked_actions']} actions."
    )
