"""A draft review: a folder in the documented review format plus the extraction already made.

    <work>/drafts/<draft-id>/review/        review.yml, corrections.yml and the uploaded documents
    <work>/drafts/<draft-id>/extracted/     <file>.json: the parsed document and its extraction

The preview and the publish both read `review/` with ingest's own loaders, so the browser and
the command line share one format.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from dataclasses import fields
from pathlib import Path

import yaml

from ingest import ids
from ingest.document import Block, Document

ROLES = {  # the form's words -> review.yml document roles
    "published-report": "Report",
    "learning-summary": "Learning summary",
    "action-plan": "Action plan",
}
META_FIELDS = ("title", "subject", "review_type", "publisher", "area", "published", "period",
               "report_url", "summary", "themes")
DRAFT_ID = re.compile(r"^d-[0-9a-f]{12}$")


def new_draft(review_id: str, meta: dict, replaces: str | None = None) -> dict:
    return {"id": "d-" + secrets.token_hex(6), "review_id": review_id, "meta": meta, "documents": [],
            "corrections": {}, "status": "new", "replaces": replaces}


def draft_dir(work: Path, draft_id: str) -> Path:
    if not DRAFT_ID.match(draft_id or ""):
        raise ValueError("not a draft id")
    return work / "drafts" / draft_id


def review_folder(work: Path, draft_id: str) -> Path:
    return draft_dir(work, draft_id) / "review"


def proposed_id(subject: str, published: str | None, taken: set[str]) -> str:
    """`Child T` + 2022 -> `child-t-2022`; a number is added when that id is taken."""
    base = ids.slugify(subject or "review") or "review"
    year = (published or "")[:4]
    base = f"{base}-{year}" if year.isdigit() and not base.endswith(year) else base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _yaml_dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def review_yml(draft: dict) -> dict:
    meta = {k: draft["meta"].get(k) for k in META_FIELDS if draft["meta"].get(k) not in (None, "", [])}
    meta["documents"] = [{"file": d["file"], "role": d["role"]} for d in draft["documents"]]
    return meta


def write_folder(work: Path, draft: dict) -> Path:
    """Write review.yml and corrections.yml beside the documents (the draft is the source)."""
    folder = review_folder(work, draft["id"])
    folder.mkdir(parents=True, exist_ok=True)
    if not draft.get("keep_review_yml"):  # a bundled review keeps its own, curated review.yml
        write_atomically(folder / "review.yml", _yaml_dump(review_yml(draft)))
    corrections = {k: v for k, v in (draft.get("corrections") or {}).items() if v}
    if corrections:
        write_atomically(folder / "corrections.yml", _yaml_dump(corrections))
    else:
        (folder / "corrections.yml").unlink(missing_ok=True)
    return folder


def save_extraction(work: Path, draft_id: str, file: str, document: Document, extraction: dict) -> None:
    out = draft_dir(work, draft_id) / "extracted"
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(out / f"{file}.json", json.dumps({"document": document.to_dict(), "extraction": extraction}))


def load_extraction(work: Path, draft_id: str, file: str) -> tuple[Document, dict] | None:
    path = draft_dir(work, draft_id) / "extracted" / f"{file}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    doc = data["document"]
    names = {f.name for f in fields(Document)} - {"blocks"}
    document = Document(**{k: doc[k] for k in names if k in doc}, blocks=[Block(**b) for b in doc["blocks"]])
    return document, data["extraction"]


def remove_document(work: Path, draft: dict, file: str) -> None:
    draft["documents"] = [d for d in draft["documents"] if d["file"] != file]
    (review_folder(work, draft["id"]) / file).unlink(missing_ok=True)
    (draft_dir(work, draft["id"]) / "extracted" / f"{file}.json").unlink(missing_ok=True)


def delete(work: Path, draft_id: str) -> None:
    shutil.rmtree(draft_dir(work, draft_id), ignore_errors=True)
