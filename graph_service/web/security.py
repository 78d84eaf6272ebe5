"""Response headers for the pages: a strict Content-Security-Policy the network views satisfy.

The pages load scripts and styles only from this app (no inline script, no CDN), so an injected
``<script>`` or ``onerror=`` attribute would not run even if escaping failed somewhere.
Headers already set (for example by an app-wide security module) are left as they are.
"""
from __future__ import annotations

from flask import Flask, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def init_app(app: Flask) -> None:
    @app.after_request
    def _page_headers(resp):
        if request.path.startswith("/api/") or resp.mimetype != "text/html":
            return resp
        if resp.headers.get("Content-Disposition", "").startswith("attachment"):
            return resp  # a downloaded standalone view: opened from disk, not under this policy
        for key, value in HEADERS.items():
            resp.headers.setdefault(key, value)
        return resp
