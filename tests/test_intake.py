"""The browser intake, step by step, with the Flask test client: details, documents, extraction,
preview and corrections, publish, withdraw; and every refusal (role, CSRF, bad file)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import yaml

from tests.docgen import make_report_pdf
from tests.intake_support import NEW_REVIEW, PLAN_ROWS, RECS, make_action_plan_docx, new_draft, upload

def test_new_review_form_proposes_the_id_and_validates(admin, site):
    response = admin.post("/intake/new", data={**NEW_REVIEW, "title": "", "month": "13", "year": "22"})
    assert response.status_code == 400
    assert "There is a problem" in response.text and "Enter the review&#39;s title" in response.text
    assert "The month must be 1 to 12" in response.text and "The year must be 4 digits" in response.text
    response = admin.post("/intake/new", data={**NEW_REVIEW, "day": "31", "month": "2"})
    assert response.status_code == 400 and "must be a real date" in response.text
    draft_id = new_draft(admin)
    page = admin.get(f"/intake/{draft_id}/details").text
    assert 'value="child-t-2022"' in page
    # the bundled id is taken: a second review about a Jacob in 2021 gets a numbered id
    second = new_draft(admin, subject="Jacob", year="2021")
    assert 'value="jacob-2021-2"' in admin.get(f"/intake/{second}/details").text
    response = admin.post("/intake/new", data={**NEW_REVIEW, "review_id": "jacob-2021"})
    assert response.status_code == 400 and "already used" in response.text


def test_the_whole_flow_publishes_and_the_site_shows_it(admin, site, tmp_path):
    draft_id = new_draft(admin)
    report = make_report_pdf(tmp_path / "report.pdf", recommendations=RECS, pages=14).path
    assert upload(admin, draft_id, report).status_code == 302
    plan = make_action_plan_docx(tmp_path / "plan.docx", PLAN_ROWS)
    assert upload(admin, draft_id, plan, role="action-plan").status_code == 302
    response = admin.post(f"/intake/{draft_id}/extract")
    assert response.status_code == 302
    progress = admin.get(f"/intake/{draft_id}/progress").text
    assert "Finished" in progress and 'http-equiv="refresh"' not in progress
    page = admin.get(f"/intake/{draft_id}/preview")
    assert page.status_code == 200, page.text
    assert "Recommendation 1" in page.text and "In the document" in page.text
    # fix an addressee, add a missed recommendation, link an action row
    r = admin.post(f"/intake/{draft_id}/recommendations/2", data={
        "r2-number": "2", "r2-text": RECS[1], "r2-agencies": ["police", "education"], "r2-themes": []})
    assert r.status_code == 302, r.text
    r = admin.post(f"/intake/{draft_id}/recommendations/add", data={
        "new-number": "4", "new-text": "The partnership should audit how neglect toolkits are used in early help.",
        "new-agencies": ["safeguarding-partnership"], "new-themes": ["neglect"]})
    assert r.status_code == 302, r.text
    page = admin.get(f"/intake/{draft_id}/preview").text
    assert "Action-plan row 3</a> matches no recommendation (it says \"6\")" in page
    r = admin.post(f"/intake/{draft_id}/actions/3", data={"recommendation": "4"})
    assert r.status_code == 302, r.text
    published = admin.post(f"/intake/{draft_id}/publish")
    assert published.status_code == 200, published.text
    assert "Published" in published.text
    folder = Path(site.config["TRACKER_DATABASE"]).parent / "reviews" / "child-t-2022"
    corrections = yaml.safe_load((folder / "corrections.yml").read_text())
    assert corrections["recommendations"]["2"]["agencies"] == ["police", "education"]
    assert corrections["add_recommendations"][0]["number"] == "4"
    assert corrections["agency_actions"]["3"] == {"recommendation": "4"}
    assert {p.name for p in folder.iterdir()} >= {"review.yml", "corrections.yml", "report.pdf", "plan.docx"}
    db = sqlite3.connect(site.config["DATABASE"])
    assert db.execute("select text from recommendations where id = 'child-t-2022-rec-4'").fetchone()[0].startswith(
        "The partnership should audit")
    assert db.execute("select agency from recommendation_agencies where recommendation_id = 'child-t-2022-rec-2'"
                      " order by agency").fetchall() == [("education",), ("police",)]
    assert db.execute("select count(*) from agency_actions where recommendation_id = 'child-t-2022-rec-4'").fetchone()[0] == 1
    public = sqlite3.connect(site.config["PUBLIC_DATABASE"])
    assert public.execute("select count(*) from recommendations where review_id = 'child-t-2022'").fetchone()[0] == 4
    visitor = site.test_client()
    assert "audit how neglect toolkits" in visitor.get("/reviews/child-t-2022").text
    assert "child-t-2022-rec-4" in visitor.get("/api/search?q=neglect+toolkits+early+help").text
