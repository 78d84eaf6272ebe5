"""The crisis view: for a community or an area, the call list (trusted contacts ranked by path
strength from the coordinating actor, with how to reach them and through whom) beside the
network around them; printable on A4 as an incident contact sheet.

Ranking and paths come from ``graph_service.analytics.reach.who_do_we_know`` (path cost = sum of
``5 / (strength * freshness)`` per tie: lower is warmer). Contact details are personal data:
only roles allowed to see them get them, on screen and on paper.
"""
from __future__ import annotations

import datetime as dt

from flask import Response, render_template, request, url_for
from flask_login import current_user

from visualisations.static import render_static

from ..api.helpers import get_store, int_param, str_param
from ..model import fold
from .blueprint import bp
from .viewkit import (analytics, coordinator_from_request, filter_choices, graph_payload, graph_rows, ties_among,
                      viewer_projection)

MAX_CALLS = 60


def call_list(store, coordinator: dict, *, tag: str | None, city: str | None, hops: int) -> dict:
    """``{"reach": who_do_we_know result, "unreached": [actor brief], "ids": set, "members": set,
    "contacts": {id: [ContactDetail]}}``. Contact details only for roles allowed to see them."""
    from ..analytics.reach import who_do_we_know

    proj = viewer_projection(store)
    reach = who_do_we_know(proj, coordinator["id"], hops=hops, tag=tag, city=city, limit=proj.n)
    c = proj.require(coordinator["id"])
    members = {proj.ids[i] for i in range(proj.n) if i != c and proj.matches(i, tag=tag, city=city)}
    reached = {r["actor"]["id"] for r in reach["results"]}
    unreached = sorted((proj.brief(proj.index[i]) for i in members - reached), key=lambda a: fold(a["name"]))
    reach["results"] = reach["results"][:MAX_CALLS]
    ids = {coordinator["id"]} | {p["id"] for r in reach["results"] for p in r["path"]}
    contacts = {}
    if current_user.can_see_contacts:
        for r in reach["results"]:
            full = store.get_actor(r["actor"]["id"]) if not r["actor"].get("protected") else None
            contacts[r["actor"]["id"]] = (full or {}).get("contact_details") or []
        shown = sorted(i for i, c in contacts.items() if c)
        if shown:  # a call list is a view of contact details like any other
            store.audit(current_user.username, "contacts.view", target=",".join(shown[:50]),
                        detail={"count": len(shown), "path": request.path}, ip=request.remote_addr)
    return {"reach": reach, "unreached": unreached, "ids": ids, "members": members & ids, "contacts": contacts,
            "proj": proj}


def _params():
    return str_param("community") or None, str_param("area") or None, int_param("hops", 3, 1, 6)


@bp.get("/crisis")
def crisis_view():
    """``/crisis?coordinator=<id or name>&community=<tag>|area=<city>[&hops=3]``."""
    store = get_store()
    pkg = analytics()
    coordinator, error = coordinator_from_request(store)
    tag, city, hops = _params()
    all_actors, _ = graph_rows(store)
    ctx = dict(coordinator=coordinator, error=error, tag=tag or "", city=city or "", hops=hops,
               choices=filter_choices(all_actors), missing_analytics=pkg is None, result=None, data=None, drawn=[],
               now=dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
    if pkg is not None and coordinator and (tag or city):
        result = call_list(store, coordinator, tag=tag, city=city, hops=hops)
        proj = result.pop("proj")
        actors = [a for a in proj.actors if a["id"] in result["ids"]]
        data, drawn = graph_payload(actors, ties_among(proj.ties, result["ids"]), highlight=result["members"],
                                    marks={coordinator["id"]: "centre"}, highlight_label=f"in {tag or city}")
        ctx.update(result=result, data=data, drawn=drawn,
                   image=url_for("web.crisis_image", coordinator=coordinator["id"], community=tag or "", area=city or "", hops=hops))
    return render_template("crisis.html", **ctx), (422 if error else 200)


@bp.get("/crisis.png")
def crisis_image():
    """The crisis view's network as a PNG for the printed contact sheet."""
    store = get_store()
    coordinator, error = coordinator_from_request(store)
    tag, city, hops = _params()
    if analytics() is None or coordinator is None or not (tag or city):
        from werkzeug.exceptions import NotFound

        raise NotFound(error or "Give a coordinator and a community or area.")
    result = call_list(store, coordinator, tag=tag, city=city, hops=hops)
    proj = result["proj"]
    actors = [a for a in proj.actors if a["id"] in result["ids"]]
    title = f"Around {tag or city}, from {coordinator['name']}"
    png = render_static(actors, ties_among(proj.ties, result["ids"]), fmt="png", title=title, highlight=result["members"],
                        marks={coordinator["id"]: "centre"}, dpi=150, figsize=(7.5, 4.6),
                        highlight_label=f"in {tag or city}")
    return Response(png, mimetype="image/png")
