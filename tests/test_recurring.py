"""Recurring learning (issue 21): which asks recur across reviews, why, and where people see it."""
from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from app import create_app
from ingest.errors import InvalidSource
from ingest.load import write_database
from ingest.recurring import Corrections, Item, group, load_corrections, load_rules, shared_phrases, shared_with_group
from search_index import build_index

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

CME = [
    "The local authority should keep a register of children who are not on any school roll and track each child.",
    "Children missing from school rolls must be tracked by the education service until a school place is found.",
]
SAFE_SLEEP = "Health visitors should give safer sleep advice to parents at every visit, including about co-sleeping."
BOILERPLATE = "The partnership should ensure that all agencies consider the learning from this review."


def items(*texts_by_review):
    return [Item(f"r{n}-rec-{k}", f"r{n}", text, (), (), 2015 + n)
            for n, texts in enumerate(texts_by_review) for k, text in enumerate(texts)]


def test_the_same_ask_from_two_reviews_is_one_group_with_its_reasons():
    (g,) = group(items([CME[0], SAFE_SLEEP], [CME[1]]))
    assert {m.id for m in g.members} == {"r0-rec-0", "r1-rec-0"}
    assert g.reviews == ["r0", "r1"]
    assert any("school" in p or "roll" in p for p in g.key_phrases)
    assert g.id == "recurring-r0-rec-0"  # its earliest member: stable across rebuilds


def test_items_of_one_review_never_make_a_group_on_their_own():
    assert group(items([CME[0], CME[1]])) == []


def test_boilerplate_alone_does_not_make_two_asks_alike():
    assert group(items([BOILERPLATE], [BOILERPLATE.replace("this review", "the review")])) == []


def test_a_person_can_split_a_group_or_join_two():
    data = items([CME[0]], [CME[1]], [SAFE_SLEEP])
    assert group(data, corrections=Corrections(apart={frozenset(("r0-rec-0", "r1-rec-0"))})) == []
    joined = group(data, corrections=Corrections(together=[("r1-rec-0", "r2-rec-0")]))
    assert len(joined) == 1 and {m.id for m in joined[0].members} == {"r0-rec-0", "r1-rec-0", "r2-rec-0"}


def test_grouping_is_deterministic():
    data = items(CME[:1] + [SAFE_SLEEP], CME[1:], [SAFE_SLEEP.replace("every visit", "each contact")])
    first = [(g.id, [m.id for m in g.members], g.key_phrases) for g in group(data)]
    assert first and first == [(g.id, [m.id for m in g.members], g.key_phrases) for g in group(data)]


def test_shared_phrases_say_why_two_items_are_paired():
    assert "school roll" in shared_phrases(CME[0], CME[1]) or "school" in shared_phrases(CME[0], CME[1])


def test_each_member_of_a_group_is_explained_by_what_the_others_say():
    texts = [*CME, SAFE_SLEEP]
    explained = shared_with_group(texts)
    # one wording per phrase across the group, the most used one
    assert explained[0] == explained[1] == ["school roll", "roll track"]
    assert explained[-1] == []  # safe sleep shares nothing telling with missing education


def test_rules_and_corrections_files_give_one_line_errors(tmp_path):
    bad = tmp_path / "rules.yml"
    bad.write_text("thresholds: {link: 2}\n")
    with pytest.raises(InvalidSource, match="rules"):
        load_rules(bad)
    (tmp_path / "recurring-corrections.yml").write_text("split: [[only-one]]\n")
    with pytest.raises(InvalidSource, match="pair of item ids"):
        load_corrections(tmp_path)
    assert load_corrections(ROOT / "reviews").apart == set()  # the shipped file is valid


def test_the_labelled_pairs_beat_the_old_theme_and_addressee_query():
    from recurring_bench import baseline_predictor, grouped_predictor, labelled, score

    data, pairs = labelled()
    assert len(pairs) >= 200 and {p[3] for p in pairs} == {"tune", "held-out", "held-out-2", "held-out-3", "held-out-4", "held-out-5"}
    # the first two sets, grouped on their own, keep their floor and beat the old query on both counts
    older = [p for p in pairs if p[3] in ("tune", "held-out")]
    older_data = [it for it in data if it.id in {i for a, b, _, _ in older for i in (a, b)}]
    precision, recall = score(grouped_predictor(older_data), older)
    base_precision, base_recall = score(baseline_predictor(older_data), older)
    assert precision >= 0.7 and recall >= 0.5
    assert precision > base_precision and recall > base_recall
    # all sets in one pool (more asks, more chaining): better than the old query on F1 and recall;
    # its precision can be higher only because it finds almost nothing (recall under 0.1)
    precision, recall = score(grouped_predictor(data), pairs)
    base_precision, base_recall = score(baseline_predictor(data), pairs)
    assert recall > base_recall and f1(precision, recall) > f1(base_precision, base_recall)


def test_the_sets_thresholds_are_chosen_on_keep_their_floor_in_the_full_pool():
    """Grouped with every labelled item (the pool the bench scores), the three sets the
    thresholds are chosen on keep precision and recall; held-out-3 and held-out-4 are only scored."""
    from recurring_bench import CHOOSING_SETS, grouped_predictor, labelled, score

    data, pairs = labelled()
    predict = grouped_predictor(data)
    chosen_on = [p for p in pairs if p[3] in CHOOSING_SETS]
    precision, recall = score(predict, chosen_on)
    assert precision >= 0.88 and recall >= 0.78
    for name in CHOOSING_SETS:
        precision, _ = score(predict, [p for p in pairs if p[3] == name])
        assert precision >= 0.8, name


def test_the_shipped_thresholds_are_the_ones_the_bench_chooses(capsys):
    from recurring_bench import choose, labelled

    rules = load_rules()
    assert choose(*labelled()) == (rules.merge, rules.pair_weight, rules.vocabulary_weight, rules.strip_addressees)
    assert "chosen on tune, held-out, held-out-2" in capsys.readouterr().out


def test_word_pairs_left_out_of_the_similarity_still_explain_a_group():
    assert load_rules().pair_weight < 1  # the shipped rules count pairs for less than words
    (g,) = group(items([CME[0], SAFE_SLEEP], [CME[1]]))
    assert "school roll" in g.key_phrases  # a word pair, named whole although it weighs nothing
    (g,) = group(items([CME[0], SAFE_SLEEP], [CME[1]]), replace(load_rules(), pair_weight=1.0))
    assert "school roll" in g.key_phrases


def test_a_pair_weight_outside_0_to_1_is_a_one_line_error(tmp_path):
    text = (ROOT / "ingest" / "recurring.yml").read_text(encoding="utf-8").replace("pair_weight: 0.0", "pair_weight: 2")
    assert "pair_weight: 2" in text
    bad = tmp_path / "recurring.yml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidSource, match="pair_weight"):
        load_rules(bad)


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


ALONE = ["Social workers should make sure each child is seen alone at every home visit.",
         "Assessments must include a conversation held away from parents so the young person can speak freely."]


def test_the_paraphrase_table_groups_one_ask_worded_two_ways_and_says_so():
    data = items([ALONE[0]], [ALONE[1]])
    (g,) = group(data)
    assert "seeing the child alone" in g.key_phrases
    assert "seeing the child alone" in shared_phrases(ALONE[0], ALONE[1])
    assert group(data, replace(load_rules(), paraphrases=())) == []  # the words alone do not meet


def test_a_paraphrase_phrase_matches_only_in_order():
    from ingest.recurring import Analyzer
    analyzer = Analyzer(load_rules())
    assert analyzer.concepts("The child was seen alone.")
    assert not analyzer.concepts("Alone, the child was seen.")


def test_a_paraphrase_label_without_phrases_is_a_one_line_error(tmp_path):
    text = (ROOT / "ingest" / "recurring.yml").read_text(encoding="utf-8") + "  empty label: []\n"
    bad = tmp_path / "recurring.yml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidSource, match="rules file"):
        load_rules(bad)


def test_a_stricter_merge_threshold_only_makes_groups_smaller():
    data = items(CME[:1], CME[1:], [SAFE_SLEEP], [SAFE_SLEEP.replace("every visit", "each contact")])
    loose = group(data, replace(load_rules(), merge=0.01))
    strict = group(data, replace(load_rules(), merge=0.99))
    assert sum(len(g.members) for g in strict) <= sum(len(g.members) for g in loose)


# --- built into the database and shown on the pages --------------------------------------------

def review(rid: str, year: int, recs: list[tuple[str, str, list[str]]]) -> dict:
    return {
        "id": rid, "title": f"Review {rid}", "subject": None, "review_type": "cspr", "publisher": "Northshire",
        "area": "Northshire", "published": str(year), "summary": "A fictional review.", "themes": [],
        "facts": [], "documents": [], "learning_points": [], "agency_actions": [], "aliases": [],
        "recommendations": [{"number": n, "text": t, "wording": "published", "agencies": a,
                             "themes": ["children-missing-education"], "source_url": "https://example.org"}
                            for n, t, a in recs],
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("recurring")
    db = write_database(root / "reviews.db", [
        review("alpha-2016", 2016, [("1", CME[0], ["local-authority"]), ("2", SAFE_SLEEP, ["health"])]),
        review("beta-2021", 2021, [("4", CME[1], ["education"])]),
    ])
    build_index(db, root / "index")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE": str(db),
                      "SEARCH_INDEX_DIR": str(root / "index"), "TRACKER_DATABASE": str(root / "tracker.db")})
    return db, app.test_client()


def test_the_build_stores_groups_and_members(site):
    db, _ = site
    conn = sqlite3.connect(db)
    groups = conn.execute("select id, kind, reviews, first_year, last_year, key_phrases from recurring_groups").fetchall()
    assert [g[:5] for g in groups] == [("recurring-alpha-2016-rec-1", "recommendation", 2, 2016, 2021)]
    assert json.loads(groups[0][5])
    members = {r[0] for r in conn.execute("select item_id from recurring_members")}
    assert members == {"alpha-2016-rec-1", "beta-2021-rec-4"}


def test_a_recommendation_page_says_it_was_recommended_before(site):
    _, client = site
    page = client.get("/recommendations/beta-2021-rec-4").text
    assert "Recommended before: 2 reviews since 2016" in page
    assert "/recommendations/alpha-2016-rec-1" in page and "Not tracked" in page
    assert "Recommended before" not in client.get("/recommendations/alpha-2016-rec-2").text


def test_theme_and_agency_pages_list_the_asks_made_again_and_again(site):
    _, client = site
    theme = client.get("/themes/children-missing-education").text
    assert "Asked for again and again" in theme and "2 reviews, 2016 to 2021" in theme
    assert "Asked for again and again" in client.get("/agencies/education").text
    assert "Asked for again and again" not in client.get("/agencies/health").text


def test_the_board_sees_recurring_asks_and_which_were_marked_completed_before(site):
    from tracker.dashboard import _recurring

    db, _ = site
    conn = sqlite3.connect(db)
    rows = _recurring(conn, {"alpha-2016-rec-1": "completed"})
    assert [(r["item_id"], r["completed_before"]) for r in rows] == [
        ("alpha-2016-rec-1", False), ("beta-2021-rec-4", True)]
    assert rows[1]["status_label"] == "Not tracked" and rows[0]["status_label"] == "Completed"
    assert not any(r["completed_before"] for r in _recurring(conn, {}))


def test_a_review_briefing_says_what_was_recommended_before(site):
    from briefings.content import review_briefing

    db, _ = site
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    why = review_briefing(conn, "beta-2021").sections[1].items
    assert why[0].startswith("Recommended before: another review (since 2016) asked for much the same as "
                             "recommendation 4")


def test_the_generated_corpus_pairs_hold_same_asks_and_near_misses_from_different_reviews():
    from recurring_bench import corpus_pairs, national_corpus_labelled

    corpus, asks = national_corpus_labelled(800)
    pairs = corpus_pairs(corpus, asks, count=50)
    review_of = {it.id: it.review_id for it in corpus}
    ask_of = {it.id: ask for it, ask in zip(corpus, asks)}
    assert sum(p[2] for p in pairs) == 50 and sum(not p[2] for p in pairs) == 50
    assert all(review_of[a] != review_of[b] and (ask_of[a] == ask_of[b]) == same for a, b, same, _ in pairs)
    assert all(ask_of[a][1] == ask_of[b][1] for a, b, _, _ in pairs)  # near misses share the topic


def test_asks_about_one_topic_do_not_chain_into_one_national_group():
    """At national scale the verbs that tell two asks about one topic apart ("train staff on",
    "appoint a lead for") are common words; they still count, and a group must be more alike the
    larger it grows. Before, 16,000 generated items gave a largest group of 530 mixing 13 or more
    topics, and one group in three held more than one topic (now 173, and one in six)."""
    from recurring_bench import national_corpus_labelled

    corpus, asks = national_corpus_labelled(16000)
    topic = {it.id: ask[1] for it, ask in zip(corpus, asks)}
    groups = group(corpus)
    assert max(len(g.members) for g in groups) <= 200  # about 20 items share each generated ask
    one_topic = [g for g in groups if len({topic[m.id] for m in g.members}) == 1]
    assert len(one_topic) >= 0.8 * len(groups)


def test_a_group_must_be_more_alike_the_larger_it_grows():
    rules = load_rules()
    assert rules.grow > 0 and rules.grow_from >= 2
    # three asks about one topic, worded alike except for the verb, in many reviews
    verbs = ["train staff on", "audit practice on", "appoint a lead for"]
    data = [Item(f"r{n}-rec-{k}", f"r{n}", f"Schools should {verb} online safety.", (), (), 2015)
            for n in range(30) for k, verb in enumerate(verbs)]
    loose = {len(g.members) for g in group(data, replace(rules, grow=0.0))}
    strict = {len(g.members) for g in group(data, rules)}
    assert loose == {90}  # without the growing bar one loose group holds all three asks
    assert strict == {30}


LADO = ["Employers must consult the LADO about allegations against a coach.",
        "Allegations about a volunteer should go to the local authority designated officer.",
        "Schools should keep allegations about pupils confidential."]


def test_the_search_vocabulary_can_count_an_abbreviation_and_its_words_as_one():
    rules = load_rules()
    assert rules.vocabulary and ("LADO", "local authority designated officer") in rules.abbreviations
    read = replace(rules, vocabulary_weight=1)
    (g,) = group(items(LADO[:1], LADO[1:2], LADO[2:]), read)
    assert {m.id for m in g.members} == {"r0-rec-0", "r1-rec-0"}
    assert "local authority designated officer" in g.key_phrases  # the group's own label says why
    assert group(items(LADO[:1], LADO[1:2], LADO[2:]), replace(rules, vocabulary_weight=0)) == []


def test_a_search_abbreviation_counts_only_in_capitals():
    from ingest.recurring import Analyzer

    analyzer = Analyzer(replace(load_rules(), vocabulary_weight=1))
    assert analyzer.concepts("Schools should send the plan home.") == []
    assert analyzer.concepts("Schools should support children with SEND.") != []


def test_the_agencies_an_ask_is_addressed_to_can_be_left_out():
    from ingest.recurring_words import without_addressees

    assert "visitor" not in without_addressees("Health visitors and midwives should give safer sleep advice.")
    assert "safer sleep advice" in without_addressees("Health visitors and midwives should give safer sleep advice.")
    assert "records" in without_addressees("Health records should show a child protection plan.")
    assert without_addressees("No directive here, GPs.") == "No directive here, GPs."
