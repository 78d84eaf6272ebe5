"""Contact lists as people keep them: Google, Outlook, vCard, German/Dutch/French/Finnish sheets."""
from pathlib import Path

import pytest

from graph_service.errors import ImportRefused
from graph_service.services.sync import import_files
from importers import read_batch
from importers.mapping import load_mapping
from importers.records import ImportOptions, InputFile

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def run(store, *names, dry_run=False, **options):
    return import_files(store, [FIX / n for n in names], dry_run=dry_run, options=ImportOptions(**options))


def person(store, name):
    [a] = store.find_actors_by_name(name)
    return a


def contacts(actor, ctype):
    return [c["value"] for c in actor["contact_details"] if c["type"] == ctype]


def employer(store, actor):
    ties, _ = store.list_ties(actor_id=actor["id"], type="works_for")
    return [(store.get_actor(t["target_id"])["name"], t["attributes"]) for t in ties]


def test_google_contacts_current_layout(sqlite_store):
    result = run(sqlite_store, "google_contacts.csv", region="DE")
    assert result["format"] == "contacts"
    weiss = person(sqlite_store, "Jürgen Weiß")                      # umlauts and ß as written
    assert contacts(weiss, "email") == ["juergen.weiss@example.org", "jw@example.net"]
    assert contacts(weiss, "phone") == ["+49301234567", "+49307654321"]  # ' ::: ' split, E.164
    assert weiss["contact_details"][0]["label"] == "Work"
    assert weiss["description"] == "Kennt alle Moscheevereine\nRuft zurück"  # multi-line note kept
    assert weiss["tags"] == ["Netzwerk Süd"]                           # Google's own group left out
    assert weiss["aliases"] == ["Jürgi"]
    assert weiss["attributes"]["birthday"] == "1975-04-03"
    assert employer(sqlite_store, weiss) == [("Stadt Beispielstadt", {"role": "Präventionsbeauftragter", "department": "Jugendamt"})]
    assert person(sqlite_store, "NA")["kind"] == "person"                 # the name "NA" is a name
    phone_only = person(sqlite_store, "+491715550123")                   # a phone-only row
    assert contacts(phone_only, "phone") == ["+491715550123"]
    assert any("no name" in w["message"] and w["row"] == 4 for w in result["warnings"])


def test_google_contacts_legacy_layout(sqlite_store):
    run(sqlite_store, "google_legacy.csv", region="FI")
    pekka = person(sqlite_store, "Pekka Virtanen")
    assert contacts(pekka, "phone") == ["+358405551234"]
    assert pekka["tags"] == ["Verkosto"]
    assert employer(sqlite_store, pekka) == [("Helsingin kaupunki", {"role": "Koordinaattori"})]


def test_outlook_layout_with_action_column_and_short_rows(sqlite_store):
    result = run(sqlite_store, "outlook.csv")
    anna = person(sqlite_store, "Anna Müller")
    assert anna["attributes"]["Title"] == "Dr."
    assert contacts(anna, "phone") == ["+491705550100", "+49895550200"]
    assert employer(sqlite_store, anna) == [("Stadt München", {"role": "Leiterin", "department": "Fachstelle Demokratie"})]
    assert sqlite_store.find_actors_by_name("Bernd Brot") == []           # the row says Action=delete
    assert result["warnings"][0]["message"].startswith("the row says Action=delete")
    assert employer(sqlite_store, person(sqlite_store, "Clara Klein")) == [("Jugendring", {})]  # short row


def test_german_cp1252_list_with_a_mapping_file(sqlite_store):
    mapping = load_mapping(FIX / "kontakte_mapping.toml")
    result = run(sqlite_store, "kontakte_cp1252.csv", mapping=mapping)
    joerg = person(sqlite_store, "Jörg Müller")
    assert contacts(joerg, "phone") == ["+493022711111"]                 # ="+49 30" + 227-11111 combined
    assert joerg["attributes"]["PLZ"] == "01067"                           # leading zero
    assert joerg["attributes"]["birthday"] == "1980-04-03"                # day-first, as the mapping states
    assert joerg["city"] == "Dresden"
    ties, _ = sqlite_store.list_ties(actor_id=joerg["id"], type="member_of")
    assert [sqlite_store.get_actor(t["target_id"])["name"] for t in ties] == ["Grüne Liste"]
    assert {c["column"]: c["field"] for c in result["columns"]}["Vorwahl + Rufnummer"] == "phone"


@pytest.mark.parametrize("fixture, region, name, org, role, phone", [
    ("contacten_utf16.txt", "NL", "Sanne de Vries", "Gemeente Voorbeeld", "Wijkcoördinator", "+31205550123"),
    ("contacts_latin1.csv", "FR", "Hélène Lefèvre", "Mairie d'Exemple", "Médiatrice", "+33145550123"),
    ("yhteystiedot.csv", "FI", "Aino Mäkinen", "Tampereen kaupunki", "Nuorisotyöntekijä", "+358505551234"),
], ids=["dutch-utf16-tab", "french-latin1-semicolon", "finnish"])
def test_headers_in_other_languages(sqlite_store, fixture, region, name, org, role, phone):
    run(sqlite_store, fixture, region=region)
    p = person(sqlite_store, name)
    assert contacts(p, "phone") == [phone]
    assert employer(sqlite_store, p) == [(org, {"role": role})]


def test_unmapped_columns_are_kept_as_attributes(sqlite_store):
    run(sqlite_store, "contacten_utf16.txt", region="NL")
    assert person(sqlite_store, "Sanne de Vries")["attributes"] == {"Postcode": "1011 AB"}


def test_a_phone_that_cannot_be_read_is_kept_as_written_with_a_warning(sqlite_store):
    result = run(sqlite_store, "contacten_utf16.txt")  # no region: (020) 5550123 has no country code
    [warning] = result["warnings"]
    assert (warning["row"], warning["column"]) == (2, "Telefoon")
    assert "--region" in warning["message"]
    assert person(sqlite_store, "Sanne de Vries")["attributes"]["Telefoon"] == "(020) 5550123"


def test_workbook_sheet_is_chosen_by_content_and_found_below_a_title(sqlite_store):
    result = run(sqlite_store, "kontakte.xlsx", region="DE")
    assert "kontakte.xlsx (Anleitung): not read: found no header row (a row naming the columns) in the first 30 rows; " \
           "give --header-row N" in result["notes"]
    assert "kontakte.xlsx (Kontakte): header found on row 3" in result["notes"]
    leyla = person(sqlite_store, "Leyla Şahin")
    assert contacts(leyla, "phone") == ["+493415550111"]
    assert leyla["attributes"] == {"PLZ": "04109", "Seit": "2019-05-01"}
    assert person(sqlite_store, "NA")["attributes"]["PLZ"] == "01067"


def test_dates_are_never_guessed(sqlite_store):
    with pytest.raises(ImportRefused) as exc:
        run(sqlite_store, "dates.csv")
    assert [(e["row"], e["column"]) for e in exc.value.errors] == [(2, "Birthday"), (3, "Birthday")]
    assert "--date-order" in exc.value.errors[0]["message"]
    assert sqlite_store.stats()["actors_total"] == 0
    run(sqlite_store, "dates.csv", date_order="day-first")
    assert person(sqlite_store, "Dana Date")["attributes"]["birthday"] == "1990-04-03"
    assert person(sqlite_store, "Eli Even")["attributes"]["birthday"] == "1985-12-31"


def test_vcards_21_30_40_and_a_card_without_a_name(sqlite_store):
    result = run(sqlite_store, "cards.vcf", region="DE")
    assert result["format"] == "vcard"
    anna = person(sqlite_store, "Dr. Anna Müller")                       # quoted-printable 2.1 decoded
    assert contacts(anna, "phone") == ["+491705550100"]
    assert employer(sqlite_store, anna) == [("Stadt München", {})]
    karim = person(sqlite_store, "Karim Haddad")
    assert karim["tags"] == ["youth", "newcomers"] and karim["attributes"]["birthday"] == "1988-07-14"
    assert employer(sqlite_store, karim) == [("Jugendzentrum Nord", {"role": "Streetworker", "department": "Streetwork"})]
    org = person(sqlite_store, "Beispiel e.V.")                           # vCard 4.0 KIND:org
    assert org["kind"] == "ngo" and contacts(org, "phone") == ["+49305550999"] and contacts(org, "url") == ["https://example.org/"]
    assert contacts(person(sqlite_store, "Johnny"), "email") == ["johnny@example.org"]  # FN and N empty


def test_a_table_without_any_name_column_is_refused_with_what_to_do(sqlite_store, tmp_path):
    f = tmp_path / "numbers.csv"
    f.write_text("a,b,c\n01,00.11,0.1\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as exc:
        import_files(sqlite_store, [f])
    assert "no column gives a name" in exc.value.errors[0]["message"] and "--mapping" in exc.value.errors[0]["message"]


def test_an_organisation_list_needs_to_say_what_kind_its_rows_are(sqlite_store, tmp_path):
    f = tmp_path / "gemeenten.csv"
    f.write_text("gemeente.naam,gemeente.contact.telefoon\nGemeente Voorbeeld,(0229)548400\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as exc:
        import_files(sqlite_store, [f])
    assert "--kind" in exc.value.errors[0]["message"]
    import_files(sqlite_store, [f], options=ImportOptions(kind="city", region="NL"))
    g = person(sqlite_store, "Gemeente Voorbeeld")
    assert (g["kind"], contacts(g, "phone")) == ("city", ["+31229548400"])


def test_a_big_list_reads_the_same_with_phone_workers(tmp_path):
    # 20,000 rows: the numbers go to worker processes while the rows are read
    path = tmp_path / "big.csv"
    lines = ["Name,Organisation,Phone,E-Mail"]
    lines += [f"Person {i},Verein {i % 50},030 {1000000 + i % 19000}; {'x' if i % 997 == 0 else '+31 20 1234567'},"
              f"p{i}@example.org" for i in range(20_000)]
    path.write_text("\n".join(lines), encoding="utf-8")
    one = read_batch([InputFile(path)], ImportOptions(region="DE", workers=1))
    two = read_batch([InputFile(path)], ImportOptions(region="DE", workers=2))
    assert two == one
    assert len(one.actors) == 20_050 and len(one.warnings) == 21  # the 'x' numbers, kept as written
