"""`flask backup DIR` copies tracker.db consistently, even with a connection writing to it."""
from __future__ import annotations

import sqlite3

import pytest

from tests.tracker_support import PASSWORD, signed_in
from tracker import store, users

TABLES = ("users", "recommendation_tracking", "tracked_actions", "audit", "briefing_uses")


def _dump(conn) -> dict:
    return {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1")] for t in TABLES}  # fixed names


def test_backup_restores_to_the_same_data(tracker_app, tracker_conn, tmp_path):
    signed_in(tracker_app, "pat").post("/tracker/actions/child-t-2022-act-1/edit", data={
        "version": "0", "delivery": "complete", "assurance": "impact-evidence-pending", "public_evidence": "ok"})
    # An open write transaction elsewhere must not be half-copied.
    writer = store.connect(tracker_app.config["TRACKER_DATABASE"])
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO briefing_uses (kind, slug, delivered_on, team, staff_count, logged_at)"
                   " VALUES ('theme', 'neglect', '2023-01-01', 'T', 3, 'now')")
    result = tracker_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backups")])
    writer.execute("ROLLBACK")
    writer.close()
    assert result.exit_code == 0, result.output
    copies = list((tmp_path / "backups").glob("tracker-*.db"))
    assert len(copies) == 1 and str(copies[0]) in result.output

    restored = store.connect(copies[0])
    assert _dump(restored) == _dump(tracker_conn)
    assert _dump(restored)["briefing_uses"] == []
    assert users.authenticate(restored, "pat", PASSWORD) is not None
    with pytest.raises(sqlite3.IntegrityError):
        restored.execute("DELETE FROM audit")
    restored.close()


def test_backup_of_a_missing_database_is_a_one_line_error(tracker_app, tmp_path):
    tracker_app.config["TRACKER_DATABASE"] = str(tmp_path / "missing.db")
    result = tracker_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code != 0
    assert "no tracker database at" in result.output and "Traceback" not in result.output
