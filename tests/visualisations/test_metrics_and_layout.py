"""Node sizes (degree, betweenness) and precomputed positions."""
from __future__ import annotations

import math

import networkx as nx
import pytest

from visualisations import layout, metrics

# a path a-b-c-d plus a pendant e on b, with a parallel tie a-b and a self-loop on d
IDS = ["a", "b", "c", "d", "e"]
TIES = [
    {"source_id": "a", "target_id": "b"},
    {"source_id": "b", "target_id": "a"},
    {"source_id": "b", "target_id": "c"},
    {"source_id": "c", "target_id": "d"},
    {"source_id": "b", "target_id": "e"},
    {"source_id": "d", "target_id": "d"},
    {"source_id": "d", "target_id": "zz"},  # an end outside the view
]


def test_betweenness_matches_networkx_on_the_simple_undirected_graph():
    ours = metrics.betweenness(IDS, TIES)
    ref = nx.betweenness_centrality(metrics.simple_graph(IDS, TIES), normalized=True)
    assert ours == pytest.approx(ref)
    assert ours["b"] == pytest.approx(5 / 6)  # 5 of the 6 pairs not involving b pass through it


def test_betweenness_matches_networkx_on_a_random_graph():
    g = nx.gnm_random_graph(60, 150, seed=3)
    ids = [str(n) for n in g.nodes]
    ties = [{"source_id": str(u), "target_id": str(v)} for u, v in g.edges]
    ref = nx.betweenness_centrality(metrics.simple_graph(ids, ties))
    assert metrics.betweenness(ids, ties) == pytest.approx(ref)


def test_sizes_are_scaled_to_the_largest_value():
    assert metrics.node_sizes(IDS, TIES, "degree") == pytest.approx({"a": 1 / 3, "b": 1.0, "c": 2 / 3, "d": 1 / 3, "e": 1 / 3})
    assert metrics.node_sizes(["x"], [], "betweenness") == {"x": 0.0}
    with pytest.raises(ValueError):
        metrics.node_sizes(IDS, TIES, "pagerank")


def test_positions_are_deterministic_centred_and_spread_by_size():
    g = nx.barabasi_albert_graph(400, 2, seed=1)
    ids = [f"n{n}" for n in g.nodes]
    ties = [{"source_id": f"n{u}", "target_id": f"n{v}"} for u, v in g.edges]
    pos = layout.positions(ids, ties)
    assert pos == layout.positions(ids, ties)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    extent = max(max(xs) - min(xs), max(ys) - min(ys))
    assert extent == pytest.approx(60 * math.sqrt(400))
    assert max(xs) + min(xs) == pytest.approx(0, abs=1e-6) and max(ys) + min(ys) == pytest.approx(0, abs=1e-6)
    assert layout.positions([], []) == {} and layout.positions(["a"], []) == {"a": (0.0, 0.0)}
