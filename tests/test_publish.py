"""tracker.publish: public.db is a safe, atomic copy of reviews.db plus public statuses."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker import publish as pub
from tracker.cli import publish_command


# Strings that exist only in the tracker's private parts; none may appear anywhere in public.db.
SECRETS = {
    "editor": "Editor Sentinel",
    "password": "sentinel-password-not-public-42",
    "owner": "Owner Sentinel",
    "note": "NOTE-SENTINEL: discussed at closed board",
    "private_notes": "PRIVATE-SENTINEL: named family member",
}
PUBLIC_EVIDENCE = "Audit of referrals published in the annual report"


def make_tracker_db(path: Path, reviews_db: Path) -> Path:
    """A tracker.db made through the tracker's own API, with a user, private notes and an audit trail."""
    from tracker import changes, state, store, users

    conn = store.connect(path)
    reviews = sqlite3.connect(reviews_db)
    try:
        uid = users.create_user(conn, SECRETS["editor"], "admin", SECRETS["password"])
        user = users.get_user(conn, uid)
        rec = state.load(conn, reviews).recommendations["child-t-2022-rec-1"]
        changes.update_recommendation(conn, user, rec, 0, {"response": "accepted", "owner": SECRETS["owner"]},
                                      note=SECRETS["note"])
        action = next(a for a in rec.actions if a.action_id == "child-t-2022-act-1")
        changes.update_action(conn, user, action, 0, {
            "delivery": "in-progress-on-track", "public_evidence": PUBLIC_EVIDENCE,
            "private_notes": SECRETS["private_notes"]}, note=SECRETS["note"])
    finally:
        reviews.close()
        conn.close()
    return path


def all_text(db: Path) -> str:
    """Every value of every table (FTS shadow tables included) and the schema, as one string."""
    conn = sqlite3.connect(db)
    try:
        parts = [r[0] or "" for r in conn.execute("select sql from sqlite_master")]
        for (table,) in conn.execute("select name from sqlite_master where type = 'table'"):
            for row in conn.execute(f'select * from "{table}"'):
                parts += [str(v) for v in row]
        return "\n".join(parts)
    finally:
        conn.close()


def rows(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params or {}).fetchall()
    finally:
        conn.close()


@pytest.fixture
def public_no_tracker(reviews_db_path, tmp_path):
    target = tmp_path / "public.db"
    pub.publish(reviews_db_path, tmp_path / "missing-tracker.db", target)
    return target


def test_without_tracker_every_recommendation_gets_a_derived_status(public_no_tracker, tmp_path):
    assert not (tmp_path / "missing-tracker.db").exists(), "publish must not create the tracker"
    got = dict(rows(public_no_tracker, "select recommendation_id, status from recommendation_status"))
    assert got == {
        "child-t-2022-rec-1": "in-progress",   # its action is in progress
        "child-t-2022-rec-2": "in-progress",   # its only action is completed, but no board signed it off
        "baby-q-2019-rec-s1": "not-tracked",
        "family-w-2024-rec-1": "not-tracked",
    }
    # the recommendation's own target date is the board's (none yet), as the site shows it; the
    # plan's dates stay on the actions, which are published from the sources as they reported them
    assert rows(public_no_tracker, "select target_date from recommendation_status "
                "where recommendation_id = 'child-t-2022-rec-2'") == [(None,)]
    assert rows(public_no_tracker, "select action_id, delivery, target_date from action_status order by 1") == [
        ("child-t-2022-act-1", "in-progress", "2022-12-31"), ("child-t-2022-act-2", "complete", "2023-03-31")]


def test_public_db_is_a_full_copy_of_reviews_db(reviews_db_path, public_no_tracker):
    source_tables = [r[0] for r in rows(reviews_db_path, "select name from sqlite_master where type = 'table'")]
    for table in source_tables:
        assert rows(public_no_tracker, f'select count(*) from "{table}"') == \
            rows(reviews_db_path, f'select count(*) from "{table}"'), table
    hits = rows(public_no_tracker, "select rowid from recommendations_fts where recommendations_fts match 'mechanism'")
    assert hits == rows(public_no_tracker, "select rowid from recommendations where id = 'child-t-2022-rec-1'")


@pytest.mark.parametrize("statuses, expected", [
    ([], "not-tracked"),
    ([None, None], "not-started"),
    (["not-started", "in-progress"], "in-progress"),
    (["completed", "not-started"], "in-progress"),
    (["completed", "assured"], "in-progress"),  # finished actions alone never complete a recommendation
    (["assured", "assured"], "in-progress"),
    (["completed", None], "in-progress"),
])
def test_status_from_reported_actions_alone(statuses, expected):
    from core.status import INGESTED_STATUS, recommendation_status

    assert recommendation_status(None, [INGESTED_STATUS[s] for s in statuses]) == expected


def test_no_tracker_and_an_empty_tracker_publish_the_same(reviews_db_path, public_no_tracker, tmp_path):
    """One rule, one path: publishing before the tracker exists gives what an empty tracker gives."""
    from tracker import store

    store.connect(tmp_path / "empty-tracker.db").close()
    target = tmp_path / "public-empty.db"
    pub.publish(reviews_db_path, tmp_path / "empty-tracker.db", target)
    for table in ("recommendation_status", "action_status"):
        assert rows(target, f"select * from {table} order by 1") == \
            rows(public_no_tracker, f"select * from {table} order by 1"), table


def test_with_tracker_statuses_come_from_the_tracker_and_nothing_private_leaks(reviews_db_path, tmp_path):
    tracker_db = make_tracker_db(tmp_path / "tracker.db", reviews_db_path)
    target = tmp_path / "public.db"
    result = pub.publish(reviews_db_path, tracker_db, target)
    assert result["tracker"] is True
    assert rows(target, "select response, status from recommendation_status "
                "where recommendation_id = 'child-t-2022-rec-1'") == [("accepted", "in-progress")]
    assert rows(target, "select delivery, public_evidence from action_status where action_id = 'child-t-2022-act-1'") \
        == [("in-progress-on-track", PUBLIC_EVIDENCE)]
    text = all_text(target)
    for secret in SECRETS.values():
        assert secret not in text
    assert "scrypt:" not in text
    tracker_tables = {r[0] for r in rows(tracker_db, "select name from sqlite_master where type = 'table'")}
    public_tables = {r[0] for r in rows(target, "select name from sqlite_master where type = 'table'")}
    assert tracker_tables & public_tables == set()
    conn = sqlite3.connect(target)
    try:
        assert pub.private_findings(conn) == []
    finally:
        conn.close()


def test_private_findings_names_private_tables_and_columns():
    conn = sqlite3.connect(":memory:")
    conn.executescript(
        "create table users (id, name); create table action_status (action_id, private_notes, updated_by);"
        "create table reviews (id, notes, title); create table tracking (owner, note)"
    )
    assert pub.private_findings(conn) == [
        "users", "action_status.private_notes", "action_status.updated_by", "tracking.owner", "tracking.note"]


def test_a_failed_publish_leaves_the_previous_public_db(reviews_db_path, public_no_tracker, monkeypatch):
    before = public_no_tracker.read_bytes()

    def broken(*args):
        raise RuntimeError("tracker export failed")

    monkeypatch.setattr(pub, "tracker_rows", broken)
    with pytest.raises(RuntimeError):
        pub.publish(reviews_db_path, "tracker.db", public_no_tracker)
    assert public_no_tracker.read_bytes() == before
    assert [p.name for p in public_no_tracker.parent.iterdir() if p.name.endswith(".building")] == []


def test_publish_refuses_private_looking_data(reviews_db_path, public_no_tracker):
    before = public_no_tracker.read_bytes()
    conn = sqlite3.connect(reviews_db_path)
    conn.execute("create table sessions (id text, user_id integer)")
    conn.commit()
    conn.close()
    with pytest.raises(pub.PublishError, match="sessions"):
        pub.publish(reviews_db_path, "tracker.db", public_no_tracker)
    assert public_no_tracker.read_bytes() == before
    assert [p.name for p in public_no_tracker.parent.iterdir() if p.name.endswith(".building")] == []


def test_tracker_rows_whitelist_columns(reviews_db_path, tmp_path, monkeypatch):
    """Even if the tracker export grew a private field, only the public columns are written."""
    leaky = ([{"recommendation_id": "family-w-2024-rec-1", "status": "not-started", "updated_by": "Editor Sentinel",
               "private_notes": "PRIVATE-SENTINEL"}],
             [{"action_id": "family-w-2024-act-t1", "recommendation_id": "family-w-2024-rec-1",
               "agency": "safeguarding-partnership", "delivery": "not-started", "user": "Editor Sentinel"}])
    monkeypatch.setattr(pub, "tracker_rows", lambda *args: leaky)
    target = tmp_path / "public.db"
    pub.publish(reviews_db_path, "tracker.db", target)
    text = all_text(target)
    assert "Editor Sentinel" not in text and "PRIVATE-SENTINEL" not in text
    assert rows(target, "select status from recommendation_status where recommendation_id = 'family-w-2024-rec-1'") \
        == [("not-started",)]
    assert rows(target, "select action_id, delivery from action_status") == [("family-w-2024-act-t1", "not-started")]


def test_refresh_rewrites_the_live_statuses_in_place(reviews_db_path, public_no_tracker, tmp_path):
    tracker_db = make_tracker_db(tmp_path / "tracker.db", reviews_db_path)
    counts = pub.refresh(public_no_tracker, reviews_db_path, tracker_db)
    assert counts == (4, 2)
    assert rows(public_no_tracker, "select response, status from recommendation_status "
                "where recommendation_id = 'child-t-2022-rec-1'") == [("accepted", "in-progress")]
    assert rows(public_no_tracker, "select count(*) from recommendation_status") == [(4,)]
    # The FTS index follows the rewrite (triggers), so Datasette's ?_search finds it.
    assert rows(public_no_tracker, "select rowid from action_status_fts where action_status_fts match 'referrals'") \
        == rows(public_no_tracker, "select rowid from action_status where action_id = 'child-t-2022-act-1'")
    text = all_text(public_no_tracker)
    assert all(secret not in text for secret in SECRETS.values())


def test_refresh_is_one_transaction(reviews_db_path, public_no_tracker, monkeypatch):
    before = rows(public_no_tracker, "select * from recommendation_status order by 1")
    actions_before = rows(public_no_tracker, "select * from action_status order by 1")
    monkeypatch.setattr(pub, "tracker_rows", lambda *args: (
        [{"recommendation_id": "family-w-2024-rec-1", "status": "in-progress"}],
        [{"action_id": "x-act-1", "delivery": object()}]))  # cannot be bound: the whole call fails
    with pytest.raises(sqlite3.Error):
        pub.refresh(public_no_tracker, reviews_db_path, "tracker.db")
    assert rows(public_no_tracker, "select * from recommendation_status order by 1") == before
    assert rows(public_no_tracker, "select * from action_status order by 1") == actions_before


def test_refresh_follows_aliases(reviews_db_path, public_no_tracker, tmp_path):
    """A status tracked under a retired id shows on the recommendation that replaced it."""
    from tracker import store

    conn = sqlite3.connect(reviews_db_path)
    conn.execute("insert into recommendation_aliases values ('baby-q-2019-rec-s9', 'baby-q-2019-rec-s1', 'test')")
    conn.commit()
    conn.close()
    tracker = store.connect(tmp_path / "tracker.db")
    tracker.execute("insert into recommendation_tracking (recommendation_id, response, version, updated_at) "
                    "values ('baby-q-2019-rec-s9', 'awaiting-response', 1, '2024-01-01T00:00:00')")
    tracker.close()
    pub.refresh(public_no_tracker, reviews_db_path, tmp_path / "tracker.db")
    got = dict(rows(public_no_tracker, "select recommendation_id, status from recommendation_status"))
    assert got["baby-q-2019-rec-s1"] == "awaiting-response"
    assert "baby-q-2019-rec-s9" not in got


def test_publish_command(reviews_db_path, tmp_path):
    target = tmp_path / "out" / "public.db"
    result = CliRunner().invoke(publish_command, [str(reviews_db_path), str(tmp_path / "none.db"), str(target)])
    assert result.exit_code == 0, result.output
    assert "4 recommendations" in result.output and "no tracker" in result.output
    assert target.exists()


def test_publish_command_needs_the_reviews_db(tmp_path):
    result = CliRunner().invoke(publish_command, [str(tmp_path / "nope.db"), "t.db", str(tmp_path / "p.db")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
