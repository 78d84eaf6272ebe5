"""Snapshots of the coordination metrics, kept in the store, and the difference between two.

A snapshot holds, for one coordinator, the coverage status of every community and area, the
single points of failure, the top brokers, the number of components and the stale-tie count.
Comparing two says in sentences what changed ("since 2025-03-01, 3 communities lost their only
strong tie: ...").
"""
from __future__ import annotations

import datetime as dt

from ..errors import NotFound, StoreUnavailable, ValidationError
from ..text import counted
from .brokers import broker_report
from .gaps import coverage, single_points_of_failure
from .projection import Projection
from .silos import components
from .stale import stale_ties

TOP_BROKERS = 10


def collect_metrics(proj: Projection, coordinator_id: str, *, hops: int = 3, min_strength: int = 4,
                    stale_days: int = 180) -> dict:
    """The metrics a snapshot keeps (a JSON-ready dict; see the module docstring)."""
    cov = coverage(proj, coordinator_id, hops=hops, min_strength=min_strength, stale_days=stale_days)
    spof = single_points_of_failure(proj, coordinator_id, limit=10**9)
    brokers = broker_report(proj, top=TOP_BROKERS)
    stale = stale_ties(proj, days=stale_days, limit=0)
    return {
        "coordinator": cov["coordinator"],
        "params": {"hops": hops, "min_strength": min_strength, "stale_days": stale_days},
        "today": proj.today.isoformat(),
        "actors": proj.n,
        "ties": len(proj.ties),
        "coverage": {f["group"]["key"]: {"label": f["group"]["label"], "type": f["group"]["type"], "status": f["status"],
                                         "reason": f["reason"], "hops": f["hops"],
                                         "via": f["via"]["name"] if f["via"] else None}
                     for f in cov["findings"]},
        "single_points": {f["actor"]["id"]: {"name": f["actor"]["name"], "groups_lost": [g["key"] for g in f["groups_lost"]]}
                          for f in spof["articulation_points"]["findings"] if f["groups_lost"]},
        "bridges": spof["bridges"]["cutting_groups"],
        "brokers": [{"id": b["actor"]["id"], "name": b["actor"]["name"], "betweenness": b["betweenness"]}
                    for b in brokers["brokers"]],
        "components": len(components(proj)),
        "stale_ties": stale["total"],
        "undated_ties": stale["undated"],
    }


def _require_snapshots(store) -> None:
    if not hasattr(store, "save_snapshot"):
        raise StoreUnavailable(f"the {getattr(store, 'name', 'current')} store does not keep analytics snapshots yet")


def save_snapshot(store, proj: Projection, coordinator_id: str, *, name: str = "", by: str, **params) -> dict:
    """Compute :func:`collect_metrics` and keep it in the store; returns the stored snapshot."""
    _require_snapshots(store)
    metrics = collect_metrics(proj, coordinator_id, **params)
    return store.save_snapshot({"name": name, "coordinator_id": metrics["coordinator"]["id"], "metrics": metrics}, by=by)


def find_snapshot(store, ref: str | int) -> dict:
    """A snapshot by id, or the latest taken on or before a date (``YYYY-MM-DD``). NotFound otherwise."""
    _require_snapshots(store)
    text = str(ref).strip()
    if text.isdigit():
        snap = store.get_snapshot(int(text))
        if snap is None:
            raise NotFound(f"no snapshot with id {text}")
        return snap
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError([{"field": "snapshot", "message": f"{text!r} is neither a snapshot id nor a date YYYY-MM-DD"}]) from None
    for item in store.list_snapshots(limit=10_000):
        if item["taken_at"][:10] <= day.isoformat():
            return store.get_snapshot(item["id"])
    raise NotFound(f"no snapshot taken on or before {day.isoformat()}")


def _list(labels: list[str]) -> str:
    if len(labels) > 8:
        return ", ".join(labels[:8]) + f" and {len(labels) - 8} more"
    return ", ".join(labels)


def diff_snapshots(old: dict, new: dict) -> dict:
    """What changed between two snapshots (``old`` first), as findings with sentences.

    Returns
    -------
    ``{"from": {id, taken_at}, "to": {...}, "findings": [{kind, groups|actors, explanation}], "explanation"}``
    """
    a, b = old["metrics"], new["metrics"]
    since = old["taken_at"][:10]
    findings = []
    if a["coordinator"]["id"] != b["coordinator"]["id"]:
        findings.append({"kind": "coordinator", "explanation": (
            f"The snapshots are for different coordinators ({a['coordinator']['name']} and {b['coordinator']['name']}); "
            "coverage is compared all the same.")})
    ca, cb = a["coverage"], b["coverage"]

    def moved(test) -> list[str]:
        return sorted(k for k in set(ca) & set(cb) if test(ca[k], cb[k]))

    def word(k: str) -> str:
        return cb[k]["label"]

    def covered(x):
        return x["status"] in ("covered", "fragile")

    lost = moved(lambda x, y: covered(x) and not covered(y))
    if lost:
        findings.append({"kind": "lost_strong_tie", "groups": lost, "explanation": (
            f"Since {since}, {len(lost)} {'community or area' if len(lost) == 1 else 'communities and areas'} lost "
            f"{'its' if len(lost) == 1 else 'their'} strong, recent tie path: {_list([word(k) for k in lost])}.")})
    gained = moved(lambda x, y: not covered(x) and covered(y))
    if gained:
        findings.append({"kind": "gained_strong_tie", "groups": gained, "explanation": (
            f"Since {since}, {len(gained)} {'community or area' if len(gained) == 1 else 'communities and areas'} became "
            f"reachable through strong, recent ties: {_list([word(k) for k in gained])}.")})
    fragile = moved(lambda x, y: x["status"] == "covered" and y["status"] == "fragile")
    if fragile:
        findings.append({"kind": "became_fragile", "groups": fragile, "explanation": (
            f"Since {since}, {len(fragile)} {'community or area now hangs' if len(fragile) == 1 else 'communities and areas now hang'} "
            "on one person: "
            + _list([f"{word(k)} (through {cb[k]['via']})" for k in fragile]) + ".")})
    rank = {"no_tie": 0, "only_weak": 1, "only_stale": 2}
    worse_gaps = moved(lambda x, y: x["status"] == y["status"] == "gap" and rank[y["reason"]] < rank[x["reason"]])
    if worse_gaps:
        words = {"no_tie": "no tie path", "only_weak": "only weak ties", "only_stale": "only stale ties"}
        findings.append({"kind": "gap_worse", "groups": worse_gaps, "explanation": (
            f"Since {since}, {len(worse_gaps)} {'gap' if len(worse_gaps) == 1 else 'gaps'} got wider: "
            + _list([f"{word(k)} ({words[ca[k]['reason']]} -> {words[cb[k]['reason']]})" for k in worse_gaps]) + ".")})
    gone = sorted(set(ca) - set(cb))
    if gone:
        findings.append({"kind": "groups_gone", "groups": gone, "explanation": (
            f"{len(gone)} {'community or area has' if len(gone) == 1 else 'communities and areas have'} no members left: "
            f"{_list([ca[k]['label'] for k in gone])}.")})
    new_groups = sorted(set(cb) - set(ca))
    if new_groups:
        findings.append({"kind": "new_groups", "groups": new_groups, "explanation": (
            f"{counted(len(new_groups), 'community or area', 'communities or areas')} {'is' if len(new_groups) == 1 else 'are'} new in the map: {_list([word(k) for k in new_groups])}.")})
    sa, sb = a["single_points"], b["single_points"]
    for kind, ids, one, many in (
            ("new_single_points", sorted(set(sb) - set(sa)), "became a single point of failure", "became single points of failure"),
            ("resolved_single_points", sorted(set(sa) - set(sb)), "is no longer a single point of failure",
             "are no longer single points of failure")):
        if ids:
            names = [(sb.get(i) or sa.get(i))["name"] for i in ids]
            findings.append({"kind": kind, "actors": ids,
                             "explanation": f"Since {since}, {_list(names)} {one if len(ids) == 1 else many}."})
    if a["stale_ties"] != b["stale_ties"]:
        delta = b["stale_ties"] - a["stale_ties"]
        findings.append({"kind": "stale_ties", "delta": delta, "explanation": (
            f"Stale ties went from {a['stale_ties']} to {b['stale_ties']} ({delta:+d}).")})
    if a["components"] != b["components"]:
        findings.append({"kind": "components", "delta": b["components"] - a["components"], "explanation": (
            f"The network went from {a['components']} to {b['components']} separate parts.")})
    ba = {x["id"]: x["name"] for x in a["brokers"]}
    bb = {x["id"]: x["name"] for x in b["brokers"]}
    entered = [bb[i] for i in bb if i not in ba]
    left = [ba[i] for i in ba if i not in bb]
    if entered or left:
        bits = []
        if entered:
            bits.append(f"{_list(entered)} entered the top {TOP_BROKERS} brokers")
        if left:
            bits.append(f"{_list(left)} left {'it' if entered else f'the top {TOP_BROKERS} brokers'}")
        findings.append({"kind": "brokers", "entered": entered, "left": left, "explanation": "; ".join(bits) + "."})
    summary = (f"{len(findings)} changes between snapshot {old['id']} ({since}) and snapshot {new['id']} "
               f"({new['taken_at'][:10]})." if findings else
               f"Nothing changed between snapshot {old['id']} ({since}) and snapshot {new['id']} ({new['taken_at'][:10]}).")
    return {"from": {"id": old["id"], "taken_at": old["taken_at"], "name": old.get("name", "")},
            "to": {"id": new["id"], "taken_at": new["taken_at"], "name": new.get("name", "")},
            "findings": findings, "explanation": summary}
