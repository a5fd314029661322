"""The extractor: review metadata, recommendations and their addressees, learning points and
action plans, from Documents built block by block, and end to end through generated files."""
from __future__ import annotations

import pytest

from ingest.addressees import addressees
from ingest.dates import due_date, published_date
from ingest.document import Block
from ingest.extract import extract, extract_file
from tests.blocks_support import H, L, P, T, doc


def recs(*blocks):
    return extract(doc(*blocks))["recommendations"]


# ---------------------------------------------------------------- addressees


@pytest.mark.parametrize("text, expected", [
    ("GPs should ask who lives in the household.", ["primary-care"]),
    ("The partnership should seek assurance from the police that officers understand the NRM.",
     ["police", "safeguarding-partnership"]),
    ("The partnership should ask schools to share attendance data with children's social care.",
     ["education", "safeguarding-partnership"]),
    ("Children's social care and Thames Valley Police should agree a protocol.", ["police", "childrens-social-care"]),
    ("TVP to review its response to missing episodes.", ["police"]),
    ("The DSL should make sure staff record concerns.", ["education"]),
    ("The OSCB should work with CAMHS and the ICB to develop a pathway.",
     ["health", "mental-health", "safeguarding-partnership"]),
    ("It is recommended that health visitors and midwives receive training on safe sleep.", ["health"]),
    ("The YJS should ensure that every child has an assessment.", ["youth-justice"]),
    ("All agencies should ensure practitioners use the escalation policy.", ["safeguarding-partnership"]),
    ("In future, the police should share information with CSC promptly.", ["police"]),
])
def test_addressees(text, expected):
    assert addressees(text) == expected


@pytest.mark.parametrize("text, not_addressed", [
    ("Schools should refer concerns to children's social care promptly.", "childrens-social-care"),
    ("The learning from this review about the police response should be shared.", "police"),
    ("All referrals to CSC should be acknowledged within a day.", "childrens-social-care"),
    ("The partnership should ensure that schools notify CSC when a child leaves.", "childrens-social-care"),
    ("Agencies that work with the police should be aware of the policy.", "police"),
])
def test_mentioned_agency_is_not_an_addressee(text, not_addressed):
    assert not_addressed not in addressees(text)


def test_recommendation_agencies_exclude_mentioned_only():
    (rec,) = recs(H("Recommendations"),
                  L("The partnership should ask schools to share attendance data with children's social care.", "1"))
    assert rec["agencies"] == ["education", "safeguarding-partnership"]


def test_recommendation_without_addressee_uses_mentions_then_partnership():
    first, second = recs(H("Recommendations"),
                         L("Training on safe sleep should be offered to health visitors.", "1"),
                         L("Consideration should be given to a neglect strategy.", "2"))
    assert first["agencies"] == ["health"]
    assert second["agencies"] == ["safeguarding-partnership"]


# ---------------------------------------------------------------- recommendations


def test_numbers_as_published_and_themes_and_types():
    found = recs(
        H("5. Recommendations"),
        P("The review makes the following recommendations:"),
        L("GPs should record the names of fathers and male carers.", "4.1"),
        L("The partnership should audit the use of the neglect toolkit.", "4.2"),
    )
    assert [r["number"] for r in found] == ["4.1", "4.2"]
    # "record" alone is a weak signal (ingest/extraction_rules.yml): recording names is not a
    # recommendation about records and chronologies
    assert found[0]["themes"] == ["fathers-and-male-carers"]
    assert found[1]["rec_type"] == "audit"
    assert "neglect" in found[1]["themes"]


def test_recommendation_label_in_text_anywhere():
    found = recs(
        H("Findings"),
        P("Agencies did not share information about the risk from the father."),
        P("Recommendation 3: Thames Valley Police should flag addresses linked to county lines."),
    )
    assert [(r["number"], r["agencies"]) for r in found] == [("3", ["police"])]
    assert found[0]["text"].startswith("Thames Valley Police should flag")


def test_recommendation_heading_followed_by_text():
    (rec,) = recs(H("Recommendation 2", 2), P("The local authority should review the LADO process."))
    assert rec["number"] == "2" and rec["text"] == "The local authority should review the LADO process."
    assert rec["agencies"] == ["local-authority"]


def test_continuation_across_page_break_is_one_recommendation():
    found = recs(
        H("Recommendations", page=10),
        L("Children's social care should make sure that every assessment of a family", "1", page=10),
        P("includes the father and any other adult in the household.", page=11),
        L("Schools should record part-time timetables.", "2", page=11),
    )
    assert len(found) == 2
    assert found[0]["text"] == ("Children's social care should make sure that every assessment of a family "
                                "includes the father and any other adult in the household.")
    assert found[0]["page"] == 10


def test_lettered_sub_items_belong_to_their_parent():
    found = recs(
        H("Recommendations"),
        L("The partnership should strengthen its response to neglect by:", "1"),
        L("publishing a neglect strategy;", "(a)", level=1),
        L("training staff in the Graded Care Profile.", "(b)", level=1),
        L("The ICB should audit referrals from GPs.", "2"),
    )
    assert [r["number"] for r in found] == ["1", "2"]
    assert "(a) publishing a neglect strategy;" in found[0]["text"]
    assert "(b) training staff" in found[0]["text"]


def test_top_level_lettered_list_keeps_letters():
    found = recs(H("Recommendations"), L("Schools should record all absences.", "(a)"),
                 L("The police should record all missing episodes.", "(b)"))
    assert [r["number"] for r in found] == ["a", "b"]


def test_grouped_recommendations_take_the_group_addressee_and_unique_numbers():
    found = recs(
        H("Recommendations", 1),
        H("For the partnership", 2),
        L("Review the multi-agency neglect strategy.", "1"),
        L("Seek assurance that the escalation policy is used.", "2"),
        H("Recommendations for Thames Valley Police", 2),
        L("Review the use of the National Referral Mechanism.", "1"),
        H("For single agencies", 2),
        L("GPs should record who lives in the household.", "1"),
    )
    assert [r["number"] for r in found] == ["1", "2", "TVP1", "SA1"]
    assert found[0]["agencies"] == ["safeguarding-partnership"]
    assert found[2]["agencies"] == ["police"]
    assert found[3]["agencies"] == ["primary-care"]
    assert len({r["number"] for r in found}) == len(found)


def test_group_heading_as_paragraph_inside_recommendations():
    found = recs(H("Recommendations"), P("For schools:"), L("Review attendance procedures termly.", "1"))
    assert found[0]["agencies"] == ["education"]


def test_unnumbered_recommendations_are_numbered_in_order():
    found = recs(
        H("Recommendations"),
        P("This review makes two recommendations, which are set out below."),
        P("The partnership should develop a safe sleep campaign."),
        P("Health visitors should discuss safe sleep at every contact."),
    )
    assert [(r["number"], r["text"][:15]) for r in found] == [("1", "The partnership"), ("2", "Health visitors")]


def test_paragraph_discussing_recommendations_is_not_one():
    result = extract(doc(
        H("Findings"),
        P("The review found that recommendations from a previous serious case review had not been implemented."),
        H("Recommendations"),
        P("The recommendations below were agreed by the panel:"),
        L("The partnership should track the implementation of review recommendations.", "1"),
        H("Appendix 1: Terms of reference"),
        P("Agencies should provide chronologies to the reviewer by the agreed date."),
    ))
    assert [r["number"] for r in result["recommendations"]] == ["1"]
    assert result["learning_points"][0]["text"].startswith("The review found")


def test_recommendation_of_previous_review_is_not_labelled_one():
    result = extract(doc(H("Background"),
                         P("Recommendation 3 of the previous review was not implemented by the police.")))
    assert result["recommendations"] == []


def test_recommendations_table_with_number_and_agency_columns():
    found = recs(
        H("Recommendations"),
        T(["No.", "Recommendation", "Agency"], header=True),
        T(["1", "Develop a protocol for sharing information about children missing education.", "CSC and schools"]),
        T(["2", "Provide training on the NRM to frontline staff.", "TVP"]),
        T(["", "and report take-up to the partnership.", ""]),
    )
    assert [r["number"] for r in found] == ["1", "2"]
    assert found[0]["agencies"] == ["childrens-social-care", "education"]
    assert found[1]["agencies"] == ["police"]
    assert found[1]["text"].endswith("and report take-up to the partnership.")


def test_repeated_recommendations_are_merged():
    text = "The partnership should seek assurance that schools follow the children missing education procedure."
    found = recs(H("Executive summary"), H("Recommendations", 2), L(text, "1"),
                 H("Introduction"), P("Some background."), H("Recommendations"), L(text, "1"),
                 L("Health visitors should ask about fathers at every visit.", "2"))
    assert [r["number"] for r in found] == ["1", "2"]


def test_sub_numbered_items_under_a_title_make_a_group():
    found = recs(H("Recommendations"), L("Domestic abuse", "4"),
                 L("The police should share DA notifications with schools.", "4.1"),
                 L("Schools should act on Operation Encompass notifications.", "4.2"))
    assert [r["number"] for r in found] == ["4.1", "4.2"]


# ---------------------------------------------------------------- learning points


def test_learning_points_from_findings_sections_with_themes_and_links():
    result = extract(doc(
        H("Background"),
        P("Jacob lived with his mother and siblings in a small flat."),
        H("Key learning"),
        L("Professionals did not see the risk of criminal exploitation as abuse.", "1"),
        Block("Information was not shared between schools and the police. (source)", "list_item", None, 0, "2",
              links=["https://example.org/report#p4"]),
        H("Lessons learned"),
        P("The voice of the child was not heard because he was never seen alone."),
    ))
    texts = [lp["text"] for lp in result["learning_points"]]
    assert texts == [
        "Professionals did not see the risk of criminal exploitation as abuse.",
        "Information was not shared between schools and the police.",
        "The voice of the child was not heard because he was never seen alone.",
    ]
    assert result["learning_points"][0]["themes"] == ["child-criminal-exploitation"]
    assert result["learning_points"][1]["source_url"] == "https://example.org/report#p4"
    assert "voice-of-the-child" in result["learning_points"][2]["themes"]


def test_finding_headings_give_context_for_themes():
    result = extract(doc(H("Findings"), H("Finding 1: Information sharing", 2),
                         P("The school knew about the absences but the GP practice did not.")))
    (lp,) = result["learning_points"]  # a three-word finding title is context, not a learning point
    assert lp["text"] == "The school knew about the absences but the GP practice did not."
    assert "information-sharing" in lp["themes"]


# ---------------------------------------------------------------- action plans


def test_action_plan_rows_are_normalised():
    result = extract(doc(
        H("Recommendations"),
        L("Thames Valley Police should train officers in the NRM.", "1"),
        L("Schools should record part-time timetables.", "2"),
        H("Action plan"),
        T(["Rec", "Action", "Lead agency", "Target date", "RAG"], header=True),
        T(["1", "Deliver NRM training", "Thames Valley Police", "March 2022", "Green"]),
        T(["", "Audit NRM referrals", "", "Q2 2022", "Amber"]),
        T(["2", "Issue guidance to schools", "Education Safeguarding Team", "31/12/2022", "Red"]),
        T(["2", "Review timetables", "Head teachers", "Ongoing", "Not started"]),
    ))
    assert result["agency_actions"] == [
        {"recommendation": "1", "agency": "police", "action": "Deliver NRM training", "due": "2022-03-31",
         "status": "completed"},
        {"recommendation": "1", "agency": "police", "action": "Audit NRM referrals", "due": "2022-06-30",
         "status": "in-progress"},
        {"recommendation": "2", "agency": "education", "action": "Issue guidance to schools", "due": "2022-12-31",
         "status": "not-started"},
        {"recommendation": "2", "agency": "education", "action": "Review timetables", "due": None,
         "status": "not-started"},
    ]


def test_blue_in_a_table_switches_to_brag():
    result = extract(doc(
        T(["Recommendation", "Action", "Owner", "Status"], header=True),
        T(["1", "Publish guidance", "CSC", "Blue"]),
        T(["2", "Deliver training", "Health", "Green"]),
    ))
    assert [a["status"] for a in result["agency_actions"]] == ["completed", "in-progress"]
    assert [a["agency"] for a in result["agency_actions"]] == ["childrens-social-care", "health"]


def test_action_row_refers_to_recommendation_by_text():
    result = extract(doc(
        H("Recommendations"),
        L("GPs should record who lives in the household with a child.", "3"),
        T(["Recommendation", "Action", "Lead", "Timescale"], header=True),
        T(["GPs should record who lives in the household with a child", "Update templates", "ICB", "Sept 2023"]),
    ))
    assert result["agency_actions"][0]["recommendation"] == "3"
    assert result["agency_actions"][0]["due"] == "2023-09-30"


@pytest.mark.parametrize("text, due", [
    ("January 2023", "2023-01-31"), ("Q4 2022", "2022-12-31"), ("Q1 2023/24", "2023-06-30"),
    ("23/09/2019", "2019-09-23"), ("Immediate", None), ("February 2024", "2024-02-29"),
])
def test_due_dates(text, due):
    assert due_date(text) == due


# ---------------------------------------------------------------- metadata


def test_cover_with_separate_lines():
    meta = extract(doc(
        P("Oxfordshire Safeguarding Children Board", page=1), H("Serious Case Review", page=1),
        P("Child K", page=1), P("Published: 23 September 2019", page=1),
        H("Introduction", page=2), P("Child K was 15. Child K lived with his mother.", page=2),
    ))["review"]
    assert meta == {"title": "Serious Case Review: Child K", "subject": "Child K", "review_type": "scr",
                    "publisher": "Oxfordshire Safeguarding Children Board", "published": "2019-09-23"}


def test_cover_with_named_subject_and_partnership_abbreviation():
    meta = extract(doc(
        H("Child Safeguarding Practice Review concerning Jacob", page=1),
        P("Published by the Oxfordshire Safeguarding Children Partnership (OSCP)", page=1),
        P("January 2021", page=1),
        P("Period under review: July 2017 to April 2019", page=1),
        P("Jacob was a much loved son. Jacob was 16.", page=2), P("More about Jacob.", page=2),
    ))["review"]
    assert meta["subject"] == "Jacob"
    assert meta["review_type"] == "cspr"
    assert meta["publisher"] == "Oxfordshire Safeguarding Children Partnership (OSCP)"
    assert meta["published"] == "2021-01"


def test_seven_minute_briefing_is_a_learning_summary_and_uses_file_title():
    meta = extract(doc(P("1. Background"), P("Baby L was six weeks old."),
                       metadata={"title": "7 Minute Briefing - Baby L"}, fmt="docx"))["review"]
    assert meta["review_type"] == "learning-summary"
    assert meta["subject"] == "Baby L"
    assert meta["title"] == "7 Minute Briefing - Baby L"


def test_rapid_review_and_group_of_children():
    meta = extract(doc(H("Local Learning Review: Children A-F", page=1),
                       P("Northshire Safeguarding Children Partnership", page=1)))["review"]
    assert meta["review_type"] == "partnership-learning-review"
    assert meta["subject"] == "Children A-F"
    assert meta["published"] is None


def test_published_date_keeps_precision():
    assert published_date("January 2021") == "2021-01"
    assert published_date("23rd September 2019") == "2019-09-23"
    assert published_date("2019") is None


def test_output_shape():
    result = extract(doc(H("Recommendations"), L("The police should review the policy.", "1")))
    assert set(result) == {"source", "review", "recommendations", "learning_points", "agency_actions"}
    assert result["source"] == {"file": "review.pdf", "format": "pdf", "sha256": "0" * 64, "pages": None}
    assert set(result["recommendations"][0]) == {"number", "text", "agencies", "themes", "page", "rec_type"}


# ---------------------------------------------------------------- end to end


PLAN = [["1", "Publish a CME protocol", "Education", "March 2023", "Complete"],
        ["2", "Agree joint protocol", "Thames Valley Police", "Q2 2023", "On track"]]


def test_generated_pdf_end_to_end(tmp_path):
    from tests import docgen

    report = docgen.make_report_pdf(tmp_path / "r.pdf", pages=8, action_plan=PLAN)
    result = extract_file(report.path)
    assert result["review"]["subject"] == "Child T"
    assert result["review"]["review_type"] == "cspr"
    assert result["review"]["published"] == "2022-03"
    found = result["recommendations"]
    assert [r["number"] for r in found] == ["1", "2", "3"]
    assert report.crossing_recommendation == 2
    assert [r["text"] for r in found] == docgen.DEFAULT_RECOMMENDATIONS
    assert found[1]["page"] == report.crossing_page
    assert {"police", "childrens-social-care"} <= set(found[1]["agencies"])
    assert [lp["text"] for lp in result["learning_points"]] == docgen.DEFAULT_FINDINGS
    assert [(a["recommendation"], a["agency"], a["due"], a["status"]) for a in result["agency_actions"]] == [
        ("1", "education", "2023-03-31", "completed"), ("2", "police", "2023-06-30", "in-progress")]


def test_generated_docx_end_to_end(tmp_path):
    from tests import docgen

    path = docgen.make_review_docx(tmp_path / "r.docx", action_plan=PLAN)
    result = extract_file(path)
    assert result["review"]["review_type"] == "partnership-learning-review"
    assert result["review"]["subject"] == "Child K"
    found = result["recommendations"]
    assert [r["number"] for r in found] == ["1", "2"]
    assert "(a) Schools should record every absence." in found[0]["text"]
    assert "education" in found[0]["agencies"]
    assert found[1]["agencies"] == ["police", "childrens-social-care"]
    assert len(result["learning_points"]) == 3
    assert result["agency_actions"][1]["agency"] == "police"


def test_generated_markdown_summary_keeps_source_links(tmp_path):
    from tests import docgen

    path = docgen.make_markdown(tmp_path / "s.md", recommendations=["GPs should ask about fathers."])
    result = extract_file(path)
    assert result["review"]["review_type"] == "learning-summary"
    assert [lp["source_url"] for lp in result["learning_points"]] == [
        f"https://example.org/child-t#p{i}" for i in (1, 2, 3)]
    assert result["recommendations"][0]["agencies"] == ["primary-care"]


def test_that_form_paragraphs_are_recommendations_addressed_to_their_subject():
    result = extract(doc(
        H("Recommendations"),
        P("The reviewer makes the following recommendations to the partnership."),
        P("That the partnership seeks assurance from schools that staff know how to refer a concern."),
        P("That health visitors ask who has parental responsibility for the child."),
    ))
    got = [(r["number"], r["agencies"]) for r in result["recommendations"]]
    assert got == [("1", ["education", "safeguarding-partnership"]), ("2", ["health"])]


def test_conclusion_about_monitoring_recommendations_is_not_learning():
    result = extract(doc(
        H("Conclusion"),
        P("The partnership will receive an update on progress against these recommendations in twelve months."),
    ))
    assert result["learning_points"] == []


# ---------------------------------------------------------------- issue 14: real-page habits


def test_a_lead_in_sentence_opens_a_list_and_names_its_addressee():
    found = recs(
        H("Background"),
        P("Child A was injured at home."),
        P("Arising from the review, the Board is asked to:"),
        L("note the report and the learning it contains;", "a"),
        L("ask the police to review how repeat missing episodes are recorded;", "b"),
        L("approve the publication of the report.", "c"),
        P("Recommendations for health partners:"),
        L("Ensure that clinics ask every young person about the age of their partner.", "1"),
        P("For both partnerships:"),
        L("Agree a protocol for sharing intelligence when a child moves between the areas.", "1"),
        P("The chair thanked the reviewers."),
    )
    assert [r["text"][:20] for r in found] == ["ask the police to re", "Ensure that clinics ", "Agree a protocol for"]
    assert found[0]["agencies"] == ["police", "safeguarding-partnership"]
    assert found[1]["agencies"] == ["health"]
    assert found[2]["agencies"] == ["safeguarding-partnership"]


def test_captions_links_and_sentences_about_the_recommendations_are_not_recommendations():
    found = recs(
        H("Recommendations"),
        L("Image: the front cover of the report"),
        L("The review makes four recommendations, which are summarised here."),
        L("Schools should record a child's disclosure in the child's own words."),
        L("Download the full report (PDF, 1 MB)"),
    )
    assert [r["text"] for r in found] == ["Schools should record a child's disclosure in the child's own words."]


def test_roman_sub_items_belong_to_their_lettered_recommendation():
    found = recs(
        H("Recommendations"),
        L("The partnership should publish guidance on neglect of disabled children that covers:", "(a)"),
        L("how a disability can mask neglect;", "(i)", level=1),
        L("how to seek the views of a child who does not use speech.", "(ii)", level=1),
        L("The partnership should audit whether the guidance changed practice.", "(b)"),
    )
    assert [r["number"] for r in found] == ["a", "b"]
    assert "(ii) how to seek the views" in found[0]["text"]


def test_an_action_plan_recommendation_column_holds_the_recommendations():
    found = recs(
        H("Action plan"),
        T(["Recommendation", "Action", "Lead", "Target date"], header=True),
        T(["1. The partnership should develop a protocol for children who self-harm repeatedly.",
           "Draft the protocol", "Business unit", "March 2026"]),
        T(["1. The partnership should develop a protocol for children who self-harm repeatedly.",
           "Consult young people", "Business unit", "May 2026"]),
        T(["2. Short title", "Audit assessments", "Children's social care", "June 2026"]),
    )
    assert [(r["number"], r["text"][:30]) for r in found] == [("1", "The partnership should develop")]
    assert found[0]["themes"] == ["child-mental-health"]


def test_a_report_of_actions_taken_on_recommendations_is_not_a_list_of_recommendations():
    found = recs(
        P("The steps taken as a result of the recommendations include:"),
        L("The launch of a joint exploitation service staffed by social workers and police."),
        L("Panels in each area that review why children go missing."),
    )
    assert found == []


def test_the_publishers_name_as_a_heading_is_not_the_title():
    out = extract(doc(H("Northshire Safeguarding Children Partnership"), H("Safeguarding in Education Bulletin"),
                      H("Issue 4: Spring"), P("Welcome to the bulletin."), H("News"), P("Text."), fmt="txt"))
    assert out["review"]["title"] == "Safeguarding in Education Bulletin"
