"""What a document holds, read and extracted once per content and extractor version.

A build reads every document; at national scale that is hours of PDF work repeated for files
that have not changed. Entries are keyed by the file's bytes and name (sha256) inside a folder
named by the extractor's fingerprint: a hash of every reader and extraction module and rule file
(ingest/ and core/, not the build or load code) and the parser libraries' versions. Changing a
rule gives a new fingerprint, so everything is re-extracted and nothing stale is ever used.
Misses are extracted in a process pool over the machine's cores. Writing the cache is
best-effort: a full or read-only disk only costs speed.

    <cache_dir>/<fingerprint>/<key>.json.gz   {"document": {...}, "paragraphs": [...], "extraction": {...}}
"""
from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ingest import errors
from ingest.document import Block, Document

ROOT = Path(__file__).resolve().parents[1]
# Modules that never change what a document yields (they load, publish, or read review.yml).
NOT_EXTRACTION = {"build.py", "load.py", "publish.py", "cli.py", "__main__.py", "atomic.py", "extract_cache.py",
                  "records.py", "ids.py", "errors.py"}
FINGERPRINTED = ("ingest", "core")
LIBRARIES = ("pypdfium2", "pdfplumber", "pdfminer.six", "python-docx", "beautifulsoup4", "lxml", "markdown-it-py",
             "rapidfuzz", "filetype", "charset-normalizer")
INLINE_MISSES = 2  # this many documents or fewer are extracted in this process (a pool costs ~1 s)
KEEP_VERSIONS = 2  # fingerprint folders kept: the current one and the one before


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the code, rules and parser versions that decide what a document yields."""
    digest = hashlib.sha256()
    for package in FINGERPRINTED:
        for path in sorted((ROOT / package).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yml", ".yaml", ".json", ".txt") and \
                    path.name not in NOT_EXTRACTION and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        with contextlib.suppress(PackageNotFoundError):
            digest.update(f"{name}={version(name)}\0".encode())
    return digest.hexdigest()[:20]


def file_key(path: Path) -> str:
    """The cache key of one file: its bytes and its name (the reader checks the extension)."""
    digest = hashlib.sha256(path.name.encode() + b"\0")
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def paragraphs(document: Document) -> list[dict]:
    """The document's text as the database stores it, one entry per block."""
    out = []
    for block in document.blocks:
        text = " | ".join(c for c in block.cells if c) if block.cells else block.text
        text = " ".join((f"{block.number} {text}" if block.number else text).split())
        if text:
            out.append({"page": block.page, "text": text})
    return out


def extract_entry(path: Path) -> dict:
    """Read and extract one file into a cache entry (raises IngestError for a bad file)."""
    from ingest.extract import extract
    from ingest.readers import read_document

    document = read_document(path)
    extraction = extract(document)
    meta = {k: getattr(document, k) for k in ("path", "format", "sha256", "pages", "parser", "parser_version")}
    return {"document": {**meta, "metadata": document.metadata}, "paragraphs": paragraphs(document),
            "extraction": extraction}


def from_entry(entry: dict, path: Path) -> tuple[Document, dict]:
    """(document, extraction) as the build uses them; the blocks are the stored paragraphs."""
    doc = entry["document"]
    blocks = [Block(p["text"], "paragraph", p["page"]) for p in entry["paragraphs"]]
    return Document(str(path), doc["format"], doc["sha256"], doc["pages"], doc["parser"], doc["parser_version"],
                    blocks, doc.get("metadata") or {}), entry["extraction"]


class ExtractCache:
    """Cache entries under `folder`, plus the pool that fills it."""

    def __init__(self, folder: str | os.PathLike | None):
        self.folder = Path(folder) / fingerprint() if folder else None
        self._memory: dict[str, dict] = {}  # entries that could not be written to disk
        self._failed: dict[str, errors.IngestError] = {}
        self._keys: dict[Path, str] = {}
        self._written: list[Path] = []  # entries this build wrote, dropped again if the disk fills up

    def key(self, path: Path) -> str:
        if path not in self._keys:
            self._keys[path] = file_key(path)
        return self._keys[path]

    def _file(self, key: str) -> Path | None:
        return self.folder / f"{key}.json.gz" if self.folder else None

    def load(self, path: Path) -> dict | None:
        key = self.key(path)
        if key in self._memory:
            return self._memory[key]
        file = self._file(key)
        if file is None:
            return None
        try:
            with gzip.open(file, "rt", encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError, EOFError):
            return None  # missing, or half-written by a killed build: extract again

    def store(self, path: Path, entry: dict) -> None:
        key = self.key(path)
        file = self._file(key)
        if file is not None:
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=file.parent)
                try:
                    with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) as fh:
                        fh.write(json.dumps(entry, ensure_ascii=False).encode("utf-8"))
                    os.replace(tmp, file)
                    self._written.append(file)
                    return
                finally:
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
            except OSError:
                pass
        self._memory[key] = entry

    def fill(self, paths: Iterable[Path], workers: int | None = None,
             on_document: Callable[[], None] | None = None) -> None:
        """Extract every path not yet cached, over `workers` processes (default: every core)."""
        missing = []
        for path in dict.fromkeys(paths):
            if self.load(path) is None:
                missing.append(path)
            elif on_document:
                on_document()
        workers = workers or os.cpu_count() or 1
        if len(missing) <= INLINE_MISSES or workers < 2:
            results = map(_extract_safely, missing)
            self._collect(missing, results, on_document)
        else:
            # forkserver: never fork a process that runs threads (the web app's intake does)
            context = multiprocessing.get_context("forkserver")
            with ProcessPoolExecutor(min(workers, len(missing)), mp_context=context) as pool:
                self._collect(missing, pool.map(_extract_safely, missing), on_document)
        self._prune()

    def _collect(self, paths: list[Path], results: Iterable, on_document: Callable[[], None] | None) -> None:
        for path, (entry, failure) in zip(paths, results):
            if failure is not None:
                cls, problem = failure
                self._failed[self.key(path)] = getattr(errors, cls, errors.IngestError)(path, problem)
            else:
                self.store(path, entry)
            if on_document:
                on_document()

    def read(self, path: Path) -> tuple[Document, dict]:
        """(document, extraction) for `path`: from the cache, else extracted now."""
        key = self.key(path)
        if key in self._failed:
            raise self._failed[key]
        entry = self.load(path)
        if entry is None:
            entry = extract_entry(path)
            self.store(path, entry)
        return from_entry(entry, path)

    def give_back_space(self) -> None:
        """Remove what this build wrote: on a full disk the database needs the room more."""
        for file in self._written:
            with contextlib.suppress(OSError):
                file.unlink()
        self._written.clear()
        self._prune()

    def _prune(self) -> None:
        """Drop the folders of older fingerprints (the newest KEEP_VERSIONS stay), and leave no empty
        folder behind when nothing could be written (a full disk keeps only what it had)."""
        if self.folder is None or not self.folder.parent.is_dir():
            return
        with contextlib.suppress(OSError):
            others = sorted((p for p in self.folder.parent.iterdir() if p.is_dir() and p != self.folder),
                            key=lambda p: p.stat().st_mtime, reverse=True)
            for old in others[KEEP_VERSIONS - 1:]:
                shutil.rmtree(old, ignore_errors=True)
        for folder in (self.folder, self.folder.parent):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only succeeds when empty


def _extract_safely(path: Path) -> tuple[dict | None, tuple[str, str] | None]:
    """Run in a worker: an IngestError comes back as (class name, problem), since it does not pickle."""
    try:
        return extract_entry(path), None
    except errors.IngestError as exc:
        return None, (type(exc).__name__, exc.problem)
