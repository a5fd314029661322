"""ingest/extraction_rules.yml: read and checked at load, with one-line errors; the rules it
holds change what the extractor does (so the file, not Python, is where they are extended)."""
from __future__ import annotations

import pytest
import yaml

from ingest.errors import InvalidSource
from ingest.rules import RULES_PATH, load_rules, phrase_pattern
from ingest.themes import choose_themes


def _write(tmp_path, change):
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "rules.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_bundled_rules_load():
    rules = load_rules()
    assert rules.recommendation_lead_in.search("The reviewers recommend that:")
    assert rules.recommendation_lead_in.search("Arising from the review, the Board is asked to:")
    assert not rules.recommendation_lead_in.search("The themes identified include:")
    assert rules.is_not_recommendation("note the report and the learning it contains;")
    assert rules.is_not_recommendation("Image: the front cover of the report")
    assert not rules.is_not_recommendation("Notify the school within a day.")


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("directive_verbs"), "'directive_verbs' must be a non-empty list"),
    (lambda d: d.__setitem__("recommendation_lead_ins", "recommend"), "'recommendation_lead_ins' must be"),
    (lambda d: d["themes"]["weak_signals"].__setitem__("no-such-theme", ["x"]), "unknown theme 'no-such-theme'"),
    (lambda d: d["themes"].__setitem__("max_per_recommendation", 0), "max_per_recommendation"),
    (lambda d: d["themes"]["ambiguous"].__setitem__("exploitation", ["neglect"]), "two or more known themes"),
    (lambda d: d.__setitem__("not_recommendations", []), "'not_recommendations' must have"),
    (lambda d: d["headings"]["learning"].pop("starts"), "'headings.learning.starts' must be"),
    (lambda d: d["headings"].__setitem__("other", None), "'headings.other' must be a mapping"),
])
def test_a_broken_rules_file_is_one_clear_line(tmp_path, change, message):
    path = _write(tmp_path, change)
    with pytest.raises(InvalidSource) as exc:
        load_rules(path)
    text = str(exc.value)
    assert message in text and str(path) in text and "\n" not in text


def test_invalid_yaml_is_one_line(tmp_path):
    path = tmp_path / "rules.yml"
    path.write_text("themes: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidSource) as exc:
        load_rules(path)
    assert "not valid YAML" in str(exc.value) and "\n" not in str(exc.value)


def test_heading_phrases_come_from_the_file():
    from ingest.sections import LEARNING, RECS, section_kind

    assert section_kind("5. Summary of the recommendations") == RECS
    assert section_kind("Single agency recommendations") == RECS
    assert section_kind("Recommendations from the previous review") is None
    assert section_kind("Progress on the recommendations") is None
    assert section_kind("What we found") == LEARNING
    assert section_kind("Learning summary") is None
    assert section_kind("Appendix 2: Recommendations of the review") == RECS


def test_phrases_allow_words_in_between_and_match_whole_words():
    pattern = phrase_pattern(["makes ... recommendations", "note"])
    assert pattern.search("The review makes four clear recommendations.")
    assert pattern.search("Please note this")
    assert not pattern.search("notes of the meeting") and not pattern.search("makes recommendation")


def test_themes_a_keyword_is_not_a_theme_and_specialist_terms_count():
    assert "risk-assessment" not in choose_themes("Social workers should complete the assessment within a week.")
    assert "risk-assessment" in choose_themes("Social workers should complete a risk assessment and review the assessment.")
    assert "looked-after-children" not in choose_themes("The school should review the placement of the pupil in a class.")
    assert choose_themes("Guidance on perplexing presentations in a child's health.") == ["physical-abuse"]
    assert "sexual-abuse" in choose_themes("Training on responding to sibling sexual abuse.")
    assert "children-missing-education" not in choose_themes("Follow up a hospital attendance after self-harm.")


def test_themes_are_capped_and_ranked():
    text = ("The partnership should audit neglect cases, neglect plans and home conditions, with information "
            "sharing, domestic abuse, safe sleep and county lines.")
    themes = choose_themes(text)
    assert len(themes) == 3 and themes[0] == "neglect"


def test_an_ambiguous_word_follows_the_document():
    from collections import Counter

    assert choose_themes("Recognise exploitation.", Counter({"child-sexual-exploitation": 3})) == \
        ["child-sexual-exploitation"]
    assert choose_themes("Recognise exploitation.", Counter({"child-criminal-exploitation": 1})) == \
        ["child-criminal-exploitation"]
