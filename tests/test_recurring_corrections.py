"""An administrator splits a wrong recurring group or joins two asks from the browser (issue 21):
the correction is saved in reviews/recurring-corrections.yml, applied at once and on every later
build, audited, and a failed rebuild leaves the file and the site as they were."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from ingest.recurring_corrections import CorrectionError, with_correction
from intake import publishing, store
from tests.intake_support import make_site, signed_in

A, B = "jacob-2021-rec-s1", "child-y-2013-rec-s1"


@pytest.fixture
def recurring_site(tmp_path):
    return make_site(tmp_path, bundled=("jacob-2021", "child-y-2013"))


def group_of(site, item_id):
    conn = sqlite3.connect(site.config["DATABASE"])
    try:
        row = conn.execute("select group_id from recurring_members where item_id = ?", (item_id,)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def corrections(site):
    path = Path(site.config["BUNDLED_REVIEWS_DIR"]) / "recurring-corrections.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def test_join_then_split_from_the_recommendation_page(recurring_site):
    admin = signed_in(recurring_site, "ann")
    assert group_of(recurring_site, A) is None or group_of(recurring_site, A) != group_of(recurring_site, B)
    page = admin.get(f"/recommendations/{A}").text
    assert "Group as the same ask" in page

    response = admin.post("/intake/recurring/join", data={"item": A, "other": B})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/recommendations/{A}")
    assert group_of(recurring_site, A) is not None and group_of(recurring_site, A) == group_of(recurring_site, B)
    assert corrections(recurring_site)["join"] == [sorted([A, B])]
    page = admin.get(f"/recommendations/{A}").text
    assert "Recommended before" in page and f"/recommendations/{B}" in page
    assert "Not the same ask: separate from " + B in page and "Saved:" in page

    assert admin.post("/intake/recurring/split", data={"item": A, "other": B}).status_code == 302
    assert group_of(recurring_site, A) is None or group_of(recurring_site, A) != group_of(recurring_site, B)
    saved = corrections(recurring_site)
    assert saved["split"] == [sorted([A, B])] and saved["join"] == []  # the split undid the join
    log = store.connect(Path(recurring_site.config["TRACKER_DATABASE"]).parent / "intake.db")
    actions = [r["action"] for r in store.history(log)]
    log.close()
    assert actions[:2] == [f"recurring learning: {A} marked not the same ask as {B}",
                           f"recurring learning: {A} marked the same ask as {B}"]


def test_only_the_business_unit_sees_and_uses_it(recurring_site):
    before = corrections(recurring_site)
    assert "Group as the same ask" not in recurring_site.test_client().get(f"/recommendations/{A}").text
    board = signed_in(recurring_site, "bob")
    assert "Group as the same ask" not in board.get(f"/recommendations/{A}").text
    assert board.post("/intake/recurring/join", data={"item": A, "other": B}).status_code == 403
    assert recurring_site.test_client().post("/intake/recurring/join", data={"item": A, "other": B}).status_code in (302, 401)
    assert corrections(recurring_site) == before


def test_unknown_or_mismatched_ids_change_nothing(recurring_site):
    admin = signed_in(recurring_site, "ann")
    before = corrections(recurring_site)
    assert admin.post("/intake/recurring/join", data={"item": "no-such-rec", "other": B}).status_code == 404
    for other in ("no-such-rec", "jacob-2021-lp-1", "", A):
        assert admin.post("/intake/recurring/join", data={"item": A, "other": other}).status_code == 302
    assert corrections(recurring_site) == before
    page = admin.get(f"/recommendations/{A}").text
    assert "There is no recommendation with the id" in page


def test_a_failed_rebuild_leaves_the_file_and_the_site_as_they_were(recurring_site, monkeypatch):
    path = Path(recurring_site.config["BUNDLED_REVIEWS_DIR"]) / "recurring-corrections.yml"
    before = path.read_bytes() if path.exists() else None
    database = Path(recurring_site.config["DATABASE"]).read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(publishing, "rebuild", broken)
    admin = signed_in(recurring_site, "ann")
    assert admin.post("/intake/recurring/join", data={"item": A, "other": B}).status_code == 302
    assert (path.read_bytes() if path.exists() else None) == before
    assert Path(recurring_site.config["DATABASE"]).read_bytes() == database
    assert "the live site is unchanged" in admin.get(f"/recommendations/{A}").text


def test_with_correction_keeps_the_instructions_and_refuses_repeats():
    text = "# how to use this file\n# second line\nsplit: []\njoin: []\n"
    joined = with_correction(text, "join", "b-rec-1", "a-rec-2")
    assert joined.startswith("# how to use this file\n# second line\n")
    assert yaml.safe_load(joined) == {"split": [], "join": [["a-rec-2", "b-rec-1"]]}
    with pytest.raises(CorrectionError, match="already marked to join"):
        with_correction(joined, "join", "a-rec-2", "b-rec-1")
    with pytest.raises(CorrectionError, match="itself"):
        with_correction(text, "split", "a-rec-1", "a-rec-1")
    with pytest.raises(CorrectionError, match="not valid YAML"):
        with_correction("split: [", "split", "a", "b")
    assert yaml.safe_load(with_correction(None, "split", "x", "y")) == {"split": [["x", "y"]], "join": []}


def test_the_page_form_carries_a_working_csrf_token(tmp_path):
    import re

    site = make_site(tmp_path, bundled=("jacob-2021", "child-y-2013"), WTF_CSRF_ENABLED=True)
    client = site.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/sign-in").text).group(1)
    client.post("/sign-in", data={"name": "ann", "password": "correct horse battery staple", "csrf_token": token})
    assert client.post("/intake/recurring/join", data={"item": A, "other": B}).status_code == 400
    page = client.get(f"/recommendations/{A}").text
    token = re.search(r'action="/intake/recurring/join">\s*<input type="hidden" name="csrf_token" value="([^"]+)"',
                      page).group(1)
    assert client.post("/intake/recurring/join", data={"item": A, "other": B, "csrf_token": token}).status_code == 302
    assert group_of(site, A) == group_of(site, B) is not None
