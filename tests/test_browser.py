"""End to end in real headless Chromium: search, filter, follow the learning, keyboard, axe-core.

Runs the app under waitress (tests/browser_support.py) with the same fixture data as
test_pages.py. Run just these with `pytest -m browser`.
"""
from __future__ import annotations

import re

import pytest

from tests.browser_support import PHONE, browser_fixture, live_server, serious_violations, sideways_scrolling
from tests.pages_support import make_app

pytestmark = pytest.mark.browser
browser = browser_fixture

AXE_PAGES = {
    "home": "/",
    "search results": "/search?q=school&theme=children-missing-education",
    "themes": "/themes",
    "reviews": "/reviews",
    "agencies": "/agencies",
    "briefings": "/briefings",
    "document": "/reviews/child-t-2022/documents/report.pdf",
    "review": "/reviews/child-t-2022",
    "recommendation": "/recommendations/child-t-2022-rec-1",
    "theme": "/themes/neglect",
    "about": "/about",
    "agency": "/agencies/police",
    "briefing": "/briefings/review/child-t-2022",
    "sign-in": "/sign-in",
    "public tracker summary": "/tracker/summary",
}


@pytest.fixture(scope="module")
def base_url(built):  # noqa: F811
    with live_server(make_app(*built, TESTING=False)) as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh page that fails the test on any console error (a CSP violation shows up there)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_search_filter_and_follow_the_learning(page, base_url):
    page.goto(base_url + "/")
    page.get_by_label("Search the learning").fill("school")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search\?q=school"))
    results = page.locator("ol.app-results > li")
    unfiltered = results.count()
    assert unfiltered >= 3

    page.get_by_role("checkbox", name=re.compile("^Children missing education")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"theme=children-missing-education"))
    assert "q=school" in page.url  # the whole search is in the address: shareable
    assert page.get_by_role("checkbox", name=re.compile("^Children missing education")).is_checked()
    assert 0 < results.count() <= unfiltered
    assert page.locator(".app-snippet mark").count() >= 1

    page.locator(".app-result .app-meta a", has_text="Child Safeguarding Practice Review: Child T").first.click()
    page.wait_for_url(base_url + "/reviews/child-t-2022")
    assert page.locator("h1").inner_text() == "Child Safeguarding Practice Review: Child T"

    page.get_by_role("link", name="Recommendation 1", exact=True).click()
    page.wait_for_url(base_url + "/recommendations/child-t-2022-rec-1")
    assert page.locator("h1").inner_text() == "Recommendation 1"
    # no other sample review is about exploitation: showing nothing beats a wrong suggestion
    # (tests/test_search.py checks that related learning shares the topic and comes from other reviews)
    assert page.locator(".app-related li h3 a").count() == 0


def test_skip_link_takes_keyboard_users_to_the_search_box(page, base_url):
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.textContent.trim()]")
    assert focused == ["govuk-skip-link", "Skip to main content"]
    assert page.locator(".govuk-skip-link").bounding_box()["height"] > 0  # visible once focused
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "home-search"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    shadow = page.evaluate("() => getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or shadow != "none", "focus must be visible"
    page.keyboard.type("neglect")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=neglect"))
    assert page.locator("ol.app-results > li").count() >= 1


def test_pages_work_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/search?q=school")
    page.get_by_role("checkbox", name=re.compile("^Report text")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"kind=paragraph"))
    assert page.locator("ol.app-results > li").count() == 1
    context.close()


def test_print_hides_navigation_and_search(page, base_url):
    page.goto(base_url + "/reviews/child-t-2022")
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible()
    assert not page.locator("header form[role=search]").is_visible()
    assert not page.locator("footer").is_visible()
    assert page.locator("h1").is_visible() and page.locator("#recommendations").is_visible()
    page.emulate_media(media="screen")
    assert page.locator("header nav").is_visible()


WIDTHS = {"desktop": 1280, "phone": PHONE["width"]}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", AXE_PAGES)
def test_no_serious_accessibility_violations(page, base_url, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(base_url + AXE_PAGES[name])
    assert response.status == 200, (name, response.status)
    assert serious_violations(page) == []


@pytest.mark.parametrize("name", AXE_PAGES)
def test_nothing_is_wider_than_a_phone(browser, base_url, name):
    """At 390 px the page never scrolls sideways; a wide table scrolls inside its own focusable region."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(base_url + AXE_PAGES[name])
        assert sideways_scrolling(page) == [], name
    finally:
        context.close()


def test_a_wide_table_scrolls_in_its_region_not_the_page(browser, base_url):
    """The themes table is wider than a phone: its region scrolls, and Tab reaches it."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(base_url + "/themes")
        region = page.get_by_role("region", name="Themes and how often they appear")
        assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # the table really is wider
        region.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_phone_menu_and_filters_open_on_demand(browser, base_url, javascript):
    """On a phone the navigation and the search filters sit behind disclosures, so results come first."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(base_url + "/search?q=school")
        themes_link = page.locator("#navigation").get_by_role("link", name="Themes")
        filters = page.get_by_role("checkbox", name=re.compile("^Report text"))
        assert not themes_link.is_visible() and not filters.is_visible()
        first = page.locator("ol.app-results > li").first.bounding_box()
        assert first["y"] < PHONE["height"], f"first result starts at {first['y']} px"

        page.locator("summary", has_text="Menu").click()
        assert themes_link.is_visible()
        page.locator("summary", has_text="Filter results").click()
        assert filters.is_visible()
        filters.check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"kind=paragraph"))
        assert "(1 applied)" in page.locator("summary", has_text="Filter results").inner_text()

        page.set_viewport_size({"width": 1280, "height": 900})  # wide screens: no toggles, all shown
        assert not page.locator("summary", has_text="Menu").is_visible()
        page.goto(base_url + "/search?q=school")
        assert themes_link.is_visible() and filters.is_visible()
    finally:
        context.close()
