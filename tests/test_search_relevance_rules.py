"""Search relevance rules (issue 15, round 4): what is found and how it ranks for the words trainers
and DSLs type. Fictional records; each test fails when its rule is taken away."""
from __future__ import annotations

import pytest

from whoosh.spelling import ListCorrector

from ingest.load import write_database
from search_index import SearchService, build_index, spelling
from search_index.synonyms import Synonyms, _other_spelling, stems


def _review(rid: str, summary: str, *, learning: list[str] = (), facts: list[str] = (), themes: list[str] = (),
            subject: str | None = None, year: str = "2021", recommendations: list[dict] = ()) -> dict:
    return {
        "id": rid, "title": f"Serious case review concerning {subject or rid}", "subject": subject or rid,
        "review_type": "scr", "publisher": "Northshire Safeguarding Children Partnership", "area": "Northshire",
        "published": year, "summary": summary, "themes": list(themes), "documents": [],
        "facts": [{"fact": f, "certainty": "confirmed", "source": "https://example.org/fact"} for f in facts],
        "learning_points": [{"text": t, "themes": list(themes)} for t in learning],
        "recommendations": [{"number": str(n), "wording": "published", "themes": [], **r}
                            for n, r in enumerate(recommendations, 1)],
    }


RECORDS = [
    _review("owl-2019", "A review about a boy who died.", subject="Child O",
            learning=["Professionals did not share what they knew about the family.",
                      "Police attended; the police log and the police notes were not read by the police team.",
                      "His behaviour at school was seen as defiance, not distress.",
                      "A hospital navigator met him in the emergency department."],
            facts=["The Heron team, a multi-agency exploitation team, was set up in 2012.",
                   "His mother was convicted of his manslaughter."]),
    _review("wren-2016", "Baby W died; his father was convicted of manslaughter. We could not read the findings.",
            subject="Baby W"),
    _review("lark-2020", "A teenage girl was killed by her boyfriend; the review is about controlling relationships.",
            subject="Child L", learning=["Her death could not have been predicted.",
                                         "Agencies did not see the signs of coercion."]),
    _review("finch-2013", "A review published years after a death in 2018.", subject="Child F", year="2013",
            learning=["Her postnatal depression was not asked about at the check in 2018."]),
    _review("kite-2018", "A child in the same county; the review came out in 2018.", subject="Child K", year="2018",
            learning=["Nobody looked at the child's health as a whole.", "A 15-year-old boy was organised into selling."],
            recommendations=[{"text": "Officers should record every referral, police included.",
                              "agencies": ["police"]}]),
]


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    data = tmp_path_factory.mktemp("rules")
    db = write_database(data / "reviews.db", RECORDS)
    build_index(db, data / "index")
    service = SearchService(data / "index")
    yield service
    service.close()


def reviews(results) -> list[str]:
    return list(dict.fromkeys(h["review_id"] for h in results.hits))


def test_a_review_is_found_by_its_facts(svc):
    """A name that only a sourced fact holds (the review page shows facts) still finds the review."""
    results = svc.search("heron team")
    assert results.matched_all and reviews(results)[0] == "owl-2019"


def test_what_was_typed_ranks_above_what_is_only_equivalent(svc):
    """"manslaughter" is in the concept group with "died" and "killed": the records that say
    manslaughter lead, even a review with no learning, and those that only say died or killed follow."""
    results = svc.search("manslaughter")
    found = reviews(results)
    assert set(found[:2]) == {"owl-2019", "wren-2016"}
    assert "lark-2020" in found[2:]  # "killed" only: still found, below


def test_records_tagged_with_what_the_words_name_lead_those_that_only_mention_them(svc):
    """"police" names the police agency: the recommendation addressed to the police comes before a
    learning point that says police four times but is addressed to no one."""
    hits = svc.search("police").hits
    assert hits[0]["id"] == "kite-2018-rec-1"
    assert "owl-2019-lp-2" in [h["id"] for h in hits]


def test_a_lone_letter_after_a_word_names_the_child(svc):
    """"child k": the letter is not dropped, so the query is Child K's review, not every child."""
    results = svc.search("child k")
    assert results.matched_all and {h["review_id"] for h in results.hits[:results.matched_all]} == {"kite-2018"}
    assert len(reviews(svc.search("child"))) > 1


def test_an_abbreviation_with_an_ampersand_is_one_word(svc):
    hits = svc.search("A&E").hits
    assert hits and hits[0]["id"] == "owl-2019-lp-4"


@pytest.mark.parametrize("typed, written", [("behavior", "owl-2019-lp-3"), ("organized", "kite-2018-lp-2")])
def test_american_spelling_finds_the_british(svc, typed, written):
    assert written in [h["id"] for h in svc.search(typed, spelling=False).hits]  # not a correction


@pytest.mark.parametrize("word, other", [("organised", "organized"), ("recognize", "recognise"),
                                         ("analyse", "analyze"), ("radicalisation", "radicalization"),
                                         ("supervise", None), ("compromised", None), ("advise", None),
                                         ("size", None), ("otherwise", None), ("disguised", None)])
def test_ise_and_ize_are_paired_by_rule_except_ise_only_words(word, other):
    assert _other_spelling(word) == other


def test_an_age_in_years_is_a_teenager(svc):
    assert "kite-2018" in reviews(svc.search("teenager"))


def test_learning_and_lessons_are_question_words(svc):
    plain = [h["id"] for h in svc.search("manslaughter").hits]
    asked = svc.search("what are the lessons about manslaughter")
    assert not asked.relaxed and [h["id"] for h in asked.hits] == plain


def test_finds_look_one_way_and_never_carry_tags_back():
    vocab = Synonyms({}, [
        {"words": ["toxic trio"], "finds": ["domestic abuse"], "themes": ["domestic-abuse", "parental-mental-health"]},
        {"words": ["domestic abuse", "domestic violence"], "theme": "domestic-abuse"},
    ])
    trio, abuse, violence = stems("toxic trio"), stems("domestic abuse"), stems("domestic violence")
    assert abuse in vocab.lookup(trio)
    assert trio not in vocab.lookup(abuse) and trio not in vocab.lookup(violence)
    assert vocab.tags(trio) == {("theme", "domestic-abuse"), ("theme", "parental-mental-health")}
    assert ("theme", "parental-mental-health") not in vocab.tags(violence)


def test_spelling_pairs_from_data_find_each_other():
    vocab = Synonyms({}, spelling=[("paediatric", "pediatric")])
    assert stems("paediatric") in vocab.lookup(stems("pediatric"))
    assert stems("pediatric") in vocab.lookup(stems("paediatric"))


def _words(*words: str) -> ListCorrector:
    return ListCorrector(sorted({*words, "aardvark", "zebra"}))  # (a one-word list trips Whoosh's skipper)


@pytest.mark.parametrize("typed, meant", [("negelct", "neglect"), ("abuce", "abuse"), ("bruseing", "bruising"),
                                          ("safegaurding", "safeguarding"), ("harrasment", "harassment")])
def test_one_typing_slip_or_two_in_a_long_word_is_corrected(typed, meant):
    assert spelling.nearest(typed, _words(meant)) == meant


@pytest.mark.parametrize("typed, other", [("hanging", "having"), ("ward", "wore"), ("abuse", "amuses")])
def test_a_word_under_eight_letters_is_not_turned_into_one_two_slips_away(typed, other):
    """Two changed letters in a shorter word make another word, not a typing slip."""
    assert spelling.slips(typed, other) == 2
    assert _words(other).suggest(typed, limit=1, maxdist=2, prefix=1) == [other]  # Whoosh alone would
    assert spelling.nearest(typed, _words(other)) is None


@pytest.mark.parametrize("typed, other", [("bullying", "building"), ("stalking", "stabbing"),
                                          ("hoarding", "harming"), ("scalding", "standing")])
def test_a_long_real_word_is_not_turned_into_one_with_two_other_letters(typed, other):
    """Two slips in a long word are a misplaced letter plus one wrong, not two letters replaced."""
    assert spelling.slips(typed, other) == 2
    assert _words(other).suggest(typed, limit=1, maxdist=2, prefix=1) == [other]  # Whoosh alone would
    assert spelling.nearest(typed, _words(other)) is None


def test_slips_count_a_swap_of_neighbours_as_one():
    assert spelling.slips("negelct", "neglect") == 1
    assert spelling.slips("hanging", "having") == 2
    assert spelling.slips("abc", "abc") == 0 and spelling.slips("", "ab") == 2


def test_a_vocabulary_word_is_never_suggested_away(svc):
    """"sleep" is in the vocabulary (safe sleep) but not in these records: no "did you mean seen"."""
    results = svc.search("sleep")
    assert results.total == 0 and results.suggestion is None and results.corrected_from is None


def test_a_year_names_the_reviews_published_in_it(svc):
    """"2018" is written twice in Child F's 2013 review and once in Child K's, published in 2018:
    Child K's comes first."""
    found = reviews(svc.search("2018"))
    assert found == ["kite-2018", "finch-2013"]
    assert not svc.search("2018").tagged_only  # a year asks for the reviews published in it


def test_a_hyphenated_word_also_finds_it_written_as_one(svc):
    results = svc.search("post-natal")
    assert results.matched_all and results.hits[0]["id"] == "finch-2013-lp-1"


def test_a_word_naming_a_kind_of_record_finds_records_of_that_kind(svc):
    """"recommendations about referrals": the recommendation says referral but not recommendation."""
    results = svc.search("recommendations about referrals")
    assert results.matched_all and not results.closest_only
    assert results.hits[0]["id"] == "kite-2018-rec-1"


def test_children_finds_child_and_a_letter_is_never_swallowed_by_it(svc):
    """"children" and "child" are forms the stemmer does not join (concepts.yml word_forms)."""
    results = svc.search("children health")
    assert "kite-2018-lp-1" in [h["id"] for h in results.hits[:results.matched_all]]
    named = svc.search("children k")
    assert named.matched_all and {h["review_id"] for h in named.hits[:named.matched_all]} == {"kite-2018"}


def test_what_a_phrase_finds_one_way_counts_for_less_than_its_own_words():
    from search_index.query import FINDS_SCALE, PAIR_BOOST, parse
    vocab = Synonyms({}, [{"words": ["toxic trio", "trigger trio"], "finds": ["domestic abuse"]}])
    assert vocab.one_way(stems("toxic trio")) == {stems("domestic abuse")}
    boosts = {t.text: t.boost for t in parse("toxic trio", vocab).query.leaves() if t.fieldname == "pairs"}
    assert boosts["domest abus"] == PAIR_BOOST * FINDS_SCALE < boosts["trigger trio"] == PAIR_BOOST


def test_domestic_violence_and_domestic_abuse_find_each_other():
    """The older term and the one the Domestic Abuse Act 2021 uses name the same thing (concepts.yml)."""
    from search_index.synonyms import load
    vocab = load()
    violence, abuse = stems("domestic violence"), stems("domestic abuse")
    assert abuse in vocab.lookup(violence) and violence in vocab.lookup(abuse)


def test_a_review_carrying_the_theme_leads_a_stray_tag_on_another_reviews_learning(tmp_path):
    """Found only through the theme a query names, the review whose own record carries the theme
    comes before a newer review that has the tag on one learning point only."""
    stray = _review("heron-2022", "A review about a baby's injuries.", subject="Baby H", year="2022",
                    learning=["Her mother's history of self-injury was not known to the health visitor."])
    stray["learning_points"][0]["themes"] = ["child-mental-health"]
    whole = _review("gull-2014", "A girl in care died in a placement far away.", subject="Child G", year="2014",
                    learning=["Her distress was not recognised by the placement."], themes=["child-mental-health"])
    db = write_database(tmp_path / "reviews.db", [stray, whole])
    build_index(db, tmp_path / "index")
    service = SearchService(tmp_path / "index")
    try:
        results = service.search("CAMHS")
        assert results.tagged_only and {"heron-2022", "gull-2014"} <= set(reviews(results))
        assert reviews(results)[0] == "gull-2014"
    finally:
        service.close()
