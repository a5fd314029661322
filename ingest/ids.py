"""The one place stable ids are made, so URLs, tracker rows and index documents agree."""
from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(value: str) -> str:
    """Lower-case, runs of anything but letters and digits become '-', trimmed."""
    return _NON_ALNUM.sub("-", value.lower()).strip("-")


def recommendation_id(review_id: str, number: str) -> str:
    """`jacob-2021` + `4.2` -> `jacob-2021-rec-4-2`; the published number keeps ids stable."""
    slug = slugify(str(number))
    if not slug:
        raise ValueError(f"recommendation number {number!r} has no letters or digits")
    return f"{review_id}-rec-{slug}"


def learning_point_id(review_id: str, seq: int) -> str:
    return f"{review_id}-lp-{seq}"


def action_id(review_id: str, seq: int) -> str:
    return f"{review_id}-act-{seq}"
