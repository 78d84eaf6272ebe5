"""The interactive view's data and the standalone HTML: encoding, escaping, large-graph settings."""
from __future__ import annotations

import datetime as dt
import json
import re

from visualisations.network import PHYSICS_LIMIT, build_network, render_html, view_data

TODAY = dt.date(2026, 6, 1)
EVIL = "<img src=x onerror=alert(1)>"
ACTORS = [
    {"id": "a", "name": EVIL, "kind": "community_actor", "tags": ["youth"], "city": "Munich", "country": "Germany"},
    {"id": "b", "name": "</script><script>alert(2)</script>", "kind": "ngo", "tags": [], "city": ""},
    {"id": "c", "name": "Plain", "kind": "mystery", "tags": [], "city": ""},
]
TIES = [
    {"id": "t1", "source_id": "a", "target_id": "b", "type": "knows", "label": "knows <b>", "strength": 5, "last_contact": "2026-05-01", "directed": False},
    {"id": "t2", "source_id": "b", "target_id": "c", "type": "funds", "label": "funds", "strength": None, "last_contact": "2025-01-01", "directed": True},
    {"id": "t3", "source_id": "c", "target_id": "gone", "type": "knows", "label": "knows", "strength": 1},
]


def test_nodes_and_edges_carry_kind_colour_size_width_and_staleness():
    net = build_network(ACTORS, TIES, sizes={"a": 1.0}, highlight_ties={"t1"}, marks={"c": "cut"}, today=TODAY)
    data = view_data(net, note="cut", link_base="/actors/")
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["a"]["color"] == {"background": "#e76f51", "border": "#e76f51"} and nodes["a"]["size"] == 36
    assert nodes["b"]["size"] == 10 and nodes["c"]["shape"] == "diamond" and nodes["c"]["color"]["background"] == "#999999"
    assert nodes["a"]["title"] == EVIL + "\ncommunity actor\nMunich, Germany\ncommunities: youth"
    edges = {e["id"]: e for e in data["edges"]}
    assert set(edges) == {"t1", "t2"}  # the tie to an actor outside the view is left out
    assert edges["t1"]["width"] == 0.5 + 1.2 * 5 + 2 and edges["t1"]["color"] == "#d00000" and edges["t1"]["arrows"] == ""
    assert edges["t2"]["dashes"] is True and edges["t2"]["width"] == 1.5 and edges["t2"]["arrows"] == "to"
    assert edges["t2"]["title"] == "funds\nstrength unknown\nlast contact 2025-01-01\nstale: no contact for more than 180 days"
    assert data["legend"]["kinds"] == [("community actor", "#e76f51"), ("mystery", "#999999"), ("ngo", "#2a9d8f")]
    assert data["node_count"] == 3 and data["edge_count"] == 2 and data["note"] == "cut" and data["link_base"] == "/actors/"
    assert data["legend"]["stale"] == "dashed" and data["legend"]["marks"] == [("diamond", "single point of failure (cut vertex)")]
    assert data["options"]["physics"]["enabled"] is True


def test_large_views_get_positions_and_no_physics():
    actors = [{"id": f"n{i}", "name": f"N{i}", "kind": "ngo"} for i in range(PHYSICS_LIMIT + 1)]
    ties = [{"id": f"t{i}", "source_id": f"n{i}", "target_id": f"n{i + 1}", "type": "knows"} for i in range(PHYSICS_LIMIT)]
    data = view_data(build_network(actors, ties))
    assert data["options"]["physics"]["enabled"] is False
    assert all(n["physics"] is False and "x" in n and "y" in n for n in data["nodes"])


def test_standalone_html_is_offline_and_escapes_every_name():
    html = render_html(build_network(ACTORS, TIES, today=TODAY), title="Map <of> things", note="a <note>")
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", html)  # nothing from a CDN
    assert "new vis.Network" in html and "<title>Map &lt;of&gt; things</title>" in html and "a &lt;note&gt;" in html
    assert EVIL not in html and "</script><script>alert(2)" not in html
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S).group(1))
    assert [n["label"] for n in data["nodes"]] == [EVIL, "</script><script>alert(2)</script>", "Plain"]


def test_long_names_are_cut_under_the_node_but_whole_in_the_tooltip():
    name = "Mayoral Roundtable on Fighting Polarisation and Fortifying Democracy in Cities"
    node = view_data(build_network([{"id": "r", "name": name, "kind": "event"}], []))["nodes"][0]
    assert node["label"] == "Mayoral Roundtable on Fighting Polarisa…" and len(node["label"]) == 40
    assert node["title"].startswith(name + "\n")
