"""Backup and restore: a dump restored into a new store dumps again identically."""
import json

import pytest

from graph_service.errors import Conflict, ValidationError
from graph_service.services.dump import backup, read_dump, restore
from graph_service.store.sqlite import SQLiteStore


@pytest.fixture
def rich_store(demo_store):
    """The demo with edits, a deletion, a user, a token and audit entries: everything a dump must keep."""
    from graph_service.auth import create_user, issue_token

    demo_store.update_actor("munich", {"description": "Edited"}, by="alice")
    demo_store.delete_actor("hartford", by="alice")
    create_user(demo_store, "alice", "a long password", "editor", by="test")
    issue_token(demo_store, "sync-bot", scopes=["read"])
    demo_store.create_actor({"name": "Ana Example", "kind": "person", "aliases": ["A. Example"], "tags": ["youth"],
                             "description": "", "country": "", "city": "", "source": "",
                             "contact_details": [{"type": "email", "value": "ana@example.org"}], "attributes": {"n": 1}}, by="t")
    return demo_store


@pytest.mark.parametrize("name", ["dump.json", "dump.json.gz"])
def test_backup_restore_backup_is_identical(rich_store, tmp_path, name):
    first = tmp_path / name
    counts = backup(rich_store, first)
    assert counts["actors"] == 41 and counts["ties"] == 55 and counts["users"] >= 2
    target = SQLiteStore(tmp_path / "restored.sqlite3")
    target.init_schema()
    restore(target, first)
    assert read_dump(first) == target.export_records()
    assert target.get_actor("hartford") is None and target.get_actor("hartford", include_deleted=True)
    assert [h["action"] for h in target.history("munich")] == ["create", "update"]
    assert target.shortest_path("oslo", "berlin") == rich_store.shortest_path("oslo", "berlin")


def test_restore_refuses_a_store_that_is_not_empty(rich_store, tmp_path):
    backup(rich_store, tmp_path / "d.json")
    before = rich_store.stats()
    with pytest.raises(Conflict):
        restore(rich_store, tmp_path / "d.json")
    assert rich_store.stats() == before


def test_restore_refuses_files_that_are_not_dumps(sqlite_store, tmp_path):
    (tmp_path / "x.json").write_text(json.dumps({"hello": 1}))
    (tmp_path / "y.json").write_text("{broken")
    for f in ("x.json", "y.json"):
        with pytest.raises(ValidationError) as exc:
            restore(sqlite_store, tmp_path / f)
        assert exc.value.errors[0]["file"] == f
    assert sqlite_store.stats()["actors_total"] == 0


def test_backup_file_is_private(rich_store, tmp_path):
    path = tmp_path / "d.json"
    backup(rich_store, path)
    assert path.stat().st_mode & 0o077 == 0


def test_a_damaged_dump_is_refused_whole_with_a_clear_error(rich_store, tmp_path):
    sqlite_store = SQLiteStore(tmp_path / "empty.sqlite3")
    sqlite_store.init_schema()
    path = tmp_path / "d.json"
    backup(rich_store, path)
    doc = json.loads(path.read_text())
    doc["records"]["actors"][0]["kind"] = "spaceship"
    path.write_text(json.dumps(doc))
    with pytest.raises(ValidationError) as exc:
        restore(sqlite_store, path)
    assert exc.value.errors[0]["field"] == "actors[0]"
    doc["records"]["actors"][0]["kind"] = "ngo"
    doc["records"]["ties"][0]["target_id"] = "nobody"
    path.write_text(json.dumps(doc))
    with pytest.raises(ValidationError) as exc:
        restore(sqlite_store, path)
    assert "nothing was restored" in exc.value.detail
    assert sqlite_store.stats()["actors_total"] == 0


def test_a_restored_backup_keeps_sync_records_merges_and_snapshots(any_store, tmp_path):
    """After a restore, a re-import of the same file finds every row as it was: all unchanged, none new or gone."""
    from graph_service.model import validate_actor, validate_tie
    from graph_service.services.merge import merge_actors
    from graph_service.services.sync import import_files
    from importers.records import ImportOptions

    contacts = tmp_path / "kontakte.csv"
    contacts.write_text("Name,Organisation,E-Mail,Telefon\nAnna Beispiel,Jugendring,anna@example.org,030 1111111\n"
                        "Ben Beispiel,Jugendring,ben@example.org,\nCem Muster,Stadtteilverein,,030 2222222\n", encoding="utf-8")
    import_files(any_store, [contacts], options=ImportOptions(region="DE"), by="alice")
    ring, verein = (any_store.find_actors_by_name(n)[0] for n in ("Jugendring", "Stadtteilverein"))
    any_store.create_actor(validate_actor({"id": "jugend-ring", "name": "Jugend-Ring", "kind": "ngo"}), by="t")
    merge_actors(any_store, ring["id"], "jugend-ring", by="alice")
    # a look-alike typed in by hand: only the sync records tell the synced Cem Muster from it
    any_store.create_actor(validate_actor({"id": "cem-by-hand", "name": "Cem Muster", "kind": "person"}), by="t")
    any_store.create_tie(validate_tie({"source_id": "cem-by-hand", "target_id": verein["id"], "type": "works_for"}), by="t")
    any_store.save_snapshot({"name": "spring", "coordinator_id": None, "metrics": {"gaps": 3}}, by="alice")
    backup(any_store, tmp_path / "d.json")
    target = SQLiteStore(tmp_path / "restored.sqlite3")
    target.init_schema()
    restore(target, tmp_path / "d.json")
    assert target.export_records() == any_store.export_records()
    assert target.sync_sources() == any_store.sync_sources()
    assert [s["name"] for s in target.list_snapshots()] == ["spring"]
    assert target.export_records()["actor_merges"][0]["into_id"] == ring["id"]
    again = import_files(target, [contacts], dry_run=True, options=ImportOptions(region="DE"))
    assert again["counts"]["actors"] == {"created": 0, "updated": 0, "unchanged": 5, "missing": 0, "reactivated": 0}
    assert again["counts"]["ties"] == {"created": 0, "updated": 0, "unchanged": 3, "missing": 0, "reactivated": 0}
