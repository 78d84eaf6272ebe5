"""The gap view: for a coordinating actor, the communities and areas it cannot reach through
strong, fresh ties (and why), its single points of failure (cut vertices, drawn as diamonds on
the network, and bridges), and the stale ties around it. The findings and their sentences come
from ``graph_service.analytics`` (``gaps.gap_report``, ``stale.stale_ties``)."""
from __future__ import annotations

from flask import render_template

from ..api.helpers import get_store, int_param
from .blueprint import bp
from .viewkit import analytics, coordinator_from_request, graph_payload, size_param, viewer_projection

REASONS = [
    ("no_tie", "No tie path at all"),
    ("only_weak", "Only weak ties"),
    ("only_stale", "Only stale ties"),
    ("only_through_one_person", "Only through one person"),
]


@bp.get("/gaps")
def gaps_view():
    """``/gaps?coordinator=<id or name>[&hops=3][&min_strength=4][&stale_days=180]``."""
    store = get_store()
    pkg = analytics()
    coordinator, error = coordinator_from_request(store)
    hops = int_param("hops", 3, 1, 6)
    min_strength = int_param("min_strength", 4, 1, 5)
    stale_days = int_param("stale_days", 180, 0, 100_000)
    ctx = dict(coordinator=coordinator, error=error, hops=hops, min_strength=min_strength, stale_days=stale_days,
               missing_analytics=pkg is None, report=None, stale=None, data=None, drawn=[], reasons=REASONS)
    if pkg is not None and coordinator:
        from ..analytics.gaps import gap_report
        from ..analytics.stale import stale_ties

        proj = viewer_projection(store)
        report = gap_report(proj, coordinator["id"], hops=hops, min_strength=min_strength, stale_days=stale_days, limit=50)
        stale = stale_ties(proj, days=stale_days, around=coordinator["id"], hops=hops, limit=30)
        cuts = [f["actor"]["id"] for f in report["single_points_of_failure"]["articulation_points"]["findings"]]
        marks = {c: "cut" for c in cuts}
        marks[coordinator["id"]] = "centre"
        note = ""
        data, drawn = graph_payload(proj.actors, proj.ties, size=size_param(), marks=marks, note=note)
        ctx.update(report=report, stale=stale, data=data, drawn=drawn, cuts=set(cuts))
    return render_template("gaps.html", **ctx), (422 if error else 200)
