"""The controlled vocabulary: fixed slugs, validation, and matching on words and abbreviations."""
from __future__ import annotations

import pytest
import yaml

from ingest.errors import InvalidSource
from core import vocab
from ingest.taxonomy import (
    TAXONOMY_PATH, agencies_in, agency_of, load_taxonomy, rec_type_of, status_of, themes_in,
)

# Slugs already published: saved queries and outside users depend on them, so the vocabulary may
# gain entries but never rename or drop one of these. (The vocabulary file is the only definition;
# this is the record of what has been published, to catch a removal.)
PUBLISHED_SLUGS: dict[str, tuple[str, ...]] = {
    "themes": (
        "neglect", "physical-abuse", "sexual-abuse", "emotional-abuse", "child-criminal-exploitation",
        "child-sexual-exploitation", "serious-youth-violence", "domestic-abuse", "online-harm",
        "harmful-practices", "radicalisation", "safe-sleep", "parental-mental-health",
        "parental-substance-misuse", "parental-vulnerability", "family-history", "fathers-and-male-carers",
        "parental-engagement", "child-mental-health", "disabled-children", "looked-after-children",
        "ethnicity-culture-identity", "children-missing-education", "missing-children", "early-help",
        "thresholds", "information-sharing", "multi-agency-working", "escalation-and-challenge",
        "voice-of-the-child", "risk-assessment", "records-and-chronologies", "supervision-and-training",
        "transitions-and-transfers", "contextual-safeguarding", "poverty-and-housing", "covid-19",
    ),
    "agencies": (
        "police", "childrens-social-care", "education", "health", "primary-care", "mental-health",
        "public-health", "youth-justice", "probation", "housing-and-district-councils", "early-help",
        "safeguarding-partnership", "local-authority", "voluntary-sector", "national-government",
    ),
    "rec_types": (
        "training", "procedure", "audit", "dissemination", "commissioning", "practice-tool",
        "national-escalation",
    ),
    "statuses": ("not-started", "in-progress", "completed", "assured"),
    "review_types": ("cspr", "scr", "partnership-learning-review", "learning-summary", "other"),
    "public_statuses": ("not-tracked", "awaiting-response", "not-accepted", "not-started", "in-progress",
                        "completed", "assured"),
    "brag": ("red", "amber", "green", "blue"),
}


def test_file_keeps_every_published_slug_with_names_and_descriptions():
    taxonomy = load_taxonomy()
    for kind, slugs in PUBLISHED_SLUGS.items():
        defined = list(vocab.slugs(kind))
        assert [s for s in defined if s in slugs] == list(slugs), kind  # none dropped, order kept
        if kind in vocab.SIGNAL_KINDS:
            assert taxonomy.slugs(kind) == defined
            for term in taxonomy.terms[kind].values():
                assert term.name and term.description and term.signals


def test_adding_a_theme_is_one_edit_to_the_vocabulary_file(tmp_path):
    data = yaml.safe_load(TAXONOMY_PATH.read_text(encoding="utf-8"))
    data["themes"].append({"slug": "new-theme", "name": "New theme", "description": "A theme added later.",
                           "signals": ["brand new signal"]})
    taxonomy = load_taxonomy(_write(tmp_path, data))
    assert taxonomy.found("themes", "a brand new signal appears") == ["new-theme"]


def test_default_taxonomy_is_cached():
    assert load_taxonomy() is load_taxonomy()


def _write(tmp_path, data) -> str:
    path = tmp_path / "taxonomy.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def test_duplicate_slug_is_rejected(tmp_path):
    data = yaml.safe_load(TAXONOMY_PATH.read_text(encoding="utf-8"))
    data["themes"].append(dict(data["themes"][0]))
    with pytest.raises(InvalidSource, match="neglect"):
        load_taxonomy(_write(tmp_path, data))


def test_a_vocabulary_without_names_is_rejected(tmp_path):
    data = yaml.safe_load(TAXONOMY_PATH.read_text(encoding="utf-8"))
    del data["review_types"][0]["name"]
    with pytest.raises(vocab.VocabularyError, match="cspr"):
        vocab.read(_write(tmp_path, data))


def test_entry_without_signals_is_rejected(tmp_path):
    data = yaml.safe_load(TAXONOMY_PATH.read_text(encoding="utf-8"))
    data["agencies"][0]["signals"] = []
    with pytest.raises(InvalidSource, match="police"):
        load_taxonomy(_write(tmp_path, data))


def test_unknown_colour_is_rejected(tmp_path):
    data = yaml.safe_load(TAXONOMY_PATH.read_text(encoding="utf-8"))
    data["statuses"][0]["rag"] = ["purple"]
    with pytest.raises(InvalidSource, match="purple"):
        load_taxonomy(_write(tmp_path, data))


def test_broken_yaml_names_the_file(tmp_path):
    path = tmp_path / "taxonomy.yml"
    path.write_text("themes: [unclosed", encoding="utf-8")
    with pytest.raises(InvalidSource, match="taxonomy.yml"):
        load_taxonomy(path)


@pytest.mark.parametrize("text, theme", [
    ("He was exploited by older males selling drugs", "child-criminal-exploitation"),
    ("concerns about county lines", "child-criminal-exploitation"),
    ("the home was neglectful and dirty", "neglect"),
    ("the baby was co-sleeping with the mother on a sofa", "safe-sleep"),
    ("Mother's mental health deteriorated", "parental-mental-health"),
    ("the child was electively home educated", "children-missing-education"),
    ("during the COVID-19 lockdown", "covid-19"),
    ("hidden men in the household", "fathers-and-male-carers"),
    ("coercive and controlling behaviour by the father", "domestic-abuse"),
])
def test_themes_match_on_stems_and_phrases(text, theme):
    assert theme in themes_in(text)


def test_sexual_exploitation_is_not_criminal_exploitation():
    assert themes_in("She was sexually exploited") == ["child-sexual-exploitation"]


@pytest.mark.parametrize("text, agency", [
    ("TVP officers", "police"),
    ("the DSL at the school", "education"),
    ("GPs and practice nurses", "primary-care"),
    ("a referral to CAMHS", "mental-health"),
    ("the YJS worker", "youth-justice"),
    ("Children's social care", "childrens-social-care"),
    ("the MASH", "childrens-social-care"),
    ("the LADO", "local-authority"),
    ("the Virtual School head", "education"),
    ("OSCB", "safeguarding-partnership"),
    ("the HSCP", "safeguarding-partnership"),
    ("NHS England and the DfE", "national-government"),
    ("health visitors and midwives", "health"),
])
def test_agencies_from_words_and_abbreviations(text, agency):
    assert agency in agencies_in(text)


def test_abbreviations_are_case_sensitive_and_whole_words():
    assert agencies_in("Tvp, dsl and csc in lower case") == []
    assert agencies_in("DSLTraining and TVPX") == []


def test_longest_signal_wins_and_ignore_phrases_label_nothing():
    assert agencies_in("mental health trust") == ["mental-health"]
    assert "education" not in agencies_in("children missing education")
    assert agencies_in("the mother's mental health") == []
    assert agencies_in("NHS England") == ["national-government"]


def test_agency_of_takes_the_first_named():
    assert agency_of("Head of Service, Children's Social Care (with Police)") == "childrens-social-care"
    assert agency_of("Named person") is None


@pytest.mark.parametrize("text, rec_type", [
    ("The partnership should seek assurance that the neglect training has been delivered", "audit"),
    ("GPs should receive training on fabricated illness", "training"),
    ("The local authority should revise its escalation policy", "procedure"),
    ("Learning from this review should be disseminated through a 7 minute briefing", "dissemination"),
    ("The ICB should commission a perinatal mental health service", "commissioning"),
    ("Health visitors should use a screening tool for bruising", "practice-tool"),
    ("The partnership should write to the Department for Education about unregistered schools", "national-escalation"),
])
def test_rec_type_is_the_main_ask(text, rec_type):
    assert rec_type_of(text) == rec_type


def test_rec_type_none_when_nothing_signals():
    assert rec_type_of("Something else entirely") is None


@pytest.mark.parametrize("text, scheme, status", [
    ("Complete", "rag", "completed"),
    ("Completed March 2022", "rag", "completed"),
    ("On track", "rag", "in-progress"),
    ("Ongoing - training completed for CSC", "rag", "in-progress"),
    ("Not started", "rag", "not-started"),
    ("Not yet started", "rag", "not-started"),
    ("Partially complete", "rag", "in-progress"),
    ("Impact evidenced through audit", "rag", "assured"),
    ("Complete; impact evidenced", "rag", "assured"),
    ("Complete - evidence of impact pending", "rag", "completed"),
    ("Embedded", "rag", "assured"),
    ("Green", "rag", "completed"),
    ("Green", "brag", "in-progress"),
    ("Blue", "brag", "completed"),
    ("Amber", "rag", "in-progress"),
    ("Red", "brag", "not-started"),
    ("G", "rag", "completed"),
    ("", "rag", None),
    ("See narrative", "rag", None),
])
def test_status_words_and_colours(text, scheme, status):
    assert status_of(text, scheme) == status


def test_status_scheme_must_be_known():
    with pytest.raises(ValueError):
        status_of("Green", "rgb")
