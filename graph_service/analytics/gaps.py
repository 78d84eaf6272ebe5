"""Coordination gaps: which communities and areas a coordinator cannot reach, and who it hangs on.

Groups are the projection's communities (one per tag) and areas (one per city). Ties are
usable either way here: coverage asks whether two actors can talk, not who called whom.

Coverage (:func:`coverage`)
    A group is *covered* when some member is within ``hops`` ties of the coordinator along ties
    that are all strong (strength >= ``min_strength``) and fresh (last contact within
    ``stale_days``; an undated tie is not known to be stale, so it counts as fresh). Otherwise it
    is a *gap*, with the reason tested in this order: ``only_stale`` (strong paths exist but
    some tie on each has not been renewed), ``only_weak`` (paths within ``hops`` exist but none of
    strong ties), ``no_tie`` (no path within ``hops``; ``nearest_hops`` says how far the nearest
    member is, if reachable at all). A covered group is *fragile* (reason
    ``only_through_one_person``) when one intermediary lies on every strong, fresh path of at
    most ``hops`` ties to every member: candidates are the shortest-path dominators (nodes on
    all shortest paths, computed over the BFS layers), each then confirmed by a search without
    it.

Single points of failure (:func:`single_points_of_failure`)
    Articulation points (cut vertices) and bridges of the coordinator's component, from the
    biconnected components (Hopcroft and Tarjan 1973; computed by python-igraph, checked against
    NetworkX's ``articulation_points``/``bridges`` in the tests). The block-cut tree rooted at
    the coordinator says what each one cuts off: the subtree below it. A group is lost when all
    its reachable members lie below; that is decided once per group from the lowest common
    ancestor of its members in the tree.

What-if (:func:`what_if`)
    Coverage and reach recomputed with some actors removed (someone leaves their job).
"""
from __future__ import annotations

from collections import deque

from ..errors import ValidationError
from ..model import fold
from ..text import counted
from .projection import UNKNOWN_STRENGTH, Projection, days_since

STATUS_ORDER = {"gap": 0, "fragile": 1, "covered": 2}
REASON_TEXT = {
    "no_tie": "no tie at all",
    "only_weak": "only weak ties",
    "only_stale": "only stale ties",
    "only_through_one_person": "only through one go-between",
}


# tie classes ------------------------------------------------------------------------------
def tie_classes(proj: Projection, min_strength: int, stale_days: int) -> tuple[list[list[int]], list[list[int]]]:
    """``(strong, strong_fresh)`` undirected adjacency lists: pairs with a tie of strength >=
    ``min_strength`` (any age; an unrated tie counts as strength 2, as in the hop cost), and with
    such a tie whose last contact is at most ``stale_days`` old or unknown."""
    def build():
        n = proj.n
        strong: list[list[int]] = [[] for _ in range(n)]
        fresh: list[list[int]] = [[] for _ in range(n)]
        ties, today = proj.ties, proj.today
        for p, tlist in enumerate(proj.pair_ties):
            is_strong = is_fresh = False
            for t in tlist:
                tie = ties[t]
                if (tie.get("strength") or UNKNOWN_STRENGTH) >= min_strength:
                    is_strong = True
                    age = days_since(tie.get("last_contact"), today)
                    if age is None or age <= stale_days:
                        is_fresh = True
                        break
            if is_strong:
                u, v = proj.pair_u[p], proj.pair_v[p]
                strong[u].append(v)
                strong[v].append(u)
                if is_fresh:
                    fresh[u].append(v)
                    fresh[v].append(u)
        return strong, fresh

    return proj.memo(("tie_classes", min_strength, stale_days), build)


def bfs(adj: list[list[int]], source: int, limit: int | None = None, banned: set[int] | frozenset = frozenset()):
    """Hop distances and first predecessors from ``source`` (at most ``limit`` hops; ``banned`` nodes
    are not entered). Returns ``(dist, pred)`` dicts."""
    dist, pred = {source: 0}, {source: None}
    queue = deque([source])
    while queue:
        u = queue.popleft()
        d = dist[u]
        if limit is not None and d >= limit:
            continue
        for w in adj[u]:
            if w not in dist and w not in banned:
                dist[w] = d + 1
                pred[w] = u
                queue.append(w)
    return dist, pred


def _path_to(pred: dict, node: int) -> list[int]:
    path = []
    while node is not None:
        path.append(node)
        node = pred[node]
    path.reverse()
    return path


def _names(proj: Projection, path: list[int]) -> str:
    return " -> ".join(proj.name(i) for i in path)


def _group_word(group: dict) -> str:
    return f"the {group['label']} community" if group["type"] == "community" else f"{group['label']}"


class _Dominators:
    """Shortest-path dominators over a BFS ball: ``dom(v)`` = the nodes other than the source on
    every shortest path to ``v`` (``v`` included)."""

    def __init__(self, adj, dist):
        self.adj, self.dist, self.memo = adj, dist, {}

    def __call__(self, v: int) -> frozenset:
        if v in self.memo:
            return self.memo[v]
        stack = [v]
        while stack:
            x = stack[-1]
            if x in self.memo:
                stack.pop()
                continue
            dx = self.dist[x]
            if dx == 0:
                self.memo[x] = frozenset()
                stack.pop()
                continue
            preds = [u for u in self.adj[x] if self.dist.get(u) == dx - 1]
            missing = [u for u in preds if u not in self.memo]
            if missing:
                stack.extend(missing)
                continue
            common = frozenset.intersection(*(self.memo[u] for u in preds))
            self.memo[x] = common | {x}
            stack.pop()
        return self.memo[v]


# coverage ---------------------------------------------------------------------------------
def coverage(proj: Projection, coordinator_id: str, *, hops: int = 3, min_strength: int = 4, stale_days: int = 180,
             removed: set[int] | frozenset = frozenset(), groups: str = "all") -> dict:
    """Coverage of every community and area from a coordinator, each with the reason for a gap.

    Parameters
    ----------
    coordinator_id : str
    hops : int
        Longest chain of ties that counts (1..6).
    min_strength : int
        Strength (1..5) a tie needs to count as strong.
    stale_days : int
        Days after the last contact when a tie counts as stale.
    removed : set[int]
        Actor indices to leave out (for :func:`what_if`).
    groups : {"all", "communities", "areas"}

    Returns
    -------
    ``{"coordinator", "params", "counts": {covered, fragile, gap}, "findings": [...], "explanation"}``;
    each finding is ``{group: {key, type, label}, members, status, reason, hops, via, path,
    nearest_hops, explanation}`` with gaps first, then fragile, then covered groups.
    """
    if not 1 <= hops <= 6:
        raise ValidationError([{"field": "hops", "message": "must be between 1 and 6"}])
    if not 1 <= min_strength <= 5:
        raise ValidationError([{"field": "min_strength", "message": "must be between 1 and 5"}])
    if stale_days < 0:
        raise ValidationError([{"field": "stale_days", "message": "must be 0 or more"}])
    if groups not in ("all", "communities", "areas"):
        raise ValidationError([{"field": "groups", "message": "must be all, communities or areas"}])
    c = proj.require(coordinator_id)
    if c in removed:
        raise ValidationError([{"field": "remove", "message": "cannot remove the coordinator itself"}])
    strong, fresh = tie_classes(proj, min_strength, stale_days)
    d_all, p_all = bfs(proj.nbr, c, None, removed)
    d_strong, p_strong = bfs(strong, c, hops, removed)
    d_fresh, p_fresh = bfs(fresh, c, hops, removed)
    dom = _Dominators(fresh, d_fresh)
    without_cache: dict[int, dict] = {}
    cname = proj.name(c)
    findings = []
    for group in proj.groups():
        if groups == "communities" and group["type"] != "community":
            continue
        if groups == "areas" and group["type"] != "area":
            continue
        members = [m for m in group["members"] if m not in removed]
        if not members:
            continue
        g = {"key": group["key"], "type": group["type"], "label": group["label"]}
        word = _group_word(group)
        f = {"group": g, "members": len(members), "status": "covered", "reason": None, "hops": None, "via": None,
             "path": None, "nearest_hops": None}
        if c in members:
            f.update(reason="member", hops=0, explanation=f"{cname} is itself part of {word}.")
            findings.append(f)
            continue
        near = min((d_all[m] for m in members if m in d_all), default=None)
        f["nearest_hops"] = near
        best = min(members, key=lambda m: (d_fresh.get(m, 99), proj.ids[m]))
        if best in d_fresh:
            path = _path_to(p_fresh, best)
            f.update(hops=d_fresh[best], path=[proj.brief(i) for i in path])
            candidates = None
            for m in members:
                if m in d_fresh:
                    doms = dom(m) - {m}
                    candidates = doms if candidates is None else candidates & doms
                    if not candidates:
                        break
            single = None
            for v in sorted(candidates or (), key=lambda v: proj.ids[v]):
                if v in members:
                    continue
                if v not in without_cache:
                    without_cache[v] = bfs(fresh, c, hops, set(removed) | {v})[0]
                if not any(m in without_cache[v] for m in members):
                    single = v
                    break
            if single is not None:
                f.update(status="fragile", reason="only_through_one_person", via=proj.brief(single),
                         explanation=(f"{cname} reaches {word} through strong, recent ties only through "
                                      f"{proj.name(single)} ({_names(proj, path)}): if {proj.name(single)} is unavailable, "
                                      f"{word} is out of reach within {counted(hops, 'tie')}."))
            else:
                f["explanation"] = (f"{cname} reaches {word} through strong, recent ties in {d_fresh[best]} "
                                    f"{'tie' if d_fresh[best] == 1 else 'ties'} ({_names(proj, path)}).")
            findings.append(f)
            continue
        f["status"] = "gap"
        best_s = min(members, key=lambda m: (d_strong.get(m, 99), proj.ids[m]))
        if best_s in d_strong:
            path = _path_to(p_strong, best_s)
            stale = []
            for u, v in zip(path, path[1:]):
                p = proj.pair_of(u, v)
                dates = [proj.ties[t].get("last_contact") for t in proj.pair_ties[p]
                         if (proj.ties[t].get("strength") or UNKNOWN_STRENGTH) >= min_strength]
                if v not in fresh[u]:
                    stale.append(f"{proj.name(u)}-{proj.name(v)} (last contact {max(d for d in dates if d)})")
            f.update(reason="only_stale", hops=d_strong[best_s], path=[proj.brief(i) for i in path],
                     explanation=(f"{cname} reaches {word} through strong ties only via ties not renewed in "
                                  f"{stale_days} days: {', '.join(stale)}."))
        elif near is not None and near <= hops:
            best_a = min(members, key=lambda m: (d_all.get(m, 99), proj.ids[m]))
            path = _path_to(p_all, best_a)
            weak = [f"{proj.name(u)}-{proj.name(v)} ({_strength_text(proj, u, v)})"
                    for u, v in zip(path, path[1:]) if v not in strong[u]]
            f.update(reason="only_weak", hops=d_all[best_a], path=[proj.brief(i) for i in path],
                     explanation=(f"{cname} reaches {word} within {counted(hops, 'tie')} only through weak ties (strength below "
                                  f"{min_strength}): {', '.join(weak)} on the way {_names(proj, path)}."))
        else:
            far = (f"the nearest member is {counted(near, 'tie')} away" if near is not None
                   else "no chain of ties reaches it at all")
            f.update(reason="no_tie", explanation=f"{cname} has no tie path to {word} within {counted(hops, 'tie')} ({far}).")
        findings.append(f)
    findings.sort(key=lambda f: (STATUS_ORDER[f["status"]], f["group"]["type"] != "community", fold(f["group"]["label"])))
    counts = {s: sum(1 for f in findings if f["status"] == s) for s in ("gap", "fragile", "covered")}
    summary = (f"{cname} reaches {counts['covered']} of {len(findings)} communities and areas through strong, recent "
               f"ties within {hops} hops; {counts['fragile']} only through one person; {counts['gap']} are gaps.")
    return {
        "coordinator": proj.brief(c),
        "params": {"hops": hops, "min_strength": min_strength, "stale_days": stale_days, "groups": groups,
                   "removed": [proj.ids[i] for i in sorted(removed)], "today": proj.today.isoformat()},
        "counts": counts, "findings": findings, "explanation": summary,
    }


def _strength_text(proj: Projection, u: int, v: int) -> str:
    s = proj.pair_strength(proj.pair_of(u, v))
    return f"strength {s}" if s else "strength unknown"


# single points of failure ----------------------------------------------------------------
def _block_cut_tree(proj: Projection, c: int, min_strength: int | None):
    """Blocks, articulation points and the block-cut tree rooted at ``c``'s node."""
    g = proj.igraph
    if min_strength:
        keep = [p for p in range(len(proj.pair_u)) if (proj.pair_strength(p) or UNKNOWN_STRENGTH) >= min_strength]
        g = g.subgraph_edges(keep, delete_vertices=False)
    blocks, aps = g.biconnected_components(return_articulation_points=True)
    blocks = [list(b) for b in blocks]
    ap_node = {a: len(blocks) + k for k, a in enumerate(sorted(aps))}
    n_nodes = len(blocks) + len(ap_node)
    tree: list[list[int]] = [[] for _ in range(n_nodes)]
    home: dict[int, int] = {}
    for b, members in enumerate(blocks):
        for v in members:
            if v in ap_node:
                tree[b].append(ap_node[v])
                tree[ap_node[v]].append(b)
            else:
                home[v] = b
    root = ap_node.get(c, home.get(c))
    return blocks, ap_node, tree, home, root


def single_points_of_failure(proj: Projection, coordinator_id: str, *, min_strength: int | None = None,
                             limit: int = 20) -> dict:
    """Actors (cut vertices) and relationships (bridges) whose loss cuts the coordinator off from a
    community or area, with who and what would be lost.

    Parameters
    ----------
    min_strength : int, optional
        Consider only ties of at least this strength (default: every tie).
    limit : int
        Longest list of each kind returned (totals count all).

    Returns
    -------
    ``{"coordinator", "component_size", "articulation_points": {"total", "cutting_groups", "findings"},
    "bridges": {...}, "explanation"}``; a finding is ``{actor | pair + ties, cut_off: n, cut_off_sample:
    [{id, name}], groups_lost: [{key, type, label}], explanation}``, most groups lost first.
    """
    c = proj.require(coordinator_id)
    blocks, ap_node, tree, home, root = _block_cut_tree(proj, c, min_strength)
    n_blocks = len(blocks)
    out = {"coordinator": proj.brief(c), "params": {"min_strength": min_strength}}
    if root is None:
        out.update(component_size=1, articulation_points={"total": 0, "cutting_groups": 0, "findings": []},
                   bridges={"total": 0, "cutting_groups": 0, "findings": []},
                   explanation=f"{proj.name(c)} has no ties, so there is nothing to lose.")
        return out
    ap_of = {node: v for v, node in ap_node.items()}
    parent = {root: -1}
    depth = {root: 0}
    order = [root]
    for x in order:
        for y in tree[x]:
            if y not in parent:
                parent[y] = x
                depth[y] = depth[x] + 1
                order.append(y)
    size = {}
    for x in reversed(order):
        own = 1 if x in ap_of else sum(1 for v in blocks[x] if v not in ap_node)
        size[x] = own + sum(size[y] for y in tree[x] if parent.get(y) == x)
    component = size[root]

    def node_of(v: int):
        node = ap_node.get(v, home.get(v))
        return node if node in parent else None

    def is_cutter(x: int) -> bool:
        return (x in ap_of and x != root) or (x < n_blocks and len(blocks[x]) == 2)

    lost: dict[int, list[dict]] = {}
    for group in proj.groups():
        if c in group["members"]:
            continue
        lca = None
        for m in group["members"]:
            x = node_of(m)
            if x is None:
                continue
            if lca is None:
                lca = x
                continue
            a, b = lca, x
            while depth[a] > depth[b]:
                a = parent[a]
            while depth[b] > depth[a]:
                b = parent[b]
            while a != b:
                a, b = parent[a], parent[b]
            lca = a
            if lca == root:
                break
        x = lca
        while x is not None and x != -1:
            if is_cutter(x):
                lost.setdefault(x, []).append({"key": group["key"], "type": group["type"], "label": group["label"]})
            x = parent[x]

    degree = [len(nb) for nb in proj.nbr]

    def sample(x: int, cap: int = 10) -> list[dict]:
        """Up to ``cap`` of the actors cut off below ``x``: the best tied among the first 50 found."""
        found, stack = [], [x]
        while stack and len(found) < 50:
            y = stack.pop()
            if y in ap_of:
                if y != x:
                    found.append(ap_of[y])
            else:
                found.extend(v for v in blocks[y] if v not in ap_node)
            stack.extend(z for z in tree[y] if parent.get(z) == y)
        found = sorted(found, key=lambda v: (-degree[v], proj.ids[v]))[:cap]
        return [{"id": proj.ids[v], "name": proj.name(v)} for v in sorted(found, key=lambda v: fold(proj.name(v)))]

    def describe(x: int, what: str, cut: int) -> dict:
        groups = sorted(lost.get(x, []), key=lambda g: (g["type"] != "community", fold(g["label"])))
        names = ", ".join(_group_word(g) for g in groups[:6]) + (f" and {len(groups) - 6} more" if len(groups) > 6 else "")
        who = ", ".join(s["name"] for s in sample(x, 5))
        text = f"If {what}, {proj.name(c)} loses every tie path to {cut} {'actor' if cut == 1 else 'actors'} ({who}{', ...' if cut > 5 else ''})"
        text += f" and with them {names}." if groups else "."
        return {"cut_off": cut, "cut_off_sample": sample(x), "groups_lost": groups, "explanation": text}

    ap_nodes, bridge_nodes = [], []
    for x in order:
        if x in ap_of and x != root:
            ap_nodes.append((x, size[x] - 1, proj.name(ap_of[x])))
        elif x < n_blocks and len(blocks[x]) == 2:
            u, v = sorted(blocks[x], key=lambda i: proj.ids[i])
            bridge_nodes.append((x, component - 1 if x == root else size[x], proj.name(u)))

    def ap_finding(x: int, cut: int) -> dict:
        v = ap_of[x]
        return {"actor": proj.brief(v), **describe(x, f"{proj.name(v)} drops out", cut)}

    def bridge_finding(x: int, cut: int) -> dict:
        u, v = sorted(blocks[x], key=lambda i: proj.ids[i])
        p = proj.pair_of(u, v)
        ties = [proj.tie_brief(t) for t in sorted(proj.pair_ties[p], key=lambda t: proj.ties[t]["id"])]
        what = f"the relationship between {proj.name(u)} and {proj.name(v)} ends"
        if len(ties) > 1:
            what += f" (all {len(ties)} ties)"
        return {"pair": [proj.brief(u), proj.brief(v)], "ties": ties, **describe(x, what, cut)}

    def rank(nodes, make):
        nodes.sort(key=lambda item: (-len(lost.get(item[0], ())), -item[1], fold(item[2])))
        return {"total": len(nodes), "cutting_groups": sum(1 for item in nodes if lost.get(item[0])),
                "findings": [make(x, cut) for x, cut, _ in nodes[:limit]]}

    aps_out, bridges_out = rank(ap_nodes, ap_finding), rank(bridge_nodes, bridge_finding)
    out.update(component_size=component, articulation_points=aps_out, bridges=bridges_out,
               explanation=(f"{counted(aps_out['cutting_groups'], 'actor')} and {counted(bridges_out['cutting_groups'], 'relationship')} are single "
                            f"points of failure between {proj.name(c)} and some community or area "
                            f"({counted(aps_out['total'], 'cut vertex', 'cut vertices')} and {counted(bridges_out['total'], 'bridge')} in its part "
                            f"of the network, {counted(component, 'actor')})."))
    return out


def gap_report(proj: Projection, coordinator_id: str, *, hops: int = 3, min_strength: int = 4, stale_days: int = 180,
               limit: int = 20) -> dict:
    """The full gap report: :func:`coverage` plus :func:`single_points_of_failure` (all ties)."""
    return {
        "coverage": coverage(proj, coordinator_id, hops=hops, min_strength=min_strength, stale_days=stale_days),
        "single_points_of_failure": single_points_of_failure(proj, coordinator_id, limit=limit),
    }


# what-if ----------------------------------------------------------------------------------
def what_if(proj: Projection, coordinator_id: str, remove_ids: list[str], *, hops: int = 3, min_strength: int = 4,
            stale_days: int = 180) -> dict:
    """What the coordinator loses if the actors ``remove_ids`` leave (their ties go with them).

    Returns
    -------
    ``{"coordinator", "removed": [...], "lost_actors": {"total", "sample"}, "changes": [{group, before, after,
    explanation}], "before": counts, "after": counts, "explanation"}``; ``changes`` lists every group whose
    status or reason changed, worst first.
    """
    if not remove_ids:
        raise ValidationError([{"field": "remove", "message": "name at least one actor to remove"}])
    c = proj.require(coordinator_id)
    removed = {proj.require(r) for r in remove_ids}
    if c in removed:
        raise ValidationError([{"field": "remove", "message": "cannot remove the coordinator itself"}])
    kw = {"hops": hops, "min_strength": min_strength, "stale_days": stale_days}
    before = coverage(proj, coordinator_id, **kw)
    after = coverage(proj, coordinator_id, removed=removed, **kw)
    reach_before = bfs(proj.nbr, c)[0]
    reach_after = bfs(proj.nbr, c, None, removed)[0]
    lost = sorted((v for v in reach_before if v not in reach_after and v not in removed), key=lambda v: fold(proj.name(v)))
    after_by_key = {f["group"]["key"]: f for f in after["findings"]}
    names = " and ".join(proj.name(i) for i in sorted(removed, key=lambda i: fold(proj.name(i))))
    changes = []
    for f in before["findings"]:
        g = f["group"]
        a = after_by_key.get(g["key"])
        if a is None:
            changes.append({"group": g, "before": _state(f), "after": None,
                            "explanation": f"{_group_word(g).capitalize()} would have no members left."})
            continue
        if (f["status"], f["reason"]) == (a["status"], a["reason"]):
            continue
        worse = STATUS_ORDER[a["status"]] < STATUS_ORDER[f["status"]] or (
            f["status"] == a["status"] == "gap" and _GAP_RANK[a["reason"]] < _GAP_RANK[f["reason"]])
        verb = "drop" if worse else "change"
        text = (f"If {names} left, {proj.name(c)}'s access to {_group_word(g)} would {verb} from "
                f"{_state_text(f)} to {_state_text(a)}.")
        changes.append({"group": g, "before": _state(f), "after": _state(a), "worse": worse, "explanation": text})
    changes.sort(key=lambda x: (not x.get("worse", True), x["group"]["type"] != "community", fold(x["group"]["label"])))
    worse_n = sum(1 for x in changes if x.get("worse", True))
    summary = (f"If {names} left, {proj.name(c)}'s access would get worse for {worse_n} "
               f"{'community or area' if worse_n == 1 else 'communities and areas'} and every tie path to {len(lost)} "
               f"{'actor' if len(lost) == 1 else 'actors'}.")
    return {
        "coordinator": proj.brief(c), "removed": [proj.brief(i) for i in sorted(removed)], "params": before["params"] | {"removed": [proj.ids[i] for i in sorted(removed)]},
        "lost_actors": {"total": len(lost), "sample": [proj.brief(v) for v in lost[:20]]},
        "before": before["counts"], "after": after["counts"], "changes": changes, "explanation": summary,
    }


def _state(f: dict) -> dict:
    return {"status": f["status"], "reason": f["reason"], "hops": f["hops"], "nearest_hops": f["nearest_hops"]}


_GAP_RANK = {"no_tie": 0, "only_weak": 1, "only_stale": 2}


def _state_text(f: dict) -> str:
    if f["status"] == "covered":
        return "strong, recent ties" if f["reason"] != "member" else "being part of it"
    if f["status"] == "fragile":
        return "strong, recent ties through one person"
    if f["reason"] == "no_tie":
        return "no tie path within the hop limit"
    return REASON_TEXT[f["reason"]]
