"""Recurring learning: items from different reviews that ask for the same change.

The complaint heard most about case reviews is that they keep recommending the same things. This
module finds those repeats, for recommendations and (separately) learning points, in a way a person
can check. Similarity is TF-IDF over stemmed words and word pairs, with the phrasing of
recommendations left out (the rules are data: ingest/recurring.yml), so "the partnership should
ensure that all agencies" counts for nothing and "multi-agency chronology" counts a lot. A paraphrase table in the same file lets one practice phrase
worded different ways ("seen alone", "away from parents") count as one term, named in the
explanation. Words in a large
share of items count for less the commoner they are, but still count: at national scale the verb
("train", "audit") is what tells two asks about one topic apart. Items from
different reviews are linked when similar enough (a little less is enough when they share a theme or
an addressee); links are merged into groups centre by centre, so one loose link cannot chain
unrelated asks together, and a group must be more alike the larger it grows, so asks about one
topic do not chain into one group of a thousand. A person's corrections (`reviews/recurring-corrections.yml`) split or join
groups and are applied on every build. Deterministic, offline: scikit-learn and SciPy only.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from scipy import sparse
from scipy.sparse.linalg import norm as sparse_norm
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from ingest.errors import InvalidSource
from ingest.recurring_words import search_vocabulary, without_addressees
from ingest.taxonomy import stem

RULES_FILE = Path(__file__).with_name("recurring.yml")
ROOT = Path(__file__).resolve().parent.parent
CORRECTIONS_FILE = "recurring-corrections.yml"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CHUNK = 2048
THEME_TOKEN = "zztheme"  # an item's themes join its words as tokens no text contains
CONCEPT_TOKEN = "zzsame"  # one practice phrase of the paraphrase table, worded any of its ways


@dataclass(frozen=True)
class Rules:
    boilerplate: frozenset[str]
    link: float
    link_shared: float
    merge: float
    neighbours: int
    explain_phrases: int
    max_df_share: float = 0.02
    max_df_floor: int = 200
    min_shared_words: int = 2
    # (label, ways of saying it as tuples of word stems), from the `paraphrases` table
    paraphrases: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()
    paraphrase_weight: int = 1
    pair_weight: float = 1.0  # weight of word pairs in the similarity (explanations use them whole)
    # the search vocabulary's groups, read as more paraphrases counted `vocabulary_weight` times
    # (0: not read), and its abbreviations as written -> the label of their group
    vocabulary: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()
    abbreviations: tuple[tuple[str, str], ...] = ()
    vocabulary_weight: int = 0
    strip_addressees: bool = False  # leave out the agencies an ask is addressed to
    grow_from: int = 1_000_000  # groups larger than this need more than `merge` to grow ...
    grow: float = 0.0  # ... this much more for each e-fold of size


def _stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower().replace("-", " "))]


def _paraphrases(table: dict) -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    """`label: [phrase, ...]` -> (label, phrases as stem tuples); a label with no phrase is an error."""
    out = []
    for label, phrases in table.items():
        if not isinstance(phrases, list) or not phrases:
            raise ValueError(f"paraphrase {label!r} needs a list of phrases")
        out.append((str(label), tuple(tuple(_stems(str(p))) for p in phrases if _stems(str(p)))))
    return tuple(out)


def _vocabulary(data: dict) -> dict:
    """The Rules fields for the search vocabulary named by `search_vocabulary`, if any."""
    if not data.get("search_vocabulary"):
        return {}
    groups, abbreviations = search_vocabulary(ROOT / str(data["search_vocabulary"]))
    table = _paraphrases({label: phrases for label, phrases in groups if phrases})
    return {"vocabulary": tuple((label, forms) for label, forms in table if forms),
            "abbreviations": tuple(abbreviations)}


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> Rules:
    """The rules file, checked: thresholds between 0 and 1, a list of boilerplate words."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        limits = data["thresholds"]
        rules = Rules(
            boilerplate=frozenset(str(w).lower() for w in data["boilerplate"]),
            link=float(limits["link"]), link_shared=float(limits["link_shared"]),
            merge=float(limits["merge"]), neighbours=int(data["neighbours"]),
            explain_phrases=int(data["explain_phrases"]),
            max_df_share=float(data.get("max_df_share", 0.02)), max_df_floor=int(data.get("max_df_floor", 200)),
            min_shared_words=int(data.get("min_shared_words", 2)),
            paraphrases=_paraphrases(data.get("paraphrases") or {}),
            paraphrase_weight=int(data.get("paraphrase_weight", 1)),
            pair_weight=float(data.get("pair_weight", 1.0)),
            grow_from=int(data.get("grow_from", 1_000_000)), grow=float(data.get("grow", 0.0)),
            vocabulary_weight=int(data.get("vocabulary_weight", 0)),
            strip_addressees=bool(data.get("strip_addressees", False)), **_vocabulary(data),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise InvalidSource(path, f"is not a valid recurring-learning rules file ({type(exc).__name__})") from None
    if not all(0 < t <= 1 for t in (rules.link, rules.link_shared, rules.merge)) or rules.neighbours < 1:
        raise InvalidSource(path, "thresholds must be between 0 and 1 and neighbours at least 1")
    if not 0 <= rules.pair_weight <= 1:
        raise InvalidSource(path, "pair_weight must be between 0 and 1")
    return rules


@dataclass
class Item:
    """One recommendation or learning point: what grouping needs to know about it."""
    id: str
    review_id: str
    text: str
    themes: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    year: int | None = None


@dataclass
class Group:
    id: str
    members: list[Item]
    key_phrases: list[str]
    themes: list[str]
    agencies: list[str]
    similarity: dict[str, float] = field(default_factory=dict)  # member id -> cosine to the centre

    @property
    def reviews(self) -> list[str]:
        return list(dict.fromkeys(m.review_id for m in self.members))


@dataclass
class Corrections:
    """A person's fixes: pairs to keep apart (split) and pairs to put together (join)."""
    apart: set[frozenset[str]] = field(default_factory=set)
    together: list[tuple[str, str]] = field(default_factory=list)


def load_corrections(root: Path | None) -> Corrections:
    """`recurring-corrections.yml` beside the review folders, if there is one."""
    path = Path(root) / CORRECTIONS_FILE if root else None
    if not path or not path.is_file():
        return Corrections()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        raise InvalidSource(path, "is not valid UTF-8 YAML") from None
    out = Corrections()
    for key in ("split", "join"):
        for n, pair in enumerate(data.get(key) or [], 1):
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
                raise InvalidSource(path, f"{key}[{n}] must be a pair of item ids, such as [a-rec-1, b-rec-3]")
            if key == "split":
                out.apart.add(frozenset(pair))
            else:
                out.together.append((pair[0], pair[1]))
    return out


class Analyzer:
    """Text -> stemmed words and word pairs, boilerplate and stop words left out; remembers how
    each stem was written so explanations read as words, not stems."""

    def __init__(self, rules: Rules):
        self.skip = rules.boilerplate | ENGLISH_STOP_WORDS
        self.surface: dict[str, Counter] = defaultdict(Counter)
        tables = [("", rules.paraphrases, rules.paraphrase_weight)]
        if rules.vocabulary_weight:
            tables.append(("v", rules.vocabulary, rules.vocabulary_weight))
        self.labels: dict[str, str] = {}
        self.weights: dict[str, int] = {}
        self.starts: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for prefix, table, weight in tables:
            for n, (label, phrases) in enumerate(table):
                token = f"{CONCEPT_TOKEN}{prefix}{n}"
                self.labels[token], self.weights[token] = label, weight
                for phrase in phrases:
                    self.starts[phrase[0]].append((phrase, token))
        tokens = {label: token for token, label in self.labels.items() if token.startswith(f"{CONCEPT_TOKEN}v")}
        # an abbreviation counts only as written, in capitals ("LADO"; "CARE" is not "care")
        self.abbreviations = [(re.compile(rf"\b{re.escape(a)}s?\b"), tokens[label])
                              for a, label in (rules.abbreviations if rules.vocabulary_weight else ())
                              if label in tokens]

    def concepts(self, text: str) -> list[str]:
        """The paraphrase-table entries the text says in any of their ways, once each, in order."""
        if not self.starts and not self.abbreviations:
            return []
        stems = _stems(text)
        found: dict[str, None] = {}
        for k, s in enumerate(stems):
            for phrase, token in self.starts.get(s, ()):
                if tuple(stems[k:k + len(phrase)]) == phrase:
                    found[token] = None
        for pattern, token in self.abbreviations:
            if pattern.search(text):
                found[token] = None
        return list(found)

    def __call__(self, text: str) -> list[str]:
        concepts = [t for t in self.concepts(text) for _ in range(self.weights[t])]
        words = [w for w in _WORD.findall(text.lower().replace("-", " ")) if w not in self.skip and len(w) > 1]
        themes = [w for w in words if w.startswith(THEME_TOKEN)]
        words = [w for w in words if not w.startswith(THEME_TOKEN)]
        stems = []
        for w in words:
            s = stem(w)
            self.surface[s][w] += 1
            stems.append(s)
        return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:])] + themes + concepts

    def readable(self, term: str) -> str:
        if term in self.labels:
            return self.labels[term]
        return " ".join(self.surface[s].most_common(1)[0][0] if self.surface[s] else s for s in term.split())


def _neighbour_pairs(search: sparse.csr_matrix, x: sparse.csr_matrix, items: list[Item], rules: Rules,
                     words: list[set[int]]) -> list[tuple[float, int, int]]:
    """(similarity, i, j) for i < j from different reviews that pass the link rule, best first.
    Candidates are found on `search` (the vectors without the commonest terms, which would make
    the search quadratic) and scored on `x`, every term counted. `words` holds each item's
    single-word terms: a pair must share `min_shared_words` of them."""
    review_no: dict[str, int] = {}
    reviews = np.array([review_no.setdefault(it.review_id, len(review_no)) for it in items])
    shared_tags = [set(it.themes) | {f"@{a}" for a in it.agencies} for it in items]
    floor = min(rules.link, rules.link_shared)
    candidates: set[tuple[int, int]] = set()
    xt = search.T.tocsc()
    for start in range(0, search.shape[0], _CHUNK):
        block = (search[start:start + _CHUNK] @ xt).tocsr()
        block.data[block.data < floor] = 0
        block.eliminate_zeros()
        for r in range(block.shape[0]):
            i = start + r
            lo, hi = block.indptr[r], block.indptr[r + 1]
            if lo == hi:
                continue
            cols, vals = block.indices[lo:hi], block.data[lo:hi]
            keep = reviews[cols] != reviews[i]
            cols, vals = cols[keep], vals[keep]
            if len(cols) > rules.neighbours:
                top = np.argpartition(-vals, rules.neighbours)[: rules.neighbours]
                cols, vals = cols[top], vals[top]
            candidates.update((i, j) if i < j else (j, i) for j in cols.tolist())
    if not candidates:
        return []
    left, right = (np.array(side) for side in zip(*sorted(candidates)))
    sims = np.asarray(x[left].multiply(x[right]).sum(axis=1)).ravel()
    pairs = []
    for i, j, v in zip(left.tolist(), right.tolist(), sims.tolist()):
        if v < floor or (v < rules.link and not (shared_tags[i] & shared_tags[j])):
            continue
        if len(words[i] & words[j]) < rules.min_shared_words:
            continue
        pairs.append((v, i, j))
    return sorted(pairs, key=lambda p: (-p[0], p[1], p[2]))


def _weighted(x: sparse.csr_matrix, terms, rules: Rules) -> sparse.csr_matrix:
    """The vectors the similarity uses: word pairs counted at `pair_weight`, unit length again.
    A shared word pair mostly says two reviews used the same wording; the ask shows in the words."""
    if rules.pair_weight == 1.0:
        return x
    scale = np.where([" " in t for t in terms], rules.pair_weight, 1.0).astype(np.float32)
    out = normalize(x @ sparse.diags(scale)).astype(np.float32).tocsr()
    out.eliminate_zeros()
    return out


def _vectors(items: list[Item], rules: Rules) -> tuple[sparse.csr_matrix, TfidfVectorizer, Analyzer]:
    analyzer = Analyzer(rules)
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, norm="l2", dtype=np.float32)
    texts = [(without_addressees(it.text) if rules.strip_addressees else it.text) + "".join(f" {THEME_TOKEN}{t.replace('-', '')}" for t in it.themes) for it in items]
    return vectorizer.fit_transform(texts).tocsr(), vectorizer, analyzer


def _damped(x: sparse.csr_matrix, rules: Rules) -> sparse.csr_matrix:
    """Terms in more than the search's share of items count for less the commoner they are
    (weight times max_df / df), unit length again: a clause half the items end with
    ("within six months") says little about the ask, a verb one item in twenty uses says more."""
    max_df = max(rules.max_df_share * x.shape[0], rules.max_df_floor)
    df = np.bincount(x.indices, minlength=x.shape[1]).astype(np.float64)
    scale = np.minimum(1.0, max_df / np.maximum(df, 1))
    if (scale >= 1).all():
        return x
    out = normalize(x @ sparse.diags(scale.astype(np.float32))).astype(np.float32).tocsr()
    out.eliminate_zeros()
    return out


def _searchable(x: sparse.csr_matrix, rules: Rules) -> sparse.csr_matrix:
    """The vectors the neighbour search uses. A term in a large share of items would make the
    search quadratic, so it counts only joined to each rarer term of the same item ("train" with
    "online safety", not "train" alone), and such a pair that is itself that common is left out.
    Small corpora keep every term as it is. The similarity itself (`x`) counts every term: at
    national scale "train" is in one item in twenty, yet it is what tells "train staff on online
    safety" from "appoint a lead for online safety"."""
    max_df = max(rules.max_df_share * x.shape[0], rules.max_df_floor)
    common = np.bincount(x.indices, minlength=x.shape[1]) > max_df
    if not common.any():
        return x
    rows, cols, vals = [], [], []
    joined: dict[tuple[int, int], int] = {}
    for n in range(x.shape[0]):
        lo, hi = x.indptr[n], x.indptr[n + 1]
        terms, weights = x.indices[lo:hi], x.data[lo:hi]
        is_common = common[terms]
        for c, wc in zip(terms[is_common].tolist(), weights[is_common].tolist()):
            for r, wr in zip(terms[~is_common].tolist(), weights[~is_common].tolist()):
                rows.append(n)
                cols.append(joined.setdefault((c, r), len(joined)))
                vals.append(math.sqrt(wc * wr))
    pairs = sparse.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(x.shape[0], len(joined)))
    pairs = pairs[:, np.bincount(pairs.indices, minlength=pairs.shape[1]) <= max_df]
    rare = x @ sparse.diags((~common).astype(np.float32))
    out = normalize(sparse.hstack([rare, pairs]).tocsr()).astype(np.float32).tocsr()
    out.eliminate_zeros()
    return out


def group(items: list[Item], rules: Rules | None = None, corrections: Corrections | None = None) -> list[Group]:
    """Groups of items from two or more reviews that ask for the same change, largest first.

    Merging is average-link: two groups join only while the mean similarity between their members
    (the dot product of their summed unit vectors over the product of their sizes) stays at
    `merge` or above, and above that by `grow` for each e-fold of the joined size past `grow_from`.
    """
    rules = rules or load_rules()
    corrections = corrections or Corrections()
    items = [it for it in items if it.text and it.text.strip()]
    if len(items) < 2:
        return []
    try:
        whole, vectorizer, analyzer = _vectors(items, rules)
    except ValueError:  # nothing but boilerplate in every item
        return []
    terms = vectorizer.get_feature_names_out()
    whole = _damped(whole, rules)
    x = _weighted(whole, terms, rules)
    rows = [dict(zip(x.indices[x.indptr[n]:x.indptr[n + 1]].tolist(), x.data[x.indptr[n]:x.indptr[n + 1]].tolist()))
            for n in range(x.shape[0])]
    single = {n for n, t in enumerate(terms) if " " not in t and not t.startswith(THEME_TOKEN)}  # and concepts
    words = [{t for t in row if t in single} for row in rows]
    index = {it.id: n for n, it in enumerate(items)}
    parent = list(range(len(items)))
    total: dict[int, dict[int, float]] = {}
    members: dict[int, list[int]] = {n: [n] for n in range(len(items))}

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def vector(root: int) -> dict[int, float]:
        return total.get(root) or rows[root]

    def mean_similarity(a: int, b: int) -> float:
        va, vb = vector(a), vector(b)
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(w * vb.get(t, 0.0) for t, w in va.items()) / (len(members[a]) * len(members[b]))

    def bar(size: int) -> float:
        """The mean similarity a group of `size` members needs: `merge`, and more as it grows past
        `grow_from`, so a large group must be as alike as a small one is on average."""
        if size <= rules.grow_from:
            return rules.merge
        return rules.merge + rules.grow * float(np.log(size / rules.grow_from))

    def kept_apart(a: int, b: int) -> bool:
        if not corrections.apart:
            return False
        ids_a = {items[m].id for m in members[a]}
        return any(frozenset((p, items[m].id)) in corrections.apart for p in ids_a for m in members[b])

    def union(a: int, b: int) -> None:
        if len(members[a]) < len(members[b]):
            a, b = b, a
        summed = dict(vector(a))
        for t, w in vector(b).items():
            summed[t] = summed.get(t, 0.0) + w
        parent[b] = a
        total[a] = summed
        total.pop(b, None)
        members[a] += members.pop(b)

    for left, right in corrections.together:
        if left in index and right in index and find(index[left]) != find(index[right]):
            union(find(index[left]), find(index[right]))
    for _score, i, j in _neighbour_pairs(_searchable(x, rules), x, items, rules, words):
        a, b = find(i), find(j)
        if a != b and not kept_apart(a, b) and mean_similarity(a, b) >= bar(len(members[a]) + len(members[b])):
            union(a, b)
    out = [_describe(items, group_rows, x, whole, terms, analyzer, rules) for group_rows in members.values()
           if len({items[m].review_id for m in group_rows}) >= 2]
    out.sort(key=lambda g: (-len(g.reviews), -len(g.members), g.id))
    return out


def _describe(items, rows, x, whole, terms, analyzer: Analyzer, rules: Rules) -> Group:
    """A group with its stable id (its first member's), and why its members belong together: the
    terms its members share, word pairs at full weight (`whole`), so "school roll" reads as one."""
    rows = sorted(rows, key=lambda m: (items[m].year or 9999, items[m].id))
    sub = x[rows]
    named = whole[rows]
    present = np.asarray((named > 0).sum(axis=0)).ravel()
    weight = np.asarray(named.sum(axis=0)).ravel() * (present >= 2)
    phrases: list[str] = []
    for t in np.argsort(-weight, kind="stable"):
        if weight[t] <= 0 or len(phrases) >= rules.explain_phrases:
            break
        if terms[t].startswith(THEME_TOKEN):
            continue  # shared themes are listed on their own
        phrase = analyzer.readable(terms[t])
        if any(phrase in p.split(" ") or phrase == p for p in phrases) or any(phrase in p for p in phrases):
            continue
        words = phrase.split(" ")
        phrases = [p for p in phrases if p not in words]  # "school roll" says more than "school"
        phrases.append(phrase)
    centre = sparse.csr_matrix(sub.sum(axis=0))
    norm = sparse_norm(centre) or 1.0
    sims = (sub @ centre.T).toarray().ravel() / norm
    group_items = [items[m] for m in rows]

    def shared(attr: str) -> list[str]:
        counts = Counter(v for it in group_items for v in set(getattr(it, attr)))
        return [v for v, c in counts.most_common() if c >= 2]

    return Group(id=f"recurring-{group_items[0].id}", members=group_items, key_phrases=phrases,
                 themes=shared("themes"), agencies=shared("agencies"),
                 similarity={it.id: round(float(s), 3) for it, s in zip(group_items, sims)})


def shared_phrases(a: str, b: str, rules: Rules | None = None, limit: int = 3) -> list[str]:
    """The words and word pairs two texts share, most telling first: why a person sees them paired."""
    analyzer = Analyzer(rules or load_rules())
    return _telling(analyzer, analyzer(a), set(analyzer(b)), limit)


def shared_with_group(texts: list[str], rules: Rules | None = None, limit: int = 3) -> list[list[str]]:
    """For each member of a group, what it shares with the others (each text analysed once, so a
    group of hundreds costs what its members cost, not the square of it)."""
    analyzer = Analyzer(rules or load_rules())
    terms = [analyzer(text) for text in texts]
    members_with = Counter(t for ts in terms for t in set(ts))
    return [_telling(analyzer, ts, {t for t, n in members_with.items() if n - (t in own) > 0}, limit)
            for ts, own in ((ts, set(ts)) for ts in terms)]


def _telling(analyzer: Analyzer, ta: list[str], others: set[str], limit: int) -> list[str]:
    """The terms of `ta` also in `others`: word pairs before words, then in the text's order."""
    common = [t for t in dict.fromkeys(ta) if t in others]
    first: dict[str, int] = {}
    for k, t in enumerate(ta):
        first.setdefault(t, k)
    common.sort(key=lambda t: (-len(t.split()), first[t]))
    out: list[str] = []
    for t in common:
        phrase = analyzer.readable(t)
        if not any(phrase in p for p in out):
            out.append(phrase)
        if len(out) >= limit:
            break
    return out
