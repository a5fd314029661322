"""The derived BRAG colour and public status follow the published definitions."""
from __future__ import annotations

from datetime import date

import pytest

from core import status as statuses

TODAY = date(2023, 1, 15)


@pytest.mark.parametrize("delivery, assurance, target, colour", [
    ("in-progress-on-track", "impact-evidence-pending", "2023-01-01", "red"),   # overdue beats on track
    ("not-started", "impact-evidence-pending", "2022-12", "red"),              # month: end of December
    ("in-progress-off-track", "impact-evidence-pending", "2024-01-01", "red"),
    ("complete", "impact-evidenced", "2020-01-01", "blue"),                    # finished is never overdue
    ("closed-without-action", "impact-evidence-pending", None, "blue"),
    ("in-progress-at-risk", "impact-evidence-pending", "2024-01-01", "amber"),
    ("not-started", "impact-evidence-pending", "2023-02-10", "amber"),         # due within 30 days
    ("not-started", "impact-evidence-pending", None, "amber"),
    ("in-progress", "impact-evidence-pending", None, "amber"),                 # ingested, unrated
    ("not-started", "impact-evidence-pending", "2023-06-30", "green"),
    ("in-progress-on-track", "impact-evidence-pending", None, "green"),
    ("complete-late", "impact-evidence-pending", "2022-01-01", "green"),
])
def test_brag_rules(delivery, assurance, target, colour):
    assert statuses.brag_for_action(delivery, assurance, target, TODAY) == colour


def test_every_published_rule_is_reachable():
    """Each rule text on the about page can actually decide a colour (no dead definitions)."""
    samples = [(d, a, t) for d in statuses.keys(statuses.DELIVERY) for a in statuses.keys(statuses.ASSURANCE)
               for t in (None, "2022-01-01", "2023-01-20", "2024-01-01")]
    for definition in statuses.BRAG_DEFINITIONS:
        for rule in definition["rules"]:
            hits = [s for s in samples if statuses._matches(rule["when"], *s, TODAY)]
            assert hits, rule["text"]
    colours = {statuses.brag_for_action(*s, TODAY) for s in samples}
    assert colours == {"red", "amber", "green", "blue"}


@pytest.mark.parametrize("response, actions, status", [
    (None, [], "not-tracked"),
    ("awaiting-response", [("complete", "impact-evidenced")], "awaiting-response"),
    ("not-accepted", [], "not-accepted"),
    ("accepted", [], "not-started"),
    ("accepted", [("not-started", "impact-evidence-pending"), ("not-reported", "impact-evidence-pending")],
     "not-started"),
    ("accepted-in-part", [("complete", "impact-evidence-pending"), ("not-started", "impact-evidence-pending")],
     "in-progress"),
    (None, [("in-progress", "impact-evidence-pending")], "in-progress"),
    ("accepted", [("complete", "impact-evidence-pending"), ("closed-without-action", "impact-evidence-pending")],
     "completed"),
    ("accepted", [("complete", "impact-evidenced"), ("closed-without-action", "impact-evidence-pending")],
     "assured"),
    ("accepted", [("closed-without-action", "impact-evidence-pending")], "completed"),
])
def test_public_status(response, actions, status):
    assert statuses.recommendation_status(response, actions) == status


def test_recommendation_brag_worst_action_and_own_date():
    assert statuses.recommendation_brag("in-progress", None, ["green", "amber", "blue"], TODAY) == "amber"
    assert statuses.recommendation_brag("in-progress", "2022-12-01", ["green"], TODAY) == "red"
    assert statuses.recommendation_brag("completed", "2022-12-01", ["green"], TODAY) == "green"
    assert statuses.recommendation_brag("not-accepted", "2022-12-01", [], TODAY) is None
    assert statuses.recommendation_brag("awaiting-response", None, [], TODAY) == "amber"


def test_vocabularies_have_labels_and_descriptions():
    for vocab in (statuses.RESPONSES, statuses.DELIVERY, statuses.ASSURANCE, statuses.PUBLIC_STATUSES):
        assert all(v["key"] and v["label"] and v["description"] for v in vocab)
    assert statuses.label("delivery", "complete-late") == "Complete (late)"
    assert statuses.parse_due("2024") == date(2024, 12, 31)
    assert statuses.parse_due("2024-02") == date(2024, 2, 29)
    assert statuses.parse_due("next spring") is None


def test_reported_actions_alone_never_complete_a_recommendation():
    """Sources may report every action done; only the board's tracking can sign a recommendation off."""
    from core.status import recommendation_status

    done = [("complete", "impact-evidenced"), ("complete", "impact-evidence-pending")]
    assert recommendation_status(None, done) == "in-progress"
    assert recommendation_status("accepted", done) == "completed"
    assert recommendation_status("accepted", [("complete", "impact-evidenced")]) == "assured"
