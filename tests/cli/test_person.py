"""Personal data rights from the command line: export everything held, erase it."""
import json

from graph_service.cli import main
from graph_service.model import validate_actor
from graph_service.store.sqlite import SQLiteStore


def test_person_export_then_erase(db_path, monkeypatch, capsys):
    monkeypatch.setenv("GRAPH_SERVICE_DB", str(db_path))
    assert main(["demo"]) == 0
    store = SQLiteStore(db_path)
    amal = store.create_actor(validate_actor({"name": "Amal Example", "kind": "person",
                                       "contact_details": [{"type": "phone", "value": "+49 30 1234567"}]}), by="t")
    store.close()
    assert amal["id"].startswith("person-") and "amal" not in amal["id"]  # ids never carry a person's name
    capsys.readouterr()
    assert main(["person", "export", "Amal Example"]) == 0
    held = json.loads(capsys.readouterr().out)
    assert held["actor"]["contact_details"] == [{"type": "phone", "value": "+49 30 1234567"}]
    assert [h["action"] for h in held["history"]] == ["create"]
    assert main(["person", "erase", amal["id"], "--yes"]) == 0
    assert "recorded in the audit log" in capsys.readouterr().out
    assert main(["person", "export", amal["id"]]) == 0
    after = json.loads(capsys.readouterr().out)
    assert after["actor"]["name"] == "Erased person" and after["actor"]["contact_details"] == []
    assert "+49" not in json.dumps(after["history"])
    assert {"person.export", "person.erase"} <= {e["action"] for e in after["audit"]}


def test_erasure_is_for_people_only(db_path, monkeypatch, capsys):
    monkeypatch.setenv("GRAPH_SERVICE_DB", str(db_path))
    assert main(["demo"]) == 0
    assert main(["person", "erase", "munich", "--yes"]) == 1
    assert "not a person" in capsys.readouterr().err
    store = SQLiteStore(db_path)
    assert store.get_actor("munich")["name"] == "Munich"
    store.close()
