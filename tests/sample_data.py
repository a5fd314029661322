"""A small, fictional set of review records for tests (Northshire is not a real area).

Built straight into a database with ingest.load.write_database, so tests of search, the app,
the tracker and Datasette do not depend on the document readers.
"""
from __future__ import annotations

SOURCE = "https://example.org/northshire/reviews"

SAMPLE_RECORDS: list[dict] = [
    {
        "id": "child-t-2022",
        "title": "Child Safeguarding Practice Review: Child T",
        "subject": "Child T",
        "review_type": "cspr",
        "publisher": "Northshire Safeguarding Children Partnership",
        "area": "Northshire",
        "published": "2022-03",
        "period": "January 2020 to June 2021",
        "summary": "A fictional review about a teenager who was criminally exploited through county lines "
        "while out of school for many months.",
        "report_url": f"{SOURCE}/child-t.pdf",
        "themes": ["child-criminal-exploitation", "children-missing-education"],
        "facts": [{"fact": "Published in March 2022.", "certainty": "confirmed", "source": SOURCE}],
        "documents": [
            {
                "file": "report.pdf", "format": "pdf", "role": "published-report", "sha256": "0" * 64,
                "pages": 12, "parser": "pypdfium2", "parser_version": "5.15.2",
                "paragraphs": [
                    {"page": 3, "text": "Child T was not on a school roll for fourteen months."},
                    {"page": 7, "text": "Practitioners described bruising on his arms after a missing episode."},
                ],
            }
        ],
        "learning_points": [
            {"text": "Being out of education left Child T exposed to criminal exploitation by county lines groups.",
             "themes": ["child-criminal-exploitation", "children-missing-education"], "page": 4,
             "document": "report.pdf", "source_url": SOURCE},
            {"text": "Professionals did not escalate their concerns when schools refused a place.",
             "themes": ["escalation-and-challenge"], "page": 5, "document": "report.pdf"},
        ],
        "recommendations": [
            {"number": "1", "text": "The partnership should seek assurance from the police that exploited "
             "children are referred through the National Referral Mechanism.",
             "wording": "published", "agencies": ["safeguarding-partnership", "police"],
             "themes": ["child-criminal-exploitation"], "rec_type": "audit", "page": 9, "document": "report.pdf"},
            {"number": "2", "text": "The local authority should track every child missing education and escalate "
             "refusals of school places.", "wording": "published", "agencies": ["local-authority", "education"],
             "themes": ["children-missing-education", "escalation-and-challenge"], "rec_type": "procedure",
             "page": 10, "document": "report.pdf"},
        ],
        "agency_actions": [
            {"recommendation": "1", "agency": "police", "action": "Audit of NRM referrals for exploited children.",
             "reported": "2022-06", "due": "2022-12-31", "status": "in-progress", "source_url": SOURCE},
            {"recommendation": "2", "agency": "education", "action": "Weekly review of children not on a school roll.",
             "reported": "2022-06", "due": "2023-03-31", "status": "completed", "source_url": SOURCE},
        ],
    },
    {
        "id": "baby-q-2019",
        "title": "Serious Case Review: Baby Q",
        "subject": "Baby Q",
        "review_type": "scr",
        "publisher": "Northshire Safeguarding Children Board",
        "area": "Northshire",
        "published": "2019-05-14",
        "summary": "A fictional review about a non-mobile baby with bruising and a father who was not seen.",
        "report_url": f"{SOURCE}/baby-q.pdf",
        "themes": ["physical-abuse", "fathers-and-male-carers"],
        "facts": [{"fact": "Published on 14 May 2019.", "certainty": "confirmed", "source": SOURCE}],
        "learning_points": [
            {"text": "Bruising in a non-mobile baby must always lead to a referral.",
             "themes": ["physical-abuse", "risk-assessment"], "source_url": SOURCE},
            {"text": "The father was not included in assessments: a hidden man in the household.",
             "themes": ["fathers-and-male-carers"], "source_url": SOURCE},
        ],
        "recommendations": [
            {"number": "S1", "text": "Summary of the recommendations addressed to health visitors and GPs on "
             "bruising in non-mobile babies (the exact wording is in the full report).", "wording": "summary",
             "agencies": ["health", "primary-care"], "themes": ["physical-abuse"], "source_url": SOURCE},
        ],
        "agency_actions": [],
    },
    {
        "id": "family-w-2024",
        "title": "Partnership learning review: Family W",
        "subject": "Family W",
        "review_type": "partnership-learning-review",
        "publisher": "Northshire Safeguarding Children Partnership",
        "area": "Northshire",
        "published": "2024",
        "summary": "A fictional learning review about long-term neglect and the voice of the child.",
        "themes": ["neglect", "voice-of-the-child"],
        "facts": [],
        "learning_points": [
            {"text": "Neglect was seen in isolated incidents rather than as a pattern over time.",
             "themes": ["neglect"], "source_url": SOURCE},
        ],
        "recommendations": [
            {"number": "1", "text": "All agencies should use the neglect toolkit and listen to the voice of the child.",
             "wording": "published", "agencies": ["safeguarding-partnership"],
             "themes": ["neglect", "voice-of-the-child"], "rec_type": "practice-tool"},
        ],
        "agency_actions": [],
    },
]
