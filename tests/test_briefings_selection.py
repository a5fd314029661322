"""How a briefing chooses: what matters most first, no stand-ins shown as learning, one note for the rest.

Records are built here to the rules, not copied from the bundled reviews (which change under us).
"""
from __future__ import annotations

import copy
import sqlite3
from datetime import date

import pytest

from briefings import learning
from briefings.content import BUDGETS, BriefingNotFound, review_briefing, theme_briefing
from briefings.docx_writer import build_document
from briefings.text import REST_NOTE, word_count
from ingest.load import write_database
from tests.sample_data import SOURCE

ON = date(2026, 3, 2)
STAND_IN = ("The review made recommendations to the police. This is a summary of who they were addressed to, "
            "not their wording, which was not available to us; read it in the full report.")
DESCRIPTIVE = "The family moved house {n} times in two years and the records did not follow them."
ACTIONABLE = "Practitioners should ask who else lives in the household when a child's circumstances change {n}."


def record(rid: str, **fields) -> dict:
    base = {"id": rid, "title": f"Review {rid}", "subject": f"Child {rid[-1].upper()}", "review_type": "cspr",
            "publisher": "Northshire Partnership", "area": "Northshire", "published": "2024-05",
            "summary": "A fictional review.", "themes": ["neglect"], "facts": [], "learning_points": [],
            "recommendations": [], "agency_actions": []}
    return {**base, **copy.deepcopy(fields)}


def lp(text: str, themes=("neglect",)) -> dict:
    return {"text": text, "themes": list(themes), "source_url": SOURCE}


def rec(number: str, text: str, themes=("neglect",), wording="published") -> dict:
    return {"number": number, "text": text, "wording": wording, "agencies": ["police"], "themes": list(themes),
            "source_url": SOURCE}


@pytest.fixture
def conn_for(tmp_path):
    made = []

    def make(*records) -> sqlite3.Connection:
        c = sqlite3.connect(write_database(tmp_path / f"r{len(made)}.db", list(records)))
        made.append(c)
        return c
    yield make
    for c in made:
        c.close()


def shown(briefing) -> str:
    return " ".join(i for s in briefing.sections for i in s.items)


def test_placeholder_rules():
    assert learning.is_placeholder(STAND_IN)
    assert learning.is_placeholder("") and learning.is_placeholder(None)
    assert not learning.is_placeholder("Agencies should share neglect concerns quickly.")
    assert learning.is_actionable("GPs should record who attends.") and learning.is_actionable("Escalate it.")
    assert not learning.is_actionable("The review was published in 2020.")  # "review" is not an action
    assert learning.holds_learning([], ["Schools must check attendance."])
    assert not learning.holds_learning([], [STAND_IN])


def test_a_stand_in_recommendation_is_never_shown_as_learning(conn_for):
    c = conn_for(record("r-a", learning_points=[lp(DESCRIPTIVE.format(n=2))],
                        recommendations=[rec("S1", STAND_IN, wording="summary")]))
    b = review_briefing(c, "r-a", ON)
    assert "not their wording" not in shown(b)
    assert b.sections[3].items[0].startswith("No recommendations of this review are recorded")
    note = b.rest_note()
    assert note.count("not available to us") == 1 and "to Police" in note
    assert b.sources[0].has_summary_recommendations is False  # nothing summarised is shown


def test_a_review_that_holds_no_learning_has_no_briefing(conn_for):
    c = conn_for(record("r-b", summary="We could not find the document, so none are recorded here.",
                        recommendations=[rec("S1", STAND_IN, wording="summary")]))
    with pytest.raises(BriefingNotFound, match="holds no findings or recommendations"):
        review_briefing(c, "r-b", ON)


def test_a_theme_briefing_leaves_out_records_without_learning_and_says_so_once(conn_for):
    c = conn_for(record("r-c", learning_points=[lp(ACTIONABLE.format(n=1))]),
                 record("r-d", title="A review we could not read", published="2025"),
                 record("r-e", themes=["domestic-abuse"],
                        learning_points=[lp(DESCRIPTIVE.format(n=3), themes=["domestic-abuse"])]))
    b = theme_briefing(c, "neglect", ON)
    assert [s.review_id for s in b.sources] == ["r-c"]
    assert b.sections[0].items[0] == "1 review in this repository has the theme Neglect (2024)."
    assert b.rest_note().count("A review we could not read") == 1


def test_a_theme_briefing_draws_on_a_review_whose_findings_carry_the_theme(conn_for):
    """Tagged on a finding, not on the review as a whole: it still has the theme."""
    c = conn_for(record("r-f", learning_points=[lp(ACTIONABLE.format(n=1))]),
                 record("r-g", themes=["domestic-abuse"], published="2023",
                        learning_points=[lp(DESCRIPTIVE.format(n=4), themes=["neglect", "domestic-abuse"])]))
    b = theme_briefing(c, "neglect", ON)
    assert [s.review_id for s in b.sources] == ["r-f", "r-g"]
    assert "Child G: The family moved house 4 times" in shown(b)


def test_items_a_practitioner_can_act_on_come_first_when_not_everything_fits(conn_for):
    findings = [lp(DESCRIPTIVE.format(n=n)) for n in range(12)] + [lp(ACTIONABLE.format(n=n)) for n in range(12)]
    c = conn_for(record("r-h", learning_points=findings))
    b = review_briefing(c, "r-h", ON)
    learning_items = b.sections[3].items
    assert learning_items and all("should ask" in i for i in learning_items)
    assert sum(word_count(i) for i in learning_items) <= BUDGETS[4]
    assert b.sections[2].left_out + len(b.sections[2].items) + len(learning_items) == 24  # all accounted for


def test_items_tagged_with_the_theme_come_first(conn_for):
    off = [lp(ACTIONABLE.format(n=f"off {n}"), themes=["domestic-abuse"]) for n in range(10)]
    on = [lp(ACTIONABLE.format(n=f"on {n}")) for n in range(10)]
    c = conn_for(record("r-i", themes=["neglect", "domestic-abuse"], learning_points=off + on))
    b = theme_briefing(c, "neglect", ON)
    assert b.sections[3].items and all(" on " in i for i in b.sections[3].items)


def test_a_long_first_sentence_is_left_out_not_cut(conn_for):
    long_one = " ".join(["word"] * (BUDGETS[3] + 5)) + "."
    c = conn_for(record("r-j", learning_points=[lp(long_one), lp(DESCRIPTIVE.format(n=1))]))
    findings = review_briefing(c, "r-j", ON).sections[2]
    assert findings.items == [DESCRIPTIVE.format(n=1)] and findings.left_out == 1


def test_the_note_about_the_rest_is_in_the_docx_once(conn_for):
    findings = [lp(ACTIONABLE.format(n=n)) for n in range(20)]
    actions = [{"recommendation": "1", "agency": "police", "action": DESCRIPTIVE.format(n=n), "status": "in-progress"}
               for n in range(12)]
    c = conn_for(record("r-k", learning_points=findings, agency_actions=actions,
                        recommendations=[rec("1", ACTIONABLE.format(n=n)) for n in range(1)]))
    b = review_briefing(c, "r-k", ON)
    doc = build_document(b, "https://learning.example.org")
    text = "\n".join(p.text for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs)
    assert text.count(REST_NOTE) == 1 and "of 20 findings" in text and "of 12 agency actions" in text
    assert "Shortened for this briefing" not in text
