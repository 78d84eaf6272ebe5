"""Who-knows-whom: the shortest chain of ties between two actors, ties usable in either direction."""
from __future__ import annotations

from .directory import resolve_actor


def who_knows_whom(store, from_ref: str, to_ref: str, *, max_depth: int = 6, view=None) -> dict:
    """Resolve both ends (id or name) and find the path.

    Returns ``{"from": actor, "to": actor, "found": bool, "hops": int | None, "steps": [...]}`` where
    each step is ``{"actor": actor, "tie": tie_or_None}`` (see ``GraphStore.shortest_path``).
    With an :class:`~graph_service.services.access.AccessView`, the path neither starts, ends nor
    runs through what the viewer may not see (or shows it as a placeholder, by the view's policy).
    Raises NotFound / ValidationError from :func:`resolve_actor`.
    """
    hidden = view.exclude if view is not None else frozenset()
    a = resolve_actor(store, from_ref, "from", exclude=hidden)
    b = resolve_actor(store, to_ref, "to", exclude=hidden)
    steps = store.shortest_path(a["id"], b["id"], max_depth=max_depth,
                                exclude=view.exclude_from_walks if view is not None else ())
    if steps and view is not None and view.hides_anything:
        actors = view.actors([s["actor"] for s in steps])
        steps = [{"actor": actor, "tie": s["tie"] and view.mask_tie(s["tie"])} for actor, s in zip(actors, steps)]
    return {
        "from": a,
        "to": b,
        "found": steps is not None,
        "hops": None if steps is None else len(steps) - 1,
        "max_depth": max_depth,
        "steps": steps or [],
    }


def describe_step_tie(tie: dict, previous_id: str) -> str:
    """``"-[partners with, strength 4]->"`` oriented as walked from ``previous_id``."""
    label = tie.get("label") or tie["type"]
    bits = [label]
    if tie.get("strength"):
        bits.append(f"strength {tie['strength']}")
    if tie.get("last_contact"):
        bits.append(f"last contact {tie['last_contact']}")
    inner = ", ".join(bits)
    if not tie.get("directed", True):
        return f"<-[{inner}]->"
    return f"-[{inner}]->" if tie["source_id"] == previous_id else f"<-[{inner}]-"
