"""The Cypher catalogue: one named, parameterised statement per purpose (``<name>.cypher``).

:class:`graph_service.store.neo4j.Neo4jStore` takes every statement it runs from here. Values
reach Cypher only as ``$parameters``; no statement is built from user input.

>>> "MATCH (a:Actor {id: $id})" in load("actor_get")
True
"""
from __future__ import annotations

import functools
import re
from importlib import resources

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@functools.lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of ``queries/<name>.cypher`` (cached), without comment lines and trailing space.

    Raises :class:`KeyError` for a name that is not in the catalogue.
    """
    if not _NAME_RE.match(name):
        raise KeyError(name)
    path = resources.files(__name__).joinpath(f"{name}.cypher")
    if not path.is_file():
        raise KeyError(name)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("//")]
    return "\n".join(lines).strip()


def statements(name: str) -> list[str]:
    """The ``;``-separated statements of a multi-statement file (the schema), in order."""
    return [s.strip() for s in load(name).split(";") if s.strip()]


def names() -> list[str]:
    """Every query name in the catalogue, sorted."""
    return sorted(
        f.name[: -len(".cypher")] for f in resources.files(__name__).iterdir() if f.name.endswith(".cypher")
    )
