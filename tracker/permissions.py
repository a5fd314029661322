"""Who may read and change what: the one place the role rules live, written as data.

The about page and the tracker pages print RULES, and allowed() evaluates the very same rows,
so what people are told and what the code enforces cannot drift apart.

The model: the board decides (its response to a recommendation; accepting evidence of impact,
which is what can make a recommendation Assured). The business unit runs the tracker and may
record the board's decisions on its behalf, which the history says. Agency leads report the
delivery of their own agency's actions and offer evidence; they never accept it.
"""
from __future__ import annotations

from core import status as statuses

ROLE_NAMES = {"admin": "Business unit (administrator)", "board": "Board member", "agency-lead": "Agency lead"}

# scope: "all" (any record), "own-agency" (actions of the user's agency),
# "for-board" (a board decision the business unit records on the board's behalf; the history says so)
RULES: list[dict] = [
    {"key": "record-response", "text": "Record the board's response to a recommendation",
     "roles": {"board": "all", "admin": "for-board"}},
    {"key": "accept-evidence",
     "text": "Accept evidence of impact for an action (only this can make a recommendation Assured)",
     "roles": {"board": "all", "admin": "for-board"}},
    {"key": "report-delivery",
     "text": "Report an action's delivery, offer evidence of its impact and keep private notes on it",
     "roles": {"agency-lead": "own-agency", "admin": "all"}},
    {"key": "plan", "text": "Set a recommendation's owner and target dates, and add agency actions",
     "roles": {"admin": "all"}},
    {"key": "manage-users", "text": "Add users, change roles, deactivate accounts and make password links",
     "roles": {"admin": "all"}},
    {"key": "manage-reviews", "text": "Add a review, correct its extraction, publish it or withdraw it from public view",
     "roles": {"admin": "all"}},
    {"key": "see-dashboard", "text": "See the board dashboard and download the board papers",
     "roles": {"board": "all", "admin": "all"}},
    {"key": "read-owner", "text": "See who owns a recommendation",
     "roles": {"board": "all", "admin": "all"}},
    {"key": "read-private",
     "text": "Read private notes and the reasons typed for changes",
     "roles": {"board": "all", "admin": "all", "agency-lead": "own-agency"}},
]
SCOPE_WORDS = {"all": "", "own-agency": "their own agency's actions only",
               "for-board": "on the board's behalf, recorded as such"}
ON_BEHALF_NOTE = "Recorded by the business unit on behalf of the board."
PUBLIC_RULE = ("Anyone, without signing in, reads the public status, target dates and public evidence; "
               "never private notes, owners, reasons for changes or who made them.")

_RULES = {r["key"]: r for r in RULES}
ACTION_FIELDS = ("delivery", "assurance", "target_date", "public_evidence", "private_notes")
RECOMMENDATION_FIELDS = ("response", "owner", "target_date")
ACTION_FIELD_RULE = {"delivery": "report-delivery", "public_evidence": "report-delivery",
                     "private_notes": "report-delivery", "target_date": "plan"}
RECOMMENDATION_FIELD_RULE = {"response": "record-response", "owner": "plan", "target_date": "plan"}


class PermissionDenied(Exception):
    """The signed-in user may not make this change; the message says why in one line."""


def _active(user: dict | None) -> bool:
    return bool(user and user.get("active"))


def scope(user: dict | None, rule: str) -> str | None:
    """The scope in which this user holds a rule, or None."""
    if not _active(user):
        return None
    return _RULES[rule]["roles"].get(user["role"])


def allowed(user: dict | None, rule: str, agency: str | None = None) -> bool:
    """Does the user hold this rule for a record (an action's agency where it matters)?"""
    held = scope(user, rule)
    if held is None:
        return False
    if held == "own-agency":
        return agency is not None and user.get("agency") == agency
    return True


def on_behalf_of_board(user: dict | None, rule: str) -> bool:
    return scope(user, rule) == "for-board"


def role_rules() -> list[dict]:
    """For the about page and the tracker: each role with the rules it holds, in words."""
    out = []
    for role, name in ROLE_NAMES.items():
        held = [{"text": r["text"], "scope": SCOPE_WORDS[r["roles"][role]]} for r in RULES if role in r["roles"]]
        out.append({"role": role, "name": name, "rules": held})
    return out


# ---- actions -------------------------------------------------------------------------------

def assurance_rule(old: str | None, new: str | None) -> str:
    """Setting or withdrawing accepted evidence is the board's; other assurance states go with delivery."""
    if statuses.EVIDENCE_ACCEPTED in (old, new):
        return "accept-evidence"
    return "report-delivery"


def assurance_choices(user: dict | None, agency: str, current: str | None) -> list[str]:
    """The assurance values this user may pick for an action (the current one is always kept)."""
    out = []
    for key in statuses.keys(statuses.ASSURANCE):
        if key == current or allowed(user, assurance_rule(current, key), agency):
            out.append(key)
    return out


def editable_action_fields(user: dict | None, agency: str) -> frozenset[str]:
    """The action fields this user may change at all (empty: none)."""
    fields = {f for f, rule in ACTION_FIELD_RULE.items() if allowed(user, rule, agency)}
    if allowed(user, "accept-evidence", agency) or allowed(user, "report-delivery", agency):
        fields.add("assurance")
    return frozenset(fields)


def forbidden_action_changes(user: dict | None, agency: str, changed: dict, old: dict) -> list[str]:
    """Names of the changed fields (new values in `changed`) the user may not make."""
    out = []
    for field, value in changed.items():
        rule = action_field_rule(field, old.get(field), value)
        if not allowed(user, rule, agency):
            out.append("accepted evidence of impact" if rule == "accept-evidence" else field.replace("_", " "))
    return out


def action_field_rule(field: str, old: str | None, new: str | None) -> str:
    return assurance_rule(old, new) if field == "assurance" else ACTION_FIELD_RULE[field]


# ---- recommendations ----------------------------------------------------------------------

def editable_recommendation_fields(user: dict | None) -> frozenset[str]:
    return frozenset(f for f, rule in RECOMMENDATION_FIELD_RULE.items() if allowed(user, rule))


def can_edit_recommendation(user: dict | None) -> bool:
    return bool(editable_recommendation_fields(user))


def can_add_action(user: dict | None) -> bool:
    return allowed(user, "plan")


def can_manage_reviews(user: dict | None) -> bool:
    """The intake pages (adding, correcting, publishing and withdrawing reviews)."""
    return allowed(user, "manage-reviews")


def can_manage_users(user: dict | None) -> bool:
    return allowed(user, "manage-users")


def can_see_orphans(user: dict | None) -> bool:
    return allowed(user, "plan")


# ---- reading ------------------------------------------------------------------------------

def can_read_private(user: dict | None, agency: str | None = None) -> bool:
    """Board and business unit read every private note; an agency lead reads their own agency's."""
    return allowed(user, "read-private", agency)


def can_read_owner(user: dict | None) -> bool:
    return allowed(user, "read-owner")


def can_see_dashboard(user: dict | None) -> bool:
    return allowed(user, "see-dashboard")


def history_row_visible_parts(user: dict | None, entity: str, field: str, agency: str | None) -> dict:
    """Which parts of one history row a user may read: its values and its note (the reason typed).

    Values of private notes follow read-private for the action's agency, owners follow read-owner;
    a reason is private material too: it follows read-private for the action's agency, and for a
    recommendation-level change, read-private for any agency (board and business unit).
    """
    if field == "private_notes":
        values = can_read_private(user, agency)
    elif field == "owner":
        values = can_read_owner(user)
    else:
        values = True
    note = can_read_private(user, agency) if entity == "action" else can_read_private(user, None)
    return {"values": values, "note": note}
