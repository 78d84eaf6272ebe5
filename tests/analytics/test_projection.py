"""The hop-cost formula and the projection kept per store, refreshed on change."""
import datetime as dt

import pytest

from graph_service.analytics.projection import freshness, get_projection, hop_cost
from graph_service.errors import NotFound

from .helpers import TODAY, actor, build, tie


@pytest.mark.parametrize("strength,last_contact,expected", [
    (5, "2026-01-01", 1.0),      # strong, confirmed today
    (5, "2025-01-01", 2.0),      # a year later the cost doubles
    (4, "2026-01-01", 1.25),
    (1, "2026-01-01", 5.0),
    (None, "2026-01-01", 2.5),   # unrated counts as strength 2
    (5, None, 2.0),              # undated counts as a year old
    (None, None, 5.0),
    (5, "2010-01-01", 10.0),     # freshness floor 0.1
    (5, "2027-06-01", 1.0),      # a date in the future is today
])
def test_hop_cost_follows_the_documented_formula(strength, last_contact, expected):
    assert hop_cost(strength, last_contact, TODAY) == pytest.approx(expected)


def test_freshness_halves_every_year():
    assert freshness("2024-01-02", TODAY) == pytest.approx(0.25)  # 730 days


def test_parallel_ties_keep_every_tie_and_walk_the_cheapest():
    p = build(["a", "b"], [tie("t1", "a", "b", strength=1), tie("t2", "a", "b", strength=5), tie("t0", "b", "a", strength=5)])
    pair = p.pair_of(p.index["a"], p.index["b"])
    assert sorted(p.ties[t]["id"] for t in p.pair_ties[pair]) == ["t0", "t1", "t2"]
    assert p.ties[p.pair_tie[pair]]["id"] == "t0"  # equal cost: lowest id
    assert p.pair_cost[pair] == 1.0
    assert p.graph["a"]["b"]["ties"] == 3


def test_ended_ties_self_loops_and_ties_to_unknown_actors_are_left_out():
    p = build(["a", "b"], [tie("ended", "a", "b", until="2025-12-31"), tie("loop", "a", "a"), tie("ghost", "a", "zz"),
                           tie("ok", "a", "b", until="2026-01-01")])
    assert [t["id"] for t in p.ties] == ["ok"]
    assert p.ended_ties == 1


def test_unknown_actor_is_not_found():
    with pytest.raises(NotFound):
        build([actor("a")], []).require("nobody")


def test_projection_is_kept_until_the_store_changes(sqlite_store):
    sqlite_store.apply_batch([{"id": "a", "name": "A", "kind": "ngo"}, {"id": "b", "name": "B", "kind": "ngo"}], [], by="test")
    first = get_projection(sqlite_store, today=TODAY)
    assert get_projection(sqlite_store, today=TODAY) is first
    assert first.revision == sqlite_store.revision()
    sqlite_store.create_tie({"source_id": "a", "target_id": "b", "type": "knows", "directed": False, "strength": 3}, by="test")
    second = get_projection(sqlite_store, today=TODAY)
    assert second is not first and len(second.ties) == 1
    assert get_projection(sqlite_store, today=TODAY + dt.timedelta(days=1)) is not second  # freshness moves daily
