"""The search engine (issue 4): index build and swap, ranking, synonyms, prefixes, phrases, facets,
snippets, suggestions, related learning, hostile queries and statuses given at query time."""
from __future__ import annotations

import copy
import json
import threading

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import search_index.build as build_module
from ingest.load import write_database
from search_index import SearchService, build_index, store
from search_index.cli import cli
from search_index.query import MAX_QUERY_CHARS, clean, parse, relaxed_units
from search_index.synonyms import load as load_synonyms
from tests.sample_data import SAMPLE_RECORDS

# Extra fictional records for what the three sample reviews do not contain.
EXTRA = [
    {
        "id": "child-x-2023", "title": "Child Safeguarding Practice Review: Child X", "subject": "Child X",
        "review_type": "cspr", "publisher": "Northshire Safeguarding Children Partnership",
        "area": "Northshire", "published": "2023-09",
        "summary": "A fictional review about child criminal exploitation and CAMHS waiting lists.",
        "themes": ["child-criminal-exploitation"],
        "documents": [{"file": "report.pdf", "format": "pdf", "sha256": "1" * 64, "pages": 3, "paragraphs": [
            {"page": 2, "text": 'Notes said <script>alert("x")</script> & the neglect was "obvious".'},
            {"page": 3, "text": "The CCE screening tool was not used by the youth offending team."},
        ]}],
        "learning_points": [
            {"text": "Exclusion from school left Child X exposed to county lines criminal exploitation.",
             "themes": ["child-criminal-exploitation"]},
            {"text": "The escalation policy was not followed when child and adolescent mental health "
             "services closed the case.", "themes": ["escalation-and-challenge"]},
        ],
        "recommendations": [
            {"number": "1", "text": "Schools should refer exploited children out of education through the "
             "National Referral Mechanism.", "wording": "published", "agencies": ["education"],
             "themes": ["child-criminal-exploitation"]},
        ],
    },
]


# What the tracker says at query time (the index holds no status): recommendation 1 is in
# progress, the others untracked; the two actions as their plan reported them.
STATUSES = {"child-t-2022-rec-1": "in-progress", "child-t-2022-rec-2": "not-tracked",
            "baby-q-2019-rec-s1": "not-tracked", "family-w-2024-rec-1": "not-tracked",
            "child-t-2022-act-1": "in-progress", "child-t-2022-act-2": "completed"}


def ids(results) -> list[str]:
    return [hit["id"] for hit in results.hits]


@pytest.fixture(scope="module")
def service(sample_db_path, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("index")
    build_index(sample_db_path, index_dir)
    svc = SearchService(index_dir)
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    """The sample reviews plus Child X, for synonyms, prefixes, snippets and related learning."""
    data = tmp_path_factory.mktemp("wide")
    db = write_database(data / "reviews.db", SAMPLE_RECORDS + EXTRA)
    build_index(db, data / "index")
    svc = SearchService(data / "index")
    yield svc
    svc.close()


# -- ranking, synonyms, prefixes, phrases ----------------------------------------------------------

@pytest.mark.parametrize("q", ["bruising", "school"])
def test_passing_mention_in_a_paragraph_ranks_last(service, q):
    results = service.search(q)
    kinds = [hit["kind"] for hit in results.hits]
    assert "paragraph" in kinds and kinds.index("paragraph") == len(kinds) - 1
    assert len(kinds) >= 3


def test_recommendation_match_beats_paragraph(service):
    results = service.search("bruising")
    scores = {hit["kind"]: hit["score"] for hit in reversed(results.hits)}
    assert scores["recommendation"] > scores["paragraph"]


@pytest.mark.parametrize("q, expected", [
    ("CCE", "child-x-2023"),  # abbreviation finds the spelled-out words ...
    ("child criminal exploitation", "child-x-2023/report.pdf#2"),  # ... and the other way round
    ('"child criminal exploitation"', "child-x-2023/report.pdf#2"),
    ("cce", "child-x-2023/report.pdf#2"),
    ("NRM", "child-t-2022-rec-1"),
    ("national referral mechanism", "child-t-2022-act-1"),
    ("CAMHS", "child-x-2023-lp-2"),
])
def test_abbreviations_expand_both_ways(wide, q, expected):
    assert expected in ids(wide.search(q, per_page=50))


def test_prefix_matches_unstemmed_words(wide):
    found = ids(wide.search("escalat*", per_page=50))
    assert {"child-t-2022-lp-2", "child-t-2022-rec-2", "child-x-2023-lp-2"} <= set(found)
    assert '<mark class="search-hit">escalation</mark>' in wide.search("escalat*", {"review": ["child-x-2023"]}).hits[0]["snippet"]


def test_short_prefix_is_a_plain_word(wide):
    assert wide.search("es*").total == 0


def test_phrase(service):
    assert set(ids(service.search('"voice of the child"'))) == {"family-w-2024", "family-w-2024-rec-1"}
    assert service.search('"child voice"').total == 0
    assert service.search("voice child").total == 2


def test_or_and_not(service):
    both = set(ids(service.search("neglect OR bruising", per_page=50)))
    assert "family-w-2024-lp-1" in both and "baby-q-2019-lp-1" in both
    assert "baby-q-2019-lp-1" not in ids(service.search("bruising -baby"))
    assert "baby-q-2019-lp-1" not in ids(service.search("bruising NOT baby"))


# -- facets, filters, pagination, sorting -----------------------------------------------------------

def test_facet_counts(service):
    results = service.search("school", per_page=50, statuses=STATUSES)
    assert results.total == len(results.hits) == 5
    assert dict(results.facets["kind"]) == {"action": 1, "learning-point": 1, "recommendation": 1,
                                            "review": 1, "paragraph": 1}
    assert dict(results.facets["review"]) == {"child-t-2022": 5}
    assert dict(results.facets["year"]) == {"2022": 5}
    assert dict(results.facets["type"]) == {"cspr": 5}
    assert dict(results.facets["status"]) == {"not-tracked": 1, "completed": 1}
    assert dict(results.facets["wording"]) == {"published": 1}
    assert dict(results.facets["agency"])["education"] == 3  # the review (via its recs), rec 2, action 2
    assert dict(results.facets["theme"])["children-missing-education"] == 4  # not learning point 2


@pytest.mark.parametrize("filters, expected", [
    ({"kind": ["recommendation"]}, {"child-t-2022-rec-1", "child-t-2022-rec-2", "baby-q-2019-rec-s1",
                                    "family-w-2024-rec-1"}),
    ({"kind": ["recommendation"], "agency": ["police"]}, {"child-t-2022-rec-1"}),
    ({"theme": ["neglect"], "kind": ["learning-point"]}, {"family-w-2024-lp-1"}),
    ({"review": ["baby-q-2019"], "kind": ["review", "recommendation"]}, {"baby-q-2019", "baby-q-2019-rec-s1"}),
    ({"year": ["2019"], "kind": ["learning-point"]}, {"baby-q-2019-lp-1", "baby-q-2019-lp-2"}),
    ({"type": ["partnership-learning-review"], "kind": ["review"]}, {"family-w-2024"}),
    ({"status": ["in-progress"]}, {"child-t-2022-rec-1", "child-t-2022-act-1"}),
    ({"wording": ["summary"]}, {"baby-q-2019-rec-s1"}),
    ({"kind": ["no-such-kind"]}, set()),
])
def test_filters_without_a_query(service, filters, expected):
    assert set(ids(service.search("", filters, per_page=100, statuses=STATUSES))) == expected


def test_filter_narrows_a_query_and_its_facets(service):
    results = service.search("child", {"kind": ["recommendation"]})
    assert results.hits and all(hit["kind"] == "recommendation" for hit in results.hits)
    assert dict(results.facets["kind"]) == {"recommendation": results.total}


@pytest.mark.parametrize("filters", [{"nonsense": ["x"]}, {"kind": "review"}, {"kind": [None, 3]},
                                     {"kind": 7}, {1: ["x"]}, "kind=review", None])
def test_odd_filters_do_not_raise(service, filters):
    assert service.search("child", filters).total >= 0


def test_pagination(service):
    first = service.search("child", per_page=2)
    second = service.search("child", per_page=2, page=2)
    assert first.total == second.total > 4 and first.pages == -(-first.total // 2)
    assert len(first.hits) == 2 and not set(ids(first)) & set(ids(second))
    assert service.search("child", per_page=2, page=99).hits == []
    assert service.search("child", page="x", per_page="y").page == 1


def test_sort_by_date(service):
    years = [hit["year"] for hit in service.search("child", sort="date", per_page=100).hits]
    assert years == sorted(years, reverse=True) and len(set(years)) > 1


def test_hit_fields(service):
    hit = next(h for h in service.search("referral mechanism", statuses=STATUSES).hits
               if h["kind"] == "recommendation")
    assert hit["url"] == "/recommendations/child-t-2022-rec-1"
    assert hit["review_title"] == "Child Safeguarding Practice Review: Child T"
    assert hit["status"] == "in-progress" and hit["wording"] == "published" and hit["page"] == 9
    assert set(hit["agencies"]) == {"safeguarding-partnership", "police"} and hit["year"] == 2022
    lp = service.search("hidden man").hits[0]
    assert lp["url"] == "/reviews/baby-q-2019#lp-2" and lp["label"] == "Learning point 2"
    # a hit says what it is and where it is from
    assert lp["title"] == f"Learning point 2, {lp['review_title']}, {lp['year']}"


# -- snippets and suggestions --------------------------------------------------------------------

def test_snippet_escapes_document_text(wide):
    hit = next(h for h in wide.search("obvious").hits if h["kind"] == "paragraph")
    assert "<script" not in hit["snippet"]
    assert "&lt;script&gt;" in hit["snippet"] and "&amp;" in hit["snippet"]
    assert '<mark class="search-hit">obvious</mark>' in hit["snippet"]


def test_snippet_marks_stemmed_and_prefix_matches(wide):
    hit = next(h for h in wide.search("exploit*").hits if h["id"] == "child-x-2023-rec-1")
    assert '<mark class="search-hit">exploited</mark>' in hit["snippet"]
    hit = next(h for h in wide.search("refusal").hits if h["id"] == "child-t-2022-rec-2")
    assert '<mark class="search-hit">refusals</mark>' in hit["snippet"]


def test_misspelt_word_shows_the_corrected_results_and_offers_the_original(service):
    results = service.search("neglet")
    assert results.total > 0 and results.query == "neglect" and results.corrected_from == "neglet"
    assert all("neglect" in (h["snippet"] + h["title"]).lower() or "neglect" in h["themes"] for h in results.hits)
    typed = service.search("neglet", spelling=False)  # "Search instead for neglet"
    assert typed.total == 0 and typed.suggestion == "neglect" and typed.corrected_from is None
    assert service.search("neglect").suggestion is None and service.search("neglect").corrected_from is None


# -- related learning ---------------------------------------------------------------------------------

def test_related_comes_from_other_reviews(wide):
    related = wide.related("learning-point", "child-t-2022-lp-1")
    assert related and related[0]["id"] == "child-x-2023-lp-1"
    assert all(hit["review_id"] != "child-t-2022" for hit in related)
    assert {hit["kind"] for hit in related} <= {"recommendation", "learning-point"}
    rec = wide.related("recommendation", "child-t-2022-rec-1", limit=2)
    assert rec[0]["id"] == "child-x-2023-rec-1" and len(rec) <= 2


@pytest.mark.parametrize("kind, doc_id", [("recommendation", "nope"), ("review", "child-t-2022"),
                                          ("recommendation", "child-t-2022-lp-1"), (None, None)])
def test_related_of_odd_input_is_empty(wide, kind, doc_id):
    assert wide.related(kind, doc_id) == []


# -- hostile input ----------------------------------------------------------------------------------

HOSTILE = ['"unbalanced', 'voice of "the', "((neglect", "neglect)", "AND", "OR", "NOT", "*", "**", "-",
           "title:", "id:*", "kind:review", "content:x AND", "NOT NOT NOT", "OR neglect OR", "a" * 5000,
           "neglect\x00bruising", "\x00", "\x1b[31m", "\u202e\u200b", "' OR 1=1 --", "%s%n", "{{7*7}}",
           "<script>alert(1)</script>", "neglect~2", "neglect^9", "[a TO z]", "bruis?ng", "\ud800", "", "   ",
           "-neglect", "\"\"", "escalat**", "*escalat", "schoo* OR", "🙂 neglect", "NEGLECT AND AND"]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_do_not_raise(service, q):
    results = service.search(q)
    assert results.total >= 0 and len(results.query) <= MAX_QUERY_CHARS
    assert "\x00" not in results.query


def test_hostile_query_falls_back_to_plain_terms(service):
    assert "family-w-2024-lp-1" in ids(service.search('title:neglect "pattern'))
    assert "family-w-2024-lp-1" in ids(service.search("((neglect AND pattern"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=12) | st.sampled_from(
    ['"', "(", ")", "*", "-", ":", "AND", "OR", "NOT", " ", "neglect", "CCE", "title:", "\x00"]),
    max_size=40).map("".join))
def test_fuzzed_queries_never_raise(service, q):
    results = service.search(q, per_page=5)
    for hit in results.hits:
        assert hit["snippet"].replace('<mark class="search-hit">', "").replace("</mark>", "").count("<") == 0


def test_clean_caps_and_strips():
    assert clean("a\x00b\tc") == "a b c" and len(clean("x" * 10_000)) == MAX_QUERY_CHARS and clean(None) == ""


# -- index lifecycle ------------------------------------------------------------------------------------

def test_missing_index_degrades_gracefully_then_recovers(sample_db_path, tmp_path):
    svc = SearchService(tmp_path / "none")
    results = svc.search("neglect")
    assert results.index_missing and results.hits == [] and results.total == 0
    assert svc.related("recommendation", "x") == []
    build_index(sample_db_path, tmp_path / "none")
    results = svc.search("neglect")
    assert not results.index_missing and results.total == 3


def test_rebuild_is_atomic_and_service_follows(reviews_db_path, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    build_index(reviews_db_path, index_dir)
    svc = SearchService(index_dir)
    assert svc.search('"neglect"').total == 3 and svc.search("zebra").total == 0
    extra = copy.deepcopy(SAMPLE_RECORDS)
    extra[2]["learning_points"].append({"text": "A zebra crossing outside the school.", "themes": ["neglect"]})
    write_database(reviews_db_path, extra)

    seen: list[tuple[int, int]] = []
    real_write = build_module.write_records

    def write_then_look(path, records, **kwargs):
        count = real_write(path, records, **kwargs)
        # the new index is complete on disk but not yet live: the service still answers from the old one
        seen.append((svc.search('"neglect"').total, svc.search("zebra").total))
        return count

    monkeypatch.setattr(build_module, "write_records", write_then_look)
    errors: list[BaseException] = []
    thread = threading.Thread(target=lambda: _capture(errors, build_index, reviews_db_path, index_dir))
    thread.start()
    while thread.is_alive():
        assert svc.search('"neglect"').total == 3
    thread.join()
    assert not errors and seen == [(3, 0)]
    assert ids(svc.search("zebra")) == ["family-w-2024-lp-2"]
    svc.close()


def _capture(errors, fn, *args):
    try:
        fn(*args)
    except BaseException as exc:  # noqa: BLE001 - surfaced by the test
        errors.append(exc)


def test_old_versions_are_cleaned_up(reviews_db_path, tmp_path):
    index_dir = tmp_path / "index"
    for _ in range(4):
        build_index(reviews_db_path, index_dir)
    versions = [p for p in index_dir.iterdir() if p.name.startswith("v-")]
    assert len(versions) == 2 and store.current_version(index_dir) in versions
    assert not list(index_dir.glob("tmp-*"))


def test_failed_build_leaves_live_index(reviews_db_path, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    live = build_index(reviews_db_path, index_dir)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "write_records", broken)
    with pytest.raises(RuntimeError):
        build_index(reviews_db_path, index_dir)
    assert store.current_version(index_dir) == live and not list(index_dir.glob("tmp-*"))


def test_a_status_change_shows_in_the_next_search_without_a_rebuild(reviews_db_path, tmp_path):
    index_dir = tmp_path / "index"
    build_index(reviews_db_path, index_dir)
    svc = SearchService(index_dir)
    before = {"family-w-2024-rec-1": "not-started"}
    assert ids(svc.search("", {"status": ["not-started"], "kind": ["recommendation"]}, statuses=before)) \
        == ["family-w-2024-rec-1"]
    after = {"family-w-2024-rec-1": "assured"}
    assert svc.search("", {"status": ["not-started"], "kind": ["recommendation"]}, statuses=after).total == 0
    assert ids(svc.search("", {"status": ["assured"]}, statuses=after)) == ["family-w-2024-rec-1"]
    assert svc.search("neglect toolkit", statuses=after).hits[0]["status"] == "assured"
    assert svc.search('"neglect"', statuses=after).total == 3  # nothing re-indexed, nothing duplicated
    unknown = {"no-such-rec": "assured", "family-w-2024-lp-1": ""}
    assert svc.search("", {"status": ["assured"]}, statuses=unknown).total == 0
    assert svc.search("", {"status": ["assured"]}).total == 0  # no statuses given: the filter matches nothing
    svc.close()


def test_statuses_are_not_in_the_index_so_a_rebuild_cannot_lose_one(reviews_db_path, tmp_path):
    index_dir = tmp_path / "index"
    build_index(reviews_db_path, index_dir)
    svc = SearchService(index_dir)
    statuses = {"child-t-2022-rec-2": "completed"}
    assert ids(svc.search("", {"status": ["completed"], "kind": ["recommendation"]}, statuses=statuses)) \
        == ["child-t-2022-rec-2"]
    build_index(reviews_db_path, index_dir)  # a new version behind CURRENT
    assert ids(svc.search("", {"status": ["completed"], "kind": ["recommendation"]}, statuses=statuses)) \
        == ["child-t-2022-rec-2"]
    assert not list(index_dir.glob("*journal*")) and not (index_dir / ".lock").exists()
    svc.close()


def test_cli_build_and_search(sample_db_path, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(sample_db_path), str(tmp_path / "index"),
                                 "--tracker", str(tmp_path / "missing-tracker.db")])
    assert result.exit_code == 0, result.output
    assert store.current_version(tmp_path / "index") is not None
    result = runner.invoke(cli, ["search", str(tmp_path / "index"), "neglect"])
    assert result.exit_code == 0 and json.loads(result.output)["total"] == 3


# -- relaxation, concepts, question words, titles, threads (issue 15) -----------------------------

def test_query_naming_a_theme_finds_what_is_tagged_below_literal_matches(wide):
    results = wide.search("criminal exploitation")
    literal = [h for h in results.hits if "exploit" in h["snippet"].lower()]
    tagged_only = [h for h in results.hits if "exploit" not in (h["snippet"] + h["title"]).lower()]
    assert literal and tagged_only, "a theme's name also finds what is tagged with it"
    assert all("child-criminal-exploitation" in h["themes"] for h in tagged_only)
    last_literal = max(results.hits.index(h) for h in literal)
    assert all(results.hits.index(h) > last_literal for h in tagged_only)


@pytest.mark.parametrize("typed, spelled", [("CCE", "child criminal exploitation"), ("cce", "criminal exploitation"),
                                            ("CAMHS", "child and adolescent mental health services")])
def test_abbreviations_find_the_tagged_or_spelled_out_learning(wide, typed, spelled):
    found = set(ids(wide.search(typed)))
    assert found and found & set(ids(wide.search(spelled)))


def test_no_result_with_all_words_shows_the_closest_matches(service):
    results = service.search("neglect pattern zzyzzx")
    assert results.total > 0 and results.closest_only and results.matched_all == 0
    # coordination: the record with both known words comes before those with one
    assert results.hits[0]["id"] == "family-w-2024-lp-1"
    both = service.search("neglect pattern")  # one has both words: it leads, the closest follow
    assert not both.closest_only and both.matched_all == 1 and ids(both)[0] == "family-w-2024-lp-1"


def test_stop_and_question_words_never_make_a_query_fail(service):
    plain = ids(service.search("bruising"))
    assert ids(service.search("the bruising")) == plain
    asked = service.search("how do I spot bruising")
    assert not asked.relaxed and ids(asked) == plain


def test_exclusions_hold_in_relaxed_results(service):
    results = service.search("neglect zzyzzx -pattern")
    assert results.total > 0 and "family-w-2024-lp-1" not in ids(results)


def test_records_without_learning_rank_below_records_with_content(tmp_path):
    thin = {"id": "thin-2020", "title": "Review we could not read", "subject": "Not known",
            "review_type": "scr", "published": "2020", "summary": "We could not read this review about neglect.",
            "themes": ["neglect"], "documents": [], "learning_points": [], "recommendations": []}
    db = write_database(tmp_path / "reviews.db", SAMPLE_RECORDS + [thin])
    build_index(db, tmp_path / "index")
    svc = SearchService(tmp_path / "index")
    try:
        reviews = [h["review_id"] for h in svc.search("neglect").hits]
        assert "thin-2020" in reviews and reviews[-1] == "thin-2020"
    finally:
        svc.close()


def test_concurrent_searches_agree_with_serial_ones(wide):
    queries = ["neglect", "CCE", "bruising non-mobile", "school OR police", "exploit*", '"voice of the child"']
    expected = {q: ids(wide.search(q)) for q in queries}
    errors: list[BaseException] = []
    seen: list[bool] = []

    def worker():
        try:
            for _ in range(5):
                for q in queries:
                    seen.append(ids(wide.search(q)) == expected[q])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and seen and all(seen)


def test_related_items_share_the_topic(wide):
    for kind, doc_id in [("learning-point", "child-t-2022-lp-1"), ("recommendation", "child-t-2022-rec-1")]:
        related = wide.related(kind, doc_id)
        assert related
        source_themes = {"child-criminal-exploitation"}  # both sources are tagged with it
        assert all(source_themes & set(h["themes"]) for h in related)


BOILERPLATE = ("The review made recommendations to {}. This is a summary of who they were addressed to, "
               "not their wording, which was not available to us; read it in the full report.")


def test_boilerplate_alone_never_makes_learning_related(tmp_path):
    def review(rid, agency):
        return {"id": rid, "title": f"Review {rid}", "subject": rid, "review_type": "scr", "published": "2020",
                "summary": "", "themes": ["neglect"], "documents": [], "learning_points": [],
                "recommendations": [{"number": "S1", "text": BOILERPLATE.format(agency), "wording": "summary",
                                     "themes": ["neglect"], "agencies": []}]}
    db = write_database(tmp_path / "reviews.db", [review("one-2020", "the police"), review("two-2021", "schools"),
                                                  review("three-2022", "the health visitors")])
    build_index(db, tmp_path / "index")
    svc = SearchService(tmp_path / "index")
    try:
        assert svc.related("recommendation", "one-2020-rec-s1") == []
    finally:
        svc.close()


def test_misspelt_word_is_corrected_before_the_query_is_relaxed(service):
    results = service.search("neglet pattern")  # "pattern" alone would find something
    assert results.corrected_from == "neglet pattern" and results.query == "neglect pattern"
    assert results.matched_all >= 1 and ids(results)[0] == "family-w-2024-lp-1"


def test_facet_counts_agree_whichever_way_they_are_counted(wide):
    from search_index.facets import FacetCache
    cache = wide._current().facets
    for docs in (frozenset(list(cache.all_docs)[:2]), cache.all_docs):
        by_sets = {f: sorted((v, len(docs & s)) for v, s in values.items() if docs & s)
                   for f, values in cache.sets.items()}
        assert {f: sorted(pairs) for f, pairs in FacetCache.counts(cache, docs).items()} == by_sets


def test_ranking_each_side_alone_gives_the_same_order(sample_db_path, tmp_path):
    build_index(sample_db_path, tmp_path / "index")
    svc = SearchService(tmp_path / "index")
    try:
        queries = ["bruising", "school", "school OR police", "neglect pattern zzyzzx", "exploit*"]
        split = {q: [(h["id"], round(h["score"], 6)) for h in svc.search(q).hits] for q in queries}
        svc._current().facets.sets["kind"]["paragraph"] = frozenset()  # turns the split off
        whole = {q: [(h["id"], round(h["score"], 6)) for h in svc.search(q).hits] for q in queries}
        assert split == whole and any(split.values())
    finally:
        svc.close()


def test_a_query_that_is_one_concept_run_is_relaxed_word_by_word(service):
    """"adult mental health services" is one concept run; no record holds the run, some hold its words."""
    results = service.search("adult mental health services")
    assert results.total > 0 and results.closest_only and results.matched_all == 0
    assert "baby-q-2019-rec-s1" in ids(results)
    assert service.search('"adult mental health services"').total == 0  # quoted: exactly these words


def test_relaxed_units_split_runs_once_and_never_quoted_phrases():
    synonyms = load_synonyms()
    run = parse("adult mental health services", synonyms)
    assert len(run.units) == 1 and run.units[0].splittable
    extra = relaxed_units(run)[1:]
    assert [u.words for u in extra] == [["adult"], ["mental"], ["health"], ["services"]]
    typed_too = parse("adult mental health services health", synonyms)
    assert [u.words for u in relaxed_units(typed_too)[len(typed_too.units):]] == [["adult"], ["mental"], ["services"]]
    assert relaxed_units(parse('"adult mental health services"', synonyms)) == parse(
        '"adult mental health services"', synonyms).units


def test_a_relaxed_run_word_finds_its_equivalents_as_if_typed_alone():
    """"online grooming" names a theme; relaxed, "grooming" still finds exploitation (concepts.yml)."""
    synonyms = load_synonyms()
    run = parse("online grooming", synonyms)
    assert len(run.units) == 1 and run.units[0].splittable
    extra = {u.words[0]: u for u in relaxed_units(run)[1:]}
    assert extra.keys() == {"online", "grooming"}
    alone = parse("grooming", synonyms).units[0]
    assert extra["grooming"].literal == alone.literal
    assert "exploit" in {t for _, t in extra["grooming"].literal.iter_all_terms()}


@pytest.mark.parametrize("q", ["LADO", "stepfather", "significant males"])
def test_results_found_only_through_the_theme_or_agency_named_are_shown_as_closest(service, q):
    """No record holds the words (the taxonomy's signals), so what is tagged with the theme or agency
    they name is offered as closest matches, not as records containing the words."""
    results = service.search(q, spelling=False)
    assert results.total and results.matched_all == results.total
    assert results.tagged_only and results.closest_only


def test_literal_matches_are_not_shown_as_only_tagged(service):
    results = service.search("neglect")
    assert results.total and not results.tagged_only and not results.closest_only
