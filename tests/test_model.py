import pytest

from graph_service.errors import ValidationError
from graph_service.model import fold, parse_date, parse_strength, tie_natural_key, validate_actor, validate_tie


def test_fold_ignores_case_accents_and_spacing():
    assert fold("  München  ist BUNT ") == "munchen ist bunt"
    assert fold("Straße") == "strasse"


@pytest.mark.parametrize("value, expected", [("4", 4), ("4.0", 4), (5, 5), ("", None), (None, None)])
def test_strength_accepts_whole_numbers_1_to_5(value, expected):
    assert parse_strength(value) == expected


@pytest.mark.parametrize("value", ["9", "0", "2.5", "strong", True])
def test_strength_refuses_anything_else_with_a_message(value):
    with pytest.raises(ValidationError) as exc:
        parse_strength(value)
    assert exc.value.errors[0]["field"] == "strength"
    assert "1 (weak) to 5 (strong)" in exc.value.errors[0]["message"] or "whole number" in exc.value.errors[0]["message"]


def test_dates_must_be_iso_and_real():
    assert parse_date("2023-01-19", "d") == "2023-01-19"
    assert parse_date("2023-01-19 00:00:00", "d") == "2023-01-19"
    for bad in ("31.02.2023", "2023-02-31", "01/02/2023"):
        with pytest.raises(ValidationError) as exc:
            parse_date(bad, "last_contact")
        assert "YYYY-MM-DD" in exc.value.errors[0]["message"]


def test_actor_validation_names_every_bad_field():
    with pytest.raises(ValidationError) as exc:
        validate_actor({"name": "", "kind": "spaceship", "tags": "a|b", "colour": "red"})
    fields = {e["field"] for e in exc.value.errors}
    assert fields == {"name", "kind", "colour"}


def test_actor_kind_spellings_from_spreadsheets_map_to_kinds():
    assert validate_actor({"name": "X", "kind": "Community Actor"})["kind"] == "community_actor"
    assert validate_actor({"name": "X", "kind": "NGO"})["kind"] == "ngo"


def test_tie_type_label_is_kept_and_snake_cased():
    tie = validate_tie({"source_id": "a", "target_id": "b", "type": "partners with", "direction": "mutual"})
    assert (tie["type"], tie["label"], tie["directed"]) == ("partners_with", "partners with", False)


def test_mutual_tie_key_ignores_order_directed_does_not():
    a = {"source_id": "x", "target_id": "y", "type": "knows", "directed": False}
    b = {"source_id": "y", "target_id": "x", "type": "knows", "directed": False}
    assert tie_natural_key(a) == tie_natural_key(b)
    assert tie_natural_key({**a, "directed": True}) != tie_natural_key({**b, "directed": True})


def test_until_before_since_is_refused():
    with pytest.raises(ValidationError):
        validate_tie({"source_id": "a", "target_id": "b", "type": "knows", "since": "2024-01-01", "until": "2023-01-01"})


def test_fold_strips_every_combining_mark_this_python_knows():
    """The table of marks is built from planes 0 and 1 only: no combining mark lies beyond them."""
    import unicodedata

    from graph_service.model import _combining_marks

    everywhere = {c for c in range(0x80, 0x110000) if unicodedata.combining(chr(c))}
    assert set(_combining_marks()) == everywhere
    assert fold("Ǹ̃a\u0301ı\U0001e944") == "na\u0131"
