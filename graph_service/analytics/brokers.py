"""Brokers and structural holes: betweenness, Burt's constraint and effective size.

All three read the undirected graph of actors, one edge per tied pair (ties usable either way).

Betweenness (Freeman 1977), normalised as NetworkX's ``betweenness_centrality(normalized=True)``:
the share of shortest chains between pairs of other actors that pass through an actor, counted
in hops. Computed with Brandes' algorithm (2001) by python-igraph: exactly up to
``exact_limit`` actors; above it from ``sample`` source actors drawn uniformly without
replacement (Brandes and Pich 2007), scaled by ``n / sample``. The stated error of a sampled
value is twofold:

* ``se``: its standard error, from the spread of the estimates of 16 equal batches of sources
  (batch means); ``value +- 1.96 se`` is an approximate 95% interval for the brokers a report
  lists (many sources route through them); for an actor few chains pass through it can
  understate the error, which is why the bound below is given too;
* ``hoeffding_bound``: a guaranteed bound for every actor at 95% confidence,
  ``(n / (n - 1)) * sqrt(ln(2 / 0.05) / (2 * sample))``, because one source adds at most
  ``n / (n - 1)`` to a normalised estimate (Hoeffding 1963); loose but certain.

Constraint (Burt 1992, *Structural Holes*): ``c_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` with
``p_ij`` the share of i's tie strength (unknown strength = 2) invested in j; low constraint means
contacts who do not know each other. Computed by python-igraph (``Graph.constraint``), checked
against ``networkx.constraint`` in the tests.

Effective size (Burt 1992, in Borgatti's 1997 form for unweighted undirected graphs):
``n - 2t / n`` for an actor with ``n`` contacts and ``t`` ties among them, as
``networkx.effective_size``; the triangles come from python-igraph's local transitivity.
"""
from __future__ import annotations

import math
import random

from ..errors import ValidationError
from ..model import fold
from .projection import Projection

EXACT_LIMIT = 10_000
DEFAULT_SAMPLE = 256
BATCHES = 16


def betweenness(proj: Projection, *, exact_limit: int = EXACT_LIMIT, sample: int | None = None, seed: int = 0) -> dict:
    """Normalised betweenness of every actor, exact or sampled (see the module docstring).

    Parameters
    ----------
    exact_limit : int
        Largest number of actors computed exactly when ``sample`` is not given.
    sample : int, optional
        Number of source actors to sample (forces sampling when below the number of actors).
    seed : int
        Seed of the sample (same seed, same graph: same answer).

    Returns
    -------
    ``{"method": "exact"|"sampled", "sample": k|None, "values": [float per actor index],
    "se": [float per actor]|None, "hoeffding_bound": float|None, "confidence": 0.95|None}``
    """
    n = proj.n
    g = proj.igraph
    norm = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    k = sample if sample is not None else (None if n <= exact_limit else DEFAULT_SAMPLE)
    if k is not None and k < 1:
        raise ValidationError([{"field": "sample", "message": "must be at least 1"}])
    if k is None or k >= n:
        raw = g.betweenness(directed=False) if n else []
        return {"method": "exact", "sample": None, "values": [b * norm for b in raw], "se": None,
                "hoeffding_bound": None, "confidence": None}
    sources = random.Random(seed).sample(range(n), k)
    batches = [sources[i::BATCHES] for i in range(min(BATCHES, k))]
    estimates = []
    for batch in batches:
        raw = g.betweenness(directed=False, sources=batch, targets=None)
        scale = norm * n / len(batch)
        estimates.append([b * scale for b in raw])
    weights = [len(b) / k for b in batches]
    values = [sum(w * e[v] for w, e in zip(weights, estimates)) for v in range(n)]
    m = len(batches)
    if m > 1:
        se = [math.sqrt(sum((e[v] - values[v]) ** 2 for e in estimates) / (m - 1) / m) for v in range(n)]
    else:
        se = None
    bound = (n / (n - 1)) * math.sqrt(math.log(2 / 0.05) / (2 * k))
    return {"method": "sampled", "sample": k, "values": values, "se": se, "hoeffding_bound": bound, "confidence": 0.95}


def constraint_and_effective_size(proj: Projection) -> tuple[list[float | None], list[float | None]]:
    """Burt's constraint (weighted by tie strength) and effective size per actor index; ``None``
    for actors without ties (where both are undefined)."""
    g = proj.igraph
    degree = g.degree()
    constraint = g.constraint(weights="weight")
    local = g.transitivity_local_undirected(mode="zero")
    c_out, e_out = [], []
    for v in range(proj.n):
        d = degree[v]
        if d == 0:
            c_out.append(None)
            e_out.append(None)
            continue
        c = constraint[v]
        c_out.append(None if c is None or math.isnan(c) else c)
        t = round(local[v] * d * (d - 1) / 2)
        e_out.append(d - 2 * t / d)
    return c_out, e_out


def broker_report(proj: Projection, *, top: int = 20, exact_limit: int = EXACT_LIMIT, sample: int | None = None,
                  seed: int = 0) -> dict:
    """The actors who broker most: highest betweenness, with constraint and effective size.

    Returns
    -------
    ``{"method", "sample", "hoeffding_bound", "confidence", "actors": n, "brokers": [{rank, actor, betweenness,
    se, contacts, constraint, effective_size, explanation}], "explanation"}`` by betweenness, highest first.
    """
    if top < 1:
        raise ValidationError([{"field": "top", "message": "must be at least 1"}])
    key = ("brokers", exact_limit, sample, seed)
    bc = proj.memo(key, lambda: betweenness(proj, exact_limit=exact_limit, sample=sample, seed=seed))
    constraint, esize = proj.memo("constraint_esize", lambda: constraint_and_effective_size(proj))
    values = bc["values"]
    order = sorted(range(proj.n), key=lambda v: (-values[v], fold(proj.name(v)), proj.ids[v]))[:top]
    degree = [len(x) for x in proj.nbr]
    out = []
    for rank, v in enumerate(order, 1):
        b = values[v]
        if b <= 0:
            break
        d = degree[v]
        se = bc["se"][v] if bc["se"] else None
        share = f"{100 * b:.1f}%"
        if se is not None:
            share += f" (+-{196 * se:.1f} points)"
        text = f"{proj.name(v)} lies on about {share} of the shortest chains between other actors"
        if constraint[v] is not None:
            open_share = esize[v] / d if d else 0
            if open_share >= 0.75:
                text += (f"; most of its {d} contacts are not tied to each other (effective size {esize[v]:.1f}, "
                         f"constraint {constraint[v]:.2f}): it bridges a structural hole, and losing it would split them.")
            else:
                text += (f"; many of its {d} contacts already know each other (effective size {esize[v]:.1f}, "
                         f"constraint {constraint[v]:.2f}), so others could stand in.")
        out.append({
            "rank": rank, "actor": proj.brief(v), "betweenness": round(b, 6), "se": None if se is None else round(se, 6),
            "contacts": d, "constraint": None if constraint[v] is None else round(constraint[v], 4),
            "effective_size": None if esize[v] is None else round(esize[v], 4), "explanation": text,
        })
    if bc["method"] == "exact":
        how = f"exact betweenness over {proj.n} actors"
    else:
        how = (f"betweenness estimated from {bc['sample']} of {proj.n} actors (each value +-1.96 standard errors; "
               f"at most +-{bc['hoeffding_bound']:.3f} for every actor with 95% confidence)")
    summary = f"{len(out)} brokers by {how}; constraint and effective size are exact."
    return {"method": bc["method"], "sample": bc["sample"], "hoeffding_bound": bc["hoeffding_bound"],
            "confidence": bc["confidence"], "actors": proj.n, "brokers": out, "explanation": summary}
