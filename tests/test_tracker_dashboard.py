"""Dashboard figures against the sample data, and every export read back to the same figures."""
from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from datetime import date, datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.tracker_support import TODAY, signed_in
from tracker import dashboard, exports, store


@pytest.fixture
def board_data(tracker_app, tracker_conn):
    """Sample: police act-1 due 2022-12-31 (overdue on 2023-01-15), education act-2 complete;
    plus an added health action due 2023-02-01 and three logged briefings."""
    admin = signed_in(tracker_app, "ann")
    assert admin.post("/tracker/recommendations/child-t-2022-rec-1/actions/new",
                      data={"agency": "health", "action": "=HYPERLINK(\"x\") checks",
                            "target_date": "2023-02-01"}).status_code == 302
    for kind, slug, staff in [("review", "child-t-2022", 8), ("review", "child-t-2022", 5), ("theme", "neglect", 12)]:
        tracker_conn.execute(
            "INSERT INTO briefing_uses (kind, slug, delivered_on, team, staff_count, logged_at)"
            " VALUES (:kind, :slug, '2023-01-10', 'Team', :staff, :at)",
            {"kind": kind, "slug": slug, "staff": staff, "at": store.now()})
    reviews = sqlite3.connect(tracker_app.config["DATABASE"])
    yield dashboard.build(tracker_conn, reviews, TODAY)
    reviews.close()


def test_dashboard_figures(board_data):
    d = board_data
    assert (d.totals["actions"], d.totals["finished"], d.totals["percent"]) == (3, 1, 33)
    assert d.totals["recommendations"] == 4
    child_t = next(r for r in d.by_review if r["review_id"] == "child-t-2022")
    assert (child_t["actions"], child_t["finished"], child_t["percent"]) == (3, 1, 33)
    agencies = {a["agency"]: (a["actions"], a["finished"], a["overdue"]) for a in d.by_agency}
    assert agencies == {"police": (1, 0, 1), "education": (1, 1, 0), "health": (1, 0, 0)}
    assert [(a["action_id"], a["days_overdue"]) for a in d.overdue] == [("child-t-2022-act-1", 15)]
    assert [(a["action_id"], a["days_left"]) for a in d.due_soon] == [("child-t-2022-act-t1", 17)]
    assert [c["field_label"] for c in d.recent] == ["Action added"]
    assert [(b["slug"], b["uses"], b["staff"]) for b in d.briefings_by_review] == [("child-t-2022", 2, 13)]
    assert [(b["slug"], b["uses"], b["staff"]) for b in d.briefings_by_theme] == [("neglect", 1, 12)]


def test_overdue_moves_with_today(tracker_app, tracker_conn):
    reviews = sqlite3.connect(tracker_app.config["DATABASE"])
    assert dashboard.build(tracker_conn, reviews, date(2022, 12, 15)).overdue == []
    assert [a["days_left"] for a in dashboard.build(tracker_conn, reviews, date(2022, 12, 15)).due_soon] == [16]
    reviews.close()


def test_dashboard_page_shows_the_figures_without_javascript(tracker_app, board_data):
    page = signed_in(tracker_app, "bob").get("/tracker/dashboard").text
    assert '<span class="govuk-heading-xl govuk-!-margin-bottom-0" id="figure-overdue">1</span>' in page
    assert '<progress class="app-progress" max="100" value="33"' in page and "1 of 3" in page
    assert "<script" not in page and "style=" not in page


def test_exports_read_back_to_the_dashboard(tracker_app, board_data):
    client = signed_in(tracker_app, "ann")
    tables = board_data.tables()
    overdue = next(t for t in tables if t.key == "overdue")
    assert overdue.text_rows()[0][:3] == ["Child T", "1", "Police"]  # names people use, no ids
    assert overdue.text_rows()[0][5] == "31 December 2022"

    archive = zipfile.ZipFile(io.BytesIO(client.get("/tracker/dashboard.zip").data))
    assert sorted(archive.namelist()) == sorted(f"{t.key}.csv" for t in tables)
    for t in tables:
        rows = list(csv.reader(io.StringIO(archive.read(f"{t.key}.csv").decode())))
        assert rows[0] == t.headers and len(rows) == len(t.rows) + 1, t.key
        one = client.get(f"/tracker/dashboard/{t.key}.csv")
        assert one.mimetype == "text/csv" and list(csv.reader(io.StringIO(one.text))) == rows
    overdue_csv = list(csv.reader(io.StringIO(archive.read("overdue.csv").decode())))
    assert overdue_csv[1][5] == "2022-12-31"  # machines read CSV: ISO dates
    added = next(r for r in csv.reader(io.StringIO(archive.read("due_soon.csv").decode())) if r[2] == "Health")
    assert added[3].startswith("'=HYPERLINK")  # a typed formula never runs

    book = load_workbook(io.BytesIO(client.get("/tracker/dashboard.xlsx").data))
    assert book.sheetnames == [exports.sheet_name(t) for t in tables]
    assert all(len(name) <= 31 and name == (t.sheet or t.title) for name, t in zip(book.sheetnames, tables))
    sheet = book[exports.sheet_name(overdue)]
    assert sheet.freeze_panes == "A2" and [c.value for c in sheet[1]] == overdue.headers
    assert sheet["F2"].value == datetime(2022, 12, 31) and sheet["F2"].number_format == "d mmmm yyyy"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["B"].width
    for t in tables:
        got = list(book[exports.sheet_name(t)].iter_rows(values_only=True))
        assert len(got) == len(t.rows) + 1, t.key

    doc = Document(io.BytesIO(client.get("/tracker/dashboard.docx").data))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert any(round(s.page_width.mm) == 297 for s in doc.sections)  # wide tables in landscape
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [t.title for t in tables]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Position at 15 January 2023." in text and "1 are overdue" in text
    docx_tables = [[[c.text for c in row.cells] for row in table.rows] for table in doc.tables]
    with_rows = [t for t in tables if t.rows]
    assert docx_tables == [[t.headers, *[[c[1:] if c.startswith("'=") else c for c in r] for r in
                                          [[exports._safe(v) for v in row] for row in t.text_rows()]]]
                           for t in with_rows]
    assert "child-t-2022" not in text + repr(docx_tables)


def test_public_summary_has_no_names_or_overdue_lists(tracker_app, board_data):
    page = tracker_app.test_client().get("/tracker/summary")
    assert page.status_code == 200 and "1 of 3" in page.text
    assert "No actions tracked yet" in page.text and "0 of 0" not in page.text  # Baby Q, Family W
    assert "Overdue actions" not in page.text and "Recent changes" not in page.text
    assert "child-t-2022-act-1" not in page.text
