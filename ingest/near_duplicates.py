"""Near-duplicate texts, found without a pure-Python comparison of every pair.

A report repeats its recommendations (executive summary, body, table), so the extractor asks of
each new text: which earlier text is nearly the same? The exact test stays difflib's ratio, but
it only runs on candidates that rapidfuzz (C++) says could pass: rapidfuzz's ratio is 2*LCS/(la+lb)
with LCS the longest common subsequence, and difflib's matching blocks are one common subsequence,
so difflib's ratio is never higher. A text rapidfuzz rules out could never have passed, and the
answer is the same as comparing every pair with difflib.
"""
from __future__ import annotations

import difflib

from rapidfuzz import fuzz, process

COMPARED = 400  # characters of each text the ratio looks at
CONTAINED_MIN = 40  # one text inside the other counts as the same when the shorter is this long


def similar_norm(na: str, nb: str, threshold: float) -> bool:
    """The extractor's test on two normalised texts: containment, else difflib ratio >= threshold."""
    if not na or not nb:
        return False
    if na in nb or nb in na:
        return min(len(na), len(nb)) >= CONTAINED_MIN
    la, lb = min(len(na), COMPARED), min(len(nb), COMPARED)
    if 2 * min(la, lb) / (la + lb) < threshold:
        return False  # lengths alone rule out the ratio (SequenceMatcher.real_quick_ratio)
    if fuzz.ratio(na[:COMPARED], nb[:COMPARED]) < threshold * 100 - 1e-9:
        return False  # an upper bound of difflib's ratio (module docstring)
    return difflib.SequenceMatcher(None, na[:COMPARED], nb[:COMPARED]).ratio() >= threshold


class NearTexts:
    """Kept normalised texts, asked for the ones that may be similar to a new text."""

    def __init__(self, threshold: float):
        self.threshold = threshold
        self.texts: list[str] = []
        self._heads: list[str] = []

    def add(self, norm: str) -> int:
        self.texts.append(norm)
        self._heads.append(norm[:COMPARED])
        return len(self.texts) - 1

    def replace(self, index: int, norm: str) -> None:
        self.texts[index] = norm
        self._heads[index] = norm[:COMPARED]

    def candidates(self, norm: str) -> set[int]:
        """Indexes of kept texts for which similar_norm(kept, norm, threshold) can be true."""
        if not norm or not self.texts:
            return set()
        found = {i for i, kept in enumerate(self.texts) if kept and (norm in kept or kept in norm)}
        hits = process.extract(norm[:COMPARED], self._heads, scorer=fuzz.ratio, limit=None,
                               score_cutoff=self.threshold * 100 - 1e-9)
        found.update(index for _, _, index in hits)
        return found
