"""Components, Louvain groups with the ties between them, agencies with no tie path."""
import networkx as nx
import pytest

from graph_service.analytics.silos import louvain, silo_report

from .helpers import actor, build, tie


def _two_cliques():
    left = [actor(f"l{i}", "agency", tags=["youth"], city="Aville") for i in range(5)]
    right = [actor(f"r{i}", "ngo", tags=["faith"], city="Aville") for i in range(5)]
    apart = [actor("island1", "agency", city="Aville"), actor("island2"), actor("lonely", "agency", city="Btown")]
    ties = [tie(f"l{i}{j}", f"l{i}", f"l{j}") for i in range(5) for j in range(i + 1, 5)]
    ties += [tie(f"r{i}{j}", f"r{i}", f"r{j}") for i in range(5) for j in range(i + 1, 5)]
    ties += [tie("bridge", "l0", "r0", 2), tie("isl", "island1", "island2", 3)]
    return build(left + right + apart, ties)


def test_components_groups_and_unlinked_agencies():
    p = _two_cliques()
    r = silo_report(p)
    assert r["components"]["total"] == 3 and r["components"]["sizes"] == [10, 2, 1]
    assert [a["id"] for a in r["components"]["isolated"]["sample"]] == ["lonely"]
    sizes = sorted(g["size"] for g in r["groups"]["items"])
    assert sizes == [2, 5, 5]
    island = [g for g in r["groups"]["items"] if g["size"] == 2][0]
    assert island["external_ties"] == 0 and island["explanation"].endswith("has no tie to any other group: a silo.")
    clique = [g for g in r["groups"]["items"] if g["label"].startswith("mostly youth")][0]
    assert (clique["internal_ties"], clique["external_ties"], clique["strong_external_ties"]) == (10, 1, 0)
    assert "only by 1 weak tie" in clique["explanation"]
    assert [h["id"] for h in clique["hubs"]] == ["l0", "l1", "l2", "l3", "l4"]  # l0 has the extra tie
    assert [(u["city"], len(u["parts"])) for u in r["unlinked"]] == [("Aville", 2)]
    assert r["unlinked"][0]["explanation"] == ("In Aville, 6 agency actors sit in 2 parts of the network with no chain of "
                                               "ties between them: {L0, L1, L2, L3, L4} and {ISLAND1}.")


def test_louvain_agrees_with_networkx_on_clear_groups():
    p = _two_cliques()
    ours = {frozenset(p.ids[v] for v in grp) for grp in louvain(p)}
    g = p.graph.subgraph([n for n in p.graph if p.graph.degree(n)])
    ref = {frozenset(c) for c in nx.community.louvain_communities(g, weight="weight", seed=1)}
    assert ours == ref
    assert silo_report(p)["groups"]["modularity"] == pytest.approx(nx.community.modularity(g, ref, weight="weight"), abs=1e-4)


def test_louvain_is_repeatable_with_a_seed():
    g = nx.planted_partition_graph(4, 10, 0.6, 0.05, seed=3)
    p = build([f"n{i}" for i in g], [tie(f"t{i}", f"n{u}", f"n{v}") for i, (u, v) in enumerate(g.edges())])
    a = louvain(p, seed=4)
    p2 = build([f"n{i}" for i in g], [tie(f"t{i}", f"n{u}", f"n{v}") for i, (u, v) in enumerate(g.edges())])
    assert louvain(p2, seed=4) == a
    ref = nx.community.louvain_communities(p.graph, weight="weight", seed=4)
    assert nx.community.modularity(p.graph, [{p.ids[v] for v in grp} for grp in a]) == pytest.approx(
        nx.community.modularity(p.graph, ref), abs=0.02)
