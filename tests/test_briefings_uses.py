"""The record of use in tracker.db: validated, stored, counted for the board's dashboard."""
from __future__ import annotations

from datetime import date

import pytest

from briefings import uses
from tracker.store import connect

TODAY = date(2026, 3, 2)


@pytest.fixture
def tracker(tmp_path):
    conn = connect(tmp_path / "tracker.db")
    yield conn
    conn.close()


def _use(**changes) -> uses.Use:
    fields = dict(kind="review", slug="child-t-2022", delivered_on=date(2026, 2, 20),
                  team="  Northshire   early help team ", staff_count=9,
                  actions_agreed=" Add missing-education checks to supervision. ", logged_by=None)
    return uses.Use(**{**fields, **changes})


def test_a_use_is_stored_trimmed(tracker):
    row_id = uses.log(tracker, _use(), TODAY)
    row = tracker.execute("SELECT * FROM briefing_uses WHERE id = ?", (row_id,)).fetchone()
    assert (row["kind"], row["slug"], row["delivered_on"], row["team"], row["staff_count"]) == (
        "review", "child-t-2022", "2026-02-20", "Northshire early help team", 9)
    assert row["actions_agreed"] == "Add missing-education checks to supervision."
    assert row["logged_by"] is None and row["logged_at"].startswith("20")


def test_counts_per_review_and_theme(tracker):
    assert uses.counts(tracker) == {"review": {}, "theme": {}}
    uses.log(tracker, _use(), TODAY)
    uses.log(tracker, _use(team="School DSLs", staff_count=30), TODAY)
    uses.log(tracker, _use(kind="theme", slug="neglect", team="Health visitors"), TODAY)
    assert uses.counts(tracker) == {"review": {"child-t-2022": 2}, "theme": {"neglect": 1}}
    assert uses.summary(tracker, "review", "child-t-2022") == {"times": 2, "staff": 39}
    assert uses.summary(tracker, "theme", "child-t-2022") == {"times": 0, "staff": 0}


def test_the_same_team_cannot_log_the_same_delivery_twice(tracker):
    uses.log(tracker, _use(), TODAY)
    with pytest.raises(uses.InvalidUse, match="already logged this briefing for 2026-02-20"):
        uses.log(tracker, _use(team="northshire early help team"), TODAY)
    assert uses.counts(tracker)["review"] == {"child-t-2022": 1}


@pytest.mark.parametrize("changes, message", [
    ({"kind": "agency"}, "kind must be 'review' or 'theme'"),
    ({"delivered_on": date(2026, 3, 3)}, "must be a past date"),
    ({"delivered_on": date(1999, 12, 31)}, "must be a past date"),
    ({"team": "   "}, "give the team or agency"),
    ({"team": "x" * 121}, "give the team or agency"),
    ({"staff_count": 0}, "between 1 and 200"),
    ({"staff_count": 201}, "between 1 and 200"),
    ({"actions_agreed": "x" * 2001}, "at most 2000 characters"),
    ({"logged_by": "x" * 121}, "at most 120 characters"),
])
def test_bad_use_is_refused_with_one_line(tracker, changes, message):
    with pytest.raises(uses.InvalidUse, match=message) as info:
        uses.log(tracker, _use(**changes), TODAY)
    assert "\n" not in str(info.value)
    assert uses.counts(tracker) == {"review": {}, "theme": {}}
