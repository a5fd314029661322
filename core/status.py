"""The one status rule: an action's BRAG colour and a recommendation's public status and colour.

The vocabularies (responses, delivery, assurance, public statuses, BRAG colours) are read from
core/vocabulary.yml; the rules are written here as data.

The about page prints BRAG_DEFINITIONS, and brag_for_action() evaluates the very same rules, so
the published definitions and the colours shown can never drift apart. Colours are never stored.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Iterable

from core import vocab


def _vocabulary(kind: str) -> list[dict]:
    """A vocabulary from core/vocabulary.yml in the shape the tracker uses (key, label, description)."""
    return [{"key": e["slug"], "label": e["name"], "description": e.get("description", ""),
             "selectable": e.get("selectable", True)} for e in vocab.entries(kind)]


RESPONSES: list[dict] = _vocabulary("responses")
DELIVERY: list[dict] = _vocabulary("delivery")
ASSURANCE: list[dict] = _vocabulary("assurance")
PUBLIC_STATUSES: list[dict] = _vocabulary("public_statuses")
STATUS_TAGS: dict[str, str] = vocab.attribute("public_statuses", "tag")  # status -> GOV.UK tag colour
BRAG_TAGS: dict[str, str] = vocab.attribute("brag", "tag")  # BRAG colour -> GOV.UK tag colour
BRAG_COLOURS: dict[str, dict] = {e["slug"]: e for e in vocab.entries("brag")}

FINISHED = ("complete", "complete-late", "closed-without-action")
# Only the board (or the business unit on its behalf) sets this assurance state (tracker.permissions).
EVIDENCE_ACCEPTED = "impact-evidenced"
# Responses with which the board signs a recommendation off once its actions are finished.
ACCEPTED_RESPONSES = ("accepted", "accepted-in-part")
NOT_BEGUN = ("not-started", "not-reported")
DUE_SOON_DAYS = 30


def _colour(slug: str) -> dict:
    entry = BRAG_COLOURS[slug]
    return {"colour": slug, "label": entry["name"], "meaning": entry["meaning"]}


# Checked in this order; the first rule that matches gives an action its colour.
# A rule's `when` keys: delivery (any of), assurance (any of), finished, overdue,
# due_within_days (target date from today to today+N), no_target_date.
BRAG_DEFINITIONS: list[dict] = [
    {**_colour("red"), "rules": [
        {"text": "The action is not finished and its target date has passed.",
         "when": {"finished": False, "overdue": True}},
        {"text": "The action is in progress but off track.",
         "when": {"delivery": ["in-progress-off-track"]}},
    ]},
    {**_colour("blue"), "rules": [
        {"text": "The action is complete and the board has accepted evidence of its impact.",
         "when": {"delivery": ["complete", "complete-late"], "assurance": [EVIDENCE_ACCEPTED]}},
        {"text": "The action was closed without action by board decision.",
         "when": {"delivery": ["closed-without-action"]}},
    ]},
    {**_colour("amber"), "rules": [
        {"text": "The action is in progress but at risk.", "when": {"delivery": ["in-progress-at-risk"]}},
        {"text": "The action is reported as in progress, or has no status, without a rating.",
         "when": {"delivery": ["in-progress", "not-reported"]}},
        {"text": f"The action has not started and is due within {DUE_SOON_DAYS} days.",
         "when": {"delivery": ["not-started"], "due_within_days": DUE_SOON_DAYS}},
        {"text": "The action has not started and has no target date.",
         "when": {"delivery": ["not-started"], "no_target_date": True}},
    ]},
    {**_colour("green"), "rules": [
        {"text": "The action is in progress and on track.", "when": {"delivery": ["in-progress-on-track"]}},
        {"text": f"The action has not started and is due more than {DUE_SOON_DAYS} days from now.",
         "when": {"delivery": ["not-started"]}},
        {"text": "The action is complete and evidence of its impact is awaited or not yet accepted.",
         "when": {"delivery": ["complete", "complete-late"]}},
    ]},
]

# How a recommendation's colour follows from its actions (printed on the about page).
RECOMMENDATION_BRAG_RULES: list[str] = [
    "Red if the recommendation's own target date has passed and it is not completed or assured.",
    "Otherwise the most urgent colour among its actions: red, then amber, then green, then blue.",
    "Amber if it is awaiting a response, or accepted with no actions recorded yet.",
    "No colour if it was not accepted or is not tracked.",
]

BRAG_SEVERITY = list(BRAG_COLOURS)  # most urgent first, as the vocabulary lists them

# Ingested agency_actions.status -> (delivery, assurance).
INGESTED_STATUS: dict[str | None, tuple[str, str]] = {
    "not-started": ("not-started", "impact-evidence-pending"),
    "in-progress": ("in-progress", "impact-evidence-pending"),
    "completed": ("complete", "impact-evidence-pending"),
    "assured": ("complete", "impact-evidenced"),
    None: ("not-reported", "impact-evidence-pending"),
}

_VOCABS = {"response": RESPONSES, "delivery": DELIVERY, "assurance": ASSURANCE, "status": PUBLIC_STATUSES}


def keys(vocabulary: list[dict], selectable_only: bool = False) -> list[str]:
    return [v["key"] for v in vocabulary if not selectable_only or v.get("selectable", True)]


def label(kind: str, key: str | None) -> str:
    """Human label for a vocabulary key; unknown or empty keys are shown as they are."""
    if key is None:
        return "Not recorded"
    for item in _VOCABS[kind]:
        if item["key"] == key:
            return item["label"]
    return key


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def parse_due(value: str | None) -> date | None:
    """A target date as a date; `2024-03` means the end of March, `2024` the end of the year."""
    if not value:
        return None
    match = _DATE.match(str(value).strip())
    if not match:
        return None
    year, month, day = int(match[1]), match[2], match[3]
    try:
        if day:
            return date(year, int(month), int(day))
        if month:
            return date(year, int(month), calendar.monthrange(year, int(month))[1])
        return date(year, 12, 31)
    except ValueError:
        return None


def is_overdue(delivery: str, target_date: str | None, today: date) -> bool:
    due = parse_due(target_date)
    return delivery not in FINISHED and due is not None and due < today


def _matches(when: dict, delivery: str, assurance: str, target_date: str | None, today: date) -> bool:
    due = parse_due(target_date)
    if "delivery" in when and delivery not in when["delivery"]:
        return False
    if "assurance" in when and assurance not in when["assurance"]:
        return False
    if "finished" in when and (delivery in FINISHED) != when["finished"]:
        return False
    if "overdue" in when and is_overdue(delivery, target_date, today) != when["overdue"]:
        return False
    if "no_target_date" in when and (due is None) != when["no_target_date"]:
        return False
    if "due_within_days" in when:
        if due is None or not today <= due <= today + timedelta(days=when["due_within_days"]):
            return False
    return True


def brag_for_action(delivery: str, assurance: str, target_date: str | None, today: date) -> str | None:
    """The first BRAG_DEFINITIONS rule that matches, or None if none does."""
    for definition in BRAG_DEFINITIONS:
        for rule in definition["rules"]:
            if _matches(rule["when"], delivery, assurance, target_date, today):
                return definition["colour"]
    return None


def worst_brag(colours: Iterable[str | None]) -> str | None:
    present = [c for c in colours if c]
    return min(present, key=BRAG_SEVERITY.index) if present else None


def recommendation_status(response: str | None, actions: list[tuple[str, str]]) -> str:
    """Public status from the board's response and the (delivery, assurance) of each action.

    Completed and Assured need the board's acceptance: finished actions alone (reported by the
    sources or by agencies) do not show that the recommendation was met, so without an accepting
    response it stays in progress. Assured also needs accepted evidence for every delivered action.
    """
    if response == "not-accepted":
        return "not-accepted"
    if response == "awaiting-response":
        return "awaiting-response"
    if not actions:
        return "not-tracked" if response is None else "not-started"
    if all(d in FINISHED for d, _ in actions):
        if response not in ACCEPTED_RESPONSES:
            return "in-progress"
        delivered = [a for d, a in actions if d != "closed-without-action"]
        if delivered and all(a == EVIDENCE_ACCEPTED for a in delivered):
            return "assured"
        return "completed"
    if all(d in NOT_BEGUN for d, _ in actions):
        return "not-started"
    return "in-progress"


def recommendation_brag(status: str, target_date: str | None, action_colours: list[str | None],
                        today: date) -> str | None:
    """Apply RECOMMENDATION_BRAG_RULES, in order."""
    if status in ("not-accepted", "not-tracked"):
        return None
    due = parse_due(target_date)
    if due is not None and due < today and status not in ("completed", "assured"):
        return "red"
    colour = worst_brag(action_colours)
    if colour:
        return colour
    return "amber" if status in ("awaiting-response", "not-started") else None


def action_status(delivery: str, assurance: str) -> str | None:
    """An action's status in the words of a published action plan (not-started, in-progress,
    completed, assured), or None when none was reported: what the search's status facet shows."""
    if delivery in FINISHED:
        return "assured" if delivery != "closed-without-action" and assurance == EVIDENCE_ACCEPTED else "completed"
    if delivery in NOT_BEGUN:
        return "not-started" if delivery == "not-started" else None
    return "in-progress"
