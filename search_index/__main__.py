"""`python -m search_index build DB INDEX_DIR [--tracker TRACKER_DB]` and a `search` command to try it."""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import click

from search_index.build import build_index
from search_index.service import SearchService


def tracker_statuses(tracker_db: Path, reviews_db: Path) -> dict:
    """Statuses by the tracker's rules; with no tracker.db yet they come from the sources' actions."""
    from tracker.public import recommendation_statuses
    from tracker.store import connect

    if tracker_db.is_file():
        tracker_conn = sqlite3.connect(f"file:{tracker_db.resolve()}?mode=ro", uri=True)
        tracker_conn.row_factory = sqlite3.Row
    else:
        click.echo(f"{tracker_db} not found yet: statuses come from the reviews' reported actions", err=True)
        tracker_conn = connect(":memory:")  # an empty tracker, never written to disk
    reviews_conn = sqlite3.connect(f"file:{reviews_db.resolve()}?mode=ro", uri=True)
    try:
        return recommendation_statuses(tracker_conn, reviews_conn)
    finally:
        tracker_conn.close()
        reviews_conn.close()


@click.group()
def cli() -> None:
    """Build and query the search index."""


@cli.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("index_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--tracker", "tracker_db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="instance/tracker.db, for recommendation statuses")
def build(db: Path, index_dir: Path, tracker_db: Path | None) -> None:
    """Build INDEX_DIR from the reviews database DB and make it live atomically."""
    try:
        statuses = tracker_statuses(tracker_db, db) if tracker_db else None
        version = build_index(db, index_dir, statuses)
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


if __name__ == "__main__":
    cli()
