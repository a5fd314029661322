"""A deterministic generator of realistic review folders, for benchmarks at national scale.

Review ``n`` is always the same folder (its own random seed): a `review.yml` and a published
report PDF of 20-60 pages with 10-40 recommendations (as "Recommendation n:" items and again in a
recommendations table, as real reports repeat them), 3-8 findings, varied background paragraphs,
and for about a third of the reviews an action-plan table; about a quarter also have an own-words
learning summary in Markdown. Generated folders are cached under ``benchmarks/.corpus/`` (ignored
by git) keyed by GENERATOR_VERSION, so a corpus of 1,400 reviews is written once.

    from benchmarks.corpus import corpus_dir
    reviews = corpus_dir(200)            # a folder holding reviews 1..200 (symlinks into the cache)
"""
from __future__ import annotations

import os
import random
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import docgen  # noqa: E402

GENERATOR_VERSION = "1"
CACHE = ROOT / "benchmarks" / ".corpus" / f"v{GENERATOR_VERSION}"

PLACES = ("Northshire", "Eastmoor", "Westbridge", "Southdale", "Riverford", "Hillcaster", "Lakemouth", "Fenbury",
          "Greystone", "Ashvale", "Oakfield", "Marlow Vale", "Kingsreach", "Thornbury", "Stanmoor", "Elmhurst")
REVIEW_TYPES = ("cspr", "cspr", "cspr", "scr", "partnership-learning-review")
THEMES = ("neglect", "physical-abuse", "sexual-abuse", "emotional-abuse", "child-criminal-exploitation",
          "child-sexual-exploitation", "serious-youth-violence", "domestic-abuse", "online-harm", "safe-sleep",
          "parental-mental-health", "parental-substance-misuse", "fathers-and-male-carers", "child-mental-health",
          "disabled-children", "looked-after-children", "children-missing-education", "missing-children",
          "early-help", "thresholds", "information-sharing", "multi-agency-working", "escalation-and-challenge",
          "voice-of-the-child", "risk-assessment", "records-and-chronologies", "supervision-and-training",
          "transitions-and-transfers", "contextual-safeguarding", "poverty-and-housing")
ADDRESSEES = (
    ("The safeguarding partnership", "Partnership"), ("Thames Valley Police", "Police"),
    ("Children's social care", "Children's social care"), ("The integrated care board", "ICB"),
    ("Schools and colleges", "Education"), ("GP practices", "Primary care"), ("The health visiting service", "Health"),
    ("The local authority's education service", "Education"), ("The youth justice service", "YJS"),
    ("Housing providers and district councils", "Housing"), ("Adult mental health services", "Mental health"),
    ("CAMHS", "CAMHS"), ("The early help service", "Early help"), ("The probation service", "Probation"),
    ("The designated safeguarding leads in schools", "Education"),
)
VERBS = ("should make sure that", "should seek assurance that", "must ensure that", "should review how",
         "should agree a protocol so that", "should audit whether", "should provide training so that",
         "should develop guidance so that", "needs to check that", "should strengthen arrangements so that")
OBJECTS = (
    "practitioners record the views and wishes of the child at every visit",
    "information about missed health appointments is shared with the child's named GP",
    "referrals about neglect are assessed with the graded care profile",
    "children missing education are reported to the local authority within five school days",
    "strategy discussions include the school when a child is at risk of criminal exploitation",
    "domestic abuse notifications reach the health visitor within two working days",
    "fathers and male carers are seen and included in every assessment",
    "bruising in a non-mobile baby is always referred under the multi-agency protocol",
    "practitioners understand and use the escalation procedure when they disagree with a decision",
    "the effect of a parent's mental health on the child is assessed and reviewed",
    "a family moving between local authority areas is handed over in a meeting, not only by letter",
    "safe sleep advice is given and recorded at each contact with a new baby",
    "chronologies are kept up to date and shared before each child protection conference",
    "supervision gives practitioners time to reflect on cumulative harm",
    "young people at risk of exploitation have a trusted adult who stays with them",
    "return home interviews take place within 72 hours of a child going missing",
    "thresholds for early help are applied consistently across the county",
    "the voice of a disabled child who does not use speech is sought and recorded",
    "professionals check the history of new partners joining the household",
    "decisions to close a case are made by a manager who has read the whole file",
    "language interpreters are used for assessments instead of family members",
    "the impact of poverty and overcrowded housing is part of every assessment",
    "online harm is considered in assessments of teenagers who are isolated at home",
    "a child's move from children's to adult services starts planning at sixteen",
    "agencies share information about parental substance misuse with the health visitor",
    "looked after children placed out of area keep the same social worker where possible",
    "schools record and share concerns about a child's weight and hygiene",
    "professionals challenge disguised compliance and check what parents tell them",
    "multi-agency meetings record who is responsible for each action and by when",
    "emergency department staff check for previous attendances of the child",
    "police officers attending domestic incidents ask whether children live at the address",
    "practitioners use professional curiosity when a family repeatedly cancels visits",
    "the partnership's training on contextual safeguarding reaches voluntary sector staff",
    "learning from this review is shared through a seven minute briefing",
    "the child protection plan sets out measurable outcomes for the child",
    "health records flag when a child is subject to a child protection plan",
    "pre-birth assessments start early enough to plan support before the baby is born",
    "agencies know how to contact the out-of-hours social work team",
    "the views of siblings are sought when one child in the family is of concern",
    "transfers of school records happen within fifteen days of a child changing school",
    "case records show the reason for every decision not to proceed to a strategy discussion",
    "young carers are identified and offered an assessment of their own",
    "practitioners working with adults ask about children in the household",
    "mental health assessments of young people consider the risk of exploitation",
    "the partnership receives an annual report on how this learning has changed practice",
)
QUALIFIERS = ("", "", " and report progress to the partnership within six months",
              " and audit compliance after twelve months", ", across all partner agencies",
              " and that this is checked through regular case file audits")
FINDINGS = (
    "Information held by different agencies was not brought together, so no one saw the whole picture.",
    "Practitioners focused on the needs of the parents and the child's own experience was not heard.",
    "Concerns about neglect were treated as separate incidents rather than as cumulative harm.",
    "The risk of criminal exploitation was seen as a lifestyle choice the young person had made.",
    "Professionals accepted the parents' accounts without checking them against what others knew.",
    "Escalation procedures existed but practitioners did not use them when decisions worried them.",
    "The father and the mother's new partner were not seen or assessed by any agency.",
    "Missed health appointments were not followed up or shared with the GP and the school.",
    "High caseloads and changes of social worker meant that relationships with the family were lost.",
    "The family's move between areas was not handed over and the new area started again from nothing.",
    "Domestic abuse notifications did not reach the professionals who saw the children every day.",
    "Assessments did not consider the family's housing, debts and the effect of poverty on care.",
)
SENTENCES = (
    "In {month} {year} {agency} recorded a contact with the family about {topic}.",
    "{agency} did not know that {other} had already been involved with the family.",
    "The review looked at what {agency} knew at that time and how the information was shared.",
    "Practitioners described a period of high caseloads and frequent changes of worker.",
    "The records were brief and did not show who made the decisions or why.",
    "A strategy discussion was held in {month} {year}, but the school was not invited.",
    "{agency} offered support with {topic}, which the family accepted for a few weeks.",
    "The child told a teacher about {topic}; this was recorded but not passed on.",
    "Managers were not asked to review the plan when the situation changed.",
    "A referral from {agency} was assessed as not meeting the threshold for social care.",
    "The health visitor saw the baby {n} times during the period under review.",
    "There were {n} police call-outs to the address before the incident in {month} {year}.",
    "The family moved house {n} times, and each move meant a new set of professionals.",
    "{agency} and {other} held different views about the level of risk to the child.",
    "The panel heard from practitioners who had worked with the family over several years.",
    "Learning from earlier reviews about {topic} had not yet changed day-to-day practice.",
)
TOPICS = ("school attendance", "missed medical appointments", "the condition of the home", "domestic abuse",
          "the mother's mental health", "substance misuse", "going missing from home", "bruising",
          "the child's weight", "online contact with older men", "debt and rent arrears", "exclusion from school")
AGENCY_NAMES = ("the school", "the GP practice", "children's social care", "the police", "the health visiting service",
                "the youth justice service", "the housing provider", "the hospital emergency department", "CAMHS",
                "the early help service", "the probation service", "the children's centre")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
STATUSES = ("Completed", "In progress", "Not started", "In progress", "Completed")


def review_id(n: int) -> str:
    return f"child-gen-{n:04d}-{2014 + n % 11}"


def _paragraph(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(2, 4)):
        template = rng.choice(SENTENCES)
        agency, other = rng.sample(AGENCY_NAMES, 2)
        text = template.format(month=rng.choice(MONTHS), year=rng.randint(2012, 2024), agency=agency,
                               other=other, topic=rng.choice(TOPICS), n=rng.randint(2, 14))
        parts.append(text[0].upper() + text[1:])
    return " ".join(parts)


def spec(n: int) -> dict:
    """Everything review n holds, from its own seed (no file is written here)."""
    rng = random.Random(f"review-{n}")
    place = rng.choice(PLACES)
    year = 2014 + n % 11
    recs, addressees = [], []
    for obj in rng.sample(OBJECTS, rng.randint(10, 40)):
        who, short = rng.choice(ADDRESSEES)
        recs.append(f"{who} {rng.choice(VERBS)} {obj}{rng.choice(QUALIFIERS)}.")
        addressees.append(short)
    pages = rng.randint(20, 60)
    paragraphs = [_paragraph(rng) for _ in range(pages * 8)]
    actions = None
    if rng.random() < 0.35:
        actions = [[str(i), f"Deliver: {recs[i - 1][:90].rsplit(' ', 1)[0]}", addressees[i - 1],
                    f"{year + 1}-{rng.randint(1, 12):02d}", rng.choice(STATUSES)]
                   for i in sorted(rng.sample(range(1, len(recs) + 1), min(len(recs), rng.randint(5, 15))))]
    return {
        "id": review_id(n), "place": place, "year": year, "pages": pages, "recommendations": recs,
        "findings": rng.sample(FINDINGS, rng.randint(3, 8)), "paragraphs": paragraphs, "actions": actions,
        "review_type": rng.choice(REVIEW_TYPES), "themes": rng.sample(THEMES, rng.randint(2, 5)),
        "month": rng.randint(1, 12), "summary_md": rng.random() < 0.25,
        "subject": f"Child {chr(65 + n % 26)}{n}",
    }


def write_review(n: int, parent: Path) -> Path:
    """Write review n's folder under `parent` (replacing any earlier copy); returns the folder."""
    s = spec(n)
    folder = parent / s["id"]
    tmp = parent / f".{s['id']}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    partnership = f"{s['place']} Safeguarding Children Partnership"
    meta = {
        "title": f"Child Safeguarding Practice Review: {s['subject']}",
        "subject": s["subject"], "review_type": s["review_type"], "publisher": partnership,
        "area": s["place"], "published": f"{s['year']}-{s['month']:02d}",
        "summary": f"A generated benchmark review from {s['place']}. " + s["findings"][0],
        "report_url": f"https://example.org/reviews/{s['id']}", "themes": s["themes"],
    }
    (tmp / "review.yml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    paragraphs = s["paragraphs"]
    docgen.make_report_pdf(
        tmp / "report.pdf", title=meta["title"], partnership=partnership, findings=s["findings"],
        recommendations=s["recommendations"], pages=s["pages"], action_plan=s["actions"],
        filler_text=lambda i: paragraphs[i % len(paragraphs)],
    )
    if s["summary_md"]:
        docgen.make_markdown(tmp / "learning-summary.md", title=s["subject"],
                             background=paragraphs[0],
                             findings=[(f, f"{meta['report_url']}#f{i}") for i, f in enumerate(s["findings"], 1)])
    shutil.rmtree(folder, ignore_errors=True)
    os.rename(tmp, folder)
    return folder


def _ensure(n: int) -> Path:
    folder = CACHE / "all" / review_id(n)
    if not (folder / "review.yml").exists():
        write_review(n, CACHE / "all")
    return folder


def generate(ns: range, workers: int = 2) -> list[Path]:
    """Make sure reviews `ns` are in the cache (generating missing ones over `workers` processes)."""
    (CACHE / "all").mkdir(parents=True, exist_ok=True)
    missing = [n for n in ns if not (CACHE / "all" / review_id(n) / "review.yml").exists()]
    if len(missing) > 4 and workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_ensure, missing, chunksize=8))
    else:
        for n in missing:
            _ensure(n)
    return [CACHE / "all" / review_id(n) for n in ns]


def link_corpus(target: Path, ns: range) -> Path:
    """A reviews folder at `target` holding symlinks to the cached reviews `ns`."""
    target.mkdir(parents=True, exist_ok=True)
    for folder in generate(ns):
        link = target / folder.name
        if not link.exists():
            link.symlink_to(folder, target_is_directory=True)
    return target


def corpus_dir(count: int) -> Path:
    """The cached corpus of reviews 1..count, as one reviews folder."""
    return link_corpus(CACHE / f"n{count}", range(1, count + 1))
