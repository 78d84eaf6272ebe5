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
