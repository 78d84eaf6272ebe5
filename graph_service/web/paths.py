"""Who knows whom: the warmest chain of ties between two actors, highlighted on the network, and
the next-best distinct alternatives listed (``graph_service.analytics.warm_paths``; without
the analytics package, the store's shortest path alone)."""
from __future__ import annotations

from flask import render_template

from ..api.helpers import access_view, get_store, int_param, str_param
from ..services.paths import who_knows_whom
from .blueprint import bp
from .viewkit import analytics, graph_payload, resolve_or_error, ties_among, viewer_projection

ALTERNATIVES = 3


def _shortest_only(store, a: dict, b: dict) -> dict:
    """The store's shortest path in the shape of ``warm_paths`` (no alternatives)."""
    res = who_knows_whom(store, a["id"], b["id"], view=access_view())
    if not res["found"]:
        return {"found": False, "paths": [], "explanation": f"No chain of ties joins {a['name']} to {b['name']}."}
    steps = [{"actor": s["actor"], "tie": s["tie"]} for s in res["steps"]]
    return {"found": True, "paths": [{"rank": 0, "hops": res["hops"], "steps": steps, "explanation": ""}],
            "explanation": "The shortest chain of ties (the analytics package, which ranks paths by trust, is not installed)."}


@bp.get("/path")
def path_view():
    """``/path?from=<id or name>&to=<id or name>[&k=3]``."""
    store = get_store()
    src_ref, dst_ref = str_param("from") or "", str_param("to") or ""
    k = int_param("k", ALTERNATIVES, 0, 10)
    a, err_a = resolve_or_error(store, src_ref, "From")
    b, err_b = resolve_or_error(store, dst_ref, "To")
    errors = [e for e in (err_a, err_b) if e]
    if a and b and a["id"] == b["id"]:
        errors.append("From and To are the same actor.")
    result, data, drawn = None, None, []
    if a and b and not errors:
        pkg = analytics()
        if pkg is not None:
            from ..analytics.warm_paths import warm_paths

            proj = viewer_projection(store)
            result = warm_paths(proj, a["id"], b["id"], k=k)
            actors_all, ties_all = proj.actors, proj.ties
        else:
            result = _shortest_only(store, a, b)
            actors_all, ties_all = store.projection()
        if result["found"]:
            ids = {s["actor"]["id"] for p in result["paths"] for s in p["steps"]}
            best = result["paths"][0]
            best_ties = {s["tie"]["id"] for s in best["steps"] if s["tie"]}
            best_ids = {s["actor"]["id"] for s in best["steps"]}
            actors = [x for x in actors_all if x["id"] in ids]
            data, drawn = graph_payload(
                actors, ties_among(ties_all, ids), highlight=best_ids, highlight_ties=best_ties,
                marks={a["id"]: "centre", b["id"]: "centre"}, highlight_label="the best path",
            )
    status = 404 if any("no actor" in e for e in errors) else (422 if errors else 200)
    return render_template("path.html", src=src_ref, dst=dst_ref, a=a, b=b, k=k, errors=errors, result=result,
                           data=data, drawn=drawn), status
