"""Full-text search over the reviews database (issue 4).

The index is built from `data/reviews.db` (never from raw files) into a versioned folder under
`data/search-index/` and published by atomically replacing a `CURRENT` pointer, so a running app
keeps serving the old index until the new one is complete.

Public interface:
- `build_index(db_path, index_dir, statuses=None) -> Path` (statuses: rec_id -> status)
- `update_status(index_dir, rec_id, status) -> bool` (one recommendation, no rebuild)
- `SearchService(index_dir)`: `.search(...) -> SearchResults`, `.related(kind, id, limit)`

URL paths carried by hits (see `records.py`): reviews `/reviews/<id>`, recommendations
`/recommendations/<id>`, learning points `/reviews/<review-id>#lp-<n>`, agency actions
`/reviews/<review-id>#action-<action-id>`, source paragraphs
`/reviews/<review-id>/documents/<file>#p-<seq>`.
"""
from __future__ import annotations

from search_index.build import build_index, update_status
from search_index.service import SearchResults, SearchService

__all__ = ["build_index", "update_status", "SearchService", "SearchResults"]
