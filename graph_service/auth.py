"""Authentication and roles.

Web pages use flask-login sessions; scripts send ``Authorization: Bearer <token>``. Roles, in
rising order: ``viewer`` (reads the graph, not contact details), ``editor`` (writes, reads
contact details), ``admin`` (manages users). Every endpoint requires one or the other except
those in :data:`PUBLIC_ENDPOINTS` (health checks, the login page, static files).

Passwords are hashed with werkzeug's ``generate_password_hash`` (scrypt); API tokens are 256-bit
random strings stored only as their SHA-256 digest.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from typing import Callable

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, user_logged_in, user_logged_out
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.security import check_password_hash, generate_password_hash

from .errors import ValidationError
from .model import now_iso

ROLES = ("viewer", "editor", "admin")
SCOPES = ("read", "write", "import")
LOGIN_LIMIT_PER_ADDRESS = "30 per minute"
LOGIN_LOCKOUT = "5 per 15 minutes"  # failed logins per user name before it is locked
TOKEN_IMPORT_BLUEPRINTS = {"imports"}
PUBLIC_ENDPOINTS = {"health.healthz", "health.readyz", "web.login", "static"}
TOKEN_PREFIX = "gs_"


class User(UserMixin):
    """A logged-in user or the owner of an API token."""

    def __init__(self, record: dict, via_token: dict | None = None):
        self.record = record
        self.via_token = via_token

    def get_id(self) -> str:
        # flask-login's "alternative token": the session names the epoch too, so logout can end it
        return f"{self.record['id']}:{self.record.get('session_epoch') or 0}"

    @property
    def username(self) -> str:
        return self.record["username"]

    @property
    def role(self) -> str:
        return self.record["role"]

    @property
    def is_active(self) -> bool:
        return not self.record.get("disabled_at")

    def has_role(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def can_see_contacts(self) -> bool:
        return self.has_role("editor")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(store, username: str, password: str | None, role: str, *, by: str) -> dict:
    """Create a user; ``password`` None makes an account usable only through API tokens.

    Raises ValidationError (bad role, short password) or Conflict (name taken).
    """
    username = (username or "").strip()
    errors = []
    if not username or len(username) > 100 or any(c.isspace() for c in username):
        errors.append({"field": "username", "message": "must be 1-100 characters without spaces"})
    if role not in ROLES:
        errors.append({"field": "role", "message": f"must be one of {', '.join(ROLES)}"})
    if password is not None and len(password) < 10:
        errors.append({"field": "password", "message": "must be at least 10 characters"})
    if errors:
        raise ValidationError(errors)
    hashed = generate_password_hash(password) if password is not None else None
    return store.create_user(username, hashed, role, by=by)


def issue_token(
    store, username: str, *, role: str = "editor", days: int = 365, by: str = "cli", scopes: list[str] | None = None
) -> tuple[str, dict]:
    """A new API token for ``username`` (created as a token-only account with ``role`` if absent).

    ``scopes`` (subset of :data:`SCOPES`, default all) limit what the token may do whatever the
    role: ``read`` (GET), ``write`` (changes), ``import`` (imports). Returns ``(token, record)``;
    the token itself is shown once and stored only as its SHA-256 digest. Raises ValidationError.
    """
    scopes = list(scopes or SCOPES)
    bad = [s for s in scopes if s not in SCOPES]
    if bad:
        raise ValidationError([{"field": "scopes", "message": f"unknown scope {bad[0]!r}; use {', '.join(SCOPES)}"}])
    user = store.get_user_by_name(username)
    if user is None:
        user = create_user(store, username, None, role, by=by)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)).isoformat(timespec="seconds").replace("+00:00", "Z")
    record = store.create_token(user["id"], username, hash_token(token), expires_at=expires, scopes=scopes)
    store.audit(by, "token.create", target=user["id"], detail={"token_id": record["id"], "scopes": scopes, "expires_at": expires})
    return token, record


def check_password(store, username: str, password: str) -> dict | None:
    """The user record when the password matches an active account, else ``None``."""
    user = store.get_user_by_name(username or "")
    if user is None or not user.get("password_hash") or user.get("disabled_at"):
        # same work either way, so timing does not reveal which names exist
        check_password_hash(_DUMMY_HASH, password or "")
        ok = False
    else:
        ok = check_password_hash(user["password_hash"], password or "")
    if not ok:
        store.audit((username or "")[:100], "login.failed", ip=_client_ip())
        return None
    return user


def _client_ip() -> str | None:
    try:
        return request.remote_addr
    except RuntimeError:  # outside a request (CLI)
        return None


_DUMMY_HASH = generate_password_hash("not-a-real-password")


def _user_from_token(store, header: str) -> User | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    record = store.get_token_by_hash(hash_token(token.strip()))
    if record is None or record.get("revoked_at"):
        return None
    if record.get("expires_at") and record["expires_at"] < now_iso():
        return None
    user = store.get_user(record["user_id"])
    if user is None or user.get("disabled_at"):
        return None
    return User(user, via_token=record)


def require_role(role: str) -> Callable:
    """View decorator: 403 unless the current user has at least ``role``."""

    def wrap(view):
        @functools.wraps(view)
        def inner(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401)
            if not current_user.has_role(role):
                abort(403, description=f"This needs the {role} role; you are {current_user.role}.")
            return view(*args, **kwargs)

        return inner

    return wrap


csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    # CSRF is checked by hand below: requests carrying a bearer token are not exposed to it
    # (browsers never add that header on their own); cookie sessions are, forms and API alike.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid for the session's life
    csrf.init_app(app)
    manager = LoginManager()
    manager.login_view = None
    manager.session_protection = "strong"
    manager.init_app(app)

    @manager.user_loader
    def _load(session_id: str):
        user_id, _, epoch = session_id.partition(":")
        user = app.extensions["graph_store"].get_user(user_id)
        if user is None or user.get("disabled_at") or str(user.get("session_epoch") or 0) != epoch:
            return None
        return User(user)

    @manager.request_loader
    def _from_request(req):
        header = req.headers.get("Authorization", "")
        if not header:
            return None
        return _user_from_token(app.extensions["graph_store"], header)

    @user_logged_in.connect_via(app)
    def _audit_login(sender, user):
        app.extensions["graph_store"].audit(user.username, "login", target=user.record["id"], ip=_client_ip())

    @user_logged_out.connect_via(app)
    def _audit_logout(sender, user):
        if user is not None and getattr(user, "is_authenticated", False) and not user.via_token:
            store = app.extensions["graph_store"]
            store.set_user(user.record["id"], {"session_epoch": (user.record.get("session_epoch") or 0) + 1})
            store.audit(user.username, "logout", target=user.record["id"], ip=_client_ip())

    @app.errorhandler(CSRFError)
    def _csrf_error(exc):
        from .problems import problem

        return problem(400, "CSRF token missing or invalid", exc.description + " Reload the page and try again.", slug="csrf")

    @manager.unauthorized_handler
    def _unauthorized():
        if request.path.startswith("/api/") or "text/html" not in request.headers.get("Accept", ""):
            abort(401, description="Log in, or send an API token as 'Authorization: Bearer <token>'.")
        return redirect(url_for("web.login", next=request.full_path if request.query_string else request.path))

    @app.before_request
    def _require_login():
        public = request.endpoint in PUBLIC_ENDPOINTS or (request.endpoint is None and request.path.startswith("/static/"))
        if not public and not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if (
            app.config.get("WTF_CSRF_ENABLED", True)
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and not request.headers.get("Authorization", "").lower().startswith("bearer ")
        ):
            csrf.protect()  # CSRFError -> 400 problem
        if public:
            return None
        token = getattr(current_user, "via_token", None)
        if token is not None:
            needed = "read" if request.method in ("GET", "HEAD", "OPTIONS") else "write"
            if request.blueprint in TOKEN_IMPORT_BLUEPRINTS and needed == "write":
                needed = "import"
            if needed not in token.get("scopes", SCOPES):
                abort(403, description=f"This token lacks the '{needed}' scope (it has: {', '.join(token.get('scopes', []))}).")
        g.actor_name = current_user.username
        return None


def limit_logins(app: Flask) -> None:
    """Rate-limit the login form (call after the web blueprint is registered).

    Per address :data:`LOGIN_LIMIT_PER_ADDRESS`; per user name :data:`LOGIN_LOCKOUT` counting
    failed attempts only, so a guessed account locks for the window. Breaches answer 429.
    """
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # one limiter per app (in memory: the app is one process); tests and apps never share counts
    limiter = Limiter(key_func=get_remote_address, storage_uri="memory://", default_limits=[])
    limiter.init_app(app)

    @limiter.request_filter
    def _only_the_login_form() -> bool:  # every other request skips the limiter's bookkeeping
        return request.endpoint != "web.login" or request.method != "POST"

    view = app.view_functions.get("web.login")
    if view is None:
        return
    view = limiter.limit(LOGIN_LIMIT_PER_ADDRESS, methods=["POST"])(view)
    # Locked per user name *and* address: a guesser elsewhere cannot lock the real admin out,
    # and a guesser here cannot keep trying.
    app.view_functions["web.login"] = limiter.limit(
        LOGIN_LOCKOUT,
        methods=["POST"],
        key_func=lambda: "user:" + (request.form.get("username") or "").strip().lower() + "@" + get_remote_address(),
        deduct_when=lambda response: response.status_code == 401,
        error_message="Too many failed logins for this user; try again in 15 minutes.",
    )(view)


__all__ = [
    "ROLES",
    "User",
    "check_password",
    "create_user",
    "hash_token",
    "issue_token",
    "require_role",
]
