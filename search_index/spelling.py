"""Which known word a misspelt one was meant to be.

Whoosh's correctors count a swap of two letters as two edits, so they are asked for candidates two
edits away, and a candidate is kept only when it is one typing slip away (one letter added, dropped,
changed, or two neighbours swapped: "negelct", "abuce"), or two slips for a word of eight letters or
more whose letters are the candidate's but for one ("bruseing", "harrasment": a letter misplaced
and one wrong). A real word the data happens not to hold is then not turned into another word:
"hanging" not into "having", "bullying" not into "building" (two letters changed, not moved), and
a word of the vocabulary is never corrected.
"""
from __future__ import annotations

from collections import Counter

LONG = 8  # letters from which two slips are allowed
CANDIDATES = 8


def slips(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def letters_apart(a: str, b: str) -> int:
    """How many letters one word has that the other lacks (the larger side), order ignored."""
    ca, cb = Counter(a), Counter(b)
    return max(sum((ca - cb).values()), sum((cb - ca).values()))


def allowed(word: str) -> int:
    if len(word) <= 3:
        return 0
    return 2 if len(word) >= LONG else 1


def nearest(word: str, *correctors) -> str | None:
    """The first corrector's best candidate within the slips allowed for `word`, else the next's."""
    limit = allowed(word)
    if not limit:
        return None
    for corrector in correctors:
        for candidate in corrector.suggest(word, limit=CANDIDATES, maxdist=2, prefix=1):
            apart = slips(word, candidate)
            if candidate != word and (apart <= 1 or (apart <= limit and letters_apart(word, candidate) <= 1)):
                return candidate
    return None
