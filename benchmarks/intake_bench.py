"""Time the browser intake from upload to published for a long report, and how long the live site
serves the old data while the new data is built.

Run: .venv/bin/python benchmarks/intake_bench.py [--pages 100]
It builds a throw-away site from the nine bundled reviews, then through the app (Flask test client,
extraction in its background thread) uploads a generated report PDF and a DOCX action plan, reads
them, renders the preview and publishes. While the publish runs, one thread asks the live app for
the new review's page and another reads the open-data file, every 20 ms: before the swap they must
see the old data (404 / no row), after it the new, and never an error.
The last line is exactly ``upload_to_published_s=... old_data_s=... swap_ms=... errors=...``.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.docgen import DEFAULT_RECOMMENDATIONS, make_report_pdf  # noqa: E402
from tests.intake_support import (NEW_REVIEW, PLAN_ROWS, make_action_plan_docx, make_site,  # noqa: E402
                                  signed_in)

BUNDLED = tuple(p.name for p in sorted((Path(__file__).resolve().parent.parent / "reviews").iterdir()) if p.is_dir())


class Watcher(threading.Thread):
    """Polls one reader of the live data until stopped; records (time, 'old' | 'new' | 'error')."""

    def __init__(self, probe):
        super().__init__(daemon=True)
        self.probe, self.seen, self.stop = probe, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                state = self.probe()
            except Exception as exc:  # counted, never hidden
                state = f"error: {exc}"
            self.seen.append((time.monotonic(), state))
            time.sleep(0.02)

    def first_new(self) -> float | None:
        return next((t for t, s in self.seen if s == "new"), None)

    def errors(self) -> list[str]:
        return [s for _, s in self.seen if s.startswith("error")]

    def old_after_new(self) -> bool:
        seen_new = False
        for _, s in self.seen:
            seen_new = seen_new or s == "new"
            if seen_new and s == "old":
                return True
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        app = make_site(tmp, bundled=BUNDLED, INTAKE_SYNC_JOBS=False)
        report = make_report_pdf(tmp / "report.pdf", recommendations=DEFAULT_RECOMMENDATIONS, pages=args.pages).path
        plan = make_action_plan_docx(tmp / "plan.docx", PLAN_ROWS)
        admin = signed_in(app, "ann")
        draft_id = admin.post("/intake/new", data=NEW_REVIEW).headers["Location"].rsplit("/", 1)[-1]

        t0 = time.monotonic()
        for path, role in ((report, "published-report"), (plan, "action-plan")):
            with open(path, "rb") as fh:
                response = admin.post(f"/intake/{draft_id}/upload", data={"role": role, "document": (fh, path.name)},
                                      content_type="multipart/form-data")
            assert response.status_code == 302, response.text
        t_uploaded = time.monotonic()
        admin.post(f"/intake/{draft_id}/extract")
        pages_seen = []
        while True:
            page = admin.get(f"/intake/{draft_id}/progress").text
            if "Documents read" in page:
                break
            if 'id="pages">' in page:
                pages_seen.append(int(page.split('id="pages">')[1].split(" ")[0]))
            time.sleep(0.25)
        t_extracted = time.monotonic()
        assert admin.get(f"/intake/{draft_id}/preview").status_code == 200
        t_previewed = time.monotonic()

        visitor = app.test_client()
        site = Watcher(lambda: {404: "old", 200: "new"}.get(visitor.get("/reviews/child-t-2022").status_code, "error"))

        def open_data() -> str:
            conn = sqlite3.connect(f"file:{app.config['PUBLIC_DATABASE']}?mode=ro", uri=True, timeout=10)
            try:
                n = conn.execute("select count(*) from reviews where id = 'child-t-2022'").fetchone()[0]
                return "new" if n else "old"
            finally:
                conn.close()

        data = Watcher(open_data)
        site.start()
        data.start()
        time.sleep(0.1)
        t_publish = time.monotonic()
        response = admin.post(f"/intake/{draft_id}/publish")
        t_published = time.monotonic()
        time.sleep(0.2)
        site.stop.set()
        data.stop.set()
        site.join()
        data.join()
        assert response.status_code == 200, response.text

        import re
        old_s = float(re.search(r"for ([0-9.]+) seconds", response.text).group(1))
        swap = re.search(r"swap (\d+) ms", _log(app)).group(1)
        errors = site.errors() + data.errors()
        print(f"report: {args.pages} pages ({report.stat().st_size / 1e6:.1f} MB), plan: DOCX; 9 bundled reviews")
        print(f"upload+checks {t_uploaded - t0:.2f} s; extraction {t_extracted - t_uploaded:.2f} s "
              f"(progress pages seen: {pages_seen[:3]}...{pages_seen[-2:]}); preview {t_previewed - t_extracted:.2f} s; "
              f"publish {t_published - t_publish:.2f} s")
        print(f"live site: old page until {site.first_new() - t_publish:.2f} s into the publish, "
              f"open data old until {data.first_new() - t_publish:.2f} s; "
              f"old data after new: {site.old_after_new() or data.old_after_new()}; "
              f"{len(site.seen)} page reads, {len(data.seen)} open-data reads, {len(errors)} errors")
        print(f"upload_to_published_s={t_published - t0:.2f} old_data_s={old_s:.2f} swap_ms={swap} errors={len(errors)}")


def _log(app) -> str:
    from intake import store

    conn = store.connect(Path(app.config["TRACKER_DATABASE"]).parent / "intake.db")
    try:
        return next(r["detail"] for r in store.history(conn) if r["action"] == "published")
    finally:
        conn.close()


if __name__ == "__main__":
    main()
