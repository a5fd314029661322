"""Forms of real published pages the third round reads (issue 14, fresh5's misses): each test
builds the form block by block and checks what the extractor makes of it."""
from __future__ import annotations

from collections import Counter

from ingest.labels import split_text_label
from tests.blocks_support import H, L, P, T, run



def test_r_codes_label_recommendations_even_after_a_learning_heading():
    out = run(H("Learning summary: Child A"), H("Key learning", 2),
              L("Nobody asked who else lived in the home when the new partner moved in."),
              P("The review makes two recommendations, which the partnership has accepted."),
              P("R1 The partnership should publish guidance on assessing new adults who join a household."),
              P("R2: Health visitors should treat repeated cancelled visits as a safeguarding concern."))
    assert [r["number"] for r in out["recommendations"]] == ["R1", "R2"]
    assert [lp["text"][:6] for lp in out["learning_points"]] == ["Nobody"]


def test_an_r_code_needs_a_sentence_after_it():
    assert split_text_label("R2 was the second road.")[2] is None
    assert split_text_label("R12. Schools should check attendance.")[:1] == ("R12",)


def test_short_theme_labels_in_a_learning_list_are_learning_points():
    inline = run(H("Case reviews update"), P("2026 - Area - Child B"),
                 P("Learning themes include: chronic neglect; self-harm; the loss of history when cases transfer."))
    assert [lp["text"] for lp in inline["learning_points"]] == [
        "chronic neglect", "self-harm", "the loss of history when cases transfer"]
    listed = run(H("Joint review: Child C"), H("Key learning", 2), L("cross-border working"),
                 L("the child's wishes about contact not recorded"))
    assert [lp["text"] for lp in listed["learning_points"]] == [
        "cross-border working", "the child's wishes about contact not recorded"]


def test_a_short_paragraph_in_a_learning_section_is_still_not_a_learning_point():
    out = run(H("Key learning"), P("Read more below"), P("Nobody asked who else lived in the home when the partner moved in."))
    assert len(out["learning_points"]) == 1


def test_themes_named_by_practice_terms_and_not_by_a_moment_or_a_verb():
    from ingest.themes import choose_themes

    assert "safe-sleep" in choose_themes("Housing officers should ask about sleeping space for a newborn.")
    assert "neglect" in choose_themes("Plot the weight on the growth chart and refer when it falls two centiles.")
    assert "children-missing-education" in choose_themes("Follow up when a pupil leaves for an unknown destination.")
    assert "supervision-and-training" in choose_themes("Raise awareness among GPs of the self-harm pathway.")
    assert "voice-of-the-child" in choose_themes("Treat a child's fear of going home as a disclosure.")
    assert "transitions-and-transfers" in choose_themes("Audit how cases are closed when a family moves away.")
    assert "transitions-and-transfers" not in choose_themes(
        "Give both parents advice on coping with crying before the baby is discharged from hospital.")
    assert "looked-after-children" not in choose_themes("Ask pupils whether they look after someone at home.")


def test_a_sentence_listing_theme_labels_gives_one_learning_point_each():
    out = run(H("Summary of the review"), H("What we found", 2),
              P("The themes identified include professional curiosity, the impact of parental drinking on a "
                "teenager, and the way agencies respond to a young carer."))
    assert [lp["text"] for lp in out["learning_points"]] == [
        "professional curiosity", "the impact of parental drinking on a teenager",
        "the way agencies respond to a young carer"]
    prose = run(H("What we found"), P("The themes identified include how the school, the GP and the police "
                                      "each held part of the picture; nobody held all of it."))
    assert len(prose["learning_points"]) == 1


def test_themes_named_the_ways_practitioners_name_them():
    from ingest.themes import choose_themes

    assert "children-missing-education" in choose_themes("Offer every child educated at home a visit each year.")
    assert "children-missing-education" in choose_themes("Check the child before a school removes them from its roll.")
    assert "serious-youth-violence" in choose_themes("Offer a youth worker to every young person treated for a stab wound.")
    assert "multi-agency-working" in choose_themes("Schools should hold a multi-agency meeting before an exclusion.")
    assert "multi-agency-working" not in choose_themes("Publish multi-agency guidance on fabricated illness.")
    assert "parental-vulnerability" in choose_themes("Seek assurance that adult services think family.")
    assert "parental-vulnerability" in choose_themes("Offer every care leaver who becomes a parent an advocate.")
    assert "records-and-chronologies" in choose_themes("GPs should add an alert to the record of the mother.")
    assert "neglect" in choose_themes("Follow up a child who misses an appointment with the family.")
    assert "voice-of-the-child" in choose_themes("Offer a visit at which the child is seen in person.")
    assert "information-sharing" in choose_themes("What the child says should be passed to the social worker.")
    assert "physical-abuse" in choose_themes("Apply the protocol to marks on pre-mobile infants.")
    assert "safe-sleep" in choose_themes("Ask parents whether they share a bed with their infant.")
    assert "missing-children" in choose_themes("Offer an interview to children who run away from home.")
    assert "contextual-safeguarding" in choose_themes("Assess harm outside the home.")
    assert "emotional-abuse" in choose_themes("Recognise children exposed to parental conflict.")
    assert "parental-engagement" in choose_themes("Act when a parent does not engage with services.")
    assert "children-missing-education" in choose_themes("Find children missing from education.")
    assert "missing-children" not in choose_themes("Find children missing from education.")
    # a longer term of one theme does not swallow another theme's signal inside it
    assert {"looked-after-children", "parental-vulnerability"} <= set(
        choose_themes("Offer every care leaver who becomes a parent an advocate."))


def test_words_that_look_like_a_theme_but_are_not_one():
    from ingest.themes import choose_themes

    # the verb is not the status; faith groups as partners are not the family's faith;
    # "school staff" is not staffing (a signal that counts only as written, `exact_signals`)
    assert "looked-after-children" not in choose_themes("Ask every client whether they look after children.")
    assert "ethnicity-culture-identity" not in choose_themes("Run a campaign on safe sleep with faith groups.")
    assert "supervision-and-training" not in choose_themes("Map the places and spaces that school staff know.")
    assert "supervision-and-training" not in choose_themes("He was recruited into a county lines network.")
    assert "supervision-and-training" in choose_themes("Address staffing and recruitment in the team.")


def test_a_lead_in_naming_areas_for_improvement_introduces_recommendations():
    out = run(H("Rapid review learning brief"), P("Key learning:"),
              L("Young people may not say that they are being blackmailed online."),
              P("The rapid review identified the following areas for improvement:"),
              L("Schools should teach online safety from Year 7."),
              L("The police should offer emotional support the same day."))
    assert [r["text"] for r in out["recommendations"]] == [
        "Schools should teach online safety from Year 7.", "The police should offer emotional support the same day."]
    assert len(out["learning_points"]) == 1


def test_the_body_that_agreed_the_recommendations_addresses_only_those_naming_no_one():
    out = run(H("Board minutes"), P("The Board agreed the following recommendations:"),
              L("The police should notify children's social care of every domestic incident with a child present.", "1"),
              L("Develop guidance on the emotional harm of parental conflict.", "2"))
    assert [r["agencies"] for r in out["recommendations"]] == [["police"], ["safeguarding-partnership"]]
    named = run(H("Review"), P("The review makes the following recommendations to health partners:"),
                L("Offer every family a home visit after a move.", "1"))
    assert named["recommendations"][0]["agencies"] == ["health"]


def test_a_table_column_headed_as_a_recommendations_heading_holds_the_recommendations():
    out = run(H("Rapid review: Baby C"),
              T(["Learning", "What needs to change", "Who"], header=True),
              T(["Three professionals saw bruising and each assumed another had referred.",
                 "Every professional who sees a bruise on a baby should make the referral themselves.", "All agencies"]),
              T(["A father's conviction was known to probation but not to the health visitor.",
                 "Probation should tell the health visiting service when a person they supervise lives with a baby.",
                 "Probation"]))
    assert [r["text"][:20] for r in out["recommendations"]] == ["Every professional w", "Probation should tel"]
    assert out["recommendations"][1]["agencies"] == ["probation"]
    assert len(out["learning_points"]) == 2


def test_an_owner_line_after_a_rationale_paragraph_is_the_owner_of_the_recommendation_before():
    out = run(H("Recommendations"),
              L("Children's social care should include a chronology of every previous referral in each assessment.", "1"),
              P("Why: eight referrals over five years were each treated as the first."),
              P("Lead agency: Children's social care"),
              L("Practitioners should check whether a parent's apparent cooperation leads to any change.", "2"),
              P("Why: agreement with plans was mistaken for change."),
              P("Lead agency: Safeguarding partnership"),
              L("Health visitors should find out about every man who spends time in the household.", "3"))
    assert [r["agencies"] for r in out["recommendations"]] == [
        ["childrens-social-care"], ["safeguarding-partnership"], ["health"]]


def test_a_first_person_recommendation_is_the_publishers_own():
    out = run(H("Learning from local reviews"), H("What we will do", 2),
              L("We will run briefings for teachers on how extremist content reaches young people online."))
    assert out["recommendations"][0]["agencies"] == ["safeguarding-partnership"]


def test_themes_described_in_plain_words():
    from ingest.themes import choose_themes

    assert "harmful-practices" in choose_themes("Tell the lead when a student is taken abroad during term.")
    assert "records-and-chronologies" in choose_themes("The police should put a marker on every linked address.")
    assert "fathers-and-male-carers" in choose_themes("Find out about every man who spends time in the home.")
    assert "parental-engagement" in choose_themes("Check whether a parent's apparent cooperation changes anything.")
    assert "safe-sleep" in choose_themes("Set out what partners must do when a baby dies suddenly at home.")
    assert "poverty-and-housing" in choose_themes("Ask about food and heating when a family is struggling financially.")
    assert "supervision-and-training" in choose_themes("We will run briefings for teachers on extremism.")


def test_themes_in_plain_descriptions_and_whose_mental_health():
    from ingest.themes import choose_themes

    assert "radicalisation" in choose_themes("Young people drawn into extremism online.")
    assert "disabled-children" in choose_themes("A child who uses a wheelchair.")
    assert "emotional-abuse" in choose_themes("A child repeatedly told they are worthless.")
    assert "poverty-and-housing" in choose_themes("A family living in a hostel.")
    assert "children-missing-education" in choose_themes("Follow up a pupil who stops attending.")
    assert "children-missing-education" not in choose_themes("Follow up a mother who stops attending.")
    assert "thresholds" not in choose_themes("Mental health services should not close the case without a call.")
    # "sectioned": the parent's or the young person's mental health, as the rest of the document says
    assert choose_themes("A parent who had been sectioned.", Counter({"parental-mental-health": 2})) == [
        "parental-mental-health"]
    assert choose_themes("A young person who had been sectioned.", Counter({"child-mental-health": 2})) == [
        "child-mental-health"]
    assert "radicalisation" not in choose_themes("The home was extremely cold and had no heating.")
