"""The application factory: ``create_app()`` builds the Flask app with one store object."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Mapping

from flask import Flask, request

from . import api, auth, problems, web
from .config import Settings
from .errors import StoreUnavailable
from .store import open_store

log = logging.getLogger(__name__)


def create_app(test_config: Mapping[str, Any] | None = None, *, settings: Settings | None = None, store=None) -> Flask:
    """Build the app. ``settings`` default to the environment; ``store`` defaults to the one they select.

    ``test_config`` overrides Flask config keys (e.g. ``TESTING``).
    """
    settings = settings or Settings.from_env()
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.update(
        SECRET_KEY=settings.resolved_secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        # Browsers accept Secure cookies on http://localhost too; behind TLS this is what you want.
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=settings.session_hours),
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,
        JSON_SORT_KEYS=False,
        GRAPH_SERVICE_SETTINGS=settings,
        GRAPH_SERVICE_PROTECTED=settings.protected_policy,
    )
    if test_config:
        app.config.update(test_config)
    store = store or open_store(settings)
    try:
        store.init_schema()
    except StoreUnavailable as exc:
        # Neo4j may come up after the app: /readyz says 503 until it does.
        log.warning("store not ready at start-up: %s", exc)
    app.extensions["graph_store"] = store
    problems.init_app(app)
    auth.init_app(app)
    api.init_app(app)
    web.init_app(app)
    auth.limit_logins(app)
    app.after_request(_security_headers)
    return app


def _security_headers(response):
    """Headers every response carries (OWASP Secure Headers Project recommendations)."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype in ("application/json", "application/problem+json") or not request.path.startswith(("/assets/", "/static/")):
        # pages and files may hold contact details: never kept by a shared crisis-room browser
        headers["Cache-Control"] = "no-store"
    return response
