"""Shared fixtures that mirror the layers: reviews database -> index -> app."""
from __future__ import annotations

import pytest

from ingest.load import write_database
from tests.sample_data import SAMPLE_RECORDS


@pytest.fixture(scope="session")
def sample_db_path(tmp_path_factory):
    """A reviews database built once from the fictional sample records (treat as read-only)."""
    return write_database(tmp_path_factory.mktemp("data") / "reviews.db", SAMPLE_RECORDS)


@pytest.fixture
def reviews_db_path(tmp_path):
    """A fresh reviews database per test, for tests that rebuild or change it."""
    return write_database(tmp_path / "reviews.db", SAMPLE_RECORDS)
