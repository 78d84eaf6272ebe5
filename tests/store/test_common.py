"""The bidirectional path search gives exactly the path a full BFS would choose."""
import random

import networkx as nx
import pytest

from graph_service.store.common import bidirectional_shortest_path


def neighbours_of(graph):
    return lambda ids: [(u, w) for u in ids for w in graph.neighbors(u)]


@pytest.mark.parametrize("seed", range(40))
def test_matches_the_smallest_of_all_shortest_paths_on_random_graphs(seed):
    rng = random.Random(seed)
    n = rng.randint(5, 60)
    graph = nx.gnm_random_graph(n, rng.randint(n - 1, 3 * n), seed=seed)
    graph = nx.relabel_nodes(graph, {i: f"n{rng.randrange(10**6):06d}-{i}" for i in graph})
    nodes = sorted(graph)
    for _ in range(10):
        s, t = rng.choice(nodes), rng.choice(nodes)
        got = bidirectional_shortest_path(neighbours_of(graph), s, t, max_depth=50)
        if not nx.has_path(graph, s, t):
            assert got is None
            continue
        assert got == min(nx.all_shortest_paths(graph, s, t))


def test_respects_max_depth():
    graph = nx.path_graph(["a", "b", "c", "d", "e"])
    assert bidirectional_shortest_path(neighbours_of(graph), "a", "e", max_depth=4) == ["a", "b", "c", "d", "e"]
    assert bidirectional_shortest_path(neighbours_of(graph), "a", "e", max_depth=3) is None
