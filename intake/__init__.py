"""Adding a newly published review from the browser: drafts, uploads, background extraction,
preview and corrections, and the publish pipeline (rebuild + atomic swap).

Nothing here knows about Flask; views/intake.py turns it into pages. A draft is a review folder
in the documented format (docs/review-format.md), so the preview and the publish run the same
build code as `python -m ingest build`.
"""
