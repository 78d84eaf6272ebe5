"""Interactive network views as one self-contained HTML file (vis-network via pyvis, no CDN).

pyvis's node and edge lists are filled directly (its ``from_nx`` is quadratic), and the page is
rendered from our own autoescaping template: pyvis's stock template still fetches CSS and
Bootstrap from CDNs and writes labels into a script unescaped. Labels and tooltips are plain text
(vis-network renders string titles as text), and the data is embedded with Jinja's ``tojson``,
which escapes ``<``, ``>``, ``&`` and quotes.
"""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
import networkx as nx
from pyvis.network import Network

KIND_COLOURS = {
    "city": "#1d3557",
    "agency": "#457b9d",
    "ngo": "#2a9d8f",
    "community_actor": "#e76f51",
    "network": "#8d5fd3",
    "funder": "#e9c46a",
    "person": "#f4a261",
    "event": "#adb5bd",
    "initiative": "#6c757d",
}
PHYSICS_LIMIT = 300  # past this many nodes, positions are precomputed and physics is off
STALE_DAYS = 180


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    lib = Path(resources.files("pyvis")) / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=jinja2.select_autoescape(["html"]),
    )
    return env.get_template("network.html")


def _tooltip(actor: dict) -> str:
    lines = [actor["name"], actor["kind"].replace("_", " ")]
    place = ", ".join(x for x in (actor.get("city"), actor.get("country")) if x)
    if place:
        lines.append(place)
    if actor.get("tags"):
        lines.append("communities: " + ", ".join(actor["tags"]))
    return "\n".join(lines)


def _is_stale(tie: dict, today: dt.date, stale_days: int) -> bool:
    last = tie.get("last_contact")
    if not last:
        return False
    try:
        return (today - dt.date.fromisoformat(last)).days > stale_days
    except ValueError:
        return False


def build_network(
    actors: list[dict],
    ties: list[dict],
    *,
    sizes: dict[str, float] | None = None,
    highlight: set[str] | None = None,
    stale_days: int = STALE_DAYS,
    today: dt.date | None = None,
) -> Network:
    """A pyvis ``Network`` of the actors and ties: colour by kind, width by strength, stale ties dashed.

    ``sizes`` maps actor id -> a metric in [0, 1] used for node size; ``highlight`` marks ids drawn
    with a thick border. Past :data:`PHYSICS_LIMIT` nodes a NetworkX spring layout is precomputed
    and physics is off, so the browser does not spend minutes settling.
    """
    today = today or dt.date.today()
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    ids = {a["id"] for a in actors}
    positions = {}
    big = len(actors) > PHYSICS_LIMIT
    if big:
        g = nx.Graph()
        g.add_nodes_from(ids)
        g.add_edges_from((t["source_id"], t["target_id"]) for t in ties if t["source_id"] in ids and t["target_id"] in ids)
        positions = nx.spring_layout(g, seed=7, iterations=30, scale=max(400.0, 25.0 * len(actors) ** 0.5))
    for actor in actors:
        size = 12 + 28 * (sizes or {}).get(actor["id"], 0.0)
        node = dict(
            label=actor["name"],
            title=_tooltip(actor),
            color=KIND_COLOURS.get(actor["kind"], "#999999"),
            shape="dot",
            size=size,
            group=actor["kind"],
        )
        if highlight and actor["id"] in highlight:
            node.update(borderWidth=5, color={"background": node["color"], "border": "#d00000"})
        if big:
            x, y = positions[actor["id"]]
            node.update(x=float(x), y=float(y), physics=False)
        net.add_node(actor["id"], **node)
    for tie in ties:
        if tie["source_id"] not in ids or tie["target_id"] not in ids:
            continue
        strength = tie.get("strength") or 1
        label = tie.get("label") or tie["type"]
        bits = [label]
        if tie.get("strength"):
            bits.append(f"strength {tie['strength']}")
        if tie.get("last_contact"):
            bits.append(f"last contact {tie['last_contact']}")
        net.add_edge(
            tie["source_id"],
            tie["target_id"],
            title="\n".join(bits),
            width=0.5 + 1.2 * strength,
            dashes=_is_stale(tie, today, stale_days),
            arrows="to" if tie.get("directed", True) else "",
            color="#6c757d",
        )
    net.set_options(
        """{"physics": {"enabled": %s, "stabilization": {"iterations": 200}, "barnesHut": {"springLength": 140}},
            "interaction": {"hover": true, "tooltipDelay": 150, "navigationButtons": false, "keyboard": true},
            "nodes": {"font": {"size": 13}}, "edges": {"smooth": false}}"""
        % ("false" if big else "true")
    )
    return net


def render_html(net: Network, *, title: str, note: str = "", link_base: str | None = None) -> str:
    """The view as one HTML document with vis-network's JS and CSS inlined: works offline.

    ``link_base`` (e.g. ``"/actors/"``): double-clicking a node opens ``link_base + id``.
    """
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    vis_js, vis_css = _assets()
    kinds = sorted({n.get("group") for n in nodes if n.get("group")})

    return _template().render(
        title=title,
        note=note,
        nodes=nodes,
        edges=edges,
        options=json.loads(options),
        vis_js=jinja2.utils.markupsafe.Markup(vis_js.replace("</script", "<\\/script")),
        vis_css=jinja2.utils.markupsafe.Markup(vis_css.replace("</style", "<\\/style")),
        legend=[(k.replace("_", " "), KIND_COLOURS.get(k, "#999999")) for k in kinds],
        node_count=len(nodes),
        edge_count=len(edges),
        link_base=link_base,
    )


def write_view(path: str | Path, actors: list[dict], ties: list[dict], *, title: str, note: str = "", **kwargs) -> Path:
    """Build and write a view to ``path``; returns the path."""
    net = build_network(actors, ties, **kwargs)
    out = Path(path)
    out.write_text(render_html(net, title=title, note=note), encoding="utf-8")
    return out
