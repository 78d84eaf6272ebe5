"""Log in, log out and the home page."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..auth import User, check_password
from .blueprint import bp


def safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login (no ``//host`` or ``/\\host``)."""
    if not target:
        return url_for("web.index")
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return url_for("web.index")  # control characters could split the Location header
    target = target.replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("web.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        store = current_app.extensions["graph_store"]
        user = check_password(store, request.form.get("username", ""), request.form.get("password", ""))
        if user is None:
            error = "Unknown user name or wrong password."
        else:
            session.clear()  # a fresh session on login
            login_user(User(user), remember=False)
            session.permanent = True  # expires after GRAPH_SERVICE_SESSION_HOURS
            return redirect(safe_next(request.args.get("next")))
    hours = current_app.permanent_session_lifetime.total_seconds() / 3600
    return render_template("login.html", error=error, session_hours=hours), (401 if error else 200)


@bp.post("/logout")  # POST with the CSRF token only: a link or image elsewhere cannot log anyone out
@login_required
def logout():
    logout_user()
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("web.login"))


@bp.get("/")
def index():
    from ..api.helpers import access_view
    from ..services.access import visible_stats

    store = current_app.extensions["graph_store"]
    return render_template("index.html", stats=visible_stats(store, access_view()), user=current_user,
                           store=store.describe())
