"""Store-independent helpers shared by the SQLite and Neo4j stores, so both answer alike."""
from __future__ import annotations

import hashlib
import json
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


def bidirectional_shortest_path(neighbours, source: str, target: str, max_depth: int) -> list[str] | None:
    """The lexicographically smallest shortest path, by BFS from both ends at once.

    ``neighbours(ids)`` yields ``(u, w)`` for every tie between ``u`` in ``ids`` and ``w`` (both
    directions). Each step grows the smaller frontier one whole level (Pohl's bidirectional
    search, 1971), so a 5-hop path in a graph of average degree 10 explores about 2·10^2.5 actors
    instead of 10^5. When the searches meet at length ``L``, the meeting set ``M`` (actors with
    ``d_s + d_t = L``) holds the actor at every shortest path's meeting position; walking from the
    source and always taking the smallest id that stays on a shortest path gives the same answer
    as :func:`lexicographic_shortest_path` over a full BFS. ``None`` if longer than ``max_depth``.
    """
    if source == target:
        return [source]
    dist = ({source: 0}, {target: 0})
    preds: tuple[dict, dict] = ({}, {})
    frontier = ([source], [target])
    length = None
    while length is None:
        if not frontier[0] or not frontier[1]:
            return None
        if max(dist[0].values()) + max(dist[1].values()) >= max_depth:
            return None
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        d, p, other = dist[side], preds[side], dist[1 - side]
        level = d[frontier[side][0]] + 1
        new: set[str] = set()
        for u, w in neighbours(frontier[side]):
            if w not in d:
                d[w] = level
                new.add(w)
            if d[w] == level:
                p.setdefault(w, set()).add(u)
        frontier = (sorted(new), frontier[1]) if side == 0 else (frontier[0], sorted(new))
        meets = [other[w] + level for w in new if w in other]
        if meets:
            length = min(meets)
    ds, dt = dist
    middle = {v for v in ds if v in dt and ds[v] + dt[v] == length}
    on_s, stack = set(middle), list(middle)
    while stack:  # source-side actors that lead to the middle
        for u in preds[0].get(stack.pop(), ()):
            if u not in on_s:
                on_s.add(u)
                stack.append(u)
    on_t, stack = set(middle), list(middle)
    while stack:  # target-side actors between the middle and the target
        for u in preds[1].get(stack.pop(), ()):
            if u not in on_t:
                on_t.add(u)
                stack.append(u)
    succ_s: dict[str, set] = {}
    for w, us in preds[0].items():
        if w in on_s:
            for u in us:
                succ_s.setdefault(u, set()).add(w)
    path = [source]
    while path[-1] != target:
        v = path[-1]
        candidates = set(succ_s.get(v, ()))
        if v in on_t:
            candidates |= {w for w in preds[1].get(v, ()) if w in on_t}
        path.append(min(candidates))
    return path


def check_dump(records: dict) -> None:
    """Refuse a dump whose records the model would not accept (ValidationError naming the first)."""
    from ..errors import ValidationError
    from ..model import ACTOR_KINDS

    errors = []
    for i, a in enumerate(records.get("actors", [])):
        if not isinstance(a, dict) or a.get("kind") not in ACTOR_KINDS or not isinstance(a.get("name"), str) or not a.get("id"):
            errors.append({"field": f"actors[{i}]", "message": "needs an id, a name and a known kind"})
    for i, u in enumerate(records.get("users", [])):
        if not isinstance(u, dict) or u.get("role") not in ("viewer", "editor", "admin"):
            errors.append({"field": f"users[{i}]", "message": "needs a role viewer, editor or admin"})
    if errors:
        raise ValidationError(errors[:20])


def check_tie_dates(before: Mapping, changes: Mapping) -> None:
    """Raise ValidationError when changing a tie would put ``until`` before ``since``."""
    from ..errors import ValidationError

    merged = {**before, **changes}
    if merged.get("since") and merged.get("until") and merged["until"] < merged["since"]:
        raise ValidationError([{"field": "until", "message": "is before since"}])


def access_state(entry: Mapping | None) -> dict:
    """What a history entry keeps of an access change: ``{"sensitive": bool, "visible_to": [names]}``."""
    if entry is None:
        return {"sensitive": False, "visible_to": []}
    return {"sensitive": True, "visible_to": list(entry["visible_to"])}


AUDIT_GENESIS = "0" * 64


def audit_hash(previous: str | None, entry: Mapping) -> str:
    """The hex SHA-256 chaining an audit entry to the one before it (``None`` for the first).

    Hashes the previous hash and the entry's ``seq, at, actor, action, target, detail, ip`` as
    canonical JSON, so both stores compute the same chain. A hash chain (Haber & Stornetta 1991;
    Schneier & Kelsey 1999, "Secure audit logs") makes any change, insertion or removal of an
    entry inside the log show: every later hash stops matching.
    """
    body = json.dumps([entry["seq"], entry["at"], entry["actor"], entry["action"], entry.get("target"),
                       entry.get("detail") or {}, entry.get("ip")], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(((previous or AUDIT_GENESIS) + body).encode("utf-8")).hexdigest()


def verify_audit_chain(entries: Iterable[Mapping], *, starts_after: int = 0, anchor: str | None = None) -> dict:
    """Check audit entries (oldest first) against their hash chain.

    Returns ``{"ok": bool, "entries": n, "chained": n, "unchained": n, "broken_at": seq | None,
    "problem": str | None, "last_hash": str | None}``. Only entries up to ``starts_after`` (written
    before the chain existed) may lack a hash; a gap in the sequence numbers is a removed entry.
    ``anchor``: a hash noted earlier (``last_hash`` of an earlier check, kept elsewhere); it must
    still be in the chain, which also shows entries removed from the end or a rewritten chain.
    """
    out = {"ok": True, "entries": 0, "chained": 0, "unchained": 0, "broken_at": None, "problem": None, "last_hash": None}
    previous, last_seq, anchored = None, None, anchor is None
    for e in entries:
        out["entries"] += 1
        if last_seq is not None and e["seq"] != last_seq + 1:
            return {**out, "ok": False, "broken_at": e["seq"], "problem": f"entries {last_seq + 1}..{e['seq'] - 1} are missing"}
        last_seq = e["seq"]
        if not e.get("hash"):
            if out["chained"] or e["seq"] > starts_after:
                return {**out, "ok": False, "broken_at": e["seq"], "problem": "an entry of the chained log has no hash"}
            out["unchained"] += 1
            continue
        if audit_hash(previous, e) != e["hash"]:
            return {**out, "ok": False, "broken_at": e["seq"], "problem": "the entry or one before it was changed"}
        previous = e["hash"]
        anchored = anchored or previous == anchor
        out["chained"] += 1
        out["last_hash"] = previous
    if not anchored:
        return {**out, "ok": False, "problem": "the hash you kept is not in the log: entries were removed from its end"
                " or the log was rewritten"}
    return out


def merge_changes(keep_id: str, keep: Mapping | None, gone_id: str, gone: Mapping | None) -> dict:
    """What merging actor ``gone`` into ``keep`` changes on ``keep`` (both stores merge alike).

    ``gone``'s name and aliases become aliases, tags and contact details are united, ``keep``'s
    attributes win over ``gone``'s, and empty description/country/city are filled from ``gone``.
    Raises NotFound for a missing or deleted actor, ValidationError for one actor twice.
    """
    from ..errors import NotFound, ValidationError
    from ..model import fold

    for ref, rec in ((keep_id, keep), (gone_id, gone)):
        if rec is None or rec["deleted_at"]:
            raise NotFound(f"no actor with id {ref!r}")
    if keep_id == gone_id:
        raise ValidationError([{"field": "actor", "message": "cannot merge an actor into itself"}])
    aliases = list(keep["aliases"])
    for a in [gone["name"], *gone["aliases"]]:
        if a not in aliases and fold(a) != fold(keep["name"]):
            aliases.append(a)
    contacts = list(keep["contact_details"])
    for c in gone["contact_details"]:
        if not any(c["type"] == x["type"] and c["value"] == x["value"] for x in contacts):
            contacts.append(c)
    changes = {
        "aliases": aliases,
        "tags": keep["tags"] + [t for t in gone["tags"] if t not in keep["tags"]],
        "contact_details": contacts,
        "attributes": {**gone["attributes"], **keep["attributes"]},
    }
    for f in ("description", "country", "city"):
        if not keep[f] and gone[f]:
            changes[f] = gone[f]
    return changed_fields(keep, changes, ACTOR_DATA_FIELDS)


def refuse_taken(new_ids: Iterable[str], existing: dict[str, dict], planned: Iterable[dict] = ()) -> None:
    """Raise ValidationError when an actor a batch means to create (``new_ids``, new when the
    import was planned) exists after all, created meanwhile by hand or by another import, unless
    it is plainly the one the batch means (``planned``: the batch's actors): an organisation of the
    same name, or a person sharing an e-mail address, as import matching would have found it.
    Anything else (another person of the same name, say) would be merged silently by an update."""
    from ..errors import ValidationError
    from ..model import fold

    def same(a: dict, b: dict) -> bool:
        person = a.get("kind") == "person"
        if person != (b.get("kind") == "person"):
            return False
        if not person:
            return fold(a.get("name")) == fold(b.get("name"))
        mails = {c["value"].lower() for c in a.get("contact_details") or [] if c.get("type") == "email"}
        return any(c.get("type") == "email" and c["value"].lower() in mails for c in b.get("contact_details") or [])

    taken = [existing[i] for i in new_ids if i in existing]
    if taken:  # rare: only then are the batch's actors looked up
        by_id = {a["id"]: a for a in planned}
        taken = [a for a in taken if not (a["id"] in by_id and same(by_id[a["id"]], a))]
    if taken:
        raise ValidationError([{"field": "id", "message": f"actor {a['id']!r} ({a['name']}) was created by someone else"}
                               for a in taken[:5]])
