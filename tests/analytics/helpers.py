"""Tiny hand-made graphs for the analytics tests (fake names; dates fixed so costs are exact)."""
from __future__ import annotations

import datetime as dt

from graph_service.analytics.projection import Projection

TODAY = dt.date(2026, 1, 1)
FRESH = TODAY.isoformat()  # last contact today: freshness 1, so a tie of strength s costs 5 / s


def actor(actor_id: str, kind: str = "ngo", tags=(), city: str = "", country: str = "") -> dict:
    return {"id": actor_id, "name": actor_id.upper(), "kind": kind, "tags": list(tags), "city": city, "country": country}


def tie(tie_id: str, a: str, b: str, strength=5, last_contact=FRESH, directed=False, type="knows", until=None) -> dict:
    return {"id": tie_id, "source_id": a, "target_id": b, "type": type, "label": type.replace("_", " "),
            "directed": directed, "strength": strength, "last_contact": last_contact, "since": None, "until": until}


def build(actors, ties, today=TODAY) -> Projection:
    """A projection of the given actors (dicts or ids) and ties."""
    actors = [a if isinstance(a, dict) else actor(a) for a in actors]
    return Projection(actors, ties, today=today)


def chain_ties(*ids, strength=5, prefix="t") -> list[dict]:
    """Ties joining consecutive ids: chain_ties("a", "b", "c") -> a-b, b-c."""
    return [tie(f"{prefix}-{a}-{b}", a, b, strength) for a, b in zip(ids, ids[1:])]
