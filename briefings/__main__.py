"""`python -m briefings`: see briefings.cli."""
from briefings.cli import cli

cli(prog_name="python -m briefings")
