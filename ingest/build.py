"""Build `reviews.db` from `reviews/`: curated YAML + extracted documents + a person's corrections.

Order of precedence, lowest first: what the extractor found, what review.yml says, what
corrections.yml says. Corrections are keyed by published numbers, so they survive re-ingest.
"""
from __future__ import annotations

import errno
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest import ids
from ingest.errors import IngestError, InvalidSource
from ingest.extract_cache import ExtractCache, paragraphs
from ingest.load import replace_reviews, vocabulary_rows, write_database
from ingest.records import document_files, load_corrections, load_review, review_folders, review_folders_in

PROGRESS_THRESHOLD = 5  # more documents than this get a progress bar


@dataclass
class BuildReport:
    reviews: int = 0
    documents: int = 0
    recommendations: int = 0
    learning_points: int = 0
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def vocabulary() -> dict[str, set[str]]:
    rows = vocabulary_rows()
    return {kind: {r["slug"] for r in rows[kind]} for kind in rows}


def _read(path: Path):
    """Read and extract one document; imported late so `validate` works without the readers."""
    from ingest.extract import extract
    from ingest.readers import read_document

    document = read_document(path)
    return document, extract(document)


def _apply_fixes(items: dict[str, dict], fixes: dict, label: str, where: str, report: BuildReport) -> dict[str, dict]:
    """Apply corrections keyed by number; a correction naming a missing item is a warning."""
    for key, fix in fixes.items():
        if key not in items:
            report.warnings.append(f"{where}: correction for {label} {key} matches nothing extracted")
            continue
        if fix == "drop":
            del items[key]
            continue
        item = items[key]
        for field_name in ("text", "agencies", "themes", "rec_type", "page", "number"):
            if field_name in fix:
                item[field_name] = fix[field_name]
        item["origin"] = "corrected"
    return _renumbered(items, where, report)


def _renumbered(items: dict[str, dict], where: str, report: BuildReport) -> dict[str, dict]:
    """Re-key items whose correction gave a new number (Word numbering that ran on from an earlier
    list); a new number that collides with another item's is a warning and the first is kept."""
    if not any("number" in item and str(item["number"]) != key for key, item in items.items()):
        return items
    out: dict[str, dict] = {}
    for key, item in items.items():
        number = str(item.get("number") or key)
        if number in out:
            report.warnings.append(f"{where}: renumbering gives {number} twice; keeping the first")
            continue
        out[number] = {**item, "number": number}
    return out


def _fixed_actions(actions: list[dict], fixes: dict, where: str, report: BuildReport) -> list[dict]:
    """Action-plan rows corrected by their 1-based order: link to a recommendation, fix, or drop."""
    for key in fixes:
        if not key.isdigit() or not 1 <= int(key) <= len(actions):
            report.warnings.append(f"{where}: correction for action row {key} matches nothing extracted")
    out = []
    for n, act in enumerate(actions, 1):
        fix = fixes.get(str(n))
        if fix == "drop":
            continue
        out.append({**act, **{k: v for k, v in (fix or {}).items()
                              if k in ("recommendation", "agency", "action", "due", "status")}})
    return out


def _aliases(review_id: str, summaries: list[dict], published: list[dict]) -> list[dict]:
    """Map each retired summary to what replaced it, so tracked statuses follow it."""
    aliases = []
    for summary in summaries:
        targets = summary.get("replaced_by") or [
            p["number"] for p in published if set(p.get("agencies", [])) & set(summary.get("agencies", []))
        ]
        if targets:
            aliases.append({
                "old_id": ids.recommendation_id(review_id, summary["number"]),
                "new_id": ids.recommendation_id(review_id, targets[0]),
                "reason": "summary replaced by the published recommendation",
            })
    return aliases


def build_review(folder: Path, record: dict, vocab: dict[str, set[str]], report: BuildReport,
                 keep_going: bool = False, on_document: Callable[[], None] | None = None,
                 read: Callable[[Path], tuple] | None = None) -> dict:
    """One review record ready for ingest.load, from its folder and its validated review.yml.

    `read(path) -> (document, extraction) or None` comes first when given (None: read the file):
    the browser intake passes the extraction it already made, so its preview and its publish run
    this same code without reading a long report twice."""
    corrections = load_corrections(folder, vocab)
    documents, learning_points, extracted_recs, extracted_actions = [], [], [], []
    extracted_meta: dict = {}
    for path, role in document_files(folder, record):
        try:
            document, extraction = (read and read(path)) or _read(path)
        except IngestError as exc:
            if not keep_going:
                raise
            report.errors.append({"file": str(path), "error": exc.problem})
            continue
        finally:
            if on_document:
                on_document()
        report.documents += 1
        documents.append({
            "file": path.name, "format": document.format, "role": role or _guess_role(path),
            "sha256": document.sha256, "pages": document.pages, "parser": document.parser,
            "parser_version": document.parser_version, "paragraphs": paragraphs(document),
        })
        for key, value in extraction.get("review", {}).items():
            if value and not extracted_meta.get(key):
                extracted_meta[key] = value
        for lp in extraction.get("learning_points", []):
            learning_points.append({**lp, "document": path.name, "origin": "extracted"})
        for rec in extraction.get("recommendations", []):
            extracted_recs.append({**rec, "wording": "published", "document": path.name,
                                   "origin": "extracted", "source_url": record.get("report_url")})
        extracted_actions += extraction.get("agency_actions", [])

    for key in ("title", "subject", "review_type", "publisher", "published"):
        if not record.get(key) and extracted_meta.get(key):
            record[key] = extracted_meta[key]
    for key, value in (corrections["review"] or {}).items():
        record[key] = value

    # Recommendations: published wording from documents replaces the summaries in review.yml.
    summaries = [r for r in record["recommendations"] if r["wording"] == "summary"]
    curated_published = [r for r in record["recommendations"] if r["wording"] == "published"]
    recs: dict[str, dict] = {}
    for i, rec in enumerate(extracted_recs + curated_published, 1):
        number = str(rec.get("number") or f"U{i}")  # unnumbered: stable only while order holds
        if number in recs:
            report.warnings.append(f"{folder.name}: recommendation number {number} appears twice; keeping the first")
            continue
        recs[number] = {**rec, "number": number}
    if recs:
        record["aliases"] = _aliases(folder.name, summaries, list(recs.values()))
    else:
        record["aliases"] = []
        recs = {r["number"]: dict(r) for r in summaries}
    recs = _apply_fixes(recs, corrections["recommendations"], "recommendation", folder.name, report)
    for added in corrections["add_recommendations"]:
        recs[added["number"]] = {"wording": "published", "agencies": [], "themes": [], **added,
                                 "origin": "added", "source_url": added.get("source_url") or record.get("report_url")}
    record["recommendations"] = list(recs.values())

    lps = {str(i): lp for i, lp in enumerate(learning_points, 1)}
    lps = _apply_fixes(lps, corrections["learning_points"], "learning point", folder.name, report)
    record["learning_points"] = list(lps.values()) + [
        {"themes": [], **lp, "origin": "added"} for lp in corrections["add_learning_points"]
    ]

    numbers = set(recs)
    extracted_actions = _fixed_actions(extracted_actions, corrections["agency_actions"], folder.name, report)
    for act in extracted_actions:
        number = act.get("recommendation")
        record["agency_actions"].append({
            "recommendation": str(number) if number and str(number) in numbers else None,
            "agency": act.get("agency") if act.get("agency") in vocab["agencies"] else None,
            "action": act["action"], "due": act.get("due"), "status": act.get("status"),
            "source_url": record.get("report_url"),
        })
    for act in record["agency_actions"]:
        if act.get("recommendation") and act["recommendation"] not in numbers:
            act["recommendation"] = None  # its summary was retired; the action stays with the review
    record["documents"] = documents
    report.reviews += 1
    report.recommendations += len(record["recommendations"])
    report.learning_points += len(record["learning_points"])
    return record


def _guess_role(path: Path) -> str:
    return "learning-summary" if path.suffix.lower() in (".md", ".markdown", ".txt") else "published-report"


def default_cache_dir(db_path: str | Path) -> Path:
    """Where extractions are cached unless told otherwise: RLR_EXTRACT_CACHE, else beside the database."""
    return Path(os.environ.get("RLR_EXTRACT_CACHE") or Path(db_path).parent / "extract-cache")


def _check_action_ids(records_in: list[tuple[Path, dict]], taken: dict[str, str] | None = None) -> None:
    """An explicit agency action id is used once across all reviews (`taken`: id -> review already loaded)."""
    explicit: dict[str, str] = dict(taken or {})
    for folder, record in records_in:
        ids_here = [a.get("id") for a in record["agency_actions"] if a.get("id")]
        for act_id in ids_here:
            if explicit.setdefault(act_id, folder.name) != folder.name or ids_here.count(act_id) > 1:
                raise InvalidSource(folder / "review.yml", f"agency action id {act_id} is used more than once")


def _extracted(paths: list[Path], cache: ExtractCache, workers: int | None, progress: bool | None) -> None:
    """Fill the cache for `paths` (a pool over the cores for the misses)."""
    bar = None
    if progress if progress is not None else len(paths) > PROGRESS_THRESHOLD:
        from tqdm import tqdm

        bar = tqdm(total=len(paths), unit="doc", desc="ingest", file=sys.stderr)
    try:
        cache.fill(paths, workers, bar.update if bar else None)
    finally:
        if bar:
            bar.close()


def build(reviews_dir: str | Path | list, db_path: str | Path, keep_going: bool = False,
          progress: bool | None = None, read: Callable[[Path], tuple | None] | None = None, *,
          only: Iterable[str] | None = None, base: str | Path | None = None,
          cache_dir: str | Path | None = None, workers: int | None = None) -> BuildReport:
    """Build the whole database, or raise and leave the old one exactly as it was.

    `reviews_dir` may be a list of folders (reviews/ and the browser's managed folder).
    `read(path) -> (document, extraction) or None` is asked first (the intake's own extractions).
    `only`: review ids to add, replace or (when their folder is gone or withdrawn) remove; every
    other review is copied unchanged from `base` (default: `db_path` itself), in one transaction
    on a copy that is renamed into place. Other documents are read through the extraction cache
    (`cache_dir`, default `default_cache_dir(db_path)`), misses in a pool of `workers` processes.
    """
    vocab = vocabulary()
    folders = review_folders_in(reviews_dir)
    wanted = None if only is None else set(only)
    if wanted is not None:
        folders = [f for f in folders if f.name in wanted]
    records_in: list[tuple[Path, dict]] = [(f, load_review(f, vocab)) for f in folders]
    cache = ExtractCache(cache_dir or default_cache_dir(db_path))
    try:
        return _build(reviews_dir, records_in, db_path, vocab, cache, keep_going, progress, read, wanted, base,
                      workers)
    except (OSError, sqlite3.Error) as exc:
        if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "full" in str(exc).lower():
            cache.give_back_space()  # a full disk: the database needs the room more than the cache
        raise


def _build(reviews_dir: str | Path | list, records_in: list[tuple[Path, dict]], db_path: str | Path, vocab: dict[str, set[str]],
           cache: ExtractCache, keep_going: bool, progress: bool | None, read: Callable | None,
           wanted: set[str] | None, base: str | Path | None, workers: int | None) -> BuildReport:
    report = BuildReport()
    given: dict[Path, tuple] = {}
    paths = []
    for folder, record in records_in:
        for path, _ in document_files(folder, record):
            found = read(path) if read else None
            if found:
                given[path] = found
            else:
                paths.append(path)

    def read_document(path: Path) -> tuple:
        return given.pop(path, None) or cache.read(path)

    if wanted is None:
        _check_action_ids(records_in)
        _extracted(paths, cache, workers, progress)
        records = (build_review(folder, record, vocab, report, keep_going, read=read_document)
                   for folder, record in records_in)
        write_database(db_path, records, report.errors)
        return report

    base = Path(base or db_path)
    if not base.is_file():
        raise InvalidSource(base, "is not a reviews database to update: build it in full first")
    _check_action_ids(records_in, _action_ids_elsewhere(base, wanted))
    _extracted(paths, cache, workers, progress)
    records = [build_review(folder, record, vocab, report, keep_going, read=read_document)
               for folder, record in records_in]
    roots = [Path(reviews_dir)] if isinstance(reviews_dir, (str, Path)) else [Path(r) for r in reviews_dir]
    replace_reviews(db_path, base, wanted, records, report.errors, corrections_root=roots[0])
    return report


def _action_ids_elsewhere(db_path: Path, review_ids: set[str]) -> dict[str, str]:
    """Agency action ids already used by reviews not being rebuilt: id -> review id."""
    conn = sqlite3.connect(f"file:{db_path.resolve()}?mode=ro", uri=True)
    try:
        return {act_id: rid for act_id, rid in conn.execute("SELECT id, review_id FROM agency_actions")
                if rid not in review_ids}
    finally:
        conn.close()


def validate(reviews_dir: str | Path) -> int:
    """Check every review.yml and corrections.yml without reading documents; returns the count."""
    vocab = vocabulary()
    folders = review_folders(Path(reviews_dir))
    for folder in folders:
        load_review(folder, vocab)
        load_corrections(folder, vocab)
    return len(folders)
