"""Who do we know: reach within N hops, mutual connections, filtered ego networks.

Path strength is the warm-path cost of :mod:`.projection` (lower is warmer). Ties are usable
either way unless ``directed=True``.
"""
from __future__ import annotations

from math import inf

from ..errors import ValidationError
from ..model import fold
from .projection import UNKNOWN_STRENGTH, Projection, days_since
from .warm_paths import _adjacency, describe_path

MAX_HOPS = 6


def hop_limited_costs(nbr, wt, source: int, hops: int, banned: set[int] | frozenset = frozenset()):
    """Cheapest path cost from ``source`` to every node using at most ``hops`` ties.

    Bellman-Ford limited to ``hops`` rounds (Bellman 1958): round ``h`` relaxes only the nodes
    whose cost changed in round ``h - 1``, from their round ``h - 1`` values, so each answer is a
    path of at most ``hops`` ties.

    Returns
    -------
    (best, rounds) where ``best[v] = (cost, hops_used)`` and ``rounds[h][v] = (cost, predecessor)``
    for every change made in round ``h``; :func:`hop_limited_path` rebuilds a path from them.
    """
    best = {source: (0.0, 0)}
    rounds: list[dict[int, tuple[float, int | None]]] = [{source: (0.0, None)}]
    frontier = {source: 0.0}
    for h in range(1, hops + 1):
        changes: dict[int, tuple[float, int]] = {}
        for u, cu in frontier.items():
            for w, c in zip(nbr[u], wt[u]):
                if w in banned:
                    continue
                nc = cu + c
                prev = changes.get(w)
                if (prev is None or nc < prev[0]) and nc < best.get(w, (inf,))[0]:
                    changes[w] = (nc, u)
        if not changes:
            break
        for w, (nc, _) in changes.items():
            best[w] = (nc, h)
        rounds.append(changes)
        frontier = {w: nc for w, (nc, _) in changes.items()}
    return best, rounds


def _last_change(rounds, node: int, h: int) -> int:
    while node not in rounds[h]:
        h -= 1
    return h


def hop_limited_path(rounds, node: int, h: int) -> list[int]:
    """The path to ``node`` found in round ``h`` of :func:`hop_limited_costs`, source first."""
    path = [node]
    while h > 0:
        _, pred = rounds[h][node]
        node = pred
        h = _last_change(rounds, node, h - 1)
        path.append(node)
    path.reverse()
    return path


def who_do_we_know(proj: Projection, source_id: str, *, hops: int = 2, tag: str | None = None, kind: str | None = None,
                   city: str | None = None, country: str | None = None, directed: bool = False,
                   limit: int = 100) -> dict:
    """Everyone ``source_id`` can reach within ``hops`` ties that matches the filters, warmest first.

    Parameters
    ----------
    hops : int
        1..6 ties.
    tag, kind, city, country : str, optional
        Keep actors with this community tag (a sector is kept as a tag), kind, city, country
        (text compared case- and accent-insensitively).
    directed : bool
        Follow directed ties only from source to target.
    limit : int
        Longest list returned; ``total`` counts all matches.

    Returns
    -------
    ``{"from", "hops", "filters", "total", "results": [{actor, tags, city, cost, hops, weakest_strength,
    via, path: [{id, name}], explanation}]}`` ordered by path cost, then fewer hops, then name.
    """
    if not 1 <= hops <= MAX_HOPS:
        raise ValidationError([{"field": "hops", "message": f"must be between 1 and {MAX_HOPS}"}])
    s = proj.require(source_id)
    out_nbr, out_wt, _, _ = _adjacency(proj, directed)
    best, rounds = hop_limited_costs(out_nbr, out_wt, s, hops)
    hits = [v for v in best if v != s and proj.matches(v, tag=tag, kind=kind, city=city, country=country)]
    hits.sort(key=lambda v: (best[v][0], best[v][1], fold(proj.name(v)), proj.ids[v]))
    results = []
    for v in hits[:limit]:
        cost, h = best[v]
        path = hop_limited_path(rounds, v, h)
        info = describe_path(proj, path, directed)
        a = proj.actors[v]
        via = proj.brief(path[1]) if len(path) > 2 else None
        how = f"directly ({info['steps'][1]['tie']['label']})" if via is None else f"through {via['name']}"
        weakest = f", weakest tie strength {info['weakest_strength']}" if info["weakest_strength"] else ""
        results.append({
            "actor": proj.brief(v), "tags": a.get("tags") or [], "city": a.get("city") or "",
            "cost": round(cost, 4), "hops": h, "weakest_strength": info["weakest_strength"],
            "via": via, "path": [{"id": proj.ids[i], "name": proj.name(i)} for i in path],
            "explanation": f"{proj.name(s)} reaches {a['name']} {how} in {h} {'tie' if h == 1 else 'ties'} (cost {round(cost, 4):g}{weakest}).",
        })
    filters = {k: v for k, v in (("tag", tag), ("kind", kind), ("city", city), ("country", country)) if v}
    return {"from": proj.brief(s), "hops": hops, "directed": directed, "filters": filters, "total": len(hits),
            "results": results}


def mutual_connections(proj: Projection, a_id: str, b_id: str) -> dict:
    """Actors tied to both ``a_id`` and ``b_id`` (ties usable either way), strongest first.

    Returns
    -------
    ``{"a", "b", "direct": tie_or_None, "total", "results": [{actor, tie_to_a, tie_to_b, weakest_strength,
    explanation}]}``; the ties shown are each pair's cheapest (strongest, freshest). Ordered by
    the weaker of the two ties' strength (unrated last), then name.
    """
    a, b = proj.require(a_id), proj.require(b_id)
    if a == b:
        raise ValidationError([{"field": "b", "message": "is the same actor as a"}])
    common = set(proj.nbr[a]) & set(proj.nbr[b])
    results = []
    for x in common:
        ta = proj.tie_brief(proj.pair_tie[proj.pair_of(a, x)])
        tb = proj.tie_brief(proj.pair_tie[proj.pair_of(b, x)])
        rated = [s for s in (ta["strength"], tb["strength"]) if s]
        weakest = min(rated) if len(rated) == 2 else None
        results.append({
            "actor": proj.brief(x), "tie_to_a": ta, "tie_to_b": tb, "weakest_strength": weakest,
            "explanation": f"{proj.name(x)} knows both {proj.name(a)} ({ta['label']}) and {proj.name(b)} ({tb['label']}).",
        })
    results.sort(key=lambda r: (-(r["weakest_strength"] or 0), fold(r["actor"]["name"]), r["actor"]["id"]))
    p = proj.pair_of(a, b)
    return {"a": proj.brief(a), "b": proj.brief(b), "direct": proj.tie_brief(proj.pair_tie[p]) if p is not None else None,
            "total": len(results), "results": results}


def ego_network(proj: Projection, centre_id: str, *, depth: int = 1, min_strength: int | None = None,
                types: list[str] | None = None, fresh_days: int | None = None, tag: str | None = None,
                kind: str | None = None, directed: bool = False) -> dict:
    """An actor's ego network to ``depth`` hops, walking only ties that pass the tie filters.

    Parameters
    ----------
    min_strength : int, optional
        Walk only ties of at least this strength (an unrated tie counts as 2).
    types : list[str], optional
        Walk only ties of these types.
    fresh_days : int, optional
        Walk only ties whose last contact is at most this many days old.
    tag, kind : str, optional
        Show only actors with this tag / kind (the centre is always shown); actors filtered out
        may still be walked through.
    directed : bool
        Follow directed ties only from source to target.

    Returns
    -------
    ``{"centre", "depth", "filters", "actors": [{id, name, kind, tags, city, hops}], "ties": [tie]}``,
    the ties being every passing tie among the actors shown.
    """
    if not 1 <= depth <= MAX_HOPS:
        raise ValidationError([{"field": "depth", "message": f"must be between 1 and {MAX_HOPS}"}])
    c = proj.require(centre_id)
    type_set = set(types or [])

    def passes(t: int) -> bool:
        tie = proj.ties[t]
        if min_strength and (tie.get("strength") or UNKNOWN_STRENGTH) < min_strength:
            return False
        if type_set and tie["type"] not in type_set:
            return False
        if fresh_days is not None:
            age = days_since(tie.get("last_contact"), proj.today)
            if age is None or age > fresh_days:
                return False
        return True

    def usable(t: int, u: int) -> bool:
        tie = proj.ties[t]
        return not directed or not tie.get("directed", True) or proj.index[tie["source_id"]] == u

    dist = {c: 0}
    frontier = [c]
    for h in range(1, depth + 1):
        nxt = []
        for u in frontier:
            for w, p in zip(proj.nbr[u], proj.npair[u]):
                if w in dist:
                    continue
                if any(passes(t) and usable(t, u) for t in proj.pair_ties[p]):
                    dist[w] = h
                    nxt.append(w)
        frontier = nxt
    shown = {v for v in dist if v == c or proj.matches(v, tag=tag, kind=kind)}
    actors = []
    for v in sorted(shown, key=lambda v: (dist[v], fold(proj.name(v)), proj.ids[v])):
        a = proj.actors[v]
        actors.append({**proj.brief(v), "tags": a.get("tags") or [], "city": a.get("city") or "", "hops": dist[v]})
    ties = []
    for v in shown:
        for w, p in zip(proj.nbr[v], proj.npair[v]):
            if w in shown and v < w:
                ties.extend(proj.tie_brief(t) for t in proj.pair_ties[p] if passes(t))
    ties.sort(key=lambda t: t["id"])
    filters = {k: v for k, v in (("min_strength", min_strength), ("types", types or None), ("fresh_days", fresh_days),
                                 ("tag", tag), ("kind", kind)) if v is not None}
    return {"centre": proj.brief(c), "depth": depth, "directed": directed, "filters": filters, "actors": actors, "ties": ties}
