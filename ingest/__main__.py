"""`python -m ingest`: the ingest commands, and `publish` (which reads the tracker, a layer above)."""
from ingest.cli import cli
from tracker.cli import publish_command

cli.add_command(publish_command)
cli(prog_name="python -m ingest")
