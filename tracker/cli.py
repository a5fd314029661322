"""`publish`: write the open data (reviews.db plus the tracker's public statuses)."""
from __future__ import annotations

import sqlite3

import click

from tracker.publish import PublishError, publish


@click.command("publish")
@click.argument("reviews_db", type=click.Path(exists=True, dir_okay=False))
@click.argument("tracker_db", type=click.Path(dir_okay=False))
@click.argument("public_db", type=click.Path(dir_okay=False))
def publish_command(reviews_db: str, tracker_db: str, public_db: str) -> None:
    """Write PUBLIC_DB: REVIEWS_DB plus public statuses from TRACKER_DB (which may not exist yet).

    \b
    Example:
        rlr publish data/reviews.db instance/tracker.db data/safeguarding-reviews.db
    """
    try:
        result = publish(reviews_db, tracker_db, public_db)
    except (PublishError, sqlite3.Error) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{public_db}: cannot write ({exc.strerror or exc}); the previous one is unchanged") \
            from None
    source = "tracker" if result["tracker"] else "ingested agency actions only (no tracker)"
    click.echo(
        f"Published {public_db}: {result['recommendations']} recommendations, statuses from {source}; "
        f"{result['tracked_recommendations']} tracked recommendations, {result['tracked_actions']} actions."
    )
