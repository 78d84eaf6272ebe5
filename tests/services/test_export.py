"""Export back to CSV, XLSX (Kumu layout), GraphML and vCard; cells made inert; round trips unchanged."""
import csv
import io

import openpyxl
import pytest
import vobject

from graph_service.services.export import export, inert
from graph_service.services.sync import import_files
from graph_service.store.sqlite import SQLiteStore
from importers.records import ImportOptions


@pytest.fixture
def people(sqlite_store, tmp_path):
    f = tmp_path / "kontakte.csv"
    f.write_text(
        "Name,Organisation,Funktion,E-Mail,Telefon,Notizen\n"
        "Anna Müller,Stadt Beispiel,Leiterin,anna@example.org,030 1111111,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"\n"
        "@SUM(1+1),Jugendring,-Sprecher,sum@example.org,,+1 call me\n",
        encoding="utf-8")
    import_files(sqlite_store, [f], options=ImportOptions(region="DE"))
    return sqlite_store


def fresh(tmp_path, name):
    store = SQLiteStore(tmp_path / name)
    store.init_schema()
    return store


def test_inert_cells():
    assert [inert(v) for v in ("=1+2", "+49 30", "-3", "@A1", "\tx", "plain", "", None)] == [
        "'=1+2", "'+49 30", "'-3", "'@A1", "'\tx", "plain", "", ""]


def test_csv_contacts_table_makes_formulas_inert(people):
    data, counts = export(people, "csv", table="contacts")
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads umlauts right
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert counts == {"actors": 4, "ties": 2, "rows": 2}
    anna = next(r for r in rows if r["Name"] == "Anna Müller")
    assert (anna["Organisation"], anna["Role"], anna["Phone"]) == ("Stadt Beispiel", "Leiterin", "'+49301111111")
    assert anna["Notes"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    other = next(r for r in rows if r["E-mail"] == "sum@example.org")
    assert (other["Name"], other["Role"], other["Notes"]) == ("'@SUM(1+1)", "'-Sprecher", "'+1 call me")


def test_xlsx_kumu_layout_keeps_values_exact_as_quoted_text(people, tmp_path):
    data, _ = export(people, "xlsx")
    path = tmp_path / "out.xlsx"
    path.write_bytes(data)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Elements", "Connections"]
    header = [c.value for c in wb["Elements"][1]]
    assert header[:8] == ["Label", "Type", "Description", "Tags", "Country", "City", "ID", "Aliases"]
    cell = next(r[header.index("Label")] for r in wb["Elements"].iter_rows(min_row=2) if r[header.index("Label")].value == "@SUM(1+1)")
    assert cell.data_type == "s" and cell.quotePrefix  # text, shown as typed, never run
    assert [c.value for c in wb["Connections"][1]][:4] == ["From", "To", "Type", "Direction"]


def test_xlsx_export_imports_back_unchanged(people, tmp_path):
    data, _ = export(people, "xlsx")
    (tmp_path / "graph.xlsx").write_bytes(data)
    again = import_files(people, [tmp_path / "graph.xlsx"], dry_run=True)
    assert again["format"] == "kumu"
    assert again["counts"]["actors"]["created"] == 0 and again["counts"]["actors"]["updated"] == 0
    assert again["counts"]["ties"]["created"] == 0 and again["counts"]["ties"]["updated"] == 0
    copy = fresh(tmp_path, "copy.sqlite3")
    import_files(copy, [tmp_path / "graph.xlsx"])
    strip = lambda rows: sorted((a["name"], a["kind"], a["description"]) for a in rows)  # noqa: E731
    assert strip(copy.list_actors()[0]) == strip(people.list_actors()[0])
    assert copy.find_actors_by_name("Anna Müller")[0]["contact_details"] == people.find_actors_by_name("Anna Müller")[0]["contact_details"]


def test_graphml_round_trip(people, tmp_path):
    data, _ = export(people, "graphml")
    (tmp_path / "graph.graphml").write_bytes(data)
    copy = fresh(tmp_path, "copy.sqlite3")
    result = import_files(copy, [tmp_path / "graph.graphml"])
    assert result["counts"]["actors"]["created"] == 4 and result["counts"]["ties"]["created"] == 2
    assert sorted((t["type"], t["directed"]) for t in copy.list_ties()[0]) == [("works_for", True), ("works_for", True)]
    anna = copy.find_actors_by_name("Anna Müller")[0]
    assert {c["value"] for c in anna["contact_details"]} == {"anna@example.org", "+49301111111"}


def test_vcard_export_reads_back(people, tmp_path):
    data, counts = export(people, "vcard")
    cards = list(vobject.readComponents(data.decode("utf-8")))
    assert counts["rows"] == len(cards) == 4
    anna = next(c for c in cards if c.fn.value == "Anna Müller")
    assert (anna.org.value, anna.title.value, anna.tel.value) == (["Stadt Beispiel"], "Leiterin", "+49301111111")
    assert anna.uid.value.startswith("person-") and "anna" not in anna.uid.value
    again = import_files(people, [_write(tmp_path / "all.vcf", data)], dry_run=True)
    assert again["counts"]["actors"]["created"] == 0


def test_a_vcard_export_imported_again_changes_nothing(people, demo_store, tmp_path):
    people.update_actor(people.find_actors_by_name("Anna Müller")[0]["id"], {"aliases": ["Anni"], "tags": ["youth"],
                        "description": "Leads the office\nsince 2019"}, by="t")
    data, counts = export(people, "vcard")
    again = import_files(people, [_write(tmp_path / "all.vcf", data)], dry_run=True, options=ImportOptions(region="DE"))
    assert again["counts"]["actors"] == {"created": 0, "updated": 0, "unchanged": counts["actors"], "missing": 0, "reactivated": 0}
    assert again["counts"]["ties"]["created"] == again["counts"]["ties"]["updated"] == 0
    assert not again["rejected"] and not again["warnings"]


def test_filtered_exports(people):
    _, counts = export(people, "csv", kind="person")
    assert counts["actors"] == 2 and counts["ties"] == 0
    _, counts = export(people, "csv", around="Anna Müller", depth=1)
    assert (counts["actors"], counts["ties"]) == (2, 1)
    _, counts = export(people, "csv", source="kontakte.csv", active_only=True)
    assert counts["actors"] == 4
    data, _ = export(people, "csv", contacts=False)
    assert b"anna@example.org" not in data


def _write(path, data):
    path.write_bytes(data)
    return path
