"""One rule for what each role sees (tracker.permissions), checked field by field on every page
that shows a recommendation's tracking: the tracker page, its history and the public page."""
from __future__ import annotations

import pytest

from tests.tracker_support import signed_in
from tracker import permissions

REC = "child-t-2022-rec-1"
SECRETS = {
    "owner": "Head of Exploitation Service",
    "owner_reason": "agreed at the March board",
    "police_note": "police private detail",
    "police_reason": "police reason typed",
    "education_note": "education private detail",
    "education_reason": "education reason typed",
}
# who may read each value (anonymous never reads any)
READERS = {
    "owner": {"ann", "bob"},
    "owner_reason": {"ann", "bob"},
    "police_note": {"ann", "bob", "pat"},
    "police_reason": {"ann", "bob", "pat"},
    "education_note": {"ann", "bob", "eve"},
    "education_reason": {"ann", "bob", "eve"},
}


@pytest.fixture
def tracked(tracker_app):
    admin = signed_in(tracker_app, "ann")
    assert admin.post(f"/tracker/recommendations/{REC}/edit",
                      data={"version": "0", "response": "accepted", "owner": SECRETS["owner"],
                            "note": SECRETS["owner_reason"]}).status_code == 302
    assert admin.post(f"/tracker/recommendations/{REC}/actions/new",
                      data={"agency": "education", "action": "Share attendance data"}).status_code == 302
    assert signed_in(tracker_app, "pat").post("/tracker/actions/child-t-2022-act-1/edit", data={
        "version": "0", "delivery": "in-progress-on-track", "assurance": "impact-evidence-pending",
        "public_evidence": "", "private_notes": SECRETS["police_note"],
        "note": SECRETS["police_reason"]}).status_code == 302
    assert signed_in(tracker_app, "eve").post("/tracker/actions/child-t-2022-act-t1/edit", data={
        "version": "1", "delivery": "in-progress-on-track", "assurance": "impact-evidence-pending",
        "public_evidence": "", "private_notes": SECRETS["education_note"],
        "note": SECRETS["education_reason"]}).status_code == 302
    return tracker_app


@pytest.mark.parametrize("who", ["ann", "bob", "pat", "eve"])
def test_each_role_sees_exactly_the_fields_the_rule_allows(tracked, who):
    page = signed_in(tracked, who).get(f"/tracker/recommendations/{REC}").text
    for name, secret in SECRETS.items():
        assert (secret in page) == (who in READERS[name]), f"{who} and {name}"
    assert ('id="owner"' in page) == (who in READERS["owner"])


@pytest.mark.parametrize("who", ["pat", "eve"])
def test_hidden_history_says_private_rather_than_vanishing(tracked, who):
    page = signed_in(tracked, who).get(f"/tracker/recommendations/{REC}").text
    assert "(private)" in page  # the owner change and the other agency's note are there, unreadable


def test_the_public_never_reads_any_of_it(tracked):
    client = tracked.test_client()
    for url in (f"/recommendations/{REC}", "/reviews/child-t-2022", "/tracker/summary"):
        page = client.get(url).text
        for name, secret in SECRETS.items():
            assert secret not in page, (url, name)
        assert "ann" not in page.split("<main")[1] and "pat" not in page.split("<main")[1]


def test_the_rule_table_says_the_same_as_the_test():
    users = {"ann": {"role": "admin"}, "bob": {"role": "board"}, "pat": {"role": "agency-lead", "agency": "police"},
             "eve": {"role": "agency-lead", "agency": "education"}}
    for name, user in users.items():
        user.update(active=1, name=name, agency=user.get("agency"))
        assert permissions.can_read_owner(user) == (name in READERS["owner"])
        assert permissions.can_read_private(user, "police") == (name in READERS["police_note"])
        parts = permissions.history_row_visible_parts(user, "recommendation", "owner", None)
        assert parts == {"values": name in READERS["owner"], "note": name in READERS["owner_reason"]}
        parts = permissions.history_row_visible_parts(user, "action", "private_notes", "education")
        assert parts == {"values": name in READERS["education_note"], "note": name in READERS["education_reason"]}
