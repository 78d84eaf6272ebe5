"""Reading CSV and XLSX as text, as a spreadsheet user sees them (fixtures in tests/fixtures)."""
import pytest

from graph_service.errors import ImportRefused
from importers.records import InputFile
from importers.tabular import read_csv, read_workbook
from importers.textfile import decode

FIX = __import__("pathlib").Path(__file__).resolve().parent.parent / "fixtures"


def cells(table):
    return [dict(zip(table.header, values)) for _, values in table.rows]


def test_utf8_with_byte_order_mark_has_a_clean_first_header():
    t = read_csv(InputFile(FIX / "google_contacts.csv"))
    assert t.header[0] == "First Name"
    assert t.encoding == "utf-8 with byte-order mark (detected)"


def test_cp1252_semicolons_and_excel_text_formulas():
    t = read_csv(InputFile(FIX / "kontakte_cp1252.csv"))
    assert t.delimiter == "semicolon"
    assert t.encoding.startswith("cp1252")
    first = cells(t)[0]
    assert first["Nachname"] == "Müller"
    assert first["Vorwahl"] == "+49 30"          # ="+49 30" read as its text
    assert first["PLZ"] == "01067"               # leading zero kept
    assert first["Geburtsdatum"] == "03.04.1980"


def test_utf16_tab_separated_excel_unicode_text():
    t = read_csv(InputFile(FIX / "contacten_utf16.txt"))
    assert (t.delimiter, t.encoding) == ("tab", "utf-16 with byte-order mark (detected)")
    assert cells(t)[0]["Functie"] == "Wijkcoördinator"


def test_latin1_is_read_as_western_european_not_central_european():
    t = read_csv(InputFile(FIX / "contacts_latin1.csv"))
    assert cells(t)[0]["Prénom"] == "Hélène"


def test_the_user_can_override_the_encoding_and_a_wrong_one_says_what_to_do():
    t = read_csv(InputFile(FIX / "contacts_latin1.csv"), encoding="latin-1")
    assert cells(t)[0]["Nom"] == "Lefèvre"
    with pytest.raises(ImportRefused) as exc:
        read_csv(InputFile(FIX / "contacts_latin1.csv"), encoding="utf-8")
    assert "is not utf-8 text" in exc.value.errors[0]["message"]
    with pytest.raises(ImportRefused):
        decode(b"x", "f.csv", "no-such-codec")


def test_multi_line_notes_are_one_row_and_rows_are_numbered_as_a_spreadsheet_shows_them():
    t = read_csv(InputFile(FIX / "google_contacts.csv"))
    assert [row for row, _ in t.rows] == [2, 3, 4, 5]
    assert cells(t)[0]["Notes"] == "Kennt alle Moscheevereine\nRuft zurück"


def test_the_name_na_and_leading_zeros_survive(tmp_path):
    f = tmp_path / "codes.csv"
    f.write_text("Name,Code,Postcode\nNA,007,01067\n", encoding="utf-8")
    assert cells(read_csv(InputFile(f))) == [{"Name": "NA", "Code": "007", "Postcode": "01067"}]


def test_short_rows_are_padded_and_long_rows_keep_their_extra_cells(tmp_path):
    f = tmp_path / "ragged.csv"
    f.write_text("Name,E-Mail,Phone\nAnn,ann@example.org\nBob,bob@example.org,1,surplus\n", encoding="utf-8")
    t = read_csv(InputFile(f))
    assert t.header == ["Name", "E-Mail", "Phone", "Column D"]
    assert cells(t)[0]["Phone"] == "" and cells(t)[1]["Column D"] == "surplus"


def test_header_not_on_row_one_is_found_in_a_csv(tmp_path):
    f = tmp_path / "titled.csv"
    f.write_text("Kontaktliste Stadt Beispiel\n\nName;E-Mail;Telefon\nAnna;anna@example.org;030 1\n", encoding="utf-8")
    t = read_csv(InputFile(f))
    assert (t.header_row, t.header) == (3, ["Name", "E-Mail", "Telefon"])
    assert t.rows[0][0] == 4


def test_workbook_header_on_row_three_under_merged_group_titles():
    tables, skipped = read_workbook(InputFile(FIX / "kontakte.xlsx"))
    kontakte = next(t for t in tables if t.sheet == "Kontakte")
    assert kontakte.header == ["Name", "Organisation", "E-Mail", "Telefon", "PLZ", "Seit"]
    assert kontakte.header_row == 3
    rows = cells(kontakte)
    assert rows[0]["PLZ"] == "04109" and rows[0]["Seit"] == "2019-05-01"  # text stays text, dates ISO
    assert rows[1]["Name"] == "NA"
    assert [r for r, _ in kontakte.rows] == [5, 6]


def test_a_sheet_without_a_header_says_where_to_look(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "just one note"
    wb.save(tmp_path / "notes.xlsx")
    with pytest.raises(ImportRefused) as exc:
        read_workbook(InputFile(tmp_path / "notes.xlsx"), sheet="Notes")
    assert "first 30 rows" in exc.value.errors[0]["message"] and "--header-row" in exc.value.errors[0]["message"]
    with pytest.raises(ImportRefused) as exc:
        read_workbook(InputFile(FIX / "kontakte.xlsx"), sheet="Archiv")
    assert exc.value.errors[0]["message"] == "no sheet 'Archiv'; the workbook has 'Anleitung', 'Kontakte'"
