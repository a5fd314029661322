"""Every controlled vocabulary, read from the one file `core/vocabulary.yml` by this one module.

Themes, agencies, recommendation types and ingested action statuses also carry the signals that
`ingest.taxonomy` matches against text; the other vocabularies (review types, result kinds,
wordings, BRAG colours, public statuses, board responses, delivery, assurance) are only named
here. Adding an entry is an edit to the file and nothing else.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yml")

# kinds whose entries are matched against text (they need a description and signals)
SIGNAL_KINDS = ("themes", "agencies", "rec_types", "statuses")
# kinds that are names only
NAMED_KINDS = ("review_types", "result_kinds", "wordings", "brag", "public_statuses", "responses",
               "delivery", "assurance", "holdings")
KINDS = SIGNAL_KINDS + NAMED_KINDS

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class VocabularyError(ValueError):
    """The vocabulary file is unreadable or breaks its format; the message names the file."""

    def __init__(self, path: str | Path, problem: str):
        self.path, self.problem = str(path), problem
        super().__init__(f"{path}: {problem}")


def _check(data, path: Path) -> dict:
    """The parsed file, with every kind a non-empty list of entries with a unique slug and a name."""
    if not isinstance(data, dict):
        raise VocabularyError(path, "the vocabulary must be a mapping with " + ", ".join(KINDS))
    for kind in KINDS:
        entries = data.get(kind)
        if not isinstance(entries, list) or not entries:
            raise VocabularyError(path, f"'{kind}' must be a non-empty list")
        seen: set[str] = set()
        for n, entry in enumerate(entries, 1):
            where = f"{kind}[{n}]"
            if not isinstance(entry, dict):
                raise VocabularyError(path, f"{where} must be a mapping")
            slug = entry.get("slug")
            if not isinstance(slug, str) or not _SLUG.match(slug):
                raise VocabularyError(path, f"{where} has no valid slug (lower-case words joined by '-')")
            if slug in seen:
                raise VocabularyError(path, f"{kind} slug '{slug}' is defined twice")
            seen.add(slug)
            required = ("name", "description") if kind in SIGNAL_KINDS else ("name",)
            for key in required:
                if not isinstance(entry.get(key), str) or not entry[key].strip():
                    raise VocabularyError(path, f"{kind} '{slug}' needs a one-line {key}")
    return data


def read(path: str | Path | None = None) -> dict:
    """The whole vocabulary file, checked; the default file is read once per process."""
    if path is None:
        return _default()
    return _read(Path(path))


@lru_cache(maxsize=1)
def _default() -> dict:
    return _read(VOCABULARY_PATH)


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise VocabularyError(path, f"cannot read the vocabulary: {exc.strerror}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise VocabularyError(path, f"the vocabulary is not valid YAML: {exc}") from exc
    return _check(data, path)


def entries(kind: str) -> list[dict]:
    """The entries of one vocabulary, in file order (each a dict with at least slug and name)."""
    return read()[kind]


def slugs(kind: str) -> tuple[str, ...]:
    return tuple(e["slug"] for e in entries(kind))


def names(kind: str) -> dict[str, str]:
    """slug -> the name a person reads."""
    return {e["slug"]: e["name"] for e in entries(kind)}


def attribute(kind: str, key: str) -> dict[str, str]:
    """slug -> one attribute of each entry that has it (e.g. `tag` of the BRAG colours)."""
    return {e["slug"]: e[key] for e in entries(kind) if key in e}


def rows(kind: str) -> list[dict]:
    """slug, name, description of each entry: the rows of the database's vocabulary tables."""
    return [{"slug": e["slug"], "name": e["name"], "description": e.get("description")} for e in entries(kind)]
