"""The Kumu importer on the bundled roundtable files and on broken copies of them."""
import csv
import shutil

import openpyxl
import pytest

from graph_service.errors import ImportRefused
from graph_service.services.sync import import_files
from tests.conftest import DEMO_DIR

XLSX = DEMO_DIR / "roundtable.xlsx"
ELEMENTS = DEMO_DIR / "elements.csv"
CONNECTIONS = DEMO_DIR / "connections.csv"


def snapshot(store):
    return store.stats(), store.projection()


def edited_csv(src, dst, row, column, value):
    """Copy a CSV, setting one cell (``row`` as a spreadsheet shows it: header is row 1)."""
    with open(src, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows[row - 1][rows[0].index(column)] = value
    with open(dst, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return dst


def edited_xlsx(tmp_path, sheet, row, column, value):
    dst = tmp_path / "roundtable.xlsx"
    shutil.copy(XLSX, dst)
    wb = openpyxl.load_workbook(dst)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    ws.cell(row=row, column=header.index(column) + 1, value=value)
    wb.save(dst)
    return dst


@pytest.mark.parametrize("files", [[XLSX], [ELEMENTS, CONNECTIONS], [CONNECTIONS, ELEMENTS]], ids=["xlsx", "csv", "csv-reversed"])
def test_roundtable_imports_40_actors_and_55_ties(sqlite_store, files):
    result = import_files(sqlite_store, files)
    assert result["counts"]["actors"]["created"] == 40
    assert result["counts"]["ties"]["created"] == 55
    stats = sqlite_store.stats()
    assert (stats["actors_total"], stats["ties_total"]) == (40, 55)
    bunt = sqlite_store.get_actor("munchen-ist-bunt")
    assert bunt["name"] == "München ist Bunt" and bunt["kind"] == "network"
    assert bunt["tags"] == ["community-cohesion", "civil-society"]
    assert bunt["source"].endswith("row 34")


def test_reimporting_the_same_file_changes_nothing(sqlite_store):
    import_files(sqlite_store, [XLSX])
    before = sqlite_store.get_actor("munich")
    again = import_files(sqlite_store, [XLSX])
    assert again["counts"]["actors"] == {"created": 0, "updated": 0, "unchanged": 40, "missing": 0, "reactivated": 0}
    assert again["counts"]["ties"] == {"created": 0, "updated": 0, "unchanged": 55, "missing": 0, "reactivated": 0}
    assert sqlite_store.get_actor("munich")["updated_at"] == before["updated_at"]
    # the CSV pair is the same data, so it changes nothing either
    assert import_files(sqlite_store, [ELEMENTS, CONNECTIONS])["counts"]["actors"]["unchanged"] == 40


def test_edited_copy_updates_exactly_the_edited_field(sqlite_store, tmp_path):
    import_files(sqlite_store, [ELEMENTS, CONNECTIONS])
    edited = edited_csv(ELEMENTS, tmp_path / "elements.csv", 17, "Description", "Host of the 2026 youth forum")
    result = import_files(sqlite_store, [edited, CONNECTIONS], dry_run=True)
    assert result["counts"]["actors"]["updated"] == 1
    [entry] = result["actors"]["updated"]
    assert entry["name"] == "Munich"
    assert entry["changes"] == {"description": ["City with the München ist Bunt network", "Host of the 2026 youth forum"]}
    assert sqlite_store.get_actor("munich")["description"] == "City with the München ist Bunt network"  # dry run
    import_files(sqlite_store, [edited, CONNECTIONS])
    assert sqlite_store.get_actor("munich")["description"] == "Host of the 2026 youth forum"


BROKEN = [
    ("To", "Nowhere Foundation", "'Nowhere Foundation' is not an element"),
    ("Strength", "9", "strength is a whole number 1 (weak) to 5 (strong)"),
    ("Last Contact", "31.02.2023", "not a valid date"),
]


@pytest.mark.parametrize("column, value, message", BROKEN, ids=["unknown-actor", "strength-9", "bad-date"])
def test_broken_csv_is_refused_naming_the_cell_and_nothing_is_written(sqlite_store, tmp_path, column, value, message):
    import_files(sqlite_store, [XLSX])
    before = snapshot(sqlite_store)
    broken = edited_csv(CONNECTIONS, tmp_path / "connections.csv", 5, column, value)
    with pytest.raises(ImportRefused) as exc:
        import_files(sqlite_store, [ELEMENTS, broken])
    [error] = exc.value.errors
    assert error["file"] == "connections.csv"
    assert error["row"] == 5
    assert error["column"] == column
    assert message in error["message"]
    assert snapshot(sqlite_store) == before


@pytest.mark.parametrize("column, value, message", BROKEN, ids=["unknown-actor", "strength-9", "bad-date"])
def test_broken_xlsx_is_refused_on_an_empty_store_which_stays_empty(sqlite_store, tmp_path, column, value, message):
    broken = edited_xlsx(tmp_path, "Connections", 12, column, value)
    with pytest.raises(ImportRefused) as exc:
        import_files(sqlite_store, [broken])
    [error] = exc.value.errors
    assert (error["file"], error["sheet"], error["row"], error["column"]) == ("roundtable.xlsx", "Connections", 12, column)
    assert message in error["message"]
    assert sqlite_store.stats()["actors_total"] == 0


def test_unknown_actor_kind_is_refused_with_the_kinds_listed(sqlite_store, tmp_path):
    broken = edited_csv(ELEMENTS, tmp_path / "elements.csv", 3, "Type", "Spaceship")
    with pytest.raises(ImportRefused) as exc:
        import_files(sqlite_store, [broken, CONNECTIONS])
    [error] = exc.value.errors
    assert (error["row"], error["column"]) == (3, "Type")
    assert "community_actor" in error["message"]


def test_every_bad_row_is_reported_at_once(sqlite_store, tmp_path):
    step = edited_csv(CONNECTIONS, tmp_path / "c1.csv", 3, "Strength", "9")
    broken = edited_csv(step, tmp_path / "connections.csv", 7, "Last Contact", "31.02.2023")
    with pytest.raises(ImportRefused) as exc:
        import_files(sqlite_store, [ELEMENTS, broken])
    assert [(e["row"], e["column"]) for e in exc.value.errors] == [(3, "Strength"), (7, "Last Contact")]


def test_files_without_an_elements_table_are_refused(sqlite_store):
    with pytest.raises(ImportRefused) as exc:
        import_files(sqlite_store, [CONNECTIONS])
    assert "Elements" in exc.value.errors[0]["message"]
