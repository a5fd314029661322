"""One review added, replaced or removed in seconds: the result equals a full rebuild, nothing is
stale, and a failure leaves what is live exactly as it was."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml
from whoosh import index as whoosh_index

from ingest import extract_cache
from ingest.build import build
from ingest.errors import IngestError, InvalidSource
from search_index import build_index, store, update_reviews
from tests import docgen

ROOT = Path(__file__).resolve().parents[1]
CHANGED = "child-k-2020"
NEW_RECS = [
    "The partnership should make sure that interpreters are booked for every child protection conference.",
    "Schools should record the reason for every part-time timetable and review it within six weeks.",
]


def table_rows(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like '%_fts%' order by name")]
        out = {}
        for table in tables:
            cols = [c[1] for c in conn.execute(f"pragma table_info({table})") if c[1] not in ("ingested_at", "at")]
            out[table] = sorted(conn.execute(f"select {', '.join(cols)} from {table}").fetchall(), key=repr)
        return out
    finally:
        conn.close()


def change_review(reviews: Path) -> None:
    """Edit one review's summary and add a learning summary with two new recommendations."""
    folder = reviews / CHANGED
    meta = yaml.safe_load((folder / "review.yml").read_text())
    meta["summary"] = "A changed summary about part-time timetables and interpreters."
    if meta.get("documents"):
        meta["documents"].append({"file": "extra-summary.md", "role": "learning-summary"})
    (folder / "review.yml").write_text(yaml.safe_dump(meta, sort_keys=False))
    docgen.make_markdown(folder / "extra-summary.md", title="Child K", recommendations=NEW_RECS)


@pytest.fixture
def reviews(tmp_path) -> Path:
    root = tmp_path / "reviews"
    shutil.copytree(ROOT / "reviews", root)
    return root


def test_only_one_review_gives_what_a_full_rebuild_gives(reviews, tmp_path):
    cache = tmp_path / "cache"
    db = tmp_path / "live" / "reviews.db"
    build(reviews, db, cache_dir=cache)
    change_review(reviews)
    report = build(reviews, db, only=[CHANGED], cache_dir=cache)
    assert report.reviews == 1
    full = tmp_path / "full" / "reviews.db"
    build(reviews, full, cache_dir=cache)
    assert table_rows(db) == table_rows(full)
    conn = sqlite3.connect(db)
    found = conn.execute("select count(*) from recommendations_fts where recommendations_fts match 'interpreters'")
    assert found.fetchone()[0] >= 1  # full-text search follows the replaced rows
    assert conn.execute("select summary from reviews where id = ?", (CHANGED,)).fetchone()[0].startswith("A changed")
    conn.close()


def test_only_a_removed_review_takes_its_rows_away(reviews, tmp_path):
    db = tmp_path / "reviews.db"
    build(reviews, db, cache_dir=tmp_path / "cache")
    shutil.rmtree(reviews / CHANGED)
    build(reviews, db, only=[CHANGED], cache_dir=tmp_path / "cache")
    conn = sqlite3.connect(db)
    for table, column in (("reviews", "id"), ("recommendations", "review_id"), ("paragraphs", "review_id"),
                          ("learning_points", "review_id"), ("agency_actions", "review_id")):
        assert conn.execute(f"select count(*) from {table} where {column} = ?", (CHANGED,)).fetchone()[0] == 0
    assert conn.execute("select count(*) from reviews").fetchone()[0] == len(list((ROOT / "reviews").glob("*/review.yml"))) - 1
    assert not conn.execute("pragma foreign_key_check").fetchall()
    conn.close()


def test_a_failed_update_leaves_the_database_byte_identical(reviews, tmp_path):
    db = tmp_path / "reviews.db"
    build(reviews, db, cache_dir=tmp_path / "cache")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    folder = reviews / CHANGED
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    meta = yaml.safe_load((folder / "review.yml").read_text())
    if meta.get("documents"):
        meta["documents"].append({"file": "broken.pdf", "role": "published-report"})
        (folder / "review.yml").write_text(yaml.safe_dump(meta, sort_keys=False))
    with pytest.raises(IngestError, match="broken.pdf"):
        build(reviews, db, only=[CHANGED], cache_dir=tmp_path / "cache")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in db.parent.iterdir() if p.is_file()) == ["reviews.db"]


def test_only_needs_a_database_to_update(reviews, tmp_path):
    with pytest.raises(InvalidSource, match="build it in full first"):
        build(reviews, tmp_path / "missing.db", only=[CHANGED])


def test_an_action_id_taken_by_another_review_is_refused(reviews, tmp_path):
    db = tmp_path / "reviews.db"
    build(reviews, db, cache_dir=tmp_path / "cache")
    taken = sqlite3.connect(db).execute(
        "select id from agency_actions where review_id != ? limit 1", (CHANGED,)).fetchone()[0]
    path = reviews / CHANGED / "review.yml"
    meta = yaml.safe_load(path.read_text())
    meta.setdefault("agency_actions", []).append({"id": taken, "action": "Something was done.",
                                                  "source": "https://example.org/x"})
    path.write_text(yaml.safe_dump(meta, sort_keys=False))
    with pytest.raises(InvalidSource, match="used more than once"):
        build(reviews, db, only=[CHANGED], cache_dir=tmp_path / "cache")


def test_cached_documents_are_not_read_again_until_the_extractor_changes(reviews, tmp_path, monkeypatch):
    cache, db = tmp_path / "cache", tmp_path / "reviews.db"
    build(reviews, db, cache_dir=cache, workers=1)
    first = table_rows(db)
    calls = []
    real = extract_cache.extract_entry

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(extract_cache, "extract_entry", counting)
    build(reviews, db, cache_dir=cache, workers=1)
    assert calls == [] and table_rows(db) == first  # every document came from the cache
    monkeypatch.setattr(extract_cache, "fingerprint", lambda: "a-changed-rule")
    build(reviews, db, cache_dir=cache, workers=1)
    documents = sum(1 for _ in sqlite3.connect(db).execute("select 1 from documents"))
    assert len(calls) == documents  # a new extractor version re-extracts everything
    assert (cache / "a-changed-rule").is_dir()


def test_a_changed_file_is_extracted_again(reviews, tmp_path):
    cache, db = tmp_path / "cache", tmp_path / "reviews.db"
    build(reviews, db, cache_dir=cache, workers=1)
    summary = next((reviews / CHANGED).glob("*.md"))
    summary.write_text(summary.read_text() + "\n## Recommendations\n1. " + NEW_RECS[0] + "\n")
    build(reviews, db, only=[CHANGED], cache_dir=cache, workers=1)
    texts = [r[0] for r in sqlite3.connect(db).execute(
        "select text from recommendations where review_id = ?", (CHANGED,))]
    assert NEW_RECS[0] in texts


def index_docs(version: Path) -> dict[str, dict]:
    ix = whoosh_index.open_dir(str(version))
    try:
        with ix.searcher() as searcher:
            return {fields["id"]: fields["doc"] for fields in searcher.all_stored_fields()}
    finally:
        ix.close()


def file_sums(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def test_index_update_equals_a_full_index_and_leaves_the_old_version_alone(reviews, tmp_path):
    cache, db = tmp_path / "cache", tmp_path / "reviews.db"
    build(reviews, db, cache_dir=cache)
    index_dir = tmp_path / "index"
    old_version = build_index(db, index_dir)
    old_docs, old_files = index_docs(old_version), file_sums(old_version)
    change_review(reviews)
    build(reviews, db, only=[CHANGED], cache_dir=cache)
    new_version = update_reviews(db, index_dir, [CHANGED])
    assert new_version != old_version and store.current_version(index_dir) == new_version
    assert file_sums(old_version) == old_files  # readers of the old version see it unchanged
    full = build_index(db, tmp_path / "full-index")
    assert index_docs(new_version) == index_docs(full)
    assert index_docs(new_version) != old_docs
    from search_index import SearchService

    hits = SearchService(index_dir).search("interpreters").hits
    assert any(h["id"].startswith(CHANGED) for h in hits)


def test_index_update_of_a_removed_review_drops_its_documents(reviews, tmp_path):
    db = tmp_path / "reviews.db"
    build(reviews, db, cache_dir=tmp_path / "cache")
    index_dir = tmp_path / "index"
    build_index(db, index_dir)
    shutil.rmtree(reviews / CHANGED)
    build(reviews, db, only=[CHANGED], cache_dir=tmp_path / "cache")
    version = update_reviews(db, index_dir, [CHANGED])
    assert not [d for d in index_docs(version).values() if d.get("review_id") == CHANGED]


def test_a_failed_index_update_keeps_the_live_version(reviews, tmp_path, monkeypatch):
    db = tmp_path / "reviews.db"
    build(reviews, db, cache_dir=tmp_path / "cache")
    index_dir = tmp_path / "index"
    live = build_index(db, index_dir)
    sums = file_sums(live)
    import search_index.build as index_build

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index_build, "read_records", broken)
    with pytest.raises(OSError):
        update_reviews(db, index_dir, [CHANGED])
    assert store.current_version(index_dir) == live and file_sums(live) == sums
    assert not list(index_dir.glob("tmp-*"))
