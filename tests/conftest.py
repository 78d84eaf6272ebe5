"""Shared fixtures: a real SQLite file per test, the app on it, and API tokens per role."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph_service.app import create_app
from graph_service.auth import create_user, issue_token
from graph_service.config import Settings
from graph_service.errors import StoreUnavailable
from graph_service.services.sync import demo_files, import_files
from graph_service.store.sqlite import SQLiteStore

DEMO_DIR = Path(__file__).resolve().parent.parent / "graph_service" / "demo_data"


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "graph.sqlite3"


@pytest.fixture
def settings(db_path) -> Settings:
    return Settings(db_path=str(db_path), secret_key="test-secret-key")


@pytest.fixture
def sqlite_store(db_path):
    store = SQLiteStore(db_path)
    store.init_schema()
    yield store
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def any_store(request):
    """An empty store, once per implementation: ``sqlite_store``, then ``neo4j_store`` (skipped
    without ``NEO4J_TEST_URI``), for services that must behave alike on both."""
    return request.getfixturevalue("sqlite_store" if request.param == "sqlite" else "neo4j_store")


@pytest.fixture
def demo_store(sqlite_store):
    """The SQLite store loaded with the bundled roundtable demo (40 actors, 55 ties)."""
    import_files(sqlite_store, demo_files(), by="test")
    return sqlite_store


@pytest.fixture
def app(settings, demo_store):
    return create_app({"TESTING": True}, settings=settings, store=demo_store)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def tokens(demo_store) -> dict[str, str]:
    """One API token per role: ``{"viewer": ..., "editor": ..., "admin": ...}``."""
    return {role: issue_token(demo_store, f"{role}-script", role=role)[0] for role in ("viewer", "editor", "admin")}


@pytest.fixture
def auth(tokens):
    """``auth("editor")`` -> headers carrying that role's token."""
    return lambda role="editor": {"Authorization": f"Bearer {tokens[role]}"}


def csrf_token_from(client, path="/login") -> str:
    """The CSRF token a page's form carries, as a browser would send it back."""
    import re

    html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def log_in(client, username, password, next_url=None):
    """Log in through the login form (with its CSRF token); returns the response."""
    url = "/login" + (f"?next={next_url}" if next_url else "")
    data = {"username": username, "password": password, "csrf_token": csrf_token_from(client)}
    return client.post(url, data=data)


@pytest.fixture
def web_user(demo_store):
    create_user(demo_store, "coordinator", "correct horse battery", "editor", by="test")
    return "coordinator", "correct horse battery"


# A real Neo4j server (scripts/neo4j-local start); tests needing it skip without one, except in CI.
# Only a server named here is used, because the tests wipe its database: never a developer's
# own Neo4j by accident. CI sets it to the throwaway server that .ci/run starts.
NEO4J_TEST_URI = os.environ.get("NEO4J_TEST_URI") or ""
NEO4J_TEST_USERNAME = os.environ.get("NEO4J_USERNAME") or os.environ.get("NEO4J_USER") or "neo4j"
NEO4J_TEST_PASSWORD = os.environ.get("NEO4J_PASSWORD") or "graph-service-dev"
NEO4J_TEST_DATABASE = os.environ.get("NEO4J_DATABASE") or "neo4j"

def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def neo4j_session_store():
    """One Neo4jStore (one driver) for the session, schema created; skip/fail if unreachable."""
    if not NEO4J_TEST_URI:
        message = "no NEO4J_TEST_URI: set it to a Neo4j whose data the tests may wipe (see README, Test it)"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from graph_service.store.neo4j import Neo4jStore

    store = Neo4jStore(NEO4J_TEST_URI, NEO4J_TEST_USERNAME, NEO4J_TEST_PASSWORD, database=NEO4J_TEST_DATABASE)
    try:
        store.ping()
    except StoreUnavailable as exc:
        store.close()
        reason = " ".join(str(exc.detail).split())[:160]
        message = f"Neo4j not reachable at {NEO4J_TEST_URI} ({reason}); start it with scripts/neo4j-local start"
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

        def wipe():
            # in committed chunks (an auto-commit statement): one transaction would run out of
            # memory after a benchmark's million rows
            with driver.session(database=NEO4J_TEST_DATABASE) as session:
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()

        yield wipe


@pytest.fixture
def neo4j_store(neo4j_session_store, neo4j_wipe):
    """The session's Neo4jStore on an empty database."""
    neo4j_wipe()
    return neo4j_session_store


@pytest.fixture
def run_cli(db_path, monkeypatch, capsys):
    """``run_cli("path", "A", "B")`` -> (exit code, stdout, stderr) on the test's SQLite file."""
    from graph_service.cli import main

    monkeypatch.setenv("GRAPH_SERVICE_DB", str(db_path))
    monkeypatch.delenv("NEO4J_URI", raising=False)

    def _run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run
