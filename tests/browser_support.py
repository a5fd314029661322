"""Helpers for end-to-end tests: serve an app for real, and drive Debian's Chromium with Playwright.

Any test module may import these (they are plain functions and context managers, not conftest
fixtures, so nothing runs unless a test asks for it):

    from tests.browser_support import chromium, live_server

    @pytest.mark.browser
    def test_sign_in(my_app):
        with live_server(my_app) as base_url, chromium() as browser:
            page = browser.new_page()
            page.goto(base_url + "/sign-in")
            ...

- `live_server(app)` runs `app` under waitress (the production WSGI server, so threads, real
  sockets and headers behave as deployed) in a daemon thread on a free 127.0.0.1 port, yields the
  base URL (no trailing slash), and shuts the server down on exit. As a safety net it also stops
  itself after `max_seconds`, so a hung test cannot leave a server running.
- `chromium()` launches headless Chromium from /usr/bin/chromium (override with RLR_CHROMIUM);
  Playwright's own browser download does not work here. It skips the test when Chromium or
  Playwright is missing. `CHROMIUM_ARGS` are the flags it passes.
- `browser_fixture` / `page_fixture` are ready-made pytest fixtures you can re-export:
  `from tests.browser_support import browser_fixture as browser`.

Both context managers work in any thread; use one Chromium per module (launching costs ~1 s).
"""
from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DEFAULT_CHROMIUM = "/usr/bin/chromium"


def chromium_path() -> str | None:
    """The Chromium executable to use, or None if there is none."""
    path = os.environ.get("RLR_CHROMIUM") or DEFAULT_CHROMIUM
    return path if os.path.exists(path) else shutil.which("chromium")


@contextmanager
def live_server(app, max_seconds: float = 600, threads: int = 4, port: int = 0) -> Iterator[str]:
    """Serve `app` with waitress on a free loopback port; yields e.g. "http://127.0.0.1:41234"."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=port, threads=threads,
                           clear_untrusted_proxy_headers=True, _start=True)
    stopped = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:  # the map was closed under select(): we are shutting down
            if not stopped.is_set():
                raise

    def stop() -> None:
        if stopped.is_set():
            return
        stopped.set()
        logging.getLogger("waitress").setLevel(logging.CRITICAL)
        for _ in range(50):  # closing a channel can add a trigger event: repeat until empty
            if not server._map:
                break
            for channel in list(server._map.values()):
                channel.handle_close()
        server.task_dispatcher.shutdown(timeout=5)

    thread = threading.Thread(target=run, name="live-server", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.effective_port}"
    watchdog = threading.Timer(max_seconds, stop)
    watchdog.daemon = True
    watchdog.start()
    try:
        _wait_until_up(base_url)
        yield base_url
    finally:
        watchdog.cancel()
        stop()
        thread.join(timeout=5)


def _wait_until_up(base_url: str, timeout: float = 10) -> None:
    """Block until the server answers at all (any HTTP status will do)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base_url + "/", timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def chromium(**launch_options) -> Iterator:
    """A headless Chromium `Browser` (Playwright sync API); skips the test if it cannot start."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True,
                                             args=CHROMIUM_ARGS, **launch_options)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser_fixture():
    """One Chromium per test module."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def page_fixture(browser_fixture):
    """A fresh page (own cookies) per test, closed afterwards."""
    context = browser_fixture.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# ---- checks a person would make of any page ----------------------------------------------

PHONE = {"width": 390, "height": 844}

# Measured in the page: how wide the document is, and every element that scrolls sideways
# (a table in its region) with the attributes that let a keyboard user reach and name it.
_WIDTH_PROBE = """() => ({
  width: document.documentElement.scrollWidth,
  scrollers: [...document.querySelectorAll('body *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
    .map(e => ({tag: e.tagName, cls: e.className, tabindex: e.getAttribute('tabindex'),
                role: e.getAttribute('role'), label: e.getAttribute('aria-label')})),
})"""


def serious_violations(page) -> list[tuple]:
    """axe-core's serious and critical findings on the page as loaded (empty when it is clean)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.response.get("testEngine", {}).get("name") == "axe-core"  # axe really ran
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def sideways_scrolling(page) -> list[str]:
    """What makes the page scroll sideways in its viewport: the page itself when it is wider, and
    any scrolling element that a keyboard user cannot reach or a screen reader cannot name."""
    probe = page.evaluate(_WIDTH_PROBE)
    width = page.viewport_size["width"]
    problems = [f"the page is {probe['width']} px wide at {width} px"] if probe["width"] > width else []
    return problems + [f"{s['tag']}.{s['cls']} scrolls without tabindex=0, role=region and a label"
                       for s in probe["scrollers"]
                       if not (s["tabindex"] == "0" and s["role"] == "region" and s["label"])]
