"""`python -m search_index`: see search_index.cli."""
from search_index.cli import cli

cli(prog_name="python -m search_index")
