"""An actor's page: details, ties grouped by type (strength, last contact), contact details for
roles allowed to see them, and the actor's ego network."""
from __future__ import annotations

from collections import defaultdict

import re

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from visualisations.filters import is_stale

from ..api.helpers import access_view, get_store, int_param
from ..auth import require_role
from ..errors import Forbidden, NotFound, ValidationError
from ..model import fold
from ..services.directory import visible_actor
from .blueprint import bp
from .viewkit import graph_payload, size_param


def ties_by_type(actor_id: str, ties: list[dict], names: dict[str, str],
                 protected: frozenset[str] = frozenset()) -> list[tuple[str, list[dict]]]:
    """``[(type label, [row])]`` sorted by label; each row ``{tie, other_id, other_name, arrow,
    stale, protected}`` with arrow ``→`` (this actor is the source), ``←`` (the target) or ``↔``
    (mutual), rows sorted by strength (strongest first) then name. ``protected``: placeholder ids
    (no page to link to)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for t in ties:
        if actor_id not in (t["source_id"], t["target_id"]):
            continue
        other = t["target_id"] if t["source_id"] == actor_id else t["source_id"]
        if t["source_id"] == t["target_id"]:
            other = actor_id
        arrow = "↔" if not t.get("directed", True) else ("→" if t["source_id"] == actor_id else "←")
        groups[(t.get("type") or "").replace("_", " ")].append(
            {"tie": t, "other_id": other, "other_name": names.get(other, other), "arrow": arrow, "stale": is_stale(t),
             "protected": other in protected}
        )
    for rows in groups.values():
        rows.sort(key=lambda r: (-(r["tie"].get("strength") or 0), fold(r["other_name"])))
    return sorted(groups.items(), key=lambda kv: fold(kv[0]))


@bp.get("/actors/<actor_id>")
def actor_page(actor_id: str):
    store = get_store()
    view = access_view()
    actor = store.get_actor(actor_id) if view.sees(actor_id) else None
    if actor is None:
        raise NotFound(f"There is no actor with id {actor_id!r}. Search for it by name instead.")
    depth = int_param("depth", 1, 1, 3)
    ego = store.ego_network(actor_id, depth, exclude=view.exclude_from_walks)
    ego = {"actors": view.actors(ego["actors"]), "ties": view.ties(ego["ties"])}
    names = {a["id"]: a["name"] for a in ego["actors"]}
    groups = ties_by_type(actor_id, ego["ties"], names, frozenset(a["id"] for a in ego["actors"] if a.get("protected")))
    data, drawn = graph_payload(ego["actors"], ego["ties"], size=size_param(), marks={actor_id: "centre"})
    if current_user.can_see_contacts and actor.get("contact_details"):
        store.audit(current_user.username, "contacts.view", target=actor_id, detail={"path": request.path},
                    ip=request.remote_addr)
    return render_template(
        "actor.html",
        actor=visible_actor(actor, current_user.can_see_contacts),
        access=view.entries.get(actor_id),
        groups=groups,
        tie_count=sum(len(rows) for _, rows in groups),
        show_contacts=current_user.can_see_contacts,
        data=data,
        drawn=drawn,
        depth=depth,
    )


@bp.post("/actors/<actor_id>/access")
@require_role("editor")
def actor_access(actor_id: str):
    """The actor page's "Sensitive" form: protect the actor (visible to admins and the user names
    given, comma- or space-separated) or, for admins, lift the protection."""
    from ..api.access import change_access

    if not access_view().sees(actor_id) or get_store().get_actor(actor_id) is None:
        raise NotFound(f"There is no actor with id {actor_id!r}. Search for it by name instead.")
    sensitive = request.form.get("sensitive") == "on"
    names = [n for n in re.split(r"[,\s]+", request.form.get("visible_to", "")) if n]
    body = {"sensitive": True, "visible_to": names} if sensitive else {"sensitive": False}
    try:
        result = change_access("actor", actor_id, body)
    except (ValidationError, Forbidden) as exc:
        flash(f"Nothing changed: {exc.detail}")
    else:
        if result["sensitive"]:
            flash("This actor is now sensitive: only admins and " + ", ".join(result["visible_to"]) + " see it."
                  if result["visible_to"] else "This actor is now sensitive: only admins see it.")
        else:
            flash("This actor is no longer sensitive: every user sees it.")
    return redirect(url_for("web.actor_page", actor_id=actor_id))
