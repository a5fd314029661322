"""Recurring learning: pairwise precision and recall on the labelled pairs, and the time to group
recommendations at national scale (60,000, about 1,400 reviews), on this machine.

    python benchmarks/recurring_bench.py [--n 60000] [--choose]

The labelled set is benchmarks/data/recurring_pairs.yml (each variant of an ask stands for a
recommendation from a different review). A pair is predicted "same ask" when both items end up in
one group. The baseline line scores the open data's old canned query (same theme and same
addressee means recurring) on the same pairs. The last line is
`pairs=N precision=... recall=... group_60k_s=...`.

`--choose` picks `merge`, `pair_weight`, `vocabulary_weight` and `strip_addressees` for
ingest/recurring.yml by leaving one tuning set out at a time (tune, held-out, held-out-2: choose on
two by mean F1, score the third) and prints each choice and the one made on all three; then
`grow_from` and `grow` on the generated corpus's pairs. held-out-3, held-out-4 and held-out-5
(their pairs and their items) are never looked at.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from itertools import combinations, product
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.addressees import addressees  # noqa: E402
from ingest.recurring import Item, group, load_rules  # noqa: E402
from ingest.themes import choose_themes  # noqa: E402

PAIRS_FILE = Path(__file__).with_name("data") / "recurring_pairs.yml"


def labelled(path: Path = PAIRS_FILE) -> tuple[list[Item], list[tuple[str, str, bool, str]]]:
    """The items (one per variant, each from its own review) and the labelled pairs (a, b, same, set)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items, by_ask, set_of = [], {}, {}
    for n, ask in enumerate(data["asks"]):
        ids = []
        for k, text in enumerate(ask["variants"]):
            item_id = f"{ask['id']}-{k}"
            items.append(Item(item_id, f"review-{n}-{k}", text, tuple(choose_themes(text)),
                              tuple(addressees(text)), 2010 + k))
            ids.append(item_id)
        by_ask[ask["id"]] = ids
        set_of[ask["id"]] = ask["set"]
    pairs = [(a, b, True, set_of[ask]) for ask, ids in by_ask.items() for a, b in combinations(ids, 2)]
    for left, right in data["near_misses"]:
        which = _near_miss_set(set_of[left], set_of[right])
        pairs += [(a, b, False, which) for a, b in product(by_ask[left], by_ask[right])]
    return items, pairs


SETS = ("tune", "held-out", "held-out-2", "held-out-3", "held-out-4", "held-out-5")
CHOOSING_SETS = ("tune", "held-out", "held-out-2")  # thresholds are chosen on these only
GROW_FROM = (4, 8, 16)
GROWS = (0.1, 0.2, 0.3, 0.4)
MERGES = (0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.24, 0.28)
PAIR_WEIGHTS = (0.0, 0.3, 0.6, 1.0)
VOCABULARY_WEIGHTS = (0, 1, 3)  # how much the search vocabulary's groups count (0: not read)
STRIP_ADDRESSEES = (False, True)


def _near_miss_set(left: str, right: str) -> str:
    """A near miss counts in the newest set either side belongs to (the later in SETS),
    so a set written later is scored on its own asks and on how they stay apart from the older ones."""
    return max(left, right, key=SETS.index)


def score(predicted_same, pairs) -> tuple[float, float]:
    tp = sum(1 for a, b, same, _ in pairs if same and predicted_same(a, b))
    fp = sum(1 for a, b, same, _ in pairs if not same and predicted_same(a, b))
    fn = sum(1 for a, b, same, _ in pairs if same and not predicted_same(a, b))
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def grouped_predictor(items: list[Item], rules=None):
    where = {m.id: g.id for g in group(items, rules) for m in g.members}
    return lambda a, b: a in where and where.get(a) == where.get(b)


def baseline_predictor(items: list[Item]):
    by_id = {it.id: it for it in items}

    def same(a: str, b: str) -> bool:
        x, y = by_id[a], by_id[b]
        return bool(set(x.themes) & set(y.themes) and set(x.agencies) & set(y.agencies))
    return same


# A deterministic national-scale corpus: asks built from topics and aspects, worded with varied
# addressees and openings, about 40 recommendations a review.
_TOPICS = [
    "children missing education", "bruising in non-mobile babies", "safer sleep", "multi-agency chronologies",
    "professional challenge and escalation", "fathers and male carers", "the voice of the child",
    "domestic abuse enquiry", "GP reports to conferences", "elective home education", "the neglect toolkit",
    "transfer of records between areas", "National Referral Mechanism referrals", "exploitation panels",
    "parental mental health", "parental substance misuse", "disabled children's communication",
    "the threshold document", "reflective supervision", "professional interpreters", "missed health appointments",
    "private fostering", "case closure", "strategy discussions", "self-harm in adolescents",
    "temporary accommodation placements", "allegations against staff", "online safety", "culture and faith",
    "learning briefings", "information sharing with schools", "early help assessments", "young carers",
    "children in care placements out of area", "harmful sexual behaviour", "female genital mutilation",
    "forced marriage", "radicalisation referrals", "child sexual exploitation", "county lines",
]
_ASPECTS = [
    "train staff on", "audit practice on", "write guidance on", "raise awareness of", "commission a service for",
    "record decisions about", "share information about", "review the policy on", "report to the board on",
    "set up a pathway for", "appoint a lead for", "create a tool for", "check compliance with",
    "publish a leaflet on", "hold a learning event on", "update procedures for", "monitor data on",
    "assess capacity for", "seek assurance about", "escalate to national bodies concerns about",
]
_WHO = ["The partnership", "Children's social care", "Health partners", "Schools", "The police", "GPs",
        "The local authority", "All agencies", "Mental health services", "Commissioners", "Housing providers"]
_HOW = ["should", "must", "is asked to", "needs to"]
_TAIL = ["", " within six months", " and report progress", " across the county", " for every team",
         " with partner agencies", " and evaluate the impact", " by the end of the year"]


def national_corpus(n: int, seed: int = 7) -> list[Item]:
    return national_corpus_labelled(n, seed)[0]


def national_corpus_labelled(n: int, seed: int = 7) -> tuple[list[Item], list[tuple[str, str]]]:
    """The corpus and, for each item, the (aspect, topic) it was built from: its ask."""
    rng = random.Random(seed)
    items, asks = [], []
    per_review = 40
    for k in range(n):
        review = k // per_review
        who, how, aspect, topic = rng.choice(_WHO), rng.choice(_HOW), rng.choice(_ASPECTS), rng.choice(_TOPICS)
        text = f"{who} {how} {aspect} {topic}{rng.choice(_TAIL)}."
        items.append(Item(f"r{review}-rec-{k % per_review}", f"r{review}", text, (), (), 2013 + review % 12))
        asks.append((aspect, topic))
    return items, asks


def corpus_pairs(items: list[Item], asks: list[tuple[str, str]], count: int = 2000, seed: int = 11):
    """Labelled pairs from the generated corpus, items of different reviews: `count` with the same
    aspect and topic (same ask) and `count` with the same topic but another aspect (a near miss:
    "train staff on safer sleep" is not "audit practice on safer sleep")."""
    rng = random.Random(seed)
    by_topic: dict[str, list[int]] = {}
    for n, (_, topic) in enumerate(asks):
        by_topic.setdefault(topic, []).append(n)
    same, near = [], []
    topics = sorted(by_topic)
    while len(same) < count or len(near) < count:
        a, b = rng.sample(by_topic[rng.choice(topics)], 2)
        if items[a].review_id == items[b].review_id:
            continue
        pair = (items[a].id, items[b].id, asks[a] == asks[b], "corpus")
        (same if pair[2] else near).append(pair)
    return same[:count] + near[:count]


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def choose(items, pairs) -> tuple[float, float, int, bool]:
    """Leave-one-set-out choice of (merge, pair_weight, vocabulary_weight, strip_addressees) on
    CHOOSING_SETS; prints every fold. Only the items of those sets are grouped: the later sets'
    items would sway the choice through the pool (document frequencies, chaining) even though
    their pairs are never scored here."""
    base = load_rules()
    pairs = [p for p in pairs if p[3] in CHOOSING_SETS]
    chosen_items = {i for a, b, _, _ in pairs for i in (a, b)}
    items = [it for it in items if it.id in chosen_items]
    table = {}
    for merge, weight, vocabulary, strip in product(MERGES, PAIR_WEIGHTS, VOCABULARY_WEIGHTS, STRIP_ADDRESSEES):
        # `link` follows `merge`: two items alone can only meet at `merge` or above
        rules = replace(base, merge=merge, pair_weight=weight, link=merge, link_shared=min(base.link_shared, merge),
                        vocabulary_weight=vocabulary, strip_addressees=strip)
        predict = grouped_predictor(items, rules)
        table[merge, weight, vocabulary, strip] = {s: score(predict, [p for p in pairs if p[3] == s])
                                                   for s in CHOOSING_SETS}

    def best(sets):  # ties go to the stricter merge, the lighter pairs, the rules as they are
        return max(table, key=lambda k: (round(sum(f1(*table[k][s]) for s in sets), 9), k[0], -k[1], -k[2], -k[3]))

    def said(k) -> str:
        return f"merge={k[0]} pair_weight={k[1]} vocabulary_weight={k[2]} strip_addressees={k[3]}"
    for left in CHOOSING_SETS:
        k = best([s for s in CHOOSING_SETS if s != left])
        p, r = table[k][left]
        print(f"choose without {left}: {said(k)} -> {left} precision={p:.3f} recall={r:.3f}")
    k = best(CHOOSING_SETS)
    print(f"chosen on {', '.join(CHOOSING_SETS)}: {said(k)}")
    return k


def choose_growth(items, pairs, n: int = 60000) -> tuple[int, float]:
    """(grow_from, grow): how much more alike a group must be as it grows, chosen by F1 on the
    generated national corpus's pairs (the labelled sets' groups are too small to feel it) plus
    the mean F1 of the choosing sets, so a choice that costs them loses; prints every candidate."""
    base = load_rules()
    pairs = [p for p in pairs if p[3] in CHOOSING_SETS]
    chosen_items = {i for a, b, _, _ in pairs for i in (a, b)}
    items = [it for it in items if it.id in chosen_items]
    corpus, asks = national_corpus_labelled(n)
    generated = corpus_pairs(corpus, asks)
    table = {}
    for grow_from, grow in product(GROW_FROM, GROWS):
        rules = replace(base, grow_from=grow_from, grow=grow)
        cp, cr = score(grouped_predictor(corpus, rules), generated)
        predict = grouped_predictor(items, rules)
        sets = sum(f1(*score(predict, [p for p in pairs if p[3] == s])) for s in CHOOSING_SETS) / len(CHOOSING_SETS)
        table[grow_from, grow] = f1(cp, cr) + sets
        print(f"grow_from={grow_from} grow={grow}: corpus precision={cp:.3f} recall={cr:.3f}, "
              f"mean F1 of {', '.join(CHOOSING_SETS)}={sets:.3f}", flush=True)
    k = max(table, key=lambda k: (round(table[k], 6), k[1], -k[0]))  # ties go to the stricter bar
    print(f"chosen: grow_from={k[0]} grow={k[1]}")
    return k


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60000, help="recommendations in the timing corpus")
    parser.add_argument("--choose", action="store_true", help="choose the thresholds and options, print them, stop")
    args = parser.parse_args()
    items, pairs = labelled()
    if args.choose:
        choose(items, pairs)
        choose_growth(items, pairs, args.n)
        return
    predict = grouped_predictor(items)
    base = baseline_predictor(items)
    for name, subset in ((name, [p for p in pairs if p[3] == name]) for name in SETS):
        p, r = score(predict, subset)
        bp, br = score(base, subset)
        print(f"{name}: pairs={len(subset)} precision={p:.3f} recall={r:.3f} "
              f"(baseline same theme and addressee: precision={bp:.3f} recall={br:.3f})")
    corpus, asks = national_corpus_labelled(args.n)
    start = time.perf_counter()
    groups = group(corpus)
    seconds = time.perf_counter() - start
    where = {m.id: g.id for g in groups for m in g.members}
    cp, cr = score(lambda a, b: a in where and where.get(a) == where.get(b), corpus_pairs(corpus, asks))
    print(f"corpus (generated, same aspect and topic = same ask; not in the last line): pairs=4000 "
          f"precision={cp:.3f} recall={cr:.3f}")
    largest = max(groups, key=lambda g: len(g.members), default=None)
    ask_of = dict(zip((it.id for it in corpus), asks))
    print(f"national corpus: {len(corpus)} recommendations in {len(corpus) // 40} reviews -> "
          f"{len(groups)} recurring groups, largest {len(largest.members) if largest else 0} "
          f"(its members were generated from {len({ask_of[m.id] for m in largest.members}) if largest else 0} "
          f"different asks; about {len(corpus) // (len(_ASPECTS) * len(_TOPICS))} items share each ask)")
    precision, recall = score(predict, pairs)
    print(f"pairs={len(pairs)} precision={precision:.3f} recall={recall:.3f} group_60k_s={seconds:.1f}")


if __name__ == "__main__":
    main()
