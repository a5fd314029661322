"""Control characters (issue 18, item 2): refused at every input boundary with a clear message, and
stripped when exports write text stored before the check existed."""
from __future__ import annotations

import csv
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from core.text import control_message, export_cell, find_control, strip_control
from tests.test_tracker_fixtures import action_row, signed_in, tracker_app, tracker_conn  # noqa: F401
from tracker import store

CONTROLS = ["\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\x85"]


def test_the_helper_finds_strips_and_neutralises():
    assert find_control("ok\tfine\r\nline") is None
    assert find_control("a\x0bb") == "U+000B"
    assert "U+0001" in control_message("x\x01")
    assert strip_control("a\x01b\x0bc\td\ne") == "abc\td\ne"
    assert export_cell("=1+1\x01") == "'=1+1"
    assert export_cell(None) == "" and export_cell(3) == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "docx"])
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
    if fmt == "csv":
        text = response.text
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(response.data))
        text = "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
    else:
        doc = Document(io.BytesIO(response.data))
        text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Audit referrals again" in text or "pastedfrom Word" in text
    assert find_control(text.replace("\r", "")) is None
