"""A consistent copy of tracker.db taken while the app runs (SQLite's online backup API)."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path


class BackupError(Exception):
    """The backup could not be made; the message says why in one line."""


def backup(source: str | Path, directory: str | Path) -> Path:
    """Copy `source` into `directory` as tracker-YYYYmmddTHHMMSSZ.db and check the copy."""
    source = Path(source)
    if not source.exists():
        raise BackupError(f"no tracker database at {source}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = directory / f"tracker-{stamp}.db"
    partial = target.with_suffix(".db.partial")
    src = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"the copy in {partial} failed its integrity check")
        dst.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise BackupError(f"backup of {source} failed: {exc}") from exc
    finally:
        dst.close()
        src.close()
    partial.rename(target)
    return target
