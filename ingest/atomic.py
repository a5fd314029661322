"""Write a file beside its target and rename it into place only when complete.

Readers (the app, Datasette, a running search) keep the old file until the rename, and a failure
at any point leaves the old file exactly as it was.
"""
from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


ABANDONED_AFTER_S = 3600  # a build killed mid-way leaves its temporary file; an hour-old one is dead


def _remove_abandoned(target: Path) -> None:
    """Delete temporary files that killed builds left beside the target (never a live build's)."""
    now = time.time()
    for stale in target.parent.glob(f".{target.name}.*.building"):
        try:
            if now - stale.stat().st_mtime > ABANDONED_AFTER_S:
                stale.unlink()
        except OSError:
            pass


@contextmanager
def replacing(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".building", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the databases here are meant to be read
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
