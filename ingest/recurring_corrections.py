"""Writing a person's split or join into `recurring-corrections.yml` (read by ingest.recurring).

The browser's "not the same ask" and "same ask" buttons end here, so the file stays the one place
corrections live: a fresh clone's build applies them exactly as the site did. The file's leading
comment (its instructions) is kept; the pairs are rewritten in a stable order.
"""
from __future__ import annotations

import yaml

ACTIONS = {"split": "join", "join": "split"}  # each action and the one it undoes


class CorrectionError(ValueError):
    """A split or join that cannot be recorded (one line, shown to the administrator)."""


def with_correction(text: str | None, action: str, left: str, right: str) -> str:
    """The file's text with the pair (left, right) under `action`, and taken out of the other list
    (a join undoes an earlier split of the same pair, and the other way round)."""
    if action not in ACTIONS:
        raise CorrectionError(f"unknown correction {action!r}: split or join")
    if left == right:
        raise CorrectionError("an item cannot be split from or joined to itself")
    text = text or ""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        raise CorrectionError("recurring-corrections.yml is not valid YAML; fix it by hand first") from None
    if not isinstance(data, dict):
        raise CorrectionError("recurring-corrections.yml must hold split: and join: lists")
    pair = frozenset((left, right))
    lists = {key: [list(p) for p in data.get(key) or [] if isinstance(p, list)] for key in ACTIONS}
    if any(frozenset(p) == pair for p in lists[action]):
        raise CorrectionError(f"{left} and {right} are already marked to {action}")
    lists[ACTIONS[action]] = [p for p in lists[ACTIONS[action]] if frozenset(p) != pair]
    lists[action].append(sorted(pair))
    header = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header += line + "\n"
    body = yaml.safe_dump({key: sorted(lists[key]) for key in ("split", "join")}, default_flow_style=None,
                          sort_keys=False, width=120)
    return header + body
