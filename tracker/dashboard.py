"""The board dashboard's figures, computed once so the page and every export show the same thing.

`build()` takes "today" as an argument: overdue and due-soon depend on it, and tests pin it.
`Dashboard.tables()` is the single list of sections the HTML page, CSV, XLSX and DOCX all render.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from core import status as statuses
from tracker import state as state_mod
from tracker import store

RECENT_LIMIT = 20
_FIELD_LABELS = {"response": "Response", "owner": "Owner", "target_date": "Target date", "delivery": "Delivery",
                 "assurance": "Assurance", "public_evidence": "Public evidence", "private_notes": "Private notes",
                 "added": "Action added"}
_VOCAB_FIELD = {"response": "response", "delivery": "delivery", "assurance": "assurance"}


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]


@dataclass
class Dashboard:
    today: date
    totals: dict
    by_review: list[dict]
    by_agency: list[dict]
    overdue: list[dict]
    due_soon: list[dict]
    recent: list[dict]
    briefings_by_review: list[dict] = field(default_factory=list)
    briefings_by_theme: list[dict] = field(default_factory=list)
    recurring: list[dict] = field(default_factory=list)

    def tables(self) -> list[Table]:
        """Every section as a titled table, in page order."""
        def action_rows(items: list[dict], days_key: str) -> list[list]:
            return [[a["action_id"], a["review_id"], a["recommendation_id"] or "", a["agency_name"], a["action"],
                     a["delivery_label"], a["target_date"], a[days_key]] for a in items]
        t = self.totals
        return [
            Table("summary", "Summary", ["Measure", "Value"], [
                ["Date", self.today.isoformat()], ["Recommendations", t["recommendations"]],
                ["Actions", t["actions"]], ["Actions finished", t["finished"]],
                ["Percent of actions finished", t["percent"]], ["Overdue actions", len(self.overdue)],
                [f"Actions due in the next {statuses.DUE_SOON_DAYS} days", len(self.due_soon)],
                *[[f"Recommendations {statuses.label('status', k).lower()}", n]
                  for k, n in t["by_status"].items()],
            ]),
            Table("by_review", "Completion by review",
                  ["Review", "Title", "Recommendations", "Actions", "Finished", "Percent finished"],
                  [[r["review_id"], r["title"], r["recommendations"], r["actions"], r["finished"], r["percent"]]
                   for r in self.by_review]),
            Table("by_agency", "Completion by agency",
                  ["Agency", "Name", "Actions", "Finished", "Percent finished", "Overdue"],
                  [[a["agency"], a["name"], a["actions"], a["finished"], a["percent"], a["overdue"]]
                   for a in self.by_agency]),
            Table("overdue", "Overdue actions",
                  ["Action", "Review", "Recommendation", "Agency", "Action text", "Delivery", "Target date",
                   "Days overdue"], action_rows(self.overdue, "days_overdue")),
            Table("due_soon", f"Actions due in the next {statuses.DUE_SOON_DAYS} days",
                  ["Action", "Review", "Recommendation", "Agency", "Action text", "Delivery", "Target date",
                   "Days left"], action_rows(self.due_soon, "days_left")),
            Table("recent", "Recent changes", ["When", "Who", "Record", "Change", "From", "To", "Note"],
                  [[c["at"], c["user_name"], c["entity_id"], c["field_label"], c["from"], c["to"], c["note"]]
                   for c in self.recent]),
            Table("briefings_by_review", "Briefings delivered by review",
                  ["Review", "Title", "Briefings", "Staff reached"],
                  [[b["slug"], b["name"], b["uses"], b["staff"]] for b in self.briefings_by_review]),
            Table("briefings_by_theme", "Briefings delivered by theme",
                  ["Theme", "Name", "Briefings", "Staff reached"],
                  [[b["slug"], b["name"], b["uses"], b["staff"]] for b in self.briefings_by_theme]),
            Table("recurring", "Recurring recommendations, and which were marked completed before",
                  ["Asked for", "Reviews", "Review", "Year", "Recommendation", "Status",
                   "An earlier one was marked completed"],
                  [[r["label"], r["reviews"], r["review_title"], r["year"] or "", r["number"], r["status_label"],
                    "Yes" if r["completed_before"] else ""] for r in self.recurring]),
        ]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _recent(tracker_conn: sqlite3.Connection) -> list[dict]:
    """Latest changes; a private note's text stays on the recommendation page, not in board papers."""
    out = []
    for row in store.recent_changes(tracker_conn, RECENT_LIMIT):
        kind = _VOCAB_FIELD.get(row["field"])
        old, new = row["old_value"], row["new_value"]
        if kind:
            old = statuses.label(kind, old) if old else old
            new = statuses.label(kind, new) if new else new
        if row["field"] == "private_notes":
            old, new = None, "(private note changed)"
        out.append({"at": row["at"], "user_name": row["user_name"], "entity": row["entity"],
                    "entity_id": row["entity_id"], "recommendation_id": row["recommendation_id"],
                    "field_label": _FIELD_LABELS.get(row["field"], row["field"]), "from": old or "",
                    "to": new or "", "note": row["note"]})
    return out


def _briefings(tracker_conn: sqlite3.Connection, kind: str, names: dict[str, str]) -> list[dict]:
    rows = store.rows(
        tracker_conn, "SELECT slug, COUNT(*) AS uses, COALESCE(SUM(staff_count), 0) AS staff FROM briefing_uses"
        " WHERE kind = :kind GROUP BY slug ORDER BY uses DESC, slug", {"kind": kind})
    return [{"slug": r["slug"], "name": names.get(r["slug"], r["slug"]), "uses": r["uses"], "staff": r["staff"]}
            for r in rows]


def _recurring(reviews_conn: sqlite3.Connection, status_of: dict[str, str]) -> list[dict]:
    """Each recommendation in a recurring group (the same ask made by several reviews), with its
    status and whether an earlier review's version of it had already been marked completed."""
    rows = reviews_conn.execute(
        "SELECT g.id, g.label, g.reviews, m.item_id, m.year, r.number, v.title FROM recurring_groups g"
        " JOIN recurring_members m ON m.group_id = g.id JOIN recommendations r ON r.id = m.item_id"
        " JOIN reviews v ON v.id = m.review_id WHERE g.kind = 'recommendation'"
        " ORDER BY g.reviews DESC, g.id, m.year, m.item_id").fetchall()
    done = {"completed", "assured"}
    out, earlier_done = [], {}
    for group_id, label, reviews, item_id, year, number, title in rows:
        status = status_of.get(item_id, "not-tracked")
        out.append({"group_id": group_id, "label": label or "", "reviews": reviews, "item_id": item_id,
                    "year": year, "number": number, "review_title": title,
                    "status_label": statuses.label("status", status),
                    "completed_before": earlier_done.get(group_id, False)})
        earlier_done[group_id] = earlier_done.get(group_id, False) or status in done
    return out


def build(tracker_conn: sqlite3.Connection, reviews_conn: sqlite3.Connection, today: date) -> Dashboard:
    """All dashboard figures as of `today`."""
    loaded = state_mod.load(tracker_conn, reviews_conn)
    actions = loaded.all_actions()
    by_status = {s["key"]: 0 for s in statuses.PUBLIC_STATUSES}
    for rec in loaded.recommendations.values():
        by_status[rec.status()] += 1

    by_review = []
    for review_id, title in sorted(loaded.review_titles.items()):
        acts = [a for a in actions if a.review_id == review_id]
        done = sum(a.delivery in statuses.FINISHED for a in acts)
        recs = sum(r.review_id == review_id for r in loaded.recommendations.values())
        by_review.append({"review_id": review_id, "title": title, "recommendations": recs, "actions": len(acts),
                          "finished": done, "percent": _percent(done, len(acts))})

    by_agency = []
    for agency in sorted({a.agency for a in actions}):
        acts = [a for a in actions if a.agency == agency]
        done = sum(a.delivery in statuses.FINISHED for a in acts)
        by_agency.append({"agency": agency, "name": loaded.agency_names.get(agency, agency), "actions": len(acts),
                          "finished": done, "percent": _percent(done, len(acts)),
                          "overdue": sum(a.overdue(today) for a in acts)})

    def describe(a: state_mod.ActionState) -> dict:
        item = a.as_dict(today)
        item["agency_name"] = loaded.agency_names.get(a.agency, a.agency)
        return item

    overdue, due_soon = [], []
    horizon = today + timedelta(days=statuses.DUE_SOON_DAYS)
    for a in actions:
        due = statuses.parse_due(a.target_date)
        if due is None or a.delivery in statuses.FINISHED:
            continue
        if due < today:
            overdue.append({**describe(a), "days_overdue": (today - due).days})
        elif due <= horizon:
            due_soon.append({**describe(a), "days_left": (due - today).days})
    overdue.sort(key=lambda a: (-a["days_overdue"], a["action_id"]))
    due_soon.sort(key=lambda a: (a["days_left"], a["action_id"]))

    finished = sum(a.delivery in statuses.FINISHED for a in actions)
    theme_names = {r[0]: r[1] for r in reviews_conn.execute("SELECT slug, name FROM themes")}
    totals = {"recommendations": len(loaded.recommendations), "actions": len(actions), "finished": finished,
              "percent": _percent(finished, len(actions)), "by_status": by_status}
    return Dashboard(today, totals, by_review, by_agency, overdue, due_soon, _recent(tracker_conn),
                     _briefings(tracker_conn, "review", loaded.review_titles),
                     _briefings(tracker_conn, "theme", theme_names),
                     _recurring(reviews_conn, {rid: rec.status() for rid, rec in loaded.recommendations.items()}))
