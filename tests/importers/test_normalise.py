"""Normalising values with libraries: phone numbers, e-mail addresses, dates, names."""
import email_validator
import pytest

from importers import normalise as norm


@pytest.mark.parametrize("raw, region, e164", [
    ("030 227-11111", "DE", "+493022711111"),
    ("+49 30 227-11111", None, "+493022711111"),
    ("(0229)548400", "NL", "+31229548400"),
    ("01 45 55 01 23", "FR", "+33145550123"),
    ("050 5551234", "FI", "+358505551234"),
    ("tel:+1-555-000-0000", None, "+15550000000"),
])
def test_phone_numbers_become_e164(raw, region, e164):
    assert norm.phone(raw, region) == e164


def test_a_phone_without_country_code_or_region_says_to_give_the_region():
    with pytest.raises(norm.Unusable) as exc:
        norm.phone("030 1234567", None)
    assert "--region DE" in str(exc.value)
    with pytest.raises(norm.Unusable):
        norm.phone("144", "CH")  # an emergency short number is not a possible subscriber number


def test_bulk_phone_normalisation_gives_the_same_answers():
    done = norm.phones(["030 1234567", "nonsense", "030 1234567"], "DE")
    assert done["030 1234567"] == ("+49301234567", None)
    assert done["nonsense"][0] is None and "not a phone number" in done["nonsense"][1]


def test_email_is_checked_and_lower_cased():
    assert norm.email(" Juergen.Weiss@Example.ORG ") == "juergen.weiss@example.org"
    assert norm.email("mailto:info@example.org") == "info@example.org"
    with pytest.raises(norm.Unusable) as exc:
        norm.email("anna@@example.org")
    assert "is not a usable e-mail address" in str(exc.value)
    with pytest.raises(norm.Unusable):
        norm.email("john@doe.invalid")  # a reserved domain


@pytest.mark.parametrize("address", [
    "a@example.org", "first.last+tag@sub.example.co.uk", "x_y@example.museum", "o'neil@example.org",
    "üser@exämple.org", "a@b.c", "a..b@example.org", ".a@example.org", "a@-example.org", "a@example.123",
    "a" * 65 + "@example.org", "a@localhost", "a@x.test",
])
def test_the_fast_path_agrees_with_email_validator(address):
    try:
        expected = email_validator.validate_email(address, check_deliverability=False).normalized.lower()
    except email_validator.EmailNotValidError:
        expected = None
    try:
        got = norm.email(address)
    except norm.Unusable:
        got = None
    assert got == expected


@pytest.mark.parametrize("raw, order, iso", [
    ("2024-03-01", "iso", "2024-03-01"),
    ("2024-03-01 00:00:00", "iso", "2024-03-01"),
    ("03.04.2024", "day-first", "2024-04-03"),
    ("03/04/2024", "month-first", "2024-03-04"),
    ("31/12/1985", "day-first", "1985-12-31"),
    ("2024-03-01", "month-first", "2024-03-01"),  # ISO is always read
])
def test_dates_are_read_only_as_the_user_states(raw, order, iso):
    assert norm.date(raw, order) == iso


@pytest.mark.parametrize("raw, order, message", [
    ("03/04/2024", "iso", "--date-order day-first or month-first"),   # ambiguous: never guessed
    ("31/12/1985", "iso", "--date-order"),                             # unambiguous but not stated
    ("12/31/1985", "day-first", "when read day-first"),
    ("31.02.2023", "day-first", "when read day-first"),
    ("3/4/24", "day-first", "four digits"),
    ("2023-02-31", "iso", "not a valid date"),
])
def test_a_date_that_cannot_be_read_is_an_error_naming_the_fix(raw, order, message):
    with pytest.raises(norm.Unusable) as exc:
        norm.date(raw, order)
    assert message in str(exc.value)


def test_text_is_nfc_and_cells_lose_excel_wrappers():
    assert norm.text("Mu\u0308ller  \t Anna ") == "Müller Anna"
    assert norm.cell_text('="+49 30"') == "+49 30"
    assert norm.cell_text('="say ""hi"""') == 'say "hi"'
    assert norm.cell_text("'=1+2") == "=1+2"      # our export's inert apostrophe comes off
    assert norm.cell_text("'tis") == "'tis"
    assert norm.split_values("+41 31 555 01 60 ::: +41 79 555 88 66") == ["+41 31 555 01 60", "+41 79 555 88 66"]
    assert norm.split_values("a@example.org, b@example.org", emails=True) == ["a@example.org", "b@example.org"]


def test_numbers_sent_to_workers_as_rows_are_read_give_the_same_answers():
    numbers = ["030 1234567", "nonsense", "030 1234567"] + [f"030 {2000000 + i}" for i in range(2500)]  # over a chunk
    with norm.Phones([], "DE", workers=2, ahead=True) as ahead:
        ahead.add(numbers[:1500])
        ahead.add(numbers[1500:])
        ahead.flush()
        for raw in ("030 2002499", "nonsense", "030 1234567", "030 2000000"):
            assert ahead.get(raw) == norm.phones([raw], "DE").get(raw)
        assert len(ahead.done) == 2502  # every chunk came back from the workers, each number once
        value, why = ahead.get("nonsense")
        assert value is None and "not a phone number" in why
        assert ahead.get("+31 20 1234567") == ("+31201234567", None)  # never sent: parsed when asked for
