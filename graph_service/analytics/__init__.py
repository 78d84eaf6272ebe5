"""Who-knows-whom queries and coordination-gap analytics over an in-memory projection of the store.

One module per analytic family (as in NetworkX): :mod:`.projection` (the cached graph and the
hop-cost formula), :mod:`.warm_paths`, :mod:`.reach` (who do we know, mutual connections, ego
network), :mod:`.gaps` (coverage gaps, single points of failure, what-if), :mod:`.brokers`,
:mod:`.silos`, :mod:`.stale`, :mod:`.redundancy` and :mod:`.snapshots`.

NetworkX is the reference for every result; where one of its algorithms is the bottleneck at
100,000 actors, python-igraph (or a compact hand-written search over the same adjacency) carries
that step behind the same function, and tests check the answers against NetworkX on small graphs.

Direction: a tie is usable either way unless a function is asked for ``directed=True``; then a
directed tie is walked only from its source to its target and a mutual tie both ways.
"""
from .projection import Projection, get_projection, hop_cost

__all__ = ["Projection", "get_projection", "hop_cost"]
