"""The open data site's own limits (issue 18, items 5 and 6), against a real Datasette on loopback:
formulas never pass through its CSV export, and one huge allocation fails at once."""
from __future__ import annotations

import csv
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.opendata_support import DATABASE, ROOT, free_port

FORMULAS = ["=HYPERLINK(\"http://x.example\",\"click\")", "+1+2", "-2+3", "@SUM(A1)", "=1+1"]


@pytest.fixture(scope="module")
def hostile_db(public_db, tmp_path_factory) -> Path:
    """The published database with formulas in the public evidence of every action."""
    path = tmp_path_factory.mktemp("hostile") / f"{DATABASE}.db"
    shutil.copy(public_db, path)
    conn = sqlite3.connect(path)
    ids = [r[0] for r in conn.execute("select action_id from action_status order by action_id")]
    assert ids, "the sample has actions with a public status"
    for n, action_id in enumerate(ids):
        conn.execute("update action_status set public_evidence = ? where action_id = ?",
                     (FORMULAS[n % len(FORMULAS)], action_id))
    conn.commit()
    conn.close()
    return path


@pytest.fixture(scope="module")
def site(hostile_db, tmp_path_factory):
    port = free_port()
    log = (tmp_path_factory.mktemp("safety-log") / "datasette.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "open_data", str(hostile_db), "--host", "127.0.0.1",
                             "--port", str(port), "--setting", "sql_time_limit_ms", "20000"],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                log.flush()
                pytest.fail(f"datasette exited early: {Path(log.name).read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("datasette did not start within 30 seconds")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("path", [f"/{DATABASE}/action_status.csv",
                                  f"/{DATABASE}/action_status.csv?_stream=on&_dl=1"])
def test_csv_export_neutralises_formulas(site, path):
    status, text = fetch(site + path)
    assert status == 200, text[:300]
    got = cells(text)
    assert not [c for c in got if c.startswith(("=", "+", "-", "@")) and not c.lstrip("+-").isdigit()]
    assert "'" + FORMULAS[0] in got and "'" + FORMULAS[1] in got


def test_csv_of_a_query_neutralises_formulas_but_not_numbers(site):
    sql = "select '=2+3' as a, -5 as b, '+1.5' as c, 'plain' as d"
    status, text = fetch(f"{site}/{DATABASE}.csv?" + urllib.parse.urlencode({"sql": sql}))
    assert status == 200 and cells(text)[4:] == ["'=2+3", "-5", "+1.5", "plain"], text


def test_json_keeps_the_text_as_it_is(site):
    status, text = fetch(f"{site}/{DATABASE}/action_status.json?_shape=array")
    assert status == 200 and '"+1+2"' in text and "\"'+1+2\"" not in text


def test_one_huge_allocation_fails_at_once(site):
    started = time.monotonic()
    sql = "select length(randomblob(900000000)) as n"
    status, text = fetch(f"{site}/{DATABASE}.json?" + urllib.parse.urlencode({"sql": sql}))
    elapsed = time.monotonic() - started
    assert status == 400 and "too big" in text, text[:300]
    assert elapsed < 10  # without the limit it runs for many seconds (12 s on the machine)
    ok = fetch(f"{site}/{DATABASE}.json?" + urllib.parse.urlencode({"sql": "select length(randomblob(1000)) as n"}))
    assert ok[0] == 200 and "1000" in ok[1]
