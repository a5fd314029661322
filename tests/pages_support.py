"""The public pages' test data: the fictional samples plus one hostile record, and the app over them.

The hostile record has `<script>` in its text and `javascript:` links; every page must show it
escaped and unlinked. `built` (conftest.py) builds its database and index once per module.
"""
from __future__ import annotations

from pathlib import Path

from app import create_app
from ingest.load import write_database
from search_index import build_index
from tests.sample_data import SAMPLE_RECORDS

SCRIPT = '<script>alert("xss")</script>'
HOSTILE = {
    "id": "hostile-2023",
    "title": f"Review of Child X {SCRIPT}",
    "subject": "Child X",
    "review_type": "cspr",
    "publisher": "Northshire <b>Partnership</b>",
    "area": "Northshire",
    "published": "2023-07",
    "summary": f"A fictional summary with markup {SCRIPT} and <img src=x onerror=alert(1)> in it.",
    "report_url": "javascript:alert('report')",
    "themes": ["neglect"],
    "facts": [
        {"fact": "Published in July 2023.", "certainty": "confirmed", "source": "https://example.org/x"},
        {"fact": f"The review may have been delayed {SCRIPT}.", "certainty": "uncertain",
         "source": "javascript:alert('fact')"},
    ],
    "learning_points": [
        {"text": f"Neglect of a toddler went unseen {SCRIPT}.", "themes": ["neglect"],
         "source_url": "javascript:alert('lp')"},
    ],
    "recommendations": [
        {"number": "1", "text": f"Agencies should share neglect concerns {SCRIPT} quickly.",
         "wording": "summary", "agencies": ["health"], "themes": ["neglect"],
         "source_url": "javascript:alert('rec')"},
    ],
    "aliases": [{"old_id": "hostile-2023-rec-s1", "new_id": "hostile-2023-rec-1", "reason": "replaced"}],
    "agency_actions": [
        {"recommendation": "1", "agency": "health", "action": f"Health audit {SCRIPT}.", "status": None,
         "source_url": "javascript:alert('action')"},
    ],
}

def build_pages_data(root: Path) -> tuple[Path, Path]:
    """reviews.db (samples + the hostile record) and its search index under root."""
    db = write_database(root / "reviews.db", [*SAMPLE_RECORDS, HOSTILE])
    build_index(db, root / "index")
    return root, db


def make_app(root, db, **config):
    return create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE": str(db),
                       "SEARCH_INDEX_DIR": str(root / "index"),
                       "TRACKER_DATABASE": str(root / "tracker.db"),
                       "DATASETTE_URL": "https://data.example.org", **config})
