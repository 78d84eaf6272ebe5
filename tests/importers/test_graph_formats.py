"""Stakeholder maps and graph files: Kumu quirks, Kumu JSON, Gephi tables, GraphML, GEXF, edge lists."""
from pathlib import Path

import networkx as nx
import pytest

from graph_service.errors import ImportRefused
from graph_service.services.sync import import_files
from importers.records import ImportOptions

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def run(store, *names, **options):
    return import_files(store, [FIX / n for n in names], options=ImportOptions(**options))


def ties_by_name(store):
    ties, _ = store.list_ties(limit=1000)
    name = lambda i: store.get_actor(i)["name"]  # noqa: E731
    return sorted((name(t["source_id"]), t["label"], name(t["target_id"]), t["directed"]) for t in ties)


def test_kumu_connections_without_a_type_column_and_loops(sqlite_store):
    result = run(sqlite_store, "kumu_elements.csv", "kumu_connections.csv")
    assert "no Type column; the connections are imported as 'related to'" in result["notes"][1]
    assert ties_by_name(sqlite_store) == [
        ("Mosque Association", "related to", "Prevention Office", True),
        ("Prevention Office", "related to", "Youth Council (North)", True),   # the loop closes
        ("Prevention Office", "related to", "xxx", True),                     # a placeholder is a name like any
        ("Youth Council (North)", "related to", "Mosque Association", True),
    ]
    youth = sqlite_store.find_actors_by_name("Youth Council (North)")[0]
    assert (youth["id"], youth["kind"]) == ("youth-council-north", "community_actor")


def test_kumu_types_that_are_not_kinds_import_with_kind_and_keep_the_type(sqlite_store, tmp_path):
    el = tmp_path / "elements.csv"
    el.write_text("Label,Type\nStrike (US-Israel),Action\nPolitical Capital Sunk,State\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as exc:
        import_files(sqlite_store, [el])
    assert [e["row"] for e in exc.value.errors] == [2, 3] and "give --kind" in exc.value.errors[0]["message"]
    import_files(sqlite_store, [el], options=ImportOptions(kind="initiative"))
    strike = sqlite_store.find_actors_by_name("Strike (US-Israel)")[0]
    assert (strike["kind"], strike["attributes"]) == ("initiative", {"Type": "Action"})


def test_kumu_json_blueprint_flat_and_nested(sqlite_store):
    run(sqlite_store, "kumu_blueprint.json")
    forum = sqlite_store.find_actors_by_name("Neighbourhood Forum")[0]
    assert (forum["kind"], forum["tags"]) == ("community_actor", ["neighbourhood"])
    circle = sqlite_store.find_actors_by_name("Interfaith Circle")[0]
    assert (circle["kind"], circle["description"]) == ("network", "Monthly meeting")
    [tie] = sqlite_store.list_ties()[0]
    assert (tie["type"], tie["directed"], tie["strength"], tie["target_id"]) == ("partners_with", False, 4, circle["id"])


def test_gephi_tables_direction_in_type_and_weight_kept(sqlite_store):
    result = run(sqlite_store, "gephi_nodes.csv", "gephi_edges.csv", kind="ngo")
    assert result["format"] == "gephi"
    assert result["counts"]["actors"]["created"] == 4                      # the isolated node too
    assert ties_by_name(sqlite_store) == [("Alpha Network", "funds", "Beta Foundation", True),
                                          ("Beta Foundation", "related to", "Gamma Group", False)]
    funds = sqlite_store.list_ties(type="funds")[0][0]
    assert funds["attributes"] == {"Weight": "2.5"}
    assert sqlite_store.find_actors_by_name("Alpha Network")[0]["attributes"] == {"node_type": "Coalition"}


def test_graphml_that_networkx_rejects_is_repaired_and_read(sqlite_store):
    with pytest.raises(nx.NetworkXError):
        nx.read_graphml(FIX / "network_keys_inside.graphml")
    result = run(sqlite_store, "network_keys_inside.graphml", kind="ngo")
    assert "4 <key> declarations were inside <graph>" in result["notes"][0]
    engh = sqlite_store.find_actors_by_name("Europäisches Netzwerk gegen Hass")[0]
    assert engh["aliases"] == ["ENGH"]
    assert engh["contact_details"] == [{"type": "url", "value": "https://example.org/engh"}]
    assert ties_by_name(sqlite_store) == [("Civic Watch", "knows", "Europäisches Netzwerk gegen Hass", True),
                                          ("Europäisches Netzwerk gegen Hass", "collaborates", "Civic Watch", False)]
    assert sqlite_store.stats()["actors_total"] == 3


def test_graph_nodes_without_a_kind_need_kind(sqlite_store):
    with pytest.raises(ImportRefused) as exc:
        run(sqlite_store, "network_keys_inside.graphml")
    assert "--kind" in exc.value.errors[0]["message"]


def test_gexf(sqlite_store):
    run(sqlite_store, "network.gexf")
    assert ties_by_name(sqlite_store) == [("Café Solidarité", "partners with", "Ville d'Exemple", False)]
    assert sqlite_store.find_actors_by_name("Ville d'Exemple")[0]["kind"] == "city"


def test_edge_list_with_a_type_per_end(sqlite_store):
    result = run(sqlite_store, "edgelist.csv")
    assert result["format"] == "edgelist"
    rita = sqlite_store.find_actors_by_name("Rita Example")[0]
    regulator = sqlite_store.find_actors_by_name("Example Regulator")[0]
    assert (rita["kind"], regulator["kind"], regulator["attributes"]) == ("person", "agency", {"Entity B Type": "Federal Agency"})
    director = sqlite_store.list_ties(type="director")[0][0]
    assert director["attributes"] == {"Source(s)": "https://example.org/filing-1"}


def test_xml_with_entities_is_refused(sqlite_store, tmp_path):
    bomb = tmp_path / "bomb.graphml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa">]><graphml><graph>&a;</graph></graphml>')
    with pytest.raises(ImportRefused) as exc:
        import_files(sqlite_store, [bomb], options=ImportOptions(kind="ngo"))
    assert "not a readable XML file" in exc.value.errors[0]["message"]
