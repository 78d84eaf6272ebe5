"""Large batches on Neo4j: staged in committed chunks, visible all at once, or not at all."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph_service.store import neo4j as neo4j_module
from graph_service.store.neo4j import Neo4jStore
from tests.conftest import NEO4J_TEST_DATABASE, NEO4J_TEST_PASSWORD, NEO4J_TEST_URI, NEO4J_TEST_USERNAME
from tests.store import test_contract as contract

pytestmark = pytest.mark.neo4j
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def staged_store(neo4j_store, monkeypatch):
    """The Neo4j store staging every batch, a few records per chunk (many chunks on little data)."""
    monkeypatch.setattr(neo4j_module, "STAGE_THRESHOLD", 0)
    monkeypatch.setattr(neo4j_module, "STAGE_CHUNK", 3)
    return neo4j_store


def leftovers(store) -> dict:
    """Staged rows and Import nodes still in the database (readers never see them)."""
    return dict(store._query("staged_count")[0].items())


NOTHING_LEFT = {"actors": 0, "ties": 0, "history": 0, "imports": 0}


def graph(n: int, prefix: str = "a") -> tuple[list[dict], list[dict]]:
    actors = [contract.actor(f"Actor {prefix}{i}") | {"id": f"{prefix}{i:05d}"} for i in range(n)]
    ties = [contract.tie(f"{prefix}{i:05d}", f"{prefix}{(i + 1) % n:05d}") | {"id": f"t-{prefix}{i:05d}"} for i in range(n)]
    return actors, ties


@pytest.mark.parametrize("name", [
    "test_apply_batch_counts_and_is_idempotent",
    "test_apply_batch_restores_deleted_records",
    "test_apply_batch_is_all_or_nothing",
    "test_apply_batch_tie_to_a_deleted_actor_is_refused",
    "test_apply_batch_larger_than_one_statement_batch",
    "test_revision_moves_with_every_actor_or_tie_write",
])
def test_staged_batches_keep_the_batch_contract(staged_store, name):
    getattr(contract, name)(staged_store)
    assert leftovers(staged_store) == NOTHING_LEFT


def test_a_staged_batch_whose_late_chunk_fails_leaves_the_store_unchanged(staged_store):
    store = staged_store
    actors, ties = graph(12, "old")
    store.apply_batch(actors, ties, by="first")
    before = (contract.snapshot(store), store.export_records(), store.history("old00003"))
    new_actors, new_ties = graph(30, "new")
    # a list of mixed types cannot be stored by Neo4j: the last tie's chunk fails on the server
    new_ties[-1]["label"] = ["text", 1]
    changed = [{**actors[3], "city": "Changed"}]
    with pytest.raises(Exception) as err:
        store.apply_batch(changed + new_actors, new_ties, by="second")
    assert "TypeError" in type(err.value).__name__ or "Type" in str(err.value)
    assert (contract.snapshot(store), store.export_records(), store.history("old00003")) == before
    assert store.get_actor("new00000") is None and store.history("new00000") == []
    assert leftovers(store) == NOTHING_LEFT
    # and the same batch without the bad row loads
    new_ties[-1]["label"] = "knows"
    summary = store.apply_batch(changed + new_actors, new_ties, by="second")
    assert summary["actors"] == {"created": 30, "updated": 1, "unchanged": 0}
    assert store.stats()["actors_total"] == 42 and store.stats()["ties_total"] == 42
    assert [h["action"] for h in store.history("old00003")] == ["create", "update"]


@pytest.fixture
def pause_before_publish(monkeypatch):
    """``pause_before_publish()`` -> ``(staged, release)`` events: from then on a staged batch sets
    ``staged`` when it is about to publish and waits there until ``release`` is set."""

    def pause():
        staged, release = threading.Event(), threading.Event()
        write = Neo4jStore._write

        def gated_write(self, work):
            if work.__name__ == "publish":
                staged.set()
                release.wait(60)
            return write(self, work)

        monkeypatch.setattr(Neo4jStore, "_write", gated_write)
        return staged, release

    return pause


def test_readers_see_nothing_of_a_staged_batch_until_it_is_published(staged_store, pause_before_publish):
    store = staged_store
    actors, ties = graph(6, "old")
    store.apply_batch(actors, ties, by="first")
    seen_before = (contract.snapshot(store), store.export_records(), store.ego_network("old00000", 2),
                   store.find_actors_by_name("Actor new1"), store.list_actors(q="new"), store.revision())
    staged, release = pause_before_publish()
    errors = []
    new_actors, new_ties = graph(8, "new")
    bridge = contract.tie("old00000", "new00001") | {"id": "t-bridge"}

    def load():
        try:
            store.apply_batch(new_actors, new_ties + [bridge], by="second")
        except Exception as exc:  # asserted below
            errors.append(exc)

    loader = threading.Thread(target=load)
    loader.start()
    try:
        assert staged.wait(60)
        assert leftovers(store)["actors"] == 8 and leftovers(store)["ties"] == 9
        revision = seen_before[-1]
        seen_during = (contract.snapshot(store), store.export_records(), store.ego_network("old00000", 2),
                       store.find_actors_by_name("Actor new1"), store.list_actors(q="new"))
        assert seen_during == seen_before[:-1]
        assert store.get_actor("new00001") is None and store.get_tie("t-bridge") is None
        assert store.history("new00001") == []
        with pytest.raises(contract.NotFound):
            store.shortest_path("old00000", "new00001")
        assert store.revision() != revision  # numbers reserved; publishing moves it again below
        reserved = store.revision()
    finally:
        release.set()
        loader.join(60)
    assert errors == []
    assert store.revision() > reserved
    assert store.stats()["actors_total"] == 14 and store.stats()["ties_total"] == 15
    assert [s["actor"]["id"] for s in store.shortest_path("old00000", "new00002")] == ["old00000", "new00001", "new00002"]
    assert [h["action"] for h in store.history("new00001")] == ["create"]
    assert leftovers(store) == NOTHING_LEFT


def test_an_interactive_write_to_a_record_being_imported_is_refused(staged_store, pause_before_publish):
    store = staged_store
    staged, release = pause_before_publish()
    actors, ties = graph(4, "new")
    loader = threading.Thread(target=lambda: store.apply_batch(actors, ties, by="import"))
    loader.start()
    try:
        assert staged.wait(60)
        with pytest.raises(contract.Conflict):
            store.create_actor(contract.actor("Same id") | {"id": "new00001"}, by="editor")
        with pytest.raises(contract.NotFound):
            store.update_actor("new00001", {"city": "Oslo"}, by="editor")
        with pytest.raises(contract.ValidationError):
            store.create_tie(contract.tie("new00001", "new00002"), by="editor")
    finally:
        release.set()
        loader.join(60)
    assert store.get_actor("new00001")["name"] == "Actor new1"
    assert store.stats()["ties_total"] == 4


KILLED_IMPORT = """
import sys
from graph_service.store.neo4j import Neo4jStore
n = int(sys.argv[1])
actors = [{"id": f"big{i:06d}", "name": f"Big {i}", "kind": "ngo"} for i in range(n)]
ties = [{"id": f"t-big{i:06d}", "source_id": f"big{i:06d}", "target_id": f"big{(i + 1) % n:06d}", "type": "knows"}
        for i in range(n)]
store = Neo4jStore(*sys.argv[2:6])
store.apply_batch(actors, ties, by="doomed")
"""


def test_kill_9_during_a_big_neo4j_batch_leaves_the_store_as_it_was(neo4j_store):
    store = neo4j_store
    actors, ties = graph(10, "old")
    store.apply_batch(actors, ties, by="first")
    before = (contract.snapshot(store), store.export_records())
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, "40000", NEO4J_TEST_URI, NEO4J_TEST_USERNAME, NEO4J_TEST_PASSWORD,
         NEO4J_TEST_DATABASE], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if leftovers(store)["ties"] > 0:  # actors are staged, ties are being written
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the import finished before it could be killed; make it larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert leftovers(store)["imports"] == 1
    assert (contract.snapshot(store), store.export_records()) == before
    assert store.get_actor("big000001") is None and store.history("big000001") == []
    # a live import keeps its lease; a dead one is discarded once the lease has run out
    assert store.discard_abandoned_imports() == 0
    assert store.discard_abandoned_imports(lease_s=0) == 1
    assert leftovers(store) == NOTHING_LEFT
    assert (contract.snapshot(store), store.export_records()) == before
    more, _ = graph(3, "after")
    assert store.apply_batch(more, [], by="after")["actors"]["created"] == 3


def test_a_published_import_whose_markers_were_left_stays_visible_and_is_tidied(staged_store, monkeypatch):
    store = staged_store
    monkeypatch.setattr(Neo4jStore, "_normalise_import", lambda self, import_id: None)  # "crashed" right after publishing
    actors, ties = graph(7, "new")
    store.apply_batch(actors, ties, by="import")
    assert leftovers(store)["imports"] == 1 and leftovers(store)["ties"] == 7
    seen = (contract.snapshot(store), store.export_records(), store.history("new00002"), store.ego_network("new00000", 2))
    assert seen[0][0]["actors_total"] == 7 and [h["action"] for h in seen[2]] == ["create"]
    store.update_actor("new00002", {"city": "Oslo"}, by="editor")  # a published row takes edits
    monkeypatch.undo()
    assert store.discard_abandoned_imports(lease_s=0) == 1
    assert leftovers(store) == NOTHING_LEFT
    assert store.get_actor("new00002")["city"] == "Oslo"
    assert [h["action"] for h in store.history("new00002")] == ["create", "update"]
    ego = store.ego_network("new00000", 2)
    assert contract.ids(ego["actors"]) == contract.ids(seen[3]["actors"]) and ego["ties"] == seen[3]["ties"]
    assert store.stats()["ties_total"] == 7


def _sync(actors: list[dict], source: str = "f.csv", missing: tuple[str, ...] = ()) -> dict:
    return {"source": source, "format": "csv", "files": [source], "at": "2026-01-01T00:00:00.000Z",
            "seen": [{"entity_type": "actor", "entity_id": a["id"], "file": source, "sheet": "f", "row": i + 2,
                      "data": {"tags": []}} for i, a in enumerate(actors)],
            "missing": [{"entity_type": "actor", "entity_id": i} for i in missing]}


@pytest.mark.parametrize("name", [
    "test_rows_gone_from_the_source_are_marked_inactive_not_deleted_and_can_come_back",
    "test_provenance_names_source_file_sheet_row_when_and_who",
    "test_apply_is_all_or_nothing",
])
def test_staged_syncs_keep_the_sync_behaviour(staged_store, tmp_path, name):
    import inspect

    from tests.services import test_sync

    test = getattr(test_sync, name)
    given = {"any_store": staged_store, "tmp_path": tmp_path,
             "contacts_csv": test_sync.write(tmp_path / "kontakte.csv", test_sync.ROWS)}
    test(**{p: given[p] for p in inspect.signature(test).parameters})
    assert leftovers(staged_store) == NOTHING_LEFT


def test_a_staged_sync_that_fails_late_keeps_its_records_as_they_were(staged_store):
    store = staged_store
    actors, ties = graph(6, "old")
    store.apply_sync(actors, ties, sync=_sync(actors), by="first")
    before = (contract.snapshot(store), store.export_records(), store.sync_sources(), store.history("old00001"))
    new_actors, new_ties = graph(12, "new")
    new_ties[-1]["label"] = ["text", 1]  # refused by the server in the last tie chunk
    with pytest.raises(Exception):
        store.apply_sync(new_actors, new_ties, sync=_sync(actors[2:] + new_actors, missing=("old00001",)), by="second")
    assert (contract.snapshot(store), store.export_records(), store.sync_sources(), store.history("old00001")) == before
    assert leftovers(store) == NOTHING_LEFT
    new_ties[-1]["label"] = "knows"
    store.apply_sync(new_actors, new_ties, sync=_sync(actors[2:] + new_actors, missing=("old00001",)), by="second")
    assert store.inactive_ids()["actors"] == {"old00001"}
    assert store.history("old00001")[-1]["action"] == "inactive"
    assert len(store.sync_records("f.csv")) == 18 and store.sync_sources()[0]["syncs"] == 2
    assert leftovers(store) == NOTHING_LEFT
