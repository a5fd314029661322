"""Who may read and change what: the one place the role rules live.

Anonymous visitors read public status only; agency leads change their own agency's actions;
board members read everything and change nothing; administrators change anything.
"""
from __future__ import annotations

ACTION_FIELDS = ("delivery", "assurance", "target_date", "public_evidence", "private_notes")
RECOMMENDATION_FIELDS = ("response", "owner", "target_date")
LEAD_ACTION_FIELDS = frozenset({"delivery", "assurance", "public_evidence", "private_notes"})


class PermissionDenied(Exception):
    """The signed-in user may not make this change; the message says why in one line."""


def editable_action_fields(user: dict | None, agency: str) -> frozenset[str]:
    """The action fields this user may change (empty: none). Due dates are the business unit's."""
    if not user or not user.get("active"):
        return frozenset()
    if user["role"] == "admin":
        return frozenset(ACTION_FIELDS)
    if user["role"] == "agency-lead" and user.get("agency") == agency:
        return LEAD_ACTION_FIELDS
    return frozenset()


def can_edit_recommendation(user: dict | None) -> bool:
    return bool(user and user.get("active") and user["role"] == "admin")


def can_add_action(user: dict | None) -> bool:
    return can_edit_recommendation(user)


def can_manage_reviews(user: dict | None) -> bool:
    """Adding, correcting, publishing and withdrawing reviews (the intake pages): the business unit."""
    return can_edit_recommendation(user)


def can_manage_users(user: dict | None) -> bool:
    return can_edit_recommendation(user)


def can_read_private(user: dict | None, agency: str | None = None) -> bool:
    """Board and admin read every private note; an agency lead reads their own agency's."""
    if not user or not user.get("active"):
        return False
    if user["role"] in ("admin", "board"):
        return True
    return agency is not None and user.get("agency") == agency


def can_see_dashboard(user: dict | None) -> bool:
    return bool(user and user.get("active") and user["role"] in ("admin", "board"))
