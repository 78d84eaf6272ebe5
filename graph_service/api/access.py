"""Sensitive actors and ties over the API: ``GET /api/v1/access`` (admins: every protected record),
and the helpers behind ``/api/v1/actors/<id>/access`` and ``/api/v1/ties/<id>/access``."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user

from ..auth import require_role
from ..errors import ValidationError
from ..services.access import Viewer, decide, parse_access
from .helpers import forget_access_view, get_store, json_body, who

bp = Blueprint("access", __name__, url_prefix="/api/v1/access")


def access_answer(entity_id: str) -> dict:
    """``{"id", "sensitive", "visible_to", "set_at", "set_by"}`` of one record."""
    entry = get_store().access_entries().get(entity_id)
    if entry is None:
        return {"id": entity_id, "sensitive": False, "visible_to": [], "set_at": None, "set_by": None}
    return {"id": entity_id, "sensitive": True, "visible_to": entry["visible_to"], "set_at": entry["set_at"],
            "set_by": entry["set_by"]}


def split_access(body: dict) -> tuple[dict, list[str] | None]:
    """A create body without ``sensitive``/``visible_to``, and the ``visible_to`` to store (``None``:
    not protected). ValidationError for a bad flag or an unknown user name."""
    rest = {k: v for k, v in body.items() if k not in ("sensitive", "visible_to")}
    if "sensitive" not in body and "visible_to" not in body:
        return rest, None
    sensitive, visible_to = parse_access(body)
    if not sensitive:
        return rest, None
    return rest, decide(get_store(), Viewer.of(current_user), None, True, visible_to)


def change_access(entity_type: str, entity_id: str, body: dict) -> dict:
    """Apply ``{"sensitive", "visible_to"}`` to a record as the caller may (see ``access.decide``);
    the change is kept in the record's history and the audit log."""
    store = get_store()
    unknown = sorted(set(body) - {"sensitive", "visible_to"})
    if unknown:
        raise ValidationError([{"field": k, "message": "is not a known field (sensitive, visible_to)"} for k in unknown])
    sensitive, visible_to = parse_access(body)
    current = store.access_entries().get(entity_id)
    names = decide(store, Viewer.of(current_user), current, sensitive, visible_to)
    store.set_access(entity_type, entity_id, names, by=who())
    forget_access_view()
    store.audit(who(), "access.set" if names is not None else "access.lift", target=entity_id,
                detail={"entity_type": entity_type, "visible_to": names or []}, ip=request.remote_addr)
    return access_answer(entity_id)


def add_access_routes(resource_bp: Blueprint, entity_type: str, find) -> None:
    """``GET/PUT <prefix>/<{entity_type}_id>/access`` on a resource's blueprint; ``find(id)`` raises
    NotFound for a record the caller may not see."""
    rule = f"/<{entity_type}_id>/access"

    @require_role("editor")
    def get_access(**ids):
        """Whether the record is sensitive and to whom it is visible (besides admins)."""
        find(ids[f"{entity_type}_id"])
        return jsonify(access_answer(ids[f"{entity_type}_id"]))

    @require_role("editor")
    def put_access(**ids):
        """``{"sensitive": true, "visible_to": ["name", ...]}`` protects; ``{"sensitive": false}`` (admins) lifts it."""
        find(ids[f"{entity_type}_id"])
        return jsonify(change_access(entity_type, ids[f"{entity_type}_id"], json_body()))

    resource_bp.add_url_rule(rule, "get_access", get_access, methods=["GET"])
    resource_bp.add_url_rule(rule, "put_access", put_access, methods=["PUT"])


@bp.get("")
@require_role("admin")
def list_access():
    """Every protected actor and tie: ``{"items": [{"id", "entity_type", "name", "visible_to", "set_at", "set_by"}]}``."""
    store = get_store()
    items = []
    for entity_id, entry in sorted(store.access_entries().items()):
        if entry["entity_type"] == "actor":
            record = store.get_actor(entity_id, include_deleted=True)
            name = record["name"] if record else ""
        else:
            record = store.get_tie(entity_id, include_deleted=True)
            name = f"{record['source_id']} -[{record['type']}]-> {record['target_id']}" if record else ""
        items.append({"id": entity_id, "entity_type": entry["entity_type"], "name": name,
                      "visible_to": entry["visible_to"], "set_at": entry["set_at"], "set_by": entry["set_by"]})
    return jsonify(items=items, total=len(items))
