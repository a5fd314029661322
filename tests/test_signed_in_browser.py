"""The pages behind sign-in, as the business unit meets them in Chromium: the intake (a draft with
its documents read and its extraction to check), the tracker, the dashboard and user management.

Each page is checked with axe-core at desktop and phone widths, and at 390 px for sideways
scrolling, the same checks the public pages get in test_browser.py.
"""
from __future__ import annotations

import pytest

from tests.browser_support import PHONE, chromium, live_server, serious_violations, sideways_scrolling
from tests.docgen import make_report_pdf
from tests.intake_support import PASSWORD, RECS, make_site, new_draft, signed_in, upload

pytestmark = pytest.mark.browser

REC, ACTION = "jacob-2021-rec-s1", "jacob-2021-act-1"
TRACKER_PAGES = {
    "tracker": "/tracker/", "tracker recommendation": f"/tracker/recommendations/{REC}",
    "recommendation edit": f"/tracker/recommendations/{REC}/edit",
    "action edit": f"/tracker/actions/{ACTION}/edit", "new action": f"/tracker/recommendations/{REC}/actions/new",
    "dashboard": "/tracker/dashboard", "summary": "/tracker/summary", "orphans": "/tracker/orphans",
    "users": "/tracker/users", "new user": "/tracker/users/new", "password": "/account/password",
    "recommendation page with grouping corrections": f"/recommendations/{REC}",
}
INTAKE_PAGES = {"intake": "/intake/", "new review": "/intake/new", "intake log": "/intake/log"}
DRAFT_PAGES = {"draft": "/intake/{id}", "draft details": "/intake/{id}/details",
               "progress": "/intake/{id}/progress", "preview": "/intake/{id}/preview"}
WIDTHS = {"desktop": 1280, "phone": PHONE["width"]}


@pytest.fixture(scope="module")
def signed_in_site(tmp_path_factory):
    """A live site, a draft whose report has been read, and a Chromium signed in as the administrator."""
    root = tmp_path_factory.mktemp("signed-in")
    app = make_site(root)
    admin = signed_in(app, "ann")
    draft_id = new_draft(admin)
    report = make_report_pdf(root / "report.pdf", recommendations=RECS, pages=6).path
    assert upload(admin, draft_id, report).status_code == 302
    assert admin.post(f"/intake/{draft_id}/extract").status_code == 302
    with live_server(app) as base_url, chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base_url + "/sign-in")
        page.get_by_label("User name").fill("ann")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        pages = {**TRACKER_PAGES, **INTAKE_PAGES,
                 **{name: path.format(id=draft_id) for name, path in DRAFT_PAGES.items()}}
        yield base_url, page, pages
        context.close()


ALL_PAGES = [*TRACKER_PAGES, *INTAKE_PAGES, *DRAFT_PAGES]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", ALL_PAGES)
def test_signed_in_pages_have_no_serious_accessibility_violations(signed_in_site, name, width):
    base_url, page, pages = signed_in_site
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(base_url + pages[name])
    assert response.status == 200 and "/sign-in" not in page.url, (name, response.status, page.url)
    assert serious_violations(page) == [], name


@pytest.mark.parametrize("name", ALL_PAGES)
def test_signed_in_pages_fit_a_phone(signed_in_site, name):
    base_url, page, pages = signed_in_site
    page.set_viewport_size(PHONE)
    assert page.goto(base_url + pages[name]).status == 200
    assert sideways_scrolling(page) == [], name
