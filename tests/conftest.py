"""Shared fixtures: a real SQLite file per test, the app on it, and API tokens per role."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.app import create_app
from graph_service.auth import create_user, issue_token
from graph_service.config import Settings
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
