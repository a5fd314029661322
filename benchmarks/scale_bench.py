"""National scale: full build, adding one review, and search, on N generated review folders.

    .venv/bin/python benchmarks/scale_bench.py --reviews 200 [--queries 40] [--http-seconds 30]

Reviews come from benchmarks/corpus.py (deterministic, cached under benchmarks/.corpus/). In a
fresh work folder it times, as `make build` runs them (one process each):
- full build: `ingest build` + `ingest publish` + `search_index build` of reviews 1..N, cold
  (no extraction cache);
- add one: review N+1 dropped into the folder, then what makes the site and the open data show
  it (`ingest build --only`, `ingest publish`, `search_index build --only` when the incremental
  commands exist, else the same full commands);
- search in the library (SearchService, facets on as /search runs them): p95 per query kind;
  `search_p95_ms` is the worst kind's p95;
- search over HTTP: waitress on loopback (port 5140-5149), 20 concurrent clients on /search.
Peak memory is the largest resident set of any build process (getrusage of the children).
The last line is exactly
`reviews=N full_build_s=... add_one_s=... search_p95_ms=... http_p95_ms=... errors=...`.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402

PY = sys.executable
PORTS = range(5140, 5150)

WORDS = ["neglect", "exploitation", "escalation", "chronologies", "interpreters", "bruising", "caseloads",
         "supervision", "housing", "curiosity", "poverty", "siblings", "school", "police", "overcrowded"]
PHRASES = ['"health visitor"', '"strategy discussion"', '"missing education"', '"domestic abuse"',
           '"professional curiosity"', '"child protection plan"', '"safe sleep"', '"return home interviews"']
PREFIXES = ["escalat*", "assess*", "exploit*", "superv*", "chronolog*", "interpret*", "neglec*", "transf*"]
FACETED = [("", {"theme": ["neglect"]}), ("school", {"kind": ["recommendation"]}),
           ("police", {"agency": ["police"], "year": ["2019"]}), ("", {"kind": ["recommendation"], "type": ["scr"]}),
           ("assessment", {"theme": ["domestic-abuse"], "kind": ["learning-point"]}),
           ("training", {"agency": ["education"]})]
RELAXED = ["how schools share information with police about exploitation",
           "fathers not seen by health visitors", "neglect missed appointments gp",
           "young people going missing from care placements", "escalation when professionals disagree",
           "babies bruising referral protocol"]


def queries() -> dict[str, list[tuple[str, dict]]]:
    return {
        "words": [(w, {}) for w in WORDS], "phrases": [(p, {}) for p in PHRASES],
        "prefixes": [(p, {}) for p in PREFIXES], "facets": FACETED, "relaxed": [(q, {}) for q in RELAXED],
    }


def run(cmd: list[str], cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr.strip()[-3000:]}")
    return time.perf_counter() - started


def has_option(module: str, command: str, option: str) -> bool:
    out = subprocess.run([PY, "-m", module, command, "--help"], cwd=ROOT, capture_output=True, text=True)
    return option in out.stdout


def full_build(reviews: Path, data: Path, instance: Path) -> dict[str, float]:
    times = {"ingest": run([PY, "-m", "ingest", "build", str(reviews), str(data / "reviews.db")])}
    times["publish"] = run([PY, "-m", "ingest", "publish", str(data / "reviews.db"), str(instance / "tracker.db"),
                            str(data / "safeguarding-reviews.db")])
    times["index"] = run([PY, "-m", "search_index", "build", str(data / "reviews.db"), str(data / "search-index"),
                          "--tracker", str(instance / "tracker.db")])
    return times


def add_one(reviews: Path, data: Path, instance: Path, review_id: str) -> dict[str, float]:
    only = ["--only", review_id]
    ingest_only = only if has_option("ingest", "build", "--only") else []
    index_only = only if has_option("search_index", "build", "--only") else []
    times = {"ingest": run([PY, "-m", "ingest", "build", str(reviews), str(data / "reviews.db"), *ingest_only])}
    times["publish"] = run([PY, "-m", "ingest", "publish", str(data / "reviews.db"), str(instance / "tracker.db"),
                            str(data / "safeguarding-reviews.db")])
    times["index"] = run([PY, "-m", "search_index", "build", str(data / "reviews.db"), str(data / "search-index"),
                          "--tracker", str(instance / "tracker.db"), *index_only])
    times["incremental"] = float(bool(ingest_only and index_only))
    return times


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def library_search(index_dir: Path, rounds: int) -> dict[str, list[float]]:
    from search_index import SearchService

    service = SearchService(index_dir)
    plan = queries()
    for kind in plan:  # warm up: open the index, fill the facet cache
        for q, filters in plan[kind]:
            service.search(q, filters)
    times: dict[str, list[float]] = {kind: [] for kind in plan}
    for _ in range(rounds):
        for kind, items in plan.items():
            for q, filters in items:
                started = time.perf_counter()
                service.search(q, filters)
                times[kind].append((time.perf_counter() - started) * 1000)
    service.close()
    return times


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def get(port: int, path: str, timeout: float = 60) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def search_paths() -> list[str]:
    paths = []
    for items in queries().values():
        for q, filters in items:
            params = [("q", q)] + [(k, v) for k, values in filters.items() for v in values]
            paths.append("/search?" + urllib.parse.urlencode(params))
    return paths


def http_search(data: Path, instance: Path, clients: int, seconds: float, threads: int) -> tuple[list[float], int, int]:
    port = free_port()
    env = dict(os.environ, RLR_DATA_DIR=str(data), RLR_INSTANCE_DIR=str(instance), RLR_SECRET_KEY="scale-bench",
               PYTHONDONTWRITEBYTECODE="1")
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([str(Path(PY).parent / "waitress-serve"), "--host", "127.0.0.1", "--port", str(port),
                               "--threads", str(threads), "--call", "app:create_app"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"the server exited: {log.read().decode()[-2000:]}")
            try:
                if get(port, search_paths()[0]) == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start within 120 s")
            time.sleep(0.3)
        paths = search_paths()
        stop = time.monotonic() + seconds

        def client(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < stop:
                path = rng.choice(paths)
                started = time.perf_counter()
                try:
                    ok = get(port, path) == 200
                except OSError:
                    ok = False
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    errors[0] += not ok

        workers = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    return latencies, errors[0], len(latencies)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reviews", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=5, help="library search: times each query is run")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--http-seconds", type=float, default=30.0)
    ap.add_argument("--threads", type=int, default=8, help="waitress threads")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the built data here (default: a temp folder)")
    ap.add_argument("--skip-http", action="store_true")
    args = ap.parse_args(argv)
    n = args.reviews

    started = time.perf_counter()
    corpus.generate(range(1, n + 2))
    print(f"corpus: {n + 1} reviews ready in {time.perf_counter() - started:.1f} s ({corpus.CACHE})", flush=True)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="scale-bench-"))
    if work.exists():
        shutil.rmtree(work)
    reviews, data, instance = work / "reviews", work / "data", work / "instance"
    data.mkdir(parents=True)
    instance.mkdir()
    try:
        corpus.link_corpus(reviews, range(1, n + 1))
        full = full_build(reviews, data, instance)
        full_s = sum(full.values())
        peak_full = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"full build: {full_s:.1f} s (ingest {full['ingest']:.1f}, publish {full['publish']:.1f}, "
              f"index {full['index']:.1f}); peak RSS {peak_full:.0f} MB", flush=True)
        print(f"sizes: reviews.db {(data / 'reviews.db').stat().st_size / 2**20:.0f} MB, search index "
              f"{sum(p.stat().st_size for p in (data / 'search-index').rglob('*') if p.is_file()) / 2**20:.0f} MB",
              flush=True)

        corpus.link_corpus(reviews, range(n + 1, n + 2))
        added = add_one(reviews, data, instance, corpus.review_id(n + 1))
        add_s = added["ingest"] + added["publish"] + added["index"]
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"add one ({'incremental' if added['incremental'] else 'full rebuild'}): {add_s:.1f} s "
              f"(ingest {added['ingest']:.1f}, publish {added['publish']:.1f}, index {added['index']:.1f})", flush=True)

        times = library_search(data / "search-index", args.rounds)
        for kind, values in times.items():
            print(f"library {kind}: p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 95):.1f} ms "
                  f"({len(values)} queries)", flush=True)
        search_p95 = max(percentile(v, 95) for v in times.values())

        http_p95, errors = float("nan"), 0
        if not args.skip_http:
            latencies, errors, count = http_search(data, instance, args.clients, args.http_seconds, args.threads)
            http_p95 = percentile(latencies, 95)
            print(f"http: {count} requests in {args.http_seconds:.0f} s ({count / args.http_seconds:.1f}/s) from "
                  f"{args.clients} clients, p50 {statistics.median(latencies):.0f} ms, p95 {http_p95:.0f} ms, "
                  f"{errors} errors", flush=True)
        print(f"peak RSS of build processes: {peak:.0f} MB", flush=True)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"reviews={n} full_build_s={full_s:.1f} add_one_s={add_s:.1f} search_p95_ms={search_p95:.1f} "
          f"http_p95_ms={http_p95:.0f} errors={errors}")


if __name__ == "__main__":
    main()
