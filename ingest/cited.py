"""Cited documents: sources that have no public web address, cited by title instead of a link.

A partnership's own bulletin or a paper handed to the project is as good a source as a web page,
but it has no URL. Such documents are listed once in `reviews/cited-documents.yml`; a fact,
recommendation, action or learning point names one with `source: cited:<key>` (in a learning
summary, a Markdown link to `cited:<key>`). Everything else about sources stays a URL.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ingest.errors import InvalidSource

CITED_FILE = "cited-documents.yml"
PREFIX = "cited:"
FIELDS = ("title", "publisher", "published", "description")


def is_cited(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def cited_key(value: str) -> str:
    return value[len(PREFIX):].strip()


def load_cited(root: Path) -> dict[str, dict]:
    """The cited documents registered beside the review folders (empty if there is no file)."""
    path = Path(root) / CITED_FILE
    if not path.is_file():
        return {}
    return _load(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load(path: Path, _mtime: int) -> dict[str, dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        raise InvalidSource(path, "is not valid UTF-8 YAML") from None
    if not isinstance(data, dict):
        raise InvalidSource(path, "must map a key (such as oscb-sie-bulletin-27) to a document")
    out = {}
    for key, entry in data.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str) or not entry["title"].strip():
            raise InvalidSource(path, f"cited document {key!r} needs a title")
        out[str(key)] = {"id": str(key), **{f: (" ".join(str(entry[f]).split()) if entry.get(f) else None)
                                           for f in FIELDS}}
    return out


def citation(entry: dict) -> str:
    """How a cited document is named where a link would otherwise stand."""
    parts = [entry["title"]]
    if entry.get("publisher"):
        parts.append(entry["publisher"])
    return ", ".join(parts)


def source_columns(value: str | None, cited: dict[str, dict]) -> dict:
    """A source as the two columns a table stores: a link, or the citation of a cited document."""
    if is_cited(value):
        entry = cited.get(cited_key(value))
        return {"source_url": None, "source_citation": citation(entry) if entry else None}
    return {"source_url": value, "source_citation": None}
