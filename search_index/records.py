"""Read the reviews database into search records, one per review, learning point,
recommendation, agency action and source paragraph.

A record is a plain dict (stored whole in the index) with: kind, id, review_id, review_title,
title (a short label), heading, content, url, year, date (YYYYMMDD int for sorting), review_type,
themes, agencies, wording, page. No status: statuses change with the tracker, so the search
service gets them at query time (`SearchService.search(statuses=...)`).

URLs: `/reviews/<id>`, `/recommendations/<id>`, `/reviews/<review-id>#lp-<n>`,
`/reviews/<review-id>#action-<action-id>`, `/reviews/<review-id>/documents/<file>#p-<seq>`.
Paragraphs and learning points inherit their review's themes when they have none of their own;
actions inherit their recommendation's themes. A review's content is its summary followed by its
sourced facts: the review page shows both, and a fact (who set up a team, what a parent was
convicted of) is often the only place a name or a word people search for appears.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from urllib.parse import quote

def _date_key(published: str | None) -> int:
    """`2022-03` -> 20220300, so undated reviews sort last when newest comes first."""
    digits = "".join(ch for ch in (published or "") if ch.isdigit())[:8]
    return int(digits.ljust(8, "0")) if len(digits) >= 4 else 0


def _links(conn: sqlite3.Connection, sql: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for key, value in conn.execute(sql):
        if value not in out[key]:
            out[key].append(value)
    return out


def _paragraph_label(role: str | None, page: int | None) -> str:
    """A report paragraph is named by the document it is from, never by its file name."""
    label = DOCUMENT_ROLES.get(role or "", "Report text")
    return f"{label}, page {page}" if page else label


_LEADING_LABEL = re.compile(r"^\(?[0-9a-z]{1,4}(?:\.[0-9]{1,3})*[.)]?\s+", re.I)


def _plain(text: str | None) -> str:
    """Text without its list label, case and spacing, for spotting duplicates."""
    return " ".join(_LEADING_LABEL.sub("", text or "", count=1).lower().split())


DOCUMENT_ROLES = {"learning-summary": "Learning summary", "published-report": "Published report"}


def hit_title(record: Mapping) -> str:
    """What a hit is and where it is from: "Recommendation 3, Child Safeguarding Practice Review
    concerning Jacob, 2021"; a review is titled by itself."""
    if record.get("kind") == "review":
        return record.get("title") or record.get("review_title") or record.get("id") or ""
    parts = [record.get("title"), record.get("review_title"), str(record["year"]) if record.get("year") else None]
    return ", ".join(p for p in parts if p)


def read_records(db_path: str | Path, review_ids: Collection[str] | None = None) -> Iterator[dict]:
    """Yield every searchable record from a reviews database (opened read-only), or only those of
    `review_ids` (an incremental index update)."""
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        yield from _records(conn, review_ids)
    finally:
        conn.close()


def _review_facts(conn: sqlite3.Connection, where: str, params: dict) -> dict[str, list[str]]:
    """review id -> its facts' text, in order (an older database without the table: none)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'facts'").fetchone():
        return {}
    out: dict[str, list[str]] = defaultdict(list)
    for review_id, fact in conn.execute("SELECT review_id, fact FROM facts" + where + " ORDER BY rowid", params):
        if fact:
            out[review_id].append(fact.strip())
    return out


def _records(conn: sqlite3.Connection, review_ids: Collection[str] | None = None) -> Iterator[dict]:
    only = {"only": json.dumps(sorted(review_ids)) if review_ids is not None else None}

    def within(column: str) -> str:
        return f" WHERE {column} IN (SELECT value FROM json_each(:only))" if review_ids is not None else ""

    review_themes = _links(conn, "SELECT review_id, theme FROM review_themes ORDER BY rowid")
    lp_themes = _links(conn, "SELECT learning_point_id, theme FROM learning_point_themes ORDER BY rowid")
    rec_themes = _links(conn, "SELECT recommendation_id, theme FROM recommendation_themes ORDER BY rowid")
    rec_agencies = _links(conn, "SELECT recommendation_id, agency FROM recommendation_agencies ORDER BY rowid")
    review_agencies = _links(conn, """SELECT r.review_id, a.agency FROM recommendation_agencies a
        JOIN recommendations r ON r.id = a.recommendation_id ORDER BY r.rowid, a.rowid""")
    reviews = {row["id"]: row for row in conn.execute("SELECT * FROM reviews" + within("id"), only)}
    agency_names = dict(conn.execute("SELECT slug, name FROM agencies").fetchall())
    facts = _review_facts(conn, within("review_id"), only)

    def base(review_id: str) -> dict:
        review = reviews.get(review_id)
        return {
            "review_id": review_id,
            "review_title": (review["title"] if review else None) or review_id,
            "year": review["year"] if review else None,
            "date": _date_key(review["published"]) if review else 0,
            "review_type": review["review_type"] if review else None,
            "themes": list(review_themes.get(review_id, [])),
            "agencies": [], "wording": None, "page": None,
        }

    for rid, row in reviews.items():
        yield {
            **base(rid), "kind": "review", "id": rid, "title": row["title"] or rid,
            "heading": " ".join(filter(None, [row["title"], row["subject"]])),
            "content": "\n\n".join(filter(None, [row["summary"], *facts.get(rid, [])])),
            "url": f"/reviews/{quote(rid)}",
            "agencies": list(review_agencies.get(rid, [])),
        }
    for row in conn.execute("SELECT * FROM learning_points" + within("review_id") + " ORDER BY review_id, seq", only):
        rec = base(row["review_id"])
        yield {
            **rec, "kind": "learning-point", "id": row["id"], "title": f"Learning point {row['seq']}",
            "content": row["text"] or "", "page": row["page"],
            "themes": lp_themes.get(row["id"]) or rec["themes"],
            "url": f"/reviews/{quote(row['review_id'])}#lp-{row['seq']}",
        }
    for row in conn.execute("SELECT * FROM recommendations" + within("review_id") + " ORDER BY review_id, rowid", only):
        yield {
            **base(row["review_id"]), "kind": "recommendation", "id": row["id"],
            "title": f"Recommendation {row['number']}", "content": row["text"] or "",
            "page": row["page"], "themes": list(rec_themes.get(row["id"], [])),
            "agencies": list(rec_agencies.get(row["id"], [])), "wording": row["wording"],
            "url": f"/recommendations/{quote(row['id'])}",
        }
    for row in conn.execute("SELECT * FROM agency_actions" + within("review_id") + " ORDER BY review_id, rowid", only):
        rec = base(row["review_id"])
        yield {
            **rec, "kind": "action", "id": row["id"],
            "title": f"Action by {agency_names.get(row['agency'], row['agency'])}" if row["agency"]
            else "Agency action",
            "content": row["action"] or "", "agencies": [row["agency"]] if row["agency"] else [],
            "themes": rec_themes.get(row["recommendation_id"]) or rec["themes"],
            "recommendation_id": row["recommendation_id"],
            "url": f"/reviews/{quote(row['review_id'])}#action-{quote(row['id'])}",
        }
    # A paragraph that is word for word a learning point or recommendation already indexed would
    # only show the same hit twice; the paragraph adds nothing but its page, which the other has.
    already = {(r[0], _plain(r[1])) for r in conn.execute(
        "SELECT review_id, text FROM learning_points" + within("review_id") +
        " UNION ALL SELECT review_id, text FROM recommendations" + within("review_id"), only)}
    for row in conn.execute("""SELECT p.*, d.file, d.role FROM paragraphs p JOIN documents d ON d.id = p.document_id"""
                            + within("p.review_id") + " ORDER BY p.review_id, p.document_id, p.seq", only):
        if (row["review_id"], _plain(row["text"])) in already:
            continue
        page = row["page"]
        yield {
            **base(row["review_id"]), "kind": "paragraph", "id": row["id"],
            "title": _paragraph_label(row["role"], page),
            "content": row["text"] or "", "page": page,
            "url": f"/reviews/{quote(row['review_id'])}/documents/{quote(row['file'])}#p-{row['seq']}",
        }
