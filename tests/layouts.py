"""Realistic (fictional) review documents in the layouts partnerships publish, with the
extraction each should give.

Every layout writes a real file (PDF via reportlab, DOCX via python-docx with Word numbering,
HTML, Markdown, plain text) and carries its expectation: review metadata, recommendations
(number, text, agencies), the learning-point count and agency actions. Areas, children and
people are invented ("Northshire", "Child P"); agency names are the real kinds of bodies that
appear in reports. tests/test_extract_layouts.py runs the real extraction path on each.

Expectation keys that are absent are not checked. ``lps`` is an exact count or a (min, max)
range, because where a learning point starts is a judgment; recommendations are exact.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from tests.docgen import (
    BODY_FONT, BOLD_FONT, LEADING, MARGIN, PAGE_W, MULTILEVEL_DOTTED, DocxBuilder, Level, _Pager, filler,
)


@dataclass
class Rec:
    number: str
    text: str
    agencies: Sequence[str]


@dataclass
class Layout:
    name: str
    filename: str
    build: Callable[[Path], Path]
    review: dict
    recs: list[Rec]
    lps: int | tuple[int, int] | None = None
    actions: list[dict] | None = None
    notes: str = ""
    extra: dict = field(default_factory=dict)
    strict: bool = True  # False: scored, but not yet in the strict per-layout tests (say why in notes)


# --------------------------------------------------------------------------- PDF helper


class Pdf:
    """A small layout language over docgen's pager: cover lines, headings, paragraphs,
    labelled items, tables, page breaks."""

    def __init__(self, header: str | None = None, footer: bool = True):
        self.pg = _Pager(header, footer)
        self.pg.decorated[0] = False

    def cover(self, lines: Sequence[tuple[str, float, bool]], top: float = 230) -> "Pdf":
        self.pg.y -= top
        for text, size, bold in lines:
            self.pg.y -= size + 10
            self.pg.string(MARGIN, text, BOLD_FONT if bold else BODY_FONT, size)
        self.page()
        return self

    def contents(self, entries: Sequence[tuple[str, int]]) -> "Pdf":
        self.pg.heading("Contents", 16)
        for name, page in entries:
            self.pg.y -= LEADING
            self.pg.string(MARGIN, f"{name} " + "." * max(4, 80 - int(len(name) * 1.2)) + f" {page}")
        self.page()
        return self

    def h(self, text: str, size: float = 14.0) -> "Pdf":
        self.pg.heading(text, size)
        return self

    def p(self, text: str, label: str | None = None, indent: float = 0.0, bold: bool = False) -> "Pdf":
        self.pg.paragraph(text, label=label, indent=indent, font=BOLD_FONT if bold else BODY_FONT)
        return self

    def table(self, rows: Sequence[Sequence[str]], widths: Sequence[float] | None = None) -> "Pdf":
        self.pg.table(rows, widths)
        return self

    def page(self) -> "Pdf":
        self.pg.new_page()
        return self

    def save(self, path: Path, title: str = "", author: str = "") -> Path:
        self.pg.render(path, title, author, None)
        return path


AVAIL = PAGE_W - 2 * MARGIN


def _filler(pdf: Pdf, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        pdf.p(filler(i))


# --------------------------------------------------------------------------- 1. cover + contents, findings as headings, interleaved recs

P_RECS = [
    Rec("1", "The partnership should review the neglect strategy so that practitioners use the graded care "
             "profile before a case is stepped down from child protection.", ["safeguarding-partnership"]),
    Rec("2", "Northshire Children's Social Care should make sure that every assessment records the views of "
             "the child, seen on their own, and of each adult in the household.", ["childrens-social-care"]),
    Rec("3", "The integrated care board should ensure that GP practices are told when a child on a child "
             "protection plan misses two consecutive health appointments.", ["health", "primary-care"]),
]
P_FINDINGS = [
    ("Cumulative neglect was not recognised", [
        "Over four years agencies responded to each incident on its own. Home conditions were described as "
        "poor on eleven occasions, but no agency drew the history together.",
        "Practitioners told the review that the family's engagement made it hard to see the pattern.",
    ]),
    ("Child P's voice was not heard", [
        "Child P was seen at home with her mother present on almost every visit. Her wishes and feelings were "
        "recorded only once during the period under review.",
    ]),
    ("Missed health appointments were not followed up", [
        "Child P missed seven appointments with the community paediatrician. Each was recorded as was not "
        "brought, but no practitioner asked why.",
    ]),
]


def build_cover_findings_pdf(path: Path) -> Path:
    pdf = Pdf(header="Child Safeguarding Practice Review: Child P")
    pdf.cover([("Northshire Safeguarding Children Partnership", 14, False),
               ("Child Safeguarding Practice Review", 24, True),
               ("Child P", 22, True),
               ("Author: Dr Helen Marsh, Independent Reviewer", 12, False),
               ("Published: March 2023", 12, False)])
    pdf.contents([("1. Introduction", 3), ("2. Background", 3), ("3. Findings and recommendations", 5),
                  ("4. Conclusion", 8), ("Appendix 1: Terms of reference", 9)])
    pdf.h("1. Introduction").p(
        "This review was commissioned by Northshire Safeguarding Children Partnership after Child P, aged "
        "nine, was found to be living in conditions of severe neglect. Child P is the name agreed with her "
        "family for this report.")
    pdf.h("2. Background")
    _filler(pdf, 8)
    pdf.h("3. Findings and recommendations")
    pdf.p("The review identified three findings. Each is followed by the recommendation that arises from it.")
    for i, ((title, paras), rec) in enumerate(zip(P_FINDINGS, P_RECS), 1):
        pdf.h(f"Finding {i}: {title}", 12)
        for para in paras:
            pdf.p(para)
        pdf.p(f"Recommendation {i}: {rec.text}", bold=True)
    pdf.h("4. Conclusion")
    pdf.p("Child P is now living with a family member and is doing well at school. The partnership will "
          "monitor the recommendations through its learning and improvement subgroup.")
    pdf.page().h("Appendix 1: Terms of reference")
    pdf.p("The review should consider the following questions:")
    for i, q in enumerate(["How well did agencies share information about the home conditions?",
                           "Should the threshold for a child protection conference have been met earlier?",
                           "How should the voice of the child be recorded in assessments?"], 1):
        pdf.p(q, label=f"{i}.")
    return pdf.save(path, "CSPR Child P final", "Helen Marsh")


# --------------------------------------------------------------------------- 2. SCR with recommendations table

R_RECS = [
    Rec("1", "Review the multi-agency bruising protocol so that it applies to every non-mobile baby, including "
             "when the parents give an explanation.", ["safeguarding-partnership"]),
    Rec("2", "Provide training for emergency department staff on recognising non-accidental injury in infants.",
        ["health"]),
    Rec("3", "Make sure that officers attending a domestic abuse incident record every child in the household "
             "and notify the MASH within 24 hours.", ["police"]),
    Rec("4", "Audit a sample of cases where a father or male carer was not assessed, and report the findings "
             "to the partnership.", ["childrens-social-care"]),
]


def build_rec_table_pdf(path: Path) -> Path:
    pdf = Pdf(header="Serious Case Review: Baby R")
    pdf.cover([("Serious Case Review", 24, True), ("Baby R", 22, True),
               ("Southvale Local Safeguarding Children Board", 14, False),
               ("Final report", 12, False), ("Published 14 June 2019", 12, False)])
    pdf.h("1. Introduction").p(
        "Baby R was admitted to hospital at ten weeks old with a fractured skull and bruising to the face. The "
        "Southvale Local Safeguarding Children Board agreed that the criteria for a serious case review were met.")
    _filler(pdf, 10, 3)
    pdf.h("2. Findings")
    for i, f in enumerate(["Bruising in a non-mobile baby was accepted on the parents' explanation.",
                           "The father was not known to health visitors and was never assessed.",
                           "Information about domestic abuse was not shared with the health visiting service."], 1):
        pdf.p(f, label=f"{i}.")
    pdf.h("3. Recommendations")
    pdf.p("The Board should ensure that the following recommendations are implemented:")
    leads = ["LSCB", "Southvale Hospitals NHS Trust", "Police", "Children's Social Care"]
    pdf.table([["No.", "Recommendation", "Lead agency", "Timescale"]]
              + [[r.number, r.text, lead, "6 months"] for r, lead in zip(R_RECS, leads)],
              [30, 260, 100, AVAIL - 390])
    pdf.h("Appendix A: Glossary")
    pdf.table([["Abbreviation", "Meaning"], ["MASH", "Multi-Agency Safeguarding Hub"],
               ["NAI", "Non-accidental injury"], ["LSCB", "Local Safeguarding Children Board"]],
              [120, AVAIL - 120])
    return pdf.save(path, "Microsoft Word - SCR_BabyR_final_v3.docx", "LSCB")


# --------------------------------------------------------------------------- 3. DOCX grouped recommendations, per-agency subheadings

G_RECS = [
    Rec("1", "The partnership should develop a multi-agency practice guide on working with families who do not "
             "engage, including when to escalate.", ["safeguarding-partnership"]),
    Rec("2", "The partnership should seek assurance that the learning from this review is included in "
             "multi-agency training on exploitation.", ["safeguarding-partnership"]),
    Rec("3", "Officers should complete a child exploitation screening tool for every child found in possession "
             "of drugs.", ["police"]),
    Rec("4", "The force should review how intelligence about older males associating with children is passed "
             "to the MASH.", ["police"]),
    Rec("5", "The Trust should ensure that a young person who attends the emergency department after a stabbing "
             "is referred to the exploitation team.", ["health"]),
    Rec("6", "Social workers should complete a return home interview within 72 hours of every missing episode.",
        ["childrens-social-care"]),
]


def build_grouped_docx(path: Path) -> Path:
    b = DocxBuilder(title="Local Child Safeguarding Practice Review - Child M", author="Westbury SCP")
    b.paragraph("Westbury Safeguarding Children Partnership")
    b.heading("Local Child Safeguarding Practice Review: Child M", 0)
    b.paragraph("Independent author: Mark Ellis")
    b.paragraph("Published: 2 November 2021")
    b.heading("Introduction", 1)
    b.paragraph("Child M was fifteen when he was seriously injured in a stabbing. He had been criminally "
                "exploited for at least a year.")
    for i in range(4):
        b.paragraph(filler(i))
    b.heading("Recommendations", 1)
    b.paragraph("The review makes six recommendations, two for the partnership and four for single agencies.")
    b.heading("Recommendations for the partnership", 2)
    lst = b.new_list((Level("decimal", "%1."),))
    for r in G_RECS[:2]:
        b.numbered(r.text, 0, lst)
    b.heading("Single agency recommendations", 2)
    b.heading("Thames Valley Police", 3)
    for r in G_RECS[2:4]:
        b.numbered(r.text, 0, lst)
    b.heading("Oxford Health NHS Foundation Trust", 3)
    b.numbered(G_RECS[4].text, 0, lst)
    b.heading("Children's Social Care", 3)
    b.numbered(G_RECS[5].text, 0, lst)
    b.heading("Appendix 1: Methodology", 1)
    b.paragraph("The review used a systems methodology. Agencies should provide chronologies and the reviewer "
                "should meet the practitioners involved.")
    b.heading("Appendix 2: Membership of the review panel", 1)
    b.table([["Name", "Role", "Agency"], ["A. Jones", "Detective Inspector", "Thames Valley Police"],
             ["B. Patel", "Designated Nurse", "Buckinghamshire ICB"]])
    return b.save(path)


# --------------------------------------------------------------------------- 4. HTML learning review with bullet recommendations

H_RECS = [
    Rec("1", "Schools should make sure that a child's attendance records are passed to the new school within "
             "five days of a move.", ["education"]),
    Rec("2", "Health visitors should ask about the other adults in the household at every contact.", ["health"]),
    Rec("3", "The local authority should publish a single protocol for children who move between areas.",
        ["local-authority"]),
]


def build_bullets_html(path: Path) -> Path:
    parts = [
        "<!DOCTYPE html><html><head><title>Partnership learning review: Child N | Eastmoor Safeguarding Children "
        "Partnership</title></head><body>",
        "<header><a href='/'>Eastmoor Safeguarding Children Partnership</a></header>",
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/reviews'>Reviews</a></li>"
        "<li><a href='/training'>Training</a></li></ul></nav><main>",
        "<h1>Partnership learning review: Child N</h1>",
        "<p>Published by Eastmoor Safeguarding Children Partnership, 12 January 2024.</p>",
        "<h2>Background</h2><p>Child N, aged six, moved three times in a year and attended four schools. "
        "Concerns about neglect were not passed between areas.</p>",
        "<h2>Key learning</h2><ul>",
        "<li>Records did not follow Child N when the family moved, so each school started again.</li>",
        "<li>Nobody asked who else lived in the household, so the mother's partner was not assessed.</li>",
        "<li>Practitioners relied on the mother's account and did not check it with other agencies.</li>",
        "</ul>",
        "<h2>Recommendations</h2><p>The review made the following recommendations:</p><ul>",
        *[f"<li>{escape(r.text)}</li>" for r in H_RECS],
        "</ul>",
        "<h2>Further information</h2><p>Read the <a href='/files/child-n.pdf'>full report</a>. "
        "Contact the business unit if you have questions about this review.</p>",
        "</main><footer>&copy; Eastmoor Safeguarding Children Partnership</footer></body></html>",
    ]
    path.write_text("".join(parts), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- 5. "The review recommends that ..." paragraphs

K_RECS = [
    Rec("1", "The review recommends that the partnership commissions a multi-agency audit of cases where "
             "children are electively home educated after a safeguarding concern.", ["safeguarding-partnership"]),
    Rec("2", "The review recommends that the Local Authority reviews its procedures for elective home "
             "education so that a visit takes place within ten days of notification.", ["local-authority"]),
    Rec("3", "The review also recommends that GPs record when a child of school age is home educated.",
        ["primary-care"]),
]


def build_recommends_pdf(path: Path) -> Path:
    pdf = Pdf()
    pdf.cover([("Child Safeguarding Practice Review", 22, True), ("Child K", 20, True),
               ("Northvale Safeguarding Children Partnership", 14, False), ("September 2022", 12, False)])
    pdf.h("Executive summary")
    pdf.p("Child K was withdrawn from school for home education when she was twelve. She was not seen by any "
          "professional for eighteen months.")
    pdf.h("Background")
    _filler(pdf, 6, 5)
    pdf.h("Analysis")
    pdf.p("The review found that the local authority was notified of the withdrawal but did not visit. "
          "Previous reviews had made recommendations about home education which had not been implemented.")
    pdf.h("Recommendations")
    pdf.p("The review makes three recommendations.")
    for r in K_RECS:
        pdf.p(r.text)
    pdf.h("Glossary")
    pdf.table([["Term", "Meaning"], ["EHE", "Elective home education"], ["CME", "Children missing education"]],
              [100, AVAIL - 100])
    return pdf.save(path, "", "")


# --------------------------------------------------------------------------- 6. NSPCC case review summary (text)

Q_RECS = [
    Rec("1", "ensure that practitioners consider the impact of parental alcohol misuse on the care of the children",
        ["safeguarding-partnership"]),
    Rec("2", "develop guidance for health visitors on assessing the home environment", ["health"]),
    Rec("3", "raise awareness among schools of the signs of neglect in older children", ["education"]),
]


def build_nspcc_txt(path: Path) -> Path:
    text = (
        "2023 - Northshire - Family Q\n\n"
        "Neglect of three siblings aged between 4 and 11 years. The children lived in a home with no working "
        "heating and were regularly late to school. Their mother misused alcohol and the family had a history "
        "of domestic abuse.\n\n"
        "Learning themes include: the cumulative impact of neglect; professional optimism about parental change; "
        "the need to see and speak to each child individually; the impact of parental alcohol misuse.\n\n"
        "Recommendations include: " + "; ".join(r.text for r in Q_RECS) + ".\n\n"
        "Northshire Safeguarding Children Partnership, 2023.\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- 7. 7-minute briefing (DOCX)


def build_seven_minute_docx(path: Path) -> Path:
    b = DocxBuilder(title="7 minute briefing", author="Business Unit")
    b.paragraph("Southshire Safeguarding Children Partnership")
    b.heading("7 Minute Briefing: Child S", 0)
    b.paragraph("Date: May 2023")
    lst = b.new_list((Level("decimal", "%1."),))
    sections = [
        ("Background", ["Child S was a three-month-old baby who died while co-sleeping with a parent who had "
                        "drunk alcohol. The family were known to children's social care."]),
        ("Why it matters", ["Most sudden unexpected deaths in infancy happen when a baby shares a sofa or bed with "
                            "an adult who has used alcohol or drugs."]),
        ("Information", ["Safe sleep advice was given once, in the maternity unit, and never repeated.",
                         "The father was not included in any of the conversations about the baby's care."]),
        ("Learning", ["Safe sleep advice should be given at every contact, to both parents.",
                      "Plans must include what will happen on nights when routines change."]),
        ("What good practice looks like", ["Practitioners asked where the baby would sleep and looked at the "
                                            "sleeping arrangements in every room."]),
        ("Things to remember", ["Alcohol, drugs and sofa-sharing greatly increase the risk of sudden infant "
                                "death."]),
        ("What to do", ["Discuss this briefing with your team and record that you have used it.",
                        "How will we know that the learning is embedded in practice?"]),
    ]
    for title, paras in sections:
        b.numbered(title, 0, lst)
        for para in paras:
            b.paragraph(para)
    return b.save(path)


# --------------------------------------------------------------------------- 8. executive summary repeats recs + appendices

E_RECS = [
    Rec("1", "The partnership should ensure that its escalation policy is understood by all practitioners and is "
             "used when a plan is not working.", ["safeguarding-partnership"]),
    Rec("2", "Children's social care should ensure that strategy discussions include the police, health and the "
             "child's school.", ["childrens-social-care"]),
    Rec("3", "The police should ensure that all domestic abuse notifications are shared with the child's school "
             "before the next school day.", ["police"]),
    Rec("4", "Schools should ensure that designated safeguarding leads attend every child protection "
             "conference for their pupils.", ["education"]),
]


def build_exec_summary_pdf(path: Path) -> Path:
    pdf = Pdf(header="Westmoor Safeguarding Children Partnership")
    pdf.cover([("Westmoor Safeguarding Children Partnership", 16, True),
               ("Local Child Safeguarding Practice Review", 22, True),
               ("Concerning Child E", 18, False), ("Final version: October 2020", 12, False)])
    pdf.h("Executive summary")
    pdf.p("Child E was fourteen when she took an overdose. The review looked at the eighteen months before.")
    pdf.h("Summary of recommendations", 12)
    for n, short in enumerate(["The partnership should ensure its escalation policy is understood and used.",
                               "Strategy discussions should include the police, health and the school.",
                               "Police should share domestic abuse notifications with schools promptly.",
                               "DSLs should attend child protection conferences."], 1):
        pdf.p(short, label=f"{n}.")
    pdf.page().h("1. Introduction")
    _filler(pdf, 8, 11)
    pdf.h("2. Findings")
    for i, f in enumerate(["The escalation policy was not used although practitioners disagreed about the plan.",
                           "Strategy discussions were held between children's social care and the police only.",
                           "The school did not know about incidents of domestic abuse at home.",
                           "Child E's self-harm was treated as attention seeking."], 1):
        pdf.p(f, label=f"2.{i}")
    pdf.h("3. Recommendations")
    for r in E_RECS:
        pdf.p(f"Recommendation {r.number}: {r.text}")
    pdf.page().h("Appendix 1: Terms of reference")
    pdf.p("The review will address the following questions:")
    for i, q in enumerate(["How well did agencies share information and should they have done more?",
                           "What should practitioners have done when the plan was not working?",
                           "Were recommendations from previous reviews implemented?"], 1):
        pdf.p(q, label=f"{i}.")
    pdf.h("Appendix 2: Methodology")
    pdf.p("The reviewer should read agency records and meet practitioners. Agencies must provide a chronology "
          "of their involvement.")
    pdf.h("Appendix 3: Glossary of abbreviations")
    pdf.table([["Abbreviation", "Meaning"], ["DSL", "Designated safeguarding lead"],
               ["LADO", "Local Authority Designated Officer"], ["CAMHS", "Child and Adolescent Mental Health Services"]],
              [120, AVAIL - 120])
    pdf.h("Appendix 4: Membership of the review panel")
    pdf.table([["Name", "Role", "Organisation"], ["C. Green", "Head of Safeguarding", "Westmoor Council"],
               ["D. Khan", "Detective Sergeant", "Westmoor Police"]], [120, 160, AVAIL - 280])
    return pdf.save(path, "Child E LCSPR", "WSCP")


# --------------------------------------------------------------------------- 9. DOCX with action plan appendix (merged cells, colours)

A_RECS = [
    Rec("1", "The partnership should refresh the multi-agency neglect toolkit and relaunch it with training.",
        ["safeguarding-partnership"]),
    Rec("2", "Health visitors should complete a home visit within ten days of a family moving into the area.",
        ["health"]),
]
A_ACTIONS = [
    {"recommendation": "1", "agency": "safeguarding-partnership", "action": "Revise the neglect toolkit",
     "due": "2023-06-30", "status": "completed"},
    {"recommendation": "1", "agency": "safeguarding-partnership", "action": "Deliver four training sessions",
     "due": "2023-12-31", "status": "in-progress"},
    {"recommendation": "2", "agency": "health", "action": "Audit new-birth and move-in visits",
     "due": "2024-03-31", "status": "not-started"},
]


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def build_action_plan_docx(path: Path) -> Path:
    b = DocxBuilder(title="Rapid review Child A", author="Northshire SCP")
    b.paragraph("Northshire Safeguarding Children Partnership")
    b.heading("Rapid Review: Child A", 0)
    b.paragraph("Published April 2023")
    b.heading("Summary", 1)
    b.paragraph("Child A, aged two, was admitted to hospital with severe malnutrition shortly after the family "
                "moved to Northshire. The rapid review found that records did not follow the family.")
    b.heading("Recommendations", 1)
    lst = b.new_list((Level("decimal", "%1."),))
    for r in A_RECS:
        b.numbered(r.text, 0, lst)
    b.heading("Appendix: Action plan", 1)
    rows = [["Recommendation", "Action", "Lead", "Target date", "RAG status"],
            ["1. Neglect toolkit", "Revise the neglect toolkit", "NSCP business unit", "June 2023", "Green - complete"],
            ["", "Deliver four training sessions", "", "December 2023", "Amber - in progress"],
            ["2. Home visits after a move", "Audit new-birth and move-in visits", "Northshire Community Health",
             "31/03/2024", "Red - not started"]]
    t = b.doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                t.cell(r, c).text = text
    t.cell(1, 0).merge(t.cell(2, 0))
    t.cell(1, 2).merge(t.cell(2, 2))
    for r, fill in ((1, "00B050"), (2, "FFC000"), (3, "FF0000")):
        _shade(t.cell(r, 4), fill)
    for c in range(5):
        _shade(t.cell(0, c), "D9D9D9")
    return b.save(path)


# --------------------------------------------------------------------------- 10. DOCX multi-level numbering 4.1, 4.2 under a numbered heading

D_RECS = [
    Rec("4.1", "The partnership should update its guidance on children who are not brought to appointments.",
        ["safeguarding-partnership"]),
    Rec("4.2", "The ICB should ensure that GP practices have a policy for following up missed immunisations.",
        ["health", "primary-care"]),
    Rec("4.3", "Children's social care should ensure that the pre-birth assessment considers the father's history.",
        ["childrens-social-care"]),
]


def build_multilevel_docx(path: Path) -> Path:
    b = DocxBuilder(title="Serious Case Review Child D", author="Eastshire LSCB")
    b.paragraph("Eastshire Local Safeguarding Children Board")
    b.heading("Serious Case Review: Child D", 0)
    b.paragraph("Date of publication: 17 July 2018")
    lst = b.new_list(MULTILEVEL_DOTTED)
    b.numbered("Introduction", 0, lst)
    b.numbered("This serious case review concerns Child D, who died aged eighteen months from an untreated "
               "infection.", 1, lst)
    b.numbered("Background", 0, lst)
    b.numbered("Child D lived with his mother and two siblings. He had not been brought to six appointments.",
               1, lst)
    b.numbered("Findings", 0, lst)
    b.numbered("Appointments that a child was not brought to were treated as the parent's choice.", 1, lst)
    b.numbered("The father's history of violence was not known to the pre-birth assessment.", 1, lst)
    b.numbered("Recommendations", 0, lst)
    for r in D_RECS:
        b.numbered(r.text, 1, lst)
    b.numbered("Conclusion", 0, lst)
    b.numbered("Child D's death was not predictable, but the review found missed opportunities to act.", 1, lst)
    return b.save(path)


# --------------------------------------------------------------------------- 11. Markdown rapid review with "Learning point n"


def build_learning_points_md(path: Path) -> Path:
    lines = [
        "# Rapid Review: Family A",
        "",
        "Northshire Safeguarding Children Partnership",
        "",
        "Published: 5 February 2024",
        "",
        "## Summary",
        "",
        "Family A are four siblings aged 2 to 13. The rapid review followed a serious injury to the youngest "
        "child. The national panel agreed that a local review was not needed.",
        "",
        "## Learning",
        "",
        "**Learning point 1:** Practitioners focused on the older children's school attendance and did not "
        "consider the risks to the baby.",
        "",
        "**Learning point 2:** The mother's new partner was not known to any agency until after the injury.",
        "",
        "**Learning point 3:** Early help closed the case when the family stopped engaging, without a "
        "multi-agency discussion.",
        "",
        "## Next steps",
        "",
        "The partnership will share this learning through its newsletter and training programme.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- 12. "Sam" with implied / abbreviated agencies

SAM_RECS = [
    Rec("1", "GPs should ask about who lives in the household at every new patient registration.", ["primary-care"]),
    Rec("2", "DSLs should record all concerns about a child's attendance in the school's safeguarding system.",
        ["education"]),
    Rec("3", "TVP should review how officers respond to reports of a missing child aged under 12.", ["police"]),
    Rec("4", "The ICB should commission a training package on bruising in non-mobile babies.", ["health"]),
    Rec("5", "CAMHS should offer a follow-up appointment within seven days of any attendance for self-harm.",
        ["mental-health"]),
    Rec("6", "The LADO should publish guidance for employers on when to make a referral.", ["local-authority"]),
    Rec("7", "Health partners should ensure that the named nurse is told when a child on a plan attends the "
             "emergency department.", ["health"]),
    Rec("8", "The Local Authority should review its policy on elective home education.", ["local-authority"]),
    Rec("9", "All agencies should ensure that practitioners know how to use the escalation policy.",
        ["safeguarding-partnership"]),
    Rec("10", "The OSCB should seek assurance from Thames Valley Police that officers attending domestic abuse "
              "incidents record the children present.", ["police", "safeguarding-partnership"]),
    Rec("11", "The partnership should ask schools to share attendance data with children's social care.",
        ["education", "safeguarding-partnership"]),
]


def build_sam_pdf(path: Path) -> Path:
    pdf = Pdf(header="LCSPR Sam")
    pdf.cover([("Oxbridge Safeguarding Children Partnership (OSCB)", 14, False),
               ("Local Child Safeguarding Practice Review", 22, True),
               ("\u201cSam\u201d", 22, True),
               ("Independent reviewer: Paul Adams", 12, False),
               ("Published: 20 March 2024", 12, False)])
    pdf.h("1. Introduction")
    pdf.p("Sam is the name chosen by the young person for this review. Sam was sixteen when the review began. "
          "Sam's family contributed to the review.")
    pdf.h("2. What happened")
    _filler(pdf, 6, 20)
    pdf.p("Sam told the reviewer that nobody asked what was happening at home.")
    pdf.h("3. Recommendations")
    for r in SAM_RECS:
        pdf.p(r.text, label=f"{r.number}.")
    return pdf.save(path, "", "")


# --------------------------------------------------------------------------- 13. learning summary PDF (two pages) with themes, no recs


def build_learning_summary_pdf(path: Path) -> Path:
    pdf = Pdf(footer=False)
    pdf.h("Northshire Safeguarding Children Partnership", 12)
    pdf.h("Learning Summary: Child J", 20)
    pdf.p("Published June 2022")
    pdf.h("About the review")
    pdf.p("Child J was a seventeen-year-old care leaver who was criminally exploited. This summary sets out "
          "the main learning from the local child safeguarding practice review.")
    pdf.h("Key messages for practice")
    for m in ["Exploitation is abuse: language that suggests a child chose to be exploited hides the risk.",
              "Transitions to adult services need planning from age sixteen, not from the eighteenth birthday.",
              "Missing episodes are a sign of risk and each one needs a return home interview.",
              "Contextual safeguarding means looking at places and peer groups, not only the family."]:
        pdf.p(m, label="\u2022")
    pdf.h("Questions for reflection")
    pdf.p("How do you record a child's own account of exploitation? Who do you contact when a care leaver goes "
          "missing?")
    return pdf.save(path, "Learning summary Child J", "NSCP")


# --------------------------------------------------------------------------- 14. Interleaved findings/recs in DOCX with per-finding Word numbering

I_RECS = [
    Rec("1", "The partnership should ensure that the threshold document explains when a referral must be made "
             "for a baby with bruising.", ["safeguarding-partnership"]),
    Rec("2", "Midwifery services should share concerns about a pregnant woman's substance misuse with the GP "
             "and health visitor before the birth.", ["health"]),
]


def build_interleaved_docx(path: Path) -> Path:
    b = DocxBuilder(title="", author="")
    b.heading("Child Safeguarding Practice Review: Baby L", 0)
    b.paragraph("Northmoor Safeguarding Children Partnership")
    b.paragraph("June 2021")
    b.heading("Findings", 1)
    findings = [
        ("Finding 1 - Bruising was not referred", "The health visitor saw a small bruise on Baby L's ear and "
         "accepted the mother's explanation. No referral was made to children's social care."),
        ("Finding 2 - Substance misuse in pregnancy was not shared", "The midwife knew of the mother's cannabis "
         "use but this was not passed to the GP or health visitor."),
    ]
    for (title, text), rec in zip(findings, I_RECS):
        b.heading(title, 2)
        b.paragraph(text)
        b.paragraph("Practitioners told the review that they did not feel confident to challenge the explanation.")
        b.paragraph(f"Recommendation {rec.number}: {rec.text}")
    b.heading("Next steps", 1)
    b.paragraph("The partnership's case review group will monitor progress on the recommendations.")
    return b.save(path)


# --------------------------------------------------------------------------- 15. PDF: grouped bullets under bold agency lines

V_RECS = [
    Rec("1", "The partnership should publish a practice guide on responding to children who go missing from "
             "home.", ["safeguarding-partnership"]),
    Rec("2", "The partnership should seek assurance from all agencies that staff have completed exploitation "
             "training.", ["safeguarding-partnership"]),
    Rec("3", "Review the force policy on searching children suspected of carrying drugs.", ["police"]),
    Rec("4", "Ensure that every missing episode is shared with the child's school by the next school day.",
        ["police"]),
    Rec("5", "Make sure that the emergency department asks about exploitation when a young person attends with "
             "a stab wound.", ["health"]),
    Rec("6", "Ensure that return home interviews are completed within 72 hours.", ["childrens-social-care"]),
]


def build_grouped_bullets_pdf(path: Path) -> Path:
    pdf = Pdf(header="Child V LCSPR")
    pdf.cover([("Southmoor Safeguarding Children Partnership", 14, False),
               ("Local Child Safeguarding Practice Review", 22, True), ("Child V", 22, True),
               ("Published: 8 August 2022", 12, False)])
    pdf.h("1. Introduction").p("Child V was sixteen when he was found with serious injuries in a flat used to "
                               "sell drugs. He had been reported missing twelve times.")
    _filler(pdf, 6, 30)
    pdf.h("2. Recommendations")
    pdf.p("Recommendations for the partnership", bold=True)
    for r in V_RECS[:2]:
        pdf.p(r.text, label="\u2022")
    pdf.p("Single agency recommendations", bold=True)
    pdf.p("Thames Valley Police", bold=True)
    for r in V_RECS[2:4]:
        pdf.p(r.text, label="\u2022")
    pdf.p("Oxford Health NHS Foundation Trust", bold=True)
    pdf.p(V_RECS[4].text, label="\u2022")
    pdf.p("Children's Social Care", bold=True)
    pdf.p(V_RECS[5].text, label="\u2022")
    pdf.h("Appendix 1: Glossary of abbreviations")
    pdf.table([["Abbreviation", "Meaning"], ["RHI", "Return home interview"], ["TVP", "Thames Valley Police"]],
              [120, AVAIL - 120])
    return pdf.save(path, "", "")


# --------------------------------------------------------------------------- 16. DOCX recommendations table with R-numbers
# "R1" in a Ref column is read as recommendation 1, so that an action plan's "Rec 1" finds it.

T_RECS = [
    Rec("1", "Children's social care should make sure that a child's lived experience is recorded in every "
              "assessment.", ["childrens-social-care"]),
    Rec("2", "Health visitors should offer a new birth visit to both parents.", ["health"]),
    Rec("3", "The partnership should commission training on coercive control for all practitioners.",
        ["safeguarding-partnership"]),
]


def build_rec_table_docx(path: Path) -> Path:
    b = DocxBuilder(title="Document1", author="user")
    b.paragraph("Eastvale Safeguarding Children Partnership")
    b.heading("Child Safeguarding Practice Review: Baby T", 0)
    b.paragraph("Published January 2022")
    b.heading("Executive summary", 1)
    b.paragraph("Baby T died aged five months. His mother's partner was later convicted of his murder. The review "
                "makes three recommendations, which are set out in the table below.")
    b.heading("Findings", 1)
    for f in ["The mother's partner was not known to the health visitor.",
              "Coercive control by the partner was not recognised by any agency."]:
        b.bullet(f)
    b.heading("Recommendations", 1)
    b.table([["Ref", "Recommendation", "Lead agency", "Timescale"]]
            + [["R" + r.number, r.text, lead, "Q2 2022/23"] for r, lead in
               zip(T_RECS, ["CSC", "Eastvale Community Health NHS Trust", "ESCP"])])
    return b.save(path)


# --------------------------------------------------------------------------- 17. Markdown: "Finding n" paragraphs, exec summary repeats recs in short

F_RECS = [
    Rec("1", "The partnership should ensure that practitioners understand the impact of parental learning "
             "disability on the care of a baby, and should provide guidance on adapting assessments.",
        ["safeguarding-partnership"]),
    Rec("2", "The ICB should ensure that GPs flag a parent's learning disability on the child's record.",
        ["health", "primary-care"]),
]


def build_findings_paragraphs_md(path: Path) -> Path:
    lines = [
        "# Child Safeguarding Practice Review: Child F",
        "",
        "Westshire Safeguarding Children Partnership",
        "",
        "Published: 30 November 2022",
        "",
        "## Executive summary",
        "",
        "Child F was born to parents with learning disabilities. The review makes two recommendations: that "
        "the partnership provides guidance on adapting assessments, and that GPs flag a parent's learning "
        "disability.",
        "",
        "## Findings",
        "",
        "Finding 1: Assessments were not adapted to the parents' learning disabilities, so the parents did not "
        "understand what was expected of them.",
        "",
        "Finding 2: The GP practice knew of the father's learning disability but this was not on Child F's "
        "record.",
        "",
        "Finding 3: Practitioners were optimistic about the parents' progress without evidence of change.",
        "",
        "## Recommendations",
        "",
        *[f"Recommendation {r.number}: {r.text}\n" for r in F_RECS],
        "## Appendix: Terms of reference",
        "",
        "- What should agencies have known about the parents' needs?",
        "- How should assessments be adapted for parents with a learning disability?",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- 18. HTML: "Conclusions and recommendations" with recommends paragraphs

C_RECS = [
    Rec("1", "It is recommended that the Local Authority reviews the private fostering awareness campaign.",
        ["local-authority"]),
    Rec("2", "It is recommended that schools ask about the adults a child is living with when a child joins "
             "mid-year.", ["education"]),
]


def build_conclusions_html(path: Path) -> Path:
    parts = [
        "<html><head><title>Learning review: Child C</title></head><body><main>",
        "<h1>Partnership Learning Review: Child C</h1>",
        "<p>Midshire Safeguarding Children Partnership</p><p>Published: 3 October 2023</p>",
        "<h2>What happened</h2><p>Child C, aged eleven, was privately fostered by a family friend for two years "
        "before anyone notified the local authority.</p>",
        "<h2>Conclusions and recommendations</h2>",
        "<p>Private fostering arrangements are rarely notified. Practitioners did not recognise the arrangement "
        "for what it was.</p>",
        *[f"<p>{escape(r.text)}</p>" for r in C_RECS],
        "<h2>Glossary</h2><p>Private fostering: a child under 16 cared for by someone who is not a close "
        "relative for 28 days or more.</p>",
        "</main></body></html>",
    ]
    path.write_text("".join(parts), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- 19. Markdown: lists introduced by a sentence, no headings for them

W_RECS = [
    Rec("1", "The partnership should raise awareness of private fostering with faith communities.",
        ["safeguarding-partnership"]),
    Rec("2", "Schools should check who a new pupil lives with when the pupil arrives from abroad.", ["education"]),
]


def build_intro_lists_md(path: Path) -> Path:
    lines = [
        "# Learning review: Child W", "", "Northshire Safeguarding Children Partnership, published 1 May 2023.", "",
        "## About this review", "",
        "Child W arrived from abroad aged nine and lived with a family friend. Nobody notified the local authority.",
        "", "Learning themes from the review:", "",
        "- Private fostering arrangements were not recognised by the school or the GP practice.",
        "- Practitioners did not ask who had parental responsibility for Child W.",
        "", "## Conclusions", "",
        "Child W's arrangement was hidden in plain sight. The review makes the following recommendations:", "",
        *[f"{r.number}. {r.text}" for r in W_RECS],
        "", "The partnership will report on progress in its annual report.", "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


LAYOUTS: list[Layout] = [
    Layout("cover-findings-headings-pdf", "child-p.pdf", build_cover_findings_pdf,
           {"title": "Child Safeguarding Practice Review: Child P", "subject": "Child P", "review_type": "cspr",
            "publisher": "Northshire Safeguarding Children Partnership", "published": "2023-03"},
           P_RECS, lps=3),
    Layout("scr-recommendations-table-pdf", "baby-r.pdf", build_rec_table_pdf,
           {"title": "Serious Case Review: Baby R", "subject": "Baby R", "review_type": "scr",
            "publisher": "Southvale Local Safeguarding Children Board", "published": "2019-06-14"},
           R_RECS, lps=3),
    Layout("grouped-agency-docx", "child-m.docx", build_grouped_docx,
           {"title": "Local Child Safeguarding Practice Review: Child M", "subject": "Child M", "review_type": "cspr",
            "publisher": "Westbury Safeguarding Children Partnership", "published": "2021-11-02"},
           G_RECS, lps=0),
    Layout("bullet-recommendations-html", "child-n.html", build_bullets_html,
           {"title": "Partnership learning review: Child N", "subject": "Child N",
            "review_type": "partnership-learning-review",
            "publisher": "Eastmoor Safeguarding Children Partnership", "published": "2024-01-12"},
           H_RECS, lps=3),
    Layout("review-recommends-paragraphs-pdf", "child-k.pdf", build_recommends_pdf,
           {"title": "Child Safeguarding Practice Review: Child K", "subject": "Child K", "review_type": "cspr",
            "publisher": "Northvale Safeguarding Children Partnership", "published": "2022-09"},
           K_RECS, lps=0),
    Layout("nspcc-summary-txt", "family-q.txt", build_nspcc_txt,
           {"subject": "Family Q", "published": None}, Q_RECS, lps=4),
    Layout("seven-minute-briefing-docx", "child-s-7mb.docx", build_seven_minute_docx,
           {"title": "7 Minute Briefing: Child S", "subject": "Child S", "review_type": "learning-summary",
            "publisher": "Southshire Safeguarding Children Partnership", "published": "2023-05"},
           [], lps=(4, 7)),
    Layout("executive-summary-appendices-pdf", "child-e.pdf", build_exec_summary_pdf,
           {"title": "Local Child Safeguarding Practice Review: Child E", "subject": "Child E", "review_type": "cspr",
            "publisher": "Westmoor Safeguarding Children Partnership", "published": "2020-10"},
           E_RECS, lps=4),
    Layout("action-plan-merged-docx", "child-a.docx", build_action_plan_docx,
           {"title": "Rapid Review: Child A", "subject": "Child A", "review_type": "partnership-learning-review",
            "publisher": "Northshire Safeguarding Children Partnership", "published": "2023-04"},
           A_RECS, lps=0, actions=A_ACTIONS),
    Layout("multilevel-numbering-docx", "child-d.docx", build_multilevel_docx,
           {"title": "Serious Case Review: Child D", "subject": "Child D", "review_type": "scr",
            "publisher": "Eastshire Local Safeguarding Children Board", "published": "2018-07-17"},
           D_RECS, lps=2),
    Layout("learning-points-md", "family-a.md", build_learning_points_md,
           {"title": "Rapid Review: Family A", "subject": "Family A", "review_type": "partnership-learning-review",
            "publisher": "Northshire Safeguarding Children Partnership", "published": "2024-02-05"},
           [], lps=3),
    Layout("sam-abbreviated-agencies-pdf", "sam.pdf", build_sam_pdf,
           {"title": "Local Child Safeguarding Practice Review: Sam", "subject": "Sam", "review_type": "cspr",
            "publisher": "Oxbridge Safeguarding Children Partnership (OSCB)", "published": "2024-03-20"},
           SAM_RECS, lps=0),
    Layout("learning-summary-pdf", "child-j.pdf", build_learning_summary_pdf,
           {"title": "Learning Summary: Child J", "subject": "Child J", "review_type": "learning-summary",
            "publisher": "Northshire Safeguarding Children Partnership", "published": "2022-06"},
           [], lps=4),
    Layout("interleaved-findings-docx", "baby-l.docx", build_interleaved_docx,
           {"title": "Child Safeguarding Practice Review: Baby L", "subject": "Baby L", "review_type": "cspr",
            "publisher": "Northmoor Safeguarding Children Partnership", "published": "2021-06"},
           I_RECS, lps=2),
    Layout("grouped-bullets-pdf", "child-v.pdf", build_grouped_bullets_pdf,
           {"title": "Local Child Safeguarding Practice Review: Child V", "subject": "Child V", "review_type": "cspr",
            "publisher": "Southmoor Safeguarding Children Partnership", "published": "2022-08-08"},
           V_RECS, lps=0),
    Layout("rec-table-docx", "baby-t.docx", build_rec_table_docx,
           {"title": "Child Safeguarding Practice Review: Baby T", "subject": "Baby T", "review_type": "cspr",
            "publisher": "Eastvale Safeguarding Children Partnership", "published": "2022-01"},
           T_RECS, lps=2),
    Layout("finding-paragraphs-md", "child-f.md", build_findings_paragraphs_md,
           {"title": "Child Safeguarding Practice Review: Child F", "subject": "Child F", "review_type": "cspr",
            "publisher": "Westshire Safeguarding Children Partnership", "published": "2022-11-30"},
           F_RECS, lps=3),
    Layout("conclusions-recommends-html", "child-c.html", build_conclusions_html,
           {"title": "Partnership Learning Review: Child C", "subject": "Child C",
            "review_type": "partnership-learning-review",
            "publisher": "Midshire Safeguarding Children Partnership", "published": "2023-10-03"},
           C_RECS, lps=(1, 2)),
    Layout("intro-sentence-lists-md", "child-w.md", build_intro_lists_md,
           {"title": "Learning review: Child W", "subject": "Child W", "review_type": "partnership-learning-review",
            "publisher": "Northshire Safeguarding Children Partnership", "published": "2023-05-01"},
           W_RECS, lps=(2, 3)),
]


# =========================================================================== held-out layouts
# Written before the extractor was changed for them (second quality round): styles unlike the
# layouts above. HELD_OUT lists them all; those the extractor does not yet get right stay out of
# the strict parametrised tests (Layout.strict False) but are still scored.


# --------------------------------------------------------------------------- H1. PDF: borderless table (columns by position only)

NB_RECS = [
    Rec("1", "The partnership should agree a protocol for sharing information about unborn babies between "
             "midwifery and children's social care.", ["safeguarding-partnership"]),
    Rec("2", "Midwives should ask every pregnant woman about domestic abuse when she is seen alone.", ["health"]),
    Rec("3", "Children's social care should complete a pre-birth assessment before 24 weeks of pregnancy when "
             "a previous child has been removed.", ["childrens-social-care"]),
    Rec("4", "The police should notify the midwifery safeguarding team of any domestic abuse incident involving "
             "a pregnant woman.", ["police"]),
]


def _borderless_table(pdf: Pdf, rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
    """A Word table exported without borders: each cell's text wrapped inside its column, no lines."""
    from reportlab.lib.utils import simpleSplit as split

    pg = pdf.pg
    for r, row in enumerate(rows):
        font = BOLD_FONT if r == 0 else BODY_FONT
        cells = [split(text, font, 10, w - 8) for text, w in zip(row, widths)]
        height = max(len(c) for c in cells) * 12 + 8
        if pg.y - height < pg.bottom:
            pg.new_page()
        x = MARGIN
        for lines, w in zip(cells, widths):
            for i, line in enumerate(lines):
                y = pg.y - 12 * (i + 1)
                pg.draw(lambda c, x=x, y=y, line=line, font=font: (c.setFont(font, 10), c.drawString(x, y, line)))
            x += w
        pg.y -= height


def build_borderless_table_pdf(path: Path) -> Path:
    pdf = Pdf(header="Baby B LCSPR")
    pdf.cover([("Northdale Safeguarding Children Partnership", 14, False),
               ("Local Child Safeguarding Practice Review", 22, True), ("Baby B", 22, True),
               ("Published: 21 February 2024", 12, False)])
    pdf.h("1. Introduction").p(
        "Baby B was born at thirty weeks and died aged four weeks from injuries caused by her father. Two older "
        "children had been removed from the mother's care in another area.")
    _filler(pdf, 6, 40)
    pdf.h("2. Recommendations")
    pdf.p("The table below sets out the recommendations and the agency that will lead on each.")
    leads = ["NSCP", "Northdale Hospitals NHS Trust", "Children's Social Care", "Police"]
    _borderless_table(pdf, [["No.", "Recommendation", "Lead agency", "Timescale"]]
                      + [[r.number, r.text, lead, "6 months"] for r, lead in zip(NB_RECS, leads)],
                      [36, 250, 120, AVAIL - 406])
    pdf.h("3. Conclusion")
    pdf.p("The partnership will receive an update on progress against these recommendations in twelve months.")
    return pdf.save(path, "Baby B LCSPR final", "NSCP")


# --------------------------------------------------------------------------- H2. DOCX: one shaded single-cell box per recommendation

BX_RECS = [
    Rec("1", "The partnership should develop guidance on responding to children who are not brought to dental "
             "appointments.", ["safeguarding-partnership"]),
    Rec("2", "The local authority should make sure that children electively home educated are seen at least "
             "once a term.", ["local-authority"]),
    Rec("3", "GP practices should code a child's missed appointments so that the pattern is visible at every "
             "consultation.", ["primary-care"]),
]


def build_boxed_recs_docx(path: Path) -> Path:
    b = DocxBuilder(title="CSPR Child H", author="Southdale SCP")
    b.paragraph("Southdale Safeguarding Children Partnership")
    b.heading("Child Safeguarding Practice Review: Child H", 0)
    b.paragraph("Published: June 2023")
    b.heading("Introduction", 1)
    b.paragraph("Child H, aged eight, was found to have severe dental decay and untreated infections after "
                "being withdrawn from school for home education.")
    for i in range(3):
        b.paragraph(filler(i + 50))
    b.heading("Findings and recommendations", 1)
    for i, (finding, r) in enumerate(zip(
            ["Missed dental appointments were not seen as a sign of neglect.",
             "Nobody saw Child H for fourteen months after she was withdrawn from school.",
             "The GP record did not show how many appointments Child H had missed."], BX_RECS), 1):
        b.heading(f"Finding {i}", 2)
        b.paragraph(finding)
        t = b.doc.add_table(rows=1, cols=1)
        cell = t.cell(0, 0)
        cell.paragraphs[0].add_run(f"Recommendation {r.number}").bold = True
        cell.add_paragraph(r.text)
        _shade(cell, "DEEAF6")
    b.heading("Glossary", 1)
    b.paragraph("EHE: elective home education.")
    return b.save(path)


# --------------------------------------------------------------------------- H3. PDF: numbered paragraphs throughout, recs 8.1-8.6, Oxfordshire bodies

OX_RECS = [
    Rec("8.1", "Oxfordshire County Council should review how its front door records the history of previous "
               "referrals when a new contact is made.", ["local-authority"]),
    Rec("8.2", "Thames Valley Police should ensure that officers attending a missing episode record the child's "
               "own account.", ["police"]),
    Rec("8.3", "Oxford Health NHS Foundation Trust should ensure that school nurses are told when a pupil is "
               "excluded.", ["health"]),
    Rec("8.4", "BOB ICB should seek assurance that GP practices follow up children who are not brought to "
               "appointments.", ["health", "primary-care"]),
    Rec("8.5", "The Designated Safeguarding Leads should ensure that a child's exclusion is shared with the "
               "allocated social worker on the same day.", ["education"]),
    Rec("8.6", "The partnership should evaluate the impact of these recommendations within twelve months.",
        ["safeguarding-partnership"]),
]


def build_numbered_paragraphs_pdf(path: Path) -> Path:
    pdf = Pdf(header="Child O - Oxbury SCP")
    pdf.cover([("Oxbury Safeguarding Children Partnership", 14, False),
               ("Local Child Safeguarding Practice Review", 22, True), ("Child O", 22, True),
               ("Published: 12 December 2023", 12, False)])
    sections = [("Introduction", 3), ("Terms of reference", 2), ("Methodology", 2), ("Family context", 3),
                ("Summary of agency involvement", 3), ("Analysis", 3)]
    n = 60
    for s, (title, count) in enumerate(sections, 1):
        pdf.h(f"{s}. {title}")
        for k in range(1, count + 1):
            pdf.p(filler(n), label=f"{s}.{k}")
            n += 1
    pdf.h("7. Learning")
    for k, text in enumerate(["Exclusion from school removed the one daily safeguard Child O had.",
                              "Each missing episode was treated as new, so the pattern was not seen.",
                              "Child O's own account of where he had been was rarely asked for."], 1):
        pdf.p(text, label=f"7.{k}")
    pdf.h("8. Recommendations")
    for r in OX_RECS:
        pdf.p(r.text, label=r.number)
    pdf.h("9. Glossary")
    pdf.p("BOB ICB: Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board.", label="9.1")
    pdf.p("DSL: designated safeguarding lead in a school.", label="9.2")
    return pdf.save(path, "Child O LCSPR", "")


# --------------------------------------------------------------------------- H4. PDF: "That the partnership ..." prose recommendations

TH_RECS = [
    Rec("1", "That the partnership seeks assurance from schools that staff know how to refer a concern about "
             "a child who is privately fostered.", ["safeguarding-partnership", "education"]),
    Rec("2", "That Children's Social Care reviews its private fostering assessment so that the child is seen "
             "alone at every visit.", ["childrens-social-care"]),
    Rec("3", "That the partnership promotes awareness of private fostering with faith and community groups.",
        ["safeguarding-partnership"]),
    Rec("4", "That health visitors ask who has parental responsibility for any child living with a family "
             "friend.", ["health"]),
]


def build_that_prose_pdf(path: Path) -> Path:
    pdf = Pdf()
    pdf.cover([("Child Safeguarding Practice Review", 22, True), ("Child Z", 20, True),
               ("Westdale Safeguarding Children Partnership", 14, False), ("November 2021", 12, False)])
    pdf.h("Introduction")
    pdf.p("Child Z came to England aged ten to live with a family friend. The arrangement was never notified to "
          "the local authority as a private fostering arrangement.")
    _filler(pdf, 5, 70)
    pdf.h("Recommendations")
    pdf.p("The reviewer makes the following recommendations to the partnership.")
    for r in TH_RECS:
        pdf.p(r.text)
    pdf.h("Appendix: Glossary")
    pdf.p("Private fostering: a child under 16 cared for by someone who is not a close relative for 28 days or "
          "more.")
    return pdf.save(path, "", "")


# --------------------------------------------------------------------------- H5. NSPCC-style summary grouped by addressee

NG_RECS = [
    Rec("1", "develop a multi-agency pathway for children who self-harm", ["safeguarding-partnership"]),
    Rec("2", "ensure that a pupil's self-harm is recorded and shared with the school nurse", ["education"]),
    Rec("3", "review the threshold for referring a young person to CAMHS after an emergency department attendance",
        ["health"]),
    Rec("4", "share information about children reported missing with the child's school the same day", ["police"]),
]


def build_nspcc_grouped_txt(path: Path) -> Path:
    text = (
        "2022 - Eastdale - Child Y\n\n"
        "Suicide of a 15-year-old girl. Child Y had a history of self-harm and had attended the emergency department "
        "three times in the year before her death. She had been reported missing twice.\n\n"
        "Learning includes: the need to consider self-harm as a safeguarding concern; the importance of sharing "
        "information between schools and health services; the impact of online harm on young people.\n\n"
        "Recommendations include: for the partnership: " + NG_RECS[0].text + "; for schools: " + NG_RECS[1].text
        + "; for health: " + NG_RECS[2].text + "; for the police: " + NG_RECS[3].text + ".\n\n"
        "Eastdale Safeguarding Children Partnership, 2022.\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- H6. PDF: two-column learning summary with "Key learning" boxes

KL_LEFT = ["Sibling abuse was seen as normal conflict between brothers.",
           "The younger child's fear of going home was not explored.",
           "Nobody asked the parents what supervision was in place at night."]
KL_RIGHT = ["Harmful sexual behaviour needs a specialist assessment, not only a school response.",
            "Information held by the school was not shared before the strategy meeting."]


def build_two_column_boxes_pdf(path: Path) -> Path:
    from reportlab.lib.utils import simpleSplit as split

    pg = _Pager(header=None, footer=True)
    gutter = 24.0
    col_w = (PAGE_W - 2 * MARGIN - gutter) / 2
    xs = (MARGIN, MARGIN + col_w + gutter)
    pg.y -= 22
    pg.string(MARGIN, "Learning Summary: Siblings X and Y", BOLD_FONT, 20)
    pg.y -= 18
    pg.string(MARGIN, "Southvale Safeguarding Children Partnership  |  March 2024", BODY_FONT, 11)
    top = pg.y - 24

    def column(x: float, blocks: list[tuple[str, object]]) -> None:
        y = top
        for kind, content in blocks:
            if kind == "h":
                y -= 16
                pg.draw(lambda c, y=y, t=content: (c.setFont(BOLD_FONT, 13), c.drawString(x, y, t)))
                y -= 6
            elif kind == "p":
                for line in split(content, BODY_FONT, 10, col_w):
                    y -= 12
                    pg.draw(lambda c, y=y, t=line: (c.setFont(BODY_FONT, 10), c.drawString(x, y, t)))
                y -= 6
            else:  # a shaded "Key learning" box of bullets
                lines = []
                for item in content:
                    wrapped = split(item, BODY_FONT, 10, col_w - 28)
                    lines += [("\u2022 " if i == 0 else "   ") + ln for i, ln in enumerate(wrapped)]
                height = 12 * len(lines) + 34
                box_top = y - 4

                def box(c, bt=box_top, h=height):
                    c.setFillColorRGB(0.88, 0.93, 0.97)
                    c.rect(x, bt - h, col_w, h, stroke=1, fill=1)
                    c.setFillColorRGB(0, 0, 0)
                pg.draw(box)
                y = box_top - 16
                pg.draw(lambda c, y=y: (c.setFont(BOLD_FONT, 12), c.drawString(x + 8, y, "Key learning")))
                y -= 4
                for line in lines:
                    y -= 12
                    pg.draw(lambda c, y=y, t=line: (c.setFont(BODY_FONT, 10), c.drawString(x + 10, y, t)))
                y = box_top - height - 10

    column(xs[0], [("h", "What happened"),
                   ("p", "Child X, aged eleven, disclosed that his older brother had sexually abused him over two "
                         "years. Both boys attended the same school and lived with their parents."),
                   ("h", "What we found"),
                   ("p", "Agencies knew about incidents of violence between the brothers but saw them as "
                         "sibling rivalry."),
                   ("box", KL_LEFT)])
    column(xs[1], [("h", "Harmful sexual behaviour"),
                   ("p", "When the school learned of sexualised behaviour it managed this as a behaviour issue and "
                         "did not refer to children's social care."),
                   ("box", KL_RIGHT),
                   ("h", "Questions for your team"),
                   ("p", "How would you recognise harm between siblings in a family you work with?")])
    pg.render(path, "Learning summary", "SSCP", None)
    return path


# --------------------------------------------------------------------------- H7. DOCX: numbering from a list style, restart per section, (a) (b) subs

LS_RECS = [
    Rec("1", "The partnership should publish a neglect strategy with a shared definition of neglect.",
        ["safeguarding-partnership"]),
    Rec("2", "Children's social care should strengthen its supervision of neglect cases: (a) supervision records "
             "should show that cumulative harm was considered; (b) managers should review every case open for more "
             "than a year.", ["childrens-social-care"]),
    Rec("3", "Schools should record attendance concerns on the child's safeguarding file.", ["education"]),
    Rec("4", "The ICB should provide GP practices with a template for recording was not brought episodes.",
        ["health", "primary-care"]),
]


def build_list_style_docx(path: Path) -> Path:
    from lxml import etree

    from tests.docgen import _w

    b = DocxBuilder(title="LCSPR Family G", author="Eastdale SCP")
    # a list style ("Numbered List Style", type numbering) defined by one abstractNum, used through another
    styles = b.doc.styles.element
    st = etree.SubElement(styles, _w("style"), {_w("type"): "numbering", _w("styleId"): "RecListStyle"})
    etree.SubElement(st, _w("name"), {_w("val"): "Rec List Style"})
    numbering = b._numbering
    defining = etree.Element(_w("abstractNum"), {_w("abstractNumId"): "90"})
    etree.SubElement(defining, _w("styleLink"), {_w("val"): "RecListStyle"})
    for ilvl, (fmt, text) in enumerate((("decimal", "%1."), ("lowerLetter", "(%2)"))):
        lvl = etree.SubElement(defining, _w("lvl"), {_w("ilvl"): str(ilvl)})
        etree.SubElement(lvl, _w("start"), {_w("val"): "1"})
        etree.SubElement(lvl, _w("numFmt"), {_w("val"): fmt})
        etree.SubElement(lvl, _w("lvlText"), {_w("val"): text})
    using = etree.Element(_w("abstractNum"), {_w("abstractNumId"): "91"})
    etree.SubElement(using, _w("numStyleLink"), {_w("val"): "RecListStyle"})
    first_num = numbering.find(_w("num"))
    for el in (defining, using):
        if first_num is not None:
            first_num.addprevious(el)
        else:
            numbering.append(el)
    style_num = b._add_num(90)
    ppr = etree.SubElement(st, _w("pPr"))
    numpr = etree.SubElement(ppr, _w("numPr"))
    etree.SubElement(numpr, _w("numId"), {_w("val"): str(style_num)})
    findings_list = b._add_num(91)
    recs_list = b._add_num(91, {0: 1})  # restart for the next section

    b.paragraph("Eastdale Safeguarding Children Partnership")
    b.heading("Local Child Safeguarding Practice Review: Family G", 0)
    b.paragraph("Published: 9 September 2022")
    b.heading("Background", 1)
    b.paragraph("Family G are five children who lived with chronic neglect for over six years. The children were "
                "subject to child protection plans three times.")
    b.heading("Findings", 1)
    for f in ["Each new plan started again without the history of the previous plans.",
              "Improvements were not sustained once the case was closed.",
              "School attendance was low for years before anyone referred the family."]:
        b.numbered(f, 0, findings_list)
    b.heading("Recommendations", 1)
    b.numbered(LS_RECS[0].text, 0, recs_list)
    b.numbered("Children's social care should strengthen its supervision of neglect cases:", 0, recs_list)
    b.numbered("supervision records should show that cumulative harm was considered;", 1, recs_list)
    b.numbered("managers should review every case open for more than a year.", 1, recs_list)
    for r in LS_RECS[2:]:
        b.numbered(r.text, 0, recs_list)
    b.heading("Appendix: Terms of reference", 1)
    b.paragraph("The review should examine how agencies responded to long-term neglect.")
    return b.save(path)


# --------------------------------------------------------------------------- H8. HTML page: nav, breadcrumbs, sidebar, footer around the review

WEB_RECS = [
    Rec("1", "The partnership should refresh its guidance on safer sleeping and relaunch it with all agencies.",
        ["safeguarding-partnership"]),
    Rec("2", "Health visitors should discuss safer sleeping with both parents at every contact.", ["health"]),
    Rec("3", "Early help practitioners should ask where the baby sleeps when a family moves home.", ["early-help"]),
]


def build_website_html(path: Path) -> Path:
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Child Q: learning review - Westdale "
        "Safeguarding Children Partnership</title></head><body>",
        "<div class='skip'><a href='#content'>Skip to main content</a></div>",
        "<div class='site-header'><a href='/'><img alt='Westdale Safeguarding Children Partnership logo' "
        "src='/logo.png'></a><div class='menu'><ul><li><a href='/concern'>Report a concern</a></li>"
        "<li><a href='/practitioners'>Practitioners</a></li><li><a href='/reviews'>Case reviews</a></li></ul>"
        "</div></div>",
        "<div class='breadcrumbs'><ol><li><a href='/'>Home</a></li><li><a href='/practitioners'>Practitioners</a>"
        "</li><li><a href='/reviews'>Learning from case reviews</a></li><li>Child Q</li></ol></div>",
        "<div class='container'><div class='content' id='content'>",
        "<h1>Child Q: learning review</h1>",
        "<p class='meta'>Published by Westdale Safeguarding Children Partnership on 4 July 2023</p>",
        "<h2>Summary</h2><p>Child Q was a baby of eleven weeks who died while sleeping on a sofa with his father. "
        "The family had moved three times since his birth.</p>",
        "<h2>Learning</h2><ul>",
        "<li>Safer sleeping advice was given once and was not repeated after the family moved.</li>",
        "<li>The father was not included in conversations about the baby's care.</li>",
        "</ul>",
        "<h2>Recommendations</h2><ol>", *[f"<li>{escape(r.text)}</li>" for r in WEB_RECS], "</ol>",
        "<h2>Download the report</h2><p><a href='/files/child-q.pdf'>Child Q learning review (PDF, 420KB)</a></p>",
        "</div>",
        "<div class='sidebar'><h2>Related reviews</h2><ul>",
        "<li><a href='/reviews/baby-r'>Baby R: recommendations for health visitors on safer sleeping</a></li>",
        "<li><a href='/reviews/child-s'>Child S: 7 minute briefing on co-sleeping and alcohol</a></li>",
        "<li><a href='/reviews/family-t'>Family T: learning about fathers who are not seen</a></li>",
        "</ul><h2>Share this page</h2><ul><li><a href='#'>Facebook</a></li><li><a href='#'>Email</a></li></ul></div>",
        "</div>",
        "<div class='site-footer'><h2>Worried about a child?</h2><p>If you are worried about a child you should "
        "contact the Westdale MASH on 01234 567890. If a child is in immediate danger you must call 999.</p>"
        "<ul><li><a href='/accessibility'>Accessibility statement</a></li><li><a href='/cookies'>Cookies</a></li>"
        "<li><a href='/privacy'>Privacy notice</a></li></ul><p>&copy; 2023 Westdale Safeguarding Children "
        "Partnership</p></div>",
        "</body></html>",
    ]
    path.write_text("".join(parts), encoding="utf-8")
    return path


HELD_OUT: list[Layout] = [
    Layout("borderless-rec-table-pdf", "baby-b.pdf", build_borderless_table_pdf,
           {"title": "Local Child Safeguarding Practice Review: Baby B", "subject": "Baby B", "review_type": "cspr",
            "publisher": "Northdale Safeguarding Children Partnership", "published": "2024-02-21"},
           NB_RECS, lps=0, strict=False,
           notes="the PDF reader splits an unruled table into columns of paragraphs; rows are not rebuilt"),
    Layout("boxed-recommendations-docx", "child-h.docx", build_boxed_recs_docx,
           {"title": "Child Safeguarding Practice Review: Child H", "subject": "Child H", "review_type": "cspr",
            "publisher": "Southdale Safeguarding Children Partnership", "published": "2023-06"},
           BX_RECS, lps=3),
    Layout("numbered-paragraphs-oxfordshire-pdf", "child-o.pdf", build_numbered_paragraphs_pdf,
           {"title": "Local Child Safeguarding Practice Review: Child O", "subject": "Child O", "review_type": "cspr",
            "publisher": "Oxbury Safeguarding Children Partnership", "published": "2023-12-12"},
           OX_RECS, lps=3),
    Layout("that-the-partnership-prose-pdf", "child-z.pdf", build_that_prose_pdf,
           {"title": "Child Safeguarding Practice Review: Child Z", "subject": "Child Z", "review_type": "cspr",
            "publisher": "Westdale Safeguarding Children Partnership", "published": "2021-11"},
           TH_RECS, lps=0),
    Layout("nspcc-grouped-by-addressee-txt", "child-y.txt", build_nspcc_grouped_txt,
           {"subject": "Child Y", "published": None}, NG_RECS, lps=3),
    Layout("two-column-key-learning-pdf", "siblings-xy.pdf", build_two_column_boxes_pdf,
           {"title": "Learning Summary: Siblings X and Y", "subject": "Siblings X and Y",
            "review_type": "learning-summary",
            "publisher": "Southvale Safeguarding Children Partnership", "published": "2024-03"},
           [], lps=(5, 6)),
    Layout("list-style-restart-docx", "family-g.docx", build_list_style_docx,
           {"title": "Local Child Safeguarding Practice Review: Family G", "subject": "Family G",
            "review_type": "cspr",
            "publisher": "Eastdale Safeguarding Children Partnership", "published": "2022-09-09"},
           LS_RECS, lps=3),
    Layout("website-chrome-html", "child-q.html", build_website_html,
           {"title": "Child Q: learning review", "subject": "Child Q", "review_type": "partnership-learning-review",
            "publisher": "Westdale Safeguarding Children Partnership", "published": "2023-07-04"},
           WEB_RECS, lps=2),
]

# Held-out layouts that pass join the strict set; all are scored (tests/test_extract_layouts.py).
LAYOUTS += [layout for layout in HELD_OUT if layout.strict]
SCORED: list[Layout] = LAYOUTS + [layout for layout in HELD_OUT if not layout.strict]
