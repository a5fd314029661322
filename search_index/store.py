"""The on-disk layout of an index folder and its atomic swap.

    index_dir/CURRENT          name of the live version (replaced with os.replace)
    index_dir/v-<stamp>/       complete Whoosh indexes, one per build
    index_dir/tmp-<stamp>/     a build in progress (renamed to v-... only when complete)
    index_dir/.lock            flock held while swapping or updating a status
    index_dir/status-journal.jsonl  status updates, replayed onto a build that started before them

Readers only ever follow CURRENT to a complete folder, so they never see a half-built index.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

POINTER = "CURRENT"
JOURNAL = "status-journal.jsonl"
_VERSION = re.compile(r"^v-[0-9]+-[0-9]+$")
STALE_BUILD_SECONDS = 24 * 3600


def current_version(index_dir: str | Path) -> Path | None:
    """The live version folder, or None when there is no complete index yet."""
    try:
        name = (Path(index_dir) / POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not _VERSION.match(name):
        return None
    path = Path(index_dir) / name
    return path if path.is_dir() else None


def new_build_dir(index_dir: Path) -> Path:
    """A private folder for one build; concurrent builds never share it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / f"tmp-{time.time_ns()}-{os.getpid()}"
    path.mkdir()
    return path


def publish(index_dir: Path, build_dir: Path) -> Path:
    """Rename a finished build to a version folder and point CURRENT at it (caller holds the lock)."""
    version = index_dir / f"v-{time.time_ns()}-{os.getpid()}"
    os.rename(build_dir, version)
    tmp = index_dir / f".{POINTER}.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(version.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / POINTER)
    return version


def cleanup(index_dir: Path, keep: int = 2) -> None:
    """Remove old versions (keeping the live one and the newest `keep` in all) and stale builds.

    The previous version is kept so a process that read CURRENT just before the swap can still
    open it; an already-open searcher keeps working even after its files are unlinked.
    """
    live = current_version(index_dir)
    versions = sorted(
        (p for p in index_dir.iterdir() if p.is_dir() and _VERSION.match(p.name)),
        key=lambda p: int(p.name.split("-")[1]), reverse=True,
    )
    keepers = {live} | set(versions[:keep])
    for path in versions:
        if path not in keepers:
            shutil.rmtree(path, ignore_errors=True)
    now = time.time()
    for path in index_dir.glob("tmp-*"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > STALE_BUILD_SECONDS:
                shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def locked(index_dir: Path) -> Iterator[None]:
    """An exclusive, cross-process lock on the index folder."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def journal_append(index_dir: Path, rec_id: str, status: str) -> None:
    """Record a status change (caller holds the lock) so a build already under way can replay it."""
    with open(index_dir / JOURNAL, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"at": time.time(), "id": rec_id, "status": status}) + "\n")


def journal_since(index_dir: Path, since: float) -> list[dict]:
    """Status changes made at or after `since`, oldest first; unreadable lines are skipped."""
    out = []
    try:
        lines = (index_dir / JOURNAL).read_text(encoding="utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        with contextlib.suppress(ValueError, TypeError, AttributeError):
            entry = json.loads(line)
            if float(entry["at"]) >= since and isinstance(entry["id"], str) and isinstance(entry["status"], str):
                out.append(entry)
    return out


def journal_prune(index_dir: Path, before: float) -> None:
    """Drop entries older than `before` (caller holds the lock): a newer build already has them."""
    keep = journal_since(index_dir, before)
    path = index_dir / JOURNAL
    if not keep:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(e) + "\n" for e in keep), encoding="utf-8")
    os.replace(tmp, path)
