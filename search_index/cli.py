"""`build DB INDEX_DIR` and a `search` command to try it (`rlr index`, `rlr search`, `python -m search_index`)."""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import click

from search_index.build import build_index, update_reviews
from search_index.service import SearchService


@click.group()
def cli() -> None:
    """Build and query the search index."""


@cli.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("index_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--tracker", "tracker_db", type=click.Path(dir_okay=False, path_type=Path), default=None, hidden=True,
              help="Ignored (kept so old scripts still run): the index holds no status.")
@click.option("--only", "only", multiple=True, metavar="REVIEW_ID",
              help="Re-index just this review's documents (repeatable); the rest of the live index is kept.")
def build(db: Path, index_dir: Path, tracker_db: Path | None, only: tuple[str, ...]) -> None:
    """Build INDEX_DIR from the reviews database DB and make it live atomically."""
    try:
        version = update_reviews(db, index_dir, only) if only else build_index(db, index_dir)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise click.ClickException(f"{index_dir}: cannot build the index ({reason}); the live index is unchanged") \
            from None
    click.echo(f"search index ready: {version}")


@cli.command()
@click.argument("index_dir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("query")
@click.option("--per-page", default=10, show_default=True)
def search(index_dir: Path, query: str, per_page: int) -> None:
    """Print the first page of results for QUERY as JSON."""
    results = SearchService(index_dir).search(query, per_page=per_page)
    json.dump({"total": results.total, "suggestion": results.suggestion, "index_missing": results.index_missing,
               "hits": [{k: h[k] for k in ("kind", "id", "title", "url", "snippet")} for h in results.hits]},
              sys.stdout, indent=2)
    sys.stdout.write("\n")

