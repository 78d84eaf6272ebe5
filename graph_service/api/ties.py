"""``/api/v1/ties``: list, read, create, update, delete ties, and who may see a sensitive one.

A tie the caller may not see (sensitive, or touching a sensitive actor) answers 404 everywhere.
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, url_for

from ..auth import require_role
from ..errors import NotFound, ValidationError
from ..model import validate_tie
from .access import add_access_routes, split_access
from .helpers import access_view, forget_access_view, get_store, int_param, json_body, present_ties, str_param, who

bp = Blueprint("ties", __name__, url_prefix="/api/v1/ties")


def _tie_or_404(tie_id: str, *, include_deleted: bool = False) -> dict:
    tie = get_store().get_tie(tie_id, include_deleted=include_deleted)
    if tie is None or not access_view().sees_tie(tie):
        raise NotFound(f"no tie with id {tie_id!r}")
    return tie


@bp.get("")
def list_ties():
    limit = int_param("limit", 100, 1, 1000)
    offset = int_param("offset", 0, 0, 10**9)
    actor = str_param("actor")
    view = access_view()
    if actor and (get_store().get_actor(actor) is None or not view.sees(actor)):
        raise NotFound(f"no actor with id {actor!r}")
    items, total = get_store().list_ties(actor_id=actor, type=str_param("type"), limit=limit, offset=offset,
                                         exclude=view.exclude)
    return jsonify(items=present_ties(items), total=total, limit=limit, offset=offset)


@bp.get("/<tie_id>")
def get_tie(tie_id):
    return jsonify(present_ties([_tie_or_404(tie_id)])[0])


@bp.post("")
@require_role("editor")
def create_tie():
    """The body is a tie, plus ``sensitive`` and ``visible_to`` to protect it from the start."""
    body, visible_to = split_access(json_body())
    tie = validate_tie(body)
    view = access_view()
    hidden_ends = [{"field": f, "message": f"no actor with id {tie[f]!r}"} for f in ("source_id", "target_id")
                   if not view.sees(tie[f])]
    if hidden_ends:  # the same answer as for an actor that does not exist
        raise ValidationError(hidden_ends)
    tie = get_store().create_tie(tie, by=who(), visible_to=visible_to)
    forget_access_view()
    resp = jsonify(present_ties([tie])[0])
    resp.status_code = 201
    resp.headers["Location"] = url_for("ties.get_tie", tie_id=tie["id"])
    return resp


@bp.patch("/<tie_id>")
@require_role("editor")
def update_tie(tie_id):
    _tie_or_404(tie_id)
    return jsonify(present_ties([get_store().update_tie(tie_id, validate_tie(json_body(), partial=True), by=who())])[0])


@bp.delete("/<tie_id>")
@require_role("editor")
def delete_tie(tie_id):
    _tie_or_404(tie_id)
    get_store().delete_tie(tie_id, by=who())
    return Response(status=204)


@bp.get("/<tie_id>/history")
@require_role("editor")
def history(tie_id):
    _tie_or_404(tie_id, include_deleted=True)
    return jsonify(items=get_store().history(tie_id))


add_access_routes(bp, "tie", lambda tie_id: _tie_or_404(tie_id, include_deleted=True))
