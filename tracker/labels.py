"""What a person reads instead of ids, keys and timestamps: the one place tracker words are made.

Pages, the public timeline and the board's exports all call these, so a record is named the
same way everywhere: "Child K, recommendation 3", "Police action: Audit of NRM referrals...",
"3 December 2026", "3 December 2026, 13:28".
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from core import status as statuses

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        LOCAL_TIME = ZoneInfo("Europe/London")
    except ZoneInfoNotFoundError:  # a machine without a time zone database
        LOCAL_TIME = timezone.utc
except ImportError:  # pragma: no cover - Python 3.11 always has zoneinfo
    LOCAL_TIME = timezone.utc

FIELD_LABELS = {"response": "Response", "owner": "Owner", "target_date": "Target date", "delivery": "Delivery",
                "assurance": "Assurance", "public_evidence": "Public evidence", "private_notes": "Private notes",
                "added": "Action added"}
VOCAB_FIELD = {"response": "response", "delivery": "delivery", "assurance": "assurance"}
ACTION_TEXT_WORDS = 12


def value(field: str, raw: str | None) -> str:
    """An audit value in words: vocabulary labels, readable dates, text as typed."""
    if raw is None or raw == "":
        return "not set" if field in VOCAB_FIELD or field == "target_date" else ""
    if field in VOCAB_FIELD:
        return statuses.label(VOCAB_FIELD[field], raw)
    if field == "target_date":
        return day(raw)
    return raw


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").replace("-", " ").capitalize())


def as_date(value: date | str | None) -> date | None:
    """A date from a date, a YYYY-MM-DD string or an ISO timestamp; None if it is neither."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def day(value: date | str | None, missing: str = "") -> str:
    """`2026-12-03` -> `3 December 2026`; text that is not a date comes back as it is."""
    found = as_date(value)
    if found is None:
        return missing if not value else str(value)
    return f"{found.day} {found:%B %Y}"


def when(stamp: str | None) -> str:
    """An audit timestamp (UTC, ISO 8601) as local date and time: `3 December 2026, 13:28`."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(LOCAL_TIME)
    return f"{moment.day} {moment:%B %Y, %H:%M}"


def review_name(subject: str | None, title: str | None) -> str:
    """The name people use for a review: its subject ("Child K"), else its title."""
    subject = (subject or "").strip()
    if subject and not subject.lower().startswith("not known"):
        return subject
    return (title or "").strip() or "Unnamed review"


def recommendation_name(review: str | None, number: str | None) -> str:
    """`Child K, recommendation 3`; a recommendation without a number is named by its review alone."""
    if number and review:
        return f"{review}, recommendation {number}"
    if number:
        return f"Recommendation {number}"
    return f"{review} recommendation" if review else "A recommendation no longer in the reviews"


def short_text(text: str | None, words: int = ACTION_TEXT_WORDS) -> str:
    parts = (text or "").split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + "..."


def action_name(agency_name: str | None, text: str | None) -> str:
    """`Police action: Audit of NRM referrals for exploited children.` (long texts shortened)."""
    return f"{agency_name or 'Agency'} action: {short_text(text)}"
