"""Tables in reviews: which column is which, and action-plan rows as agency actions.

An action plan has an Action column plus a lead, target date or status column; a
recommendations table has a Recommendation column and no Action column. Merged cells reach
us as empty cells, so an empty Recommendation or Lead cell repeats the row above.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.dates import due_date
from ingest.document import Block
from ingest.rules import load_rules
from ingest.sections import clean_number, split_text_label
from ingest.taxonomy import agency_of, status_of, uses_brag

# role -> header pattern; a header cell takes the first role it matches, in this order
_ROLES = (
    ("status", re.compile(r"\b(?:status|b?rag|rating)\b", re.I)),
    ("due", re.compile(r"\b(?:target|timescales?|time\s*scales?|due|deadline|by\s+when|completion\s+date|date)\b", re.I)),
    ("agency", re.compile(r"\b(?:lead|owners?|agenc(?:y|ies)|responsible|responsibility|organisations?|who|by\s+whom|partner)\b", re.I)),
    ("action", re.compile(r"\b(?:actions?|activit(?:y|ies)|tasks?|what\s+will|how\s+will|response)\b", re.I)),
    ("number", re.compile(r"^(?:no\.?|nos?\.?|number|ref\.?|refs?|#|rec\.?\s*(?:no\.?|ref\.?)?|item)$", re.I)),
    ("recommendation", re.compile(r"\brecommendations?\b|^rec\b", re.I)),
    ("progress", re.compile(r"\b(?:progress|update|evidence|outcome|comments?)\b", re.I)),
    ("learning", re.compile(r"\b(?:learning|findings?|lessons?|key\s+messages?)\b", re.I)),
)
_HEADER_WORDS = re.compile(
    r"^\s*(?:no\.?|ref\.?|#|recommendations?|actions?|lead(?:\s+\w+)?|owner|agency|status|rag|brag|target(?:\s+date)?|"
    r"timescales?|progress|update|findings?|learning|date|due|responsible|evidence)\b",
    re.I,
)


@dataclass
class Table:
    """One table's rows, its header cells and the role of each column."""

    index: int | None
    rows: list[Block]
    header: list[str] | None = None
    roles: dict[str, int] = field(default_factory=dict)

    @property
    def kind(self) -> str | None:
        if "action" in self.roles and {"agency", "due", "status"} & set(self.roles):
            return "actions"
        if "recommendation" in self.roles and "action" not in self.roles:
            return "recommendations"
        if "learning" in self.roles:
            return "learning"
        return None

    def cell(self, row: Block, role: str) -> str:
        col = self.roles.get(role)
        cells = row.cells or []
        if col is None or col >= len(cells):
            return ""
        return (cells[col] or "").strip()


def column_roles(cells: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for col, text in enumerate(cells):
        text = (text or "").strip()
        if not text or len(text) > 60:
            continue
        for role, pattern in _ROLES:
            if pattern.search(text) and role not in roles:
                roles[role] = col
                break
        else:
            # a header worded as a recommendations heading ("What needs to change", "Areas for
            # improvement": extraction_rules.yml `headings.recommendations`) is the column too
            if "recommendation" not in roles and load_rules().headings.recommendations.match(text):
                roles["recommendation"] = col
    return roles


def _is_header(row: Block) -> bool:
    cells = [c for c in (row.cells or []) if c and c.strip()]
    if row.header:
        return True
    return len(cells) >= 2 and sum(bool(_HEADER_WORDS.match(c)) and len(c) <= 40 for c in cells) >= 2


def make_tables(blocks: list[Block]) -> list[Table]:
    """Group table rows by table index, find each header, and carry a header-less table that
    continues the previous one across a page break (same number of columns) on with its roles."""
    tables: list[Table] = []
    prev: Block | None = None
    for b in blocks:
        if b.kind == "table_row":
            if not tables or prev is None or b.table != tables[-1].index:
                tables.append(Table(b.table, []))
            tables[-1].rows.append(b)
            prev = b
        else:
            prev = None
    previous: Table | None = None
    for table in tables:
        first = table.rows[0]
        head = next((r for r in table.rows if r.header), first if _is_header(first) else None)
        if head is not None:
            table.header = head.cells or []
            table.roles = column_roles(table.header)
            table.rows = [r for r in table.rows if r is not head and not r.header and not _same_cells(r, head)]
        elif previous is not None and previous.roles and table.rows and \
                len(table.rows[0].cells or []) == len(previous.header or []):
            table.header, table.roles = previous.header, previous.roles
        previous = table
    return tables


def _same_cells(a: Block, b: Block) -> bool:
    return [c.strip().lower() for c in a.cells or []] == [c.strip().lower() for c in b.cells or []]


def number_in(cell: str) -> str | None:
    """A recommendation number from a cell: '1', 'R1', 'Rec 4.2', 'Recommendation 3: The ...'."""
    cell = cell.strip()
    if not cell:
        return None
    if re.fullmatch(r"(?:R|Rec\.?\s*)?\d{1,3}(?:\.\d{1,3})*[a-z]?\.?|\(?[a-z]\)?|[A-Z]{1,3}\d{1,3}", cell, re.I):
        return clean_number(re.sub(r"^(?:R|Rec\.?\s*)(?=\d)", "", cell, flags=re.I))
    number, _, _ = split_text_label(cell)
    return clean_number(number)


def agency_actions(table: Table, resolve_rec) -> list[dict]:
    """Agency actions from an action-plan table. resolve_rec(cell_text) -> the recommendation
    number it refers to, or None."""
    status_cells = [table.cell(r, "status") or table.cell(r, "progress") for r in table.rows]
    scheme = "brag" if uses_brag(status_cells) else "rag"
    actions: list[dict] = []
    rec, agency = None, None
    for row in table.rows:
        rec_cell = table.cell(row, "number") or table.cell(row, "recommendation")
        if rec_cell:
            rec = resolve_rec(rec_cell)
        action = table.cell(row, "action")
        lead = table.cell(row, "agency")
        if lead:
            agency = agency_of(lead)
        if not action:
            continue
        status = status_of(table.cell(row, "status"), scheme) if "status" in table.roles else None
        if status is None and "progress" in table.roles:
            status = status_of(table.cell(row, "progress"), scheme)
        actions.append({
            "recommendation": rec,
            "agency": agency,
            "action": action,
            "due": due_date(table.cell(row, "due")),
            "status": status,
        })
    return actions
