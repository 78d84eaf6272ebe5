"""The one error handler: every API error is an RFC 9457 ``application/problem+json`` document.

Shape: ``{"type", "title", "status", "detail", "instance", "errors": [{field|row|..., message}]}``.
Web pages (non-``/api`` paths) get the same information as a small HTML page.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, json, render_template, request
from werkzeug.exceptions import HTTPException

from .errors import GraphServiceError

log = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "tag:graph-service,2026:problems/"

_HTTP_SLUGS = {
    400: "malformed-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "validation",
    429: "too-many-requests",
    503: "store-unavailable",
}


def problem(status: int, title: str, detail: str = "", *, slug: str | None = None, errors=None, headers=None) -> Response:
    """Build a problem+json response (or an HTML error page outside ``/api``)."""
    body = {
        "type": PROBLEM_TYPE_BASE + (slug or _HTTP_SLUGS.get(status, "error")),
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    if not request.path.startswith("/api/") and "text/html" in request.headers.get("Accept", ""):
        resp = Response(render_template("error.html", problem=body), status=status, mimetype="text/html")
    else:
        resp = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def init_app(app: Flask) -> None:
    @app.errorhandler(GraphServiceError)
    def _service_error(exc: GraphServiceError):
        if exc.status == 503:
            # the store's own words name its address and driver internals: for the log, not the public
            log.warning("store unavailable on %s %s: %s", request.method, request.path, exc.detail)
            return problem(503, exc.title, "The graph store is not reachable right now; try again shortly.",
                           slug=exc.type_slug, headers={"Retry-After": "5"})
        return problem(exc.status, exc.title, exc.detail, slug=exc.type_slug, errors=exc.errors)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        detail = exc.description or ""
        headers = {}
        if exc.code == 405 and exc.valid_methods:
            headers["Allow"] = ", ".join(exc.valid_methods)
        return problem(exc.code or 500, exc.name, detail, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem(500, "Internal error", "An unexpected error occurred; it has been logged.")
