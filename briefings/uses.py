"""The record of use: teams log that they delivered a briefing, as evidence learning reached practice.

Rows live in tracker.db's `briefing_uses` table (schema in tracker/store.py). Logs are
self-reported by whoever delivered the briefing, so they are validated here, capped (MAX_STAFF a
use), refused when the same team (names compared without case, spacing or punctuation) logged
the same briefing that day, shown as self-reported, and counted on the board's dashboard as
reach, not as assurance. An administrator can hide an inflated or false use: the row stays, and
who hid it, when and why is kept in the append-only `briefing_use_hidden` table.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timezone

KINDS = ("review", "theme")
EARLIEST = date(2000, 1, 1)
MAX_STAFF = 200  # one delivery of a 7-minute briefing: a team meeting, at most a large event
MAX_TEAM = 120
MAX_ACTIONS = 2000
MAX_LOGGED_BY = 120


class InvalidUse(ValueError):
    """A use log that cannot be stored; the message is one line for the person logging it."""


@dataclass(frozen=True)
class Use:
    kind: str
    slug: str
    delivered_on: date
    team: str
    staff_count: int
    actions_agreed: str = ""
    logged_by: str | None = None


def validate(use: Use, today: date | None = None) -> Use:
    """Check each field, returning a copy with whitespace trimmed; raises InvalidUse."""
    today = today or date.today()
    if use.kind not in KINDS:
        raise InvalidUse(f"kind must be 'review' or 'theme', not '{use.kind}'")
    if not EARLIEST <= use.delivered_on <= today:
        raise InvalidUse("the delivery date must be a past date (or today), not in the future")
    team = " ".join(use.team.split())
    if not team or len(team) > MAX_TEAM:
        raise InvalidUse(f"give the team or agency in 1 to {MAX_TEAM} characters")
    if not 1 <= use.staff_count <= MAX_STAFF:
        raise InvalidUse(f"the number of staff must be between 1 and {MAX_STAFF}")
    actions = use.actions_agreed.strip()
    if len(actions) > MAX_ACTIONS:
        raise InvalidUse(f"actions agreed must be at most {MAX_ACTIONS} characters")
    logged_by = " ".join((use.logged_by or "").split()) or None
    if logged_by and len(logged_by) > MAX_LOGGED_BY:
        raise InvalidUse(f"'logged by' must be at most {MAX_LOGGED_BY} characters")
    return Use(use.kind, use.slug, use.delivered_on, team, use.staff_count, actions, logged_by)


def log(conn: sqlite3.Connection, use: Use, today: date | None = None) -> int:
    """Validate and store one use; the same team logging the same briefing on the same day twice is refused."""
    use = validate(use, today)
    same_day = conn.execute(
        "SELECT team FROM briefing_uses WHERE kind = :kind AND slug = :slug AND delivered_on = :on"
        " AND id NOT IN (SELECT use_id FROM briefing_use_hidden)",
        {"kind": use.kind, "slug": use.slug, "on": use.delivered_on.isoformat()},
    ).fetchall()
    if any(team_key(row[0]) == team_key(use.team) for row in same_day):
        raise InvalidUse(f"{use.team} has already logged this briefing for {use.delivered_on.isoformat()}")
    cursor = conn.execute(
        "INSERT INTO briefing_uses (kind, slug, delivered_on, team, staff_count, actions_agreed,"
        " logged_by, logged_at) VALUES (:kind, :slug, :on, :team, :staff, :actions, :by, :at)",
        {"kind": use.kind, "slug": use.slug, "on": use.delivered_on.isoformat(), "team": use.team,
         "staff": use.staff_count, "actions": use.actions_agreed, "by": use.logged_by,
         "at": datetime.now(timezone.utc).replace(microsecond=0).isoformat()},
    )
    if conn.in_transaction:  # a connection not in autocommit mode (tracker.store's is)
        conn.commit()
    return int(cursor.lastrowid)


def team_key(team: str) -> str:
    """A team name as the duplicate check compares it: "Team A", "team-a." and "TEAM  A" are one team."""
    return re.sub(r"[\W_]+", "", team.casefold().replace("&", "and"))


_VISIBLE = " id NOT IN (SELECT use_id FROM briefing_use_hidden)"


def hide(conn: sqlite3.Connection, use_id: int, hidden_by: str, reason: str) -> None:
    """Leave a logged use out of every count, recording who hid it, when and why (never undone here)."""
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidUse("say why this use is being hidden")
    if conn.execute("SELECT 1 FROM briefing_uses WHERE id = :id", {"id": use_id}).fetchone() is None:
        raise InvalidUse("there is no such logged use")
    if conn.execute("SELECT 1 FROM briefing_use_hidden WHERE use_id = :id", {"id": use_id}).fetchone():
        return
    conn.execute("INSERT INTO briefing_use_hidden (use_id, hidden_by, hidden_at, reason) VALUES (:id, :by, :at, :why)",
                 {"id": use_id, "by": hidden_by, "why": reason,
                  "at": datetime.now(timezone.utc).replace(microsecond=0).isoformat()})
    if conn.in_transaction:
        conn.commit()


def logged(conn: sqlite3.Connection, kind: str, slug: str) -> list[sqlite3.Row]:
    """Every logged use of one briefing, newest first, with whether and why it was hidden (for administrators)."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(
        "SELECT u.*, h.hidden_by, h.hidden_at, h.reason FROM briefing_uses u"
        " LEFT JOIN briefing_use_hidden h ON h.use_id = u.id WHERE u.kind = :kind AND u.slug = :slug"
        " ORDER BY u.logged_at DESC, u.id DESC", {"kind": kind, "slug": slug}).fetchall()


def counts(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Briefings delivered per review and per theme: {"review": {slug: n}, "theme": {slug: n}}."""
    out: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
    for kind, slug, n in conn.execute(
        "SELECT kind, slug, count(*) FROM briefing_uses WHERE" + _VISIBLE + " GROUP BY kind, slug ORDER BY kind, slug"
    ):
        out.setdefault(kind, {})[slug] = n
    return out


def summary(conn: sqlite3.Connection, kind: str, slug: str) -> dict[str, int]:
    """How many times one briefing was delivered and to how many staff, for its page."""
    times, staff = conn.execute(
        "SELECT count(*), coalesce(sum(staff_count), 0) FROM briefing_uses WHERE kind = :kind AND slug = :slug"
        " AND" + _VISIBLE,
        {"kind": kind, "slug": slug},
    ).fetchone()
    return {"times": times, "staff": staff}
