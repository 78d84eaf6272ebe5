"""Independent paths (node connectivity) from the coordinator to each group, against NetworkX."""
import random

import networkx as nx
import pytest
from networkx.algorithms.connectivity import local_node_connectivity

from graph_service.analytics.redundancy import redundancy

from .helpers import actor, build, tie


def test_hand_counted_paths():
    p = build([actor("c", tags=["own"]), actor("a"), actor("b"), actor("m1", tags=["two"]), actor("m2", tags=["two"]),
               actor("k"), actor("x", tags=["one"]), actor("z", tags=["none"])],
              [tie("ca", "c", "a"), tie("cb", "c", "b"), tie("a1", "a", "m1"), tie("b2", "b", "m2"), tie("ck", "c", "k"),
               tie("kx", "k", "x")])
    r = redundancy(p, "c", groups="communities")
    assert [(f["group"]["key"], f["independent_paths"]) for f in r["findings"]] == [
        ("community:none", 0), ("community:one", 1), ("community:two", 2), ("community:own", None)]
    assert r["findings"][1]["explanation"] == "Only 1 independent path joins C to the one community: one actor's loss cuts it off."


@pytest.mark.parametrize("seed", [1, 2])
def test_agrees_with_networkx_node_connectivity(seed):
    rng = random.Random(seed)
    g = nx.gnm_random_graph(50, 120, seed=seed)
    p = build([actor(f"n{i}", tags=[f"g{rng.randrange(6)}"]) for i in range(50)],
              [tie(f"t{i}", f"n{u}", f"n{v}") for i, (u, v) in enumerate(g.edges())])
    got = {f["group"]["key"]: f["independent_paths"] for f in redundancy(p, "n0")["findings"]}
    for grp in p.groups():
        if p.index["n0"] in grp["members"]:
            continue
        d = nx.DiGraph(p.graph)
        d.add_edges_from((p.ids[m], "SINK") for m in grp["members"])
        assert got[grp["key"]] == local_node_connectivity(d, "n0", "SINK"), grp["key"]
