"""Forms of real published pages the third round reads (issue 14, fresh5's misses): each test
builds the form block by block and checks what the extractor makes of it."""
from __future__ import annotations

from ingest.labels import split_text_label
from tests.blocks_support import H, L, P, run



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
