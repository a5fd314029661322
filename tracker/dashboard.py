"""The board dashboard's figures, computed once so the page and every export show the same thing.

`build()` takes "today" as an argument: overdue and due-soon depend on it, and tests pin it.
`Dashboard.tables()` is the single list of sections the HTML page, CSV, XLSX and DOCX all render.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from core import status as statuses
from tracker import state as state_mod
from tracker import labels, store

RECENT_LIMIT = 20


@dataclass
class Column:
    """A column of a board table: kind says how each export writes it (text, number, percent, date, when);
    width is a share of the page width (DOCX) and a hint for the spreadsheet column."""
    header: str
    kind: str = "text"
    width: float = 1.0


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list]
    landscape: bool = False
    intro: str = ""
    sheet: str = ""  # a short worksheet name where the title is longer than Excel's 31 characters

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def text_rows(self) -> list[list[str]]:
        """Every cell as a person reads it (the page and the Word report)."""
        return [[cell_text(v, c.kind) for v, c in zip(row, self.columns)] for row in self.rows]


def cell_text(value: object, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == "date":
        return labels.day(value)
    if kind == "when":
        return labels.when(value.isoformat() if isinstance(value, datetime) else str(value))
    if kind == "percent":
        return f"{value}%"
    return str(value)


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
    by_status_brag: dict = field(default_factory=dict)  # status -> {colour or "none": n}
    recommendations: list[dict] = field(default_factory=list)

    def summary_sentences(self) -> list[str]:
        """The opening of the board paper, in words."""
        t = self.totals
        by = t["by_status"]
        done = by.get("completed", 0) + by.get("assured", 0)
        out = [f"{t['recommendations']} recommendations from {len(self.by_review)} reviews are recorded; "
               f"{done} are completed or assured ({by.get('assured', 0)} assured), "
               f"{by.get('in-progress', 0)} in progress, {by.get('not-started', 0)} not started, "
               f"{by.get('awaiting-response', 0)} awaiting the board's response and "
               f"{by.get('not-tracked', 0)} not yet tracked."]
        if t["actions"]:
            out.append(f"{t['finished']} of {t['actions']} agency actions are finished ({t['percent']}%); "
                       f"{len(self.overdue)} are overdue and {len(self.due_soon)} are due in the next "
                       f"{statuses.DUE_SOON_DAYS} days.")
        else:
            out.append("No agency actions are recorded yet.")
        return out

    def tables(self) -> list[Table]:
        """Every section as a titled table, in the order of the page and the board paper."""
        colours = [c for c in statuses.BRAG_COLOURS]
        status_rows = []
        for s in statuses.PUBLIC_STATUSES:
            counts = self.by_status_brag.get(s["key"], {})
            total = sum(counts.values())
            status_rows.append([s["label"], *[counts.get(c, 0) for c in colours], counts.get("none", 0), total])
        status_rows.append(["All recommendations", *[sum(r[i + 1] for r in status_rows) for i in range(len(colours) + 2)]])
        action_cols = [Column("Review", width=1.1), Column("Rec.", width=0.5), Column("Agency", width=1.3),
                       Column("Action", width=4.0), Column("Delivery", width=1.4), Column("Target date", "date", 1.5)]

        def action_rows(items: list[dict], days_key: str) -> list[list]:
            return [[a["review_name"], a["number"] or "", a["agency_name"], a["action"], a["delivery_label"],
                     statuses.parse_due(a["target_date"]), a[days_key]] for a in items]
        return [
            Table("by_status", "Recommendations by status and BRAG",
                  [Column("Status", width=2.2), *[Column(statuses.BRAG_COLOURS[c]["name"], "number", 0.8)
                                                  for c in colours],
                   Column("No colour", "number", 0.9), Column("Total", "number", 0.8)], status_rows,
                  sheet="By status and BRAG"),
            Table("by_review", "Progress by review",
                  [Column("Review", width=2.0), Column("Recommendations", "number", 1.9),
                   Column("Completed or assured", "number", 1.3), Column("Actions", "number", 0.9),
                   Column("Actions finished", "number", 1.1), Column("Finished", "percent", 0.9),
                   Column("Overdue actions", "number", 1.0)],
                  [[r["name"], r["recommendations"], r["done"], r["actions"], r["finished"],
                    r["percent"] if r["actions"] else None, r["overdue"]] for r in self.by_review]),
            Table("by_agency", "Progress by agency",
                  [Column("Agency", width=2.4), Column("Actions", "number", 0.9),
                   Column("Actions finished", "number", 1.1), Column("Per cent finished", "percent", 1.1), Column("Overdue", "number", 0.9),
                   Column(f"Due in {statuses.DUE_SOON_DAYS} days", "number", 1.0)],
                  [[a["name"], a["actions"], a["finished"], a["percent"], a["overdue"], a["due_soon"]]
                   for a in self.by_agency]),
            Table("overdue", "Overdue actions", [*action_cols, Column("Days overdue", "number", 0.8)],
                  action_rows(self.overdue, "days_overdue"), landscape=True),
            Table("due_soon", f"Actions due in the next {statuses.DUE_SOON_DAYS} days",
                  [*action_cols, Column("Days left", "number", 0.7)], action_rows(self.due_soon, "days_left"),
                  landscape=True, sheet=f"Due in the next {statuses.DUE_SOON_DAYS} days"),
            Table("recommendations", "Every recommendation",
                  [Column("Review", width=1.1), Column("Rec.", width=0.5), Column("Recommendation", width=4.6),
                   Column("Response", width=1.2), Column("Status", width=1.1), Column("BRAG", width=0.7),
                   Column("Target date", "date", 1.4), Column("Actions finished", width=0.9)],
                  [[r["review_name"], r["number"], r["text"], r["response"], r["status"], r["brag"],
                    statuses.parse_due(r["target_date"]), r["actions"]] for r in self.recommendations],
                  landscape=True),
            Table("recent", "Recent changes",
                  [Column("When", "when", 1.7), Column("Who", width=0.8), Column("Record", width=2.4),
                   Column("Change", width=1.0), Column("From", width=1.3), Column("To", width=2.0),
                   Column("Reason", width=2.0)],
                  [[c["at_local"], c["user_name"], c["record"], c["field_label"], c["from"], c["to"], c["note"]]
                   for c in self.recent], landscape=True),
            Table("briefings_by_review", "Briefings delivered by review",
                  [Column("Review", width=3.0), Column("Briefings", "number", 1.0), Column("Staff reached", "number", 1.0)],
                  [[b["name"], b["uses"], b["staff"]] for b in self.briefings_by_review]),
            Table("briefings_by_theme", "Briefings delivered by theme",
                  [Column("Theme", width=3.0), Column("Briefings", "number", 1.0), Column("Staff reached", "number", 1.0)],
                  [[b["name"], b["uses"], b["staff"]] for b in self.briefings_by_theme]),
            Table("recurring", "Recurring recommendations, and which were marked completed before",
                  [Column("Asked for", width=3.0), Column("Reviews", "number", 0.8), Column("Review", width=2.4),
                   Column("Year", width=0.6), Column("Rec.", width=0.5), Column("Status", width=1.1),
                   Column("An earlier one was marked completed", width=1.3)],
                  [[r["label"], r["reviews"], r["review_title"], r["year"] or "", r["number"], r["status_label"],
                    "Yes" if r["completed_before"] else ""] for r in self.recurring], landscape=True,
                  sheet="Recurring recommendations"),
        ]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _recent(tracker_conn: sqlite3.Connection, loaded: state_mod.TrackerState) -> list[dict]:
    """Latest changes in words; a private note's text stays on the recommendation page, not in board papers."""
    recs = {**{r.recommendation_id: r for r in loaded.orphans}, **loaded.recommendations}
    actions = {a.action_id: a for a in loaded.all_actions(include_orphans=True)}
    out = []
    for row in store.recent_changes(tracker_conn, RECENT_LIMIT):
        old, new = labels.value(row["field"], row["old_value"]), labels.value(row["field"], row["new_value"])
        if row["field"] == "private_notes":
            old, new = "", "(private note changed)"
        if row["field"] == "added" and ":" in new:
            new = new.split(":", 1)[1].strip()
        rec = recs.get(row["recommendation_id"] or "")
        record = loaded.recommendation_name(rec) if rec and not rec.orphaned else (row["recommendation_id"] or "")
        if row["entity"] == "action" and row["entity_id"] in actions:
            record = f"{record}: {loaded.agency_names.get(actions[row['entity_id']].agency, '')} action".strip(": ")
        try:
            at_local = datetime.fromisoformat(row["at"])
        except ValueError:
            at_local = row["at"]
        out.append({"at": row["at"], "at_local": at_local, "user_name": row["user_name"], "entity": row["entity"],
                    "entity_id": row["entity_id"], "recommendation_id": row["recommendation_id"], "record": record,
                    "field_label": labels.field_label(row["field"]), "from": old, "to": new, "note": row["note"]})
    return out


def _briefings(tracker_conn: sqlite3.Connection, kind: str, names: dict[str, str]) -> list[dict]:
    rows = store.rows(
        tracker_conn, "SELECT slug, COUNT(*) AS uses, COALESCE(SUM(staff_count), 0) AS staff FROM briefing_uses"
        " WHERE kind = :kind AND id NOT IN (SELECT use_id FROM briefing_use_hidden)"  # hidden by an administrator
        " GROUP BY slug ORDER BY uses DESC, slug", {"kind": kind})
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

    horizon = today + timedelta(days=statuses.DUE_SOON_DAYS)

    def due_soon_(a: state_mod.ActionState) -> bool:
        due = statuses.parse_due(a.target_date)
        return a.delivery not in statuses.FINISHED and due is not None and today <= due <= horizon

    by_status_brag: dict[str, dict] = {}
    for rec in loaded.recommendations.values():
        counts = by_status_brag.setdefault(rec.status(), {})
        colour = rec.brag(today) or "none"
        counts[colour] = counts.get(colour, 0) + 1

    by_review = []
    for review_id, title in sorted(loaded.review_titles.items(),
                                   key=lambda kv: loaded.review_names.get(kv[0], kv[1]).lower()):
        acts = [a for a in actions if a.review_id == review_id]
        done = sum(a.delivery in statuses.FINISHED for a in acts)
        recs = [r for r in loaded.recommendations.values() if r.review_id == review_id]
        by_review.append({"review_id": review_id, "title": title, "name": loaded.review_names.get(review_id, title),
                          "recommendations": len(recs), "actions": len(acts), "finished": done,
                          "done": sum(r.status() in ("completed", "assured") for r in recs),
                          "percent": _percent(done, len(acts)), "overdue": sum(a.overdue(today) for a in acts)})

    by_agency = []
    for agency in sorted({a.agency for a in actions}, key=lambda g: loaded.agency_names.get(g, g).lower()):
        acts = [a for a in actions if a.agency == agency]
        done = sum(a.delivery in statuses.FINISHED for a in acts)
        by_agency.append({"agency": agency, "name": loaded.agency_names.get(agency, agency), "actions": len(acts),
                          "finished": done, "percent": _percent(done, len(acts)),
                          "overdue": sum(a.overdue(today) for a in acts), "due_soon": sum(map(due_soon_, acts))})

    recommendations = []
    for rec in sorted(loaded.recommendations.values(), key=lambda r: _rec_order(loaded, r)):
        live = rec.live_actions()
        recommendations.append({
            "recommendation_id": rec.recommendation_id, "review_name": loaded.review_names.get(rec.review_id or "", ""),
            "number": rec.number or "", "text": labels.short_text(rec.text, 30),
            "response": statuses.label("response", rec.response) if rec.response else "Not recorded",
            "status": statuses.label("status", rec.status()),
            "brag": statuses.BRAG_COLOURS[rec.brag(today)]["name"] if rec.brag(today) else "",
            "target_date": rec.target_date,
            "actions": f"{sum(a.delivery in statuses.FINISHED for a in live)} of {len(live)}" if live else "None"})

    def describe(a: state_mod.ActionState) -> dict:
        item = a.as_dict(today)
        rec = loaded.recommendations.get(a.recommendation_id or "")
        item.update(agency_name=loaded.agency_names.get(a.agency, a.agency),
                    review_name=loaded.review_names.get(a.review_id, a.review_id), number=rec.number if rec else "")
        return item

    overdue, due_soon = [], []
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
    return Dashboard(today, totals, by_review, by_agency, overdue, due_soon, _recent(tracker_conn, loaded),
                     _briefings(tracker_conn, "review", loaded.review_names),
                     _briefings(tracker_conn, "theme", theme_names),
                     _recurring(reviews_conn, {rid: rec.status() for rid, rec in loaded.recommendations.items()}),
                     by_status_brag, recommendations)


def _rec_order(loaded: state_mod.TrackerState, rec: state_mod.RecommendationState) -> tuple:
    return (loaded.review_names.get(rec.review_id or "", "").lower(), *natural_key(rec.number or ""))


def natural_key(number: str) -> tuple:
    """`2` before `10`, `S1` before `S2`, `4.2` after `4.1`: numbers as people count them."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in re.findall(r"\d+|\D+", number))
