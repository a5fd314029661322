"""The on-disk layout of an index folder and its atomic swap.

    index_dir/CURRENT          name of the live version (replaced with os.replace)
    index_dir/v-<stamp>/       complete Whoosh indexes, one per build
    index_dir/tmp-<stamp>/     a build in progress (renamed to v-... only when complete)

Readers only ever follow CURRENT to a complete folder, so they never see a half-built index.
The index holds no status, so a version is never written after its build: no lock, no journal.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path

POINTER = "CURRENT"
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
    """Rename a finished build to a version folder and point CURRENT at it (os.replace: atomic)."""
    version = index_dir / f"v-{time.time_ns()}-{os.getpid()}"
    os.rename(build_dir, version)
    tmp = index_dir / f".{POINTER}.{os.getpid()}.{time.time_ns()}"
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
