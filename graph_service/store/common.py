"""Store-independent helpers shared by the SQLite and Neo4j stores, so both answer alike."""
from __future__ import annotations

from typing import Callable, Iterable, Mapping

ACTOR_DATA_FIELDS = (
    "name", "kind", "aliases", "description", "tags", "country", "city",
    "contact_details", "attributes", "source",
)
TIE_DATA_FIELDS = (
    "source_id", "target_id", "type", "label", "directed", "strength", "since", "until",
    "last_contact", "source", "description", "attributes",
)
# Provenance alone changing (a row moved in its sheet) is not a change of the record.
_IGNORED_FOR_CHANGE = {"source"}


def changed_fields(before: Mapping, changes: Mapping, fields: Iterable[str]) -> dict:
    """The subset of ``changes`` (restricted to ``fields``) whose values differ from ``before``.

    When anything but provenance differs, a new ``source`` is carried along with it.
    """
    diff = {f: changes[f] for f in fields if f in changes and before.get(f) != changes[f] and f not in _IGNORED_FOR_CHANGE}
    if diff and "source" in changes and changes["source"] != before.get("source"):
        diff["source"] = changes["source"]
    return diff


def best_tie(ties: list[dict]) -> dict | None:
    """The tie to show between a pair: strongest first (unknown strength last), then lowest id."""
    if not ties:
        return None
    return sorted(ties, key=lambda t: (-(t.get("strength") or 0), t["id"]))[0]


def lexicographic_shortest_path(preds: Mapping[str, set], source: str, target: str) -> list[str]:
    """Among all shortest paths encoded by BFS predecessor sets, the one whose id sequence sorts first.

    ``preds[v]`` holds every node ``u`` with ``dist(u) + 1 == dist(v)``. Nodes on some shortest
    path are the ancestors of ``target``; walking forward from ``source`` and always taking the
    smallest such successor yields the lexicographically smallest path.
    """
    on_path = {target}
    stack = [target]
    succ: dict[str, set] = {}
    while stack:
        v = stack.pop()
        for u in preds.get(v, ()):
            succ.setdefault(u, set()).add(v)
            if u not in on_path:
                on_path.add(u)
                stack.append(u)
    path = [source]
    while path[-1] != target:
        path.append(min(succ[path[-1]]))
    return path


def unique_id(base: str, taken: Callable[[str], bool]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not ``taken`` first."""
    candidate, n = base, 1
    while taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate
