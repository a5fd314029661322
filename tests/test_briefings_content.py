"""The seven sections gathered from reviews.db, the word budgets and our library of questions."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from briefings import questions
from briefings.content import (
    BUDGETS, SUMMARY_LABEL, TITLES, BriefingNotFound, human_date, review_briefing, theme_briefing,
)
from briefings.text import REST_NOTE, fit_items, word_count
from ingest.load import vocabulary_rows, write_database
from tests.briefing_data import long_records, shared_theme_records

ON = date(2026, 3, 2)


@pytest.fixture
def conn(sample_db_path):
    c = sqlite3.connect(f"file:{sample_db_path}?mode=ro", uri=True)
    yield c
    c.close()


@pytest.fixture
def shared_conn(tmp_path):
    c = sqlite3.connect(write_database(tmp_path / "reviews.db", shared_theme_records()))
    yield c
    c.close()


def test_review_briefing_has_seven_sections_in_order_from_the_review(conn):
    b = review_briefing(conn, "child-t-2022", ON)
    assert [(s.number, s.title) for s in b.sections] == list(TITLES.items())
    assert b.title == "7-minute briefing: Child T" and b.prepared_on == ON
    background, why, findings, learning, practice, remember, ask = b.sections
    assert "criminally exploited through county lines" in background.text()
    assert "Period reviewed: January 2020 to June 2021" in background.items[0]
    assert why.items[0].startswith("Child criminal exploitation: ")
    # A finding that tells a practitioner what to do ("escalate") is learning: it follows the
    # recommendations in section 4 and is not repeated in section 3.
    assert findings.items == [
        "Being out of education left Child T exposed to criminal exploitation by county lines groups.",
    ]
    assert learning.items[0].startswith("Recommendation 1: The partnership should seek assurance")
    assert learning.items[1].startswith("Recommendation 2: ")
    assert learning.items[2:] == ["Professionals did not escalate their concerns when schools refused a place."]
    assert b.rest_note() is None  # everything fitted: nothing to say
    assert practice.items[0] == "Police: Audit of NRM referrals for exploited children (in progress, reported June 2022)."
    assert ask.items[-1] == questions.embedded_question()
    assert "embedded" in ask.items[-1]
    assert remember.items and not any(s.cut for s in b.sections)


def test_sources_name_the_review_with_its_links(conn):
    (source,) = review_briefing(conn, "child-t-2022", ON).sources
    assert (source.subject, source.path) == ("Child T", "/reviews/child-t-2022")
    assert source.report_url == "https://example.org/northshire/reviews/child-t.pdf"
    assert source.has_summary_recommendations is False


def test_a_summary_recommendation_is_labelled(conn):
    b = review_briefing(conn, "baby-q-2019", ON)
    assert b.sections[3].items[0] == (f"[{SUMMARY_LABEL}] Summary of the recommendations addressed to health "
                                      "visitors and GPs on bruising in non-mobile babies (the exact wording is in "
                                      "the full report).")
    assert b.sources[0].has_summary_recommendations is True


def test_a_review_without_actions_says_so_rather_than_inventing_practice(conn):
    practice = review_briefing(conn, "family-w-2024", ON).sections[4]
    assert practice.items[0].startswith("No agency actions are recorded for this review yet")


def test_theme_briefing_draws_on_every_review_with_the_theme(shared_conn):
    b = theme_briefing(shared_conn, "neglect", ON)
    assert [s.review_id for s in b.sources] == ["family-w-2024", "child-t-2022", "baby-q-2019"]
    assert b.sections[0].items[0] == "3 reviews in this repository share the theme Neglect (2019 to 2024)."
    assert b.sections[1].items == ["Persistent failure to meet a child's basic physical, health, emotional or "
                                   "supervision needs."]
    # one finding and one recommendation from each review, taken in turn, each attributed
    assert [i.split(":")[0] for i in b.sections[2].items] == ["Family W", "Child T", "Baby Q"]
    # recommendations first, one from each review in turn, then findings a practitioner can act on
    assert [i.split(":")[0] for i in b.sections[3].items][:3] == ["Family W", "Child T", "Baby Q"]
    assert all("Recommendation" in i or SUMMARY_LABEL in i for i in b.sections[3].items[:3])
    assert f"Baby Q: [{SUMMARY_LABEL}]" in b.sections[3].text()
    shown = [i for s in b.sections[2:4] for i in s.items]
    assert len(shown) == len(set(shown)), "no record is shown twice"
    # the action on a recommendation with the theme comes before one on a recommendation without it
    assert b.sections[4].items == ["Child T, Police: Audit of NRM referrals for exploited children "
                                   "(in progress, reported June 2022).",
                                   "Child T, Education: Weekly review of children not on a school roll "
                                   "(completed, reported June 2022)."]


@pytest.mark.parametrize("build, slug, message", [
    (review_briefing, "nobody-2020", "no review with id 'nobody-2020'"),
    (theme_briefing, "not-a-theme", "no theme with slug 'not-a-theme'"),
    (theme_briefing, "radicalisation", "no reviews have the theme 'radicalisation' yet"),
])
def test_bad_slugs_raise_a_clear_error(conn, build, slug, message):
    with pytest.raises(BriefingNotFound, match=f"^{message}$"):
        build(conn, slug, ON)


def test_long_reviews_are_cut_to_the_budget_at_sentence_boundaries(tmp_path):
    c = sqlite3.connect(write_database(tmp_path / "reviews.db", long_records(3)))
    try:
        b = review_briefing(c, "review-0", ON)
        theme = theme_briefing(c, "neglect", ON)
    finally:
        c.close()
    for section in b.sections[:5] + theme.sections[:5]:
        assert sum(word_count(i) for i in section.items) <= BUDGETS[section.number]
        assert all(i.endswith((".", ")")) for i in section.items), section
    for briefing in (b, theme):
        assert not any("…" in i or "..." in i for s in briefing.sections for i in s.items)  # no cut mid-sentence
        assert not any(REST_NOTE in s.text() for s in briefing.sections)  # not repeated in every section
        note = briefing.rest_note()
        assert note.count(REST_NOTE) == 1 and "of 8 findings" in note or "of 24 findings" in note


def test_edited_text_replaces_sections_one_item_per_line(conn):
    b = review_briefing(conn, "child-t-2022", ON).with_texts({3: "- First point\n\n• Second point \n"})
    assert b.sections[2].items == ["First point", "Second point"]
    assert b.sections[2].cut is False
    assert b.sections[0].items == review_briefing(conn, "child-t-2022", ON).sections[0].items


def test_fit_items_keeps_whole_sentences():
    assert fit_items(["One two.", "Three four. Five six seven."], 10) == (["One two.", "Three four. Five six seven."], 0)
    assert fit_items(["One two.", "Three four. Five six seven."], 5) == (["One two.", "Three four."], 1)
    assert fit_items(["One two.", "Three four five six."], 5) == (["One two."], 1)
    assert fit_items(["e.g. section 4.2 of the report applies here."], 20)[1] == 0


def test_fit_items_never_cuts_inside_a_sentence_and_lets_shorter_items_through():
    assert fit_items(["one two three four five"], 3) == ([], 1)
    assert fit_items(["A long sentence that does not fit here.", "Short one."], 4) == (["Short one."], 1)


@pytest.mark.parametrize("value, expected", [
    ("2022-03", "March 2022"), ("2019-05-14", "14 May 2019"), ("2024", "2024"), (None, "date not recorded"),
    ("2022-13", "2022-13"),
])
def test_human_date(value, expected):
    assert human_date(value) == expected


def test_every_taxonomy_theme_has_its_own_prompts():
    slugs = {t["slug"] for t in vocabulary_rows()["themes"]}
    library = questions.library()["themes"]
    assert set(library) == slugs
    for slug, entry in library.items():
        assert len(entry["remember"]) >= 2 and len(entry["questions"]) >= 2, slug


def test_prompts_take_one_from_each_theme_in_turn():
    remember, asks = questions.prompts(["neglect", "safe-sleep"])
    lib = questions.library()["themes"]
    assert remember[:2] == [lib["neglect"]["remember"][0], lib["safe-sleep"]["remember"][0]]
    assert asks[:2] == [lib["neglect"]["questions"][0], lib["safe-sleep"]["questions"][0]]
    assert questions.prompts(["no-such-theme"]) == (questions.library()["default"]["remember"],
                                                    questions.library()["default"]["questions"])


def test_every_prompt_is_plain_text():
    """An unquoted 'Label: text' line in questions.yml would be a mapping and break every briefing."""
    library = questions.library()
    for entry in [library["default"], *library["themes"].values()]:
        assert all(isinstance(item, str) for items in entry.values() for item in items)
