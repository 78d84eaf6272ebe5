"""Graph-wide reads: search, who-knows-whom path, statistics, the caller's identity."""
from __future__ import annotations

from flask import Blueprint, jsonify
from flask_login import current_user

from ..services.paths import who_knows_whom
from .helpers import access_view, get_store, int_param, present, present_ties, present_without_audit, str_param

bp = Blueprint("graph", __name__, url_prefix="/api/v1")


@bp.get("/search")
def search():
    """Actors whose name or alias contains ``q`` (case and accents ignored), best matches first."""
    q = str_param("q", required=True)
    limit = int_param("limit", 20, 1, 200)
    items, total = get_store().list_actors(q=q, limit=limit, exclude=access_view().exclude)
    # search is for finding actors (the page's as-you-type box calls it on every key): it never
    # carries contact details; the actor itself (GET /api/v1/actors/<id>) does, for editors
    found = [{k: v for k, v in a.items() if k != "contact_details"} for a in present_without_audit(items)]
    return jsonify(items=found, total=total, q=q)


@bp.get("/path")
def path():
    """Who-knows-whom: ``?from=<id or name>&to=<id or name>[&max_depth=6]``."""
    result = who_knows_whom(
        get_store(),
        str_param("from", required=True),
        str_param("to", required=True),
        max_depth=int_param("max_depth", 6, 1, 10),
        view=access_view(),
    )
    result["from"], result["to"] = present([result["from"], result["to"]])
    shown = present([s["actor"] for s in result["steps"]])
    ties = present_ties([s["tie"] for s in result["steps"] if s["tie"]])
    result["steps"] = [{"actor": a, "tie": ties.pop(0) if s["tie"] else None} for a, s in zip(shown, result["steps"])]
    return jsonify(result)


@bp.get("/stats")
def stats():
    """Counts of live actors by kind and ties by type, as far as the caller may see them."""
    from ..services.access import visible_stats

    return jsonify(visible_stats(get_store(), access_view()))


@bp.get("/me")
def me():
    return jsonify(
        username=current_user.username,
        role=current_user.role,
        via_token=bool(current_user.via_token),
        can_see_contacts=current_user.can_see_contacts,
    )
