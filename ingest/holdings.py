"""What the repository holds for a review: the published wording, our summaries, or only its existence.

Computed here, once, from what a build found; the review page, the open data and the briefings
read the stored value, and its names and descriptions come from `holdings` in core/vocabulary.yml.
"""
from __future__ import annotations

from core import vocab


def holdings(record: dict) -> str:
    """The slug for one built review record (see ingest.build.build_review)."""
    recs = record.get("recommendations") or []
    documents = record.get("documents") or []
    if any(r.get("wording") == "published" for r in recs) or \
            any(d.get("role") in ("published-report", "action-plan") for d in documents):
        return "published-wording"
    if recs or record.get("learning_points"):
        return "our-summaries"
    return "existence-only"


def holdings_rows() -> list[dict]:
    """The holdings vocabulary as table rows (slug, name, description)."""
    return vocab.rows("holdings")
