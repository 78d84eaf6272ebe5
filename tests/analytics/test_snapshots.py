"""Snapshots kept in the store, found by id or date, and compared in sentences."""
import pytest

from graph_service.analytics.projection import get_projection
from graph_service.analytics.snapshots import diff_snapshots, find_snapshot, save_snapshot
from graph_service.errors import NotFound, ValidationError

from .helpers import TODAY


def _load(store):
    actors = [{"id": i, "name": i.upper(), "kind": "ngo", "tags": tags} for i, tags in
              (("hub", []), ("p", []), ("y", ["youth"]), ("x", ["faith"]), ("q", []))]
    ties = [{"id": tid, "source_id": a, "target_id": b, "type": "knows", "directed": False, "strength": 5,
             "last_contact": TODAY.isoformat()} for tid, a, b in (("hp", "hub", "p"), ("py", "p", "y"), ("hx", "hub", "x"),
                                                                 ("hq", "hub", "q"), ("qy", "q", "y"))]
    store.apply_batch(actors, ties, by="test")


def test_save_list_get_and_diff(sqlite_store):
    _load(sqlite_store)
    first = save_snapshot(sqlite_store, get_projection(sqlite_store, today=TODAY), "hub", name="spring", by="test")
    assert first["metrics"]["coverage"]["community:youth"]["status"] == "covered"
    sqlite_store.delete_tie("hx", by="test")  # the only tie toward the faith community
    sqlite_store.delete_tie("qy", by="test")  # youth now hangs on p
    second = save_snapshot(sqlite_store, get_projection(sqlite_store, today=TODAY), "hub", by="test")
    assert [s["id"] for s in sqlite_store.list_snapshots()] == [second["id"], first["id"]]
    assert find_snapshot(sqlite_store, str(first["id"]))["name"] == "spring"
    assert find_snapshot(sqlite_store, "2999-01-01")["id"] == second["id"]
    d = diff_snapshots(find_snapshot(sqlite_store, first["id"]), find_snapshot(sqlite_store, second["id"]))
    since = first["taken_at"][:10]
    assert [f["explanation"] for f in d["findings"]] == [
        f"Since {since}, 1 community or area lost its strong, recent tie path: faith.",
        f"Since {since}, 1 community or area now hangs on one person: youth (through P).",
        f"Since {since}, P became a single point of failure.",
        "The network went from 1 to 2 separate parts.",
        "Q, Y left the top 10 brokers.",
    ]


def test_unknown_snapshots(sqlite_store):
    with pytest.raises(NotFound):
        find_snapshot(sqlite_store, "7")
    with pytest.raises(NotFound):
        find_snapshot(sqlite_store, "2001-01-01")
    with pytest.raises(ValidationError):
        find_snapshot(sqlite_store, "last spring")
