"""YAML-level checks on the bundled reviews in reviews/: format, sources, slugs and names.

These run on the source files alone (PyYAML only); the database-level checks live with ingest.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
import yaml

REVIEWS_DIR = Path(__file__).resolve().parent.parent / "reviews"
REVIEW_IDS = sorted(p.name for p in REVIEWS_DIR.iterdir() if p.is_dir())

# The taxonomy slugs (core/vocabulary.yml is the authority; these are the agreed lists).
THEMES = {
    "neglect", "physical-abuse", "sexual-abuse", "emotional-abuse", "child-criminal-exploitation",
    "child-sexual-exploitation", "serious-youth-violence", "domestic-abuse", "online-harm",
    "harmful-practices", "radicalisation", "safe-sleep", "parental-mental-health",
    "parental-substance-misuse", "parental-vulnerability", "family-history",
    "fathers-and-male-carers", "parental-engagement", "child-mental-health", "disabled-children",
    "looked-after-children", "ethnicity-culture-identity", "children-missing-education",
    "missing-children", "early-help", "thresholds", "information-sharing", "multi-agency-working",
    "escalation-and-challenge", "voice-of-the-child", "risk-assessment", "records-and-chronologies",
    "supervision-and-training", "transitions-and-transfers", "contextual-safeguarding",
    "poverty-and-housing", "covid-19",
}
AGENCIES = {
    "police", "childrens-social-care", "education", "health", "primary-care", "mental-health",
    "public-health", "youth-justice", "probation", "housing-and-district-councils", "early-help",
    "safeguarding-partnership", "local-authority", "voluntary-sector", "national-government",
}
REVIEW_TYPES = {"cspr", "scr", "partnership-learning-review", "learning-summary", "other"}
CERTAINTIES = {"confirmed", "uncertain"}
WORDINGS = {"summary", "published"}
STATUSES = {"not-started", "in-progress", "completed", "assured", None}
REQUIRED_FIELDS = ("title", "review_type", "publisher", "area", "published", "summary",
                   "themes", "facts")

# The only names a review's subject may carry: the names the reviews themselves use.
REVIEW_SUBJECTS = {"Jacob", "Child M", "Child K", "Child R", "Children A-F", "Child Y", "Child J",
                   "Baby L"}
CITED = yaml.safe_load((REVIEWS_DIR / "cited-documents.yml").read_text(encoding="utf-8"))

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
URL_RE = re.compile(r"^https?://\S+$")
SOURCE_LINK_RE = re.compile(r"\(\[source\]\((https?://[^)\s]+|cited:[a-z0-9-]+)\)\)$")
MD_LINK_RE = re.compile(r"\]\(([^)]*)\)")
UNCERTAINTY_WORDS = ("not confirmed", "uncertain", "not verified", "could not", "unconfirmed",
                     "not found", "does not match", "suggests")


def _is_source(value) -> bool:
    """A web address, or `cited:<key>` naming a document in reviews/cited-documents.yml."""
    if isinstance(value, str) and value.startswith("cited:"):
        return value[len("cited:"):] in CITED
    return bool(isinstance(value, str) and URL_RE.match(value))


def _load(review_id: str) -> dict:
    return yaml.safe_load((REVIEWS_DIR / review_id / "review.yml").read_text(encoding="utf-8"))


def _summary(review_id: str) -> str:
    return (REVIEWS_DIR / review_id / "learning-summary.md").read_text(encoding="utf-8")


def _valid_date(value: str) -> bool:
    if not isinstance(value, str) or not DATE_RE.match(value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return 1990 <= parts[0] <= dt.date.today().year


def _sections(markdown: str) -> dict[str, list[str]]:
    """Map each `## heading` to its lines (the text before the first one is under '')."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        else:
            sections[current].append(line)
    return sections


TAXONOMY = REVIEWS_DIR.parent / "core" / "vocabulary.yml"


def test_slug_lists_match_the_taxonomy():
    taxonomy = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    assert {e["slug"] for e in taxonomy["themes"]} >= THEMES  # the vocabulary may grow, never shrink
    assert {e["slug"] for e in taxonomy["agencies"]} >= AGENCIES
    rec_types = {e["slug"] for e in taxonomy.get("rec_types") or []}
    for review_id in REVIEW_IDS:
        for rec in _load(review_id).get("recommendations") or []:
            assert rec.get("rec_type") is None or rec["rec_type"] in rec_types


def test_the_bundled_reviews_are_there():
    assert set(REVIEW_IDS) == {
        "jacob-2021", "child-m-2019", "neglect-learning-review-2020", "child-k-2020",
        "child-r-2021", "children-a-f-2015", "child-y-2013", "child-j-2016", "baby-l-2016",
    }
    assert (REVIEWS_DIR / "README.md").is_file()


@pytest.mark.parametrize("review_id", REVIEW_IDS)
def test_review_metadata(review_id):
    review = _load(review_id)
    assert isinstance(review, dict)
    for field in REQUIRED_FIELDS:
        assert review.get(field), f"{review_id}: missing {field}"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", review_id)
    assert review["review_type"] in REVIEW_TYPES
    assert _valid_date(review["published"]), f"{review_id}: published must be a quoted date string"
    assert review_id.endswith(review["published"][:4]), "the folder's year is the publication year"
    # A subject is the name the review uses; where that is not known, there is no subject at all.
    assert review.get("subject") is None or review["subject"] in REVIEW_SUBJECTS
    if review.get("report_url") is not None:
        assert URL_RE.match(review["report_url"])
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", review["summary"].strip()) if s]
    assert 2 <= len(sentences) <= 6, f"{review_id}: summary should be two to five sentences"
    assert set(review["themes"]) <= THEMES, set(review["themes"]) - THEMES
    for doc in review.get("documents") or []:
        assert (REVIEWS_DIR / review_id / doc["file"]).is_file()
        assert doc["role"] in {"learning-summary", "published-report", "action-plan"}


@pytest.mark.parametrize("review_id", REVIEW_IDS)
def test_every_fact_has_a_source_and_uncertainty_is_stated(review_id):
    facts = _load(review_id)["facts"]
    assert facts
    for fact in facts:
        assert fact["fact"].strip()
        assert fact["certainty"] in CERTAINTIES
        assert _is_source(fact["source"]), fact
        if fact["certainty"] == "uncertain":
            text = fact["fact"].lower()
            assert any(w in text for w in UNCERTAINTY_WORDS), f"say what is uncertain: {fact}"


@pytest.mark.parametrize("review_id", REVIEW_IDS)
def test_recommendations_are_flagged_summaries_with_sources(review_id):
    recs = _load(review_id).get("recommendations") or []
    numbers = [str(r["number"]) for r in recs]
    assert len(numbers) == len(set(numbers))
    for rec in recs:
        assert rec["wording"] in WORDINGS
        # No published wording was available for any bundled review: all are summaries.
        assert rec["wording"] == "summary"
        assert re.fullmatch(r"S\d+", str(rec["number"]))
        assert "full report" in rec["text"] and "wording" in rec["text"]
        # A record that says only whom the review addressed is not a recommendation: that list
        # belongs once on the review (recommendations_addressed_to).
        assert "summary of who they were addressed to" not in rec["text"]
        assert _is_source(rec["source"])
        assert set(rec.get("agencies") or []) <= AGENCIES
        assert set(rec.get("themes") or []) <= THEMES
        assert rec.get("rec_type") is None or isinstance(rec["rec_type"], str)


def test_agency_action_ids_are_unique_across_reviews():
    seen = set()
    for review_id in REVIEW_IDS:
        for n, action in enumerate(_load(review_id).get("agency_actions") or [], start=1):
            action_id = action.get("id", f"{review_id}-act-{n}")
            assert action_id.startswith(f"{review_id}-act-")
            assert action_id not in seen
            seen.add(action_id)


@pytest.mark.parametrize("review_id", REVIEW_IDS)
def test_agency_actions_are_dated_sourced_and_linked(review_id):
    review = _load(review_id)
    numbers = {str(r["number"]) for r in review.get("recommendations") or []}
    for action in review.get("agency_actions") or []:
        assert action["agency"] in AGENCIES
        assert action["action"].strip()
        assert _is_source(action["source"])
        assert action.get("status") in STATUSES
        for key in ("reported", "due"):
            value = action.get(key)
            assert value is None or _valid_date(value), f"{key} must be a quoted date: {action}"
        if action.get("reported") is None:
            assert "date" in action["action"], "an undated action says why it has no date"
        if action.get("recommendation") is not None:
            assert str(action["recommendation"]) in numbers


@pytest.mark.parametrize("review_id", REVIEW_IDS)
def test_learning_summary_shape_and_finding_sources(review_id):
    text = _summary(review_id)
    assert text.startswith("# Learning summary: ")
    sections = _sections(text)
    assert "Background" in sections
    # Recommendation wording is never known for the bundled reviews, so no such section.
    assert not any(h.lower().startswith("recommendations") for h in sections)
    for link in MD_LINK_RE.findall(text):
        assert _is_source(link), link
    for heading, lines in sections.items():
        if heading != "Findings":
            # A wrapped line starting "2015. " would read as a numbered item to a Markdown reader.
            assert not any(re.match(r"\d+\.\s", ln) for ln in lines), (review_id, heading)
    if "Findings" in sections:
        items = [ln for ln in sections["Findings"] if ln.strip()]
        assert items, "an empty Findings section"
        for n, line in enumerate(items, start=1):
            assert line.startswith(f"{n}. "), f"one numbered finding a line: {line!r}"
            assert SOURCE_LINK_RE.search(line), f"finding without a source link: {line!r}"


def test_cited_documents_are_described():
    assert CITED, "reviews/cited-documents.yml lists the sources that have no web address"
    for key, entry in CITED.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key)
        assert entry["title"].strip() and entry["publisher"].strip()
        assert "web address" in entry["description"], "say why it is cited by title"


def test_the_neglect_review_records_what_the_bulletin_confirms_and_nothing_more():
    review = _load("neglect-learning-review-2020")
    assert review.get("subject") is None, "the children concerned are not known"
    assert not review.get("recommendations"), "its recommendations are not known"
    assert "not known" in review["notes"].lower()
    bulletin = "cited:oscb-sie-bulletin-27"
    for fact in review["facts"]:
        assert fact["certainty"] == "confirmed"
        assert fact["source"] == bulletin or fact["fact"].startswith(
            "Oxfordshire context (not a finding of this review)")
    actions = review["agency_actions"]
    assert len(actions) == 3 and all(a["source"] == bulletin for a in actions)
    assert any("24 March 2021" in a["action"] for a in actions)
    assert any("audit tool" in a["action"] and "case study" in a["action"] for a in actions)
    sections = _sections(_summary("neglect-learning-review-2020"))
    findings = [ln for ln in sections["Findings"] if ln.strip()]
    assert findings and all(ln.endswith(f"([source]({bulletin}))") for ln in findings)
    assert "Threshold of Needs" in findings[0] and "early help" in findings[0]


def test_child_m_records_both_threshold_of_needs_updates_and_no_invented_recommendations():
    review = _load("child-m-2019")
    assert not review.get("recommendations")
    assert "recommendation" in review["notes"]
    by_date = {a["reported"]: a for a in review["agency_actions"]}
    assert set(by_date) == {"2021-03", "2021-07"}
    assert by_date["2021-03"]["source"] == "cited:oscb-sie-bulletin-27"
    assert "wider family" in by_date["2021-03"]["action"]
    assert all(a["agency"] == "safeguarding-partnership" and a["status"] == "completed"
               for a in by_date.values())


def test_jacob_addressees_are_said_once_and_workstreams_are_tracked():
    review = _load("jacob-2021")
    assert review["recommendations_addressed_to"] == [
        "police", "education", "mental-health", "housing-and-district-councils", "childrens-social-care"]
    recs = {r["number"]: r for r in review["recommendations"]}
    assert list(recs) == ["S1", "S2"]
    assert recs["S1"]["text"].startswith("Education workstream")
    assert recs["S2"]["text"].startswith("Exploitation workstream")
    actions = review["agency_actions"]
    linked = {a["id"]: a.get("recommendation") for a in actions}
    assert linked["jacob-2021-act-7"] == "S1" and linked["jacob-2021-act-13"] == "S2"
    bulletin = [a for a in actions if a["source"] == "cited:oscb-sie-bulletin-27"]
    assert {a["id"] for a in bulletin} == {"jacob-2021-act-13", "jacob-2021-act-14"}
    assert any("missing and exploited" in a["action"] for a in bulletin)
    reported = {a["reported"] for a in actions}
    assert {"2021-03", "2021-10-05", "2022-03-17"} <= reported
    assert any(a["status"] == "completed" and "100" in a["action"] for a in actions)


def test_only_addressees_known_means_no_recommendation_records():
    review = _load("child-k-2020")
    assert review["recommendations_addressed_to"] == [
        "health", "public-health", "national-government", "childrens-social-care"]
    assert not review.get("recommendations")


# --- names -------------------------------------------------------------------------------------
# Words the facts sheet says to withhold (a town named in one family's press coverage, the place of
# a residential home, a first name in a quotation), stored only as SHA-256 hashes of the
# lower-cased word so the repository never contains them. Checked against every word, URLs too.
WITHHELD_WORD_HASHES = {
    "7fdc9bcc2094535964be4bab2e418516f1ebbb72891447c07a4d12df68d5f2f9",
    "3df4897a7599facda643158b0e88d5beec59ae60b7b7ccb87f400ea4edff2580",
    "1cfcffbd0d0536e2b354a0bbe9a0df8f7c15b26293e99ce5bd468e1716154295",
}

# Structural check: the only capitalised words allowed mid-sentence are the review names, the
# public officials and authors named in the facts sheet, and organisations, places, titles and
# terms. A new personal name (or home town) anywhere in reviews/ fails until it is judged here.
REVIEW_NAME_WORDS = {"Jacob", "Child", "Children", "Baby", "A-F"}
PUBLIC_PEOPLE = {"Derek", "Benson", "Sarah", "Holtom", "Richard", "Simpson", "Jane", "Wonnacott",
                 "Alan", "Bedford"}
PLACES = {"Oxfordshire", "Oxford", "City", "England", "West", "Midlands"}
ORGANISATIONS_AND_TERMS = {
    "Thames", "Valley", "Police", "Council", "County", "Safeguarding", "Partnership", "Board",
    "Cabinet", "Trust", "Primary", "Care", "NHS", "Ofsted", "Secretary", "State", "Kingfisher",
    "Operation", "Bullfinch", "Youth", "Justice", "Exploitation", "Service", "Education",
    "Employment", "Training", "Health", "Plans", "Panel", "Missing", "In-Year", "Fair", "Access",
    "Virtual", "School", "Independent", "Reviewing", "Officers", "Officer", "National", "Referral",
    "Abduction", "Warning", "Notices", "Parents", "Against", "Working", "Together", "Mental",
    "Act", "Homicide", "Review", "Case", "Serious", "Sexual", "Practice", "Threshold", "Needs",
    "Neglect", "Strategy", "Guidance", "Pathway", "Parenting", "Daily", "Hassles", "Scale",
    "Signs", "Safety", "Early", "Help", "Assessment", "Section", "Class", "Learning", "Findings",
    "Background", "Things", "What", "Historic", "Joint", "Mechanism", "Bulletin", "Issue", "Spring",
    "Summary", "Markdown", "Schools",
}
# Ordinary words that start a sentence here but never appear in lower case in reviews/.
SENTENCE_WORDS = {"According", "Among", "Copy", "Drop", "Eight", "Fix", "Four", "Honesty", "Nobody", "Once", "Planning",
                  "Write"}
CALENDAR = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
            "Friday"}
ALLOWED_CAPITALISED = (REVIEW_NAME_WORDS | PUBLIC_PEOPLE | PLACES | ORGANISATIONS_AND_TERMS
                       | CALENDAR)

_URL_IN_TEXT = re.compile(r"https?://[^\s)\"']+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'\u2019-]*")
# What may stand before the first word of a sentence, a list item, a heading or a YAML value.
_SENTENCE_START = re.compile(
    r"(^[\s#>*_`\-]*(\d+\.\s+)?[*_`(\"]*$)|([.!?:;][*_`)\"]*\s+[*_`(\"]*$)|(\(\s*$)|(\"$)")


def _words(word: str) -> str:
    return re.sub(r"['\u2019]s$", "", word)


def unexpected_names(text: str, lowercase_vocabulary: set[str]) -> set[str]:
    """Capitalised words in `text` that are neither allowed nor ordinary words at sentence start."""
    found = set()
    for line in _URL_IN_TEXT.sub(" ", text).splitlines():
        for match in _WORD.finditer(line):
            word = _words(match.group(0))
            if not word[0].isupper() or word.isupper() or len(word) == 1 or word[1:].isdigit():
                continue  # lower case, an acronym (OSCB), a letter (Child M) or a number (S1)
            if word in ALLOWED_CAPITALISED:
                continue
            at_start = _SENTENCE_START.search(line[: match.start()])
            if at_start and (word.lower() in lowercase_vocabulary or word in SENTENCE_WORDS):
                continue  # an ordinary word that starts a sentence ("The", "Professionals")
            found.add(word)
    return found


def _all_texts() -> dict[str, str]:
    return {str(p.relative_to(REVIEWS_DIR)): p.read_text(encoding="utf-8")
            for p in sorted(REVIEWS_DIR.rglob("*")) if p.is_file()}


def _lowercase_vocabulary(texts) -> set[str]:
    vocabulary = set()
    for text in texts:
        vocabulary |= {w for w in _WORD.findall(_URL_IN_TEXT.sub(" ", text)) if w.islower()}
    return vocabulary


def test_the_name_check_can_fail():
    vocabulary = {"the", "review", "said"}
    assert unexpected_names("The review said Jacob's mother Gwendolyn agreed.", vocabulary) == {
        "Gwendolyn"}
    assert unexpected_names("Gwendolyn said so. The review agreed.", vocabulary) == {"Gwendolyn"}
    assert unexpected_names("Child M lived in Oxfordshire. The review said so.", vocabulary) == set()


def test_no_names_beyond_the_review_names_and_public_officials():
    texts = _all_texts()
    vocabulary = _lowercase_vocabulary(texts.values())
    problems = {name: sorted(unexpected_names(text, vocabulary)) for name, text in texts.items()}
    assert {k: v for k, v in problems.items() if v} == {}


def test_no_withheld_words_anywhere_including_urls():
    for name, text in _all_texts().items():
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            digest = hashlib.sha256(word.encode()).hexdigest()
            assert digest not in WITHHELD_WORD_HASHES, f"{name}: a withheld word is present"


def test_subjects_use_only_the_names_the_reviews_use():
    for review_id in REVIEW_IDS:
        review = _load(review_id)
        subject = review.get("subject")
        assert subject is None or subject in REVIEW_SUBJECTS
        # The name the review uses appears in its own summary (Jacob's by his family's agreement).
        if subject in REVIEW_SUBJECTS:
            assert subject.split()[-1] in review["summary"] + review["title"]
