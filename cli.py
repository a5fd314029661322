"""`rlr`: the one command line, a Click group in the style of sqlite-utils.

    rlr validate reviews/                       check the review folders
    rlr build reviews/ data/reviews.db          extract and load the reviews database
    rlr extract report.pdf                      print what extraction finds in one document
    rlr publish data/reviews.db instance/tracker.db data/safeguarding-reviews.db
    rlr index data/reviews.db data/search-index build the search index
    rlr search data/search-index "neglect"      try a query
    rlr briefing review child-t-2022 -o b.docx  a 7-minute briefing (or: briefing theme neglect)
    printf 'passphrase\\n' | rlr user add alex --role admin
    rlr backup instance/backups                 copy the tracker database consistently

Each package keeps its own commands (ingest.cli, tracker.cli, search_index.cli, briefings.cli,
views.commands); this module only gathers them. `python -m ingest|search_index|briefings` and
`flask --app app user|backup` run the same command objects.
"""
from __future__ import annotations

import click
from flask.cli import ScriptInfo

from app import create_app
from briefings.cli import cli as briefings_cli
from ingest.cli import DISTRIBUTION
from ingest.cli import cli as ingest_cli
from search_index.cli import cli as search_cli
from tracker.cli import publish_command
from views.commands import backup_command, user_cli


@click.group()
@click.version_option(package_name=DISTRIBUTION, prog_name="rlr")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Safeguarding review learning: build, publish, index and brief from reviews/."""
    ctx.obj = ScriptInfo(create_app=create_app)  # `user` and `backup` start the app only when run


for name in ("validate", "build", "extract"):
    cli.add_command(ingest_cli.commands[name])
cli.add_command(publish_command, "publish")
cli.add_command(search_cli.commands["build"], "index")
cli.add_command(search_cli.commands["search"], "search")
cli.add_command(briefings_cli, "briefing")
cli.add_command(user_cli, "user")
cli.add_command(backup_command, "backup")


if __name__ == "__main__":
    cli()
