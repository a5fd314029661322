"""What the draft will publish, computed by the build's own code, and where a person should look.

`preview()` runs ingest.build.build_review over the draft folder with the stored extractions, so
what the officer sees is what the build will load. Warnings (rules in WARNINGS, printed on the
page): numbering gaps or restarts, action rows that match no recommendation, recommendations with
no addressee, themes signalled by a single word only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.build import BuildReport, build_review, vocabulary
from ingest.records import load_review
from ingest.addressees import addressees
from ingest.taxonomy import agencies_in, load_taxonomy
from intake import drafts

WARNINGS = {
    "numbering": "Numbering jumps or starts again: Word numbering may have run on from an earlier list.",
    "unlinked-action": "An action-plan row matches no recommendation: link it, or it is published without one.",
    "no-addressee": "No agency is named as the addressee.",
    "assumed-addressee": "The text names no agency: the safeguarding partnership was assumed as the addressee.",
    "low-confidence-theme": "A theme was chosen from a single word: check it.",
}
CONTEXT_BLOCKS = 2


@dataclass
class Preview:
    record: dict
    recommendations: list[dict] = field(default_factory=list)
    learning_points: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # review-level warning sentences
    build_warnings: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", (text or "").lower()).split())


def source_context(document, text: str) -> list[dict]:
    """The blocks around the one a recommendation starts in (its source text, with pages)."""
    if document is None:
        return []
    head = _norm(text)[:60]
    blocks = document.blocks
    for i, b in enumerate(blocks):
        body = _norm(" ".join(c for c in b.cells if c) if b.cells else b.text)
        if head and (head in body or (body and body in head and len(body) > 20)):
            lo, hi = max(0, i - CONTEXT_BLOCKS), min(len(blocks), i + CONTEXT_BLOCKS + 1)
            return [{"page": x.page, "text": (f"{x.number} " if x.number else "") + x.text, "match": j == i}
                    for j, x in zip(range(lo, hi), blocks[lo:hi])]
    return []


def low_confidence_themes(text: str) -> list[str]:
    """Themes signalled once, by one word: a person should confirm them."""
    counts: dict[str, list[str]] = {}
    for m in load_taxonomy().mentions("themes", text or ""):
        for slug in m.slugs:
            counts.setdefault(slug, []).append(m.signal)
    return [slug for slug, signals in counts.items() if len(signals) == 1 and len(signals[0].split()) == 1]


def addressee_problem(rec: dict) -> str | None:
    """'no-addressee', or 'assumed-addressee' when the extractor fell back on the partnership
    because the text names no agency at all (a person should confirm who owns it)."""
    agencies = rec.get("agencies") or []
    if not agencies:
        return "no-addressee"
    if rec.get("origin") == "extracted" and agencies == ["safeguarding-partnership"] and \
            not addressees(rec["text"]) and not agencies_in(rec["text"]):
        return "assumed-addressee"
    return None


def numbering_problems(numbers: list[str]) -> list[str]:
    """'3 follows 1' or '1 follows 5' for plain numbers within one group prefix ('SA1', '4.2')."""
    problems = []
    last: dict[str, int] = {}
    for number in numbers:
        m = re.fullmatch(r"([A-Za-z]*|\d+\.)(\d+)", str(number))
        if not m:
            continue
        prefix, n = m.group(1), int(m.group(2))
        if prefix in last:
            if n == last[prefix] + 1:
                pass
            elif n <= last[prefix]:
                problems.append(f"{number} follows {prefix}{last[prefix]}: the numbering starts again")
            else:
                problems.append(f"{number} follows {prefix}{last[prefix]}: numbers are missing")
        elif n != 1:
            problems.append(f"the list starts at {number}, not {prefix}1")
        last[prefix] = n
    return problems


def preview(work: Path, draft: dict) -> Preview:
    folder = drafts.write_folder(work, draft)
    vocab = vocabulary()
    cache = {d["file"]: drafts.load_extraction(work, draft["id"], d["file"]) for d in draft["documents"]}

    def read(path: Path):
        return cache.get(path.name)

    record = load_review(folder, vocab)
    ready = [d for d in draft["documents"] if cache.get(d["file"])]
    record["documents_spec"] = [{"file": d["file"], "role": d["role"]} for d in ready]
    report = BuildReport()
    built = build_review(folder, record, vocab, report, read=read)
    out = Preview(record=built, build_warnings=report.warnings)

    documents = {name: found[0] for name, found in cache.items() if found}
    numbers = [str(r["number"]) for r in built["recommendations"]]
    out.warnings = numbering_problems(numbers)
    for rec in built["recommendations"]:
        item = dict(rec)
        item["context"] = source_context(documents.get(rec.get("document")), rec["text"])
        item["low_confidence"] = [t for t in low_confidence_themes(rec["text"]) if t in rec.get("themes", [])]
        item["addressee_problem"] = addressee_problem(rec)
        item["warnings"] = ([WARNINGS[item["addressee_problem"]]] if item["addressee_problem"] else []) + (
            [WARNINGS["low-confidence-theme"]] if item["low_confidence"] else [])
        out.recommendations.append(item)
    dropped = {k for k, v in (draft.get("corrections") or {}).get("recommendations", {}).items() if v == "drop"}
    for key in dropped:
        out.recommendations.append({"number": key, "dropped": True, "text": "", "agencies": [], "themes": []})
    out.learning_points = built["learning_points"]

    fixes = (draft.get("corrections") or {}).get("agency_actions", {})
    row = 0
    for d in ready:
        for act in cache[d["file"]][1].get("agency_actions", []):
            row += 1
            fix = fixes.get(str(row))
            link = fix.get("recommendation") if isinstance(fix, dict) and "recommendation" in fix else act.get("recommendation")
            link = str(link) if link else None
            out.actions.append({**act, "row": row, "file": d["file"], "dropped": fix == "drop",
                                "linked": link if link in numbers else None,
                                "label": act.get("recommendation"),
                                "warnings": [] if link in numbers or fix == "drop" else [WARNINGS["unlinked-action"]]})
    return out
