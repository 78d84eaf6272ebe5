"""graph-service merge A B: one actor, every tie and the history kept; later imports find A."""
import pytest

from graph_service.errors import NotFound, ValidationError
from graph_service.model import validate_actor
from graph_service.services.merge import merge_actors, name_key
from graph_service.services.sync import import_files
from importers.records import ImportOptions


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two_sources(any_store, tmp_path):
    a = write(tmp_path / "team.csv", "Name,Organisation,E-Mail\nAnna Müller,Stadt Beispiel,anna@example.org\n")
    b = write(tmp_path / "outlook.csv", "Name,Organisation,E-Mail,Telefon\nDr. Anna Müller,Jugendring,dr.anna@example.org,+49 30 5550100\n")
    import_files(any_store, [a])
    import_files(any_store, [b])
    keep = any_store.find_actors_by_name("Anna Müller")[0]
    gone = any_store.find_actors_by_name("Dr. Anna Müller")[0]
    return any_store, keep, gone, a, b


def test_name_key_sees_through_titles_order_and_umlauts():
    assert name_key("Dr. Anna Müller") == name_key("Mueller, Anna") == "anna mueller"
    assert name_key("Prof. Dr. Jörg von Weiß") == "joerg weiss"


def test_merge_moves_every_tie_and_keeps_values_and_history(two_sources):
    store, keep, gone, _, _ = two_sources
    result = merge_actors(store, "Anna Müller", gone["id"], by="carla")
    assert (result["merged"], result["ties_moved"], result["ties_folded"]) == (gone["id"], 1, 0)
    kept = store.get_actor(keep["id"])
    assert kept["aliases"] == ["Dr. Anna Müller"]
    assert [c["value"] for c in kept["contact_details"]] == ["anna@example.org", "dr.anna@example.org", "+49305550100"]
    employers = sorted(store.get_actor(t["target_id"])["name"] for t in store.list_ties(actor_id=keep["id"])[0])
    assert employers == ["Jugendring", "Stadt Beispiel"]
    assert store.get_actor(gone["id"]) is None
    assert store.history(gone["id"])[-1]["action"] == "merged"
    assert store.history(gone["id"])[-1]["after"]["merged_into"] == keep["id"]
    assert store.history(keep["id"])[-1]["action"] == "merge" and store.history(keep["id"])[-1]["by"] == "carla"
    assert {p["source"] for p in store.provenance(keep["id"])} == {"team.csv", "outlook.csv"}


def test_reimporting_after_a_merge_finds_the_kept_actor_and_changes_nothing(two_sources):
    store, keep, gone, a, b = two_sources
    merge_actors(store, keep["id"], gone["id"], by="carla")
    for f in (a, b):
        again = import_files(store, [f], options=ImportOptions(region="DE"))
        assert again["counts"]["actors"]["created"] == 0, f.name
        assert again["counts"]["actors"]["updated"] == 0, again["actors"]["updated"]
        assert again["counts"]["ties"] == {"created": 0, "updated": 0, "unchanged": 1, "missing": 0, "reactivated": 0}
    assert store.get_actor(keep["id"])["name"] == "Anna Müller"


def test_merging_a_tie_between_the_two_or_a_repeated_tie_keeps_it_in_history(any_store):
    for i, name in enumerate(("Alpha", "Alpha e.V.", "Beta")):
        any_store.create_actor(validate_actor({"id": f"a{i}", "name": name, "kind": "ngo"}), by="t")
    any_store.create_tie({"id": "t1", "source_id": "a0", "target_id": "a1", "type": "knows"}, by="t")
    any_store.create_tie({"id": "t2", "source_id": "a0", "target_id": "a2", "type": "funds"}, by="t")
    any_store.create_tie({"id": "t3", "source_id": "a1", "target_id": "a2", "type": "funds"}, by="t")
    result = merge_actors(any_store, "a0", "a1", by="t")
    assert (result["ties_moved"], result["ties_folded"]) == (0, 2)
    assert [t["id"] for t in any_store.list_ties()[0]] == ["t2"]
    assert [h["action"] for h in any_store.history("t3")] == ["create", "delete"]


def test_merge_refuses_the_same_actor_and_unknown_names(two_sources):
    store, keep, _, _, _ = two_sources
    with pytest.raises(ValidationError):
        merge_actors(store, keep["id"], "Anna Müller", by="x")
    with pytest.raises(NotFound):
        merge_actors(store, keep["id"], "Nobody Here", by="x")


def test_merging_a_sensitive_actor_into_another_keeps_the_result_sensitive(any_store):
    from graph_service.model import validate_actor

    public = any_store.create_actor(validate_actor({"name": "Sam Visible", "kind": "person"}), by="t")
    hidden = any_store.create_actor(validate_actor({"name": "Omar Example", "kind": "person",
                                                       "contact_details": [{"type": "phone", "value": "+41 44 000 00 00"}]}),
                                       by="t", visible_to=["amira", "ben"])
    merge_actors(any_store, public["id"], hidden["id"], by="t")
    assert any_store.access_entries()[public["id"]]["visible_to"] == ["amira", "ben"]
    # both protected: only who could see both sees the merged actor
    third = any_store.create_actor(validate_actor({"name": "Third Example", "kind": "person"}), by="t", visible_to=["ben"])
    merge_actors(any_store, third["id"], public["id"], by="t")
    assert any_store.access_entries()[third["id"]]["visible_to"] == ["ben"]
