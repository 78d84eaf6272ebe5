"""Node metrics that size the nodes of a view: degree and betweenness centrality.

Both are computed on the simple undirected graph of the view (ties usable either way, parallel
ties between a pair counted once), the same reading of reachability as who-knows-whom.
Betweenness is Brandes' algorithm (U. Brandes, "A faster algorithm for betweenness centrality",
J. Math. Sociol. 25(2), 2001) as python-igraph implements it in C; :func:`betweenness` returns
the same values as ``networkx.betweenness_centrality(G, normalized=True)`` (checked in tests),
some 100 times faster.
"""
from __future__ import annotations

import igraph as ig
import networkx as nx

SIZE_METRICS = ("degree", "betweenness")


def simple_graph(actor_ids: list[str], ties: list[dict]) -> nx.Graph:
    """The undirected simple NetworkX graph of the view (self-loops and ties to absent actors dropped)."""
    ids = set(actor_ids)
    g = nx.Graph()
    g.add_nodes_from(actor_ids)
    g.add_edges_from(
        (t["source_id"], t["target_id"])
        for t in ties
        if t["source_id"] in ids and t["target_id"] in ids and t["source_id"] != t["target_id"]
    )
    return g


def to_igraph(actor_ids: list[str], ties: list[dict]) -> ig.Graph:
    """The same simple undirected graph as :func:`simple_graph`, as an igraph ``Graph`` whose
    vertex ``i`` is ``actor_ids[i]``."""
    index = {a: i for i, a in enumerate(actor_ids)}
    pairs = {
        (min(index[t["source_id"]], index[t["target_id"]]), max(index[t["source_id"]], index[t["target_id"]]))
        for t in ties
        if t["source_id"] in index and t["target_id"] in index and t["source_id"] != t["target_id"]
    }
    return ig.Graph(n=len(actor_ids), edges=sorted(pairs))


def degree(actor_ids: list[str], ties: list[dict]) -> dict[str, float]:
    """Degree centrality: distinct neighbours / (n - 1), as ``networkx.degree_centrality``."""
    g = simple_graph(actor_ids, ties)
    return nx.degree_centrality(g) if len(g) > 1 else {a: 0.0 for a in actor_ids}


def betweenness(actor_ids: list[str], ties: list[dict]) -> dict[str, float]:
    """Normalised betweenness centrality (share of shortest paths through each actor), exact.

    Equals ``networkx.betweenness_centrality(simple_graph(...), normalized=True)``; computed by
    igraph (about 2.7 s for 5,000 actors / 15,000 ties on a 2-core machine).
    """
    n = len(actor_ids)
    if n < 3:
        return {a: 0.0 for a in actor_ids}
    raw = to_igraph(actor_ids, ties).betweenness(directed=False)
    scale = 2.0 / ((n - 1) * (n - 2))
    return {a: raw[i] * scale for i, a in enumerate(actor_ids)}


def node_sizes(actor_ids: list[str], ties: list[dict], metric: str = "degree") -> dict[str, float]:
    """``{actor id: size in [0, 1]}``: the metric divided by its maximum in the view.

    ``metric`` is one of :data:`SIZE_METRICS`; raises ValueError otherwise.
    """
    if metric not in SIZE_METRICS:
        raise ValueError(f"metric must be one of {', '.join(SIZE_METRICS)}")
    values = degree(actor_ids, ties) if metric == "degree" else betweenness(actor_ids, ties)
    top = max(values.values(), default=0.0)
    return {a: (v / top if top else 0.0) for a, v in values.items()}
