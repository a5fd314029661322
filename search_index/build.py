"""Build the index from the reviews database and swap it in atomically.

The index holds no status (statuses change with the tracker, not with a build), so nothing has to
be updated in place between builds.
"""
from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Collection, Iterable
from pathlib import Path

from whoosh import index as whoosh_index

from search_index import store
from search_index.bulk_writer import BulkWriter
from search_index.records import read_records
from search_index.schema import index_fields, make_schema

log = logging.getLogger(__name__)


def write_records(path: Path, records: Iterable[dict], limitmb: int = 256, procs: int = 1) -> int:
    """Index records into a new Whoosh index at `path`, as one segment for fast search (in memory
    with BulkWriter; `procs` > 1 uses Whoosh's own writer processes and its `limitmb`)."""
    ix = whoosh_index.create_in(str(path), make_schema())
    if procs > 1:
        writer = ix.writer(limitmb=limitmb, procs=procs, multisegment=False)
    else:
        writer = BulkWriter(ix)
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


def publish_records(records: Iterable[dict], index_dir: str | Path, *,
                    limitmb: int = 256, procs: int = 1) -> tuple[Path, int]:
    """Index `records` into a fresh build folder, swap it in (one atomic rename), tidy up."""
    index_dir = Path(index_dir)
    build_dir = store.new_build_dir(index_dir)
    try:
        count = write_records(build_dir, records, limitmb=limitmb, procs=procs)
        version = store.publish(index_dir, build_dir)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    store.cleanup(index_dir)
    return version, count


def build_index(db_path: str | Path, index_dir: str | Path, *, limitmb: int = 256, procs: int = 1) -> Path:
    """Build a new index version from `db_path` and make it live atomically; returns its folder."""
    index_dir = Path(index_dir)
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"reviews database not found: {db_path}")
    version, count = publish_records(read_records(db_path), index_dir, limitmb=limitmb, procs=procs)
    log.info("indexed %d documents into %s", count, version)
    return version


def update_reviews(db_path: str | Path, index_dir: str | Path, review_ids: Collection[str], *,
                   limitmb: int = 256) -> Path:
    """Re-index only these reviews' documents (dropping those no longer in `db_path`) and make the
    result live atomically, as build_index does; with no live index yet it builds one in full.

    The new version starts as hard links to the live one's files: Whoosh never rewrites a segment
    file (a commit writes new segments and a new table of contents) and a version is never written
    after its build, so this costs what the reviews' own documents cost, not the whole corpus.
    Readers keep the old version, unchanged, until the swap.
    """
    index_dir, db_path = Path(index_dir), Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"reviews database not found: {db_path}")
    live = store.current_version(index_dir)
    if live is None:
        return build_index(db_path, index_dir, limitmb=limitmb)
    build_dir = store.new_build_dir(index_dir)
    try:
        for file in live.iterdir():
            if file.is_file() and "WRITELOCK" not in file.name:  # a lock file must not be shared
                os.link(file, build_dir / file.name)
        ix = whoosh_index.open_dir(str(build_dir))
        writer = ix.writer(limitmb=limitmb)
        count = 0
        try:
            for review_id in review_ids:
                writer.delete_by_term("review", review_id)
            for record in read_records(db_path, review_ids=set(review_ids)):
                writer.add_document(**index_fields(record))
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        ix.close()
        version = store.publish(index_dir, build_dir)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    store.cleanup(index_dir)
    log.info("re-indexed %d documents of %s into %s", count, ", ".join(review_ids), version)
    return version
