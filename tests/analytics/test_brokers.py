"""Betweenness (exact and sampled with its stated error), Burt's constraint and effective size,
checked against NetworkX."""
import math
import random

import networkx as nx
import pytest

from graph_service.analytics.brokers import betweenness, broker_report, constraint_and_effective_size

from .helpers import build, tie


def _random(seed, n=80, m=160):
    rng = random.Random(seed)
    g = nx.gnm_random_graph(n, m, seed=seed)
    ties = [tie(f"t{i}", f"n{u}", f"n{v}", rng.choice([None, 1, 2, 3, 4, 5])) for i, (u, v) in enumerate(g.edges())]
    ties.append(tie("dup", "n0", "n1", 5))  # a parallel tie must not change anything
    return build([f"n{i}" for i in range(n)], ties)


def test_star_centre_brokers_everything():
    p = build(["hub", "a", "b", "c", "d"], [tie(x, "hub", x, 3) for x in "abcd"])
    r = broker_report(p, top=3)
    top = r["brokers"][0]
    assert (top["actor"]["id"], top["betweenness"], top["constraint"], top["effective_size"]) == ("hub", 1.0, 0.25, 4.0)
    assert len(r["brokers"]) == 1  # leaves broker nothing
    assert r["method"] == "exact"
    assert top["explanation"] == ("HUB lies on about 100.0% of the shortest chains between other actors; most of its 4 contacts "
                                  "are not tied to each other (effective size 4.0, constraint 0.25): it bridges a structural "
                                  "hole, and losing it would split them.")


@pytest.mark.parametrize("seed", [1, 2])
def test_exact_betweenness_constraint_and_effective_size_agree_with_networkx(seed):
    p = _random(seed)
    g = p.graph
    bc = betweenness(p)["values"]
    ref = nx.betweenness_centrality(g, normalized=True)
    assert [round(b, 9) for b in bc] == [round(ref[i], 9) for i in p.ids]
    constraint, esize = constraint_and_effective_size(p)
    ref_c = nx.constraint(g, weight="weight")
    ref_e = nx.effective_size(g)
    for i, a in enumerate(p.ids):
        if math.isnan(ref_c[a]):
            assert constraint[i] is None and esize[i] is None
        else:
            assert constraint[i] == pytest.approx(ref_c[a])
            assert esize[i] == pytest.approx(ref_e[a])


def test_sampled_betweenness_states_its_error_and_stays_within_it():
    p = _random(3, n=300, m=900)
    exact = betweenness(p)["values"]
    est = betweenness(p, sample=64, seed=1)
    assert est["method"] == "sampled" and est["sample"] == 64
    assert est["hoeffding_bound"] == pytest.approx((300 / 299) * math.sqrt(math.log(40) / 128))
    assert max(abs(a - b) for a, b in zip(exact, est["values"])) <= est["hoeffding_bound"]
    top = sorted(range(300), key=lambda v: -est["values"][v])[:20]  # the brokers a report lists
    assert all(abs(exact[v] - est["values"][v]) <= 3 * est["se"][v] for v in top)
    assert betweenness(p, sample=64, seed=1)["values"] == est["values"]  # same seed, same answer
    assert betweenness(p, exact_limit=100)["method"] == "sampled"        # large graphs sample by default


def test_isolated_actors_and_a_disconnected_graph():
    p = build(["a", "b", "c", "x", "y", "lonely"], [tie("ab", "a", "b"), tie("bc", "b", "c"), tie("xy", "x", "y")])
    r = broker_report(p)
    assert [(b["actor"]["id"], b["betweenness"]) for b in r["brokers"]] == [("b", 0.1)]  # 1 pair of 10 others
    constraint, esize = constraint_and_effective_size(p)
    assert constraint[p.index["lonely"]] is None and esize[p.index["lonely"]] is None
