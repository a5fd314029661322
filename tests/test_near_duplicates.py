"""The rapidfuzz prefilter never changes an answer: it only skips pairs difflib would reject."""
from __future__ import annotations

import difflib
import random

from ingest.near_duplicates import COMPARED, NearTexts, similar_norm

WORDS = ("the partnership should make sure that schools share information with police about children "
         "missing education within five days and report progress to the board").split()


def _difflib_only(na: str, nb: str, threshold: float) -> bool:
    if not na or not nb:
        return False
    if na in nb or nb in na:
        return min(len(na), len(nb)) >= 40
    return difflib.SequenceMatcher(None, na[:COMPARED], nb[:COMPARED]).ratio() >= threshold


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    base = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 60))) for _ in range(count // 2)]
    edited = []
    for text in base:  # near copies: a few words changed, dropped or added
        words = text.split()
        for _ in range(rng.randint(0, 4)):
            i = rng.randrange(len(words))
            words[i:i + 1] = rng.choice([[], [rng.choice(WORDS)], [words[i], rng.choice(WORDS)]])
        edited.append(" ".join(words))
    return base + edited


def test_similar_norm_agrees_with_difflib_on_every_pair():
    texts = _texts(7, 80)
    for threshold in (0.6, 0.85):
        for a in texts:
            for b in texts:
                assert similar_norm(a, b, threshold) == _difflib_only(a, b, threshold), (a, b, threshold)


def test_candidates_include_every_text_that_passes():
    texts = _texts(11, 120)
    near = NearTexts(0.85)
    for text in texts:
        passing = {i for i, kept in enumerate(near.texts) if similar_norm(kept, text, 0.85)}
        assert passing <= near.candidates(text)
        near.add(text)
    assert any(near.candidates(t) for t in texts)  # the set really holds near copies
