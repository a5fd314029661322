"""Rebuild Word's automatic list numbers, which python-docx leaves out of paragraph.text.

Word stores "4.2" or "(b)" only as a recipe: the paragraph (or its style) names a numbering
instance (numId) and level (ilvl); numbering.xml maps numId to an abstractNum whose levels give
start, numFmt and lvlText ("%1.%2"). Counters are kept per abstractNum, as Word continues a
list across instances of one definition unless an instance overrides the start.
"""
from __future__ import annotations

from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _val(el, tag: str, default: str | None = None) -> str | None:
    child = el.find(W + tag) if el is not None else None
    return child.get(W + "val", default) if child is not None else default


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class LevelDef:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False  # isLgl: show all levels as decimals
    style: str | None = None  # pStyle linking a paragraph style to this level


@dataclass
class _Instance:
    abstract: str
    overrides: dict[int, int] = field(default_factory=dict)  # ilvl -> startOverride
    level_overrides: dict[int, LevelDef] = field(default_factory=dict)
    used: bool = False


class Numbering:
    """Numbering definitions of one document plus the running counters while reading it."""

    def __init__(self, numbering_el, styles_el) -> None:
        self.abstracts: dict[str, dict[int, LevelDef]] = {}
        self.style_links: dict[str, str] = {}  # abstractNumId -> numStyleLink style id
        self.instances: dict[str, _Instance] = {}
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.style_based: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if styles_el is not None:
            self._read_styles(styles_el)
        if numbering_el is not None:
            self._read_numbering(numbering_el)

    def _read_styles(self, styles_el) -> None:
        for st in styles_el.iter(W + "style"):
            sid = st.get(W + "styleId")
            if not sid:
                continue
            based = _val(st, "basedOn")
            if based:
                self.style_based[sid] = based
            numpr = st.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                ilvl = _val(numpr, "ilvl")
                self.style_numpr[sid] = (_val(numpr, "numId"), _int(ilvl, 0) if ilvl is not None else None)

    def _read_numbering(self, el) -> None:
        for absnum in el.iter(W + "abstractNum"):
            aid = absnum.get(W + "abstractNumId")
            link = _val(absnum, "numStyleLink")
            if link:
                self.style_links[aid] = link
            self.abstracts[aid] = {_int(lvl.get(W + "ilvl"), 0): _level(lvl) for lvl in absnum.iter(W + "lvl")}
        for num in el.iter(W + "num"):
            inst = _Instance(_val(num, "abstractNumId") or "")
            for ov in num.iter(W + "lvlOverride"):
                ilvl = _int(ov.get(W + "ilvl"), 0)
                start = _val(ov, "startOverride")
                if start is not None:
                    inst.overrides[ilvl] = _int(start, 1)
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    inst.level_overrides[ilvl] = _level(lvl)
            self.instances[num.get(W + "numId")] = inst

    def _resolve_abstract(self, aid: str, depth: int = 0) -> str:
        """Follow numStyleLink -> style -> numId -> abstractNum (a list defined by a list style)."""
        link = self.style_links.get(aid)
        if link and depth < 5:
            num_id, _ = self.style_numpr.get(link, (None, None))
            inst = self.instances.get(num_id or "")
            if inst and inst.abstract != aid:
                return self._resolve_abstract(inst.abstract, depth + 1)
        return aid

    def paragraph_numpr(self, ppr, style_id: str | None) -> tuple[str, int] | None:
        """(numId, ilvl) for a paragraph: its own numPr, else inherited through its style chain."""
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        num_id = _val(numpr, "numId") if numpr is not None else None
        ilvl = _val(numpr, "ilvl") if numpr is not None else None
        sid, seen = style_id, 0
        while (num_id is None or ilvl is None) and sid and seen < 10:
            s_num, s_lvl = self.style_numpr.get(sid, (None, None))
            if num_id is None and s_num is not None:
                num_id = s_num
            if ilvl is None and s_lvl is not None:
                ilvl = str(s_lvl)
            sid, seen = self.style_based.get(sid), seen + 1
        if num_id is None or num_id == "0" or num_id not in self.instances:
            return None
        level = _int(ilvl, -1)
        if level < 0:  # a level may be tied to the paragraph style through lvl/pStyle
            aid = self._resolve_abstract(self.instances[num_id].abstract)
            level = next((i for i, d in self.abstracts.get(aid, {}).items() if d.style and d.style == style_id), 0)
        return num_id, level

    def next_label(self, num_id: str, ilvl: int) -> tuple[str | None, bool]:
        """Advance the counters for one numbered paragraph: (label, is_bullet).

        label is the formatted lvlText without a trailing full stop ("4.2", "(b)", "iii").
        """
        inst = self.instances[num_id]
        aid = self._resolve_abstract(inst.abstract)
        levels = self.abstracts.get(aid, {})
        counters = self.counters.setdefault(aid, {})
        if not inst.used:
            inst.used = True
            for lv, start in inst.overrides.items():
                counters.pop(lv, None)
                for deeper in [k for k in counters if k > lv]:
                    counters.pop(deeper)
                counters[lv] = start - 1
        defn = self._level(inst, levels, ilvl)
        if defn.fmt in ("bullet", "none"):
            return None, defn.fmt == "bullet"
        counters[ilvl] = counters.get(ilvl, defn.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            d = self._level(inst, levels, deeper)
            if d.restart != 0 and (d.restart is None or d.restart - 1 >= ilvl):
                counters.pop(deeper)
        text = defn.text
        for n in range(9):
            token = f"%{n + 1}"
            if token in text:
                d = self._level(inst, levels, n)
                value = counters.get(n, d.start)
                text = text.replace(token, format_number(value, "decimal" if defn.legal and n != ilvl else d.fmt))
        return text.strip().rstrip(".") or None, False

    @staticmethod
    def _level(inst: _Instance, levels: dict[int, LevelDef], ilvl: int) -> LevelDef:
        return inst.level_overrides.get(ilvl) or levels.get(ilvl) or LevelDef(text=f"%{ilvl + 1}.")


def _level(lvl) -> LevelDef:
    restart = _val(lvl, "lvlRestart")
    return LevelDef(
        start=_int(_val(lvl, "start"), 1),
        fmt=_val(lvl, "numFmt", "decimal") or "decimal",
        text=_val(lvl, "lvlText", "") or "",
        restart=_int(restart, 0) if restart is not None else None,
        legal=lvl.find(W + "isLgl") is not None and _val(lvl, "isLgl", "1") not in ("0", "false"),
        style=_val(lvl, "pStyle"),
    )


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


MAX_LETTER_VALUE = 780  # zzz...: 30 repeats of z
MAX_ROMAN_VALUE = 3999  # mmmcmxcix


def format_number(value: int, fmt: str) -> str:
    """One counter in a Word numFmt; unknown formats fall back to decimal."""
    # Absurd counters (a hostile <ol start=4000000000 type=i> or w:start) would build a string of
    # millions of letters; beyond what Word itself shows as letters/roman numerals, use decimal.
    if fmt in ("lowerLetter", "upperLetter") and 0 < value <= MAX_LETTER_VALUE:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)  # Word: aa, bb after z
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 0 < value <= MAX_ROMAN_VALUE:
        out, n = "", value
        for v, s in _ROMAN:
            while n >= v:
                out, n = out + s, n - v
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        return f"{value}{suffix}"
    return str(value)
