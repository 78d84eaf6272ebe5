"""Graph stores: :class:`SQLiteStore` (embedded default) and ``Neo4jStore`` (when NEO4J_URI is set)."""
from __future__ import annotations

from ..config import Settings
from .base import GraphStore
from .sqlite import SQLiteStore


def open_store(settings: Settings, *, create: bool = True) -> GraphStore:
    """The store the settings select: Neo4j when ``neo4j_uri`` is set, else the SQLite file.

    ``create=False`` refuses (StoreUnavailable) a SQLite file that does not exist yet.
    """
    if settings.neo4j_uri:
        from .neo4j import Neo4jStore  # imported lazily: the driver is only needed then

        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_username,
            settings.neo4j_password,
            database=settings.neo4j_database,
        )
    return SQLiteStore(settings.db_path, create=create)


__all__ = ["GraphStore", "SQLiteStore", "open_store"]
