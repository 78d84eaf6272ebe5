"""The network view: the whole graph or a filter of it, and its PNG/SVG/HTML exports."""
from __future__ import annotations

from flask import Response, render_template, url_for

from visualisations.filters import cap
from visualisations.metrics import node_sizes
from visualisations.network import build_network, render_html
from visualisations.static import FORMATS, render_static

from ..api.helpers import get_store
from .blueprint import bp
from .viewkit import graph_rows, export_args, filter_choices, filter_from_request, filtered_projection, graph_payload, max_nodes, size_param


def _title(flt) -> str:
    described = flt.describe()
    return "Stakeholder network" + (f": {described}" if described else "")


@bp.get("/network")
def network_view():
    """``/network?kind=&tag=&city=&min_strength=&stale=only|hide&size=degree|betweenness``."""
    store = get_store()
    flt = filter_from_request()
    size = size_param()
    all_actors, _ = graph_rows(store)
    actors, ties = filtered_projection(store, flt)
    data, drawn = graph_payload(actors, ties, size=size)
    args = export_args()
    exports = [(fmt.upper(), url_for("web.network_export", fmt=fmt, **args)) for fmt in ("png", "svg", "html")]
    return render_template(
        "network_view.html", data=data, drawn=drawn, flt=flt, size=size, choices=filter_choices(all_actors),
        title=_title(flt), exports=exports,
    )


@bp.get("/network.<fmt>")
def network_export(fmt: str):
    """The same view as a static PNG/SVG (matplotlib, for briefings) or a standalone HTML file."""
    if fmt not in (*FORMATS, "html"):
        from werkzeug.exceptions import NotFound

        raise NotFound("Exports are .png, .svg or .html.")
    store = get_store()
    flt = filter_from_request()
    size = size_param()
    actors, ties = filtered_projection(store, flt)
    actors, ties, cut = cap(actors, ties, max_nodes())
    sizes = node_sizes([a["id"] for a in actors], ties, size)
    title = _title(flt)
    if fmt == "html":
        body = render_html(build_network(actors, ties, sizes=sizes), title=title, note=cut.message(), link_base=None)
        resp = Response(body, mimetype="text/html")
        resp.headers["Content-Disposition"] = 'attachment; filename="network.html"'
        return resp
    return Response(render_static(actors, ties, fmt=fmt, title=title, note=cut.message(), sizes=sizes), mimetype=FORMATS[fmt],
                    headers={"Content-Disposition": f'inline; filename="network.{fmt}"'})

