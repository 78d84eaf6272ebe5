"""Behaviour only the embedded SQLite store has: what stays in its files on disk."""
from __future__ import annotations


def test_an_erased_persons_details_are_gone_from_the_files_on_disk(tmp_path):
    """Not only from the rows: from free space in the database file and from the write-ahead log."""
    from graph_service.model import validate_actor
    from graph_service.store.sqlite import SQLiteStore

    db = tmp_path / "graph.sqlite3"
    store = SQLiteStore(db)
    store.init_schema()
    person = store.create_actor(validate_actor({"name": "Zebulon Quartermaine", "kind": "person",
                                                "contact_details": [{"type": "phone", "value": "+41 44 555 12 34"}]}), by="t")
    for city in ("Zurich", "Basel", "Bern"):
        store.update_actor(person["id"], {"city": city, "description": "Zebulon Quartermaine, again"}, by="t")
    store.erase_personal_data(person["id"], by="t")
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("graph.sqlite3"))
    assert b"Quartermaine" not in raw and b"555 12 34" not in raw
    assert store.get_actor(person["id"])["name"] == "Erased person"
    store.close()


def test_a_batch_failing_while_its_new_rows_are_copied_leaves_the_store_as_it_was(sqlite_store):
    """The copy of staged rows runs beside other work (a thread); its error still reaches the caller and rolls back."""
    import sqlite3

    import pytest

    sqlite_store.apply_batch([{"id": "kept", "name": "Verein Bleibt", "kind": "ngo"}], [], by="t")
    before = (sqlite_store.stats(), sqlite_store.projection(), sqlite_store.revision())
    good = [{"id": f"p{i}", "name": f"Person {i}", "kind": "person"} for i in range(3)]
    seen = [{"entity_type": "actor", "entity_id": f"p{i}", "file": "k.csv", "sheet": "k", "row": i + 2, "data": {}} for i in range(4)]
    sync = {"source": "k.csv", "format": "contacts", "files": ["k.csv"], "at": "2026-01-01T00:00:00.000Z", "seen": seen, "missing": []}
    with pytest.raises(sqlite3.IntegrityError):  # a name the columns refuse (NOT NULL), found only when copied
        sqlite_store.apply_sync(good + [{"id": "p3", "name": None, "kind": "person"}], [], sync=sync, by="t")
    assert (sqlite_store.stats(), sqlite_store.projection(), sqlite_store.revision()) == before
    assert sqlite_store.sync_records("k.csv") == []
    assert sqlite_store.apply_sync(good, [], sync={**sync, "seen": seen[:3]}, by="t")["actors"]["created"] == 3


def test_a_sync_staged_by_a_forked_process_ends_as_one_staged_here(tmp_path, monkeypatch):
    """A big sync with workers stages its ties and sync records in a child process: the store ends the same."""
    from graph_service.store import sqlite
    from graph_service.store.sqlite import SQLiteStore

    monkeypatch.setattr(sqlite, "_FORKED_STAGING", 0)
    actors = [{"id": f"p{i}", "name": f"Person {i}", "kind": "person"} for i in range(50)]
    ties = [{"id": f"t{i}", "source_id": f"p{i}", "target_id": f"p{(i + 1) % 50}", "type": "knows", "strength": 1 + i % 5,
             "attributes": {"Rolle": f"r{i}"}} for i in reversed(range(50))]
    seen = [{"entity_type": "actor", "entity_id": f"p{i}", "file": "k.csv", "sheet": "k", "row": i + 2,
             "data": {"name": f"Person {i}", "contact_details": [{"type": "email", "value": f"p{i}@example.org"}]}}
            for i in reversed(range(50))] + [{"entity_type": "tie", "entity_id": t["id"], "file": "k.csv", "sheet": "k",
                                              "row": 60, "data": {"attributes": ["Rolle"]}} for t in ties]
    sync = {"source": "k.csv", "format": "contacts", "files": ["k.csv"], "at": "2026-01-01T00:00:00.000Z", "seen": seen, "missing": []}
    ends = []
    for workers in (1, 2):
        store = SQLiteStore(tmp_path / f"w{workers}.sqlite3")
        store.init_schema()
        store.apply_batch(actors[:2], [{**ties[-1], "strength": 5}], by="first")  # t0 exists already: updated, not copied
        summary = store.apply_sync(actors, ties, sync=sync, by="t", workers=workers)
        assert summary["ties"] == {"created": 49, "updated": 1, "unchanged": 0}
        records = sorted(store.sync_records("k.csv"), key=lambda r: r["entity_id"])
        timeless = lambda d: {k: v for k, v in (d or {}).items() if not k.endswith("_at")}  # noqa: E731
        history = {i: [(h["action"], h["by"], timeless(h["after"])) for h in store.history(i)] for i in ("p0", "p7", "t0", "t7")}
        ties_now = sorted(store.list_ties(limit=1000)[0], key=lambda t: t["id"])
        ends.append((summary, [timeless(r) for r in records], history, [timeless(t) for t in ties_now]))
        assert store.provenance("p7")[0]["row"] == 9 and store.get_tie("t0")["strength"] == 1
        store.close()
    assert ends[0] == ends[1] and len(ends[0][1]) == 100
