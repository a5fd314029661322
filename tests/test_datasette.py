"""The open data site: a real Datasette (`python -m open_data safeguarding-reviews.db`), checked over HTTP.

Also checks metadata.yml against the schema, both ways: nothing described that does not exist,
nothing in the database left undescribed.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.opendata_support import DATABASE, ROOT, SITE_URL, free_port, load_metadata
from tests.test_publish import SECRETS

FORBIDDEN_TABLE_WORDS = ("user", "password", "session", "audit", "tracked", "tracking", "briefing")
FORBIDDEN_COLUMNS = {"password_hash", "password", "evidence_private", "private_note", "private_notes",
                     "updated_by", "user", "user_id", "user_name", "owner", "note", "session_epoch"}


def canned_queries() -> dict:
    return load_metadata()["databases"][DATABASE]["queries"]


@pytest.fixture(scope="module")
def server(public_db, tmp_path_factory):
    """Base URL of a real Datasette process; it is terminated at the end of the module."""
    port = free_port()
    log = (tmp_path_factory.mktemp("datasette-log") / "datasette.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "open_data", str(public_db), "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "RLR_BASE_URL": SITE_URL},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                log.flush()
                pytest.fail(f"datasette exited early: {Path(log.name).read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("datasette did not start within 30 seconds")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def get(base: str, path: str, **params) -> tuple[int, object]:
    """GET a JSON page; returns (status, parsed body) for errors too."""
    url = f"{base}{path}" + ("?" + urllib.parse.urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def query(base: str, name: str, **params) -> list[dict]:
    status, body = get(base, f"/{DATABASE}/{name}.json", _shape="array", **params)
    assert status == 200 and isinstance(body, list), body
    return body


def schema(db: Path) -> dict[str, list[str]]:
    """Columns of every table and view people browse (FTS indexes and their shadow tables left out)."""
    conn = sqlite3.connect(db)
    try:
        objects = conn.execute("select name, type, coalesce(sql, '') from sqlite_master "
                               "where type in ('table', 'view')").fetchall()
        virtual = [name for name, _, sql in objects if sql.upper().startswith("CREATE VIRTUAL TABLE")]
        return {
            name: [c[1] for c in conn.execute("select * from pragma_table_info(:t)", {"t": name})]
            for name, _, _ in objects
            if name not in virtual and not any(name.startswith(v + "_") for v in virtual)
        }
    finally:
        conn.close()


# --- metadata.yml against the schema (no server needed) ---

def test_every_described_table_and_column_exists(public_db):
    actual = schema(public_db)
    for table, meta in load_metadata()["databases"][DATABASE]["tables"].items():
        assert table in actual, f"metadata.yml describes a missing table: {table}"
        missing = set(meta.get("columns", {})) - set(actual[table])
        assert not missing, f"metadata.yml describes missing columns of {table}: {missing}"
        for key in ("label_column", "sort_desc", "sort", "fts_pk"):
            if key in meta:
                assert meta[key] in actual[table], f"{table}.{key} names a missing column"
        for facet in meta.get("facets", []):
            column = facet["array"] if isinstance(facet, dict) else facet
            assert column in actual[table], f"{table} facets on a missing column {column}"


def test_every_table_and_column_is_described(public_db):
    tables = load_metadata()["databases"][DATABASE]["tables"]
    for table, columns in schema(public_db).items():
        assert table in tables, f"table {table} has no entry in metadata.yml"
        undescribed = [c for c in columns if not tables[table].get("columns", {}).get(c)]
        assert not undescribed, f"columns of {table} without a description: {undescribed}"


def test_database_and_every_table_have_licence_and_source():
    meta = load_metadata()
    public = meta["databases"][DATABASE]
    for where, block in [("top level", meta), ("database", public), *public["tables"].items()]:
        for key in ("license", "license_url", "source", "source_url"):
            assert block.get(key), f"{where} has no {key}"
        if where != "top level":
            assert block.get("description"), f"{where} has no description"
    assert "wording" in meta["description_html"] and "own words" in meta["description_html"]


def test_canned_queries_are_documented_and_use_named_parameters_only():
    assert len(canned_queries()) >= 7
    for name, q in canned_queries().items():
        assert q.get("title") and q.get("description"), name
        assert "?" not in q["sql"], f"{name}: use :named parameters"
        if "match" in q["sql"]:
            assert "escape_fts(:" in q["sql"], f"{name}: full-text input must go through escape_fts"


# --- the running site ---

def test_home_page_has_title_and_licence(server):
    status, body = get(server, "/-/metadata.json")
    assert status == 200 and body["title"] == "Safeguarding review learning"
    with urllib.request.urlopen(f"{server}/{DATABASE}/recommendations", timeout=10) as resp:
        html = resp.read().decode()
    assert "wording = published" in html and "CC BY 4.0" in html


def html(base: str, path: str) -> str:
    with urllib.request.urlopen(f"{base}{path}", timeout=10) as resp:
        return resp.read().decode()


def test_landing_page_says_what_the_public_can_do(server):
    page = html(server, "/")
    assert "What you can do here" in page
    assert f'href="/{DATABASE}/recommendation_overview"' in page  # browse the overview straight away
    assert "CC BY 4.0" in page and "own words" in page  # licence and description
    assert f'href="{SITE_URL}"' in page  # and the way back to the website


def test_database_page_leads_with_the_overview_and_has_no_sql_box(server):
    page = html(server, f"/{DATABASE}")
    order = [page.index(f'href="/{DATABASE}/{name}"') for name in
             ("recommendation_overview", "recommendations", "reviews", "themes", "facts", "paragraphs")]
    assert order == sorted(order), "overview and main tables first, source text last"
    assert "<textarea" not in page  # no pre-filled raw SQL box ...
    assert f"/{DATABASE}?sql=" in page  # ... but writing SQL is one link away
    assert "Every recommendation with its review" in page  # descriptions from metadata.yml
    assert "Ready-made queries" in page and "Open recommendations for an agency" in page


@pytest.mark.parametrize("path", ["/", f"/{DATABASE}", f"/{DATABASE}/recommendation_overview",
                                  f"/{DATABASE}/reviews/child-t-2022"])
def test_every_page_links_back_to_the_website(server, path):
    assert f'<a href="{SITE_URL}">Safeguarding review learning</a>' in html(server, path)


def test_json_api_lists_reviews(server):
    reviews = query(server, "reviews")
    assert {r["id"] for r in reviews} == {"child-t-2022", "baby-q-2019", "family-w-2024", "child-r-2023"}
    assert reviews[0]["id"] == "family-w-2024", "reviews are sorted by published date, newest first"


@pytest.mark.parametrize("table, term, expected", [
    ("reviews", "neglect", {"family-w-2024"}),
    ("recommendations", "mechanism", {"child-t-2022-rec-1"}),
    ("learning_points", "exploiting", {"child-t-2022-lp-1", "child-r-2023-lp-1"}),  # porter stemming
    ("recommendation_overview", "victims", {"child-r-2023-rec-1"}),  # a view, via fts_table/fts_pk
])
def test_full_text_search(server, table, term, expected):
    assert {r["id"] for r in query(server, table, _search=term)} == expected


def test_facets_on_the_overview(server):
    status, body = get(server, f"/{DATABASE}/recommendation_overview.json", _size="0")
    assert status == 200
    facets = body["facet_results"]
    assert {"status", "year", "review_type", "themes", "agencies"} <= set(facets)
    themes = {f["value"]: f["count"] for f in facets["themes"]["results"]}
    assert themes["child-criminal-exploitation"] == 2


def test_foreign_keys_show_names(server):
    status, body = get(server, f"/{DATABASE}/recommendation_themes.json", _labels="on", _shape="array", theme="neglect")
    assert status == 200
    assert body[0]["theme"] == {"value": "neglect", "label": "Neglect"}
    status, body = get(server, f"/{DATABASE}/facts.json", _labels="on", _shape="array")
    assert {"value": "child-t-2022", "label": "Child Safeguarding Practice Review: Child T"} in \
        [r["review_id"] for r in body]


def ids(rows: list[dict], key: str = "id") -> list[str]:
    return [r[key] for r in rows]


def test_open_recommendations_by_agency(server):
    police = query(server, "open_recommendations_by_agency", agency="police")
    assert sorted(ids(police)) == ["child-r-2023-rec-1", "child-t-2022-rec-1"]
    assert query(server, "open_recommendations_by_agency", agency="Police") == police  # the name works too
    # its one action is complete, but no board has signed the recommendation off: still open
    assert ids(query(server, "open_recommendations_by_agency", agency="education")) == ["child-t-2022-rec-2"]


def test_overdue_actions(server):
    rows = query(server, "overdue_actions")
    assert ids(rows, "action_id") == ["child-t-2022-act-1", "child-r-2023-act-1"]
    assert rows[1]["due_by"] == "2023-06-30", "a month-only date is due at the end of the month"
    expected_from = "tracker"
    assert rows[0]["status_from"] == expected_from


def test_theme_learning(server):
    neglect = query(server, "theme_learning", theme="neglect")
    assert [(r["kind"], r["id"]) for r in neglect] == [
        ("learning point", "family-w-2024-lp-1"), ("recommendation", "family-w-2024-rec-1")]
    by_name = query(server, "theme_learning", theme="Child criminal exploitation")
    assert ids(by_name) == ["child-r-2023-lp-1", "child-r-2023-rec-1", "child-t-2022-lp-1", "child-t-2022-rec-1"]


def test_theme_counts_by_year(server):
    rows = query(server, "theme_counts_by_year")
    cce = [r for r in rows if r["theme"] == "child-criminal-exploitation"]
    assert [(r["year"], r["reviews"], r["learning_points"], r["recommendations"]) for r in cce] == [
        (2023, 1, 1, 1), (2022, 1, 1, 1)]
    assert rows[0]["year"] == 2024


def test_recurring_recommendations(server):
    rows = query(server, "recurring_recommendations")
    assert [(r["theme"], r["agency"], r["reviews"]) for r in rows] == [("child-criminal-exploitation", "police", 2)]
    assert set(rows[0]["review_ids"].split(",")) == {"child-t-2022", "child-r-2023"}


def test_reviews_by_type_and_year(server):
    rows = query(server, "reviews_by_type_and_year")
    assert [(r["year"], r["review_type"], r["reviews"]) for r in rows] == [
        (2024, "partnership-learning-review", 1), (2023, "cspr", 1), (2022, "cspr", 1), (2019, "scr", 1)]


def test_search_query(server):
    rows = query(server, "search", q="exploited")
    assert {(r["kind"], r["id"]) for r in rows} == {
        ("learning point", "child-t-2022-lp-1"), ("learning point", "child-r-2023-lp-1"),
        ("recommendation", "child-t-2022-rec-1"), ("recommendation", "child-r-2023-rec-1")}
    assert query(server, "search", q='bruising "non-mobile') != []  # unbalanced quote is escaped


@pytest.mark.parametrize("name", sorted(n for n, q in canned_queries().items() if ":" in q["sql"]))
@pytest.mark.parametrize("value", [None, "", " ", '"'])
def test_empty_or_odd_parameters_return_nothing_not_an_error(server, name, value):
    params = {} if value is None else {p: value for p in ("agency", "theme", "q") if f":{p}" in canned_queries()[name]["sql"]}
    assert query(server, name, **params) == []


# --- nothing private is published ---

def test_no_private_tables_or_columns(server, public_db):
    status, body = get(server, f"/{DATABASE}.json")
    assert status == 200
    names = [t["name"] for t in body["tables"]] + [v["name"] for v in body.get("views", [])]
    conn = sqlite3.connect(public_db)
    try:
        every = [r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")]
        assert set(names) <= set(every)
        for table in every:
            assert not any(word in table.lower() for word in FORBIDDEN_TABLE_WORDS), table
            columns = {c[0] for c in conn.execute("select name from pragma_table_info(:t)", {"t": table})}
            assert not columns & FORBIDDEN_COLUMNS, (table, columns & FORBIDDEN_COLUMNS)
    finally:
        conn.close()


@pytest.mark.parametrize("sql", [
    "select * from users", "select password_hash from users", "select * from audit",
    "select private_notes from action_status", "select * from sessions",
])
def test_sql_for_private_data_errors(server, sql):
    status, body = get(server, f"/{DATABASE}.json", sql=sql)
    assert status == 400 and body["ok"] is False and "no such" in body["error"]


def test_no_secret_reaches_the_site(server):
    """Read every table, hidden ones too, through the site: no tracker secret is in any of them."""
    status, body = get(server, f"/{DATABASE}.json")
    assert status == 200
    tables = [t["name"] for t in body["tables"]]
    assert "action_status" in tables and "recommendations_fts_data" in tables  # hidden ones are listed too
    seen = []
    for table in tables:
        status, table_rows = get(server, f"/{DATABASE}/{table}.json", _shape="array", _size="max")
        assert status == 200, table
        seen.append(json.dumps(table_rows))
    text = "\n".join(seen)
    assert "Audit of referrals published" in text  # the public evidence is there ...
    for secret in SECRETS.values():
        assert secret not in text  # ... and nothing private is


def test_the_site_sees_a_tracker_change_without_a_restart(server, public_db):
    """After a tracker change the app refreshes the live file (tracker.publish.refresh): it shows at
    once, because it is served without -i."""
    from tracker import store
    from tracker.publish import refresh

    folder = public_db.parent

    def current() -> dict:
        rows = query(server, "recommendation_status", recommendation_id="baby-q-2019-rec-s1")
        return {k: rows[0][k] for k in ("response", "status")}

    before = current()
    tracker = store.connect(folder / "tracker.db")
    tracker.execute("insert into recommendation_tracking (recommendation_id, response, version, updated_at) "
                    "values ('baby-q-2019-rec-s1', 'awaiting-response', 1, '2024-01-01T00:00:00')")
    try:
        refresh(public_db, folder / "reviews.db", folder / "tracker.db")
        assert current() == {"response": "awaiting-response", "status": "awaiting-response"}
    finally:
        tracker.execute("delete from recommendation_tracking where recommendation_id = 'baby-q-2019-rec-s1'")
        tracker.close()
        refresh(public_db, folder / "reviews.db", folder / "tracker.db")
    assert current() == before
