"""Control characters and spreadsheet formulas: the one place that says which text is safe to store and export.

A control character (U+0001, a vertical tab pasted from Word, ...) cannot be written into XLSX or
DOCX (XML 1.0 forbids most of them), so input boundaries refuse it and exports strip it from text
stored before the check existed. Tab, line feed and carriage return are ordinary text.
A cell starting with = + - @ (or a tab or carriage return) would run as a formula when a
spreadsheet opens the file, so exports prefix it with an apostrophe.
"""
from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls; lone surrogates
# and the two non-characters U+FFFE and U+FFFF, which XML cannot hold either.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def find_control(text: str) -> str | None:
    """The first control character in text as "U+000B", or None when there is none."""
    match = _CONTROL.search(text)
    return f"U+{ord(match.group()):04X}" if match else None


def control_message(text: str) -> str | None:
    """A one-line message for a person who typed or pasted a control character, or None."""
    found = find_control(text)
    if found is None:
        return None
    return f"Remove the invisible control character ({found}): it cannot be stored or exported"


def strip_control(text: str) -> str:
    """text without control characters (what exports write for text stored before the check)."""
    return _CONTROL.sub("", text)


def neutralise_formula(text: str) -> str:
    """Prefix an apostrophe when a spreadsheet would read text as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def export_cell(value: object) -> object:
    """A value fit for a CSV, XLSX or DOCX cell: None as "", text stripped and neutralised, numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_formula(strip_control(value))
    return value
