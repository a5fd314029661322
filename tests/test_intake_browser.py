"""End to end in Chromium: an administrator adds a review from the browser and publishes it; a
signed-out visitor finds the added recommendation by search, on the review page and in the open
data (a Datasette started before the publish, never restarted); a board member is refused."""
from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser_support import chromium, live_server
from tests.docgen import make_report_pdf
from tests.intake_support import (PASSWORD, PLAN_ROWS, datasette, free_port_in, make_action_plan_docx,
                                  make_site)

RECS = ["Children's social care should make sure that every assessment of neglect records the child's own view.",
        "The police should share information about domestic abuse incidents with schools the next working day.",
        "Every referral about a baby under one should be acknowledged within one working day."]
ADDED = "Schools should record every late collection of a child under five in the nursery log."


def sign_in(page, base_url, name):
    page.goto(base_url + "/sign-in")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def open_data_rows(base: str, rec_id: str) -> list[dict]:
    url = f"{base}/safeguarding-reviews/recommendations.json?_shape=array&id={rec_id}"
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.load(resp)


@pytest.mark.browser
@pytest.mark.slow
def test_admin_adds_a_review_and_a_visitor_finds_it(tmp_path):
    app = make_site(tmp_path, WTF_CSRF_ENABLED=True, INTAKE_SYNC_JOBS=False)  # real tokens, real worker
    report = make_report_pdf(tmp_path / "child-t-report.pdf", recommendations=RECS, pages=20,
                             recommendations_table=False).path
    plan = make_action_plan_docx(tmp_path / "action-plan.docx", PLAN_ROWS)
    with datasette(app.config["PUBLIC_DATABASE"], free_port_in(range(8110, 8120))) as open_data, \
            live_server(app, port=free_port_in(range(5110, 5120))) as base_url, chromium() as browser:
        assert open_data_rows(open_data, "child-t-2022-rec-4") == []
        page = browser.new_page()
        page.set_default_timeout(30_000)
        sign_in(page, base_url, "ann")
        page.goto(base_url + "/intake/new")
        page.get_by_label("Title").fill("Child Safeguarding Practice Review: Child T")
        page.get_by_label("Subject").fill("Child T")
        page.get_by_label("Type of review").select_option("cspr")
        page.get_by_label("Publisher").fill("Northshire Safeguarding Children Partnership")
        page.get_by_label("Month").fill("3")
        page.get_by_label("Year").fill("2022")
        page.get_by_label("Neglect", exact=True).check()
        page.get_by_role("button", name="Continue").click()
        assert page.get_by_role("heading", name="Documents").is_visible()

        page.get_by_label("File").set_input_files(str(report))
        page.get_by_label("What is this document?").select_option("published-report")
        page.get_by_role("button", name="Upload").click()
        assert "child-t-report.pdf added." in page.content()
        page.get_by_label("File").set_input_files(str(plan))
        page.get_by_label("What is this document?").select_option("action-plan")
        page.get_by_role("button", name="Upload").click()
        assert "action-plan.docx added." in page.content()

        page.get_by_role("button", name="Read the documents").click()
        page.get_by_role("heading", name="Documents read").wait_for(timeout=120_000)  # meta refresh, no JS
        assert "Finished" in page.inner_text("#stage")
        page.get_by_role("button", name="Check what was found").click()

        # recommendation 3 names no agency: the page says the partnership was assumed; fix it
        assert "Recommendation 3</a>: the text names no agency" in page.content()
        fix3 = page.locator("#fix-3")
        fix3.locator("summary").click()
        fix3.get_by_label("Children's social care").check()
        fix3.get_by_role("button", name="Save recommendation 3").click()
        assert "Recommendation 3</a>: the text names no agency" not in page.content()

        added = page.locator("#fix-new")
        added.locator("summary").click()
        added.get_by_label("Number", exact=True).fill("4")
        added.get_by_label("Text", exact=True).fill(ADDED)
        added.get_by_label("Education", exact=True).check()
        added.get_by_role("button", name="Add recommendation").click()
        assert ADDED in page.content()

        assert "Action-plan row 3</a> matches no recommendation" in page.content()
        page.get_by_label("Recommendation for row 3").select_option("4")
        page.get_by_role("button", name="Link row 3").click()
        assert "Action-plan row 3</a> matches no recommendation" not in page.content()

        page.get_by_role("button", name="Publish child-t-2022").click()
        assert page.get_by_role("heading", name="Published").is_visible()

        visitor = browser.new_context().new_page()
        visitor.goto(base_url + "/search?q=late+collection+nursery+log")
        result = visitor.locator("a[href='/recommendations/child-t-2022-rec-4']").first
        assert result.is_visible()
        visitor.goto(base_url + "/reviews/child-t-2022")
        assert ADDED in visitor.content()
        rows = open_data_rows(open_data, "child-t-2022-rec-4")  # same Datasette process as before
        assert [r["text"] for r in rows] == [ADDED]
        visitor.goto(f"{open_data}/safeguarding-reviews/recommendations/child-t-2022-rec-4")
        assert "nursery log" in visitor.content()

        board = browser.new_context().new_page()
        sign_in(board, base_url, "bob")
        for url in ("/intake/", "/intake/new"):
            response = board.goto(base_url + url)
            assert response.status == 403
            assert "Only the business unit" in board.content()
