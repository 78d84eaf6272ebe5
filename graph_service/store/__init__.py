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
        from urllib.parse import urlsplit

        from ..errors import StoreUnavailable
        from .neo4j import Neo4jStore  # imported lazily: the driver is only needed then

        parts = urlsplit(settings.neo4j_uri)
        if parts.scheme not in ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc") or not parts.hostname:
            raise StoreUnavailable(f"NEO4J_URI {settings.neo4j_uri!r} must look like bolt://HOST:7687 or neo4j://HOST (or +s / +ssc)")
        try:
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            raise StoreUnavailable(f"NEO4J_URI {settings.neo4j_uri!r} has a port that is not a number") from None
        try:
            return Neo4jStore(
                settings.neo4j_uri,
                settings.neo4j_username,
                settings.neo4j_password,
                database=settings.neo4j_database,
            )
        except ValueError as exc:  # the driver's own check of the address (a port that is not a number...)
            raise StoreUnavailable(f"NEO4J_URI {settings.neo4j_uri!r} is not a usable address: {exc}") from None
    return SQLiteStore(settings.db_path, create=create)


__all__ = ["GraphStore", "SQLiteStore", "open_store"]
