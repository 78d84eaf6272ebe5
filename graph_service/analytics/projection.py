"""The in-memory projection of the store that every analytic reads, and the hop-cost formula.

Loading 100,000 actors and their ties from SQLite and building the graph takes seconds, so the
projection is kept per store object and rebuilt only when ``store.revision()`` moves (one cheap
query per request) or the day changes (freshness depends on today's date). A store without
``revision()`` gets a fresh projection on every call: always right, only slower.

Hop cost (documented formula)
-----------------------------
Each tie gets a *reliability* ``r = (s / 5) * f`` in (0, 1], where ``s`` is its strength 1..5
(unknown counts as ``UNKNOWN_STRENGTH`` = 2: a tie nobody rated is treated as a weak one) and
``f`` its freshness::

    f = max(0.1, 0.5 ** (days since last_contact / 365))     # halves every year, floor 0.1
    f = 0.5 when last_contact is unknown                      # as if about a year old

and the cost of walking it is ``1 / r = 5 / (s * f)``: 1.0 for a strength-5 tie confirmed today,
2.0 for the same tie a year later (or undated), 5.0 for a fresh strength-1 tie, at most 50. A
path's cost is the sum of its hops, so every extra hop costs at least 1 and the best (warm)
path prefers few, strong, recently confirmed ties. The exponential decay of tie strength over
time follows Burt, R. S. (2000) "Decay functions", *Social Networks* 22(1):1-28; strength is
Granovetter's (1973) notion rated by staff on the 1-5 scale of the data model.

Which ties count
----------------
Live ties whose ``until`` date is not before today (an ended tie is history, not a route) and
that join two different live actors. Several ties between one pair are kept (``pair_ties``); a
path walks the cheapest of them (ties broken by lowest id), and "strong"/"fresh" tests ask
whether *any* tie of the pair qualifies.
"""
from __future__ import annotations

import datetime as dt
import threading
import weakref
from typing import Any, Callable

import networkx as nx

from ..errors import NotFound
from ..model import fold

UNKNOWN_STRENGTH = 2
HALF_LIFE_DAYS = 365.0
UNDATED_FRESHNESS = 0.5
MIN_FRESHNESS = 0.1
MAX_STRENGTH = 5


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def freshness(last_contact: str | None, today: dt.date) -> float:
    """Freshness factor in [0.1, 1] of a tie last confirmed on ``last_contact`` (ISO date or None).

    >>> freshness("2025-01-01", dt.date(2026, 1, 1))
    0.5
    """
    day = _date(last_contact)
    if day is None:
        return UNDATED_FRESHNESS
    age = max(0, (today - day).days)
    return max(MIN_FRESHNESS, 0.5 ** (age / HALF_LIFE_DAYS))


def hop_cost(strength: int | None, last_contact: str | None, today: dt.date) -> float:
    """Cost of walking one tie: ``5 / (strength * freshness)`` (see the module docstring).

    >>> hop_cost(5, "2026-01-01", dt.date(2026, 1, 1))
    1.0
    >>> hop_cost(None, None, dt.date(2026, 1, 1))
    5.0
    """
    return MAX_STRENGTH / ((strength or UNKNOWN_STRENGTH) * freshness(last_contact, today))


def days_since(last_contact: str | None, today: dt.date) -> int | None:
    """Whole days from ``last_contact`` to ``today`` (None when undated)."""
    day = _date(last_contact)
    return None if day is None else (today - day).days


class Projection:
    """Live actors and ties of one store revision, indexed for fast graph queries.

    Attributes
    ----------
    ids : list[str]
        Actor ids; an actor's position is its integer index ``i`` used by the fast paths.
    actors : list[dict]
        ``{id, name, kind, tags, city, country}`` per index (no contact details).
    ties : list[dict]
        The usable ties (see module docstring), each as the store's projection gives it.
    tie_cost : list[float]
        :func:`hop_cost` per tie.
    pair_u, pair_v, pair_ties, pair_tie, pair_cost : lists per *pair* (unordered, ``u < v``)
        the two ends, every tie joining them, the cheapest tie and its cost.
    nbr, wt, npair : list[list]
        Undirected adjacency: neighbours, hop costs and pair ids of actor ``i``.
    """

    def __init__(self, actors: list[dict], ties: list[dict], *, today: dt.date, revision: Any = None):
        self.today = today
        self.revision = revision
        self.actors = list(actors)
        self.ids = [a["id"] for a in self.actors]
        self.index = {a: i for i, a in enumerate(self.ids)}
        self.ended_ties = 0
        self._memo: dict = {}
        self._lock = threading.Lock()
        index = self.index
        kept, costs = [], []
        pair_of: dict[tuple[int, int], int] = {}
        self.pair_u: list[int] = []
        self.pair_v: list[int] = []
        self.pair_ties: list[list[int]] = []
        self.pair_tie: list[int] = []
        self.pair_cost: list[float] = []
        fresh_cache: dict[Any, float] = {}
        today_iso = today.isoformat()
        for tie in ties:
            u = index.get(tie["source_id"])
            v = index.get(tie["target_id"])
            if u is None or v is None or u == v:
                continue
            until = tie.get("until")
            if until and str(until)[:10] < today_iso:
                self.ended_ties += 1
                continue
            lc = tie.get("last_contact")
            f = fresh_cache.get(lc)
            if f is None:
                f = fresh_cache[lc] = freshness(lc, today)
            cost = MAX_STRENGTH / ((tie.get("strength") or UNKNOWN_STRENGTH) * f)
            t = len(kept)
            kept.append(tie)
            costs.append(cost)
            key = (u, v) if u < v else (v, u)
            p = pair_of.get(key)
            if p is None:
                p = pair_of[key] = len(self.pair_u)
                self.pair_u.append(key[0])
                self.pair_v.append(key[1])
                self.pair_ties.append([t])
                self.pair_tie.append(t)
                self.pair_cost.append(cost)
            else:
                self.pair_ties[p].append(t)
                best = self.pair_tie[p]
                if cost < self.pair_cost[p] or (cost == self.pair_cost[p] and tie["id"] < kept[best]["id"]):
                    self.pair_tie[p] = t
                    self.pair_cost[p] = cost
        self.ties = kept
        self.tie_cost = costs
        self.pair_index = pair_of
        n = len(self.ids)
        self.nbr: list[list[int]] = [[] for _ in range(n)]
        self.wt: list[list[float]] = [[] for _ in range(n)]
        self.npair: list[list[int]] = [[] for _ in range(n)]
        for p, (u, v, c) in enumerate(zip(self.pair_u, self.pair_v, self.pair_cost)):
            self.nbr[u].append(v)
            self.wt[u].append(c)
            self.npair[u].append(p)
            self.nbr[v].append(u)
            self.wt[v].append(c)
            self.npair[v].append(p)

    # basics -------------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return len(self.ids)

    def require(self, actor_id: str) -> int:
        """Index of a live actor; :class:`NotFound` if the projection has no such actor."""
        i = self.index.get(actor_id)
        if i is None:
            raise NotFound(f"no actor with id {actor_id!r}")
        return i

    def brief(self, i: int) -> dict:
        """``{id, name, kind}`` of actor ``i``, for results."""
        a = self.actors[i]
        return {"id": a["id"], "name": a["name"], "kind": a["kind"]}

    def name(self, i: int) -> str:
        return self.actors[i]["name"]

    def tie_brief(self, t: int) -> dict:
        """A tie as results show it: type, label, direction, strength, dates, hop cost."""
        tie = self.ties[t]
        return {
            "id": tie["id"], "source_id": tie["source_id"], "target_id": tie["target_id"], "type": tie["type"],
            "label": tie.get("label") or tie["type"], "directed": bool(tie.get("directed", True)),
            "strength": tie.get("strength"), "last_contact": tie.get("last_contact"),
            "cost": round(self.tie_cost[t], 4),
        }

    def pair_of(self, u: int, v: int) -> int | None:
        return self.pair_index.get((u, v) if u < v else (v, u))

    def pair_strength(self, p: int) -> int | None:
        """Strongest known strength among the ties of pair ``p`` (None when none is rated)."""
        values = [self.ties[t].get("strength") for t in self.pair_ties[p]]
        values = [s for s in values if s]
        return max(values) if values else None

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Result of ``compute()`` kept for this revision (expensive reports are computed once)."""
        if key in self._memo:
            return self._memo[key]
        value = compute()
        self._memo[key] = value
        return value

    # directed adjacency (lazy) ------------------------------------------------------------
    def directed_adjacency(self) -> tuple[list[list[int]], list[list[float]], list[list[int]], list[list[float]], dict]:
        """``(out_nbr, out_wt, in_nbr, in_wt, arc_tie)``: a directed tie runs source -> target only,
        a mutual tie both ways; per ordered pair the cheapest usable tie (``arc_tie[(u, v)]``)."""
        def build():
            arc: dict[tuple[int, int], int] = {}
            for t, tie in enumerate(self.ties):
                u, v = self.index[tie["source_id"]], self.index[tie["target_id"]]
                arcs = [(u, v)] if tie.get("directed", True) else [(u, v), (v, u)]
                for a in arcs:
                    best = arc.get(a)
                    if best is None or (self.tie_cost[t], tie["id"]) < (self.tie_cost[best], self.ties[best]["id"]):
                        arc[a] = t
            n = self.n
            out_nbr = [[] for _ in range(n)]
            out_wt = [[] for _ in range(n)]
            in_nbr = [[] for _ in range(n)]
            in_wt = [[] for _ in range(n)]
            for (u, v), t in sorted(arc.items()):
                c = self.tie_cost[t]
                out_nbr[u].append(v)
                out_wt[u].append(c)
                in_nbr[v].append(u)
                in_wt[v].append(c)
            return out_nbr, out_wt, in_nbr, in_wt, arc

        return self.memo("directed_adjacency", build)

    # library views (lazy) -----------------------------------------------------------------
    @property
    def graph(self) -> nx.Graph:
        """NetworkX ``Graph`` on actor ids: one edge per pair with ``cost`` (cheapest tie), ``strength``
        (strongest rated tie, None if none), ``weight`` (strength, unknown = 2), ``tie`` (cheapest tie's
        id) and ``ties`` (number of parallel ties). Node attributes: name, kind, tags, city, country."""
        def build():
            g = nx.Graph()
            g.add_nodes_from((a["id"], {k: a.get(k) for k in ("name", "kind", "tags", "city", "country")}) for a in self.actors)
            for p in range(len(self.pair_u)):
                s = self.pair_strength(p)
                g.add_edge(
                    self.ids[self.pair_u[p]], self.ids[self.pair_v[p]], cost=self.pair_cost[p], strength=s,
                    weight=s or UNKNOWN_STRENGTH, tie=self.ties[self.pair_tie[p]]["id"], ties=len(self.pair_ties[p]),
                )
            return g

        return self.memo("nx_graph", build)

    @property
    def digraph(self) -> nx.DiGraph:
        """NetworkX ``DiGraph`` for ``directed=True`` queries: arcs as in :meth:`directed_adjacency`."""
        def build():
            g = nx.DiGraph()
            g.add_nodes_from(self.ids)
            for (u, v), t in self.directed_adjacency()[4].items():
                g.add_edge(self.ids[u], self.ids[v], cost=self.tie_cost[t], tie=self.ties[t]["id"])
            return g

        return self.memo("nx_digraph", build)

    @property
    def igraph(self):
        """python-igraph ``Graph`` (undirected, vertex ``i`` = actor ``i``, one edge per pair in pair
        order) with edge attributes ``cost`` and ``weight`` (strongest rated tie, unknown = 2)."""
        def build():
            import igraph as ig

            g = ig.Graph(n=self.n, edges=list(zip(self.pair_u, self.pair_v)), directed=False)
            g.es["cost"] = self.pair_cost
            g.es["weight"] = [self.pair_strength(p) or UNKNOWN_STRENGTH for p in range(len(self.pair_u))]
            return g

        return self.memo("igraph", build)

    # groups -------------------------------------------------------------------------------
    def groups(self) -> list[dict]:
        """Communities (one per tag) and areas (one per city, case and accents ignored), as
        ``{key, type: "community"|"area", label, members: [index, ...]}`` sorted by key."""
        def build():
            out: dict[str, dict] = {}
            for i, a in enumerate(self.actors):
                for tag in a.get("tags") or []:
                    key = "community:" + tag
                    out.setdefault(key, {"key": key, "type": "community", "label": tag, "members": []})["members"].append(i)
                city = (a.get("city") or "").strip()
                if city:
                    key = "area:" + fold(city)
                    out.setdefault(key, {"key": key, "type": "area", "label": city, "members": []})["members"].append(i)
            return [out[k] for k in sorted(out)]

        return self.memo("groups", build)

    def matches(self, i: int, *, tag: str | None = None, kind: str | None = None, city: str | None = None,
                country: str | None = None) -> bool:
        """Whether actor ``i`` has the tag, kind, city and country asked (text compared folded)."""
        a = self.actors[i]
        if kind and a["kind"] != kind:
            return False
        if tag and fold(tag) not in {fold(t) for t in a.get("tags") or []}:
            return False
        if city and fold(city) != fold(a.get("city")):
            return False
        if country and fold(country) != fold(a.get("country")):
            return False
        return True


_projections: "weakref.WeakKeyDictionary[Any, Projection]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


_UNSET = object()


def build_projection(store, *, today: dt.date | None = None, revision: Any = _UNSET) -> Projection:
    """A new :class:`Projection` of ``store.projection()`` (no caching)."""
    if revision is _UNSET:
        revision = store.revision() if hasattr(store, "revision") else None
    actors, ties = store.projection()
    return Projection(actors, ties, today=today or dt.date.today(), revision=revision)


def get_projection(store, *, today: dt.date | None = None) -> Projection:
    """The kept projection of ``store``, rebuilt when ``store.revision()`` or the day changed.

    The revision is read before the data, so a write landing in between only causes one more
    rebuild on the next call, never a stale answer. Thread-safe: one build at a time.
    """
    today = today or dt.date.today()
    has_revision = hasattr(store, "revision")
    with _lock:
        current = _projections.get(store)
        revision = store.revision() if has_revision else None
        if current is not None and has_revision and current.revision == revision and current.today == today:
            return current
        proj = build_projection(store, today=today, revision=revision)
        _projections[store] = proj
        return proj

