"""Property-based tests (Hypothesis): any text in any field round-trips or is refused clearly."""
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_service.errors import ValidationError
from graph_service.model import clean_text, fold, validate_actor, validate_tie
from graph_service.store.sqlite import SQLiteStore

ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
FIELDS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FIELDS
@given(name=ANY_TEXT, description=ANY_TEXT, tags=st.lists(ANY_TEXT, max_size=4), city=ANY_TEXT)
def test_any_actor_text_round_trips_through_the_store_or_is_refused(tmp_path_factory, name, description, tags, city):
    store = SQLiteStore(tmp_path_factory.mktemp("p") / "g.sqlite3")
    store.init_schema()
    body = {"name": name, "kind": "ngo", "description": description, "tags": tags, "city": city}
    try:
        actor = validate_actor(body)
    except ValidationError as exc:
        assert exc.errors and all(e["field"] and e["message"] for e in exc.errors)
        assert not clean_text(name)  # the only way these inputs are invalid
        return
    created = store.create_actor(actor, by="hypothesis")
    stored = store.get_actor(created["id"])
    assert stored["name"] == clean_text(name)
    assert stored["description"] == clean_text(description)
    assert stored["city"] == clean_text(city)
    assert stored["tags"] == [t for t in dict.fromkeys(clean_text(t) for t in tags) if t]
    # and it can be found again by its own name
    if fold(name):
        assert created["id"] in [a["id"] for a in store.list_actors(q=name, limit=500)[0]]
    store.close()


@FIELDS
@given(value=st.one_of(ANY_TEXT, st.integers(), st.floats(allow_nan=True), st.none(), st.booleans()))
def test_any_strength_or_date_is_accepted_or_refused_with_the_field_named(value):
    for field in ("strength", "last_contact", "since"):
        try:
            tie = validate_tie({"source_id": "a", "target_id": "b", "type": "knows", field: value})
        except ValidationError as exc:
            assert exc.errors[0]["field"] == field and exc.errors[0]["message"]
        else:
            if field == "strength":
                assert tie["strength"] is None or 1 <= tie["strength"] <= 5


@FIELDS
@given(label=st.text(alphabet=string.printable + "äöüßéñ<>\"'`;{}()$", max_size=40))
def test_any_tie_label_becomes_a_safe_snake_case_type(label):
    try:
        tie = validate_tie({"source_id": "a", "target_id": "b", "type": label})
    except ValidationError:
        assert not clean_text(label)
        return
    assert tie["label"] == clean_text(label)
    assert all(c in string.ascii_lowercase + string.digits + "_" for c in tie["type"])
