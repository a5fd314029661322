"""Read-only SQL for the public pages, one function per thing a page shows.

Kept apart from the views so each page's query count stays visible: a page calls a handful
of these, never one per row. Themes and agencies of each item come back as a list of slugs
(group_concat), and templates turn slugs into names with the small vocabulary maps.
Named parameters only.
"""
from __future__ import annotations

import json
import sqlite3

SEP = "|"  # slugs never contain it


def _split(value: str | None) -> list[str]:
    return sorted(set(value.split(SEP))) if value else []


def _rows(conn: sqlite3.Connection, sql: str, params: dict | None = None,
          lists: tuple[str, ...] = ()) -> list[dict]:
    """Rows as dicts, with the group_concat columns named in `lists` split into lists."""
    out = []
    for row in conn.execute(sql, params or {}):
        item = dict(row)
        for key in lists:
            item[key] = _split(item.get(key))
        out.append(item)
    return out


def _one(conn: sqlite3.Connection, sql: str, params: dict) -> dict | None:
    row = conn.execute(sql, params).fetchone()
    return dict(row) if row else None


# Subqueries that attach an item's themes / agencies as "a|b|c".
REC_THEMES = ("(select group_concat(theme, '|') from recommendation_themes rt "
              "where rt.recommendation_id = r.id) as themes")
REC_AGENCIES = ("(select group_concat(agency, '|') from recommendation_agencies ra "
                "where ra.recommendation_id = r.id) as agencies")
LP_THEMES = ("(select group_concat(theme, '|') from learning_point_themes lt "
             "where lt.learning_point_id = l.id) as themes")
REVIEW_THEMES = ("(select group_concat(theme, '|') from review_themes vt "
                 "where vt.review_id = v.id) as themes")
REC_COLUMNS = ("r.id, r.review_id, r.number, r.text, r.wording, r.rec_type, r.page, r.document_id, "
               "r.source_url, r.source_citation, r.origin, d.file as document_file")
DOC_JOIN = "left join documents d on d.id = r.document_id"
REC_FROM = f"recommendations r {DOC_JOIN}"
# Newest first: `published` is YYYY, YYYY-MM or YYYY-MM-DD, so text order is date order.
NEWEST = "v.published desc, v.id"


def vocabulary(conn: sqlite3.Connection) -> dict[str, dict[str, dict]]:
    """{"themes": {slug: row}, "agencies": {slug: row}} in one query, for names and links."""
    vocab: dict[str, dict[str, dict]] = {"themes": {}, "agencies": {}}
    sql = ("select 'themes' as kind, slug, name, description from themes union all "
           "select 'agencies', slug, name, description from agencies order by name")
    for row in conn.execute(sql):
        vocab[row["kind"]][row["slug"]] = dict(row)
    return vocab


def totals(conn: sqlite3.Connection) -> dict[str, int]:
    """How much the repository holds, in one query."""
    row = conn.execute(
        "select (select count(*) from reviews) as reviews,"
        " (select count(*) from recommendations) as recommendations,"
        " (select count(*) from learning_points) as learning_points,"
        " (select count(*) from agency_actions) as actions,"
        " (select count(*) from themes) as themes,"
        " (select count(*) from agencies) as agencies"
    ).fetchone()
    return dict(row)


def theme_counts(conn: sqlite3.Connection) -> list[dict]:
    """Every theme with how many reviews, learning points and recommendations carry it."""
    return _rows(conn, """
        select t.slug, t.name, t.description,
          (select count(*) from review_themes x where x.theme = t.slug) as reviews,
          (select count(*) from learning_point_themes x where x.theme = t.slug) as learning_points,
          (select count(*) from recommendation_themes x where x.theme = t.slug) as recommendations
        from themes t order by t.name""")


def agency_counts(conn: sqlite3.Connection) -> list[dict]:
    """Every agency with how many recommendations and actions are addressed to it."""
    return _rows(conn, """
        select a.slug, a.name, a.description,
          (select count(*) from recommendation_agencies x where x.agency = a.slug) as recommendations,
          (select count(*) from agency_actions x where x.agency = a.slug) as actions
        from agencies a order by a.name""")


def reviews(conn: sqlite3.Connection, limit: int | None = None) -> list[dict]:
    """Reviews newest first, with their themes and how many recommendations each made."""
    sql = f"""
        select v.id, v.title, v.review_type, v.publisher, v.area, v.published, v.year, v.summary,
          {REVIEW_THEMES},
          (select count(*) from recommendations r where r.review_id = v.id) as recommendations
        from reviews v order by {NEWEST} limit :limit"""
    return _rows(conn, sql, {"limit": -1 if limit is None else limit}, lists=("themes",))


def review(conn: sqlite3.Connection, review_id: str) -> dict | None:
    row = _one(conn, f"select v.*, {REVIEW_THEMES} from reviews v where v.id = :id", {"id": review_id})
    if row:
        row["themes"] = _split(row["themes"])
    return row


def facts(conn: sqlite3.Connection, review_id: str) -> list[dict]:
    return _rows(conn, "select * from facts where review_id = :id order by id", {"id": review_id})


def documents(conn: sqlite3.Connection, review_id: str) -> list[dict]:
    return _rows(conn, "select * from documents where review_id = :id order by file", {"id": review_id})


def document(conn: sqlite3.Connection, review_id: str, file: str) -> dict | None:
    return _one(conn, "select * from documents where review_id = :review_id and file = :file",
                {"review_id": review_id, "file": file})


def paragraphs(conn: sqlite3.Connection, document_id: str) -> list[dict]:
    return _rows(conn, "select page, seq, text from paragraphs where document_id = :id order by seq",
                 {"id": document_id})


def review_learning_points(conn: sqlite3.Connection, review_id: str) -> list[dict]:
    sql = f"""select l.*, d.file as document_file, {LP_THEMES}
              from learning_points l left join documents d on d.id = l.document_id
              where l.review_id = :id order by l.seq"""
    return _rows(conn, sql, {"id": review_id}, lists=("themes",))


def review_recommendations(conn: sqlite3.Connection, review_id: str) -> list[dict]:
    sql = f"""select {REC_COLUMNS}, {REC_THEMES}, {REC_AGENCIES} from {REC_FROM}
              where r.review_id = :id order by r.rowid"""
    return _rows(conn, sql, {"id": review_id}, lists=("themes", "agencies"))


def review_actions(conn: sqlite3.Connection, review_id: str) -> list[dict]:
    sql = """select a.*, r.number as recommendation_number from agency_actions a
             left join recommendations r on r.id = a.recommendation_id
             where a.review_id = :id order by a.rowid"""
    return _rows(conn, sql, {"id": review_id})


def recommendation(conn: sqlite3.Connection, rec_id: str) -> dict | None:
    sql = f"""select {REC_COLUMNS}, {REC_THEMES}, {REC_AGENCIES},
                v.title as review_title, v.published, v.year, v.report_url
              from {REC_FROM} join reviews v on v.id = r.review_id where r.id = :id"""
    row = _one(conn, sql, {"id": rec_id})
    if row:
        row["themes"], row["agencies"] = _split(row["themes"]), _split(row["agencies"])
    return row


def alias_target(conn: sqlite3.Connection, old_id: str) -> str | None:
    """The recommendation that replaced a retired (summary) id, so old links keep working."""
    row = conn.execute("select new_id from recommendation_aliases where old_id = :id",
                       {"id": old_id}).fetchone()
    return row["new_id"] if row else None


def recommendation_actions(conn: sqlite3.Connection, rec_id: str) -> list[dict]:
    return _rows(conn, "select * from agency_actions where recommendation_id = :id order by rowid",
                 {"id": rec_id})


def theme_learning_points(conn: sqlite3.Connection, slug: str) -> list[dict]:
    sql = f"""select l.*, v.title as review_title, v.published, {LP_THEMES}
              from learning_point_themes x join learning_points l on l.id = x.learning_point_id
              join reviews v on v.id = l.review_id where x.theme = :slug
              order by {NEWEST}, l.seq"""
    return _rows(conn, sql, {"slug": slug}, lists=("themes",))


def theme_recommendations(conn: sqlite3.Connection, slug: str) -> list[dict]:
    sql = f"""select {REC_COLUMNS}, {REC_THEMES}, {REC_AGENCIES},
                v.title as review_title, v.published
              from recommendation_themes x join recommendations r on r.id = x.recommendation_id {DOC_JOIN}
              join reviews v on v.id = r.review_id where x.theme = :slug
              order by {NEWEST}, r.rowid"""
    return _rows(conn, sql, {"slug": slug}, lists=("themes", "agencies"))


def theme_by_year(conn: sqlite3.Connection, slug: str) -> list[dict]:
    """Per review year: reviews, learning points and recommendations carrying the theme."""
    sql = """
        with items(year, kind) as (
          select v.year, 'reviews' from review_themes x join reviews v on v.id = x.review_id
            where x.theme = :slug
          union all
          select v.year, 'learning_points' from learning_point_themes x
            join learning_points l on l.id = x.learning_point_id
            join reviews v on v.id = l.review_id where x.theme = :slug
          union all
          select v.year, 'recommendations' from recommendation_themes x
            join recommendations r on r.id = x.recommendation_id
            join reviews v on v.id = r.review_id where x.theme = :slug)
        select year,
          sum(kind = 'reviews') as reviews,
          sum(kind = 'learning_points') as learning_points,
          sum(kind = 'recommendations') as recommendations
        from items where year is not null group by year order by year"""
    return _rows(conn, sql, {"slug": slug})


def agency_recommendations(conn: sqlite3.Connection, slug: str) -> list[dict]:
    sql = f"""select {REC_COLUMNS}, {REC_THEMES}, {REC_AGENCIES},
                v.title as review_title, v.published
              from recommendation_agencies x join recommendations r on r.id = x.recommendation_id {DOC_JOIN}
              join reviews v on v.id = r.review_id where x.agency = :slug
              order by {NEWEST}, r.rowid"""
    return _rows(conn, sql, {"slug": slug}, lists=("themes", "agencies"))


def agency_actions(conn: sqlite3.Connection, slug: str) -> list[dict]:
    sql = f"""select a.*, v.title as review_title, v.published, r.number as recommendation_number
              from agency_actions a join reviews v on v.id = a.review_id
              left join recommendations r on r.id = a.recommendation_id
              where a.agency = :slug order by {NEWEST}, a.rowid"""
    return _rows(conn, sql, {"slug": slug})


def known_values(conn: sqlite3.Connection) -> dict[str, dict[str, str]]:
    """Valid theme, agency and review filter values -> their labels, in one query."""
    known: dict[str, dict[str, str]] = {"theme": {}, "agency": {}, "review": {}}
    sql = ("select 'theme', slug, name from themes union all select 'agency', slug, name from agencies "
           "union all select 'review', id, title from reviews")
    for kind, value, label in conn.execute(sql):
        known[kind][value] = label
    return known


def newest_recommendations(conn: sqlite3.Connection, limit: int) -> list[dict]:
    """The latest reviews' recommendations, newest review first (for the whole-repository feed)."""
    sql = f"""select {REC_COLUMNS}, {REC_THEMES}, {REC_AGENCIES},
                v.title as review_title, v.published
              from {REC_FROM} join reviews v on v.id = r.review_id
              order by {NEWEST}, r.rowid limit :limit"""
    return _rows(conn, sql, {"limit": limit}, lists=("themes", "agencies"))


def holdings(conn: sqlite3.Connection) -> dict[str, dict]:
    """What the repository can hold for a review (slug -> name, description), from the database."""
    return {r["slug"]: r for r in _rows(conn, "select slug, name, description from holdings", {})}


def review_addressees(conn: sqlite3.Connection, review_id: str) -> list[str]:
    """Agencies a review addressed recommendations to, when nothing more about them is known."""
    return [r["agency"] for r in _rows(
        conn, "select agency from review_addressees where review_id = :id order by rowid", {"id": review_id})]


def recurring_for(conn: sqlite3.Connection, item_id: str) -> dict | None:
    """The recurring group an item belongs to, with its other members from other reviews (oldest
    first) and why each is there; None when the item recurs nowhere else."""
    group = _one(conn, """select g.* from recurring_groups g join recurring_members m on m.group_id = g.id
                          where m.item_id = :id""", {"id": item_id})
    if group is None:
        return None
    for key in ("key_phrases", "themes", "agencies"):
        group[key] = json.loads(group[key] or "[]")
    members = _rows(conn, """
        select m.item_id, m.kind, m.review_id, m.year, m.shared_phrases, v.title as review_title,
          coalesce(r.number, l.seq) as number, coalesce(r.text, l.text) as text, r.wording
        from recurring_members m
        join reviews v on v.id = m.review_id
        left join recommendations r on r.id = m.item_id
        left join learning_points l on l.id = m.item_id
        where m.group_id = :g and m.item_id != :id
        order by m.year, m.item_id""", {"g": group["id"], "id": item_id})
    for m in members:
        m["shared_phrases"] = json.loads(m["shared_phrases"] or "[]")
    group["others"] = members
    return group


def recurring_asks(conn: sqlite3.Connection, theme: str | None = None, agency: str | None = None,
                   limit: int = 5) -> list[dict]:
    """The recommendations asked for again and again, most reviews first, for a theme or an agency."""
    where, params = [], {"limit": limit}
    if theme:
        where.append("""exists (select 1 from recurring_members m join recommendation_themes t
                        on t.recommendation_id = m.item_id where m.group_id = g.id and t.theme = :theme)""")
        params["theme"] = theme
    if agency:
        where.append("""exists (select 1 from recurring_members m join recommendation_agencies a
                        on a.recommendation_id = m.item_id where m.group_id = g.id and a.agency = :agency)""")
        params["agency"] = agency
    sql = f"""select g.* from recurring_groups g where g.kind = 'recommendation'
              {''.join(' and ' + w for w in where)} order by g.reviews desc, g.items desc, g.id limit :limit"""
    groups = _rows(conn, sql, params)
    for g in groups:
        g["key_phrases"] = json.loads(g["key_phrases"] or "[]")
        g["members"] = _rows(conn, """select m.item_id, m.review_id, m.year, r.number, r.text, v.title as review_title
            from recurring_members m join recommendations r on r.id = m.item_id join reviews v on v.id = m.review_id
            where m.group_id = :g order by m.year, m.item_id""", {"g": g["id"]})
    return groups
