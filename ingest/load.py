"""Write review records into a fresh SQLite database with sqlite-utils.

The only module that writes `reviews.db`. It always builds a new file next to the target and
renames it into place, so a failed build leaves the previous database untouched and a running
server keeps reading it.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils
from core import vocab
from ingest import ids
from ingest.atomic import replacing
from ingest.cited import source_columns
from ingest import recurring, recurring_tables
from ingest.holdings import holdings, holdings_rows

FTS_TABLES = {
    "reviews": ["title", "summary"],
    "learning_points": ["text"],
    "recommendations": ["text"],
    "agency_actions": ["action"],
    "paragraphs": ["text"],
}


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every table up front, so an empty build still has the documented schema."""
    db["themes"].create({"slug": str, "name": str, "description": str}, pk="slug")
    db["agencies"].create({"slug": str, "name": str, "description": str}, pk="slug")
    db["holdings"].create({"slug": str, "name": str, "description": str}, pk="slug")
    db["cited_documents"].create(
        {"id": str, "title": str, "publisher": str, "published": str, "description": str}, pk="id")
    db["reviews"].create(
        {
            "id": str, "title": str, "subject": str, "review_type": str, "publisher": str,
            "area": str, "published": str, "year": int, "period": str, "summary": str,
            "report_url": str, "notes": str, "holds": str,
        },
        pk="id",
        foreign_keys=[("holds", "holdings", "slug")],
    )
    db["review_addressees"].create(
        {"review_id": str, "agency": str}, pk=("review_id", "agency"),
        foreign_keys=[("review_id", "reviews", "id"), ("agency", "agencies", "slug")],
    )
    db["documents"].create(
        {
            "id": str, "review_id": str, "file": str, "format": str, "role": str, "sha256": str,
            "pages": int, "parser": str, "parser_version": str, "ingested_at": str,
        },
        pk="id",
        foreign_keys=[("review_id", "reviews", "id")],
    )
    db["paragraphs"].create(
        {"id": str, "document_id": str, "review_id": str, "page": int, "seq": int, "text": str},
        pk="id",
        foreign_keys=[("document_id", "documents", "id"), ("review_id", "reviews", "id")],
    )
    db["facts"].create(
        {"id": str, "review_id": str, "fact": str, "certainty": str, "source_url": str, "source_citation": str},
        pk="id",
        foreign_keys=[("review_id", "reviews", "id")],
    )
    db["learning_points"].create(
        {
            "id": str, "review_id": str, "seq": int, "text": str, "page": int,
            "document_id": str, "source_url": str, "source_citation": str, "origin": str,
        },
        pk="id",
        foreign_keys=[("review_id", "reviews", "id"), ("document_id", "documents", "id")],
    )
    db["recommendations"].create(
        {
            "id": str, "review_id": str, "number": str, "text": str, "wording": str,
            "rec_type": str, "page": int, "document_id": str, "source_url": str, "source_citation": str,
            "origin": str,
        },
        pk="id",
        foreign_keys=[("review_id", "reviews", "id"), ("document_id", "documents", "id")],
    )
    db["recommendation_aliases"].create({"old_id": str, "new_id": str, "reason": str}, pk="old_id")
    db["review_themes"].create(
        {"review_id": str, "theme": str}, pk=("review_id", "theme"),
        foreign_keys=[("review_id", "reviews", "id"), ("theme", "themes", "slug")],
    )
    db["learning_point_themes"].create(
        {"learning_point_id": str, "theme": str}, pk=("learning_point_id", "theme"),
        foreign_keys=[("learning_point_id", "learning_points", "id"), ("theme", "themes", "slug")],
    )
    db["recommendation_themes"].create(
        {"recommendation_id": str, "theme": str}, pk=("recommendation_id", "theme"),
        foreign_keys=[("recommendation_id", "recommendations", "id"), ("theme", "themes", "slug")],
    )
    db["recommendation_agencies"].create(
        {"recommendation_id": str, "agency": str}, pk=("recommendation_id", "agency"),
        foreign_keys=[("recommendation_id", "recommendations", "id"), ("agency", "agencies", "slug")],
    )
    db["agency_actions"].create(
        {
            "id": str, "review_id": str, "recommendation_id": str, "agency": str, "action": str,
            "reported": str, "due": str, "status": str, "source_url": str, "source_citation": str,
        },
        pk="id",
        foreign_keys=[
            ("review_id", "reviews", "id"),
            ("recommendation_id", "recommendations", "id"),
            ("agency", "agencies", "slug"),
        ],
    )
    db["ingest_errors"].create({"file": str, "error": str, "at": str})
    recurring_tables.create(db)
    for table, columns in FTS_TABLES.items():
        db[table].enable_fts(columns, create_triggers=True, tokenize="porter")
    for table, column in [
        ("recommendations", "review_id"), ("learning_points", "review_id"),
        ("agency_actions", "review_id"), ("agency_actions", "recommendation_id"),
        ("paragraphs", "document_id"), ("recommendation_agencies", "agency"),
        ("recommendation_themes", "theme"), ("learning_point_themes", "theme"),
    ]:
        db[table].create_index([column])


def _year(published: str | None) -> int | None:
    return int(published[:4]) if published and published[:4].isdigit() else None


def _review_rows(record: dict, now: str) -> dict[str, list[dict]]:
    """Flatten one review record (see ingest.build) into rows per table."""
    rid = record["id"]
    rows: dict[str, list[dict]] = {name: [] for name in (
        "reviews", "documents", "paragraphs", "facts", "learning_points", "recommendations",
        "recommendation_aliases", "review_themes", "learning_point_themes",
        "recommendation_themes", "recommendation_agencies", "agency_actions", "review_addressees",
    )}
    cited = record.get("cited_documents") or {}
    rows["reviews"].append({
        "id": rid,
        **{k: record.get(k) for k in (
            "title", "subject", "review_type", "publisher", "area", "published", "period",
            "summary", "report_url", "notes")},
        "year": _year(record.get("published")),
        "holds": holdings(record),
    })
    rows["review_addressees"] = [{"review_id": rid, "agency": a} for a in dict.fromkeys(record.get("addressees", []))]
    rows["review_themes"] = [{"review_id": rid, "theme": t} for t in dict.fromkeys(record.get("themes", []))]
    for n, fact in enumerate(record.get("facts", []), 1):
        rows["facts"].append({
            "id": f"{rid}-fact-{n}", "review_id": rid, "fact": fact["fact"],
            "certainty": fact.get("certainty", "confirmed"), **source_columns(fact.get("source"), cited),
        })
    for doc in record.get("documents", []):
        doc_id = f"{rid}/{doc['file']}"
        rows["documents"].append({
            "id": doc_id, "review_id": rid, "file": doc["file"], "format": doc["format"],
            "role": doc.get("role"), "sha256": doc["sha256"], "pages": doc.get("pages"),
            "parser": doc.get("parser"), "parser_version": doc.get("parser_version"),
            "ingested_at": now,
        })
        for seq, para in enumerate(doc.get("paragraphs", []), 1):
            rows["paragraphs"].append({
                "id": f"{doc_id}#{seq}", "document_id": doc_id, "review_id": rid,
                "page": para.get("page"), "seq": seq, "text": para["text"],
            })
    for seq, lp in enumerate(record.get("learning_points", []), 1):
        lp_id = ids.learning_point_id(rid, seq)
        rows["learning_points"].append({
            "id": lp_id, "review_id": rid, "seq": seq, "text": lp["text"], "page": lp.get("page"),
            "document_id": f"{rid}/{lp['document']}" if lp.get("document") else None,
            **source_columns(lp.get("source_url"), cited), "origin": lp.get("origin", "extracted"),
        })
        rows["learning_point_themes"] += [
            {"learning_point_id": lp_id, "theme": t} for t in dict.fromkeys(lp.get("themes", []))
        ]
    for rec in record.get("recommendations", []):
        rec_id = ids.recommendation_id(rid, rec["number"])
        rows["recommendations"].append({
            "id": rec_id, "review_id": rid, "number": str(rec["number"]), "text": rec["text"],
            "wording": rec["wording"], "rec_type": rec.get("rec_type"), "page": rec.get("page"),
            "document_id": f"{rid}/{rec['document']}" if rec.get("document") else None,
            **source_columns(rec.get("source_url"), cited), "origin": rec.get("origin", "extracted"),
        })
        rows["recommendation_themes"] += [
            {"recommendation_id": rec_id, "theme": t} for t in dict.fromkeys(rec.get("themes", []))
        ]
        rows["recommendation_agencies"] += [
            {"recommendation_id": rec_id, "agency": a} for a in dict.fromkeys(rec.get("agencies", []))
        ]
    rows["recommendation_aliases"] = [dict(a) for a in record.get("aliases", [])]
    for seq, act in enumerate(record.get("agency_actions", []), 1):
        rec_number = act.get("recommendation")
        rows["agency_actions"].append({
            "id": act.get("id") or ids.action_id(rid, seq), "review_id": rid,
            "recommendation_id": ids.recommendation_id(rid, rec_number) if rec_number else None,
            "agency": act.get("agency"), "action": act["action"], "reported": act.get("reported"),
            "due": act.get("due"), "status": act.get("status"), **source_columns(act.get("source_url"), cited),
        })
    return rows


def vocabulary_rows() -> dict[str, list[dict]]:
    """Themes and agencies from the controlled vocabulary, as table rows."""
    return {kind: vocab.rows(kind) for kind in ("themes", "agencies")}


def populate(db: sqlite_utils.Database, records: Iterable[dict], errors: Iterable[dict] = ()) -> None:
    """Create the schema and insert the vocabulary, every review record and any ingest errors."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    create_schema(db)
    vocabulary = vocabulary_rows()
    with db.atomic():
        db["themes"].insert_all(vocabulary["themes"])
        db["agencies"].insert_all(vocabulary["agencies"])
        db["holdings"].insert_all(holdings_rows())
        cited_rows: dict[str, dict] = {}
        roots: list[str] = []
        for record in records:
            cited_rows.update(record.get("cited_documents") or {})
            if record.get("root") and record["root"] not in roots:
                roots.append(record["root"])
            for table, rows in _review_rows(record, now).items():
                if rows:
                    db[table].insert_all(rows)
        db["cited_documents"].insert_all(list(cited_rows.values()))
        db["ingest_errors"].insert_all([{**e, "at": now} for e in errors])
        recurring_tables.write(db, recurring.load_corrections(roots[0]) if roots else None)


def write_database(path: str | os.PathLike, records: Iterable[dict], errors: Iterable[dict] = ()) -> Path:
    """Build the database in a temporary file beside `path`, then atomically rename it into place."""
    with replacing(path) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            db = sqlite_utils.Database(conn)
            populate(db, records, errors)
            conn.execute("PRAGMA foreign_key_check")
            db.vacuum()
        finally:
            conn.close()
    return Path(path)


def delete_reviews(conn: sqlite3.Connection, review_ids: Iterable[str]) -> None:
    """Remove every row that belongs to these reviews, read from the schema itself (a table with a
    review_id, and link tables whose foreign key points into one), so a new table is covered."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    columns = {t: {c[1] for c in conn.execute(f"PRAGMA table_info([{t}])")} for t in tables}
    owned = [t for t in tables if "review_id" in columns[t]]
    links = [(t, fk[3], fk[2], fk[4]) for t in tables if "review_id" not in columns[t]
             for fk in conn.execute(f"PRAGMA foreign_key_list([{t}])") if fk[2] in owned]
    for rid in review_ids:
        args = {"rid": rid}
        for table, column, parent, key in links:  # before their parents, which they are found through
            conn.execute(f"DELETE FROM [{table}] WHERE [{column}] IN "
                         f"(SELECT [{key}] FROM [{parent}] WHERE review_id = :rid)", args)
        conn.execute("DELETE FROM recommendation_aliases WHERE new_id IN "
                     "(SELECT id FROM recommendations WHERE review_id = :rid)", args)
        for table in owned:
            conn.execute(f"DELETE FROM [{table}] WHERE review_id = :rid", args)
        conn.execute("DELETE FROM reviews WHERE id = :rid", args)
        conn.execute("DELETE FROM ingest_errors WHERE file LIKE '%/' || :rid || '/%'", args)


def replace_reviews(path: str | os.PathLike, base: str | os.PathLike, review_ids: Iterable[str],
                    records: Iterable[dict], errors: Iterable[dict] = (),
                    corrections_root: str | os.PathLike | None = None) -> Path:
    """`base` with the rows of `review_ids` replaced by `records` (ids without a record are removed),
    written to a copy in one transaction and renamed onto `path`: readers see the old database or
    the new one, and a failure leaves `path` exactly as it was."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with replacing(path) as tmp:
        shutil.copyfile(base, tmp)  # reviews.db is only ever replaced by rename, never written in place
        conn = sqlite3.connect(tmp)
        try:
            db = sqlite_utils.Database(conn)
            with db.atomic():
                delete_reviews(conn, review_ids)
                for record in records:
                    for table, rows in _review_rows(record, now).items():
                        if rows:
                            db[table].insert_all(rows)
                    cited = list((record.get("cited_documents") or {}).values())
                    if cited:
                        db["cited_documents"].insert_all(cited, replace=True)
                db["ingest_errors"].insert_all([{**e, "at": now} for e in errors])
                # recurring learning spans reviews: computed again over the whole database, as a full build does
                conn.execute("DELETE FROM recurring_members")
                conn.execute("DELETE FROM recurring_groups")
                recurring_tables.write(db, recurring.load_corrections(Path(corrections_root))
                                       if corrections_root else None)
            if conn.execute("PRAGMA foreign_key_check").fetchone():
                raise sqlite3.IntegrityError(f"{path}: the updated database has rows pointing at missing ones")
        finally:
            conn.close()
    return Path(path)
