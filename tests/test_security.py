"""Security tests (issue 9): authentication bypass on every POST route, CSRF, stored and reflected
XSS, SQL injection through every parameter, path traversal, session fixation, open redirects and
security headers. The app runs on fixture databases whose texts carry XSS and SQL payloads.
"""
from __future__ import annotations

import copy
import hashlib
import re
import sqlite3
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from app import create_app
from ingest.load import write_database
from tests.sample_data import SAMPLE_RECORDS
from tracker import store, users

PASSWORD = "correct horse battery staple"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOADS = [SCRIPT, IMG]
SQLI = ["'", '"', "' OR 1=1--", "1; DROP TABLE reviews", "'; DROP TABLE reviews;--", "\" OR \"\"=\"", "%27", "\\",
        "1 UNION SELECT name FROM sqlite_master--", "*", "%", "_"]
UNSAFE = [SCRIPT.lower(), "<img src=x onerror", "onerror=alert(1)>"]


def _poison(records: list[dict]) -> list[dict]:
    """The sample records with XSS payloads in every text a page shows."""
    recs = copy.deepcopy(records)
    r = recs[0]
    tag = f" {SCRIPT} {IMG} "
    r["title"] += tag
    r["subject"] += tag
    r["summary"] += tag
    r["period"] = (r.get("period") or "") + tag
    r["publisher"] += tag
    r["facts"][0]["fact"] += tag
    for doc in r["documents"]:
        for para in doc["paragraphs"]:
            para["text"] += tag
    for lp in r["learning_points"]:
        lp["text"] += tag
    for rec in r["recommendations"]:
        rec["text"] += tag
    for act in r["agency_actions"]:
        act["action"] += tag
    return recs


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """Poisoned reviews.db + search index + tracker.db with an admin, a board member and an agency lead."""
    from search_index import build_index

    base = tmp_path_factory.mktemp("security")
    db = write_database(base / "reviews.db", _poison(SAMPLE_RECORDS))
    build_index(db, base / "search-index")
    tracker_db = base / "instance" / "tracker.db"
    conn = store.connect(tracker_db)
    for name, role, agency in (("ann", "admin", None), ("bob", "board", None), ("pat", "agency-lead", "police")):
        users.create_user(conn, name, role, PASSWORD, agency)
    conn.close()
    return {"db": db, "tracker": tracker_db, "index": base / "search-index", "base": base}


def make_app(env, **extra):
    config = {"TESTING": True, "SECRET_KEY": "security-test", "DATABASE": str(env["db"]),
              "TRACKER_DATABASE": str(env["tracker"]), "PUBLIC_DATABASE": str(env["base"] / "no-public.db"),
              "SEARCH_INDEX_DIR": str(env["index"]), "WTF_CSRF_ENABLED": False,
              "TRACKER_TODAY": "2023-01-15", "RATELIMIT_ENABLED": False, "BRIEFING_USE_RATE_LIMIT": 100000}
    config.update(extra)
    return create_app(config)


@pytest.fixture(scope="module")
def app(env):
    return make_app(env)


def fingerprint(*dbs: Path) -> str:
    """A hash of every row of every table: proves "nothing changed"."""
    h = hashlib.sha256()
    for db in dbs:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
                h.update(table.encode())
                for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                    h.update(repr(row).encode())
        finally:
            conn.close()
    return h.hexdigest()


def sign_in(client, name, password=PASSWORD):
    return client.post("/sign-in", data={"name": name, "password": password})


def csrf_from(html: str) -> str:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


# --------------------------------------------------------------------------- route inventory

REVIEW, REC, ACTION = "child-t-2022", "child-t-2022-rec-1", "child-t-2022-act-1"
ARGS = {"rec_id": REC, "action_id": ACTION, "review_id": REVIEW, "user_id": 3, "what": "deactivate",
        "kind": "review", "slug": REVIEW, "file": "report.pdf", "fmt": "zip", "key": "overdue", "filename": "does-not-exist.css",
        "token": "not-a-real-reset-token", "draft_id": "d-not-a-draft", "number": "1", "row": 1, "use_id": 1,
        "choice": "restore", "action": "split"}


def route_args(rule) -> dict:
    """ARGS for one rule; a `what` that the rule limits to a few words takes the first of them."""
    args = {a: ARGS[a] for a in rule.arguments}
    items = getattr(rule._converters.get("what"), "items", None)
    if items and "what" in args and args["what"] not in items:
        args["what"] = sorted(items)[0]
    return args
# POST routes a signed-out visitor may use, and why:
PUBLIC_POSTS = {
    "auth.login": "signing in",
    "auth.logout": "signing out changes nothing stored",
    "briefings.briefing": "returns the edited briefing as a DOCX; stores nothing",
    "briefings.log_use": "anonymous delivery log by design (CSRF-protected and rate-limited)",
    "users.reset": "a signed one-time link is the credential (tests/test_tracker_users.py)",
}


def post_routes(app) -> list[tuple[str, str]]:
    out = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            args = route_args(rule)
            with app.test_request_context():
                from flask import url_for
                out.append((rule.endpoint, url_for(rule.endpoint, **args)))
    return sorted(out)


def get_routes(app) -> list[tuple[str, str, dict]]:
    out = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            out.append((rule.endpoint, rule.rule, route_args(rule)))
    return sorted(out)


def test_every_route_is_in_the_inventory(app):
    """A new route must get arguments here, so the tests below really exercise it."""
    for rule in app.url_map.iter_rules():
        assert set(rule.arguments) <= set(ARGS), f"{rule.rule}: add its arguments to ARGS"
    assert len(post_routes(app)) >= 7


# --------------------------------------------------------------------------- authentication bypass

FORM = {"version": "0", "delivery": "complete", "assurance": "impact-evidenced", "response": "accepted",
        "owner": "Mallory", "target_date": "2030-01-01", "agency": "police", "action": "Injected action",
        "note": "bypass", "public_evidence": "x", "private_notes": "x", "current": PASSWORD, "new": "x" * 20,
        "confirm": "x" * 20, "delivered_on": "2023-01-01", "team": "t", "staff_count": "3", "name": "ann",
        "password": "wrong password here"}


def test_anonymous_posts_change_nothing_on_any_route(app, env):
    before = fingerprint(env["db"], env["tracker"])
    checked = []
    for endpoint, url in post_routes(app):
        if endpoint in PUBLIC_POSTS:
            continue
        client = app.test_client()
        response = client.post(url, data=FORM)
        assert response.status_code in (302, 303, 401, 403), f"{endpoint}: {response.status_code}"
        if response.status_code in (302, 303):
            assert response.location.startswith("/sign-in"), f"{endpoint} redirected to {response.location}"
        checked.append(endpoint)
    assert fingerprint(env["db"], env["tracker"]) == before
    assert {"tracker.edit_action", "tracker.edit_recommendation", "tracker.add_action", "users.set_active",
            "auth.password"} <= set(checked)


def test_forged_session_cookie_and_wrong_roles_change_nothing(app, env):
    before = fingerprint(env["db"], env["tracker"])
    client = app.test_client()
    client.set_cookie("session", "eyJ1c2VyX2lkIjoxLCJlcG9jaCI6MH0.forged.signature")  # {"user_id":1,"epoch":0}
    assert client.post(f"/tracker/actions/{ACTION}/edit", data=FORM).status_code == 302
    forged = make_app(env, SECRET_KEY="attacker-guess").test_client()  # signed with the wrong key
    with forged.session_transaction() as sess:
        sess["user_id"], sess["epoch"] = 1, 0
    cookie = forged.get_cookie("session")
    client.set_cookie("session", cookie.value)
    assert client.post(f"/tracker/actions/{ACTION}/edit", data=FORM).status_code == 302
    # signed-in but not allowed: board member and the lead of another agency
    for name in ("bob",):
        c = app.test_client()
        assert sign_in(c, name).status_code == 302
        for url in (f"/tracker/actions/{ACTION}/edit", f"/tracker/recommendations/{REC}/edit",
                    f"/tracker/recommendations/{REC}/actions/new", "/tracker/users/1/deactivate"):
            assert c.post(url, data=FORM).status_code in (403, 404), url
    c = app.test_client()
    assert sign_in(c, "pat").status_code == 302
    for url in ("/tracker/actions/child-t-2022-act-2/edit", f"/tracker/recommendations/{REC}/edit",
                "/tracker/users/1/deactivate"):
        assert c.post(url, data=FORM).status_code in (403, 404), url
    assert fingerprint(env["db"], env["tracker"]) == before


# --------------------------------------------------------------------------- CSRF

def test_csrf_missing_or_wrong_token_is_refused_on_every_post_route(env):
    app = make_app(env, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/sign-in").text
    assert client.post("/sign-in", data={"name": "ann", "password": PASSWORD, "csrf_token": csrf_from(page)}
                       ).status_code == 302
    before = fingerprint(env["db"], env["tracker"])
    for endpoint, url in post_routes(app):
        if endpoint in ("auth.logout",):
            continue
        for token in (None, "forged-token", csrf_from(page) + "x"):
            data = dict(FORM, **({"csrf_token": token} if token else {}))
            response = client.post(url, data=data)
            assert response.status_code == 400, f"{endpoint} with token {token!r}: {response.status_code}"
    assert fingerprint(env["db"], env["tracker"]) == before
    # sign-out without a token does not sign out (no forced logout from another site)
    assert client.post("/sign-out").status_code == 400
    assert client.get("/tracker/").status_code == 200


def test_a_token_from_another_session_is_refused(env):
    app = make_app(env, WTF_CSRF_ENABLED=True)
    attacker, victim = app.test_client(), app.test_client()
    token = csrf_from(attacker.get("/sign-in").text)
    page = victim.get("/sign-in").text
    assert victim.post("/sign-in", data={"name": "pat", "password": PASSWORD, "csrf_token": csrf_from(page)}
                       ).status_code == 302
    before = fingerprint(env["tracker"])
    response = victim.post(f"/tracker/actions/{ACTION}/edit", data=dict(FORM, csrf_token=token))
    assert response.status_code == 400 and fingerprint(env["tracker"]) == before


# --------------------------------------------------------------------------- XSS

def assert_escaped(response, where: str) -> None:
    body = response.get_data(as_text=True)
    ctype = response.headers.get("Content-Type", "")
    if "html" not in ctype:
        assert "json" in ctype or "csv" in ctype or "officedocument" in ctype, f"{where}: {ctype}"
        return
    low = body.lower()
    for bad in UNSAFE:
        assert bad not in low, f"{where}: unescaped {bad!r}"


def _public_pages(app) -> list[str]:
    pages = ["/", "/reviews", f"/reviews/{REVIEW}", f"/reviews/{REVIEW}/documents/report.pdf", "/themes",
             "/agencies", "/about", f"/recommendations/{REC}", "/recommendations/child-t-2022-rec-2",
             "/themes/child-criminal-exploitation", "/agencies/police", "/briefings", f"/briefings/review/{REVIEW}",
             "/briefings/theme/child-criminal-exploitation", "/tracker/summary",
             "/search?q=alert", "/search?q=script", "/search?q=onerror", "/search?q=Child+T", "/search?q=img",
             "/api/search?q=alert", "/search?kind=recommendation&q=alert"]
    return pages


def test_stored_xss_in_document_texts_is_escaped_on_every_public_page(app):
    client = app.test_client()
    seen_payload = 0
    for url in _public_pages(app):
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        assert_escaped(response, url)
        seen_payload += "alert(1)" in response.get_data(as_text=True)
    assert seen_payload >= 8, "the payload text should appear (escaped) on most pages"


def test_stored_xss_is_escaped_on_tracker_pages(app):
    for name in ("ann", "bob", "pat"):
        client = app.test_client()
        assert sign_in(client, name).status_code == 302
        for url in ("/tracker/", f"/tracker/recommendations/{REC}", "/tracker/dashboard", "/tracker/orphans",
                    "/tracker/users", f"/tracker/actions/{ACTION}/edit", f"/tracker/recommendations/{REC}/edit",
                    f"/tracker/recommendations/{REC}/actions/new", "/tracker/dashboard/recent.csv"):
            response = client.get(url)
            assert response.status_code in (200, 403), f"{name} {url}: {response.status_code}"
            assert_escaped(response, f"{name} {url}")


def test_xss_typed_into_tracker_forms_is_escaped_where_it_is_shown(env):
    app = make_app(env, TRACKER_DATABASE=str(env["base"] / "xss-tracker.db"))
    conn = store.connect(app.config["TRACKER_DATABASE"])
    users.create_user(conn, "ann", "admin", PASSWORD)
    users.create_user(conn, "pat", "agency-lead", PASSWORD, "police")
    conn.close()
    admin = app.test_client()
    assert sign_in(admin, "ann").status_code == 302
    payload = f"{SCRIPT}{IMG}"
    assert admin.post(f"/tracker/recommendations/{REC}/edit", data={
        "version": "0", "response": "accepted", "owner": payload, "target_date": "2030-01-01",
        "note": payload}).status_code == 302
    assert admin.post(f"/tracker/actions/{ACTION}/edit", data={
        "version": "0", "delivery": "complete", "public_evidence": payload, "private_notes": payload,
        "note": payload}).status_code == 302
    assert admin.post(f"/tracker/recommendations/{REC}/actions/new", data={
        "agency": "police", "action": payload, "target_date": "2030-01-01", "note": payload}).status_code == 302
    client = app.test_client()
    assert client.post(f"/briefings/review/{REVIEW}/uses", data={
        "delivered_on": "2023-01-10", "team": payload, "staff_count": "4", "actions_agreed": payload,
        "logged_by": payload}).status_code in (302, 303)
    for c, urls in ((admin, ["/tracker/", f"/tracker/recommendations/{REC}", "/tracker/dashboard",
                             f"/tracker/actions/{ACTION}/edit", f"/tracker/recommendations/{REC}/edit"]),
                    (client, [f"/recommendations/{REC}", "/tracker/summary", f"/briefings/review/{REVIEW}",
                              f"/reviews/{REVIEW}"])):
        for url in urls:
            response = c.get(url)
            assert response.status_code == 200, url
            assert_escaped(response, url)


REFLECTED = [SCRIPT, IMG, "javascript:alert(1)", "'-alert(1)-'", "</title><script>alert(1)</script>",
             "\"onmouseover=\"alert(1)"]


@pytest.mark.parametrize("payload", REFLECTED)
def test_reflected_xss_in_query_strings_and_forms(app, payload):
    client = app.test_client()
    q = quote(payload)
    urls = [f"/search?q={q}", f"/search?q=x&theme={q}", f"/search?q=x&sort={q}", f"/search?page={q}",
            f"/api/search?q={q}", f"/sign-in?next={q}", f"/reviews/{q}", f"/recommendations/{q}",
            f"/themes/{q}", f"/agencies/{q}", f"/briefings/review/{q}", f"/{q}", f"/reviews/{REVIEW}/documents/{q}",
            f"/reviews?theme={q}&page={q}", f"/search?q=x&per_page={q}&kind={q}&year={q}"]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 301, 308, 400, 404), f"{url}: {response.status_code}"
        assert_escaped(response, url)
    response = client.post("/sign-in", data={"name": payload, "password": payload, "next": payload})
    assert_escaped(response, "sign-in form")
    response = client.post(f"/briefings/review/{REVIEW}/uses", data={"delivered_on": payload, "team": payload,
                                                                      "staff_count": payload})
    assert response.status_code == 400
    assert_escaped(response, "briefing use form")


# --------------------------------------------------------------------------- SQL injection

def test_sql_injection_through_every_get_parameter_and_path_segment(app, env):
    before = fingerprint(env["db"], env["tracker"])
    client = app.test_client()
    assert sign_in(client, "ann").status_code == 302
    params = ["q", "theme", "agency", "review", "year", "type", "status", "wording", "kind", "sort", "page",
              "per_page", "next", "logged"]
    count = 0
    for endpoint, rule, args in get_routes(app):
        if endpoint == "static":
            continue
        for payload in SQLI:
            for name in list(args) or [None]:
                values = dict(args)
                if name:
                    values[name] = payload
                url = rule
                for k, v in values.items():
                    url = re.sub(rf"<(?:[^:>]+:)?{k}>", quote(str(v), safe=""), url)
                url += "?" + "&".join(f"{p}={quote(payload, safe='')}" for p in params)
                response = client.get(url)
                count += 1
                assert response.status_code in (200, 301, 302, 400, 403, 404), f"{url}: {response.status_code}"
    assert count > 100
    assert fingerprint(env["db"], env["tracker"]) == before


def test_sql_injection_through_post_fields(app, env):
    before = fingerprint(env["db"])
    client = app.test_client()
    for payload in SQLI:
        assert sign_in(client, payload, payload).status_code in (400, 401)
        assert sign_in(client, "ann' --").status_code in (400, 401)
    assert fingerprint(env["db"]) == before


# --------------------------------------------------------------------------- path traversal

TRAVERSAL = ["..%2f..%2fetc%2fpasswd", "../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e/%2e%2e/etc/passwd",
             "....//....//etc/passwd", "..\\..\\etc\\passwd", "%252e%252e%252fetc%252fpasswd", "/etc/passwd",
             "..%00/etc/passwd", "report.pdf/../../../../etc/passwd", "..%c0%af..%c0%afetc/passwd"]


@pytest.mark.parametrize("evil", TRAVERSAL)
def test_path_traversal_is_refused(app, evil):
    client = app.test_client()
    for url in (f"/reviews/{evil}", f"/reviews/{REVIEW}/documents/{evil}", f"/static/{evil}",
                f"/briefings/review/{evil}", f"/recommendations/{evil}", f"/reviews/{evil}/documents/report.pdf"):
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code in (301, 308, 400, 404), f"{url}: {response.status_code}"
        assert "root:" not in body and "/bin/" not in body, url


# --------------------------------------------------------------------------- session fixation, redirects

def test_session_cookie_changes_at_sign_in_and_old_cookie_is_useless(app):
    client = app.test_client()
    client.get("/sign-in")
    with client.session_transaction() as sess:
        sess["planted"] = "fixation"
    before = client.get_cookie("session").value
    assert sign_in(client, "ann").status_code == 302
    after = client.get_cookie("session").value
    assert after != before
    old = app.test_client()
    old.set_cookie("session", before)
    assert old.get("/tracker/").status_code == 302  # the pre-sign-in cookie is not signed in
    # after sign-out the signed-in cookie no longer works either (the session is cleared)
    assert client.post("/sign-out").status_code == 302
    assert client.get("/tracker/").status_code == 302


@pytest.mark.parametrize("target", [
    "https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example", "https:evil.example",
    "/%2F%2Fevil.example", "%2F%2Fevil.example", "/%5Cevil.example", " //evil.example", "\t//evil.example",
    "///evil.example", "/\t/evil.example", "http://127.0.0.1.evil.example/", "javascript:alert(1)",
    "//evil.example/%2e%2e", "/.//evil.example",
])
def test_no_open_redirect_after_sign_in(app, target):
    client = app.test_client()
    response = client.post("/sign-in", data={"name": "ann", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    location = response.location
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "\\" not in location and "\t" not in location
    # the ?next= shown on the sign-in form is also never off-site
    page = client.get(f"/sign-in?next={quote(target, safe='')}").get_data(as_text=True)
    m = re.search(r'name="next"[^>]*value="([^"]*)"', page) or re.search(r'value="([^"]*)"[^>]*name="next"', page)
    value = m.group(1) if m else ""
    assert value == "" or (value.startswith("/") and not value.startswith(("//", "/\\")))


# --------------------------------------------------------------------------- headers

def test_security_headers_on_every_kind_of_response(app):
    client = app.test_client()
    responses = [client.get(u) for u in ("/", "/search?q=x", "/api/search?q=x", "/nope", "/reviews/nope",
                                         "/sign-in", "/tracker/", "/static/does-not-exist.css",
                                         "/search?page=-1")]
    responses.append(client.post("/reviews"))  # 405
    for r in responses:
        csp = r.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp, r.request.path
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert r.headers.get("X-Content-Type-Options") == "nosniff"
        assert r.headers.get("X-Frame-Options") == "DENY"
        assert r.headers.get("Referrer-Policy")
        assert r.status_code != 500


def test_no_inline_script_or_handlers_in_pages(app):
    """With script-src 'self' an inline script would be blocked anyway; none should be relied on."""
    client = app.test_client()
    for url in _public_pages(app):
        body = client.get(url).get_data(as_text=True)
        if "<html" not in body.lower():
            continue
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", body, re.I), f"inline script on {url}"
        handlers = _event_handler_attributes(body)
        assert not handlers, f"inline event handlers on {url}: {handlers[:3]}"


def _event_handler_attributes(html: str) -> list[tuple[str, str]]:
    """(tag, attribute) for every real on*= attribute, as a browser's parser would see them."""
    from html.parser import HTMLParser

    found: list[tuple[str, str]] = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend((tag, name) for name, _ in attrs if name.lower().startswith("on"))

    P().feed(html)
    return found


def test_session_cookie_flags_and_no_secrets_in_pages(app):
    client = app.test_client()
    response = sign_in(client, "ann")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    for url in ("/tracker/users", "/tracker/dashboard"):
        body = client.get(url).get_data(as_text=True)
        assert "pbkdf2" not in body and "scrypt" not in body and "argon2" not in body and "$2b$" not in body
