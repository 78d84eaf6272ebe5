"""Property-based (Hypothesis): any text in a spreadsheet cell is imported as that text, or the
import is refused naming the file, row and column; never a crash, never a silent change."""
import csv

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_service.errors import ImportRefused, ValidationError
from graph_service.model import clean_text, fold
from graph_service.services.sync import import_files
from graph_service.store.sqlite import SQLiteStore

CELL = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=int(__import__('os').environ.get('PROPERTY_EXAMPLES', '60')), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=5))
def test_any_cell_text_is_imported_verbatim_or_refused_by_cell(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("import")
    elements = folder / "elements.csv"
    with open(elements, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Label", "Type", "Description", "City"])
        writer.writerows([label, "NGO", description, city] for label, description, city in rows)
    store = SQLiteStore(folder / "g.sqlite3")
    store.init_schema()
    try:
        result = import_files(store, [elements])
    except (ImportRefused, ValidationError) as exc:
        assert exc.errors, "a refusal names what was wrong"
        for error in exc.errors:
            assert error.get("message")
            if "row" in error:
                assert 2 <= error["row"] <= len(rows) + 1
        assert store.stats()["actors_total"] == 0  # nothing written
        return
    stored = {fold(a["name"]): a for a in store.list_actors(limit=1000)[0]}
    for label, description, city in rows:
        if not clean_text(label):
            continue
        actor = stored.get(fold(clean_text(label)))
        assert actor is not None, (label, result)
        assert actor["name"] == clean_text(label)
        if actor["description"] and clean_text(description):
            # the last row with this label wins; its text is kept exactly (as cleaned)
            assert actor["description"] in {clean_text(d) for lbl, d, _ in rows if fold(clean_text(lbl)) == fold(clean_text(label))}
    store.close()
