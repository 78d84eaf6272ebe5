"""The ``store`` fixture of the contract suite: every test runs on SQLite and on Neo4j.

- ``sqlite``: a fresh file under ``tmp_path``.
- ``neo4j``: the server at ``NEO4J_TEST_URI`` (default ``bolt://127.0.0.1:7687``), user
  ``NEO4J_USERNAME`` (default ``neo4j``), password ``NEO4J_PASSWORD`` (default
  ``graph-service-dev``), database ``NEO4J_DATABASE`` (default ``neo4j``). The database is wiped
  (``MATCH (n) DETACH DELETE n``) before each test. Without a reachable server these tests are
  skipped, except under ``CI=true`` where they fail: CI must start one
  (``scripts/neo4j-local start``).
"""
from __future__ import annotations

import pytest

from graph_service.store.sqlite import SQLiteStore

STORE_KINDS = ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture
def sqlite_file_store(tmp_path):
    store = SQLiteStore(tmp_path / "contract.sqlite3")
    store.init_schema()
    yield store
    store.close()


@pytest.fixture(params=STORE_KINDS)
def store(request):
    """An empty store, once per implementation (``sqlite``, ``neo4j``)."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_file_store")
    return request.getfixturevalue("neo4j_store")
