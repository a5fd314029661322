"""How the open data site is served: Datasette with our metadata, templates and plugins.

`python -m open_data DB [datasette serve options]` is the one place the arguments live; the
Makefile and the tests both use it. RLR_BASE_URL (the web app's public address) is the link
back to the site on every Datasette page.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
METADATA = ROOT / "metadata.yml"
TEMPLATES = HERE / "templates"
PLUGINS = HERE / "plugins"


def serve_args(database: str, *extra: str, immutable: bool = False) -> list[str]:
    """`datasette serve` arguments for the published database, plus any `extra` options.

    `immutable` serves a published snapshot read-only (Datasette's -i): cacheable, downloadable.
    """
    return ["serve", *(["-i"] if immutable else []), str(database), "-m", str(METADATA),
            "--template-dir", str(TEMPLATES), "--plugins-dir", str(PLUGINS), *extra]
