"""After the first publish: a new version of the report, corrections to a bundled review, withdrawal
from public view, renumbering and dropping, and a publish that fails or runs alongside another."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import yaml

from intake import publishing, store
from tests.docgen import make_report_pdf
from tests.intake_support import RECS, new_draft, upload
from tracker import store as tracker_store


def publish_report(admin, tmp_path, recs=RECS, name="report.pdf", **changes) -> str:
    draft_id = new_draft(admin, **changes)
    assert upload(admin, draft_id, make_report_pdf(tmp_path / name, recommendations=recs, pages=6).path).status_code == 302
    admin.post(f"/intake/{draft_id}/extract")
    return draft_id


def rows(site, sql, database="DATABASE", **params):
    conn = sqlite3.connect(site.config[database])
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def public_rows(site, sql, **params):
    return rows(site, sql, "PUBLIC_DATABASE", **params)


def intake_log(site):
    conn = store.connect(Path(site.config["TRACKER_DATABASE"]).parent / "intake.db")
    try:
        return [(r["user_name"], r["action"]) for r in store.history(conn)]
    finally:
        conn.close()


def test_new_version_keeps_corrections_by_number(site, admin, tmp_path):
    draft_id = publish_report(admin, tmp_path)
    admin.post(f"/intake/{draft_id}/recommendations/2", data={"r2-number": "2", "r2-text": "Corrected text two.",
                                                              "r2-agencies": ["police"], "r2-themes": []})
    assert admin.post(f"/intake/{draft_id}/publish").status_code == 200
    # a new version of the report: the old file removed, the new one uploaded
    response = admin.post("/intake/reviews/child-t-2022/edit")
    assert response.status_code == 302
    second = response.headers["Location"].rsplit("/", 1)[-1]
    assert "report.pdf" in admin.get(f"/intake/{second}").text
    admin.post(f"/intake/{second}/documents/report.pdf/remove")
    new_recs = RECS + ["Schools should check the attendance of every child on a protection plan each week."]
    assert upload(admin, second, make_report_pdf(tmp_path / "v2.pdf", recommendations=new_recs, pages=6).path,
                  name="report-v2.pdf").status_code == 302
    admin.post(f"/intake/{second}/extract")
    assert admin.post(f"/intake/{second}/publish").status_code == 200
    assert rows(site, "select text from recommendations where id = 'child-t-2022-rec-2'") == [("Corrected text two.",)]
    assert rows(site, "select count(*) from recommendations where review_id = 'child-t-2022'") == [(4,)]
    assert rows(site, "select file from documents where review_id = 'child-t-2022'") == [("report-v2.pdf",)]
    assert ("ann", "draft from published review") in intake_log(site)


def test_bundled_review_corrections_go_to_its_own_folder(site, admin):
    bundled = Path(site.config["BUNDLED_REVIEWS_DIR"]) / "jacob-2021"
    assert not (bundled / "corrections.yml").exists()
    response = admin.post("/intake/reviews/jacob-2021/edit")
    draft_id = response.headers["Location"].rsplit("/", 1)[-1]
    admin.post(f"/intake/{draft_id}/extract")
    page = admin.get(f"/intake/{draft_id}/preview")
    assert page.status_code == 200 and "S1" in page.text
    response = admin.post(f"/intake/{draft_id}/recommendations/S1", data={
        "rs1-number": "S1", "rs1-text": "Police summary, corrected in the browser.", "rs1-agencies": ["police"],
        "rs1-themes": ["child-criminal-exploitation"]})
    assert response.status_code == 302, response.text
    assert admin.post(f"/intake/{draft_id}/publish").status_code == 200
    saved = yaml.safe_load((bundled / "corrections.yml").read_text())
    assert saved["recommendations"]["S1"]["text"] == "Police summary, corrected in the browser."
    assert "facts" in yaml.safe_load((bundled / "review.yml").read_text())  # the curated file is untouched
    assert rows(site, "select text from recommendations where id = 'jacob-2021-rec-s1'") == [
        ("Police summary, corrected in the browser.",)]
    managed = Path(site.config["TRACKER_DATABASE"]).parent / "reviews"
    assert not (managed / "jacob-2021").exists()


def test_withdraw_leaves_pages_search_and_open_data_and_keeps_tracking(site, admin):
    conn = tracker_store.connect(site.config["TRACKER_DATABASE"])
    with tracker_store.transaction(conn):
        conn.execute("INSERT INTO recommendation_tracking VALUES ('jacob-2021-rec-s1', 'accepted', '', NULL, 1, '2023-01-01')")
    visitor = site.test_client()
    assert visitor.get("/reviews/jacob-2021").status_code == 200
    assert admin.post("/intake/reviews/jacob-2021/withdraw").status_code == 302
    assert visitor.get("/reviews/jacob-2021").status_code == 404
    assert "jacob-2021" not in visitor.get("/api/search?q=jacob").text
    assert public_rows(site, "select count(*) from reviews where id = 'jacob-2021'") == [(0,)]
    assert conn.execute("select response from recommendation_tracking where recommendation_id = 'jacob-2021-rec-s1'"
                        ).fetchone()[0] == "accepted"
    assert (Path(site.config["BUNDLED_REVIEWS_DIR"]) / "jacob-2021" / "review.yml").exists()
    assert "Withdrawn" in admin.get("/intake/").text
    assert admin.post("/intake/reviews/jacob-2021/restore").status_code == 302
    assert visitor.get("/reviews/jacob-2021").status_code == 200
    assert [a for _, a in intake_log(site)][:2] == ["restored to public view", "withdrawn from public view"]


def test_renumber_drop_and_numbering_warnings(site, admin, tmp_path):
    draft_id = publish_report(admin, tmp_path)
    # Word numbering that ran on: the officer renumbers 1, 2, 3 as 5, 6, 7 and sees the warning
    assert admin.post(f"/intake/{draft_id}/renumber", data={"start": "5"}).status_code == 302
    page = admin.get(f"/intake/{draft_id}/preview").text
    assert "Recommendation 5" in page and "the list starts at 5, not 1" in page
    assert admin.post(f"/intake/{draft_id}/renumber", data={"start": "1"}).status_code == 302
    assert admin.post(f"/intake/{draft_id}/recommendations/2/drop").status_code == 302
    page = admin.get(f"/intake/{draft_id}/preview").text
    assert "Item 2: marked as not a recommendation" in page and "3 follows 1: numbers are missing" in page
    assert admin.post(f"/intake/{draft_id}/publish").status_code == 200
    assert rows(site, "select number from recommendations where review_id = 'child-t-2022' order by number") == [
        ("1",), ("3",)]


def test_a_failed_publish_changes_nothing_live(site, admin, tmp_path, monkeypatch):
    draft_id = publish_report(admin, tmp_path)
    before = {k: Path(site.config[k]).read_bytes() for k in ("DATABASE", "PUBLIC_DATABASE")}
    index_before = (Path(site.config["SEARCH_INDEX_DIR"]) / "CURRENT").read_text()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("search_index.build.build_index", broken)
    monkeypatch.setattr("search_index.build.update_reviews", broken)
    response = admin.post(f"/intake/{draft_id}/publish")
    assert response.status_code == 400 and "Nothing on the live site has changed" in response.text
    assert {k: Path(site.config[k]).read_bytes() for k in before} == before
    assert (Path(site.config["SEARCH_INDEX_DIR"]) / "CURRENT").read_text() == index_before
    managed = Path(site.config["TRACKER_DATABASE"]).parent / "reviews"
    assert not (managed / "child-t-2022").exists()
    assert not list((Path(site.config["TRACKER_DATABASE"]).parent / "intake").glob("staging-*"))


def test_concurrent_publishes_are_serialised(site, tmp_path):
    targets = publishing.Targets.from_config(site.config, Path(site.config["BUNDLED_REVIEWS_DIR"]).parent)
    sources = []
    for n in (1, 2):
        folder = tmp_path / f"src-{n}"
        folder.mkdir()
        (folder / "review.yml").write_text(yaml.safe_dump({"title": f"Learning review {n}", "review_type": "other"}))
        (folder / "summary.md").write_text(f"# Learning summary {n}\n\n## Findings\n\n1. Finding number {n} about neglect.\n")
        sources.append(folder)
    inside, overlaps = [0], []
    real_rebuild = publishing.rebuild

    def counting(*args, **kwargs):
        inside[0] += 1
        overlaps.append(inside[0])
        try:
            return real_rebuild(*args, **kwargs)
        finally:
            inside[0] -= 1

    publishing.rebuild = counting
    try:
        threads = [threading.Thread(target=publishing.save_review, args=(targets, f"review-{n}", src))
                   for n, src in enumerate(sources, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        publishing.rebuild = real_rebuild
    assert overlaps == [1, 1]
    assert rows(site, "select id from reviews where id like 'review-%' order by id") == [("review-1",), ("review-2",)]


def test_a_summary_only_bundled_review_gets_its_published_report(site, admin, tmp_path):
    conn = tracker_store.connect(site.config["TRACKER_DATABASE"])
    with tracker_store.transaction(conn):
        conn.execute("INSERT INTO recommendation_tracking VALUES ('jacob-2021-rec-s2', 'accepted', '', NULL, 1, '2023-01-01')")
    bundled = Path(site.config["BUNDLED_REVIEWS_DIR"]) / "jacob-2021"
    yml_before = (bundled / "review.yml").read_text()
    draft_id = admin.post("/intake/reviews/jacob-2021/edit").headers["Location"].rsplit("/", 1)[-1]
    report = make_report_pdf(tmp_path / "jacob-report.pdf", recommendations=RECS, pages=6).path
    assert upload(admin, draft_id, report).status_code == 302
    admin.post(f"/intake/{draft_id}/extract")
    assert admin.post(f"/intake/{draft_id}/publish").status_code == 200
    assert (bundled / "jacob-report.pdf").read_bytes() == report.read_bytes()
    yml_after = (bundled / "review.yml").read_text()
    assert yml_after.startswith(yml_before.rstrip("\n")) and "file: jacob-report.pdf" in yml_after
    assert {"file": "jacob-report.pdf", "role": "published-report"} in yaml.safe_load(yml_after)["documents"]
    assert rows(site, "select wording, count(*) from recommendations where review_id = 'jacob-2021' group by wording") \
        == [("published", 3)]
    new_id = rows(site, "select new_id from recommendation_aliases where old_id = 'jacob-2021-rec-s2'")[0][0]
    assert new_id == "jacob-2021-rec-2"  # the youth justice and police summary -> the published police recommendation
    assert public_rows(site, "select response from recommendation_status where recommendation_id = :id",
                       id=new_id) == [("accepted",)]


def test_a_failed_bundled_publish_puts_the_folder_back(site, admin, tmp_path, monkeypatch):
    bundled = Path(site.config["BUNDLED_REVIEWS_DIR"]) / "jacob-2021"
    before = {p.name: p.read_bytes() for p in bundled.iterdir()}
    draft_id = admin.post("/intake/reviews/jacob-2021/edit").headers["Location"].rsplit("/", 1)[-1]
    assert upload(admin, draft_id, make_report_pdf(tmp_path / "r.pdf", recommendations=RECS, pages=4).path).status_code == 302
    admin.post(f"/intake/{draft_id}/extract")
    for name in ("build_index", "update_reviews"):
        monkeypatch.setattr(f"search_index.build.{name}", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "disk full")))
    assert admin.post(f"/intake/{draft_id}/publish").status_code == 400
    assert {p.name: p.read_bytes() for p in bundled.iterdir()} == before
