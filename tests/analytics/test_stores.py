"""The analytics give the same answers on both stores (Neo4j skipped without a server)."""
import datetime as dt

from graph_service.analytics.gaps import coverage
from graph_service.analytics.projection import get_projection
from graph_service.analytics.warm_paths import warm_paths

TODAY = dt.date(2026, 1, 1)


def test_same_warm_paths_and_gaps_on_every_store(store):
    actors = [{"id": i, "name": i.upper(), "kind": "ngo", "tags": tags} for i, tags in
              (("hub", []), ("p", []), ("y", ["youth"]), ("x", ["faith"]), ("q", []))]
    ties = [{"id": tid, "source_id": a, "target_id": b, "type": "knows", "directed": False, "strength": s,
             "last_contact": "2025-12-01"} for tid, a, b, s in (("hp", "hub", "p", 5), ("py", "p", "y", 5), ("hx", "hub", "x", 2),
                                                             ("hq", "hub", "q", 4), ("qy", "q", "y", 3))]
    store.apply_batch(actors, ties, by="test")
    first = get_projection(store, today=TODAY)
    r = warm_paths(first, "hub", "y", k=1)
    assert [[s["actor"]["id"] for s in p["steps"]] for p in r["paths"]] == [["hub", "p", "y"], ["hub", "q", "y"]]
    cov = {f["group"]["key"]: (f["status"], f["reason"]) for f in coverage(first, "hub")["findings"]}
    assert cov == {"community:youth": ("fragile", "only_through_one_person"), "community:faith": ("gap", "only_weak")}
    assert get_projection(store, today=TODAY) is first          # kept while nothing changes
    store.delete_tie("py", by="test")
    second = get_projection(store, today=TODAY)                 # refreshed after a write
    assert second is not first
    assert [[s["actor"]["id"] for s in p["steps"]] for p in warm_paths(second, "hub", "y", k=1)["paths"]] == [["hub", "q", "y"]]
