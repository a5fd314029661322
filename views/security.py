"""Security headers and friendly error pages for every response the app sends.

Document text is untrusted input, so the Content-Security-Policy allows no inline script or
style at all: even if escaping failed somewhere, injected markup could not run. Error pages
never show a traceback; API paths get JSON errors so other tools can read them.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

# Templates for the errors users meet most; anything else uses errors/generic.html.
ERROR_TEMPLATES = {400: "errors/400.html", 404: "errors/404.html", 500: "errors/500.html"}


def add_security_headers(response: Response) -> Response:
    """Set each header unless a view chose its own value (setdefault)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(error: HTTPException):
    """A friendly page (or JSON for /api/) with the right status code and no internals."""
    code = error.code or 500
    if _wants_json():
        return jsonify({"error": {"status": code, "title": error.name,
                                  "detail": error.description}}), code
    template = ERROR_TEMPLATES.get(code, "errors/generic.html")
    # Only a message a view chose to give (abort(400, description=...)) is shown, not the default.
    detail = error.description if error.description != type(error).description else None
    try:
        body = render_template(template, error=error, code=code, detail=detail)
    except Exception:  # a broken template must not turn an error page into a traceback
        body = f"<!DOCTYPE html><title>{code}</title><h1>Sorry, there is a problem ({code})</h1>"
    response = Response(body, status=code, mimetype="text/html")
    if code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def refuse_unknown_host() -> None:
    """With a public base URL set (RLR_BASE_URL), only its host may be asked for: links built from
    the request (the API's, a briefing's, a password-reset link) can then never point elsewhere."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base and request.host.lower() != urlsplit(base).netloc.lower():
        abort(400, description="This site does not answer to that host name.")


def behind_proxies(app: Flask) -> None:
    """RLR_TRUSTED_PROXIES=N: N reverse proxies in front, whose X-Forwarded-For/-Proto/-Host are
    believed (werkzeug's ProxyFix). Without it every visitor behind a proxy shares one address,
    so per-address rate limits would apply to everyone at once."""
    n = int(app.config.get("TRUSTED_PROXIES") or 0)
    if n > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)


def init_app(app: Flask) -> None:
    app.before_request(refuse_unknown_host)
    app.after_request(add_security_headers)
    app.register_error_handler(HTTPException, render_error)
    # Unhandled exceptions reach this as a 500 once Flask has logged them; in testing they
    # still propagate, so other tests see the real traceback.
    app.register_error_handler(InternalServerError, render_error)
