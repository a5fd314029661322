"""Shared fixtures that mirror the layers: reviews database -> index -> app."""
from __future__ import annotations

import os

import pytest
from hypothesis import settings

from ingest.load import write_database
from tests.intake_support import make_site, signed_in
from tests.opendata_support import build_public_db
from tests.pages_support import build_pages_data
from tests.sample_data import SAMPLE_RECORDS
from tests.tracker_support import PASSWORD, USERS, make_app
from tracker import store, users

# Passwords are hashed at a low scrypt cost in the suite (an app without TESTING turns it off).
users.use_test_hashing()


@pytest.fixture(autouse=True)
def _low_cost_hashing():
    """Back on for every test, even after a test started an app without TESTING."""
    users.use_test_hashing()

# The suite replays the same examples on every run, so CI never fails by chance; to hunt for new
# crashes, run with HYPOTHESIS_PROFILE=explore (random examples, many more of them).
settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", max_examples=2000, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


# `make test-fast` deselects these by marker; the marks follow from the file a test is in.
_MARKS_BY_FILE = {"test_faults.py": "faults", "test_fuzz.py": "fuzz"}


def pytest_collection_modifyitems(items):
    for item in items:
        name = item.path.name
        mark = _MARKS_BY_FILE.get(name) or ("browser" if "browser" in name else None)
        if mark:
            item.add_marker(mark)


@pytest.fixture(scope="session")
def sample_db_path(tmp_path_factory):
    """A reviews database built once from the fictional sample records (treat as read-only)."""
    return write_database(tmp_path_factory.mktemp("data") / "reviews.db", SAMPLE_RECORDS)


@pytest.fixture
def reviews_db_path(tmp_path):
    """A fresh reviews database per test, for tests that rebuild or change it."""
    return write_database(tmp_path / "reviews.db", SAMPLE_RECORDS)


# ---- the tracker app: its own tracker.db, a pinned "today", four users ------------------

@pytest.fixture
def tracker_app(reviews_db_path, tmp_path):
    app = make_app(reviews_db_path, tmp_path)
    conn = store.connect(app.config["TRACKER_DATABASE"])
    for name, (role, agency) in USERS.items():
        users.create_user(conn, name, role, PASSWORD, agency)
    conn.close()
    return app


@pytest.fixture
def tracker_conn(tracker_app):
    conn = store.connect(tracker_app.config["TRACKER_DATABASE"])
    yield conn
    conn.close()


# ---- shared by several modules (a module may define its own fixture of the same name) ----------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The public pages' data: samples + the hostile record, database and index, built once per module."""
    return build_pages_data(tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="module")
def public_db(tmp_path_factory):
    """The open data database (samples + one extra review, a tracker with private notes), once per module."""
    return build_public_db(tmp_path_factory.mktemp("datasette"))


@pytest.fixture
def site(tmp_path):
    """An intake site over two bundled reviews, for the browser intake tests."""
    return make_site(tmp_path)


@pytest.fixture
def admin(site):
    """The intake site's administrator, signed in."""
    return signed_in(site, "ann")
