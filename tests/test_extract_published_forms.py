"""Forms real published pages use that the extraction rules read (issue 14, second round): each
test builds the form block by block and checks what the extractor makes of it."""
from __future__ import annotations

from ingest.readers.text import text_blocks
from ingest.themes import choose_themes
from tests.blocks_support import H, L, P, T, run



def test_a_committees_resolution_to_note_is_not_a_recommendation():
    out = run(H("Recommendations"), L("That the committee notes the findings of the review.", "1"),
              L("Members are recommended to note the learning.", "2"),
              L("The police should record the names of all children present at a domestic incident.", "3"))
    assert [r["number"] for r in out["recommendations"]] == ["3"]


def test_actions_the_partners_agreed_are_recommendations():
    out = run(H("What the partnership will do"), P("The safeguarding partners agreed the following actions:"),
              L("Remind practitioners that any injury to a baby who cannot walk needs a child protection medical.", "1"))
    assert len(out["recommendations"]) == 1


def test_a_finding_in_prose_is_learning_but_not_inside_a_named_other_section():
    found = run(H("Review of Child G published"), P("The review found that the school and the GP both knew the child "
                                                    "had moved out of the family home."))
    assert len(found["learning_points"]) == 1
    analysis = run(H("Analysis"), P("The review found that the school and the GP both knew the child had moved out "
                                    "of the family home."))
    assert analysis["learning_points"] == []


def test_listed_questions_are_learning_unless_they_are_for_reflection():
    out = run(H("Learning for practitioners"),
              L("When a child is found with cash and a second phone, do I ask who gave them to him?"),
              H("Questions for reflection"), L("How will your team know that the learning is embedded?"))
    assert [lp["text"][:4] for lp in out["learning_points"]] == ["When"]


def test_a_list_of_what_has_been_done_is_neither_learning_nor_recommendations():
    out = run(H("Key learning"), L("Safer sleep advice was not given to the father."), P("What we have done since:"),
              L("Relaunched the safer sleep assessment tool for all health visitors."))
    assert len(out["learning_points"]) == 1 and out["recommendations"] == []


def test_an_owner_line_addresses_the_recommendation_before_it_and_is_not_a_heading():
    out = run(H("Findings and recommendations"), P("The school held concerns for six months without a referral."),
              H("Recommendation 1", 2), P("Guidance on referral thresholds should be published for schools."),
              H("Responsible: Thornby Safeguarding Children Partnership", 2),
              P("The older brother's exclusion was not linked to the concerns about his sister."))
    assert out["recommendations"][0]["agencies"] == ["safeguarding-partnership"]
    assert len(out["learning_points"]) == 2


def test_addressees_a_subjunctive_subject_a_recipient_a_back_reference_and_a_part_of_the_council():
    out = run(H("Recommendations"), P("The reviewer recommends that:"),
              L("mental health services do not close a referral without speaking to the young person and their GP;"),
              H("Community drug and alcohol service", 2),
              L("The drug and alcohol service should ask parents how medication is stored at home.", "1"),
              L("The service should also offer a lockable box to every such parent.", "2"),
              H("For the partnership", 2),
              L("The partnership should write to the Department for Education about medicine labelling.", "3"),
              H("Lowfield Council children's services", 2),
              L("Independent reviewing officers should see a young person within twenty days of a move.", "4"))
    agencies = [r["agencies"] for r in out["recommendations"]]
    assert agencies == [["mental-health"], ["public-health"], ["public-health"], ["safeguarding-partnership"],
                        ["childrens-social-care"]]


def test_learning_and_recommendation_columns_of_one_table_give_both():
    out = run(H("Learning and recommendations"),
              T(["Learning point", "Recommendation", "Agency"], header=True),
              T(["The school saw attendance fall but did not know respite had stopped.",
                 "Schools should share a fall in the attendance of a disabled child with the social worker.",
                 "Schools"]))
    assert len(out["recommendations"]) == 1 and out["recommendations"][0]["agencies"] == ["education"]
    assert [lp["text"][:10] for lp in out["learning_points"]] == ["The school"]


def test_text_saved_from_a_pdf_keeps_its_cover_lines_apart_and_drops_running_titles():
    text = ("LEARNING REVIEW: BABY T4\nDunmere Safeguarding Children Partnership\n\nPage 1 of 18\n\n"
            "5. RECOMMENDATIONS\n1. The partnership should repeat the safer sleep assessment when a family moves.\n\n"
            "Learning Review Baby T4\nPage 16 of 18\n\n"
            "2. Health visitors should ask both parents about alcohol use at the new birth visit.\n\n"
            "Learning Review Baby T4\nPage 17 of 18\n")
    out = run(*text_blocks(text), fmt="txt")
    assert out["review"]["title"] == "LEARNING REVIEW: BABY T4"
    assert [r["number"] for r in out["recommendations"]] == ["1", "2"]


def test_themes_named_the_way_practitioners_write_them():
    assert "looked-after-children" in choose_themes("Assess every kinship carer within ten days.")
    assert "risk-assessment" in choose_themes("Practitioners should identify and assess every adult in the home.")
    assert choose_themes("Officers who find a young person moving drugs should refer them.") == [
        "child-criminal-exploitation"]
    assert "supervision-and-training" not in choose_themes("Fund a public awareness campaign on knife carrying.")
    assert "children-missing-education" not in choose_themes("Schools to attend every core group meeting.")
