"""Warm paths: cheapest chains by strength and freshness, and the next-best distinct ones."""
import random

import networkx as nx
import pytest

from graph_service.analytics.warm_paths import bidirectional_dijkstra, warm_paths
from graph_service.errors import NotFound, ValidationError

from .helpers import TODAY, build, tie

#   a -5- b -5- d      costs 1 + 1
#   a -3- e -3- d      5/3 + 5/3
#   a -2- c -2- d      2.5 + 2.5
#   b -5- e            lets Yen find a-b-e-d (1 + 1 + 5/3)
DIAMOND = build(["a", "b", "c", "d", "e"], [
    tie("ab", "a", "b", 5), tie("bd", "b", "d", 5), tie("ae", "a", "e", 3), tie("ed", "e", "d", 3),
    tie("ac", "a", "c", 2), tie("cd", "c", "d", 2), tie("be", "b", "e", 5),
])


def ids(result):
    return [[s["actor"]["id"] for s in p["steps"]] for p in result["paths"]]


def test_best_path_and_disjoint_alternatives_in_order_of_cost():
    r = warm_paths(DIAMOND, "a", "d", k=2)
    assert ids(r) == [["a", "b", "d"], ["a", "e", "d"], ["a", "c", "d"]]
    assert [p["cost"] for p in r["paths"]] == [2.0, 3.3333, 5.0]
    assert r["paths"][0]["steps"][1]["tie"]["id"] == "ab"
    assert r["paths"][0]["weakest_strength"] == 5 and r["paths"][2]["weakest_strength"] == 2
    assert r["paths"][1]["explanation"].startswith("Alternative 1 (avoiding B): A -> E -> D (2 ties, cost 3.3333)")


def test_yen_mode_gives_the_k_shortest_loopless_paths():
    r = warm_paths(DIAMOND, "a", "d", k=2, mode="yen")
    assert ids(r) == [["a", "b", "d"], ["a", "e", "d"], ["a", "b", "e", "d"]]
    assert [p["cost"] for p in r["paths"]] == [2.0, 3.3333, 3.6667]


def test_stale_ties_cost_more_than_fresh_ones():
    p = build(["a", "b", "c", "d"], [tie("ab", "a", "b", 5, "2023-01-01"), tie("bd", "b", "d", 5, "2023-01-01"),
                                     tie("ac", "a", "c", 4), tie("cd", "c", "d", 4)])
    assert ids(warm_paths(p, "a", "d", k=0)) == [["a", "c", "d"]]


def test_parallel_ties_between_one_pair_use_the_strongest():
    p = build(["a", "b"], [tie("weak", "a", "b", 1), tie("strong", "a", "b", 5)])
    r = warm_paths(p, "a", "b", k=1)
    assert len(r["paths"]) == 1  # no alternative avoids the direct relationship
    step = r["paths"][0]["steps"][1]
    assert step["tie"]["id"] == "strong" and step["parallel_ties"] == 2


def test_a_direct_tie_is_skipped_by_the_alternative():
    p = build(["a", "b", "c"], [tie("ab", "a", "b", 5), tie("ac", "a", "c", 5), tie("cb", "c", "b", 5)])
    assert ids(warm_paths(p, "a", "b", k=2)) == [["a", "b"], ["a", "c", "b"]]


def test_directed_ties_are_usable_either_way_unless_asked():
    p = build(["a", "b", "c"], [tie("ab", "a", "b", 5, directed=True), tie("bc", "b", "c", 5, directed=True)])
    assert ids(warm_paths(p, "c", "a", k=0)) == [["c", "b", "a"]]
    r = warm_paths(p, "c", "a", k=0, directed=True)
    assert not r["found"] and r["paths"] == []
    assert ids(warm_paths(p, "a", "c", k=0, directed=True)) == [["a", "b", "c"]]
    assert ids(warm_paths(p, "c", "a", k=0, directed=True, mode="yen")) == []


def test_disconnected_and_isolated_actors_have_no_path():
    p = build(["a", "b", "c", "lonely"], [tie("ab", "a", "b")])
    assert warm_paths(p, "a", "lonely")["found"] is False
    assert warm_paths(p, "a", "c", mode="yen")["paths"] == []


def test_bad_requests_are_refused():
    with pytest.raises(ValidationError):
        warm_paths(DIAMOND, "a", "a")
    with pytest.raises(ValidationError):
        warm_paths(DIAMOND, "a", "d", mode="fastest")
    with pytest.raises(NotFound):
        warm_paths(DIAMOND, "a", "nobody")


@pytest.mark.parametrize("directed", [False, True])
def test_fast_search_agrees_with_networkx_dijkstra(directed):
    rng = random.Random(7)
    g = nx.gnm_random_graph(120, 300, seed=7, directed=directed)
    ties = [tie(f"t{i}", f"n{u}", f"n{v}", rng.choice([None, 1, 2, 3, 4, 5]),
                rng.choice([None, "2025-06-01", "2024-01-01", TODAY.isoformat()]), directed=directed)
            for i, (u, v) in enumerate(g.edges())]
    p = build([f"n{i}" for i in range(120)], ties)
    ref = p.digraph if directed else p.graph
    out_nbr, out_wt, in_nbr, in_wt, _ = p.directed_adjacency() if directed else (p.nbr, p.wt, p.nbr, p.wt, None)
    for _ in range(200):
        s, t = rng.randrange(120), rng.randrange(120)
        got = bidirectional_dijkstra(out_nbr, out_wt, in_nbr, in_wt, s, t)
        try:
            want = nx.dijkstra_path_length(ref, p.ids[s], p.ids[t], weight="cost")
        except nx.NetworkXNoPath:
            assert got is None
            continue
        assert got[0] == pytest.approx(want)
        assert sum(p.graph[p.ids[a]][p.ids[b]]["cost"] if not directed else ref[p.ids[a]][p.ids[b]]["cost"]
                   for a, b in zip(got[1], got[1][1:])) == pytest.approx(want)
