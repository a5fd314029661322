"""Search relevance rules (issue 15, round 4): what is found and how it ranks for the words trainers
and DSLs type. Fictional records; each test fails when its rule is taken away."""
from __future__ import annotations

import pytest

from ingest.load import write_database
from search_index import SearchService, build_index


def _review(rid: str, summary: str, *, learning: list[str] = (), facts: list[str] = (), themes: list[str] = (),
            subject: str | None = None, year: str = "2021") -> dict:
    return {
        "id": rid, "title": f"Serious case review concerning {subject or rid}", "subject": subject or rid,
        "review_type": "scr", "publisher": "Northshire Safeguarding Children Partnership", "area": "Northshire",
        "published": year, "summary": summary, "themes": list(themes), "documents": [],
        "facts": [{"fact": f, "certainty": "confirmed", "source": "https://example.org/fact"} for f in facts],
        "learning_points": [{"text": t, "themes": list(themes)} for t in learning], "recommendations": [],
    }


RECORDS = [
    _review("owl-2019", "A review about a boy who died.", subject="Child O",
            learning=["Professionals did not share what they knew about the family."],
            facts=["The Heron team, a multi-agency exploitation team, was set up in 2012.",
                   "His mother was convicted of his manslaughter."]),
    _review("wren-2016", "Baby W died; his father was convicted of manslaughter. We could not read the findings.",
            subject="Baby W"),
    _review("lark-2020", "A teenage girl was killed by her boyfriend; the review is about controlling relationships.",
            subject="Child L", learning=["Her death could not have been predicted.",
                                         "Agencies did not see the signs of coercion."]),
    _review("kite-2018", "A child in the same county.", subject="Child K",
            learning=["Nobody looked at the child's health as a whole."]),
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
