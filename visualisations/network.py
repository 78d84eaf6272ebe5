"""Interactive network views: vis-network data built with pyvis, drawn offline.

pyvis's node and edge lists are filled directly (its ``from_nx`` is quadratic: 20,000 nodes took
186 s against 0.08 s filled directly). Two outputs share one builder:

- :func:`view_data` -> a JSON-able dict the app's pages embed in a
  ``<script type="application/json">`` block and draw with their own static script (the app serves
  vis-network itself: no CDN, and the pages satisfy a ``script-src 'self'`` policy);
- :func:`render_html` -> one self-contained HTML file with vis-network's JS and CSS inlined, for
  the CLI and downloads, that works with the network cut off.

Everything a user typed reaches the browser as data, never as markup: labels are drawn on a
canvas, tooltips are strings that vis-network sets with ``innerText``, and the data is embedded
with Jinja's ``tojson`` (which escapes ``<``, ``>``, ``&`` and quotes), so a name like
``<img src=x onerror=alert(1)>`` or ``</script><script>...`` shows as text.

Large views stay usable: past :data:`PHYSICS_LIMIT` nodes positions are precomputed
(:mod:`visualisations.layout`) and physics is off; callers cap views with
:func:`visualisations.filters.cap` and show its message.
"""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup
from pyvis.network import Network

from . import layout
from .filters import STALE_DAYS, is_stale

KIND_COLOURS = {
    "city": "#1d3557",
    "agency": "#457b9d",
    "ngo": "#2a9d8f",
    "community_actor": "#e76f51",
    "network": "#8d5fd3",
    "funder": "#c9a227",
    "person": "#f4a261",
    "event": "#adb5bd",
    "initiative": "#6c757d",
}
OTHER_COLOUR = "#999999"
HIGHLIGHT = "#d00000"
EDGE_COLOUR = "#7a828a"
PHYSICS_LIMIT = 300  # past this many nodes, positions are precomputed and physics is off
FAST_EDGES = 3000  # past this many ties, stale ties are pale instead of dashed and arrowheads are left out
STALE_PALE = "#e8c39e"  # (dashing 15,000 lines cost 0.4 s a frame in Chromium here; arrowheads 0.13 s)
MAX_VIEW_NODES = 2500  # the pages cap their views here (see visualisations.filters.cap)
LABEL_CHARS = 40  # longer names are cut under the node (whole in the tooltip)

# Marks drawn on top of the kind colour: (vis-network shape, legend text).
MARKS = {
    "centre": ("star", "the actor(s) this view is about"),
    "cut": ("diamond", "single point of failure (cut vertex)"),
    "path": ("dot", "on the path"),
}


def vis_assets_dir() -> Path:
    """The folder of the vis-network build that pyvis ships (``vis-network.min.js``, ``.css``)."""
    return Path(resources.files("pyvis")) / "lib" / "vis-9.1.2"


def view_script_path() -> Path:
    """Our drawing script (reads the embedded JSON, draws it, opens actor pages on click)."""
    return Path(__file__).parent / "templates" / "graph-view.js"


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    lib = vis_assets_dir()
    return (
        (lib / "vis-network.min.js").read_text(encoding="utf-8"),
        (lib / "vis-network.css").read_text(encoding="utf-8"),
        view_script_path().read_text(encoding="utf-8"),
    )


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=jinja2.select_autoescape(["html"]),
    )
    return env.get_template("network.html")


def short_label(name: str, limit: int = LABEL_CHARS) -> str:
    """The name as drawn under a node: at most ``limit`` characters, cut with "…" (the tooltip
    and the actor page keep it whole)."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def node_tooltip(actor: dict) -> str:
    """Plain-text tooltip: name, kind, place, communities (one per line)."""
    lines = [actor["name"], (actor.get("kind") or "").replace("_", " ")]
    place = ", ".join(x for x in (actor.get("city"), actor.get("country")) if x)
    if place:
        lines.append(place)
    if actor.get("tags"):
        lines.append("communities: " + ", ".join(actor["tags"]))
    return "\n".join(lines)


def tie_tooltip(tie: dict, stale: bool, stale_days: int = STALE_DAYS) -> str:
    """Plain-text tooltip: the tie's wording, strength, last contact, and staleness."""
    bits = [tie.get("label") or tie["type"]]
    bits.append(f"strength {tie['strength']} of 5" if tie.get("strength") else "strength unknown")
    bits.append(f"last contact {tie['last_contact']}" if tie.get("last_contact") else "last contact unknown")
    if stale:
        bits.append(f"stale: no contact for more than {stale_days} days")
    return "\n".join(bits)


def tie_width(strength: int | None) -> float:
    """Line width in pixels: 1.5 for unknown strength, else 0.5 + 1.2 per strength point (1.7 to 6.5)."""
    return 0.5 + 1.2 * strength if strength else 1.5


def build_network(
    actors: list[dict],
    ties: list[dict],
    *,
    sizes: dict[str, float] | None = None,
    highlight: set[str] | None = None,
    highlight_ties: set[str] | None = None,
    marks: dict[str, str] | None = None,
    stale_days: int = STALE_DAYS,
    today: dt.date | None = None,
    physics: bool | None = None,
) -> Network:
    """A pyvis ``Network``: colour by kind, size by ``sizes``, width by strength, stale ties dashed.

    ``sizes`` maps actor id -> [0, 1] (see :func:`visualisations.metrics.node_sizes`);
    ``highlight`` ids get a thick red border and ``highlight_ties`` tie ids are drawn red (a path);
    ``marks`` maps actor id -> a key of :data:`MARKS` (shape). ``physics`` defaults to on up to
    :data:`PHYSICS_LIMIT` nodes; when off, a layout is precomputed. Ties whose ends are not among
    ``actors`` are skipped. Past :data:`FAST_EDGES` ties, stale ties are drawn pale instead of
    dashed and without arrowheads (direction stays in the tooltip), so panning stays fluid.
    """
    today = today or dt.date.today()
    highlight = highlight or set()
    highlight_ties = highlight_ties or set()
    marks = marks or {}
    sizes = sizes or {}
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    ids = [a["id"] for a in actors]
    idset = set(ids)
    if physics is None:
        physics = len(actors) <= PHYSICS_LIMIT
    pos = {} if physics else layout.positions(ids, ties)
    fast = len(ties) > FAST_EDGES
    for actor in actors:
        colour = KIND_COLOURS.get(actor.get("kind"), OTHER_COLOUR)
        node = dict(
            label=short_label(actor["name"]),
            title=node_tooltip(actor),
            color={"background": colour, "border": colour},
            shape="dot",
            size=10 + 26 * sizes.get(actor["id"], 0.0),
            group=actor.get("kind") or "other",
            borderWidth=1,
        )
        mark = marks.get(actor["id"])
        if mark in MARKS:
            node["shape"] = MARKS[mark][0]
            node["borderWidth"] = 3
            node["color"] = {"background": colour, "border": HIGHLIGHT}
        if actor["id"] in highlight:
            node["borderWidth"] = 5
            node["color"] = {"background": colour, "border": HIGHLIGHT}
        if not physics:
            x, y = pos[actor["id"]]
            node.update(x=round(x, 1), y=round(y, 1), physics=False)
        if actor.get("protected"):  # a placeholder for a sensitive actor: it has no page to open
            node["protected"] = True
        # filled directly: Network.add_node/add_edge scan lists on every call (quadratic)
        node["id"] = actor["id"]
        net.nodes.append(node)
        net.node_ids.append(actor["id"])
        net.node_map[actor["id"]] = node
    for tie in ties:
        if tie["source_id"] not in idset or tie["target_id"] not in idset:
            continue
        stale = is_stale(tie, today, stale_days)
        on_path = tie.get("id") in highlight_ties
        edge = {
            "from": tie["source_id"],
            "to": tie["target_id"],
            "title": tie_tooltip(tie, stale, stale_days),
            "width": tie_width(tie.get("strength")) + (2 if on_path else 0),
            "dashes": stale and not fast,
            "arrows": "to" if tie.get("directed", True) and not fast else "",
            "color": HIGHLIGHT if on_path else (STALE_PALE if stale and fast else EDGE_COLOUR),
        }
        if tie.get("id"):
            edge["id"] = tie["id"]
        net.edges.append(edge)
    options = {
        "physics": {
            "enabled": physics,
            "stabilization": {"iterations": 150, "fit": True},
            "barnesHut": {"springLength": 110, "gravitationalConstant": -3000, "avoidOverlap": 0.1},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "keyboard": {"enabled": True, "bindToWindow": False},
                        "hideEdgesOnDrag": fast, "hideEdgesOnZoom": fast},
        "nodes": {"font": {"size": 16, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "color": {"inherit": False}},
    }
    net.set_options(json.dumps(options))
    return net


def _marks_drawn(net: Network) -> set[str]:
    shapes = {n.get("shape") for n in net.nodes}
    return {m for m, (shape, _) in MARKS.items() if shape in shapes and shape != "dot"}


def legend(net: Network, marks_used: set[str] | None = None, highlight_label: str = "") -> dict:
    """``{"kinds": [(label, colour)], "marks": [(shape, text)], "stale": "dashed" | "pale",
    "highlight": text}`` for the kinds present in ``net``; ``highlight`` names the red-ringed actors."""
    kinds = sorted({n.get("group") for n in net.nodes if n.get("group")})
    return {
        "kinds": [(k.replace("_", " "), KIND_COLOURS.get(k, OTHER_COLOUR)) for k in kinds],
        "marks": [MARKS[m] for m in sorted(marks_used if marks_used is not None else _marks_drawn(net))
                  if m in MARKS and m != "path"],
        "stale": "pale" if len(net.edges) > FAST_EDGES else "dashed",
        "highlight": highlight_label,
    }


def view_data(net: Network, *, note: str = "", link_base: str | None = None, marks_used: set[str] | None = None,
              highlight_label: str = "") -> dict:
    """The view as a JSON-able dict for a page to embed: ``{nodes, edges, options, legend,
    node_count, edge_count, note, link_base, no_page}``. A page shows ``note`` (e.g. a cut
    message); clicking a node opens ``link_base + id`` when ``link_base`` is given, except for the
    ids in ``no_page`` (placeholders of sensitive actors).
    """
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "legend": legend(net, marks_used, highlight_label),
        "node_count": len(nodes),
        "edge_count": len(edges),
        "note": note,
        "link_base": link_base,
        "no_page": [n["id"] for n in nodes if n.get("protected")],
    }


def render_html(net: Network, *, title: str, note: str = "", link_base: str | None = None, marks_used: set[str] | None = None) -> str:
    """The view as one HTML document with vis-network's JS and CSS inlined: works offline.

    ``link_base`` (e.g. ``"/actors/"``): clicking a node opens ``link_base + id``.
    """
    data = view_data(net, note=note, link_base=link_base, marks_used=marks_used)
    vis_js, vis_css, view_js = _assets()
    return _template().render(
        title=title,
        data=data,
        vis_js=Markup(vis_js.replace("</script", "<\\/script")),
        vis_css=Markup(vis_css.replace("</style", "<\\/style")),
        view_js=Markup(view_js.replace("</script", "<\\/script")),
    )


def write_view(path: str | Path, actors: list[dict], ties: list[dict], *, title: str, note: str = "", **kwargs) -> Path:
    """Build and write a standalone view to ``path`` (see :func:`build_network`); returns the path."""
    net = build_network(actors, ties, **kwargs)
    out = Path(path)
    out.write_text(render_html(net, title=title, note=note), encoding="utf-8")
    return out
