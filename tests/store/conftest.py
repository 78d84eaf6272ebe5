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

import os

import pytest

from graph_service.errors import StoreUnavailable
from graph_service.store.sqlite import SQLiteStore

NEO4J_TEST_URI = os.environ.get("NEO4J_TEST_URI") or "bolt://127.0.0.1:7687"
NEO4J_TEST_USERNAME = os.environ.get("NEO4J_USERNAME") or os.environ.get("NEO4J_USER") or "neo4j"
NEO4J_TEST_PASSWORD = os.environ.get("NEO4J_PASSWORD") or "graph-service-dev"
NEO4J_TEST_DATABASE = os.environ.get("NEO4J_DATABASE") or "neo4j"

STORE_KINDS = ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def neo4j_session_store():
    """One Neo4jStore (one driver) for the session, schema created; skip/fail if unreachable."""
    from graph_service.store.neo4j import Neo4jStore

    store = Neo4jStore(NEO4J_TEST_URI, NEO4J_TEST_USERNAME, NEO4J_TEST_PASSWORD, database=NEO4J_TEST_DATABASE)
    try:
        store.ping()
    except StoreUnavailable as exc:
        store.close()
        message = f"Neo4j not reachable at {NEO4J_TEST_URI}: start it with scripts/neo4j-local start ({exc.detail})"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    store.init_schema()
    yield store
    store.close()


@pytest.fixture(scope="session")
def neo4j_wipe(neo4j_session_store):
    """A function deleting every node and relationship (constraints and indexes stay)."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(NEO4J_TEST_URI, auth=(NEO4J_TEST_USERNAME, NEO4J_TEST_PASSWORD)) as driver:
        yield lambda: driver.execute_query("MATCH (n) DETACH DELETE n", database_=NEO4J_TEST_DATABASE)


@pytest.fixture
def neo4j_store(neo4j_session_store, neo4j_wipe):
    """The session's Neo4jStore on an empty database."""
    neo4j_wipe()
    return neo4j_session_store


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
