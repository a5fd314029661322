"""Build the index from the reviews database and swap it in atomically.

The index holds no status (statuses change with the tracker, not with a build), so nothing has to
be updated in place between builds.
"""
from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
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
