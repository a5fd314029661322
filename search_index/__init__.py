"""Full-text search over the reviews database (issue 4).

The index is built from `data/reviews.db` (never from raw files) into a versioned folder under
`data/search-index/` and published by atomically replacing a `CURRENT` pointer, so a running app
keeps serving the old index until the new one is complete.

Public interface:
- `build_index(db_path, index_dir) -> Path`
- `update_reviews(db_path, index_dir, review_ids) -> Path`: re-index those reviews only
- `SearchService(index_dir)`: `.search(..., statuses=None) -> SearchResults`, `.related(kind, id, limit)`;
  the index holds no status: the caller passes the current ones (document id -> status) and the
  status facet and filter are built from them at query time.

URL paths carried by hits (see `records.py`): reviews `/reviews/<id>`, recommendations
`/recommendations/<id>`, learning points `/reviews/<review-id>#lp-<n>`, agency actions
`/reviews/<review-id>#action-<action-id>`, source paragraphs
`/reviews/<review-id>/documents/<file>#p-<seq>`.
"""
from __future__ import annotations

from search_index.build import build_index, update_reviews
from search_index.service import SearchResults, SearchService

__all__ = ["build_index", "update_reviews", "SearchService", "SearchResults"]
