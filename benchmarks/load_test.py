"""Load test: the real app under waitress on a loopback port, readers and concurrent tracker writers.

    .venv/bin/python benchmarks/load_test.py [--clients 20] [--seconds 60] [--writers 4]

It builds a throw-away dataset from reviews/ (ingest build, publish, search index), creates
agency-lead users with `flask --app app user add`, starts `waitress-serve` on a free 127.0.0.1
port and, for --seconds, runs --clients reader threads (search, review and recommendation pages)
and --writers signed-in users posting status updates to their agency's actions (two writers share
each agency, so conflicts happen). It prints requests per second, p50/p95/p99 latency per route
group and the error count, then checks that no update was lost: every accepted (302) update is in
the audit trail, no refused (409 conflict) update is, and every action's state equals the last
audited value of each field. Exit status 0 only when there are no errors, nothing is lost and
search p95 is under --target-p95-ms. Everything is bounded in time and binds only 127.0.0.1.

The helpers (build_dataset, add_user, Server, sign_in, audit_check) are used by tests/test_faults.py.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
PASSWORD = "load test password 1234"
SEARCH_WORDS = ["neglect", "exploitation", "school", "police", "health visitor", "county lines", "domestic abuse",
                "escalation", "information sharing", "missing education", "mental health", "housing",
                "CCE", "neglect -police", '"multi-agency"', "bruis*", "GP OR school", "child", "assessment"]


# --------------------------------------------------------------------------- set-up helpers

def run(cmd: list[str], env: dict | None = None, stdin: str | None = None, timeout: float = 600) -> str:
    out = subprocess.run(cmd, cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr.strip()[-2000:]}")
    return out.stdout


def app_env(data: Path, instance: Path) -> dict:
    env = dict(os.environ)
    env.update(RLR_DATA_DIR=str(data), RLR_INSTANCE_DIR=str(instance), RLR_SECRET_KEY="load-test-secret",
               PYTHONDONTWRITEBYTECODE="1")
    return env


def build_dataset(base: Path, reviews: Path = ROOT / "reviews") -> tuple[Path, Path]:
    """data/ (reviews.db, public.db, search-index) and instance/ (tracker.db) under ``base``."""
    data, instance = base / "data", base / "instance"
    data.mkdir(parents=True, exist_ok=True)
    instance.mkdir(parents=True, exist_ok=True)
    py = str(BIN / "python")
    run([py, "-m", "ingest", "build", str(reviews), str(data / "reviews.db")])
    run([py, "-m", "ingest", "publish", str(data / "reviews.db"), str(instance / "tracker.db"), str(data / "safeguarding-reviews.db")])
    run([py, "-m", "search_index", "build", str(data / "reviews.db"), str(data / "search-index")])
    return data, instance


def add_user(data: Path, instance: Path, name: str, role: str, agency: str | None = None,
             password: str = PASSWORD) -> None:
    cmd = [str(BIN / "flask"), "--app", "app", "user", "add", name, "--role", role]
    if agency:
        cmd += ["--agency", agency]
    run(cmd, env=app_env(data, instance), stdin=password + "\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """waitress-serve app:create_app on a free loopback port, in its own process group."""

    def __init__(self, data: Path, instance: Path, threads: int = 8):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [str(BIN / "waitress-serve"), "--host", "127.0.0.1", "--port", str(self.port), "--threads", str(threads),
             "--call", "app:create_app"],
            cwd=ROOT, env=app_env(data, instance), stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.output()}")
            try:
                status, _, _ = request(self.port, "GET", "/about")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not start within 60 s")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-3000:]

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()  # SIGKILL to this one process (waitress runs threads, not children)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --------------------------------------------------------------------------- HTTP helpers

def request(port: int, method: str, path: str, body: dict | None = None, cookies: dict | None = None,
            conn: http.client.HTTPConnection | None = None, timeout: float = 30) -> tuple[int, dict, str]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {}
    data = None
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        if cookies is not None:
            for k, v in resp.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    value = rest.split(";", 1)[0]
                    if value and "Expires=Thu, 01 Jan 1970" not in v:
                        cookies[name.strip()] = value
                    else:
                        cookies.pop(name.strip(), None)
        return resp.status, hdrs, text
    finally:
        if own:
            conn.close()


def csrf_token(html: str) -> str:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    if not m:
        raise RuntimeError("no CSRF token in the page")
    return m.group(1)


def form_value(html: str, name: str) -> str | None:
    m = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(rf'value="([^"]*)"[^>]*name="{name}"', html)
    return m.group(1) if m else None


def selected_option(html: str, name: str) -> str | None:
    m = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    if not m:
        return None
    sel = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected', m.group(0))
    return (sel.group(1) or sel.group(2)) if sel else None


def sign_in(port: int, name: str, password: str = PASSWORD) -> dict:
    cookies: dict = {}
    status, _, page = request(port, "GET", "/sign-in", cookies=cookies)
    assert status == 200, status
    status, hdrs, _ = request(port, "POST", "/sign-in", {"name": name, "password": password,
                                                       "csrf_token": csrf_token(page), "next": ""}, cookies=cookies)
    if status != 302:
        raise RuntimeError(f"sign-in of {name} failed: {status}")
    return cookies


# --------------------------------------------------------------------------- consistency check

def audit_check(tracker_db: Path, accepted_notes: set[str] = frozenset(), refused_notes: set[str] = frozenset()) -> list[str]:
    """Problems found (empty = consistent): integrity, audit vs state, accepted/refused updates."""
    conn = sqlite3.connect(f"file:{tracker_db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    problems = []
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            problems.append(f"integrity_check: {ok}")
        fields = ("delivery", "assurance", "target_date", "public_evidence", "private_notes")
        for row in conn.execute("SELECT * FROM tracked_actions"):
            changes = conn.execute("SELECT COUNT(DISTINCT change_id) FROM audit WHERE entity = 'action'"
                                   " AND entity_id = ?", (row["action_id"],)).fetchone()[0]
            expected = row["version"] + (1 if row["origin"] == "added" else 0)
            if changes != expected:
                problems.append(f"{row['action_id']}: version {row['version']} but {changes} audited changes")
            for f in fields:
                last = conn.execute("SELECT new_value FROM audit WHERE entity = 'action' AND entity_id = ? AND field = ?"
                                    " ORDER BY id DESC LIMIT 1", (row["action_id"], f)).fetchone()
                if last is not None and (last[0] or "") != (row[f] or ""):
                    problems.append(f"{row['action_id']}.{f} is {row[f]!r}, last audited {last[0]!r}")
        audited = {r[0] for r in conn.execute("SELECT DISTINCT note FROM audit")}
        lost = sorted(accepted_notes - audited)
        if lost:
            problems.append(f"{len(lost)} accepted updates missing from the audit trail, e.g. {lost[:3]}")
        ghost = sorted(refused_notes & audited)
        if ghost:
            problems.append(f"{len(ghost)} refused (conflict) updates appear in the audit trail, e.g. {ghost[:3]}")
    finally:
        conn.close()
    return problems


def writable_actions(reviews_db: Path, tracker_db: Path | None = None) -> dict[str, list[str]]:
    """agency slug -> action ids (from the reviews database) an agency lead may edit."""
    conn = sqlite3.connect(f"file:{reviews_db}?mode=ro", uri=True)
    try:
        out: dict[str, list[str]] = defaultdict(list)
        for action_id, agency in conn.execute("SELECT id, agency FROM agency_actions WHERE agency IS NOT NULL"
                                              " AND recommendation_id IS NOT NULL ORDER BY id"):
            out[agency].append(action_id)
        return dict(out)
    finally:
        conn.close()


def stale_noops(tracker_db: Path, stats: "Stats") -> int:
    """Accepted-but-unaudited updates whose value another accepted update had already set."""
    conn = sqlite3.connect(f"file:{tracker_db}?mode=ro", uri=True)
    try:
        audited = {r[0] for r in conn.execute("SELECT DISTINCT note FROM audit")}
        n = 0
        for note in stats.accepted - audited:
            action_id, value = stats.posted[note]
            n += conn.execute("SELECT 1 FROM audit WHERE entity_id = ? AND field = 'delivery' AND new_value = ?",
                              (action_id, value)).fetchone() is not None
        return n
    finally:
        conn.close()


# --------------------------------------------------------------------------- the load

@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    accepted: set[str] = field(default_factory=set)
    posted: dict[str, tuple[str, str]] = field(default_factory=dict)  # note -> (action id, delivery)
    conflicts: set[str] = field(default_factory=set)
    rejected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, group: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.latencies[group].append(seconds)
            if not ok:
                self.errors.append(f"{group}: {detail}")


def reader(port: int, stop: float, stats: Stats, paths: dict[str, list[str]], seed: int) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    groups = ["search"] * 4 + ["review"] * 3 + ["recommendation"] * 3
    try:
        while time.monotonic() < stop:
            group = rng.choice(groups)
            path = rng.choice(paths[group])
            started = time.perf_counter()
            try:
                status, _, _ = request(port, "GET", path, conn=conn)
                stats.record(group, time.perf_counter() - started, status == 200, f"{status} {path}")
            except (OSError, http.client.HTTPException) as exc:
                stats.record(group, time.perf_counter() - started, False, f"{type(exc).__name__} {path}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    finally:
        conn.close()


def writer(port: int, stop: float, stats: Stats, name: str, actions: list[str], delivery: list[str],
           seed: int, max_updates: int | None = None, abort: threading.Event | None = None) -> None:
    rng = random.Random(seed)
    cookies = sign_in(port, name)
    n = 0
    while time.monotonic() < stop and (max_updates is None or n < max_updates) and not (abort and abort.is_set()):
        action_id = rng.choice(actions)
        path = f"/tracker/actions/{action_id}/edit"
        started = time.perf_counter()
        try:
            status, _, page = request(port, "GET", path, cookies=cookies)
            stats.record("tracker-form", time.perf_counter() - started, status == 200, f"{status} GET {path}")
            if status != 200:
                continue
            current = selected_option(page, "delivery")
            choice = rng.choice([d for d in delivery if d != current])
            note = f"lt-{name}-{n}-{rng.getrandbits(32):08x}"
            n += 1
            body = {"csrf_token": csrf_token(page), "version": form_value(page, "version") or "0",
                    "delivery": choice, "note": note}
            time.sleep(rng.uniform(0, 0.05))  # think time: widens the window for conflicts
            started = time.perf_counter()
            status, _, text = request(port, "POST", path, body, cookies=cookies)
            ok = status in (302, 409)
            stats.record("tracker-update", time.perf_counter() - started, ok, f"{status} POST {path}")
            with stats.lock:
                stats.posted[note] = (action_id, choice)
                if status == 302:
                    stats.accepted.add(note)
                elif status == 409:
                    stats.conflicts.add(note)
                else:
                    stats.rejected.append(f"{status} {note}")
        except (OSError, http.client.HTTPException, RuntimeError) as exc:
            stats.record("tracker-update", time.perf_counter() - started, False, f"{type(exc).__name__}: {exc}")


def read_paths(reviews_db: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(f"file:{reviews_db}?mode=ro", uri=True)
    try:
        reviews = [f"/reviews/{r[0]}" for r in conn.execute("SELECT id FROM reviews")]
        recs = [f"/recommendations/{r[0]}" for r in conn.execute("SELECT id FROM recommendations")]
    finally:
        conn.close()
    search = [f"/search?q={urllib.parse.quote(w)}" for w in SEARCH_WORDS]
    return {"search": search, "review": reviews + ["/reviews"], "recommendation": recs}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def setup_users(data: Path, instance: Path, writers: int) -> list[tuple[str, str, list[str]]]:
    """Two writers per agency (so they collide), as many agencies as needed: (name, agency, actions)."""
    by_agency = writable_actions(data / "reviews.db")
    agencies = sorted(by_agency, key=lambda a: -len(by_agency[a]))
    out = []
    for i in range(writers):
        agency = agencies[(i // 2) % len(agencies)]
        name = f"lead{i}"
        add_user(data, instance, name, "agency-lead", agency)
        out.append((name, agency, by_agency[agency][:3]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    ap.add_argument("--reviews", type=Path, default=ROOT / "reviews")
    ap.add_argument("--target-p95-ms", type=float, default=300)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    args.seconds = min(max(args.seconds, 1), 600)
    args.clients = min(max(args.clients, 1), 200)
    base = Path(tempfile.mkdtemp(prefix="rlr-load-"))
    try:
        t0 = time.perf_counter()
        data, instance = build_dataset(base, args.reviews)
        users = setup_users(data, instance, args.writers)
        print(f"dataset and {len(users)} users ready in {time.perf_counter() - t0:.1f} s", flush=True)
        from core import status as statuses

        delivery = [d["key"] for d in statuses.DELIVERY if d.get("selectable")]
        paths = read_paths(data / "reviews.db")
        stats = Stats()
        with Server(data, instance, threads=args.threads) as server:
            for group in paths:  # warm up each page once (first-request costs are not load)
                request(server.port, "GET", paths[group][0])
            started = time.monotonic()
            stop = started + args.seconds
            threads = [threading.Thread(target=reader, args=(server.port, stop, stats, paths, i), daemon=True)
                       for i in range(args.clients)]
            threads += [threading.Thread(target=writer, args=(server.port, stop, stats, name, actions, delivery, 1000 + i),
                                         daemon=True) for i, (name, _agency, actions) in enumerate(users)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=args.seconds + 60)
            elapsed = time.monotonic() - started
            alive = sum(t.is_alive() for t in threads)
            server_log = server.output()
        problems = audit_check(instance / "tracker.db", stats.accepted, stats.conflicts)
        noops = stale_noops(instance / "tracker.db", stats)
    finally:
        shutil.rmtree(base, ignore_errors=True)

    total = sum(len(v) for v in stats.latencies.values())
    print(f"\n{args.clients} readers + {len(users)} writers for {elapsed:.1f} s: {total} requests, "
          f"{total / elapsed:.1f} req/s, {len(stats.errors)} errors")
    print(f"{'group':16} {'count':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    figures = {"seconds": elapsed, "clients": args.clients, "writers": len(users), "requests": total,
               "rps": total / elapsed, "errors": len(stats.errors), "groups": {}}
    for group, values in sorted(stats.latencies.items()):
        row = {"count": len(values), "rps": len(values) / elapsed, "p50": percentile(values, 50) * 1000,
               "p95": percentile(values, 95) * 1000, "p99": percentile(values, 99) * 1000, "max": max(values) * 1000}
        figures["groups"][group] = row
        print(f"{group:16} {row['count']:7d} {row['rps']:7.1f} {row['p50']:8.1f} {row['p95']:8.1f} "
              f"{row['p99']:8.1f} {row['max']:8.1f}")
    print(f"updates: {len(stats.accepted)} accepted, {len(stats.conflicts)} reported as conflicts (409), "
          f"{len(stats.rejected)} other refusals")
    figures.update(accepted=len(stats.accepted), conflicts=len(stats.conflicts), problems=problems,
                   stale_noops=noops)
    if stats.errors:
        print("first errors:", *stats.errors[:10], sep="\n  ")
        if "Traceback" in server_log:
            print("server log tail:\n" + server_log[-1500:])
    if alive:
        print(f"{alive} client threads did not finish")
    if noops:
        print(f"of the accepted updates missing from the audit trail, {noops} posted a delivery value the action "
              f"already had (a stale form saved as a no-op: 302 without a conflict, the note dropped)")
    print("update accounting:", "every accepted update is in the audit trail and the state matches it"
          if not problems else "PROBLEMS:\n  " + "\n  ".join(problems))
    search_p95 = figures["groups"].get("search", {}).get("p95", float("inf"))
    verdict = not stats.errors and not problems and not alive and search_p95 < args.target_p95_ms
    print(f"search p95 {search_p95:.0f} ms (target {args.target_p95_ms:.0f}); verdict: {'PASS' if verdict else 'FAIL'}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
