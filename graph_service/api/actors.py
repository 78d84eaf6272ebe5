"""``/api/v1/actors``: list, read, create, update, delete actors; their ties, ego network, history."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, url_for

from ..auth import require_role
from ..errors import NotFound
from ..model import ACTOR_KINDS, validate_actor
from .helpers import BadParameter, get_store, int_param, json_body, present, present_one, str_param, who

bp = Blueprint("actors", __name__, url_prefix="/api/v1/actors")


def _actor_or_404(actor_id: str) -> dict:
    actor = get_store().get_actor(actor_id)
    if actor is None:
        raise NotFound(f"no actor with id {actor_id!r}")
    return actor


@bp.get("")
def list_actors():
    kind = str_param("kind")
    if kind and kind not in ACTOR_KINDS:
        raise BadParameter(f"kind must be one of {', '.join(ACTOR_KINDS)}", [{"field": "kind", "message": "unknown kind"}])
    limit = int_param("limit", 50, 1, 500)
    offset = int_param("offset", 0, 0, 10**9)
    items, total = get_store().list_actors(
        kind=kind, tag=str_param("tag"), city=str_param("city"), q=str_param("q"), limit=limit, offset=offset
    )
    return jsonify(items=present(items), total=total, limit=limit, offset=offset)


@bp.get("/<actor_id>")
def get_actor(actor_id):
    return jsonify(present_one(_actor_or_404(actor_id)))


@bp.post("")
@require_role("editor")
def create_actor():
    actor = get_store().create_actor(validate_actor(json_body()), by=who())
    resp = jsonify(actor)
    resp.status_code = 201
    resp.headers["Location"] = url_for("actors.get_actor", actor_id=actor["id"])
    return resp


@bp.patch("/<actor_id>")
@require_role("editor")
def update_actor(actor_id):
    changes = validate_actor(json_body(), partial=True)
    return jsonify(get_store().update_actor(actor_id, changes, by=who()))


@bp.delete("/<actor_id>")
@require_role("editor")
def delete_actor(actor_id):
    get_store().delete_actor(actor_id, by=who())
    return Response(status=204)


@bp.post("/<actor_id>/restore")
@require_role("editor")
def restore_actor(actor_id):
    """Undo a deletion: the actor comes back with the ties deleted with it."""
    return jsonify(get_store().restore_actor(actor_id, by=who()))


@bp.get("/<actor_id>/ties")
def actor_ties(actor_id):
    _actor_or_404(actor_id)
    limit = int_param("limit", 100, 1, 1000)
    offset = int_param("offset", 0, 0, 10**9)
    items, total = get_store().list_ties(actor_id=actor_id, type=str_param("type"), limit=limit, offset=offset)
    return jsonify(items=items, total=total, limit=limit, offset=offset)


@bp.get("/<actor_id>/ego")
def ego(actor_id):
    depth = int_param("depth", 1, 1, 4)
    net = get_store().ego_network(actor_id, depth)
    net["actors"] = present(net["actors"])
    return jsonify(net)


@bp.get("/<actor_id>/history")
@require_role("editor")
def history(actor_id):
    if get_store().get_actor(actor_id, include_deleted=True) is None:
        raise NotFound(f"no actor with id {actor_id!r}")
    return jsonify(items=get_store().history(actor_id))
