"""Publish from the browser: save the review folder, rebuild, and swap everything live at once.

    1. take the publish lock (one publish at a time, across processes);
    2. stage the managed folder (instance/reviews/) with the change applied, in a private folder;
    3. build reviews.db and the open-data database there, and the search index beside the live one;
    4. only then swap: the index (CURRENT), reviews.db (rename), the open data (copied into the live
       file in one SQLite transaction, so a running Datasette shows it without a restart) and the
       managed folder.
A failure before step 4 leaves everything live exactly as it was; the staging folder is removed.
The live site keeps serving the old data during steps 2-3 (`Result.old_data_seconds`). Only the
changed review is rebuilt and re-indexed (the incremental build of issue 20).
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.atomic import replacing
from ingest.errors import IngestError


@dataclass(frozen=True)
class Targets:
    bundled: Path  # reviews/ (git)
    managed: Path  # instance/reviews/ (the browser's reviews, same format)
    work: Path  # instance/intake/ (locks, staging, withdrawn copies)
    database: Path  # data/reviews.db
    public_db: Path  # data/safeguarding-reviews.db
    index_dir: Path  # data/search-index
    tracker_db: Path  # instance/tracker.db

    @classmethod
    def from_config(cls, config, root: Path) -> "Targets":
        instance = Path(config["TRACKER_DATABASE"]).parent
        return cls(
            bundled=Path(config.get("BUNDLED_REVIEWS_DIR") or root / "reviews"),
            managed=Path(config.get("MANAGED_REVIEWS_DIR") or instance / "reviews"),
            work=Path(config.get("INTAKE_DIR") or instance / "intake"),
            database=Path(config["DATABASE"]), public_db=Path(config["PUBLIC_DATABASE"]),
            index_dir=Path(config["SEARCH_INDEX_DIR"]), tracker_db=Path(config["TRACKER_DATABASE"]))


class PublishFailed(Exception):
    """One line: why nothing was published (what is live is unchanged)."""


@dataclass
class Result:
    reviews: int = 0
    recommendations: int = 0
    warnings: list[str] = field(default_factory=list)
    build_seconds: float = 0.0  # staging and the new index: the live site serves the old data meanwhile
    swap_seconds: float = 0.0  # from the new index going live to the database and open data following
    old_data_seconds: float = 0.0  # from the start of the publish until the new data is live


@contextlib.contextmanager
def publish_lock(work: Path) -> Iterator[None]:
    """Serialise publishes (browser and scripts) with an exclusive flock."""
    work.mkdir(parents=True, exist_ok=True)
    with open(work / "publish.lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _copy_into_live(staged: Path, live: Path) -> None:
    """Replace the live database's contents in one transaction (SQLite's backup API): readers
    that hold it open, such as Datasette, see the old data until the commit and the new after."""
    if not live.exists():
        os.replace(staged, live)
        return
    src = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
    dst = sqlite3.connect(live, timeout=30)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    staged.unlink(missing_ok=True)


def withdrawn_ids(managed: Path) -> set[str]:
    from ingest.records import withdrawn_ids as read_withdrawn

    return read_withdrawn(managed)


def cached_reader(extracted: dict[str, tuple]):
    """read(path) for ingest.build: the extraction already made for a file with these bytes
    (sha256 -> (document, extraction)), else None so the build reads the file itself."""
    import hashlib

    def read(path: Path):
        if not extracted:
            return None
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return extracted.get(digest)

    return read


def rebuild(targets: Targets, managed: Path, staging: Path, extracted: dict | None = None,
            review_id: str | None = None) -> tuple[Path, Path, object]:
    """Build reviews.db and the open data into `staging` from reviews/ + `managed`: only
    `review_id`'s rows (the others copied from the live database) when there is one, else all."""
    from ingest.build import build
    from tracker.publish import publish

    db = staging / "reviews.db"
    incremental = review_id is not None and targets.database.is_file()
    report = build([targets.bundled, managed], db, read=cached_reader(extracted or {}),
                   only=[review_id] if incremental else None, base=targets.database if incremental else None,
                   cache_dir=targets.database.parent / "extract-cache")
    public = staging / targets.public_db.name
    publish(db, targets.tracker_db, public)
    return db, public, report


def run(targets: Targets, change, clock=time.monotonic, extracted: dict | None = None,
        review_id: str | None = None) -> Result:
    """Apply `change(staged_managed_dir)` to a copy of the managed folder, rebuild, swap live.

    `change` writes, replaces or removes one review folder in the copy; with its `review_id` only
    that review is rebuilt and re-indexed (ingest.build only=, search_index.update_reviews)."""
    from search_index import build as index_build

    result = Result()
    with publish_lock(targets.work):
        started = clock()
        staging = targets.work / f"staging-{time.time_ns()}"
        staged_managed = staging / "reviews"
        try:
            staging.mkdir(parents=True)
            if targets.managed.exists():
                shutil.copytree(targets.managed, staged_managed)
            else:
                staged_managed.mkdir()
            change(staged_managed)
            db, public, report = rebuild(targets, staged_managed, staging, extracted, review_id)
            result.reviews, result.recommendations = report.reviews, report.recommendations
            result.warnings = report.warnings
            if review_id is not None:  # written aside; swaps CURRENT only when complete
                index_build.update_reviews(db, targets.index_dir, [review_id])
            else:
                index_build.build_index(db, targets.index_dir)
            built = clock()
            result.build_seconds = built - started
            os.replace(db, targets.database)
            _copy_into_live(public, targets.public_db)
            _swap_folder(targets.managed, staged_managed, staging)
            done = clock()
            result.swap_seconds = done - built
            result.old_data_seconds = done - started
        except PublishFailed:
            raise
        except IngestError as exc:
            raise PublishFailed(f"{Path(exc.path).name if exc.path else 'review'}: {exc.problem}") from None
        except (OSError, sqlite3.Error) as exc:
            raise PublishFailed(f"the rebuild failed ({exc}); the live site is unchanged") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return result


def _swap_folder(live: Path, staged: Path, staging: Path) -> None:
    live.parent.mkdir(parents=True, exist_ok=True)
    old = staging / "previous"
    if live.exists():
        os.rename(live, old)
    os.rename(staged, live)


def save_review(targets: Targets, review_id: str, source: Path, extracted: dict | None = None) -> Result:
    """Publish (or republish) the review folder `source` as managed review `review_id`;
    `extracted` (sha256 -> (document, extraction)) saves reading its documents again."""
    def change(managed: Path) -> None:
        target = managed / review_id
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*"))

    return run(targets, change, extracted=extracted, review_id=review_id)


def with_documents(review_yml: str, documents: list[dict]) -> str:
    """review.yml's text with entries added to its `documents:` list, everything else untouched
    (the curated file keeps its layout and comments). The list must be the file's last section."""
    import yaml

    lines = review_yml.rstrip("\n").split("\n")
    starts = [i for i, line in enumerate(lines) if line.rstrip() == "documents:"]
    if not starts or any(line[:1] not in ("", " ", "-", "#") for line in lines[starts[-1] + 1:]):
        raise PublishFailed("review.yml: its documents list is not its last section; add the report by hand")
    added = "".join(f"  - file: {d['file']}\n    role: {d['role']}\n" for d in documents)
    text = "\n".join(lines) + "\n" + added
    listed = [d["file"] for d in yaml.safe_load(text).get("documents") or []]
    if not all(d["file"] in listed for d in documents):
        raise PublishFailed("review.yml: the new documents could not be listed; add the report by hand")
    return text


def save_bundled(targets: Targets, folder: Path, corrections_text: str | None,
                 new_documents: list[tuple[Path, str]] = (), extracted: dict | None = None) -> Result:
    """Save a bundled review's corrections.yml and any new document (a published report replacing
    its summaries) in reviews/<id>/, where a fresh clone's build reads them, and rebuild; if the
    rebuild fails, the folder is put back exactly as it was."""
    corrections = folder / "corrections.yml"
    review_yml = folder / "review.yml"
    before = {p: p.read_text(encoding="utf-8") if p.exists() else None for p in (corrections, review_yml)}
    copied: list[Path] = []

    def change(_managed: Path) -> None:
        if corrections_text:
            _write(corrections, corrections_text)
        else:
            corrections.unlink(missing_ok=True)
        if new_documents:
            text = with_documents(before[review_yml], [{"file": src.name, "role": role} for src, role in new_documents])
            for src, _role in new_documents:
                if (folder / src.name).exists():
                    raise PublishFailed(f"{src.name}: the review's folder already has a file of that name")
                shutil.copy(src, folder / src.name)
                copied.append(folder / src.name)
            _write(review_yml, text)

    try:
        return run(targets, change, extracted=extracted, review_id=folder.name)
    except PublishFailed:
        for path in copied:
            path.unlink(missing_ok=True)
        for path, text in before.items():
            if text is None:
                path.unlink(missing_ok=True)
            elif path.read_text(encoding="utf-8") != text:
                _write(path, text)
        raise


def _write(path: Path, text: str) -> None:
    """Replace a curated text file whole (a reader sees the old text or the new, never half)."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def save_recurring_correction(targets: Targets, action: str, left: str, right: str, review_id: str) -> Result:
    """Record that two items are not the same ask (split) or are (join) in reviews/'s
    recurring-corrections.yml, where every build reads it, and rebuild (`review_id`: the review of
    the page it was made on; recurring learning is computed again over the whole database). If the
    rebuild fails, the file is put back exactly as it was."""
    from ingest.recurring import CORRECTIONS_FILE
    from ingest.recurring_corrections import CorrectionError, with_correction

    path = targets.bundled / CORRECTIONS_FILE
    before = path.read_text(encoding="utf-8") if path.exists() else None
    try:
        text = with_correction(before, action, left, right)
    except CorrectionError as exc:
        raise PublishFailed(str(exc)) from None
    try:
        return run(targets, lambda _managed: _write(path, text), review_id=review_id)
    except BaseException:
        if before is None:
            path.unlink(missing_ok=True)
        elif path.read_text(encoding="utf-8") != before:
            _write(path, before)
        raise


def set_withdrawn(targets: Targets, review_id: str, withdrawn: bool, reason: str = "") -> Result:
    """Withdraw a review from public view (or restore it): listed in instance/reviews/withdrawn.yml,
    which every build skips; its folder and its tracking history stay."""
    from ingest.records import write_withdrawn

    def change(managed: Path) -> None:
        ids = withdrawn_ids(managed)
        ids = ids | {review_id} if withdrawn else ids - {review_id}
        write_withdrawn(managed, ids)

    return run(targets, change, review_id=review_id)
