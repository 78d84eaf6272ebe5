"""The Cypher catalogue: every statement that reads actors, ties or history hides staged imports."""
import re

import pytest

import queries
from graph_service.store import neo4j

# Statements that may see rows of an unpublished import: writes, the import machinery itself,
# id generation (a staged id is taken) and actors_not_live (it states the rule the other way round).
SEES_STAGED_ROWS = {
    "actor_create_staged", "actor_ids_taken", "actors_not_live", "actor_upsert", "history_append",
    "history_append_staged", "schema", "staged_count", "tie_create", "tie_create_staged", "tie_move", "tie_update",
}
VISIBLE = re.compile(r"\.staged IS NULL OR EXISTS \{ MATCH \(imp:Import \{id: \w\.staged\}\) WHERE imp\.state = 'published' \}")


def test_every_read_of_actors_ties_or_history_skips_unpublished_imports():
    unguarded = [
        name for name in queries.names()
        if re.search(r":(Actor|TIE|HistoryEntry)\b", queries.load(name))
        and name not in SEES_STAGED_ROWS
        and not name.startswith(("import_", "imports_"))
        and not VISIBLE.search(queries.load(name))
    ]
    assert unguarded == []


@pytest.mark.parametrize("name, columns", [
    ("actor_create_staged", neo4j.STAGED_ACTOR_COLUMNS),
    ("tie_create_staged", neo4j.STAGED_TIE_COLUMNS),
    ("history_append_staged", neo4j.STAGED_HISTORY_COLUMNS),
])
def test_list_shaped_staging_rows_store_each_column_under_its_own_name(name, columns):
    text = queries.load(name)
    stored = dict((int(i), prop) for prop, i in re.findall(r"(\w+): row\[(\d+)\]", text))
    ends = {int(i): col for col, i in (("source_id", 0), ("target_id", 1)) if f"id: row[{i}]}}" in text}
    assert {**stored, **ends} == dict(enumerate(columns))
