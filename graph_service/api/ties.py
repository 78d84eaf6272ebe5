"""``/api/v1/ties``: list, read, create, update, delete ties."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, url_for

from ..auth import require_role
from ..errors import NotFound
from ..model import validate_tie
from .helpers import get_store, int_param, json_body, str_param, who

bp = Blueprint("ties", __name__, url_prefix="/api/v1/ties")


@bp.get("")
def list_ties():
    limit = int_param("limit", 100, 1, 1000)
    offset = int_param("offset", 0, 0, 10**9)
    actor = str_param("actor")
    if actor and get_store().get_actor(actor) is None:
        raise NotFound(f"no actor with id {actor!r}")
    items, total = get_store().list_ties(actor_id=actor, type=str_param("type"), limit=limit, offset=offset)
    return jsonify(items=items, total=total, limit=limit, offset=offset)


@bp.get("/<tie_id>")
def get_tie(tie_id):
    tie = get_store().get_tie(tie_id)
    if tie is None:
        raise NotFound(f"no tie with id {tie_id!r}")
    return jsonify(tie)


@bp.post("")
@require_role("editor")
def create_tie():
    tie = get_store().create_tie(validate_tie(json_body()), by=who())
    resp = jsonify(tie)
    resp.status_code = 201
    resp.headers["Location"] = url_for("ties.get_tie", tie_id=tie["id"])
    return resp


@bp.patch("/<tie_id>")
@require_role("editor")
def update_tie(tie_id):
    return jsonify(get_store().update_tie(tie_id, validate_tie(json_body(), partial=True), by=who()))


@bp.delete("/<tie_id>")
@require_role("editor")
def delete_tie(tie_id):
    get_store().delete_tie(tie_id, by=who())
    return Response(status=204)


@bp.get("/<tie_id>/history")
@require_role("editor")
def history(tie_id):
    if get_store().get_tie(tie_id, include_deleted=True) is None:
        raise NotFound(f"no tie with id {tie_id!r}")
    return jsonify(items=get_store().history(tie_id))
