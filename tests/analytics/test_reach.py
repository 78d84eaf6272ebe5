"""Who do we know (hop-limited warm reach), mutual connections and filtered ego networks."""
import random

import networkx as nx
import pytest

from graph_service.analytics.reach import ego_network, mutual_connections, who_do_we_know
from graph_service.errors import ValidationError

from .helpers import actor, build, tie

#  c -5- a -5- b -5- t      3 ties, cost 3
#  c -1- x -1- t            2 ties, cost 10
LADDER = build(
    [actor("c", "agency"), actor("a"), actor("b", city="Springfield"), actor("t", tags=["youth"], city="Springfield"),
     actor("x", "agency", tags=["youth"])],
    [tie("ca", "c", "a", 5), tie("ab", "a", "b", 5), tie("bt", "b", "t", 5), tie("cx", "c", "x", 1), tie("xt", "x", "t", 1)],
)


def test_within_two_hops_the_only_route_counts_even_if_a_longer_one_is_warmer():
    r = who_do_we_know(LADDER, "c", hops=2, tag="youth")
    assert [(x["actor"]["id"], x["cost"], x["hops"]) for x in r["results"]] == [("x", 5.0, 1), ("t", 10.0, 2)]
    assert [s["id"] for s in r["results"][1]["path"]] == ["c", "x", "t"]
    assert r["results"][1]["explanation"] == "C reaches T through X in 2 ties (cost 10, weakest tie strength 1)."


def test_within_three_hops_the_warmer_long_route_wins():
    r = who_do_we_know(LADDER, "c", hops=3, city="springfield")
    assert [(x["actor"]["id"], x["cost"], x["hops"], x["via"]["id"]) for x in r["results"]] == [("b", 2.0, 2, "a"), ("t", 3.0, 3, "a")]


def test_kind_filter_and_total():
    r = who_do_we_know(LADDER, "c", hops=3, kind="agency")
    assert r["total"] == 1 and r["results"][0]["actor"]["id"] == "x"


def test_directed_reach_follows_tie_direction():
    p = build(["a", "b", "c"], [tie("ab", "a", "b", directed=True), tie("cb", "c", "b", directed=True)])
    assert [x["actor"]["id"] for x in who_do_we_know(p, "b", hops=2)["results"]] == ["a", "c"]
    assert who_do_we_know(p, "b", hops=2, directed=True)["results"] == []


def test_hops_out_of_range_is_refused():
    with pytest.raises(ValidationError):
        who_do_we_know(LADDER, "c", hops=0)


def test_hop_limited_costs_agree_with_brute_force_over_simple_paths():
    rng = random.Random(3)
    g = nx.gnm_random_graph(40, 80, seed=3)
    p = build([f"n{i}" for i in range(40)], [tie(f"t{i}", f"n{u}", f"n{v}", rng.randint(1, 5)) for i, (u, v) in enumerate(g.edges())])
    for hops in (1, 2, 3):
        got = {x["actor"]["id"]: x["cost"] for x in who_do_we_know(p, "n0", hops=hops, limit=1000)["results"]}
        want = {}
        for target in p.graph:
            if target == "n0":
                continue
            costs = [nx.path_weight(p.graph, path, "cost") for path in nx.all_simple_paths(p.graph, "n0", target, cutoff=hops)]
            if costs:
                want[target] = round(min(costs), 4)
        assert got == want


def test_mutual_connections_strongest_first_with_the_direct_tie():
    p = build(["a", "b", "m1", "m2", "other"], [
        tie("ab", "a", "b", 3), tie("a1", "a", "m1", 5), tie("b1", "b", "m1", 5), tie("a2", "a", "m2", 5),
        tie("b2", "m2", "b", 2, directed=True), tie("ao", "a", "other", 5),
    ])
    r = mutual_connections(p, "a", "b")
    assert [(x["actor"]["id"], x["weakest_strength"]) for x in r["results"]] == [("m1", 5), ("m2", 2)]
    assert r["direct"]["id"] == "ab" and r["total"] == 2


def test_ego_network_walks_only_ties_that_pass_the_filters():
    p = build([actor("c"), actor("a", "agency"), actor("b"), actor("d")], [
        tie("ca", "c", "a", 5), tie("cb", "c", "b", 2), tie("ad", "a", "d", 5), tie("bd", "b", "d", 2, type="funds"),
    ])
    r = ego_network(p, "c", depth=2, min_strength=4)
    assert [(x["id"], x["hops"]) for x in r["actors"]] == [("c", 0), ("a", 1), ("d", 2)]
    assert [t["id"] for t in r["ties"]] == ["ad", "ca"]
    r = ego_network(p, "c", depth=2, kind="agency")
    assert [x["id"] for x in r["actors"]] == ["c", "a"]
    r = ego_network(p, "c", depth=1, types=["funds"])
    assert [x["id"] for x in r["actors"]] == ["c"]
