"""Each record's text analysed once for every text field, as term counts.

Whoosh's analyzers build a Token object per word per field, and the schema analyses each text
three times (stemmed, unstemmed, stem pairs), which made analysis about a third of an index build.
Here a text is split once; its stems feed both the stemmed fields and the pairs, and the counts go
to the fields as they are (`schema.CountedText`). The rules are Whoosh's own, applied in the same
order (its word pattern, lower case, its stop words and shortest word, the Porter stemmer), and
`tests/test_search_analysis.py` checks the counts equal what the schema's analyzers give.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from whoosh.analysis import STOP_WORDS
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem

MIN_STEMMED = 2  # StemmingAnalyzer's minsize: shorter words are stop words
PAIR_SEPARATOR = " "


@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """Porter stem of a lower-cased word, cached (the same words recur in every text)."""
    return stem(word)


def words(text: str) -> list[str]:
    """Lower-cased words, as the unstemmed analyzer gives them (no stop words)."""
    return [m.group().lower() for m in default_pattern.finditer(text)] if text else []


def stems(lowered: list[str]) -> list[str]:
    """Stems of the words that are not stop words, in order (the stemming analyzer)."""
    return [stem_word(w) for w in lowered if len(w) >= MIN_STEMMED and w not in STOP_WORDS]


def pairs(stemmed: list[str]) -> list[str]:
    """Each two neighbouring stems as one term; a lone stem stands for itself (ShingleFilter)."""
    if len(stemmed) < 2:
        return list(stemmed)
    return [a + PAIR_SEPARATOR + b for a, b in zip(stemmed, stemmed[1:])]


def analyse(heading: str, content: str) -> dict[str, Counter]:
    """Term counts of a record's heading, its content and the unstemmed and pair copies of both."""
    heading_words, content_words = words(heading), words(content)
    heading_stems, content_stems = stems(heading_words), stems(content_words)
    return {
        "heading": Counter(heading_stems),
        "content": Counter(content_stems),
        "exact": Counter(heading_words + content_words),
        "pairs": Counter(pairs(heading_stems + content_stems)),
    }
