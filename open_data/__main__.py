"""python -m open_data data/safeguarding-reviews.db [--immutable] [datasette serve options]"""
import sys

from datasette.cli import cli

from open_data import serve_args

if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit("usage: python -m open_data DATABASE [--immutable] [datasette serve options]")
    immutable = "--immutable" in args
    extra = [a for a in args[1:] if a != "--immutable"]
    cli.main(args=serve_args(args[0], *extra, immutable=immutable), prog_name="python -m open_data")
