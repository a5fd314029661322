"""Command line: write a 7-minute briefing for a review or a theme as a DOCX file.

Example:
    python -m briefings review child-t-2022 -o child-t-briefing.docx
    python -m briefings theme neglect -o neglect-briefing.docx --db data/reviews.db
"""
from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import click

from briefings.content import BriefingNotFound, build
from briefings.docx_writer import write_docx

DEFAULT_DB = Path("data") / "reviews.db"


def _open(db: Path) -> sqlite3.Connection:
    if not db.is_file():
        raise click.ClickException(f"database not found: {db} (build it with `python -m ingest build`)")
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def _write(kind: str, slug: str, out: Path | None, db: Path, base_url: str | None, on: date | None) -> None:
    conn = _open(db)
    try:
        briefing = build(conn, kind, slug, on)
    except BriefingNotFound as exc:
        raise click.ClickException(f"{exc} in {db}") from None
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"cannot read {db}: {exc}") from None
    finally:
        conn.close()
    out = out or Path(f"{slug}-7-minute-briefing.docx")
    try:
        write_docx(briefing, out, base_url)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror}") from None
    click.echo(f"Wrote {out}")


def _options(func):
    func = click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), default=None,
                        help="Date printed on the briefing (default today).")(func)
    func = click.option("--base-url", envvar="RLR_BASE_URL", default=None,
                        help="The app's public address, for links to review pages (env RLR_BASE_URL).")(func)
    func = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
                        show_default=True, help="The reviews database.")(func)
    func = click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
                        default=None, help="DOCX file to write (default SLUG-7-minute-briefing.docx).")(func)
    return click.argument("slug")(func)


@click.group()
def cli() -> None:
    """Write one-page 7-minute briefings from the learning in reviews.db."""


@cli.command()
@_options
def review(slug, out, db, base_url, on):
    """Briefing for one review, by its id (e.g. child-t-2022)."""
    _write("review", slug, out, db, base_url, on.date() if on else None)


@cli.command()
@_options
def theme(slug, out, db, base_url, on):
    """Briefing for a theme, drawing on every review with it (e.g. neglect)."""
    _write("theme", slug, out, db, base_url, on.date() if on else None)
