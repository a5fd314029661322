"""Extraction in the background, so a long report never holds a request open.

One worker thread per draft, one extraction at a time per process (the machine's CPUs are shared
with the live site). Progress (stage, pages done) goes to the jobs table, which the progress page
reads; a document that fails to read is removed from the draft and its one-line error kept.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError
from intake import drafts, store

_ONE_AT_A_TIME = threading.Lock()
PROGRESS_EVERY_S = 0.5
STALE_AFTER_S = 15 * 60  # a job that has not moved for this long died with its process


@dataclass(frozen=True)
class Paths:
    """Where the intake keeps its state; built from the app's config by views/intake.py."""

    work: Path  # instance/intake
    db: Path  # instance/intake.db


def pending(draft: dict, work: Path) -> list[dict]:
    return [d for d in draft["documents"] if drafts.load_extraction(work, draft["id"], d["file"]) is None]


def extract_draft(paths: Paths, draft_id: str, user: dict | None = None) -> None:
    """Read and extract every document of the draft not yet extracted (runs in a worker thread)."""
    from ingest.extract import extract
    from ingest.readers import read_document

    conn = store.connect(paths.db)
    try:
        with _ONE_AT_A_TIME:
            draft = store.load_draft(conn, draft_id)
            todo = pending(draft, paths.work)
            folder = drafts.review_folder(paths.work, draft_id)
            failures = []
            for n, doc in enumerate(todo, 1):
                label = f"Reading {doc['file']} ({n} of {len(todo)})"
                store.set_job(conn, draft_id, label)
                last = [0.0]

                def on_page(done: int, total: int, label=label) -> None:
                    if time.monotonic() - last[0] >= PROGRESS_EVERY_S or done == total:
                        last[0] = time.monotonic()
                        store.set_job(conn, draft_id, label, done, total)

                try:
                    document = read_document(folder / doc["file"], on_page=on_page)
                    store.set_job(conn, draft_id, f"Finding recommendations in {doc['file']}",
                                  document.pages or 0, document.pages)
                    extraction = extract(document)
                except IngestError as exc:
                    failures.append(f"{doc['file']}: {exc.problem}")
                    with store.transaction(conn):
                        draft = store.load_draft(conn, draft_id)
                        drafts.remove_document(paths.work, draft, doc["file"])
                        store.save_draft(conn, draft)
                        store.log(conn, user, "document refused", draft_id=draft_id,
                                  review_id=draft["review_id"], detail=failures[-1])
                    continue
                drafts.save_extraction(paths.work, draft_id, doc["file"], document, extraction)
            with store.transaction(conn):
                draft = store.load_draft(conn, draft_id)
                draft["status"] = "ready"
                store.save_draft(conn, draft)
                store.log(conn, user, "extraction finished", draft_id=draft_id, review_id=draft["review_id"],
                          detail=f"{len(todo) - len(failures)} of {len(todo)} documents read")
            store.set_job(conn, draft_id, "done", error="; ".join(failures) or None)
    except Exception as exc:  # the page must show something, never a job stuck at "reading"
        store.set_job(conn, draft_id, "failed", error=f"extraction stopped: {type(exc).__name__}: {exc}"[:300])
        raise
    finally:
        conn.close()


def start(paths: Paths, draft_id: str, user: dict | None = None, wait: bool = False) -> threading.Thread:
    """Start the worker; `wait=True` (tests, benchmarks) joins it before returning."""
    conn = store.connect(paths.db)
    try:
        store.set_job(conn, draft_id, "queued")
    finally:
        conn.close()
    thread = threading.Thread(target=extract_draft, args=(paths, draft_id, user), name=f"extract-{draft_id}",
                              daemon=True)
    thread.start()
    if wait:
        thread.join()
    return thread


def is_running(job) -> bool:
    if job is None or job["stage"] in ("done", "failed"):
        return False
    from datetime import datetime, timezone

    updated = datetime.fromisoformat(job["updated_at"])
    return (datetime.now(timezone.utc) - updated).total_seconds() < STALE_AFTER_S
