"""Control characters (issue 18, item 2): refused at every input boundary with a clear message, and
stripped when exports write text stored before the check existed."""
from __future__ import annotations

import zipfile
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from core.text import control_message, export_cell, find_control, strip_control
from tests.tracker_support import signed_in
from tracker import store

CONTROLS = ["\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\x85"]


def test_the_helper_finds_strips_and_neutralises():
    assert find_control("ok\tfine\r\nline") is None
    assert find_control("a\x0bb") == "U+000B"
    assert "U+0001" in control_message("x\x01")
    assert strip_control("a\x01b\x0bc\td\ne") == "abc\td\ne"
    assert export_cell("=1+1\x01") == "'=1+1"
    assert export_cell(None) == "" and export_cell(3) == 3


@pytest.mark.parametrize("fmt", ["zip", "xlsx", "docx"])
def test_exports_never_fail_on_stored_control_characters(tracker_app, tracker_conn, fmt):
    """Text stored before the input check (an evidence field and a change note with U+0001, U+000B)."""
    with store.transaction(tracker_conn):
        tracker_conn.execute("INSERT INTO tracked_actions (action_id, recommendation_id, review_id, agency, action,"
                             " origin, delivery, assurance, target_date, public_evidence, version, updated_at)"
                             " VALUES ('child-t-2022-act-x', 'child-t-2022-rec-1', 'child-t-2022', 'police',"
                             " 'Audit\x01 referrals\x0b again', 'added', 'in-progress', 'not-assured', '2022-12-01',"
                             " 'evidence\x01here', 1, :at)", {"at": store.now()})
        store.append_audit(tracker_conn, change_id=store.new_change_id(), at=store.now(), user=None,
                           entity="action", entity_id="child-t-2022-act-x", recommendation_id="child-t-2022-rec-1",
                           field="public_evidence", old_value="", new_value="evidence\x01here",
                           note="pasted\x0bfrom Word", public=True)
    response = signed_in(tracker_app, "ann").get(f"/tracker/dashboard.{fmt}")
    assert response.status_code == 200
    if fmt == "zip":  # one CSV file a table
        archive = zipfile.ZipFile(io.BytesIO(response.data))
        text = "\n".join(archive.read(name).decode() for name in archive.namelist())
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(response.data))
        text = "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
    else:
        doc = Document(io.BytesIO(response.data))
        text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Audit referrals again" in text or "pastedfrom Word" in text
    assert find_control(text.replace("\r", "")) is None


def _stored(conn) -> tuple:
    return (conn.execute("SELECT count(*) FROM audit").fetchone()[0],
            conn.execute("SELECT group_concat(public_evidence || private_notes, '|') FROM tracked_actions").fetchone()[0],
            conn.execute("SELECT count(*) FROM briefing_uses").fetchone()[0])


@pytest.mark.parametrize("char", ["\x01", "\x0b"])
@pytest.mark.parametrize("url,form", [
    ("/tracker/actions/child-t-2022-act-1/edit", {"version": "0", "delivery": "in-progress",
                                                  "assurance": "impact-evidence-pending", "public_evidence": "Audit{c} done",
                                                  "note": "ok"}),
    ("/tracker/actions/child-t-2022-act-1/edit", {"version": "0", "delivery": "in-progress",
                                                  "assurance": "impact-evidence-pending", "note": "pasted{c}note"}),
    ("/tracker/recommendations/child-t-2022-rec-1/edit", {"version": "0", "response": "accepted",
                                                          "owner": "Board{c}", "note": ""}),
    ("/tracker/recommendations/child-t-2022-rec-1/actions/new", {"agency": "police", "action": "Train{c} staff"}),
    ("/account/password", {"current": "correct horse battery staple", "new": "a new pass{c}phrase here",
                           "confirm": "a new pass{c}phrase here"}),
    ("/briefings/review/child-t-2022", {"s1": "Edited{c} text"}),
    ("/briefings/review/child-t-2022/uses", {"delivered_on": "2023-01-10", "team": "Team{c}A", "staff_count": "5"}),
    ("/briefings/review/child-t-2022/uses", {"delivered_on": "2023-01-10", "team": "Team A", "staff_count": "5",
                                             "actions_agreed": "Review{c} plans"}),
])
def test_forms_refuse_control_characters_with_a_clear_message(tracker_app, tracker_conn, url, form, char):
    client = signed_in(tracker_app, "ann")
    before = _stored(tracker_conn)
    response = client.post(url, data={k: v.format(c=char) for k, v in form.items()})
    assert response.status_code == 400, response.status_code
    assert f"control character (U+{ord(char):04X})" in response.text
    assert _stored(tracker_conn) == before
    same = client.post(url, data={k: v.format(c="") for k, v in form.items()})
    assert same.status_code in (200, 302), (same.status_code, same.text[:300])


def test_sign_in_refuses_a_control_character(tracker_app):
    response = tracker_app.test_client().post("/sign-in", data={"name": "ann\x01", "password": "x" * 12})
    assert response.status_code == 400 and "control character (U+0001)" in response.text


@pytest.fixture(scope="module")
def search_app(sample_db_path, tmp_path_factory):
    from search_index import build_index
    from tests.tracker_support import make_app

    base = tmp_path_factory.mktemp("control-search")
    build_index(sample_db_path, base / "index")
    return make_app(sample_db_path, base, SEARCH_INDEX_DIR=str(base / "index"))


@pytest.mark.parametrize("char", CONTROLS)
def test_search_strips_control_characters(search_app, char):
    client = search_app.test_client()
    for url in (f"/search?q=neglect{char}", f"/api/search?q=neg{char}lect"):
        response = client.get(url)
        assert response.status_code == 200
        assert find_control(response.text) is None


def test_readers_drop_control_characters(tmp_path):
    from ingest.readers import read_document

    path = tmp_path / "notes.txt"
    filler = "Agencies shared information about the child and the family. " * 20  # a few controls are not binary
    path.write_text(f"Learning\x01 for\x0bpractice\x0c and\x7f more.\n\n{filler}\n\nSecond paragraph\x1b here.\n")
    text = " ".join(b.text for b in read_document(path).blocks)
    assert "Learning for practice and more." in text and find_control(text) is None


def test_every_form_of_the_app_refuses_control_characters(tracker_app):
    """A new form must derive from SafeForm, or its fields would take control characters again."""
    from flask_wtf import FlaskForm

    from views.forms import SafeForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [c for c in subclasses(FlaskForm) if not c.__module__.startswith(("tests", "flask_wtf"))]
    assert len(ours) >= 8
    assert [c.__qualname__ for c in ours if not issubclass(c, SafeForm) and c is not SafeForm] == []


def test_a_pasted_document_has_control_characters_dropped(tracker_app):
    from views.intake_forms import PasteForm
    from werkzeug.datastructures import MultiDict

    with tracker_app.test_request_context(method="POST"):
        form = PasteForm(formdata=MultiDict({"role": "summary", "page_title": "Page", "text": "Learning\x0c here"}))
        form.role.choices = [("summary", "Summary")]
        assert form.validate() and form.text.data == "Learning here"
