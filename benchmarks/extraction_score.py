"""Precision, recall and F1 of the extractor on our own held-out documents.

    .venv/bin/python benchmarks/extraction_score.py            # both sets
    .venv/bin/python benchmarks/extraction_score.py scored -v  # one set, with each miss

Two sets of specs under benchmarks/extraction/ (format: benchmarks/extraction/render.py):
`tuning/` is what the extractor's rules were developed against; `scored/` is held out and was
written before any rule change was made for it. Each spec is rendered to a real file
(HTML, Markdown, text, DOCX, PDF) and run through the real path, ingest.extract.extract_file.

Matching: an expected recommendation (or learning point) matches the extracted one sharing the
most words, when at least 80% of the expected words are found and 60% of the extracted words
are expected (learning points: 70% and 50%, since where one starts is a judgment). Agencies and
themes are (recommendation, slug) pairs on matched recommendations; a missed recommendation's
pairs count as missed. Title: exact match, where the spec gives one.
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.extraction.render import expectations, load_spec, render  # noqa: E402
from ingest.extract import extract_file  # noqa: E402

SETS = ("tuning", "scored", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7")
SPEC_DIR = ROOT / "benchmarks" / "extraction"


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _overlap(expected: str, got: str) -> tuple[float, float]:
    e, g = _words(expected), _words(got)
    if not e or not g:
        return 0.0, 0.0
    common = len(e & g)
    return common / len(e), common / len(g)


def match(expected: list[str], got: list[str], recall: float, precision: float) -> dict[int, int]:
    """expected index -> got index, greedily by best overlap, each extracted item used once."""
    pairs = []
    for i, e in enumerate(expected):
        for j, g in enumerate(got):
            r, p = _overlap(e, g)
            if r >= recall and p >= precision:
                pairs.append((r + p, i, j))
    taken_e: set[int] = set()
    taken_g: set[int] = set()
    result: dict[int, int] = {}
    for _, i, j in sorted(pairs, reverse=True):
        if i not in taken_e and j not in taken_g:
            result[i] = j
            taken_e.add(i)
            taken_g.add(j)
    return result


class Counts:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, expected: set, got: set) -> None:
        self.tp += len(expected & got)
        self.fp += len(got - expected)
        self.fn += len(expected - got)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def score_set(name: str, verbose: bool = False) -> dict[str, tuple[float, float, float]]:
    specs = [load_spec(p) for p in sorted((SPEC_DIR / name).glob("*.yml"))]
    recs, agencies, themes, lps = Counts(), Counts(), Counts(), Counts()
    titles_ok = titles_n = 0
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            path = render(spec, Path(tmp))
            out = extract_file(path)
            exp_recs, exp_lps = expectations(spec)
            got_recs = out["recommendations"]
            m = match([r["text"] for r in exp_recs], [g["text"] for g in got_recs], 0.8, 0.6)
            recs.tp += len(m)
            recs.fn += len(exp_recs) - len(m)
            recs.fp += len(got_recs) - len(m)
            for i, e in enumerate(exp_recs):
                g = got_recs[m[i]] if i in m else {"agencies": [], "themes": []}
                agencies.add(set(e["agencies"]), set(g["agencies"]) if i in m else set())
                themes.add(set(e["themes"]), set(g["themes"]) if i in m else set())
                if verbose and i not in m:
                    print(f"  {spec['name']}: MISSED rec: {e['text'][:90]}")
                elif verbose and (set(e["agencies"]) != set(g["agencies"]) or set(e["themes"]) != set(g["themes"])):
                    print(f"  {spec['name']}: rec {e['text'][:50]!r}: agencies {sorted(g['agencies'])} "
                          f"want {sorted(e['agencies'])}; themes {sorted(g['themes'])} want {sorted(e['themes'])}")
            if verbose:
                for j, g in enumerate(got_recs):
                    if j not in m.values():
                        print(f"  {spec['name']}: EXTRA rec {g['number']}: {g['text'][:90]}")
            got_lps = [lp["text"] for lp in out["learning_points"]]
            ml = match(exp_lps, got_lps, 0.7, 0.5)
            lps.tp += len(ml)
            lps.fn += len(exp_lps) - len(ml)
            lps.fp += len(got_lps) - len(ml)
            if verbose:
                for i, e in enumerate(exp_lps):
                    if i not in ml:
                        print(f"  {spec['name']}: MISSED lp: {e[:90]}")
                for j, g in enumerate(got_lps):
                    if j not in ml.values():
                        print(f"  {spec['name']}: EXTRA lp: {g[:90]}")
            if spec.get("title"):
                titles_n += 1
                titles_ok += out["review"]["title"] == spec["title"]
                if verbose and out["review"]["title"] != spec["title"]:
                    print(f"  {spec['name']}: title {out['review']['title']!r} want {spec['title']!r}")
    figures = {"recommendations": recs.prf(), "agencies": agencies.prf(), "themes": themes.prf(),
               "learning points": lps.prf()}
    print(f"{name} ({len(specs)} documents, {recs.tp + recs.fn} recommendations, {lps.tp + lps.fn} learning points)")
    for what, (p, r, f) in figures.items():
        print(f"  {what:16} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    if titles_n:
        print(f"  {'titles':16} {titles_ok}/{titles_n} right")
    return figures


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    names = [a for a in argv if a in SETS] or list(SETS)
    for name in names:
        score_set(name, verbose)


if __name__ == "__main__":
    main(sys.argv[1:])
