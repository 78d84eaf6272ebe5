"""``/api/v1/actors``: list, read, create, update, delete actors; their ties, ego network, history,
and who may see a sensitive one (``/access``).

A sensitive actor the caller may not see answers 404 everywhere, like one that does not exist
(see :mod:`graph_service.services.access`).
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, url_for

from ..auth import require_role
from ..errors import NotFound
from ..model import ACTOR_KINDS, check_email_contacts, validate_actor
from .access import add_access_routes, split_access
from .helpers import (BadParameter, access_view, get_store, int_param, json_body, present, present_one, present_ties,
                      present_without_audit, forget_access_view,
                      str_param, who)

bp = Blueprint("actors", __name__, url_prefix="/api/v1/actors")


def _seen(actor_id: str) -> None:
    if not access_view().sees(actor_id):
        raise NotFound(f"no actor with id {actor_id!r}")


def _actor_or_404(actor_id: str, *, include_deleted: bool = False) -> dict:
    _seen(actor_id)
    actor = get_store().get_actor(actor_id, include_deleted=include_deleted)
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
        kind=kind, tag=str_param("tag"), city=str_param("city"), q=str_param("q"), limit=limit, offset=offset,
        exclude=access_view().exclude,
    )
    return jsonify(items=present(items), total=total, limit=limit, offset=offset)


@bp.get("/<actor_id>")
def get_actor(actor_id):
    return jsonify(present_one(_actor_or_404(actor_id)))


@bp.post("")
@require_role("editor")
def create_actor():
    """The body is an actor, plus ``sensitive`` and ``visible_to`` to protect it from the start."""
    body, visible_to = split_access(json_body())
    actor = get_store().create_actor(check_email_contacts(validate_actor(body)), by=who(), visible_to=visible_to)
    forget_access_view()
    resp = jsonify(present_without_audit([actor])[0])
    resp.status_code = 201
    resp.headers["Location"] = url_for("actors.get_actor", actor_id=actor["id"])
    return resp


@bp.patch("/<actor_id>")
@require_role("editor")
def update_actor(actor_id):
    _seen(actor_id)
    changes = check_email_contacts(validate_actor(json_body(), partial=True))
    return jsonify(present_without_audit([get_store().update_actor(actor_id, changes, by=who())])[0])


@bp.delete("/<actor_id>")
@require_role("editor")
def delete_actor(actor_id):
    _seen(actor_id)
    get_store().delete_actor(actor_id, by=who())
    return Response(status=204)


@bp.post("/<actor_id>/restore")
@require_role("editor")
def restore_actor(actor_id):
    """Undo a deletion: the actor comes back with the ties deleted with it."""
    _seen(actor_id)
    return jsonify(present_without_audit([get_store().restore_actor(actor_id, by=who())])[0])


@bp.get("/<actor_id>/ties")
def actor_ties(actor_id):
    _actor_or_404(actor_id)
    limit = int_param("limit", 100, 1, 1000)
    offset = int_param("offset", 0, 0, 10**9)
    items, total = get_store().list_ties(actor_id=actor_id, type=str_param("type"), limit=limit, offset=offset,
                                         exclude=access_view().exclude)
    return jsonify(items=present_ties(items), total=total, limit=limit, offset=offset)


@bp.get("/<actor_id>/ego")
def ego(actor_id):
    depth = int_param("depth", 1, 1, 4)
    _seen(actor_id)
    view = access_view()
    net = get_store().ego_network(actor_id, depth, exclude=view.exclude_from_walks)
    net["actors"] = present(view.actors(net["actors"]))
    net["ties"] = present_ties(view.ties(net["ties"]))
    return jsonify(net)


@bp.get("/<actor_id>/history")
@require_role("editor")
def history(actor_id):
    _actor_or_404(actor_id, include_deleted=True)
    return jsonify(items=get_store().history(actor_id))


add_access_routes(bp, "actor", lambda actor_id: _actor_or_404(actor_id, include_deleted=True))
