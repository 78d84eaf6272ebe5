"""Small helpers shared by the API views: the store, JSON bodies, query parameters."""
from __future__ import annotations

import json

from flask import current_app, g, request
from flask_login import current_user
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from ..errors import GraphServiceError, ValidationError


class BadParameter(GraphServiceError):
    status = 400
    title = "Bad query parameter"
    type_slug = "bad-parameter"


def get_store():
    """The app's one store object."""
    return current_app.extensions["graph_store"]


def json_body() -> dict:
    """The request's JSON object. 415 if not JSON, 400 if malformed, 422 if not an object."""
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as JSON with 'Content-Type: application/json'.")
    try:
        data = json.loads(request.get_data(as_text=True) or "null", parse_constant=_no_constants)
    except ValueError as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise BadRequest("The request body is nested too deeply.") from None
    if not isinstance(data, dict):
        raise ValidationError([{"field": "(body)", "message": "must be a JSON object"}])
    return data


def _no_constants(name: str):
    raise ValueError(f"{name} is not a JSON number (RFC 8259)")


def _single(name: str) -> str | None:
    values = request.args.getlist(name)
    if len(values) > 1:
        raise BadParameter(f"{name} is given {len(values)} times; give it once", [{"field": name, "message": "is given more than once"}])
    return values[0] if values else None


def int_param(name: str, default: int, lo: int, hi: int) -> int:
    raw = _single(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a whole number", [{"field": name, "message": "must be a whole number"}]) from None
    if not lo <= value <= hi:
        raise BadParameter(f"{name} must be between {lo} and {hi}", [{"field": name, "message": f"must be between {lo} and {hi}"}])
    return value


def str_param(name: str, *, required: bool = False, max_len: int = 500) -> str | None:
    value = _single(name)
    if value is not None:
        value = value.strip()
    if required and not value:
        raise BadParameter(f"the query parameter {name} is required", [{"field": name, "message": "is required"}])
    if value and len(value) > max_len:
        raise BadParameter(f"{name} is too long", [{"field": name, "message": f"at most {max_len} characters"}])
    if value and any(ord(c) < 32 or ord(c) == 127 for c in value):
        # stores disagree on NUL and friends (SQLite ends text there): no name contains them anyway
        raise BadParameter(f"{name} contains a control character", [{"field": name, "message": "contains a control character"}])
    return value or None


def who() -> str:
    """The name recorded as ``created_by``/``updated_by``."""
    if getattr(current_user, "via_token", None):
        return f"{current_user.username} (token)"
    return current_user.username


def can_see_contacts() -> bool:
    return bool(getattr(current_user, "can_see_contacts", False))


def access_view():
    """What the caller may see of sensitive actors and ties (read once per request)."""
    from ..services.access import AccessView, Viewer

    if "access_view" not in g:
        g.access_view = AccessView.of(get_store(), Viewer.of(current_user),
                                      policy=current_app.config.get("GRAPH_SERVICE_PROTECTED", "hide"),
                                      key=str(current_app.config["SECRET_KEY"]).encode())
    return g.access_view


def forget_access_view() -> None:
    """After this request changed who may see what: read the access entries again when next asked."""
    g.pop("access_view", None)


def present_ties(ties: list[dict]) -> list[dict]:
    """Ties as the caller may see them: each says whether it is ``sensitive``."""
    view = access_view()
    return [view.label(t) for t in ties]


def present(actors: list[dict]) -> list[dict]:
    """Actors as the caller may see them; viewing anyone's contact details is written to the audit log.
    Each says whether it is ``sensitive`` (and, for those who may see it, to whom it is visible)."""
    from ..services.directory import visible_actor

    show = can_see_contacts()
    view = access_view()
    out = [view.label(visible_actor(a, show)) if not a.get("protected") else a for a in actors]
    if show:
        with_contacts = [a["id"] for a in actors if a.get("contact_details")]
        if with_contacts:
            get_store().audit(who(), "contacts.view", target=",".join(with_contacts[:50]),
                              detail={"count": len(with_contacts), "path": request.path}, ip=request.remote_addr)
    return out


def present_without_audit(actors: list[dict]) -> list[dict]:
    """Actors as the caller may see them, for answers that then drop contact details anyway."""
    from ..services.directory import visible_actor

    view = access_view()
    return [view.label(visible_actor(a, can_see_contacts())) if not a.get("protected") else a for a in actors]


def present_one(actor: dict) -> dict:
    return present([actor])[0]
