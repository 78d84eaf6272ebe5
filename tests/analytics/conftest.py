"""The contract suite's ``store`` fixture (SQLite, and Neo4j when a server runs) for the analytics."""
from tests.store.conftest import sqlite_file_store, store  # noqa: F401
