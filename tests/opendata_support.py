"""The open data's test database and the helpers the Datasette tests share.

`public_db` (conftest.py) publishes the fictional samples plus one extra review, with a tracker
made through the tracker's own API, once per module.
"""
from __future__ import annotations

import socket
from pathlib import Path

import yaml

from ingest.load import write_database
from tests.sample_data import SAMPLE_RECORDS, SOURCE
from tests.test_publish import make_tracker_db
from tracker.publish import publish

ROOT = Path(__file__).resolve().parents[1]
METADATA = ROOT / "metadata.yml"
SITE_URL = "https://site.example.org"  # RLR_BASE_URL: the web app the open data links back to

# A second exploitation review with a police recommendation, so recurrence has something to find,
# and actions with a month-only overdue date and a far-future one.
EXTRA_RECORD = {
    "id": "child-r-2023", "title": "Child Safeguarding Practice Review: Child R", "subject": "Child R",
    "review_type": "cspr", "publisher": "Northshire Safeguarding Children Partnership", "area": "Northshire",
    "published": "2023-09", "summary": "A fictional review about a boy exploited by a drugs network.",
    "themes": ["child-criminal-exploitation"], "facts": [],
    "learning_points": [{"text": "Exploitation was treated as offending rather than abuse.",
                         "themes": ["child-criminal-exploitation"], "source_url": SOURCE}],
    "recommendations": [{"number": "1", "text": "Police should treat exploited children as victims first.",
                         "wording": "summary", "agencies": ["police"], "themes": ["child-criminal-exploitation"]}],
    "agency_actions": [
        {"recommendation": "1", "agency": "police", "action": "Victim-first training for custody staff.",
         "due": "2023-06", "status": "not-started", "source_url": SOURCE},
        {"recommendation": "1", "agency": "police", "action": "Review of the training after ten years.",
         "due": "2999-01-01", "status": "not-started", "source_url": SOURCE},
    ],
}


def load_metadata() -> dict:
    return yaml.safe_load(METADATA.read_text(encoding="utf-8"))


# Datasette names a database after its file: the one database metadata.yml describes.
DATABASE = next(iter(load_metadata()["databases"]))


def build_public_db(folder: Path) -> Path:
    """reviews.db (sample + one extra review) -> tracker.db if the tracker exists -> public.db."""
    reviews = write_database(folder / "reviews.db", [*SAMPLE_RECORDS, EXTRA_RECORD])
    tracker = make_tracker_db(folder / "tracker.db", reviews)
    publish(reviews, tracker, folder / f"{DATABASE}.db")
    return folder / f"{DATABASE}.db"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
