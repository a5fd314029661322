"""Read and validate the human-curated files in `reviews/<id>/` (no database, no documents).

The format is documented in docs/review-format.md; every problem is reported with the file it is
in, so a partnership officer can fix a typo without reading a traceback.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from core import vocab
from ingest.cited import cited_key, is_cited, load_cited
from ingest.errors import InvalidSource

REVIEW_TYPES = vocab.slugs("review_types")
WORDINGS = vocab.slugs("wordings")
CERTAINTIES = ("confirmed", "uncertain")
ACTION_STATUSES = ("not-started", "in-progress", "completed", "assured")
DOCUMENT_ROLES = ("learning-summary", "published-report", "action-plan")
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt")
NOT_DOCUMENTS = {"readme.md"}
REVIEW_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
URL = re.compile(r"^https?://\S+$")


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InvalidSource(path, f"is not valid YAML{where}") from None
    except UnicodeDecodeError:
        raise InvalidSource(path, "is not UTF-8 text") from None


def _date(path: Path, where: str, value: Any, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise InvalidSource(path, f"{where} is required")
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if not DATE.match(text):
        raise InvalidSource(path, f"{where} must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
    return text


def _url(path: Path, where: str, value: Any, required: bool = True) -> str | None:
    if not value:
        if required:
            raise InvalidSource(path, f"{where} needs a source URL")
        return None
    if not URL.match(str(value)):
        raise InvalidSource(path, f"{where} has a source that is not an http(s) URL: {value!r}")
    return str(value)


def _source(path: Path, where: str, value: Any, cited: dict[str, dict]) -> str:
    """A source: an http(s) URL, or `cited:<key>` naming a document in cited-documents.yml."""
    if is_cited(value):
        if cited_key(value) not in cited:
            raise InvalidSource(path, f"{where} cites {value!r}, which cited-documents.yml does not list")
        return str(value)
    return _url(path, where, value)


def _choice(path: Path, where: str, value: Any, allowed: tuple[str, ...], nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if value not in allowed:
        raise InvalidSource(path, f"{where} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _slugs(path: Path, where: str, values: Any, known: set[str]) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list):
        raise InvalidSource(path, f"{where} must be a list of slugs")
    unknown = [v for v in values if v not in known]
    if unknown:
        raise InvalidSource(path, f"{where} has unknown slug(s): {', '.join(map(str, unknown))}")
    return list(dict.fromkeys(values))


def _text(path: Path, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidSource(path, f"{where} must be non-empty text")
    return " ".join(value.split())


def load_review(folder: Path, vocabulary: dict[str, set[str]]) -> dict:
    """Validate `folder/review.yml` and return it as a review record (without documents)."""
    path = folder / "review.yml"
    if not REVIEW_ID.match(folder.name):
        raise InvalidSource(folder, "folder name must be a lower-case slug such as jacob-2021")
    if not path.exists():
        raise InvalidSource(path, "is missing: every review folder needs a review.yml")
    data = _load_yaml(path)
    if not isinstance(data, dict):
        raise InvalidSource(path, "must be a mapping of fields")
    themes, agencies = vocabulary["themes"], vocabulary["agencies"]
    cited = load_cited(folder.parent)
    record: dict = {
        "id": folder.name,
        "title": _text(path, "title", data.get("title")),
        "subject": data.get("subject"),
        "review_type": _choice(path, "review_type", data.get("review_type"), REVIEW_TYPES),
        "publisher": data.get("publisher"),
        "area": data.get("area"),
        "published": _date(path, "published", data.get("published")),
        "period": data.get("period"),
        "summary": " ".join(str(data.get("summary") or "").split()) or None,
        "report_url": _url(path, "report_url", data.get("report_url"), required=False),
        "notes": " ".join(str(data.get("notes") or "").split()) or None,
        "themes": _slugs(path, "themes", data.get("themes"), themes),
        "addressees": _slugs(path, "recommendations_addressed_to", data.get("recommendations_addressed_to"),
                             agencies),
        "cited_documents": cited,
        "root": str(folder.parent),
    }
    record["facts"] = [
        {
            "fact": _text(path, f"facts[{i}].fact", f.get("fact")),
            "certainty": _choice(path, f"facts[{i}].certainty", f.get("certainty", "confirmed"), CERTAINTIES),
            "source": _source(path, f"facts[{i}]", f.get("source"), cited),
        }
        for i, f in enumerate(data.get("facts") or [])
    ]
    numbers: set[str] = set()
    record["recommendations"] = []
    for i, r in enumerate(data.get("recommendations") or []):
        where = f"recommendations[{i}]"
        number = str(r.get("number") or "").strip()
        if not number:
            raise InvalidSource(path, f"{where} needs a number (S1, S2, ... for summaries)")
        if number in numbers:
            raise InvalidSource(path, f"{where} repeats number {number}")
        numbers.add(number)
        record["recommendations"].append({
            "number": number,
            "text": _text(path, f"{where}.text", r.get("text")),
            "wording": _choice(path, f"{where}.wording", r.get("wording"), WORDINGS),
            "agencies": _slugs(path, f"{where}.agencies", r.get("agencies"), agencies),
            "themes": _slugs(path, f"{where}.themes", r.get("themes"), themes),
            "rec_type": r.get("rec_type"),
            "source_url": _source(path, where, r.get("source"), cited),
            "replaced_by": [str(n) for n in (r.get("replaced_by") or [])],
            "origin": "summary" if r.get("wording") == "summary" else "extracted",
        })
    record["agency_actions"] = []
    for i, a in enumerate(data.get("agency_actions") or []):
        where = f"agency_actions[{i}]"
        agency = a.get("agency")
        if agency is not None and agency not in agencies:
            raise InvalidSource(path, f"{where}.agency has unknown slug {agency!r}")
        rec = a.get("recommendation")
        if rec is not None and str(rec) not in numbers:
            raise InvalidSource(path, f"{where}.recommendation {rec!r} is not a recommendation number in this file")
        record["agency_actions"].append({
            "id": a.get("id"),
            "recommendation": str(rec) if rec is not None else None,
            "agency": agency,
            "action": _text(path, f"{where}.action", a.get("action")),
            "reported": _date(path, f"{where}.reported", a.get("reported")),
            "due": _date(path, f"{where}.due", a.get("due")),
            "status": _choice(path, f"{where}.status", a.get("status"), ACTION_STATUSES, nullable=True),
            "source_url": _source(path, where, a.get("source"), cited),
        })
    record["documents_spec"] = []
    for i, d in enumerate(data.get("documents") or []):
        file = d.get("file")
        if not file or not (folder / file).is_file():
            raise InvalidSource(path, f"documents[{i}] names {file!r}, which is not a file in {folder.name}/")
        record["documents_spec"].append({
            "file": file,
            "role": _choice(path, f"documents[{i}].role", d.get("role"), DOCUMENT_ROLES, nullable=True),
        })
    return record


def document_files(folder: Path, record: dict) -> list[tuple[Path, str | None]]:
    """The documents to read: those listed in review.yml, else every document file in the folder."""
    if record["documents_spec"]:
        return [(folder / d["file"], d["role"]) for d in record["documents_spec"]]
    files = sorted(
        p for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES and p.name.lower() not in NOT_DOCUMENTS
    )
    return [(p, None) for p in files]


def load_corrections(folder: Path, vocabulary: dict[str, set[str]]) -> dict:
    """Validate `folder/corrections.yml` (optional) and return it with defaults filled in."""
    path = folder / "corrections.yml"
    empty = {"recommendations": {}, "add_recommendations": [], "learning_points": {},
             "add_learning_points": [], "review": {}, "agency_actions": {}}
    if not path.exists():
        return empty
    data = _load_yaml(path) or {}
    if not isinstance(data, dict):
        raise InvalidSource(path, "must be a mapping")
    unknown = set(data) - set(empty)
    if unknown:
        raise InvalidSource(path, f"has unknown section(s): {', '.join(sorted(unknown))}")
    out = {**empty, **{k: v for k, v in data.items() if v is not None}}
    for section in ("recommendations", "learning_points"):
        fixes = {}
        for key, fix in (out[section] or {}).items():
            where = f"{section}[{key}]"
            if fix == "drop":
                fixes[str(key)] = "drop"
                continue
            if not isinstance(fix, dict):
                raise InvalidSource(path, f"{where} must be 'drop' or a mapping of fields")
            fixes[str(key)] = _checked_fix(path, where, fix, vocabulary)
        out[section] = fixes
    actions = {}
    for key, fix in (out["agency_actions"] or {}).items():
        where = f"agency_actions[{key}]"
        if fix != "drop" and not isinstance(fix, dict):
            raise InvalidSource(path, f"{where} must be 'drop' or a mapping of fields")
        if isinstance(fix, dict):
            fix = dict(fix)
            if fix.get("recommendation") is not None:
                fix["recommendation"] = str(fix["recommendation"])
            if fix.get("agency") is not None and fix["agency"] not in vocabulary["agencies"]:
                raise InvalidSource(path, f"{where}.agency has unknown slug {fix['agency']!r}")
            if "status" in fix:
                _choice(path, f"{where}.status", fix["status"], ACTION_STATUSES, nullable=True)
        actions[str(key)] = fix
    out["agency_actions"] = actions
    for section in ("add_recommendations", "add_learning_points"):
        added = []
        for i, item in enumerate(out[section] or []):
            where = f"{section}[{i}]"
            fix = _checked_fix(path, where, item, vocabulary)
            _text(path, f"{where}.text", item.get("text"))
            if section == "add_recommendations" and not str(item.get("number") or "").strip():
                raise InvalidSource(path, f"{where} needs a number")
            added.append(fix)
        out[section] = added
    return out


def _checked_fix(path: Path, where: str, fix: dict, vocabulary: dict[str, set[str]]) -> dict:
    checked = dict(fix)
    if "agencies" in fix:
        checked["agencies"] = _slugs(path, f"{where}.agencies", fix["agencies"], vocabulary["agencies"])
    if "themes" in fix:
        checked["themes"] = _slugs(path, f"{where}.themes", fix["themes"], vocabulary["themes"])
    if "text" in fix:
        checked["text"] = _text(path, f"{where}.text", fix["text"])
    if "number" in fix:
        checked["number"] = str(fix["number"])
    return checked


WITHDRAWN_FILE = "withdrawn.yml"


def withdrawn_ids(root: Path) -> set[str]:
    """Ids listed in `root/withdrawn.yml`: reviews withdrawn from public view (folders kept)."""
    path = Path(root) / WITHDRAWN_FILE
    if not path.exists():
        return set()
    data = _load_yaml(path) or []
    if not isinstance(data, list) or not all(isinstance(i, str) for i in data):
        raise InvalidSource(path, "must be a list of review ids")
    return set(data)


def write_withdrawn(root: Path, ids: set[str]) -> None:
    path = Path(root) / WITHDRAWN_FILE
    if ids:
        path.write_text(yaml.safe_dump(sorted(ids)), encoding="utf-8")
    else:
        path.unlink(missing_ok=True)


def review_folders_in(roots) -> list[Path]:
    """Review folders under one root or several (reviews/ and instance/reviews/); a review id
    found under two roots is an error, since ids must be unique. A missing extra root is empty.
    Ids listed in any root's withdrawn.yml are left out (withdrawn from public view)."""
    roots = [Path(roots)] if isinstance(roots, (str, Path)) else [Path(r) for r in roots]
    roots = [r for i, r in enumerate(roots) if i == 0 or r.exists()]
    withdrawn = set().union(*(withdrawn_ids(r) for r in roots))
    folders: dict[str, Path] = {}
    for root in roots:
        for folder in review_folders(root):
            if folder.name in withdrawn:
                continue
            if folder.name in folders:
                raise InvalidSource(folder, f"review id {folder.name} is already used by {folders[folder.name]}")
            folders[folder.name] = folder
    return sorted(folders.values(), key=lambda p: p.name)


def review_folders(root: Path) -> list[Path]:
    """Every review folder under `root`, sorted by id (stable build order)."""
    if not root.is_dir():
        raise InvalidSource(root, "is not a folder")
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
