"""The SQLite bulk path of big imports: indexes rebuilt after the insert, all or nothing all the same."""
import pytest

from graph_service.errors import ValidationError

N = 50_000


def indexes(store):
    rows = store._read("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
    return [r[0] for r in rows]


def test_a_big_batch_keeps_every_index_and_a_failed_one_changes_nothing(sqlite_store):
    before = indexes(sqlite_store)
    actors = [{"id": f"a{i}", "name": f"Actor {i}", "kind": "ngo"} for i in range(N)]
    ties = [{"id": f"t{i}", "source_id": f"a{i}", "target_id": f"a{(i + 1) % N}", "type": "knows"} for i in range(N)]
    bad = ties[:-1] + [{"id": "t-bad", "source_id": "a1", "target_id": "nobody", "type": "knows"}]
    with pytest.raises(ValidationError):
        sqlite_store.apply_batch(actors, bad, by="bulk")
    assert sqlite_store.stats()["actors_total"] == 0 and indexes(sqlite_store) == before
    summary = sqlite_store.apply_batch(actors, ties, by="bulk")
    assert summary["actors"]["created"] == N and summary["ties"]["created"] == N
    assert indexes(sqlite_store) == before
    assert sqlite_store.find_actors_by_name("actor 49999")[0]["id"] == "a49999"   # name index answers
    assert _journal(sqlite_store) == "wal"  # after a failed batch and a written one
    assert [t["id"] for t in sqlite_store.list_ties(actor_id="a7")[0]] == ["t6", "t7"]
    assert len(sqlite_store.history("a123")) == 1
    # the batch checked tie ends itself; afterwards SQLite's foreign keys guard single writes again
    assert sqlite_store._conn().execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_history_of_a_bulk_created_record_is_the_whole_record_though_stored_without_defaults(sqlite_store):
    actors = [{"id": "a1", "name": "Verein Eins", "kind": "ngo", "city": "Leipzig",
               "contact_details": [{"type": "email", "value": "info@example.org"}]},
              {"id": "a2", "name": "Anna Beispiel", "kind": "person"}]
    ties = [{"id": "t1", "source_id": "a2", "target_id": "a1", "type": "works_for", "attributes": {"role": "Leiterin"}}]
    sqlite_store.apply_batch(actors, ties, by="bulk")
    for entity_id, record in (("a1", sqlite_store.get_actor("a1")), ("a2", sqlite_store.get_actor("a2")),
                              ("t1", sqlite_store.get_tie("t1"))):
        (entry,) = sqlite_store.history(entity_id)
        assert entry["action"] == "create" and entry["after"] == record
    stored = sqlite_store._read("SELECT after FROM history WHERE entity_id = 'a2'")[0][0]
    assert stored == '{"kind":"person","name":"Anna Beispiel"}'
    dumped = {h["entity_id"]: h["after"] for h in sqlite_store.export_records()["history"]}
    assert dumped["t1"] == sqlite_store.get_tie("t1")


def _batch(n=N):
    actors = [{"id": f"a{i}", "name": f"Actor {i}", "kind": "ngo"} for i in range(n)]
    ties = [{"id": f"t{i}", "source_id": f"a{i}", "target_id": f"a{(i + 1) % n}", "type": "knows"} for i in range(n)]
    return actors, ties


def _journal(store):
    return store._conn().execute("PRAGMA journal_mode").fetchone()[0]


def test_a_big_batch_into_a_file_no_one_else_has_open_leaves_no_big_wal_file(sqlite_store, db_path):
    sqlite_store.apply_batch(*_batch(), by="bulk")
    wal = db_path.with_name(db_path.name + "-wal")
    assert _journal(sqlite_store) == "wal"  # readers never wait for writers again
    assert not wal.exists() or wal.stat().st_size < 1_000_000  # the rows went straight into the file
    assert db_path.stat().st_size > 10_000_000
    assert sqlite_store.stats()["actors_total"] == N


def test_a_big_batch_while_a_server_reads_the_file_goes_through_the_wal(sqlite_store, db_path):
    from graph_service.store.sqlite import SQLiteStore

    server = SQLiteStore(db_path)
    assert server.stats()["actors_total"] == 0  # its connection stays open
    sqlite_store.apply_batch(*_batch(), by="bulk")
    assert server.stats()["actors_total"] == N and _journal(server) == "wal"
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.stat().st_size < 1_000_000  # not kept at the batch's size while the server runs
    server.close()


def test_a_connection_opened_while_a_big_batch_is_written_reads_what_was_committed(sqlite_store, db_path):
    import sqlite3

    from graph_service.store.sqlite import SQLiteStore

    sqlite_store.close()
    writer = sqlite3.connect(db_path, isolation_level=None)  # as _straight_to_file leaves it mid-batch
    assert writer.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO actors (id, name, name_folded, kind, created_at, created_by, updated_at, updated_by)"
                   " VALUES ('x', 'X', 'x', 'ngo', '', '', '', '')")
    reader = SQLiteStore(db_path)
    assert reader.stats()["actors_total"] == 0  # opens without waiting, sees the last commit
    writer.execute("COMMIT")
    writer.execute("PRAGMA journal_mode = WAL")
    writer.close()
    assert reader.stats()["actors_total"] == 1
    reader.close()


def test_a_smaller_batch_while_a_server_reads_the_file_leaves_no_big_wal_either(sqlite_store, db_path):
    from graph_service.store.sqlite import SQLiteStore

    server = SQLiteStore(db_path)
    assert server.stats()["actors_total"] == 0
    sqlite_store.apply_batch(*_batch(20_000), by="bulk")  # below the rollback journal's threshold
    assert server.stats()["actors_total"] == 20_000
    assert db_path.with_name(db_path.name + "-wal").stat().st_size < 1_000_000
    server.close()
