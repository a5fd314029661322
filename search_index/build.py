"""Build the index from the reviews database, and refresh one recommendation's status in place."""
from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from whoosh import index as whoosh_index

from search_index import store
from search_index.records import read_records
from search_index.schema import index_fields, make_schema

log = logging.getLogger(__name__)


def write_records(path: Path, records: Iterable[dict], limitmb: int = 256, procs: int = 1) -> int:
    """Index records into a new Whoosh index at `path`, merged to one segment for fast search."""
    ix = whoosh_index.create_in(str(path), make_schema())
    kwargs = {"limitmb": limitmb}
    if procs > 1:
        kwargs.update(procs=procs, multisegment=False)
    writer = ix.writer(**kwargs)
    count = 0
    try:
        for record in records:
            writer.add_document(**index_fields(record))
            count += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit(optimize=True)
    ix.close()
    return count


def _apply_statuses(path: Path, changes: Mapping[str, str]) -> int:
    """Rewrite the given recommendations' status in the index at `path`; returns how many changed."""
    ix = whoosh_index.open_dir(str(path))
    changed = 0
    try:
        writer = ix.writer(timeout=30.0)
        try:
            with ix.searcher() as searcher:
                for rec_id, status in changes.items():
                    docnum = searcher.document_number(id=rec_id)
                    if docnum is None:
                        continue
                    record = dict(searcher.stored_fields(docnum)["doc"])
                    if record.get("kind") != "recommendation" or record.get("status") == status:
                        continue
                    record["status"] = status
                    writer.update_document(**index_fields(record))
                    changed += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit() if changed else writer.cancel()
    finally:
        ix.close()
    return changed


def publish_records(records: Iterable[dict], index_dir: str | Path, *, started: float | None = None,
                    limitmb: int = 256, procs: int = 1) -> tuple[Path, int]:
    """Index `records` into a fresh build folder, replay late status updates, swap it in, tidy up."""
    index_dir = Path(index_dir)
    started = time.time() if started is None else started
    build_dir = store.new_build_dir(index_dir)
    try:
        count = write_records(build_dir, records, limitmb=limitmb, procs=procs)
        with store.locked(index_dir):
            late = {e["id"]: e["status"] for e in store.journal_since(index_dir, started)}
            if late:
                _apply_statuses(build_dir, late)
            version = store.publish(index_dir, build_dir)
            store.journal_prune(index_dir, started)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    store.cleanup(index_dir)
    return version, count


def build_index(db_path: str | Path, index_dir: str | Path, statuses: Mapping | None = None,
                *, limitmb: int = 256, procs: int = 1) -> Path:
    """Build a new index version from `db_path` and make it live atomically; returns its folder.

    `statuses` maps recommendation id -> status (or -> {"status": ...}); recommendations without
    one are `not-tracked`. Status updates made while the build runs are replayed before the swap.
    """
    index_dir = Path(index_dir)
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"reviews database not found: {db_path}")
    version, count = publish_records(read_records(db_path, statuses), index_dir, started=time.time(),
                                     limitmb=limitmb, procs=procs)
    log.info("indexed %d documents into %s", count, version)
    return version


def update_status(index_dir: str | Path, rec_id: str, status: str) -> bool:
    """Set one recommendation's status in the live index (no rebuild); False if it is not there.

    Serialised with other updates and with a build's swap by the folder lock, and journalled so a
    build that started earlier (with older statuses) still ends up with this one.
    """
    if not isinstance(rec_id, str) or not isinstance(status, str) or not status or len(status) > 64:
        return False
    index_dir = Path(index_dir)
    with store.locked(index_dir):
        store.journal_append(index_dir, rec_id, status)
        version = store.current_version(index_dir)
        if version is None:
            return False
        with_doc = _has_recommendation(version, rec_id)
        if with_doc:
            _apply_statuses(version, {rec_id: status})
        return with_doc


def _has_recommendation(path: Path, rec_id: str) -> bool:
    ix = whoosh_index.open_dir(str(path))
    try:
        with ix.searcher() as searcher:
            docnum = searcher.document_number(id=rec_id)
            return docnum is not None and searcher.stored_fields(docnum)["doc"].get("kind") == "recommendation"
    finally:
        ix.close()
