"""Data for the briefing tests (no tests here): the sample reviews, one set where a theme spans every
review, and one filled past the word budgets (the worst case for the one-page rule)."""
from __future__ import annotations

import copy

from tests.sample_data import SAMPLE_RECORDS


def shared_theme_records(theme: str = "neglect") -> list[dict]:
    """The sample reviews with `theme` added to every review, some learning and one recommendation."""
    records = copy.deepcopy(SAMPLE_RECORDS)
    for record in records:
        if theme not in record["themes"]:
            record["themes"].append(theme)
        record["learning_points"][-1].setdefault("themes", []).append(theme)
        record["recommendations"][0].setdefault("themes", []).append(theme)
    return records


SENTENCE = ("Practitioners across the partnership did not recognise how the accumulating concerns "
            "about the family affected the child's daily experience at home and at school.")
THEMES = ["neglect", "voice-of-the-child", "information-sharing", "risk-assessment",
          "child-criminal-exploitation", "domestic-abuse"]


def long_records(n: int = 8) -> list[dict]:
    """n reviews whose every field is far longer than a briefing's word budget."""
    text = lambda k: " ".join([SENTENCE] * k)  # noqa: E731
    return [{
        "id": f"review-{i}", "subject": f"Child X{i}", "review_type": "cspr",
        "title": f"Child Safeguarding Practice Review: a long review title number {i} about Child X{i}",
        "publisher": "Northshire Safeguarding Children Partnership", "area": "Northshire",
        "published": f"202{i % 5}-0{i % 9 + 1}", "period": "January 2020 to June 2021", "summary": text(8),
        "report_url": f"https://example.org/a/long/path/to/the/published/report/number/{i}/report.pdf",
        "themes": THEMES,
        "learning_points": [{"text": text(2), "themes": THEMES} for _ in range(8)],
        "recommendations": [{"number": str(j), "text": text(2), "themes": THEMES,
                             "wording": "summary" if j == 0 else "published"} for j in range(8)],
        "agency_actions": [{"recommendation": "1", "agency": "police", "action": text(1),
                            "reported": "2022-06", "status": "in-progress"} for _ in range(6)],
    } for i in range(n)]
