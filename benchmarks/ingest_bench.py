"""Time reading a 60-page report against raw pypdfium2 text extraction of the same file.

The report is realistic: --recommendations (default 25; real reports have 10-40) from the
scale corpus generator (benchmarks/corpus.py), each repeated in a recommendations table as real
reports do, varied background paragraphs, findings, a two-column page and a 24-row action plan.

Run: .venv/bin/python benchmarks/ingest_bench.py [--pages 60] [--repeats 5]
The last line is exactly ``extract_s=... raw_s=... ratio=...`` (best of the repeats);
the target is ratio <= 6 (issue 20). It times ingest.extract.extract_file when that exists, else
ingest.readers.read_document alone (reported on an earlier line).
"""
from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypdfium2 as pdfium  # noqa: E402

from benchmarks import corpus  # noqa: E402
from tests import docgen  # noqa: E402


def raw_text(path: Path) -> list[str]:
    """The baseline: pdfium text of every page, no layout work at all."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        pdf.close()


def extractor() -> tuple[str, Callable[[Path], object]]:
    """extract_file once ingest/extract.py exists (its own import errors surface), else the reader."""
    if importlib.util.find_spec("ingest.extract") is None:
        from ingest.readers import read_document
        return "ingest.readers.read_document", read_document
    from ingest.extract import extract_file
    return "ingest.extract.extract_file", extract_file


def best_of(fn: Callable[[Path], object], path: Path, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn(path)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--recommendations", type=int, default=25)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        actions = [[str(i), f"Action {i} for the partnership", "Police", "2024-03", "In progress"] for i in range(1, 25)]
        rng = random.Random(20)
        recs = [f"{who} {rng.choice(corpus.VERBS)} {obj}{rng.choice(corpus.QUALIFIERS)}."
                for (who, _), obj in zip((rng.choice(corpus.ADDRESSEES) for _ in corpus.OBJECTS),
                                         rng.sample(corpus.OBJECTS, args.recommendations))]
        paragraphs = [corpus._paragraph(rng) for _ in range(args.pages * 8)]
        docgen.make_report_pdf(path, pages=args.pages, two_column=(docgen.DEFAULT_FINDINGS, docgen.DEFAULT_FINDINGS),
                               action_plan=actions, recommendations=recs, findings=corpus.FINDINGS[:6],
                               filler_text=lambda i: paragraphs[i % len(paragraphs)])
        name, fn = extractor()
        fn(path)  # warm up imports and caches for both sides
        raw_text(path)
        extract_s = best_of(fn, path, args.repeats)
        raw_s = best_of(raw_text, path, args.repeats)
    print(f"timed {name} on a {args.pages}-page report with {args.recommendations} recommendations, "
          f"best of {args.repeats}")
    print(f"extract_s={extract_s:.4f} raw_s={raw_s:.4f} ratio={extract_s / raw_s:.1f}")


if __name__ == "__main__":
    main()
