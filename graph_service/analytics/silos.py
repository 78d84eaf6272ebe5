"""Silos: disconnected parts, communities that keep to themselves, agencies with no tie path.

Ties are usable either way. Community detection is Louvain (Blondel et al. 2008) weighted by tie
strength (unknown = 2), run by python-igraph's ``community_multilevel`` with a seeded random
source (same seed, same graph: same groups); the tests compare its modularity with NetworkX's
``louvain_communities`` on small graphs. These detected *groups* are found from the ties and
differ from the community tags staff give actors.
"""
from __future__ import annotations

import random
import threading
from collections import Counter, defaultdict

from ..errors import ValidationError
from ..model import fold
from ..text import counted
from .projection import UNKNOWN_STRENGTH, Projection

_rng_lock = threading.Lock()


def components(proj: Projection) -> list[list[int]]:
    """Connected components as lists of actor indices, largest first (then by first id)."""
    comps = [sorted(c) for c in proj.igraph.connected_components()]
    comps.sort(key=lambda c: (-len(c), proj.ids[c[0]]))
    return comps


def louvain(proj: Projection, *, seed: int = 0, resolution: float = 1.0) -> list[list[int]]:
    """Louvain groups (lists of actor indices, largest first); actors without ties are left out."""
    import igraph as ig

    def run():
        with _rng_lock:
            ig.set_random_number_generator(random.Random(seed))
            try:
                parts = proj.igraph.community_multilevel(weights="weight", resolution=resolution)
            finally:
                ig.set_random_number_generator(random)
        groups = [sorted(p) for p in parts if len(p) > 1 or proj.nbr[p[0]]]
        groups.sort(key=lambda c: (-len(c), proj.ids[c[0]]))
        return groups

    return proj.memo(("louvain", seed, resolution), run)


def _label(proj: Projection, members: list[int]) -> str:
    tags = Counter(t for m in members for t in proj.actors[m].get("tags") or [])
    cities = Counter(proj.actors[m].get("city") for m in members if proj.actors[m].get("city"))
    bits = []
    if tags:
        bits.append("mostly " + " and ".join(t for t, _ in tags.most_common(2)))
    if cities:
        bits.append("in " + cities.most_common(1)[0][0])
    return ", ".join(bits) or "no community or place recorded"


def silo_report(proj: Projection, *, seed: int = 0, resolution: float = 1.0, kinds: tuple[str, ...] = ("agency",),
                min_strength: int = 4, limit: int = 50) -> dict:
    """Components, Louvain groups with the ties between them, and same-city actors of ``kinds``
    (agencies by default) that no chain of ties joins.

    Returns
    -------
    ``{"components": {"total", "sizes", "isolated": {"total", "sample"}, "explanation"},
    "groups": {"total", "modularity", "items": [{id, size, label, hubs, internal_ties, external_ties,
    strong_external_ties, neighbours: [{group, ties, strongest}], explanation}]},
    "unlinked": [{city, kind, parts: [[{id, name}]], explanation}], "explanation"}``.
    """
    if resolution <= 0:
        raise ValidationError([{"field": "resolution", "message": "must be above 0"}])
    comps = components(proj)
    comp_of = {}
    for k, c in enumerate(comps):
        for v in c:
            comp_of[v] = k
    isolated = sorted((v for v in range(proj.n) if not proj.nbr[v]), key=lambda v: fold(proj.name(v)))
    linked = [c for c in comps if len(c) > 1]
    if len(comps) <= 1:
        comp_text = f"The network is one connected whole of {counted(proj.n, 'actor')}."
    else:
        comp_text = (f"The network has {counted(len(comps), 'separate part')}: {counted(len(linked), 'group')} of tied actors "
                     f"(the largest of {counted(len(comps[0]), 'actor')}) and {counted(len(isolated), 'actor')} with no tie at all.")
    groups = louvain(proj, seed=seed, resolution=resolution)
    group_of = {}
    for k, grp in enumerate(groups):
        for v in grp:
            group_of[v] = k
    between: dict[tuple[int, int], list[int]] = defaultdict(list)
    internal = Counter()
    for p, (u, v) in enumerate(zip(proj.pair_u, proj.pair_v)):
        gu, gv = group_of.get(u), group_of.get(v)
        if gu == gv:
            internal[gu] += 1
        else:
            between[(min(gu, gv), max(gu, gv))].append(p)
    degree = [len(x) for x in proj.nbr]
    items = []
    for k, grp in enumerate(groups):
        hubs = sorted(grp, key=lambda v: (-degree[v], fold(proj.name(v))))[:5]
        neighbours = []
        ext = strong_ext = 0
        for (a, b), pairs in between.items():
            if k not in (a, b):
                continue
            other = b if a == k else a
            strengths = [proj.pair_strength(p) or 0 for p in pairs]
            ext += len(pairs)
            strong_ext += sum(1 for s in strengths if (s or UNKNOWN_STRENGTH) >= min_strength)
            neighbours.append({"group": other + 1, "ties": len(pairs), "strongest": max(strengths) or None})
        neighbours.sort(key=lambda x: (-x["ties"], x["group"]))
        label = _label(proj, grp)
        if ext == 0:
            text = f"Group {k + 1} ({counted(len(grp), 'actor')}: {label}) has no tie to any other group: a silo."
        elif strong_ext == 0:
            text = (f"Group {k + 1} ({counted(len(grp), 'actor')}: {label}) is linked to other groups only by {ext} weak "
                    f"{'tie' if ext == 1 else 'ties'} (none of strength {min_strength} or more).")
        else:
            text = (f"Group {k + 1} ({counted(len(grp), 'actor')}: {label}) has {counted(ext, 'tie')} to {counted(len(neighbours), 'other group')}, "
                    f"{strong_ext} of them strong.")
        items.append({
            "id": k + 1, "size": len(grp), "label": label, "hubs": [proj.brief(v) for v in hubs],
            "internal_ties": internal[k], "external_ties": ext, "strong_external_ties": strong_ext,
            "neighbours": neighbours, "explanation": text,
        })
    items.sort(key=lambda x: (x["strong_external_ties"], x["external_ties"], -x["size"], x["id"]))
    modularity = proj.igraph.modularity([group_of.get(v, len(groups) + v) for v in range(proj.n)], weights="weight") \
        if proj.pair_u else 0.0
    unlinked = []
    by_place: dict[tuple[str, str], list[int]] = defaultdict(list)
    for v, a in enumerate(proj.actors):
        if a["kind"] in kinds and a.get("city"):
            by_place[(fold(a["city"]), a["kind"])].append(v)
    for (_, kind), members in sorted(by_place.items()):
        parts: dict[int, list[int]] = defaultdict(list)
        for v in members:
            parts[comp_of[v]].append(v)
        if len(parts) < 2:
            continue
        city = proj.actors[members[0]]["city"]
        ordered = sorted(parts.values(), key=lambda p: (-len(p), fold(proj.name(p[0]))))
        shown = ["{" + ", ".join(proj.name(v) for v in sorted(p, key=lambda v: fold(proj.name(v)))[:5])
                 + (", ..." if len(p) > 5 else "") + "}" for p in ordered[:4]]
        text = (f"In {city}, {counted(len(members), kind.replace('_', ' ') + ' actor')} sit in {counted(len(parts), 'part')} of the network "
                f"with no chain of ties between them: {' and '.join(shown)}{' and more' if len(ordered) > 4 else ''}.")
        unlinked.append({"city": city, "kind": kind, "actors": len(members),
                         "parts": [[proj.brief(v) for v in sorted(p, key=lambda v: fold(proj.name(v)))] for p in ordered],
                         "explanation": text})
    unlinked.sort(key=lambda x: (-x["actors"], fold(x["city"])))
    silos = sum(1 for i in items if i["external_ties"] == 0)
    weakly = sum(1 for i in items if i["external_ties"] and not i["strong_external_ties"])
    summary = (f"{comp_text} Louvain finds {counted(len(groups), 'group')} (modularity {modularity:.2f}); {silos} have no tie to "
               f"another group and {weakly} only weak ones. {counted(len(unlinked), 'city', 'cities')} {'has' if len(unlinked) == 1 else 'have'} {'/'.join(kinds)} actors "
               f"with no tie path between them.")
    return {
        "components": {"total": len(comps), "sizes": [len(c) for c in comps[:20]],
                       "isolated": {"total": len(isolated), "sample": [proj.brief(v) for v in isolated[:limit]]},
                       "explanation": comp_text},
        "groups": {"total": len(groups), "modularity": round(modularity, 4), "items": items[:limit]},
        "unlinked": unlinked[:limit],
        "explanation": summary,
    }
