"""Our own practice prompts per theme (questions.yml): sections 6 and 7 of every briefing."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

QUESTIONS_FILE = Path(__file__).with_name("questions.yml")


@lru_cache(maxsize=1)
def library() -> dict:
    """The parsed questions.yml; a malformed file fails loudly, naming the file."""
    data = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not {"embedded_question", "default", "themes"} <= data.keys():
        raise ValueError(f"{QUESTIONS_FILE}: needs embedded_question, default and themes")
    for name, entry in [("default", data["default"]), *data["themes"].items()]:
        for key, items in entry.items():
            bad = [item for item in items if not isinstance(item, str)]
            if bad:  # an unquoted "Label: text" line parses as a mapping
                raise ValueError(f"{QUESTIONS_FILE}: {name}/{key} has a non-text item {bad[0]!r}: quote it")
    return data


def embedded_question() -> str:
    return library()["embedded_question"]


def prompts(theme_slugs: list[str]) -> tuple[list[str], list[str]]:
    """(things to remember, questions) for the themes, one from each theme in turn, no repeats.

    Taking one from each theme before a second from any keeps a review's later themes in the
    briefing once the word budget cuts the list.
    """
    data = library()
    entries = [data["themes"][s] for s in theme_slugs if s in data["themes"]] or [data["default"]]
    out: tuple[list[str], list[str]] = ([], [])
    for key, bucket in zip(("remember", "questions"), out):
        lists = [e.get(key, []) for e in entries]
        for i in range(max(map(len, lists), default=0)):
            for items in lists:
                if i < len(items) and items[i] not in bucket:
                    bucket.append(items[i])
    return out
