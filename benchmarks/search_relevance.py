"""How well search finds what trainers type: success at 3 and nDCG at 10 over judged queries.

The judgements live in `benchmarks/search_relevance.yml` (review ids graded 2 or 1 per query).
Results are read as the app shows them (relevance order, facets on) and reduced to the order in
which distinct reviews first appear. A query succeeds when a review of its highest grade is among
the first three reviews; nDCG@10 uses the grades as gains over the first ten reviews.
A query judged `want: {}` (the repository holds no learning on its topic) succeeds, with nDCG 1,
when it returns nothing or only closest matches shown as such (no result holds all its words);
`zero_results` counts only the queries that do have learning to find.

    .venv/bin/python benchmarks/search_relevance.py [--db data/reviews.db] [--set tune|held-out|held-out-2|held-out-3|held-out-4|held-out-5|held-out-6|all] [-v]

The index is built fresh from the database into a temporary folder, so the figure always measures
the code as it is. The last line printed is
`queries=N success_at_3=... ndcg_at_10=... zero_results=...`.
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_index import SearchService, build_index  # noqa: E402

JUDGEMENTS = Path(__file__).with_suffix(".yml")


def review_order(hits: list[dict]) -> list[str]:
    """Review ids in the order they first appear among the hits."""
    return list(dict.fromkeys(h["review_id"] for h in hits if h.get("review_id")))


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    gains = [grades.get(r, 0) for r in ranked[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def success(ranked: list[str], grades: dict[str, int], k: int = 3) -> bool:
    top = max(grades.values())
    return any(grades.get(r) == top for r in ranked[:k])


def score(service: SearchService, queries: list[dict], verbose: bool = False) -> dict:
    hits3 = zero = 0
    total_ndcg = 0.0
    for item in queries:
        results = service.search(item["q"], per_page=100)
        ranked = review_order(results.hits)
        if not item["want"]:  # nothing to find: right when nothing is claimed to match it all
            ok = not results.hits or results.closest_only
            hits3 += ok
            total_ndcg += ok
            if verbose and not ok:
                print(f"MISS {item['q']!r} [{item['set']}] want nothing got {ranked[:3]} total={results.total}")
            continue
        ok = success(ranked, item["want"])
        hits3 += ok
        zero += not results.hits
        total_ndcg += ndcg(ranked, item["want"])
        if verbose and not ok:
            print(f"MISS {item['q']!r} [{item['set']}] want {item['want']} got {ranked[:3]} total={results.total}")
    n = len(queries)
    return {"queries": n, "success_at_3": hits3 / n if n else 0.0, "ndcg_at_10": total_ndcg / n if n else 0.0,
            "zero_results": zero}


SETS = ("tune", "held-out", "held-out-2", "held-out-3", "held-out-4", "held-out-5", "held-out-6")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(ROOT / "data" / "reviews.db"))
    ap.add_argument("--set", choices=(*SETS, "all"), default="all")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every query that misses")
    args = ap.parse_args(argv)
    queries = yaml.safe_load(JUDGEMENTS.read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as tmp:
        build_index(args.db, Path(tmp) / "index")
        service = SearchService(Path(tmp) / "index")
        try:
            if args.set == "all":
                for name in SETS:
                    part = score(service, [q for q in queries if q["set"] == name], verbose=args.verbose)
                    print(f"{name}: " + " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                                                 for k, v in part.items()))
            chosen = [q for q in queries if args.set in ("all", q["set"])]
            figures = score(service, chosen)
        finally:
            service.close()
    print(f"queries={figures['queries']} success_at_3={figures['success_at_3']:.3f} "
          f"ndcg_at_10={figures['ndcg_at_10']:.3f} zero_results={figures['zero_results']}")


if __name__ == "__main__":
    main()
