"""A complete little site for the intake tests: bundled reviews copied to a temp folder, built
database, open data and search index, an administrator, a board member and an agency lead."""
from __future__ import annotations

import shutil
from pathlib import Path

from app import create_app
from ingest.build import build
from tracker.publish import publish
from search_index.build import build_index
from tracker import store, users

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"
USERS = {"ann": ("admin", None), "bob": ("board", None), "pat": ("agency-lead", "police")}


def make_site(tmp_path: Path, bundled: tuple[str, ...] = ("jacob-2021", "child-k-2020"), **extra):
    """Build the site's data from a copy of some bundled reviews; returns the app."""
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    for review_id in bundled:
        shutil.copytree(ROOT / "reviews" / review_id, reviews / review_id)
    shutil.copy(ROOT / "reviews" / "cited-documents.yml", reviews)  # sources cited by title
    data, instance = tmp_path / "data", tmp_path / "instance"
    data.mkdir()
    tracker_db = instance / "tracker.db"
    conn = store.connect(tracker_db)
    for name, (role, agency) in USERS.items():
        users.create_user(conn, name, role, PASSWORD, agency)
    conn.close()
    build([reviews], data / "reviews.db")
    publish(data / "reviews.db", tracker_db, data / "safeguarding-reviews.db")
    build_index(data / "reviews.db", data / "search-index")
    config = {"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE": str(data / "reviews.db"),
              "PUBLIC_DATABASE": str(data / "safeguarding-reviews.db"), "SEARCH_INDEX_DIR": str(data / "search-index"),
              "TRACKER_DATABASE": str(tracker_db), "BUNDLED_REVIEWS_DIR": str(reviews),
              "WTF_CSRF_ENABLED": False, "INTAKE_SYNC_JOBS": True}
    config.update(extra)
    return create_app(config)


def signed_in(app, name: str):
    client = app.test_client()
    response = client.post("/sign-in", data={"name": name, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


NEW_REVIEW = {"title": "Child Safeguarding Practice Review: Child T", "subject": "Child T", "review_type": "cspr",
              "publisher": "Northshire Safeguarding Children Partnership", "area": "Northshire",
              "day": "", "month": "3", "year": "2022", "period": "", "report_url": "https://example.org/child-t.pdf",
              "summary": "A fictional review used by the tests.", "themes": ["neglect"], "review_id": ""}


def make_action_plan_docx(path: Path, rows: list[list[str]]) -> Path:
    """A partnership's action plan as a DOCX table (Recommendation, Action, Lead agency, Target date, Status)."""
    from docx import Document

    from tests.docgen import ACTION_PLAN_HEADER

    doc = Document()
    doc.add_heading("Action plan: Child T", 1)
    doc.add_paragraph("Northshire Safeguarding Children Partnership, updated May 2022.")
    table = doc.add_table(rows=1 + len(rows), cols=len(ACTION_PLAN_HEADER))
    table.style = "Table Grid"
    for c, text in enumerate(ACTION_PLAN_HEADER):
        table.cell(0, c).text = text
    for r, row in enumerate(rows, 1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.save(path)
    return path


PLAN_ROWS = [
    ["Recommendation 1", "Add the child's view to the neglect assessment template", "Children's social care",
     "June 2022", "Complete"],
    ["Recommendation 2", "Agree a next-day notification process with schools", "Thames Valley Police",
     "September 2022", "In progress"],
    ["Recommendation 6", "Audit how the neglect toolkit is used in early help", "Safeguarding partnership",
     "March 2023", "Not started"],
]


def free_port_in(ports: range) -> int:
    """The first port of `ports` nobody listens on (each helper has its own range on this machine)."""
    import socket

    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def datasette(public_db: Path, port: int):
    """A real open-data server (`python -m open_data`) on `port`, as a context manager."""
    import contextlib
    import subprocess
    import sys
    import time
    import urllib.request

    @contextlib.contextmanager
    def running():
        proc = subprocess.Popen([sys.executable, "-m", "open_data", str(public_db), "--host", "127.0.0.1",
                                 "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                if proc.poll() is not None:
                    raise RuntimeError("datasette exited early")
                try:
                    with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    return running()


RECS = ["Children's social care should make sure that every assessment of neglect records the child's own view.",
        "The police should share information about domestic abuse incidents with schools the next working day.",
        "GPs should follow up every child who is not brought to two or more appointments in a row."]


def new_draft(admin, **changes) -> str:
    response = admin.post("/intake/new", data={**NEW_REVIEW, **changes})
    assert response.status_code == 302, response.text
    return response.headers["Location"].rsplit("/", 1)[-1]


def upload(admin, draft_id, path: Path, role="published-report", name=None):
    with open(path, "rb") as fh:
        return admin.post(f"/intake/{draft_id}/upload", data={"role": role, "document": (fh, name or path.name)},
                          content_type="multipart/form-data")
