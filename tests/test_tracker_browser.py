"""End to end in Chromium: an agency lead signs in, updates an action, and the public page shows it."""
from __future__ import annotations

import re

import pytest

from tests.browser_support import chromium, live_server
from tests.tracker_support import PASSWORD, make_app
from tracker import store, users


@pytest.mark.browser
@pytest.mark.slow
def test_agency_lead_update_appears_on_the_public_page(reviews_db_path, tmp_path):
    app = make_app(reviews_db_path, tmp_path, WTF_CSRF_ENABLED=True)  # real forms, real tokens
    conn = store.connect(app.config["TRACKER_DATABASE"])
    users.create_user(conn, "pat", "agency-lead", PASSWORD, "police")
    conn.close()
    with live_server(app) as base_url, chromium() as browser:
        page = browser.new_page()
        page.goto(base_url + "/tracker/actions/child-t-2022-act-1/edit")
        assert "/sign-in" in page.url  # signed out: sent to sign in first
        page.get_by_label("User name").fill("pat")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/tracker/actions/child-t-2022-act-1/edit")
        page.get_by_label("Delivery status").select_option("complete")
        page.get_by_label("Evidence (public)").fill("Audit of 40 referrals completed in December.")
        page.get_by_label("Notes (private: board, business unit and your agency only)").fill("Not for the public")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url("**/tracker/recommendations/child-t-2022-rec-1")
        assert "Action updated." in page.content()

        public = browser.new_page()  # a fresh, signed-out visitor
        public.goto(base_url + "/recommendations/child-t-2022-rec-1")
        text = public.content()
        assert "Audit of 40 referrals completed in December." in text
        assert "Complete" in text and "Not for the public" not in text \
            and not re.search(r"\bpat\b", public.inner_text("main"))
