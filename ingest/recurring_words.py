"""Words recurring learning reads from elsewhere in the project, so that it does not keep copies.

- The search vocabulary (search_index/concepts.yml, kept by people who know the field): each of
  its groups of equivalent words ("infant", "baby", "newborn") and each abbreviation with what it
  stands for ("LADO", "local authority designated officer") is one more way two items can say the
  same thing. Its one-way `finds` are left out: the parts of a practice phrase are not the phrase.
- The addressee of an ask (ingest.taxonomy's agency vocabulary): "Health visitors should ..." says
  who is asked, not what is asked, and near misses to one audience share it.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from ingest.taxonomy import _DIRECTIVE, agency_mentions


def search_vocabulary(path: Path) -> tuple[list[tuple[str, list[str]]], list[tuple[str, str]]]:
    """(label, phrases) for each two-way group and abbreviation of the search vocabulary, and
    (abbreviation, label) pairs; an abbreviation counts only written in capitals, so the everyday
    words some of them spell ("CARE", "SEND") do not."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    groups: list[tuple[str, list[str]]] = []
    abbreviations: list[tuple[str, str]] = []
    for abbr, phrases in (data.get("abbreviations") or {}).items():
        phrases = [str(p) for p in phrases or []]
        label = phrases[0] if phrases else str(abbr)
        groups.append((label, phrases))
        abbreviations.append((str(abbr), label))
    for entry in data.get("equivalents") or []:
        words = [str(w) for w in (entry.get("words") or []) if w]
        if len(words) > 1 and not entry.get("kind"):  # record kinds ("finding") are not asks
            groups.append((words[0], words))
    return groups, abbreviations


def without_addressees(text: str) -> str:
    """The text with the agencies named before its first should/must left out ("Health
    visitors and midwives should give ..." -> "and should give ..."): who is asked, not what."""
    directive = _DIRECTIVE.search(text)
    if not directive:
        return text
    head = text[:directive.start()]
    for m in sorted(agency_mentions(head), key=lambda m: -m.start):
        head = head[:m.start] + " " + head[m.end:]
    return head + text[directive.start():]
