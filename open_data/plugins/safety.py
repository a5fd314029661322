"""Datasette plugin: limits and neutralising that make the open data safe to query and to open.

- Datasette's time limit cannot interrupt one huge allocation (`select randomblob(900000000)` ran
  12 s and took 900 MB), so every connection gets SQLite's length limit: no string or blob, and
  no row, may exceed MAX_LENGTH bytes, and such a query fails at once with "string or blob too big".
- Text a person typed (an action's public evidence, say) may start with = + - @: CSV responses
  get an apostrophe in front of such cells, as the app's own exports do, so a spreadsheet never
  runs them as formulas. Numbers (-3, +1.5) are left alone; JSON and HTML are untouched.
"""
from __future__ import annotations

import csv
import io
import re
import sqlite3
from urllib.parse import parse_qs

from datasette import hookimpl

from core.text import neutralise_formula

MAX_LENGTH = 10 * 1024 * 1024  # the longest text in the open data is a few KB
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_LENGTH)


def neutralise_csv(body: bytes) -> bytes:
    """The CSV again, with every text cell a spreadsheet would run as a formula prefixed by '."""
    text = body.decode("utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([cell if _NUMBER.fullmatch(cell) else neutralise_formula(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def _is_csv(scope) -> bool:
    if scope.get("path", "").endswith(".csv"):
        return True
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return query.get("_format") == ["csv"]


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def csv_safe(scope, receive, send):
            if scope["type"] != "http" or not _is_csv(scope):
                await app(scope, receive, send)
                return
            start: dict = {}
            chunks: list[bytes] = []

            async def capture(message):
                if message["type"] == "http.response.start":
                    start.update(message)
                    return
                if message["type"] != "http.response.body":
                    await send(message)
                    return
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks)
                if start.get("status") == 200:
                    try:
                        body = neutralise_csv(body)
                    except (UnicodeDecodeError, csv.Error):
                        pass  # not CSV after all: pass it on unchanged
                headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})

            await app(scope, receive, capture)
        return csv_safe
    return wrap
