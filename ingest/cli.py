"""`python -m ingest ...`: a thin Click layer over the library; errors are one clean line."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import click

from ingest.errors import IngestError

DISTRIBUTION = "safeguarding-review-learning"  # the version is read from its metadata (pyproject.toml)


def _fail(exc: IngestError) -> click.ClickException:
    return click.ClickException(str(exc))


def _cannot_write(path: Path, exc: Exception) -> click.ClickException:
    """A full disk or read-only folder: one line; the old database is untouched (ingest.atomic)."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return click.ClickException(f"{path}: cannot write the database ({reason}); the previous one is unchanged")


@click.group()
@click.version_option(package_name=DISTRIBUTION, prog_name="ingest")
def cli() -> None:
    """Turn safeguarding review documents into structured learning in SQLite."""


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["json"]), default="json", show_default=True)
def extract(file: Path, output_format: str) -> None:
    """Print what one document holds, as JSON, without touching any database.

    Example:

        python -m ingest extract reviews/jacob-2021/learning-summary.md
    """
    from ingest.extract import extract_file

    if not file.exists():
        raise click.ClickException(f"{file}: no such file")
    try:
        result = extract_file(file)
    except IngestError as exc:
        raise _fail(exc) from None
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@cli.command()
@click.argument("reviews_dir", default="reviews", type=click.Path(exists=True, file_okay=False, path_type=Path))
def validate(reviews_dir: Path) -> None:
    """Check every review.yml and corrections.yml against the format.

    Example:

        python -m ingest validate reviews/
    """
    from ingest.build import validate as validate_reviews

    try:
        count = validate_reviews(reviews_dir)
    except IngestError as exc:
        raise _fail(exc) from None
    click.echo(f"{count} reviews valid")


@cli.command()
@click.argument("reviews_dir", default="reviews", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("db_path", default="data/reviews.db", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--keep-going", is_flag=True, help="Record unreadable documents in ingest_errors instead of stopping.")
@click.option("--also", "also", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Another folder of reviews, such as instance/reviews (the browser's); skipped if missing.")
@click.option("--only", "only", multiple=True, metavar="REVIEW_ID",
              help="Add, replace or remove just this review (repeatable) in the existing database.")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Extraction processes (default: every core).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Extraction cache folder (default: RLR_EXTRACT_CACHE, else extract-cache/ beside the database).")
def build(reviews_dir: Path, db_path: Path, keep_going: bool, also: tuple[Path, ...], only: tuple[str, ...],
          workers: int | None, cache_dir: Path | None) -> None:
    """Build the reviews database from scratch; the old one stays until the new one is complete.

    Documents whose content and extractor are unchanged come from the extraction cache.

    Example:

        python -m ingest build reviews/ data/reviews.db   (these two are the defaults)
        python -m ingest build reviews/ data/reviews.db --only jacob-2021   (one review, in seconds)
    """
    from ingest.build import build as build_db

    try:
        report = build_db([reviews_dir, *also] if also else reviews_dir, db_path, keep_going=keep_going,
                          only=only or None, cache_dir=cache_dir, workers=workers)
    except IngestError as exc:
        raise _fail(exc) from None
    except (OSError, sqlite3.Error) as exc:
        raise _cannot_write(db_path, exc) from None
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for error in report.errors:
        click.echo(f"Skipped: {error['file']}: {error['error']}", err=True)
    click.echo(
        f"{db_path}: {'updated ' + ', '.join(only) + ': ' if only else ''}{report.reviews} reviews, {report.documents} documents, "
        f"{report.recommendations} recommendations, {report.learning_points} learning points"
    )

