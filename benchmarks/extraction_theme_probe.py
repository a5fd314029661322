"""How many one-sentence theme probes (benchmarks/extraction/theme_probes.yml) the theme rules miss.

    .venv/bin/python benchmarks/extraction_theme_probe.py       # counts per list
    .venv/bin/python benchmarks/extraction_theme_probe.py -v    # and each miss

A probe is missed when ingest.themes.choose_themes (no document context) does not give its theme.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.themes import choose_themes  # noqa: E402

PROBES = ROOT / "benchmarks" / "extraction" / "theme_probes.yml"


def main(argv: list[str]) -> None:
    data = yaml.safe_load(PROBES.read_text(encoding="utf-8"))
    for name, probes in data.items():
        missed = [(p["theme"], p["text"], choose_themes(p["text"])) for p in probes
                  if p["theme"] not in choose_themes(p["text"])]
        print(f"{name}: {len(missed)} of {len(probes)} missed")
        if "-v" in argv:
            for theme, text, got in missed:
                print(f"  want {theme}: {text!r} -> {got}")


if __name__ == "__main__":
    main(sys.argv[1:])
