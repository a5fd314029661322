"""Render a held-out document spec (YAML) into a real file, and list what it should give.

A spec is one document written once as blocks, in the layout a publisher uses; the renderer
writes it as HTML, Markdown, plain text, DOCX (Word numbering, merged table cells) or PDF
(tests/docgen.py's pager), and the expectations come from the same blocks:

    format: html | md | txt | docx | pdf
    style: what real-page habit the document exercises (free text)
    title: the title a reader would give it (optional)
    wrap: 68            # hard-wrap text and Markdown lines at this width (optional)
    blocks:
      - h1: Heading text            # h1, h2, h3
      - p: Paragraph text           # with `lp: true` / `rec: {...}` as a mapping {p: ..., lp: true}
      - list: {style: decimal | alpha | roman | bullet | typed | dash, items: [...]}
          # an item is a string, or {text, rec: {agencies, themes}, lp: true, sub: {style, items}}
          # a recommendation's expected text is its text followed by its sub-items' texts
      - table: {rows: [[...]], merge: [[first_row, column, last_row]]}
      - chrome: true                # html: site navigation, cookie banner and footer around the body
      - raw: "text"                 # txt/md: written verbatim (page headers, hyphenation, as PDF-to-text
                                    # tools leave them); html: inserted as markup; label it with `recs`/`lps`
      - page_break: true            # pdf: start a new page
      - {p: ..., split: 2}          # pdf: put only the first 2 lines on this page (also on list items)
    recs: [{text, agencies, themes}]   # expectations not tied to one block (semicolon lists, tables)
    lps: [text]
"""
from __future__ import annotations

import textwrap
from html import escape
from pathlib import Path

import yaml

FORMATS = ("html", "md", "txt", "docx", "pdf")
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def load_spec(path: Path) -> dict:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(spec, dict) or spec.get("format") not in FORMATS or not isinstance(spec.get("blocks"), list):
        raise ValueError(f"{path}: a spec needs a format ({', '.join(FORMATS)}) and a list of blocks")
    spec["name"] = path.stem
    return spec


# ---------------------------------------------------------------- expectations

def _item(item) -> dict:
    return {"text": item} if isinstance(item, str) else item


def _full_text(item: dict) -> str:
    parts = [item["text"]]
    for sub in (item.get("sub") or {}).get("items", []):
        parts.append(_full_text(_item(sub)))
    return " ".join(parts)


def expectations(spec: dict) -> tuple[list[dict], list[str]]:
    """(recommendations [{text, agencies, themes}], learning point texts) the document holds."""
    recs: list[dict] = []
    lps: list[str] = []

    def visit(entry: dict, text: str) -> None:
        if entry.get("rec") is not None:
            rec = entry["rec"] or {}
            recs.append({"text": text, "agencies": list(rec.get("agencies", [])),
                         "themes": list(rec.get("themes", []))})
        if entry.get("lp"):
            lps.append(text)

    def visit_list(lst: dict) -> None:
        for raw in lst.get("items", []):
            item = _item(raw)
            visit(item, _full_text(item))
            if item.get("rec") is None and item.get("sub"):
                visit_list(item["sub"])

    for block in spec["blocks"]:
        if "p" in block:
            visit(block, block["p"])
        elif "list" in block:
            visit_list(block["list"])
    recs += [{"text": r["text"], "agencies": list(r.get("agencies", [])), "themes": list(r.get("themes", []))}
             for r in spec.get("recs") or []]
    lps += list(spec.get("lps") or [])
    return recs, lps


# ---------------------------------------------------------------- labels

def _label(style: str, n: int, fmt: str) -> str:
    if style == "decimal":
        return {"html": f"{n}.", "md": f"{n}.", "txt": f"{n}.", "pdf": f"{n}."}.get(fmt, f"{n}.")
    if style == "alpha":
        return f"({chr(96 + n)})" if fmt in ("txt", "pdf") else f"{chr(96 + n)})"
    if style == "roman":
        return f"({_ROMAN[n - 1]})" if fmt in ("txt", "pdf") else f"{_ROMAN[n - 1]}."
    if style == "typed":
        return "\u2022"
    return "-"


def _wrap(text: str, width: int | None, indent: str = "") -> str:
    if not width:
        return text
    return textwrap.fill(text, width=width, subsequent_indent=indent)


# ---------------------------------------------------------------- writers

def _html_list(lst: dict, out: list[str]) -> None:
    style = lst.get("style", "bullet")
    if style == "typed":  # bullets typed as characters at the start of paragraphs
        for raw in lst["items"]:
            item = _item(raw)
            out.append(f"<p>\u2022 {escape(item['text'])}</p>")
            if item.get("sub"):
                _html_list(item["sub"], out)
        return
    tag = "ul" if style in ("bullet", "dash") else "ol"
    kind = {"alpha": ' type="a"', "roman": ' type="i"'}.get(style, "")
    out.append(f"<{tag}{kind}>")
    for raw in lst["items"]:
        item = _item(raw)
        out.append(f"<li>{escape(item['text'])}")
        if item.get("sub"):
            _html_list(item["sub"], out)
        out.append("</li>")
    out.append(f"</{tag}>")


def write_html(spec: dict, path: Path) -> Path:
    body: list[str] = []
    chrome = any(b.get("chrome") for b in spec["blocks"])
    for block in spec["blocks"]:
        for level in (1, 2, 3):
            if f"h{level}" in block:
                body.append(f"<h{level}>{escape(block[f'h{level}'])}</h{level}>")
        if "p" in block:
            body.append(f"<p>{escape(block['p'])}</p>")
        elif "raw" in block:
            body.append(block["raw"])
        elif "list" in block:
            _html_list(block["list"], body)
        elif "table" in block:
            body.append("<table>" + "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in block["table"]["rows"])
                + "</table>")
    head = f"<title>{escape(spec.get('page_title') or spec.get('title') or spec['name'])}</title>"
    page = "\n".join(body)
    if chrome:
        page = ('<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About us</a> '
                '<a href="/contact">Contact</a></nav><div class="cookie">We use cookies to improve this site. '
                '<button>Accept</button></div></header>\n<main>' + page +
                '</main>\n<footer><p>Accessibility statement</p><p>Privacy notice</p>'
                '<p>Follow us on social media</p></footer>')
    path.write_text(f"<!doctype html><html lang=\"en\"><head>{head}</head><body>{page}</body></html>",
                    encoding="utf-8")
    return path


def _text_list(lst: dict, out: list[str], fmt: str, width: int | None, depth: int = 0) -> None:
    style = lst.get("style", "bullet")
    pad = "   " * depth if fmt == "md" else "  " * depth
    for n, raw in enumerate(lst["items"], 1):
        item = _item(raw)
        label = _label(style, n, fmt)
        if fmt == "md" and style in ("bullet", "dash", "typed"):
            label = "-"
        line = f"{pad}{label} {item['text']}"
        out.append(_wrap(line, width, pad + ("   " if fmt == "md" else "")))
        if item.get("sub"):
            _text_list(item["sub"], out, fmt, width, depth + 1)
    out.append("")


def write_text(spec: dict, path: Path, fmt: str) -> Path:
    width = spec.get("wrap")
    out: list[str] = []
    for block in spec["blocks"]:
        for level in (1, 2, 3):
            if f"h{level}" in block:
                out += [("#" * level + " " if fmt == "md" else "") + block[f"h{level}"], ""]
        if "p" in block:
            out += [_wrap(block["p"], width), ""]
        elif "raw" in block:
            out += [block["raw"].rstrip("\n"), ""]
        elif "list" in block:
            _text_list(block["list"], out, fmt, width)
        elif "table" in block:
            rows = block["table"]["rows"]
            if fmt == "md":
                out.append("| " + " | ".join(rows[0]) + " |")
                out.append("|" + "---|" * len(rows[0]))
                out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
            else:
                out += ["\t".join(r) for r in rows]
            out.append("")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def write_docx(spec: dict, path: Path) -> Path:
    from tests.docgen import DocxBuilder, Level

    fmts = {"decimal": Level("decimal", "%1."), "alpha": Level("lowerLetter", "%1)"),
            "roman": Level("lowerRoman", "%1."), "bullet": Level("bullet", "\u2022"),
            "dash": Level("bullet", "-"), "typed": Level("bullet", "\u2022")}
    b = DocxBuilder(title=spec.get("doc_title", ""), author=spec.get("author", ""))

    def add_list(lst: dict, depth: int, list_id: int | None = None) -> None:
        style = lst.get("style", "bullet")
        if style == "typed":
            for raw in lst["items"]:
                item = _item(raw)
                b.paragraph("\u2022\t" + item["text"])
                if item.get("sub"):
                    add_list(item["sub"], depth + 1)
            return
        levels = [fmts[style]] * (depth + 1)
        if list_id is None:
            sub_style = None
            for raw in lst["items"]:
                if _item(raw).get("sub"):
                    sub_style = _item(raw)["sub"].get("style", "bullet")
            if sub_style:
                levels = [fmts[style], Level(fmts[sub_style].fmt, fmts[sub_style].text.replace("%1", "%2"))]
            list_id = b.new_list(tuple(levels))
        for raw in lst["items"]:
            item = _item(raw)
            b.numbered(item["text"], depth, list_id)
            if item.get("sub"):
                add_list(item["sub"], depth + 1, list_id)

    for block in spec["blocks"]:
        for level in (1, 2, 3):
            if f"h{level}" in block:
                b.heading(block[f"h{level}"], level - 1 if block.get("title") else level)
        if "p" in block:
            b.paragraph(block["p"])
        elif "list" in block:
            add_list(block["list"], 0)
        elif "table" in block:
            rows = block["table"]["rows"]
            t = b.doc.add_table(rows=len(rows), cols=len(rows[0]))
            t.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    if text:
                        t.cell(r, c).text = text
            for first, col, last in block["table"].get("merge", []):
                t.cell(first, col).merge(t.cell(last, col))
    return b.save(path)


def write_pdf(spec: dict, path: Path) -> Path:
    from tests.layouts import Pdf

    pdf = Pdf(header=spec.get("running_header"))

    def add_list(lst: dict, indent: float) -> None:
        style = lst.get("style", "bullet")
        for n, raw in enumerate(lst["items"], 1):
            item = _item(raw)
            if item.get("split"):
                pdf.pg.paragraph(item["text"], label=_label(style, n, "pdf"), indent=indent,
                                 lines_on_this_page=item["split"])
            else:
                pdf.p(item["text"], label=_label(style, n, "pdf"), indent=indent)
            if item.get("sub"):
                add_list(item["sub"], indent + 18)

    for block in spec["blocks"]:
        for level, size in ((1, 18.0), (2, 14.0), (3, 12.0)):
            if f"h{level}" in block:
                pdf.h(block[f"h{level}"], size)
        if "p" in block and block.get("split"):
            pdf.pg.paragraph(block["p"], lines_on_this_page=block["split"])
        elif "p" in block:
            pdf.p(block["p"])
        elif "list" in block:
            add_list(block["list"], 0)
        elif "table" in block:
            pdf.table(block["table"]["rows"], block["table"].get("widths"))
        elif block.get("page_break"):
            pdf.page()
    return pdf.save(path, spec.get("doc_title", ""), spec.get("author", ""))


def render(spec: dict, folder: Path) -> Path:
    """Write the spec's document into folder; return its path."""
    fmt = spec["format"]
    path = folder / f"{spec['name']}.{fmt}"
    if fmt == "html":
        return write_html(spec, path)
    if fmt in ("md", "txt"):
        return write_text(spec, path, fmt)
    if fmt == "docx":
        return write_docx(spec, path)
    return write_pdf(spec, path)
