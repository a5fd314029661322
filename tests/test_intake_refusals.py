"""Every refusal on the intake pages: a bad file (one line on the page, nothing stored), a role
that may not add reviews (403), a form without a valid CSRF token (400), a failed publish (nothing
live changes)."""
from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path

import pytest

from intake import store
from tests.docgen import (make_encrypted_pdf, make_report_pdf, make_scanned_pdf, truncate_copy, write_garbage,
                          write_zip_bomb)
from tests.intake_support import NEW_REVIEW, make_site, signed_in


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("site"), bundled=("jacob-2021",))


@pytest.fixture(scope="module")
def admin(site):
    return signed_in(site, "ann")


@pytest.fixture(scope="module")
def draft_id(admin):
    response = admin.post("/intake/new", data={**NEW_REVIEW, "subject": "Child Q"})
    assert response.status_code == 302
    return response.headers["Location"].rsplit("/", 1)[-1]


def _bad_files(folder: Path) -> dict[str, tuple[Path, str, str]]:
    """name -> (file, name to upload it as, words the one-line error must contain)."""
    good = make_report_pdf(folder / "good.pdf", pages=4).path
    docx_as_pdf = folder / "docx-named.pdf"
    from tests.intake_support import make_action_plan_docx
    make_action_plan_docx(docx_as_pdf, [["1", "An action", "Police", "June 2022", "Complete"]])
    empty = folder / "empty.pdf"
    empty.write_bytes(b"")
    return {
        "scanned": (make_scanned_pdf(folder / "scan.pdf"), "scan.pdf", "no text layer (it looks scanned); it needs OCR"),
        "encrypted": (make_encrypted_pdf(folder / "locked.pdf"), "locked.pdf", "encrypted (password protected)"),
        "truncated": (truncate_copy(good, folder / "cut.pdf"), "cut.pdf", "truncated or corrupt"),
        "empty": (empty, "empty.pdf", "the file is empty"),
        "mislabelled": (docx_as_pdf, "report.pdf", "the file is a DOCX document, not a PDF document"),
        "binary as text": (write_garbage(folder / "noise.txt"), "noise.txt", "noise.txt:"),
        "zip bomb": (write_zip_bomb(folder / "bomb.docx", 60), "bomb.docx", "bomb.docx:"),
        "unknown type": (write_garbage(folder / "sheet.xls"), "sheet.xls", "not a PDF, DOCX, HTML, Markdown or text file"),
    }


def _stored(site, draft_id) -> set[str]:
    folder = Path(site.config["TRACKER_DATABASE"]).parent / "intake" / "drafts" / draft_id
    return {p.name for p in folder.rglob("*") if p.is_file()} - {"review.yml"}


def _error_lines(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r'<p class="govuk-error-message"[^>]*>(.*?)</p>', html, re.S)]


@pytest.mark.parametrize("kind", ["scanned", "encrypted", "truncated", "empty", "mislabelled", "binary as text",
                                  "zip bomb", "unknown type"])
def test_bad_upload_gives_one_line_and_stores_nothing(site, admin, draft_id, tmp_path, kind):
    path, name, words = _bad_files(tmp_path)[kind]
    before = _stored(site, draft_id)
    response = admin.post(f"/intake/{draft_id}/upload", data={"role": "published-report",
                                                               "document": (io.BytesIO(path.read_bytes()), name)},
                          content_type="multipart/form-data")
    assert response.status_code == 400
    lines = _error_lines(response.text)
    assert len(lines) == 1, lines
    line = lines[0].removeprefix("Error:").strip()
    assert words in line and "\n" not in line and len(line) < 300 and "Traceback" not in response.text
    assert line.startswith(name), line  # names the file as the officer knows it, not our temporary copy
    assert "There is a problem" in response.text
    assert _stored(site, draft_id) == before
    assert not list((Path(site.config["TRACKER_DATABASE"]).parent / "intake" / "drafts").rglob(".upload-*"))
    doc_names = [d["file"] for d in store.load_draft(store.connect(Path(site.config["TRACKER_DATABASE"]).parent / "intake.db"), draft_id)["documents"]]
    assert name not in doc_names


def test_an_upload_over_the_limit_is_refused_in_one_line(tmp_path):
    site = make_site(tmp_path, bundled=("jacob-2021",), INTAKE_MAX_BYTES=200_000)
    admin = signed_in(site, "ann")
    draft = admin.post("/intake/new", data=NEW_REVIEW).headers["Location"].rsplit("/", 1)[-1]
    big = make_report_pdf(tmp_path / "big.pdf", pages=4).path.read_bytes() + b"%" * 300_000
    response = admin.post(f"/intake/{draft}/upload", data={"role": "published-report",
                                                            "document": (io.BytesIO(big), "big.pdf")},
                          content_type="multipart/form-data")
    assert response.status_code == 413
    assert _error_lines(response.text) == ["Error: The file is over the 0.2 MB limit"]
    assert _stored(site, draft) == set()


def test_pasted_text_becomes_a_document_and_empty_text_is_refused(site, admin, draft_id):
    response = admin.post(f"/intake/{draft_id}/paste", data={"role": "learning-summary", "page_title": "summary",
                                                              "text": "   "})
    assert response.status_code == 400 and "Paste the text of the page" in response.text
    response = admin.post(f"/intake/{draft_id}/paste", data={
        "role": "learning-summary", "page_title": "Learning summary",
        "text": "Learning summary\n\nFindings\n\n1. Professionals did not hear the child's voice in assessments."})
    assert response.status_code == 302
    assert "Learning_summary.txt" in _stored(site, draft_id)


INTAKE_PAGES = ["/intake/", "/intake/new", "/intake/log"]


@pytest.mark.parametrize("who", ["bob", "pat"])
def test_board_members_and_agency_leads_are_refused(site, draft_id, who):
    client = signed_in(site, who)
    for url in INTAKE_PAGES + [f"/intake/{draft_id}", f"/intake/{draft_id}/preview", f"/intake/{draft_id}/progress",
                               f"/intake/{draft_id}/details"]:
        assert client.get(url).status_code == 403, url
    for url in ["/intake/new", f"/intake/{draft_id}/publish", f"/intake/{draft_id}/extract",
                "/intake/reviews/jacob-2021/withdraw", "/intake/reviews/jacob-2021/edit",
                f"/intake/{draft_id}/recommendations/add"]:
        assert client.post(url, data=NEW_REVIEW).status_code == 403, url


def test_signed_out_visitors_get_the_sign_in_page(site):
    response = site.test_client().get("/intake/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_every_intake_form_needs_a_csrf_token(tmp_path):
    site = make_site(tmp_path, bundled=("jacob-2021",), WTF_CSRF_ENABLED=True)
    client = site.test_client()
    page = client.get("/sign-in").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post("/sign-in", data={"name": "ann", "password": "correct horse battery staple",
                                         "csrf_token": token}).status_code == 302
    page = client.get("/intake/new").text
    assert 'name="csrf_token"' in page
    response = client.post("/intake/new", data=NEW_REVIEW)
    assert response.status_code == 400
    conn = store.connect(Path(site.config["TRACKER_DATABASE"]).parent / "intake.db")
    assert store.list_drafts(conn) == []
    response = client.post("/intake/reviews/jacob-2021/withdraw", data={"csrf_token": "forged"})
    assert response.status_code == 400
    db = sqlite3.connect(site.config["DATABASE"])
    assert db.execute("select count(*) from reviews where id = 'jacob-2021'").fetchone()[0] == 1
