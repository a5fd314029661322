"""What counts as learning (briefings/learning.yml): placeholders out, actionable items first.

Used by the briefings to pick items for a short page and by the feeds to leave out records
that hold no learning, so both apply the same rule.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

RULES_FILE = Path(__file__).with_name("learning.yml")


@lru_cache(maxsize=1)
def rules() -> dict:
    """The parsed learning.yml; a malformed file fails loudly, naming the file."""
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not {"placeholder_phrases", "action_words"} <= data.keys():
        raise ValueError(f"{RULES_FILE}: needs placeholder_phrases and action_words")
    return data


@lru_cache(maxsize=1)
def _action_pattern() -> re.Pattern:
    words = sorted(rules()["action_words"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def _normal(text: str | None) -> str:
    return " ".join(str(text or "").split()).lower()


def is_placeholder(text: str | None) -> bool:
    """True for a stand-in that says the learning is not available (or for no text at all)."""
    normal = _normal(text)
    return not normal or any(p.lower() in normal for p in rules()["placeholder_phrases"])


def is_actionable(text: str | None) -> bool:
    """True when the text tells a practitioner something to do, check, ask or share."""
    return bool(_action_pattern().search(str(text or "")))


def holds_learning(learning_points: list[str], recommendations: list[str]) -> bool:
    """A review holds learning when at least one finding or recommendation is not a placeholder."""
    return any(not is_placeholder(t) for t in [*learning_points, *recommendations])
