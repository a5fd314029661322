"""Security headers and friendly error pages for every response the app sends.

Document text is untrusted input, so the Content-Security-Policy allows no inline script or
style at all: even if escaping failed somewhere, injected markup could not run. Error pages
never show a traceback; API paths get JSON errors so other tools can read them.
"""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

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


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.register_error_handler(HTTPException, render_error)
    # Unhandled exceptions reach this as a 500 once Flask has logged them; in testing they
    # still propagate, so other tests see the real traceback.
    app.register_error_handler(InternalServerError, render_error)
