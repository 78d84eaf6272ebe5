"""Coverage gaps with their reasons, single points of failure, what-if removal."""
import random

import networkx as nx
import pytest

from graph_service.analytics.gaps import coverage, single_points_of_failure, what_if
from graph_service.errors import ValidationError

from .helpers import actor, build, tie

#  hub -5- x(covered)             hub -5- p -5- y(fragile)       hub -5- q -5- y2(twopaths), p -5- y2
#  hub -5 (2024)- z(stale)        hub -2- w(weak)                hub -1- f1 -1- f2 -1- f3 -1- f(far)
#  v(none, Gotham) has no tie     hub is in Springfield
MAP = build(
    [actor("hub", "agency", city="Springfield"), actor("x", tags=["covered"]), actor("p"), actor("y", tags=["fragile"]),
     actor("q"), actor("y2", tags=["twopaths"]), actor("z", tags=["stale"]), actor("w", tags=["weak"]),
     actor("f1"), actor("f2"), actor("f3"), actor("f", tags=["far"]), actor("v", tags=["none"], city="Gotham")],
    [tie("hx", "hub", "x"), tie("hp", "hub", "p"), tie("py", "p", "y"), tie("hq", "hub", "q"), tie("qy2", "q", "y2"),
     tie("py2", "p", "y2"), tie("hz", "hub", "z", 5, "2024-01-01"), tie("hw", "hub", "w", 2),
     tie("hf1", "hub", "f1", 1), tie("f12", "f1", "f2", 1), tie("f23", "f2", "f3", 1), tie("f3f", "f3", "f", 1)],
)


def summary(result):
    return [(f["group"]["key"], f["status"], f["reason"]) for f in result["findings"]]


def test_each_group_gets_its_status_and_reason():
    r = coverage(MAP, "hub", hops=3, min_strength=4, stale_days=180)
    assert summary(r) == [
        ("community:far", "gap", "no_tie"),
        ("community:none", "gap", "no_tie"),
        ("community:stale", "gap", "only_stale"),
        ("community:weak", "gap", "only_weak"),
        ("area:gotham", "gap", "no_tie"),
        ("community:fragile", "fragile", "only_through_one_person"),
        ("community:covered", "covered", None),
        ("community:twopaths", "covered", None),
        ("area:springfield", "covered", "member"),
    ]
    by_key = {f["group"]["key"]: f for f in r["findings"]}
    assert by_key["community:far"]["nearest_hops"] == 4
    assert by_key["community:far"]["explanation"] == "HUB has no tie path to the far community within 3 ties (the nearest member is 4 ties away)."
    assert by_key["community:none"]["explanation"] == "HUB has no tie path to the none community within 3 ties (no chain of ties reaches it at all)."
    assert by_key["community:fragile"]["via"]["id"] == "p"
    assert by_key["community:stale"]["explanation"] == (
        "HUB reaches the stale community through strong ties only via ties not renewed in 180 days: HUB-Z (last contact 2024-01-01).")
    assert by_key["community:weak"]["explanation"].startswith("HUB reaches the weak community within 3 ties only through weak ties")
    assert r["counts"] == {"gap": 5, "fragile": 1, "covered": 3}


def test_thresholds_change_the_answer():
    r = {f["group"]["key"]: f for f in coverage(MAP, "hub", hops=4, min_strength=2, stale_days=1000)["findings"]}
    assert (r["community:stale"]["status"], r["community:weak"]["status"]) == ("covered", "covered")
    assert r["community:far"]["reason"] == "only_weak"


def test_single_points_of_failure_say_what_each_cuts_off():
    r = single_points_of_failure(MAP, "hub", limit=100)
    aps = {f["actor"]["id"]: (f["cut_off"], [g["key"] for g in f["groups_lost"]]) for f in r["articulation_points"]["findings"]}
    assert aps == {"f1": (3, ["community:far"]), "f2": (2, ["community:far"]), "f3": (1, ["community:far"]),
                   "p": (1, ["community:fragile"])}
    assert r["articulation_points"]["findings"][0]["explanation"] == (
        "If F1 drops out, HUB loses every tie path to 3 actors (F, F2, F3) and with them the far community.")
    bridges = {tuple(a["id"] for a in f["pair"]): f["cut_off"] for f in r["bridges"]["findings"]}
    assert bridges == {("f", "f3"): 1, ("f1", "f2"): 3, ("f1", "hub"): 4, ("f2", "f3"): 2, ("hub", "w"): 1,
                       ("hub", "x"): 1, ("hub", "z"): 1, ("p", "y"): 1}
    assert r["component_size"] == 12


def test_a_bridge_made_of_parallel_ties_lists_them_all():
    p = build([actor("c"), actor("a"), actor("b", tags=["youth"])],
              [tie("ca", "c", "a"), tie("ab1", "a", "b", 5), tie("ab2", "b", "a", 2, type="funds")])
    r = single_points_of_failure(p, "c")
    youth = [f for f in r["bridges"]["findings"] if f["groups_lost"]]
    assert [[t["id"] for t in f["ties"]] for f in youth] == [["ca"], ["ab1", "ab2"]]
    assert youth[1]["explanation"] == ("If the relationship between A and B ends (all 2 ties), C loses every tie path "
                                       "to 1 actor (B) and with them the youth community.")


def test_an_isolated_coordinator_has_nothing_to_lose():
    r = single_points_of_failure(MAP, "v")
    assert r["component_size"] == 1 and r["articulation_points"]["total"] == 0


def test_what_if_someone_leaves():
    r = what_if(MAP, "hub", ["p"])
    assert [(c["group"]["key"], c["before"]["status"], c["after"]["status"], c["after"]["reason"]) for c in r["changes"]] == [
        ("community:fragile", "fragile", "gap", "no_tie"),
        ("community:twopaths", "covered", "fragile", "only_through_one_person")]
    assert r["lost_actors"]["total"] == 1 and r["lost_actors"]["sample"][0]["id"] == "y"
    assert r["changes"][0]["explanation"] == (
        "If P left, HUB's access to the fragile community would drop from strong, recent ties through one person "
        "to no tie path within the hop limit.")
    with pytest.raises(ValidationError):
        what_if(MAP, "hub", ["hub"])


def _random_map(seed):
    rng = random.Random(seed)
    g = nx.gnm_random_graph(60, 70, seed=seed)
    actors = [actor(f"n{i}", tags=[f"g{rng.randrange(8)}"], city=rng.choice(["", "Aville", "Btown"])) for i in range(60)]
    ties = [tie(f"t{i}", f"n{u}", f"n{v}", rng.randint(1, 5)) for i, (u, v) in enumerate(g.edges())]
    return build(actors, ties), g


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_cut_vertices_and_bridges_agree_with_networkx_and_brute_force(seed):
    p, g = _random_map(seed)
    c = "n0" if g.degree(0) else "n1"
    comp = nx.node_connected_component(p.graph, c)
    sub = p.graph.subgraph(comp)
    r = single_points_of_failure(p, c, limit=10_000)
    assert {f["actor"]["id"] for f in r["articulation_points"]["findings"]} == set(nx.articulation_points(sub)) - {c}
    assert {frozenset(a["id"] for a in f["pair"]) for f in r["bridges"]["findings"]} == {frozenset(e) for e in nx.bridges(sub)}
    groups = [grp for grp in p.groups() if p.index[c] not in grp["members"]]

    def reachable_groups(h):
        seen = nx.node_connected_component(h, c)
        return {grp["key"] for grp in groups if any(p.ids[m] in seen for m in grp["members"])}

    before = reachable_groups(p.graph)
    for f in r["articulation_points"]["findings"]:
        h = p.graph.copy()
        h.remove_node(f["actor"]["id"])
        assert f["cut_off"] == len(comp) - 1 - len(nx.node_connected_component(h, c))
        assert {x["key"] for x in f["groups_lost"]} == before - reachable_groups(h)
    for f in r["bridges"]["findings"]:
        h = p.graph.copy()
        h.remove_edge(*(a["id"] for a in f["pair"]))
        assert f["cut_off"] == len(comp) - len(nx.node_connected_component(h, c))
        assert {x["key"] for x in f["groups_lost"]} == before - reachable_groups(h)


@pytest.mark.parametrize("seed", [5, 6])
def test_fragile_means_one_intermediary_on_every_short_strong_path(seed):
    p, g = _random_map(seed)
    strong = nx.Graph((u, v) for u, v, d in p.graph.edges(data=True) if (d["strength"] or 0) >= 3)
    strong.add_nodes_from(p.graph)
    r = coverage(p, "n0", hops=3, min_strength=3, stale_days=10_000)
    for f in r["findings"]:
        members = {p.ids[m] for grp in p.groups() if grp["key"] == f["group"]["key"] for m in grp["members"]}
        if f["status"] == "gap" or "n0" in members:
            continue

        def reached(h):
            dist = nx.single_source_shortest_path_length(h, "n0", cutoff=3)
            return any(m in dist for m in members)

        singles = [v for v in strong if v != "n0" and v not in members and not reached(strong.subgraph(set(strong) - {v}))]
        assert (f["status"] == "fragile") == bool(singles), f["group"]
        if singles:
            assert f["via"]["id"] in singles
