"""Search latency: our Whoosh index (search_index code path) against SQLite FTS5 (porter) as reference.

Builds a synthetic corpus of N documents with a safeguarding vocabulary (Zipf-distributed words,
recurring domain phrases, review/theme/agency/year/type/status facets), indexes it with
`search_index.build.publish_records` and into one FTS5 table, then times the same queries on both:
1-3 word queries, phrases, prefixes, theme-filtered words, and relaxed best match (two words and one
that nothing contains; FTS5 ranks an OR of them). Every query computes what /search shows: top 10
with snippets, the exact total and the counts for every facet. The comparison is fair: both sides
count facets with the same code over the same kind of precomputed sets of document numbers
(`FacetCache.counts`), FTS5's matched row ids being read with one extra SELECT. Prints median and
p95 per kind with the Whoosh/FTS5 ratio, measured side by side in one run; the last line is
`whoosh_p95_ms=... fts5_p95_ms=... ratio=...`.

    .venv/bin/python benchmarks/search_bench.py [--docs 100000] [--queries 200] [--seed 7]
"""
from __future__ import annotations

import random
import sqlite3
from collections import defaultdict
import statistics
import sys
import tempfile
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search_index.build import publish_records  # noqa: E402
from search_index.facets import FacetCache  # noqa: E402
from search_index.service import SearchService  # noqa: E402

DOMAIN = """neglect bruising bruise fracture injury baby infant toddler adolescent teenager child children
parent mother father stepfather partner carer grandparent sibling household family home school college
nursery teacher headteacher nurse midwife doctor paediatrician psychiatrist police officer social worker
practitioner professional manager supervisor agency partnership board hospital emergency department
referral assessment strategy meeting conference plan protection escalation challenge threshold
information sharing record chronology risk vulnerability exploitation county lines grooming trafficking
drugs alcohol substance misuse mental health depression anxiety self-harm suicide overdose domestic abuse
violence coercive control sexual harm online images disability autism learning needs education attendance
exclusion missing episode runaway custody court housing poverty debt eviction overcrowding temporary
accommodation immigration interpreter language culture faith ethnicity racism bias curiosity hypothesis
drift delay caseload workload capacity training supervision guidance procedure policy audit assurance
commissioning service pathway toolkit voice wishes feelings lived experience disguised compliance
engagement cancelled appointments was not brought visits health visitor general practitioner safeguarding
lead designated officer reviewing conference multi-agency hub early help universal services thresholds
covid pandemic lockdown virtual contact safe sleep co-sleeping sudden death infancy head trauma shaken
injuries explanation inconsistent history medical examination skeletal survey child protection medical
placement foster care residential looked after leaving care adoption kinship special guardianship
youth justice offending knife weapons gangs criminal sexual radicalisation prevent extremism forced marriage
genital mutilation honour private fostering elective home education tuition roll absence attendance""".split()
PHRASES = ["voice of the child", "county lines", "information sharing", "disguised compliance",
           "was not brought", "lived experience", "professional curiosity", "early help",
           "child protection plan", "strategy meeting", "domestic abuse", "safe sleep",
           "mental health", "substance misuse", "non-mobile baby", "missing episode"]
THEMES = ["neglect", "physical-abuse", "sexual-abuse", "emotional-abuse", "child-criminal-exploitation",
          "child-sexual-exploitation", "domestic-abuse", "online-harm", "parental-mental-health",
          "parental-substance-misuse", "information-sharing", "risk-assessment", "escalation-and-challenge",
          "voice-of-the-child", "fathers-and-male-carers", "children-missing-education", "safe-sleep",
          "disguised-compliance", "covid-19", "poverty-and-housing", "disabled-children", "children-in-care",
          "race-ethnicity-culture-faith", "early-help"]
AGENCIES = ["police", "childrens-social-care", "education", "health", "primary-care", "mental-health",
            "probation", "youth-justice", "housing", "safeguarding-partnership", "local-authority",
            "voluntary-sector", "ambulance", "early-years", "adult-social-care"]
TYPES = ["cspr", "scr", "partnership-learning-review", "learning-summary", "other"]
STATUSES = ["not-tracked", "awaiting-response", "not-accepted", "not-started", "in-progress", "completed", "assured"]
KIND_WEIGHTS = [("paragraph", 70), ("learning-point", 10), ("recommendation", 10), ("action", 7), ("review", 3)]
TOP_K = 10


def vocabulary(rng: random.Random, filler: int = 20000) -> tuple[list[str], list[float]]:
    """Domain words spread over Zipf ranks among pseudo-words, with Zipf cumulative weights."""
    syllables = ["ka", "to", "ri", "mel", "sen", "dor", "vi", "an", "lu", "pre", "con", "ist", "ment", "al"]
    words = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(filler * 2)}
    words = sorted(words - set(DOMAIN))[:filler]
    rng.shuffle(words)
    domain = [w for w in DOMAIN if "-" not in w]
    ranks = sorted(rng.sample(range(5, 3000), len(domain)))
    for rank, word in zip(ranks, domain):
        words.insert(rank, word)
    cum, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank ** 1.05
        cum.append(total)
    return words, cum


def make_records(n: int, seed: int) -> list[dict]:
    """N synthetic records in search_index's record format."""
    rng = random.Random(seed)
    words, cum = vocabulary(rng)
    n_reviews = max(1, n // 35)
    reviews = [{"id": f"review-{i}", "year": rng.randint(2012, 2025), "type": rng.choice(TYPES),
                "themes": rng.sample(THEMES, rng.randint(1, 4))} for i in range(n_reviews)]
    kinds, weights = zip(*KIND_WEIGHTS)

    def sentence(low: int, high: int) -> str:
        out = rng.choices(words, cum_weights=cum, k=rng.randint(low, high))
        if rng.random() < 0.3:
            out.insert(rng.randrange(len(out) + 1), rng.choice(PHRASES))
        return " ".join(out).capitalize() + "."

    records = []
    for i in range(n):
        review = reviews[i % n_reviews]
        kind = "review" if i < n_reviews else rng.choices(kinds, weights)[0]
        length = (30, 90) if kind in ("paragraph", "review") else (12, 40)
        record = {
            "kind": kind, "id": review["id"] if kind == "review" else f"doc-{i}", "review_id": review["id"],
            "review_title": f"Review {review['id']}", "title": f"{kind} {i}", "heading": "",
            "content": sentence(*length), "url": f"/x/{i}", "year": review["year"],
            "date": review["year"] * 10000 + 100, "review_type": review["type"],
            "themes": rng.sample(review["themes"], rng.randint(1, len(review["themes"]))),
            "agencies": rng.sample(AGENCIES, rng.randint(1, 3)) if kind in ("recommendation", "action") else [],
            "status": rng.choice(STATUSES) if kind == "recommendation" else None,
            "wording": rng.choice(["published", "summary"]) if kind == "recommendation" else None,
            "page": rng.randint(1, 80) if kind == "paragraph" else None,
        }
        if kind == "review":
            record["heading"] = sentence(4, 8)
        records.append(record)
    return records


def build_fts5(path: Path, records: list[dict]) -> sqlite3.Connection:
    """The reference: one FTS5 table (porter) plus facet tables, as a well-tuned SQLite app would have."""
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE VIRTUAL TABLE docs USING fts5(heading, text, body, tokenize='porter');
        CREATE TABLE meta(rowid INTEGER PRIMARY KEY, kind, review, year, type, status, wording, date);
        CREATE TABLE doc_theme(docid INTEGER, theme TEXT);
        CREATE TABLE doc_agency(docid INTEGER, agency TEXT);
    """)
    with conn:
        for rowid, r in enumerate(records, 1):
            body = r["content"] if r["kind"] == "paragraph" else ""
            text = "" if r["kind"] == "paragraph" else r["content"]
            conn.execute("INSERT INTO docs(rowid, heading, text, body) VALUES (?, ?, ?, ?)",
                         (rowid, r["heading"], text, body))
            conn.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (rowid, r["kind"], r["review_id"], str(r["year"]), r["review_type"], r["status"],
                          r["wording"], r["date"]))
            conn.executemany("INSERT INTO doc_theme VALUES (?, ?)", [(rowid, t) for t in r["themes"]])
            conn.executemany("INSERT INTO doc_agency VALUES (?, ?)", [(rowid, a) for a in r["agencies"]])
    conn.executescript("""
        CREATE INDEX doc_theme_docid ON doc_theme(docid, theme);
        CREATE INDEX doc_theme_theme ON doc_theme(theme, docid);
        CREATE INDEX doc_agency_docid ON doc_agency(docid, agency);
        INSERT INTO docs(docs) VALUES ('optimize');
        ANALYZE;
    """)
    return conn


def fts5_facets(conn: sqlite3.Connection) -> FacetCache:
    """The FTS5 side's facet counts, computed the way the Whoosh side computes them: sets of row ids
    per facet value, read once at start-up, then the very same FacetCache counting per query."""
    sets: dict[str, dict[str, frozenset[int]]] = {}
    for column in ("kind", "review", "year", "type", "status", "wording"):
        groups: dict[str, set[int]] = defaultdict(set)
        for rowid, value in conn.execute(f"SELECT rowid, {column} FROM meta WHERE {column} IS NOT NULL"):
            groups[str(value)].add(rowid)
        sets[column] = {k: frozenset(v) for k, v in groups.items()}
    for facet, table in (("theme", "doc_theme"), ("agency", "doc_agency")):
        groups = defaultdict(set)
        for docid, value in conn.execute(f"SELECT docid, {facet} FROM {table}"):
            groups[value].add(docid)
        sets[facet] = {k: frozenset(v) for k, v in groups.items()}
    all_docs = frozenset(r[0] for r in conn.execute("SELECT rowid FROM meta"))
    return FacetCache.from_sets(sets, all_docs)


def fts5_match(query: dict) -> str:
    parts = [f'"{p}"' for p in query["fts"]]
    if query["kind"] == "prefix":
        parts[-1] = parts[-1].strip('"') + "*"
    return (" OR " if query["kind"] == "relaxed" else " ").join(parts)


def fts5_search(engine: tuple, query: dict) -> int:
    """Top 10 with snippets, the exact total and every facet's counts from the same sets as Whoosh."""
    conn, facets = engine
    match = fts5_match(query)
    rows = conn.execute(
        f"SELECT rowid, snippet(docs, -1, '<mark>', '</mark>', '…', 24) FROM docs WHERE docs MATCH ? "
        f"ORDER BY bm25(docs, 4.0, 2.0, 1.0) LIMIT {TOP_K * 4 if query.get('filter') else TOP_K}",
        [match]).fetchall()
    matched = {r[0] for r in conn.execute("SELECT rowid FROM docs WHERE docs MATCH ?", [match])}
    if query.get("filter"):
        allowed = facets.sets["theme"].get(query["filter"], frozenset())
        matched &= allowed
        rows = [r for r in rows if r[0] in allowed][:TOP_K]
    facets.counts(matched)
    return len(matched)


def whoosh_search(service: SearchService, query: dict) -> int:
    parts = [f'"{p}"' if " " in p else p for p in query["fts"]]
    if query["kind"] == "prefix":
        parts[-1] += "*"
    text = " ".join(parts)
    filters = {"theme": [query["filter"]]} if query.get("filter") else {}
    results = service.search(text, filters, per_page=TOP_K)  # facets on, as /search runs it
    return results.total


KINDS = ("words", "phrase", "prefix", "faceted", "relaxed")


def make_queries(count: int, seed: int) -> list[dict]:
    """Words, phrases, prefixes, theme-filtered words and relaxed best match (one word nothing has)."""
    rng = random.Random(seed + 1)
    words = [w for w in DOMAIN if "-" not in w]
    long_words = [w for w in words if len(w) >= 6]
    queries = [{"kind": "words", "fts": rng.sample(words, rng.choice([1, 1, 2, 2, 3]))} for _ in range(count)]
    queries += [{"kind": "phrase", "fts": [rng.choice(PHRASES)]} for _ in range(count // 4)]
    queries += [{"kind": "prefix", "fts": [w[:rng.randint(4, len(w) - 1)] for w in rng.sample(long_words, 1)]}
                for _ in range(count // 4)]
    queries += [{"kind": "faceted", "fts": rng.sample(words, rng.choice([1, 2])), "filter": rng.choice(THEMES)}
                for _ in range(count // 4)]
    queries += [{"kind": "relaxed", "fts": rng.sample(words, 2) + ["zqxwvk"]} for _ in range(count // 4)]
    rng.shuffle(queries)
    return queries


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


@click.command()
@click.option("--docs", default=100_000, show_default=True, help="documents in the synthetic corpus")
@click.option("--queries", default=200, show_default=True, help="word queries (plus a quarter as many "
              "phrase and a quarter as many faceted queries)")
@click.option("--seed", default=7, show_default=True)
@click.option("--procs", default=1, show_default=True, help="Whoosh indexing processes")
@click.option("--workdir", type=click.Path(file_okay=False), default=None,
              help="keep the two indexes here and reuse them next time (same --docs and --seed)")
def main(docs: int, queries: int, seed: int, procs: int, workdir: str | None) -> None:
    started = time.perf_counter()
    records = make_records(docs, seed)
    click.echo(f"corpus: {len(records)} documents in {time.perf_counter() - started:.1f}s")
    with tempfile.TemporaryDirectory(prefix="search-bench-") as scratch:
        tmp = Path(workdir) if workdir else Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        if not (tmp / "fts.db").exists():  # --workdir keeps both builds for the next run
            t0 = time.perf_counter()
            publish_records(records, Path(tmp) / "index", limitmb=512, procs=procs)
            click.echo(f"whoosh build: {time.perf_counter() - t0:.1f}s")
            t0 = time.perf_counter()
            build_fts5(Path(tmp) / "fts.db", records).close()
            click.echo(f"fts5 build: {time.perf_counter() - t0:.1f}s")
        conn = sqlite3.connect(Path(tmp) / "fts.db")
        t0 = time.perf_counter()
        fts = (conn, fts5_facets(conn))
        click.echo(f"fts5 facet sets: {time.perf_counter() - t0:.2f}s")
        service = SearchService(Path(tmp) / "index")
        t0 = time.perf_counter()
        service.search("warm up")
        click.echo(f"whoosh open (searcher + facet cache): {time.perf_counter() - t0:.2f}s")
        plan = make_queries(queries, seed)
        for query in plan[:20]:  # warm caches on both sides; not timed
            whoosh_search(service, query)
            fts5_search(fts, query)
        timings: dict[str, dict[str, list[float]]] = {"whoosh": {}, "fts5": {}}
        agree = compared = 0
        for query in plan:
            totals = {}
            for engine, run, target in (("whoosh", whoosh_search, service), ("fts5", fts5_search, fts)):
                t0 = time.perf_counter()
                totals[engine] = run(target, query)
                elapsed = (time.perf_counter() - t0) * 1000
                timings[engine].setdefault(query["kind"], []).append(elapsed)
                timings[engine].setdefault("all", []).append(elapsed)
            if query["kind"] in ("phrase", "faceted"):  # same matching rules on both sides
                compared += 1
                agree += abs(totals["whoosh"] - totals["fts5"]) <= 0.02 * max(totals.values())
        service.close()
        conn.close()
    click.echo(f"phrase and faceted queries whose exact totals agree within 2%: {agree}/{compared}")
    for kind in (*KINDS, "all"):
        line = [f"{kind:8s} n={len(timings['whoosh'][kind]):4d}"]
        for engine in ("whoosh", "fts5"):
            median, p95 = summary(timings[engine][kind])
            line.append(f"{engine} median={median:7.2f}ms p95={p95:7.2f}ms")
        line.append(f"ratio_p95={summary(timings['whoosh'][kind])[1] / summary(timings['fts5'][kind])[1]:.2f}")
        click.echo("  ".join(line))
    whoosh_p95 = summary(timings["whoosh"]["all"])[1]
    fts5_p95 = summary(timings["fts5"]["all"])[1]
    click.echo(f"whoosh_p95_ms={whoosh_p95:.1f} fts5_p95_ms={fts5_p95:.1f} ratio={whoosh_p95 / fts5_p95:.2f}")


if __name__ == "__main__":
    main()
