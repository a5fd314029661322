"""The open "log a use" form (issue 18, item 3): a capped staff count, near-duplicate team names
refused, per-visitor limits that work behind a trusted proxy, and uses an administrator can hide."""
from __future__ import annotations

import sqlite3

import pytest

from briefings import uses
from tests.tracker_support import make_app, signed_in
from tracker import store

URL = "/briefings/review/child-t-2022"


def use(team="Team A", staff="12", on="2023-01-10"):
    return {"delivered_on": on, "team": team, "staff_count": staff}


def test_one_use_cannot_claim_a_thousand_staff(tracker_app, tracker_conn):
    response = tracker_app.test_client().post(URL + "/uses", data=use(staff="1000"))
    assert response.status_code == 400 and "200" in response.text
    assert tracker_conn.execute("select count(*) from briefing_uses").fetchone()[0] == 0


@pytest.mark.parametrize("again", ["team a", "Team-A.", "TEAM  A", "Team_A"])
def test_a_near_duplicate_team_name_is_refused(tracker_app, tracker_conn, again):
    client = tracker_app.test_client()
    assert client.post(URL + "/uses", data=use("Team A")).status_code == 302
    response = client.post(URL + "/uses", data=use(again))
    assert response.status_code == 400 and "already logged" in response.text
    assert client.post(URL + "/uses", data=use("Team B")).status_code == 302


def test_each_visitor_behind_a_trusted_proxy_has_their_own_limit(reviews_db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("RLR_TRUSTED_PROXIES", "1")
    app = make_app(reviews_db_path, tmp_path, BRIEFING_USE_RATE_LIMIT=1)
    client = app.test_client()
    via = {"environ_base": {"REMOTE_ADDR": "10.0.0.1"}}
    assert client.post(URL + "/uses", data=use("One"), headers={"X-Forwarded-For": "203.0.113.1"}, **via).status_code == 302
    assert client.post(URL + "/uses", data=use("Two"), headers={"X-Forwarded-For": "203.0.113.1"}, **via).status_code == 429
    assert client.post(URL + "/uses", data=use("Two"), headers={"X-Forwarded-For": "203.0.113.2"}, **via).status_code == 302


def test_an_administrator_hides_an_inflated_use_and_it_is_recorded(tracker_app, tracker_conn):
    public = tracker_app.test_client()
    for team in ("Real team", "Invented team"):
        assert public.post(URL + "/uses", data=use(team, "150")).status_code == 302
    page = public.get(URL).text
    assert "delivered 2 times to 300 staff (self-reported" in page and "Logged uses" not in page
    fake = tracker_conn.execute("select id from briefing_uses where team = 'Invented team'").fetchone()[0]
    hide = f"{URL}/uses/{fake}/hide"
    assert public.post(hide, data={"reason": "x"}).status_code == 403
    assert signed_in(tracker_app, "bob").post(hide, data={"reason": "x"}).status_code == 403
    admin = signed_in(tracker_app, "ann")
    assert "Logged uses" in admin.get(URL).text
    assert admin.post(hide, data={"reason": ""}).status_code == 400
    assert admin.post(hide, data={"reason": "150 staff from a team of 6"}).status_code == 302
    assert "delivered 1 time to 150 staff" in public.get(URL).text
    assert uses.counts(tracker_conn)["review"] == {"child-t-2022": 1}
    row = tracker_conn.execute("select hidden_by, reason from briefing_use_hidden where use_id = ?", (fake,)).fetchone()
    assert tuple(row) == ("ann", "150 staff from a team of 6")
    with pytest.raises(sqlite3.DatabaseError, match="recorded for good"):
        tracker_conn.execute("delete from briefing_use_hidden")
    assert "Hidden by ann" in admin.get(URL).text
    # the same team may log again once its false entry is hidden
    assert public.post(URL + "/uses", data=use("Invented team", "6")).status_code == 302


def test_an_older_tracker_database_gets_the_new_table(tmp_path):
    path = tmp_path / "tracker.db"
    conn = store.connect(path)
    conn.execute("drop trigger briefing_use_hidden_no_delete")
    conn.execute("drop trigger briefing_use_hidden_no_update")
    conn.execute("drop table briefing_use_hidden")
    conn.execute("pragma user_version = 1")
    conn.close()
    conn = store.connect(path)
    assert conn.execute("select count(*) from briefing_use_hidden").fetchone()[0] == 0
    conn.close()
