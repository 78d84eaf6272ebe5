"""The GraphStore contract, run against every store (``store`` fixture: sqlite, neo4j).

Each test states a behaviour a user of the service notices; the same assertions hold for the
embedded SQLite store and for Neo4j. ``test_stores_answer_alike`` loads one graph into both and
compares their answers.
"""
from __future__ import annotations

import time

import pytest

from graph_service.errors import Conflict, NotFound, StoreUnavailable, ValidationError
from graph_service.model import validate_actor, validate_tie
from graph_service.store.base import GraphStore

BY = "alice"


def actor(name: str, kind: str = "ngo", **fields) -> dict:
    return validate_actor({"name": name, "kind": kind, **fields})


def tie(source_id: str, target_id: str, type: str = "knows", **fields) -> dict:
    return validate_tie({"source_id": source_id, "target_id": target_id, "type": type, **fields})


def add(store, name: str, kind: str = "ngo", **fields) -> str:
    return store.create_actor(actor(name, kind, **fields), by=BY)["id"]


def link(store, a: str, b: str, type: str = "knows", **fields) -> str:
    return store.create_tie(tie(a, b, type, **fields), by=BY)["id"]


def ids(records) -> list[str]:
    return [r["id"] for r in records]


def tick() -> None:
    """Let the millisecond clock move, so a new timestamp differs from the last."""
    time.sleep(0.005)


def snapshot(store) -> tuple:
    """What a user can see of the whole store: counts, projection, every record incl. deleted."""
    actors, total_a = store.list_actors(limit=10_000, include_deleted=True)
    ties, total_t = store.list_ties(limit=10_000, include_deleted=True)
    return store.stats(), store.projection(), actors, total_a, ties, total_t


# lifecycle ---------------------------------------------------------------------------------
def test_store_implements_the_whole_protocol(store):
    assert isinstance(store, GraphStore)
    missing = [m for m in dir(GraphStore) if not m.startswith("_") and not hasattr(store, m)]
    assert missing == []


def test_schema_is_idempotent_and_store_answers(store):
    store.init_schema()
    store.init_schema()
    store.ping()
    assert store.name in ("sqlite", "neo4j")
    assert store.describe()
    assert store.stats() == {"actors": {}, "ties": {}, "actors_total": 0, "ties_total": 0}
    assert store.projection() == ([], [])


# actors ------------------------------------------------------------------------------------
def test_create_and_get_actor(store):
    created = store.create_actor(
        actor(
            "München ist Bunt",
            "community_actor",
            aliases=["MiB"],
            description="Civic alliance",
            tags=["newcomers", "youth"],
            country="Germany",
            city="Munich",
            contact_details=[{"type": "email", "value": "info@example.org", "label": "office"}],
            attributes={"founded": 2010, "website": "https://example.org"},
            source="elements.csv#row 2",
        ),
        by=BY,
    )
    assert created["id"] == "munchen-ist-bunt"
    got = store.get_actor("munchen-ist-bunt")
    assert got == created
    assert got["name"] == "München ist Bunt"
    assert got["aliases"] == ["MiB"]
    assert got["tags"] == ["newcomers", "youth"]
    assert got["contact_details"] == [{"type": "email", "value": "info@example.org", "label": "office"}]
    assert got["attributes"] == {"founded": 2010, "website": "https://example.org"}
    assert got["deleted_at"] is None
    assert set(got) == {
        "id", "name", "kind", "aliases", "description", "tags", "country", "city", "contact_details",
        "attributes", "source", "created_at", "created_by", "updated_at", "updated_by", "deleted_at",
    }
    assert store.get_actor("nobody") is None


def test_generated_ids_are_slugs_with_suffix_on_clash(store):
    first = add(store, "München ist Bunt")
    second = add(store, "München ist Bunt")
    third = add(store, "MÜNCHEN IST BUNT!")
    assert (first, second, third) == ("munchen-ist-bunt", "munchen-ist-bunt-2", "munchen-ist-bunt-3")
    # a deleted actor keeps its id: it is never handed to someone else
    store.delete_actor(first, by=BY)
    assert add(store, "München ist Bunt") == "munchen-ist-bunt-4"


def test_concurrent_creates_of_one_name_get_distinct_ids(store):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=6) as pool:
        created = list(pool.map(lambda _: add(store, "Same Name"), range(6)))
    assert sorted(created) == sorted(["same-name"] + [f"same-name-{n}" for n in range(2, 7)])
    assert store.list_actors(q="same name")[1] == 6


def test_given_id_is_kept_and_a_used_id_is_a_conflict(store):
    assert store.create_actor({**actor("City of Munich", "city"), "id": "muc"}, by=BY)["id"] == "muc"
    with pytest.raises(Conflict):
        store.create_actor({**actor("Another", "city"), "id": "muc"}, by=BY)
    store.delete_actor("muc", by=BY)
    with pytest.raises(Conflict):  # deleted ids stay taken
        store.create_actor({**actor("Another", "city"), "id": "muc"}, by=BY)
    assert store.get_actor("muc", include_deleted=True)["name"] == "City of Munich"


def test_id_is_stable_when_the_name_changes(store):
    actor_id = add(store, "Violence Prevention Network")
    updated = store.update_actor(actor_id, {"name": "VPN gGmbH"}, by="bob")
    assert updated["id"] == actor_id == "violence-prevention-network"
    assert store.get_actor(actor_id)["name"] == "VPN gGmbH"
    assert store.list_actors(q="vpn")[0][0]["id"] == actor_id
    assert store.list_actors(q="violence")[1] == 0


def test_provenance_and_updated_at_only_moves_on_a_real_change(store):
    created = store.create_actor(actor("Strong Cities Network", "network", source="sheet#1"), by="alice")
    assert created["created_by"] == created["updated_by"] == "alice"
    assert created["created_at"] == created["updated_at"]
    assert created["created_at"].endswith("Z")
    tick()
    same = store.update_actor(created["id"], {"name": "Strong Cities Network", "tags": []}, by="bob")
    assert same["updated_at"] == created["updated_at"]
    assert same["updated_by"] == "alice"
    # provenance alone changing (the row moved in its sheet) is not a change either
    same = store.update_actor(created["id"], {"source": "sheet#7"}, by="bob")
    assert same["updated_at"] == created["updated_at"]
    assert store.get_actor(created["id"])["source"] == "sheet#1"
    assert [h["action"] for h in store.history(created["id"])] == ["create"]
    tick()
    changed = store.update_actor(created["id"], {"city": "London", "source": "sheet#9"}, by="bob")
    assert changed["updated_at"] > created["updated_at"]
    assert changed["updated_by"] == "bob"
    assert changed["created_at"] == created["created_at"]
    assert changed["created_by"] == "alice"
    assert changed["source"] == "sheet#9"  # carried along with a real change
    assert store.get_actor(created["id"]) == changed


def test_update_or_delete_of_a_missing_actor_is_not_found(store):
    with pytest.raises(NotFound):
        store.update_actor("ghost", {"name": "x"}, by=BY)
    with pytest.raises(NotFound):
        store.delete_actor("ghost", by=BY)
    actor_id = add(store, "Gone")
    store.delete_actor(actor_id, by=BY)
    with pytest.raises(NotFound):
        store.update_actor(actor_id, {"name": "Back"}, by=BY)
    with pytest.raises(NotFound):
        store.delete_actor(actor_id, by=BY)


def test_list_actors_filters_paging_and_total(store):
    add(store, "Berlin", "city", tags=["capital"], city="Berlin")
    add(store, "Amadeu Antonio Stiftung", "funder", tags=["hate-crime", "research"], city="Berlin")
    add(store, "Anne Frank Zentrum", "ngo", tags=["youth"], city="berlin")
    add(store, "Denkzeit", "ngo", tags=["youth"], city="Berlin")
    add(store, "ADL", "ngo", tags=["hate-crime"], city="New York City")
    gone = add(store, "Zivilcourage", "ngo", tags=["youth"], city="Berlin")
    store.delete_actor(gone, by=BY)

    everyone, total = store.list_actors()
    assert total == 5
    assert [a["name"] for a in everyone] == ["ADL", "Amadeu Antonio Stiftung", "Anne Frank Zentrum", "Berlin", "Denkzeit"]
    assert ids(store.list_actors(kind="ngo")[0]) == ["adl", "anne-frank-zentrum", "denkzeit"]
    assert ids(store.list_actors(tag="youth")[0]) == ["anne-frank-zentrum", "denkzeit"]
    assert ids(store.list_actors(tag="hate")[0]) == []  # tags match whole
    assert store.list_actors(city="BERLIN")[1] == 4  # case-insensitive
    assert ids(store.list_actors(kind="ngo", tag="youth", city="Berlin")[0]) == ["anne-frank-zentrum", "denkzeit"]
    page, total = store.list_actors(limit=2, offset=1)
    assert total == 5
    assert ids(page) == ["amadeu-antonio-stiftung", "anne-frank-zentrum"]
    page, total = store.list_actors(limit=2, offset=4)
    assert (ids(page), total) == (["denkzeit"], 5)
    assert store.list_actors(limit=2, offset=10) == ([], 5)
    with_deleted, total = store.list_actors(include_deleted=True, tag="youth")
    assert total == 3
    assert with_deleted[-1]["id"] == gone and with_deleted[-1]["deleted_at"]


def test_search_ignores_accents_and_case_and_matches_aliases(store):
    mib = add(store, "München ist Bunt", aliases=["MiB"])
    muc = add(store, "Landeshauptstadt München", "city", aliases=["City of Munich"])
    add(store, "Hamburg", "city")
    assert ids(store.list_actors(q="munchen")[0]) == [mib, muc]
    assert ids(store.list_actors(q="MÜNCHEN")[0]) == [mib, muc]
    assert ids(store.list_actors(q="  münchen ")[0]) == [mib, muc]
    assert ids(store.list_actors(q="mib")[0]) == [mib]  # alias
    assert ids(store.list_actors(q="of muni")[0]) == [muc]  # alias substring
    assert store.list_actors(q="berlin") == ([], 0)
    assert store.list_actors(q="hamb", kind="ngo") == ([], 0)


def test_search_orders_exact_then_prefix_then_by_name(store):
    add(store, "Cities Network")  # prefix
    add(store, "Strong Cities")  # contains
    add(store, "Cities")  # exact
    add(store, "A Cities Forum")  # contains, sorts first by name
    add(store, "Citiesnet")  # prefix
    found, total = store.list_actors(q="cities")
    assert total == 5
    assert [a["name"] for a in found] == ["Cities", "Cities Network", "Citiesnet", "A Cities Forum", "Strong Cities"]
    # paging keeps that order
    assert [a["name"] for a in store.list_actors(q="cities", limit=2, offset=2)[0]] == ["Citiesnet", "A Cities Forum"]


def test_search_does_not_match_the_punctuation_between_aliases(store):
    add(store, "Alpha", aliases=["One", "Two"])
    add(store, "Beta")
    for q in ("[", '"', 'one", "two'):
        assert store.list_actors(q=q) == ([], 0), q


def test_city_filter_ignores_case_beyond_ascii(store):
    add(store, "Region Jämtland", "agency", city="ÖSTERSUND")
    assert store.list_actors(city="östersund")[1] == 1
    assert store.list_actors(city=" Östersund ")[1] == 1


def test_find_actors_by_name_matches_whole_folded_name_or_alias(store):
    mib = add(store, "München ist Bunt", aliases=["MiB"])
    other = add(store, "Muenchen ist bunt")
    assert ids(store.find_actors_by_name("munchen ist  BUNT")) == [mib]
    assert ids(store.find_actors_by_name("mib")) == [mib]
    assert store.find_actors_by_name("München") == []  # not a substring search
    twin = add(store, "München ist Bunt")
    assert ids(store.find_actors_by_name("München ist Bunt")) == [mib, twin]
    store.delete_actor(mib, by=BY)
    assert ids(store.find_actors_by_name("München ist Bunt")) == [twin]
    assert ids(store.find_actors_by_name("Muenchen ist Bunt")) == [other]


# ties --------------------------------------------------------------------------------------
def test_create_get_update_delete_tie(store):
    a, b = add(store, "Mayor's Office", "agency"), add(store, "Youth Forum")
    created = store.create_tie(
        tie(a, b, "partners with", strength=4, since="2021-03-01", last_contact="2023-01-19",
            description="Co-host", source="connections.csv#row 3", attributes={"note": "x"}),
        by=BY,
    )
    assert created["id"].startswith("t-")
    got = store.get_tie(created["id"])
    assert got == created
    assert got["source_id"] == a and got["target_id"] == b
    assert got["type"] == "partners_with" and got["label"] == "partners with"
    assert got["directed"] is True and got["strength"] == 4
    assert got["since"] == "2021-03-01" and got["until"] is None and got["last_contact"] == "2023-01-19"
    assert got["attributes"] == {"note": "x"}
    assert set(got) == {
        "id", "source_id", "target_id", "type", "label", "directed", "strength", "since", "until",
        "last_contact", "source", "description", "attributes", "created_at", "created_by", "updated_at",
        "updated_by", "deleted_at",
    }
    tick()
    assert store.update_tie(created["id"], {"strength": 4}, by="bob") == got  # no change
    updated = store.update_tie(created["id"], validate_tie({"strength": 2, "direction": "mutual"}, partial=True), by="bob")
    assert updated["strength"] == 2 and updated["directed"] is False
    assert updated["updated_by"] == "bob" and updated["updated_at"] > created["updated_at"]
    assert store.get_tie(created["id"]) == updated
    with pytest.raises(ValidationError):
        store.update_tie(created["id"], {"until": "2020-01-01"}, by=BY)
    store.delete_tie(created["id"], by=BY)
    assert store.get_tie(created["id"]) is None
    assert store.get_tie(created["id"], include_deleted=True)["deleted_at"]
    with pytest.raises(NotFound):
        store.delete_tie(created["id"], by=BY)
    with pytest.raises(NotFound):
        store.update_tie(created["id"], {"strength": 1}, by=BY)
    with pytest.raises(NotFound):
        store.update_tie("t-ghost", {"strength": 1}, by=BY)
    assert store.get_tie("t-ghost") is None


def test_tie_ends_must_be_live_actors(store):
    a = add(store, "Alpha")
    gone = add(store, "Gone")
    store.delete_actor(gone, by=BY)
    with pytest.raises(ValidationError) as err:
        store.create_tie(tie(a, "nobody"), by=BY)
    assert [e["field"] for e in err.value.errors] == ["target_id"]
    with pytest.raises(ValidationError) as err:
        store.create_tie(tie("nobody", gone), by=BY)
    assert [e["field"] for e in err.value.errors] == ["source_id", "target_id"]
    assert store.list_ties(include_deleted=True) == ([], 0)


def test_tie_id_conflict_and_parallel_ties(store):
    a, b = add(store, "Alpha"), add(store, "Beta")
    store.create_tie({**tie(a, b), "id": "t-1"}, by=BY)
    with pytest.raises(Conflict):
        store.create_tie({**tie(b, a, "funds"), "id": "t-1"}, by=BY)
    # several ties may join the same pair
    store.create_tie({**tie(a, b, "funds"), "id": "t-2"}, by=BY)
    store.create_tie({**tie(b, a, "supports"), "id": "t-3"}, by=BY)
    assert ids(store.list_ties()[0]) == ["t-1", "t-2", "t-3"]
    assert store.get_tie("t-3")["source_id"] == b


def test_list_ties_filters_paging_and_total(store):
    a, b, c, d = (add(store, n) for n in ("A", "B", "C", "D"))
    for tie_id, s, t, ty in [("t-1", a, b, "knows"), ("t-2", b, c, "funds"), ("t-3", c, a, "knows"),
                              ("t-4", c, d, "knows"), ("t-5", a, b, "funds")]:
        store.create_tie({**tie(s, t, ty), "id": tie_id}, by=BY)
    store.delete_tie("t-5", by=BY)
    assert store.list_ties()[1] == 4
    assert ids(store.list_ties(actor_id=a)[0]) == ["t-1", "t-3"]  # either end
    assert ids(store.list_ties(actor_id=a, include_deleted=True)[0]) == ["t-1", "t-3", "t-5"]
    assert ids(store.list_ties(type="knows")[0]) == ["t-1", "t-3", "t-4"]
    assert ids(store.list_ties(actor_id=c, type="knows")[0]) == ["t-3", "t-4"]
    page, total = store.list_ties(limit=2, offset=1)
    assert (ids(page), total) == (["t-2", "t-3"], 4)
    assert store.list_ties(actor_id="nobody") == ([], 0)


# soft deletion and history --------------------------------------------------------------------
def test_deleting_an_actor_hides_it_and_its_ties(store):
    a, b, c = add(store, "A"), add(store, "B"), add(store, "C")
    t_ab, t_bc = link(store, a, b), link(store, b, c)
    t_ca = link(store, c, a)
    store.delete_tie(t_ca, by=BY)
    store.delete_actor(b, by="bob")
    assert store.get_actor(b) is None
    assert store.get_actor(b, include_deleted=True)["deleted_at"]
    assert store.get_actor(b, include_deleted=True)["updated_by"] == "bob"
    assert store.get_tie(t_ab) is None and store.get_tie(t_bc) is None
    assert store.get_tie(t_ab, include_deleted=True)["deleted_at"]
    assert store.list_actors()[1] == 2
    assert store.list_ties() == ([], 0)
    assert store.stats() == {"actors": {"ngo": 2}, "ties": {}, "actors_total": 2, "ties_total": 0}
    actors, ties = store.projection()
    assert ids(actors) == [a, c] and ties == []
    assert store.ego_network(a)["actors"] == [store.get_actor(a)]
    with pytest.raises(NotFound):
        store.ego_network(b)
    assert store.shortest_path(a, c) is None
    # the tie deleted earlier keeps its own deletion (no second history entry)
    assert [h["action"] for h in store.history(t_ca)] == ["create", "delete"]
    assert [h["action"] for h in store.history(t_ab)] == ["create", "delete"]
    assert store.history(t_ab)[-1]["by"] == "bob"


def test_history_records_create_update_delete_with_before_and_after(store):
    actor_id = add(store, "Initiative X", "initiative")
    store.update_actor(actor_id, {"name": "Initiative Y"}, by="bob")
    store.update_actor(actor_id, {"name": "Initiative Y"}, by="bob")  # no change, no entry
    store.delete_actor(actor_id, by="carol")
    entries = store.history(actor_id)
    assert [(h["action"], h["by"]) for h in entries] == [("create", BY), ("update", "bob"), ("delete", "carol")]
    assert [h["entity_type"] for h in entries] == ["actor"] * 3
    assert all(h["entity_id"] == actor_id for h in entries)
    assert entries[0]["id"] < entries[1]["id"] < entries[2]["id"]
    assert entries[0]["at"] <= entries[1]["at"] <= entries[2]["at"]
    create, update, delete = entries
    assert create["before"] is None and create["after"]["name"] == "Initiative X"
    assert update["before"]["name"] == "Initiative X" and update["after"]["name"] == "Initiative Y"
    assert update["after"]["updated_by"] == "bob"
    assert delete["before"]["deleted_at"] is None and delete["after"]["deleted_at"]
    assert store.history("nothing") == []

    a, b = add(store, "A"), add(store, "B")
    tie_id = link(store, a, b, strength=3)
    store.update_tie(tie_id, {"strength": 5}, by="bob")
    tie_history = store.history(tie_id)
    assert [h["action"] for h in tie_history] == ["create", "update"]
    assert tie_history[1]["entity_type"] == "tie"
    assert (tie_history[1]["before"]["strength"], tie_history[1]["after"]["strength"]) == (3, 5)
    assert tie_history[0]["after"]["source_id"] == a
    assert tie_history[0]["id"] > entries[-1]["id"]  # one sequence for the whole store


def test_stats_count_live_actors_and_ties(store):
    a, b = add(store, "A", "city"), add(store, "B", "ngo")
    c = add(store, "C", "ngo")
    link(store, a, b, "funds")
    link(store, b, c, "knows")
    t = link(store, a, c, "knows")
    store.delete_tie(t, by=BY)
    assert store.stats() == {
        "actors": {"city": 1, "ngo": 2},
        "ties": {"funds": 1, "knows": 1},
        "actors_total": 3,
        "ties_total": 2,
    }


# batches -------------------------------------------------------------------------------------
def _batch():
    actors = [
        {**actor("Strong Cities Network", "network", tags=["prevention"], source="e#2"), "id": "scn"},
        {**actor("German Marshall Fund", "ngo", source="e#3"), "id": "gmf"},
        {**actor("US Conference of Mayors", "network", source="e#4"), "id": "uscm"},
    ]
    ties = [
        {**tie("scn", "gmf", "partners with", direction="mutual", strength=4, source="c#2"), "id": "t-scn-gmf"},
        {**tie("gmf", "uscm", "knows", source="c#3"), "id": "t-gmf-uscm"},
    ]
    return actors, ties


def test_apply_batch_counts_and_is_idempotent(store):
    actors, ties = _batch()
    summary = store.apply_batch(actors, ties, by="import")
    assert summary == {"actors": {"created": 3, "updated": 0, "unchanged": 0},
                       "ties": {"created": 2, "updated": 0, "unchanged": 0}}
    assert store.get_actor("scn")["created_by"] == "import"
    assert store.get_tie("t-scn-gmf")["directed"] is False
    before = snapshot(store)
    history_before = store.history("scn")
    tick()
    again = store.apply_batch(actors, ties, by="import")
    assert again == {"actors": {"created": 0, "updated": 0, "unchanged": 3},
                     "ties": {"created": 0, "updated": 0, "unchanged": 2}}
    assert snapshot(store) == before  # nothing moved, not even updated_at
    assert store.history("scn") == history_before
    # rows that moved in the sheet only (source) are unchanged too
    moved = [{**a, "source": a["source"] + "0"} for a in actors]
    assert store.apply_batch(moved, [], by="import")["actors"]["unchanged"] == 3
    changed = [{**actors[0], "city": "London"}] + actors[1:]
    changed_ties = [{**ties[0], "strength": 5}, ties[1]]
    assert store.apply_batch(changed, changed_ties, by="sync") == {
        "actors": {"created": 0, "updated": 1, "unchanged": 2},
        "ties": {"created": 0, "updated": 1, "unchanged": 1},
    }
    assert store.get_actor("scn")["city"] == "London"
    assert store.get_actor("scn")["updated_by"] == "sync"
    assert store.get_tie("t-scn-gmf")["strength"] == 5
    assert [h["action"] for h in store.history("scn")] == ["create", "update"]


def test_records_created_by_a_batch_have_their_whole_first_state_in_history(store):
    full = {"id": "full", "name": "Jugendring Beispiel", "kind": "ngo", "aliases": ["JRB"], "tags": ["youth", "sport"],
            "description": "Zwei Zeilen\nund ein \"Zitat\"", "country": "DE", "city": "München",
            "contact_details": [{"type": "email", "value": "info@example.org", "label": "Büro"}],
            "attributes": {"Gründung": "1990", "Notiz": "=SUMME(A1)"}, "source": "k.csv#k!row 2"}
    bare = {"id": "bare", "name": "Anna Example", "kind": "person"}
    ties = [{"id": "t-full", "source_id": "bare", "target_id": "full", "type": "member_of", "label": "Vorstand",
             "directed": False, "strength": 4, "since": "2020-01-01", "until": "2024-12-31", "last_contact": "2024-06-01",
             "source": "k.csv#k!row 3", "description": "seit Jahren", "attributes": {"Rolle": "Kasse"}},
            {"id": "t-bare", "source_id": "full", "target_id": "bare", "type": "knows"}]
    store.apply_batch([full, bare], ties, by="import")
    for record in (store.get_actor("full"), store.get_actor("bare"), store.get_tie("t-full"), store.get_tie("t-bare")):
        (create,) = store.history(record["id"])
        assert create["action"] == "create" and create["by"] == "import" and create["before"] is None
        assert create["after"] == record  # every field as created, defaults included


def test_apply_batch_restores_deleted_records(store):
    actors, ties = _batch()
    store.apply_batch(actors, ties, by="import")
    store.delete_actor("gmf", by=BY)
    assert store.stats()["ties_total"] == 0
    summary = store.apply_batch(actors, ties, by="import")
    assert summary == {"actors": {"created": 0, "updated": 1, "unchanged": 2},
                       "ties": {"created": 0, "updated": 2, "unchanged": 0}}
    assert store.get_actor("gmf")["deleted_at"] is None
    assert store.get_tie("t-gmf-uscm")["deleted_at"] is None
    assert [h["action"] for h in store.history("gmf")] == ["create", "delete", "restore"]
    assert [h["action"] for h in store.history("t-gmf-uscm")] == ["create", "delete", "update"]


def test_apply_batch_is_all_or_nothing(store):
    actors, ties = _batch()
    store.apply_batch(actors[:2], ties[:1], by="import")
    before = snapshot(store)
    history_before = store.history("scn")
    new_actors = [{**actors[0], "city": "Changed"}, actors[1], actors[2],
                  {**actor("Newcomer"), "id": "newcomer"}]
    bad_ties = [{**ties[0], "strength": 1}, ties[1], {**tie("uscm", "missing-actor"), "id": "t-bad"}]
    with pytest.raises(ValidationError) as err:
        store.apply_batch(new_actors, bad_ties, by="import")
    assert err.value.errors[0]["field"] == "target_id"
    assert snapshot(store) == before
    assert store.history("scn") == history_before
    assert store.get_actor("newcomer", include_deleted=True) is None
    assert store.history("newcomer") == []


def test_apply_batch_tie_to_a_deleted_actor_is_refused(store):
    actors, ties = _batch()
    store.apply_batch(actors, [], by="import")
    store.delete_actor("uscm", by=BY)
    with pytest.raises(ValidationError):
        store.apply_batch([], ties, by="import")
    assert store.stats()["ties_total"] == 0


def test_apply_batch_larger_than_one_statement_batch(store):
    n = 2100  # more than the 1,000 rows the Neo4j store sends per UNWIND
    actors = [{"id": f"a{i:04d}", "name": f"Actor {i}", "kind": "ngo"} for i in range(n)]
    ties = [{"id": f"t{i:04d}", "source_id": f"a{i:04d}", "target_id": f"a{(i + 1) % n:04d}", "type": "knows"}
            for i in range(n)]
    assert store.apply_batch(actors, ties, by="bulk")["ties"]["created"] == n
    assert store.stats()["actors_total"] == n and store.stats()["ties_total"] == n
    assert store.get_actor("a2099")["name"] == "Actor 2099"
    assert store.get_tie("t2099")["target_id"] == "a0000"
    actors[5]["name"] = "Renamed"
    assert store.apply_batch(actors, ties, by="bulk") == {
        "actors": {"created": 0, "updated": 1, "unchanged": n - 1},
        "ties": {"created": 0, "updated": 0, "unchanged": n},
    }


# graph queries -------------------------------------------------------------------------------
@pytest.fixture
def small_graph(store):
    """a -> b -> c -> d, b -> e, e - f (mutual), f -> g; x isolated; c -> h deleted."""
    for name in "abcdefghx":
        store.create_actor({**actor(name.upper()), "id": name}, by=BY)
    for s, t, extra in [("a", "b", {}), ("b", "c", {}), ("c", "d", {}), ("b", "e", {}),
                        ("e", "f", {"direction": "mutual"}), ("f", "g", {}), ("c", "h", {})]:
        store.create_tie({**tie(s, t, **extra), "id": f"{s}{t}"}, by=BY)
    store.delete_tie("ch", by=BY)
    return store


def test_ego_network_depth_one_and_two(small_graph):
    store = small_graph
    one = store.ego_network("b")
    assert ids(one["actors"]) == ["a", "b", "c", "e"]
    assert ids(one["ties"]) == ["ab", "bc", "be"]
    assert one["actors"][0] == store.get_actor("a")
    two = store.ego_network("b", depth=2)
    assert ids(two["actors"]) == ["a", "b", "c", "d", "e", "f"]
    assert ids(two["ties"]) == ["ab", "bc", "be", "cd", "ef"]
    # directed ties are usable both ways: d's network reaches back up
    assert ids(store.ego_network("d", depth=2)["actors"]) == ["b", "c", "d"]
    # the deleted tie c -> h does not count
    assert "h" not in ids(store.ego_network("c")["actors"])
    assert ids(store.ego_network("x")["actors"]) == ["x"]
    assert store.ego_network("x")["ties"] == []
    with pytest.raises(NotFound):
        store.ego_network("nobody")


def test_ego_network_includes_ties_among_neighbours(store):
    for name in "cpqr":
        store.create_actor({**actor(name.upper()), "id": name}, by=BY)
    for s, t in [("c", "p"), ("c", "q"), ("p", "q"), ("q", "r")]:
        store.create_tie({**tie(s, t), "id": s + t}, by=BY)
    net = store.ego_network("c")
    assert ids(net["actors"]) == ["c", "p", "q"]
    assert ids(net["ties"]) == ["cp", "cq", "pq"]  # the induced tie p-q, not q-r


def test_shortest_path_follows_ties_either_way(small_graph):
    store = small_graph
    path = store.shortest_path("a", "d")
    assert [step["actor"]["id"] for step in path] == ["a", "b", "c", "d"]
    assert [step["tie"] and step["tie"]["id"] for step in path] == [None, "ab", "bc", "cd"]
    assert path[0]["actor"] == store.get_actor("a")
    back = store.shortest_path("g", "a")
    assert [s["actor"]["id"] for s in back] == ["g", "f", "e", "b", "a"]
    assert back[1]["tie"]["id"] == "fg"  # the tie joining the previous step, whatever its direction
    assert store.shortest_path("a", "a") == [{"actor": store.get_actor("a"), "tie": None}]


def test_shortest_path_none_max_depth_and_unknown_ends(small_graph):
    store = small_graph
    assert store.shortest_path("a", "x") is None
    assert store.shortest_path("a", "h") is None  # only joined by a deleted tie
    assert store.shortest_path("a", "g", max_depth=3) is None
    assert len(store.shortest_path("a", "g", max_depth=4)) == 5
    with pytest.raises(NotFound):
        store.shortest_path("a", "nobody")
    with pytest.raises(NotFound):
        store.shortest_path("nobody", "a")


def test_shortest_path_picks_the_first_path_by_ids_among_equals(store):
    for name in ["s", "m1", "m2", "m3", "n1", "n2", "t"]:
        store.create_actor({**actor(name.upper()), "id": name}, by=BY)
    # three 3-hop routes s..t: via m2-n1, via m1-n2, via m3-n1; the id-sequence-first is s,m1,n2,t
    for s, t in [("s", "m3"), ("m2", "s"), ("s", "m1"), ("m3", "n1"), ("m2", "n1"), ("n2", "m1"),
                 ("n1", "t"), ("t", "n2")]:
        store.create_tie({**tie(s, t), "id": f"t-{s}-{t}"}, by=BY)
    path = store.shortest_path("s", "t")
    assert [step["actor"]["id"] for step in path] == ["s", "m1", "n2", "t"]
    back = store.shortest_path("t", "s")
    assert [step["actor"]["id"] for step in back] == ["t", "n1", "m2", "s"]


def test_shortest_path_chooses_the_strongest_of_parallel_ties(store):
    for name in "abc":
        store.create_actor({**actor(name.upper()), "id": name}, by=BY)
    store.create_tie({**tie("a", "b", strength=2), "id": "t-1"}, by=BY)
    store.create_tie({**tie("b", "a", "partners with", strength=5), "id": "t-9"}, by=BY)
    store.create_tie({**tie("a", "b", "funds"), "id": "t-0"}, by=BY)  # unknown strength: last
    store.create_tie({**tie("b", "c", strength=3), "id": "t-5"}, by=BY)
    store.create_tie({**tie("c", "b", strength=3), "id": "t-4"}, by=BY)  # equal strength: lowest id
    store.create_tie({**tie("b", "c", strength=5), "id": "t-3"}, by=BY)
    store.delete_tie("t-3", by=BY)  # deleted: not a candidate
    path = store.shortest_path("a", "c")
    assert [s["tie"] and s["tie"]["id"] for s in path] == [None, "t-9", "t-4"]
    assert path[1]["tie"]["strength"] == 5


def test_projection_shapes(small_graph):
    actors, ties = small_graph.projection()
    assert ids(actors) == ["a", "b", "c", "d", "e", "f", "g", "h", "x"]
    assert actors[0] == {"id": "a", "name": "A", "kind": "ngo", "tags": [], "city": "", "country": ""}
    assert ids(ties) == ["ab", "bc", "be", "cd", "ef", "fg"]
    ef = ties[4]
    assert ef == {"id": "ef", "source_id": "e", "target_id": "f", "type": "knows", "label": "knows",
                  "directed": False, "strength": None, "last_contact": None, "since": None, "until": None}


# analytics support ---------------------------------------------------------------------------
def test_revision_moves_with_every_actor_or_tie_write(store):
    assert store.revision() == 0
    a = add(store, "A")
    r1 = store.revision()
    assert r1 > 0
    store.update_actor(a, {"name": "A"}, by=BY)  # no change
    assert store.revision() == r1
    b = add(store, "B")
    t = link(store, a, b)
    r2 = store.revision()
    assert r2 > r1
    store.delete_tie(t, by=BY)
    assert store.revision() > r2
    r3 = store.revision()
    store.apply_batch([{"id": a, "name": "A", "kind": "ngo"}], [], by=BY)  # unchanged
    assert store.revision() == r3
    store.create_user("u", None, "viewer", by=BY)  # not a graph write
    assert store.revision() == r3


def test_snapshots_are_kept_and_listed_newest_first(store):
    assert store.list_snapshots() == [] and store.get_snapshot(1) is None
    metrics = {"coverage": {"youth": 3, "newcomers": 0}, "brokers": ["a", "b"], "ratio": 0.25}
    first = store.save_snapshot({"name": "spring", "coordinator_id": "muc", "metrics": metrics}, by="alice")
    assert isinstance(first["id"], int)
    assert (first["name"], first["coordinator_id"], first["created_by"]) == ("spring", "muc", "alice")
    assert first["taken_at"].endswith("Z") and first["metrics"] == metrics
    second = store.save_snapshot({"metrics": {"coverage": {}}}, by="bob")
    assert second["id"] > first["id"] and second["name"] == "" and second["coordinator_id"] is None
    listed = store.list_snapshots()
    assert [x["id"] for x in listed] == [second["id"], first["id"]]
    assert set(listed[0]) == {"id", "name", "coordinator_id", "taken_at", "created_by"}
    assert [x["id"] for x in store.list_snapshots(limit=1)] == [second["id"]]
    assert store.get_snapshot(first["id"]) == first
    assert store.get_snapshot(second["id"] + 100) is None


# whole-store dump ----------------------------------------------------------------------------
def _fill(store) -> None:
    """A bit of everything: live and deleted actors and ties, history, users, tokens, audit."""
    actors, ties = _batch()
    store.apply_batch(actors, ties, by="import")
    extra = store.create_actor(actor("Café Özil", aliases=["Cafe"], contact_details=[{"type": "phone", "value": "+49 1"}],
                                     attributes={"n": 1}), by=BY)
    link(store, extra["id"], "scn", strength=2, since="2020-01-01")
    store.update_actor("scn", {"city": "London"}, by="bob")
    store.delete_actor("uscm", by="bob")
    user = store.create_user("Alice", "hash", "admin", by="setup")
    store.create_user("bob", None, "viewer", by="Alice")
    store.create_token(user["id"], "laptop", "hash-1", expires_at=None, scopes=["read"])
    revoked = store.create_token(user["id"], "old", "hash-2", expires_at="2030-01-01T00:00:00.000Z")
    store.revoke_token(revoked["id"])
    store.audit("Alice", "login", ip="127.0.0.1")
    store.audit("Alice", "view_contacts", target=extra["id"], detail={"fields": ["phone"]})
    store.set_access("actor", extra["id"], ["bob"], by="Alice")


def test_export_and_import_restore_a_store_exactly(store, tmp_path):
    from graph_service.store.sqlite import SQLiteStore

    _fill(store)
    dump = store.export_records()
    assert set(dump) == {"actors", "ties", "history", "users", "tokens", "audit", "access"}
    assert [e["visible_to"] for e in dump["access"]] == [["bob"]]
    assert ids(dump["actors"]) == sorted(ids(dump["actors"]))
    assert any(a["deleted_at"] for a in dump["actors"]) and any(t["deleted_at"] for t in dump["ties"])
    assert [h["id"] for h in dump["history"]] == sorted(h["id"] for h in dump["history"])
    assert dump["tokens"][0]["token_hash"]
    with pytest.raises(Conflict):  # only into an empty store
        store.import_records(dump)
    assert store.export_records() == dump
    # restore into an empty SQLite file: the same records, history and revision
    target = SQLiteStore(tmp_path / "restored.sqlite3")
    target.init_schema()
    try:
        target.import_records(dump)
        assert target.export_records() == dump
        assert target.revision() == store.revision()
        assert target.stats() == store.stats() and target.projection() == store.projection()
    finally:
        target.close()


def test_import_records_is_exact_and_keeps_counting(store, tmp_path):
    from graph_service.store.sqlite import SQLiteStore

    source = SQLiteStore(tmp_path / "source.sqlite3")
    source.init_schema()
    try:
        _fill(source)
        dump = source.export_records()
        source_revision = source.revision()
    finally:
        source.close()
    store.import_records(dump)
    assert store.export_records() == dump
    assert store.revision() == source_revision
    assert store.get_user_by_name("alice")["username"] == "Alice"
    assert store.get_token_by_hash("hash-1")["scopes"] == ["read"]
    assert store.find_actors_by_name("cafe")[0]["name"] == "Café Özil"
    # new writes continue the sequences instead of clashing with restored ones
    store.update_actor("gmf", {"city": "Washington"}, by=BY)
    assert store.history("gmf")[-1]["id"] > max(h["id"] for h in dump["history"])
    store.audit("bob", "login")
    assert store.list_audit()[0][0]["seq"] > max(e["seq"] for e in dump["audit"])
    with pytest.raises(Conflict):
        store.import_records(dump)


# users and tokens ----------------------------------------------------------------------------
def test_users_have_unique_case_insensitive_names(store):
    admin = store.create_user("Alice", "hash-1", "admin", by="setup")
    assert set(admin) == {"id", "username", "password_hash", "role", "created_at", "created_by", "disabled_at", "session_epoch"}
    assert store.get_user(admin["id"]) == admin
    assert store.get_user_by_name("alice") == admin
    assert store.get_user_by_name("ALICE")["id"] == admin["id"]
    with pytest.raises(Conflict):
        store.create_user("aLiCe", "hash-2", "viewer", by="setup")
    bob = store.create_user("bob", None, "viewer", by="Alice")
    carol = store.create_user("Carol", None, "editor", by="Alice")
    assert [u["username"] for u in store.list_users()] == ["Alice", "bob", "Carol"]
    assert store.get_user("nobody") is None
    assert store.get_user_by_name("nobody") is None
    changed = store.set_user(bob["id"], {"role": "editor", "password_hash": "hash-3"})
    assert (changed["role"], changed["password_hash"]) == ("editor", "hash-3")
    disabled = store.set_user(carol["id"], {"disabled_at": "2024-01-01T00:00:00.000Z"})
    assert store.get_user(carol["id"])["disabled_at"] == disabled["disabled_at"] == "2024-01-01T00:00:00.000Z"
    with pytest.raises(ValueError):
        store.set_user(bob["id"], {"username": "robert"})
    with pytest.raises(NotFound):
        store.set_user("nobody", {"role": "viewer"})


def test_tokens_are_found_by_hash_and_revoked(store):
    user = store.create_user("alice", "h", "editor", by="setup")
    token = store.create_token(user["id"], "laptop", "sha256-abc", expires_at="2030-01-01T00:00:00.000Z")
    assert set(token) == {"id", "user_id", "name", "token_hash", "created_at", "expires_at", "revoked_at", "scopes"}
    assert token["scopes"] == ["read", "write", "import"]
    assert store.get_token_by_hash("sha256-abc") == token
    assert token["revoked_at"] is None
    assert store.get_token_by_hash("sha256-other") is None
    tick()
    other = store.create_token(user["id"], "ci", "sha256-def", expires_at=None, scopes=["read"])
    assert store.get_token_by_hash("sha256-def")["scopes"] == ["read"]
    store.revoke_token(token["id"])
    revoked = store.get_token_by_hash("sha256-abc")
    assert revoked["revoked_at"]
    tick()
    store.revoke_token(token["id"])  # a second revocation keeps the first time
    assert store.get_token_by_hash("sha256-abc")["revoked_at"] == revoked["revoked_at"]
    assert store.get_token_by_hash("sha256-def") == other
    store.revoke_token("no-such-token")


def test_list_tokens_newest_first_without_hashes(store):
    alice = store.create_user("alice", "h", "editor", by="setup")
    bob = store.create_user("bob", "h", "viewer", by="setup")
    first = store.create_token(alice["id"], "laptop", "hash-1", expires_at=None)
    tick()
    second = store.create_token(bob["id"], "phone", "hash-2", expires_at=None, scopes=["read"])
    tick()
    third = store.create_token(alice["id"], "ci", "hash-3", expires_at="2030-01-01T00:00:00.000Z")
    listed = store.list_tokens()
    assert ids(listed) == [third["id"], second["id"], first["id"]]
    assert all("token_hash" not in t for t in listed)
    assert listed[1] == {k: v for k, v in second.items() if k != "token_hash"}
    assert ids(store.list_tokens(alice["id"])) == [third["id"], first["id"]]
    assert store.list_tokens("nobody") == []


def test_audit_log_is_appended_and_listed_newest_first(store):
    assert store.list_audit() == ([], 0)
    store.audit("alice", "login", ip="10.0.0.1")
    tick()
    store.audit("alice", "export_contacts", target="munchen-ist-bunt", detail={"format": "csv", "rows": 3})
    tick()
    store.audit("bob", "login")
    entries, total = store.list_audit()
    assert total == 3
    assert [(e["actor"], e["action"]) for e in entries] == [("bob", "login"), ("alice", "export_contacts"), ("alice", "login")]
    assert set(entries[0]) == {"seq", "at", "actor", "action", "target", "detail", "ip", "hash"}
    assert entries[0]["seq"] > entries[1]["seq"] > entries[2]["seq"]
    assert entries[1]["detail"] == {"format": "csv", "rows": 3} and entries[1]["target"] == "munchen-ist-bunt"
    assert entries[2]["ip"] == "10.0.0.1" and entries[2]["detail"] == {} and entries[2]["target"] is None
    logins, total = store.list_audit(action="login")
    assert total == 2 and [e["actor"] for e in logins] == ["bob", "alice"]
    recent, total = store.list_audit(since=entries[1]["at"])
    assert total == 2 and [e["action"] for e in recent] == ["login", "export_contacts"]
    page, total = store.list_audit(limit=1, offset=1)
    assert total == 3 and [e["action"] for e in page] == ["export_contacts"]


# unavailable stores --------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["sqlite", "neo4j"])
def test_unreachable_store_raises_store_unavailable_quickly(kind, tmp_path):
    """No server needed: a SQLite file that is not a database (or a folder), a Bolt port nobody listens on."""
    if kind == "sqlite":
        from graph_service.store.sqlite import SQLiteStore

        with pytest.raises(StoreUnavailable):
            SQLiteStore(tmp_path)
        garbage = tmp_path / "not-a-database.sqlite3"
        garbage.write_text("this is not SQLite " * 100)
        unreachable = SQLiteStore(garbage)
    else:
        import socket

        from graph_service.store.neo4j import Neo4jStore

        with socket.socket() as sock:  # a free port, closed again
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        unreachable = Neo4jStore(f"bolt://127.0.0.1:{port}", "neo4j", "wrong-password")
    started = time.monotonic()
    try:
        with pytest.raises(StoreUnavailable):
            unreachable.ping()
        with pytest.raises(StoreUnavailable):
            unreachable.get_actor("a")
    finally:
        unreachable.close()
    assert time.monotonic() - started < 15


@pytest.mark.neo4j
def test_neo4j_wrong_password_is_store_unavailable(neo4j_session_store):
    from graph_service.store.neo4j import Neo4jStore

    wrong = Neo4jStore(neo4j_session_store.uri, neo4j_session_store.username, "not-the-password",
                       database=neo4j_session_store.database)
    try:
        with pytest.raises(StoreUnavailable):
            wrong.ping()
    finally:
        wrong.close()


# both stores, one graph ----------------------------------------------------------------------
_VOLATILE = ("created_at", "updated_at", "deleted_at", "at")


def _stable(value):
    """Drop timestamps (they differ by the milliseconds each store took)."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in _VOLATILE}
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    return value


def _load_same_graph(store) -> str:
    """The roundtable demo through the real import path when it is there, else a hand-built graph."""
    try:
        from graph_service.services.sync import demo_files, import_files
    except ImportError:
        import_files = None
    if import_files is not None:
        import_files(store, demo_files(), by="demo")
        return "demo"
    actors, ties = _batch()
    store.apply_batch(actors, ties, by="demo")
    for actor_id, name in (("adl", "Anti-Defamation League"), ("cafe", "Müllheim Youth Café"),
                           ("mayor", "Mayor of Montréal")):
        store.create_actor({**actor(name), "id": actor_id}, by="demo")
    for s, t in [("adl", "gmf"), ("cafe", "uscm"), ("mayor", "cafe"), ("mayor", "scn")]:
        store.create_tie({**tie(s, t), "id": f"t-{s}-{t}"}, by="demo")
    return "hand-built"


@pytest.mark.neo4j
def test_stores_answer_alike(sqlite_file_store, neo4j_store):
    sqlite, neo = sqlite_file_store, neo4j_store
    assert _load_same_graph(sqlite) == _load_same_graph(neo)
    assert sqlite.stats() == neo.stats()
    assert sqlite.projection() == neo.projection()
    actors, ties = sqlite.projection()
    assert len(actors) > 5 and len(ties) > 5
    assert _stable(sqlite.list_actors(limit=1000)) == _stable(neo.list_actors(limit=1000))
    assert _stable(sqlite.list_ties(limit=1000)) == _stable(neo.list_ties(limit=1000))
    for q in ("city", "mayor", "fund", "a", "é", "muller", "network", "de"):
        assert _stable(sqlite.list_actors(q=q, limit=7)) == _stable(neo.list_actors(q=q, limit=7)), q
    for a in actors:
        for depth in (1, 2):
            assert _stable(sqlite.ego_network(a["id"], depth)) == _stable(neo.ego_network(a["id"], depth))
        assert _stable(sqlite.find_actors_by_name(a["name"])) == _stable(neo.find_actors_by_name(a["name"]))
    ids_ = [a["id"] for a in actors]
    pairs = [(x, y) for i, x in enumerate(ids_) for y in ids_[i + 1:: max(1, len(ids_) // 7)]]
    found = 0
    for x, y in pairs:
        left, right = sqlite.shortest_path(x, y), neo.shortest_path(x, y)
        assert _stable(left) == _stable(right), (x, y)
        found += left is not None
    assert found
    for a in actors[:5]:
        # entry ids number each store's entries in the order it wrote them; within one batch that
        # order is the store's own (SQLite writes a batch's new records in id order)
        unnumbered = [{k: v for k, v in h.items() if k != "id"} for h in sqlite.history(a["id"])]
        assert _stable(unnumbered) == _stable([{k: v for k, v in h.items() if k != "id"} for h in neo.history(a["id"])])


# undo ------------------------------------------------------------------------------------
def test_a_deleted_actor_is_restored_with_the_ties_deleted_with_it(store):
    hub, a, b = add(store, "Prevention Office", "agency"), add(store, "Youth Forum"), add(store, "Faith Council")
    with_a = link(store, hub, a, "coordinates", strength=4)
    with_b = link(store, hub, b, "coordinates", strength=2)
    earlier = link(store, hub, a, "funds")
    tick()
    store.delete_tie(earlier, by=BY)  # deleted on its own before: stays deleted
    tick()
    store.delete_actor(b, by=BY)  # takes with_b with it; its restore needs b alive
    tick()
    store.delete_actor(hub, by=BY)
    tick()
    with pytest.raises(Conflict):
        store.create_actor(actor("Prevention Office", "agency", id=hub), by=BY)
    restored = store.restore_actor(hub, by="bob")
    assert restored["deleted_at"] is None and restored["updated_by"] == "bob"
    assert store.get_actor(hub)["name"] == "Prevention Office"
    assert ids(store.list_ties(actor_id=hub)[0]) == [with_a]
    assert store.get_tie(earlier) is None and store.get_tie(with_b) is None
    assert [h["action"] for h in store.history(hub)] == ["create", "delete", "restore"]
    assert store.history(with_a)[-1]["action"] == "restore"
    with pytest.raises(Conflict):
        store.restore_actor(hub, by=BY)
    with pytest.raises(NotFound):
        store.restore_actor("nobody", by=BY)


def test_erasing_a_person_removes_their_details_everywhere_but_keeps_the_structure(store):
    office = add(store, "Prevention Office", "agency")
    person = add(store, "Jane Example", "person", aliases=["J. Example"], description="Youth worker",
                 contact_details=[{"type": "email", "value": "jane@example.org"}], city="Oslo")
    link(store, person, office, "works for", strength=5)
    store.update_actor(person, {"description": "Senior youth worker"}, by=BY)
    result = store.erase_personal_data(person, by="dpo")
    erased = store.get_actor(person)
    assert erased["name"] == "Erased person" and erased["kind"] == "person"
    assert erased["contact_details"] == [] and erased["aliases"] == [] and erased["description"] == "" and erased["city"] == ""
    assert result["history_entries_erased"] == 2
    history = store.history(person)
    assert [h["action"] for h in history] == ["create", "update", "erase"]
    assert all(h["before"] is None and h["after"] is None for h in history)
    assert "jane" not in str(store.export_records()["actors"]).lower()
    assert store.list_actors(q="jane")[1] == 0
    assert len(store.list_ties(actor_id=person)[0]) == 1  # who worked where stays known


# injection ---------------------------------------------------------------------------------
HOSTILE = [
    "Robert'); DROP TABLE actors; --",
    '"}) MATCH (n) DETACH DELETE n //',
    "x' OR '1'='1",
    "<img src=x onerror=alert(1)>",
    "$param {id: 1} `backtick` \\ %_",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_verbatim_and_changes_no_query(store, text):
    safe = add(store, "Bystander Org")
    hostile = store.create_actor(actor(text, "ngo", tags=[text], aliases=[text], description=text, city=text), by=BY)
    tie_id = link(store, hostile["id"], safe, text, description=text)
    got = store.get_actor(hostile["id"])
    assert (got["name"], got["tags"], got["aliases"], got["description"]) == (text, [text], [text], text)
    assert store.get_tie(tie_id)["label"] == text
    assert store.stats()["actors_total"] == 2 and store.stats()["ties_total"] == 1
    assert ids(store.list_actors(q=text)[0]) == [hostile["id"]]
    assert ids(store.list_actors(tag=text)[0]) == [hostile["id"]]
    assert ids(store.list_actors(city=text)[0]) == [hostile["id"]]
    assert [s["actor"]["id"] for s in store.shortest_path(hostile["id"], safe)] == [hostile["id"], safe]


# access: sensitive actors and ties -------------------------------------------------------------
def test_a_protected_actor_keeps_its_protection_through_edits_and_its_history_says_who(store):
    a = store.create_actor(actor("Safe House Collective", kind="community_actor"), by=BY, visible_to=["alice"])
    b = store.create_actor(actor("Open Forum"), by=BY)
    rev = store.revision()
    assert store.access_entries()[a["id"]]["visible_to"] == ["alice"]
    store.update_actor(a["id"], {"description": "moved"}, by=BY)
    assert a["id"] in store.access_entries()
    tie = link(store, a["id"], b["id"])
    store.set_access("tie", tie, [], by="admin")
    assert store.access_entries()[tie]["entity_type"] == "tie"
    assert store.revision() > rev
    store.set_access("actor", a["id"], None, by="admin")
    assert a["id"] not in store.access_entries()
    steps = [(h["action"], h["after"]) for h in store.history(a["id"]) if h["action"] == "access"]
    assert steps == [("access", {"sensitive": True, "visible_to": ["alice"]}), ("access", {"sensitive": False, "visible_to": []})]
    with pytest.raises(NotFound):
        store.set_access("actor", "no-such-actor", ["x"], by="admin")


def test_excluded_ids_are_left_out_of_lists_totals_and_name_lookups(store):
    a = store.create_actor(actor("Quiet Helper", kind="person"), by=BY)
    b = store.create_actor(actor("Quiet Harbour"), by=BY)
    c = store.create_actor(actor("Loud Square"), by=BY)
    link(store, a["id"], c["id"])
    t2 = link(store, b["id"], c["id"])
    items, total = store.list_actors(q="quiet", exclude={a["id"]})
    assert ids(items) == [b["id"]] and total == 1
    assert store.find_actors_by_name("Quiet Helper", exclude={a["id"]}) == []
    ties, total = store.list_ties(actor_id=c["id"], exclude={a["id"]})
    assert [t["id"] for t in ties] == [t2] and total == 1
    ties, total = store.list_ties(exclude={t2})
    assert t2 not in [t["id"] for t in ties]


def test_creating_a_protected_record_that_fails_leaves_no_access_entry(store):
    store.create_actor(actor("Taken", id="taken"), by=BY)
    with pytest.raises(Conflict):
        store.create_actor(actor("Taken again", id="taken"), by=BY, visible_to=["alice"])
    assert store.access_entries() == {}


def test_excluded_actors_and_ties_are_not_walked_by_paths_or_ego_networks(store):
    a, b, c, d = (add(store, n) for n in ("Alpha", "Bravo", "Charlie", "Delta"))
    link(store, a, b)
    link(store, b, d)
    short_cut = link(store, a, d)
    link(store, a, c)
    link(store, c, d)
    assert [s["actor"]["id"] for s in store.shortest_path(a, d)] == [a, d]
    detour = store.shortest_path(a, d, exclude={short_cut, b})
    assert [s["actor"]["id"] for s in detour] == [a, c, d]
    assert store.shortest_path(a, d, exclude={short_cut, b, c}) is None
    ego = store.ego_network(a, 1, exclude={b, short_cut})
    assert sorted(ids(ego["actors"])) == sorted([a, c])
    assert short_cut not in ids(ego["ties"])
    with pytest.raises(NotFound):
        store.ego_network(b, 1, exclude={b})


def _tamper(store, seq: int) -> None:
    """What someone with direct access to the database could do, around the store."""
    if store.name == "sqlite":
        import sqlite3

        conn = sqlite3.connect(store.path)
        conn.execute("DROP TRIGGER audit_log_append_only_update")
        conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = ?", (seq,))
        conn.commit()
        conn.close()
    else:
        store._get_driver().execute_query("MATCH (e:AuditEntry {seq: $seq}) SET e.actor = 'someone else'", seq=seq,
                                          database_=store.database)


def test_the_audit_log_is_a_hash_chain_that_shows_tampering(store):
    from graph_service.store.common import verify_audit_chain

    for i in range(4):
        store.audit("alice", "contacts.view", target=f"person-{i}", detail={"n": i, "path": "/actors/x"}, ip="127.0.0.1")
    entries = list(reversed(store.list_audit(limit=100)[0]))
    result = verify_audit_chain(entries)
    assert result["ok"] and result["chained"] == 4 and result["last_hash"] == entries[-1]["hash"]
    _tamper(store, entries[1]["seq"])
    result = verify_audit_chain(reversed(store.list_audit(limit=100)[0]))
    assert not result["ok"] and result["broken_at"] == entries[1]["seq"]
    assert not verify_audit_chain([entries[0], entries[2], entries[3]])["ok"]  # a removed entry


# sync (SyncStore) ----------------------------------------------------------------------------
SYNC_AT = "2026-03-01T10:00:00.000Z"


def _sync(source: str, seen: list[tuple[str, str]], missing: list[tuple[str, str]] = (), at: str = SYNC_AT) -> dict:
    return {"source": source, "format": "contacts", "files": [f"{source}.csv"], "at": at,
            "seen": [{"entity_type": t, "entity_id": i, "file": f"{source}.csv", "sheet": source, "row": n + 2,
                      "data": {"aliases": [], "tags": ["t"]}} for n, (t, i) in enumerate(seen)],
            "missing": [{"entity_type": t, "entity_id": i} for t, i in missing]}


def test_bulk_reads_include_deleted_records_and_skip_unknown_ids(store):
    a, b = add(store, "Verein A"), add(store, "Verein B")
    t = link(store, a, b)
    store.delete_actor(b, by=BY)
    actors, ties = store.get_actors([a, b, "nobody"]), store.get_ties([t, "t-nobody"])
    assert sorted(actors) == [a, b] and actors[b]["deleted_at"] and actors[a] == store.get_actor(a)
    assert list(ties) == [t] and ties[t]["deleted_at"] and ties[t]["source_id"] == a


def test_find_ties_matches_live_ties_and_mutual_ones_either_way_round(store):
    a, b, c = add(store, "A e.V."), add(store, "B e.V."), add(store, "C e.V.")
    directed = link(store, a, b, "works_for")
    mutual = link(store, b, c, "knows", directed=False)
    gone = link(store, a, c, "funds")
    store.delete_tie(gone, by=BY)
    found = store.find_ties([(a, b, "works_for"), (b, a, "works_for"), (c, b, "knows"), (a, c, "funds"), (a, b, "knows")])
    assert ids(found) == sorted([directed, mutual])
    assert store.find_ties([]) == []


def test_actor_index_holds_what_import_matching_needs(store):
    org = add(store, "Jugendring Süd")
    person = add(store, "Anna Muster", "person", aliases=["Dr. Anna Muster"],
                 contact_details=[{"type": "email", "value": "Anna.Muster@Example.org"}, {"type": "phone", "value": "+49301"}])
    link(store, person, org, "works_for")
    store.apply_sync([], [], sync=_sync("team", [("actor", person)]), by=BY)
    index = {r["id"]: r for r in store.actor_index()}
    assert sorted(index) == sorted([org, person])
    anna = index[person]
    assert (anna["name_folded"], anna["aliases_folded"], anna["emails"]) == ("anna muster", ["dr. anna muster"], ["anna.muster@example.org"])
    assert (anna["orgs"], anna["sources"], anna["merged_into"], anna["deleted_at"]) == (["jugendring sud"], ["team"], None, None)
    assert index[org]["orgs"] == [] and index[org]["sources"] == []


def test_a_sync_keeps_provenance_marks_gone_records_inactive_and_brings_them_back(store):
    a, b = add(store, "Anna Muster", "person"), add(store, "Ben Muster", "person")
    summary = store.apply_sync([actor("Cem Muster", "person", id="cem")], [],
                               sync=_sync("team", [("actor", a), ("actor", b), ("actor", "cem")]), by="carla")
    assert summary["actors"]["created"] == 1 and store.get_actor("cem")["created_by"] == "carla"
    [p] = store.provenance(b)
    assert (p["source"], p["file"], p["sheet"], p["row"], p["first_seen_at"], p["last_seen_by"], p["missing_since"]) == (
        "team", "team.csv", "team", 3, SYNC_AT, "carla", None)
    assert p["data"] == {"aliases": [], "tags": ["t"]}
    later = "2026-03-02T10:00:00.000Z"
    store.apply_sync([], [], sync=_sync("team", [("actor", a), ("actor", "cem")], [("actor", b)], at=later), by="dora")
    assert store.inactive_ids() == {"actors": {b}, "ties": set()}
    assert store.history(b)[-1]["action"] == "inactive" and store.history(b)[-1]["after"]["missing_since"] == later
    assert store.get_actor(b)["deleted_at"] is None
    # another source that still has b keeps it active
    store.apply_sync([], [], sync=_sync("outlook", [("actor", b)], at=later), by="dora")
    assert store.inactive_ids() == {"actors": set(), "ties": set()}
    assert [r["source"] for r in store.provenance(b)] == ["team", "outlook"]
    store.apply_sync([], [], sync=_sync("team", [("actor", b)], at="2026-03-03T10:00:00.000Z"), by="erik")
    assert store.history(b)[-1]["action"] == "reactivate"
    team = {r["entity_id"]: r for r in store.sync_records("team")}
    assert team[b]["first_seen_at"] == SYNC_AT and team[b]["missing_since"] is None and team[b]["last_seen_by"] == "erik"
    assert team[a]["missing_since"] is None  # not named missing: left as it was
    sources = {s["name"]: s for s in store.sync_sources()}
    assert [s["name"] for s in store.sync_sources()] == ["outlook", "team"]
    assert (sources["team"]["syncs"], sources["team"]["first_sync_at"], sources["team"]["last_sync_by"],
            sources["team"]["files"]) == (3, SYNC_AT, "erik", ["team.csv"])


def test_a_refused_sync_writes_no_records(store):
    a = add(store, "Anna Muster", "person")
    before = (snapshot(store), store.sync_sources(), store.provenance(a))
    with pytest.raises(ValidationError):
        store.apply_sync([], [tie(a, "nobody") | {"id": "t-nobody"}], sync=_sync("team", [("actor", a)]), by=BY)
    assert (snapshot(store), store.sync_sources(), store.provenance(a)) == before


def test_merge_moves_ties_folds_repeats_and_repoints_sync_records(store):
    keep, gone, org, other = (add(store, n, k) for n, k in (("Anna Muster", "person"), ("Dr. Anna Muster", "person"),
                                                           ("Jugendring", "ngo"), ("Stadt", "city")))
    kept_tie = link(store, keep, org, "works_for")
    repeat = link(store, gone, org, "works_for")       # the same tie once gone is keep
    loop = link(store, keep, gone, "knows", directed=False)  # would join keep to itself
    moved = link(store, other, gone, "funds")
    store.apply_sync([], [], sync=_sync("team", [("actor", keep), ("actor", gone)]), by=BY)
    store.apply_sync([], [], sync=_sync("outlook", [("actor", gone)]), by=BY)
    result = store.merge_actors(keep, gone, by="carla")
    assert (result["merged"], result["ties_moved"], result["ties_folded"]) == (gone, 1, 2)
    assert result["kept"]["aliases"] == ["Dr. Anna Muster"]
    assert sorted(ids(store.list_ties(actor_id=keep)[0])) == sorted([kept_tie, moved])
    assert store.get_tie(moved)["target_id"] == keep and store.get_tie(moved)["updated_by"] == "carla"
    assert store.get_tie(repeat) is None and store.get_tie(loop) is None
    assert [h["action"] for h in store.history(moved)] == ["create", "update"]
    assert store.history(moved)[-1]["before"]["target_id"] == gone
    assert store.history(repeat)[-1]["action"] == "delete"
    assert store.get_actor(gone) is None and store.history(gone)[-1]["action"] == "merged"
    assert store.history(gone)[-1]["after"]["merged_into"] == keep
    assert sorted((r["source"], r["entity_id"]) for r in store.provenance(keep)) == [("outlook", keep), ("team", keep)]
    assert store.provenance(gone) == []
    index = {r["id"]: r for r in store.actor_index()}
    assert index[gone]["merged_into"] == keep and sorted(index[keep]["sources"]) == ["outlook", "team"]
    # a later merge into another actor carries the earlier one along
    third = add(store, "A. Muster", "person")
    store.merge_actors(third, keep, by="carla")
    merges = {m["merged_id"]: m["into_id"] for m in store.export_records()["actor_merges"]}
    assert merges == {gone: third, keep: third}


def test_merge_refuses_deleted_unknown_or_identical_actors(store):
    a, b = add(store, "Anna Muster", "person"), add(store, "Ben Muster", "person")
    store.delete_actor(b, by=BY)
    with pytest.raises(NotFound):
        store.merge_actors(a, b, by=BY)
    with pytest.raises(NotFound):
        store.merge_actors("nobody", a, by=BY)
    with pytest.raises(ValidationError):
        store.merge_actors(a, a, by=BY)
    assert store.history(a)[-1]["action"] == "create"


def _timeless(value):
    """``value`` without timestamps (keys ending in ``_at``, or ``at``)."""
    if isinstance(value, dict):
        return {k: _timeless(v) for k, v in value.items() if not (k == "at" or k.endswith("_at") or k == "missing_since")}
    if isinstance(value, (list, tuple)):
        return [_timeless(v) for v in value]
    return value


@pytest.mark.neo4j
def test_stores_sync_and_merge_alike(sqlite_file_store, neo4j_store, tmp_path):
    from graph_service.services.merge import merge_actors
    from graph_service.services.sync import demo_files, import_files

    def sync_state(store) -> tuple:
        index = sorted(store.actor_index(), key=lambda r: r["id"])
        records = {s["name"]: store.sync_records(s["name"]) for s in store.sync_sources()}
        records = {n: sorted(r, key=lambda x: (x["entity_type"], x["entity_id"])) for n, r in records.items()}
        return _timeless((index, store.sync_sources(), records, store.inactive_ids()))

    files = demo_files()
    for store in (sqlite_file_store, neo4j_store):
        import_files(store, files, by="demo")
    assert sync_state(sqlite_file_store) == sync_state(neo4j_store)
    degree: dict[str, int] = {}
    for t in sqlite_file_store.projection()[1]:
        for end in (t["source_id"], t["target_id"]):
            degree[end] = degree.get(end, 0) + 1
    a, b = sorted(degree, key=lambda i: (-degree[i], i))[:2]  # the two with most ties: some move, some fold
    results = [merge_actors(store, a, b, by="carla") for store in (sqlite_file_store, neo4j_store)]
    assert _timeless(results[0]) == _timeless(results[1])
    assert results[0]["ties_moved"] > 0
    assert sync_state(sqlite_file_store) == sync_state(neo4j_store)
    assert _stable(sqlite_file_store.projection()) == _stable(neo4j_store.projection())
    again = [import_files(store, files, dry_run=True, by="demo")["counts"] for store in (sqlite_file_store, neo4j_store)]
    assert again[0] == again[1]


def test_erasing_a_person_empties_what_their_sync_records_said(store):
    a = add(store, "Anna Muster", "person")
    store.apply_sync([], [], sync=_sync("team", [("actor", a)]), by=BY)
    store.erase_personal_data(a, by=BY)
    [p] = store.provenance(a)
    assert (p["source"], p["data"], p["file"], p["sheet"], p["row"]) == ("team", {}, None, None, None)
