"""Stale ties grouped by owner and by community."""
from graph_service.analytics.stale import stale_ties

from .helpers import actor, build, tie

MAP = build(
    [actor("office", "agency"), actor("imam", tags=["muslim-community"]), actor("youth", tags=["youth"]),
     actor("club", tags=["youth", "sports"]), actor("far")],
    [tie("oi", "office", "imam", 5, "2025-03-01", directed=True), tie("oy", "office", "youth", 2, "2025-01-01", directed=True),
     tie("yc", "youth", "club", 4, "2025-05-01", directed=False), tie("fresh", "office", "club", 5, "2025-12-01", directed=True),
     tie("undated", "office", "far", 3, None)],
)


def test_stale_ties_by_owner_strongest_first():
    r = stale_ties(MAP, days=180)
    assert (r["total"], r["undated"]) == (3, 1)
    owners = [(o["actor"]["id"], [t["tie"]["id"] for t in o["ties"]]) for o in r["by_owner"]]
    assert owners == [("office", ["oi", "oy"]), ("club", ["yc"]), ("youth", ["yc"])]
    assert r["by_owner"][0]["explanation"] == (
        "OFFICE has 2 ties not renewed in 180 days: call IMAM (strength 5, last contact 2025-03-01, 306 days ago), "
        "YOUTH (strength 2, last contact 2025-01-01, 365 days ago).")


def test_stale_ties_by_community():
    r = stale_ties(MAP, days=180)
    assert [(c["community"], c["ties"], c["strongest"], c["oldest_days"]) for c in r["by_community"]] == [
        ("youth", 2, 4, 365), ("muslim-community", 1, 5, 306), ("sports", 1, 4, 245)]


def test_threshold_and_scope():
    assert stale_ties(MAP, days=300)["total"] == 2
    assert stale_ties(MAP, days=180, around="imam", hops=1)["total"] == 1
