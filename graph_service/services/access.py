"""Sensitive actors and ties: who may see them, and what everyone else sees instead.

A record is *protected* when the store holds an access entry for it (``store.access_entries()``):
only admins and the user names the entry lists see it. For everyone else it is left out of
lists, searches, ego networks, paths, exports and the projection that every analytic and network
view reads, and a tie touching a hidden actor goes with it. A read of a hidden record by id
answers 404, as for a record that does not exist, so its existence does not leak.

Policy (``GRAPH_SERVICE_PROTECTED``): ``hide`` (the default) leaves hidden actors out entirely;
``placeholder`` keeps a hidden *actor* in network-shaped answers (projection, ego network, path)
as "a protected contact" with an opaque id and no details, so a coordinator learns that a route
exists and asks an admin for it. A hidden *tie* is always left out.

This is a per-record access-control list on top of the roles (NIST SP 800-162, ABAC with the
user name as the only attribute).
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..errors import Forbidden, ValidationError

PROTECTED_NAME = "a protected contact"
_ALIAS_RE = re.compile(r"^protected-[0-9a-f]{12}$")


def is_alias(entity_id) -> bool:
    """Whether an id is a placeholder's stand-in (see :meth:`AccessView.alias`): it has no page."""
    return isinstance(entity_id, str) and bool(_ALIAS_RE.match(entity_id))
POLICIES = ("hide", "placeholder")
MAX_NAMES = 100


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a user name (``None`` for the local operator) and whether they are an admin."""

    username: str | None
    is_admin: bool

    @classmethod
    def of(cls, user) -> "Viewer":
        """The viewer behind a flask-login user (``current_user``)."""
        return cls(getattr(user, "username", None), getattr(user, "role", None) == "admin")


#: The command line: whoever runs it holds the database (or its credentials) and sees everything.
OPERATOR = Viewer(None, True)


def _named(entry: Mapping, username: str | None) -> bool:
    return bool(username) and username.casefold() in {n.casefold() for n in entry.get("visible_to") or ()}


class AccessView:
    """What one viewer may see, given every access entry of the store.

    ``hidden_actors`` / ``hidden_ties`` are the protected ids this viewer may not see (empty for
    admins, and for everyone when nothing is protected, which keeps the fast paths).
    """

    def __init__(self, entries: Mapping[str, Mapping], viewer: Viewer, *, policy: str = "hide", key: bytes = b""):
        if policy not in POLICIES:
            raise ValueError(f"policy must be one of {POLICIES}")
        self.entries = entries
        self.viewer = viewer
        self.policy = policy
        self._key = key
        hidden = {eid: e for eid, e in entries.items() if not viewer.is_admin and not _named(e, viewer.username)}
        self.hidden_actors = frozenset(eid for eid, e in hidden.items() if e["entity_type"] == "actor")
        self.hidden_ties = frozenset(eid for eid, e in hidden.items() if e["entity_type"] == "tie")

    @classmethod
    def of(cls, store, viewer: Viewer, *, policy: str = "hide", key: bytes = b"") -> "AccessView":
        """The view of ``viewer`` on ``store`` (one ``access_entries()`` read)."""
        return cls(store.access_entries(), viewer, policy=policy, key=key)

    # what is hidden ---------------------------------------------------------------------
    @property
    def hides_anything(self) -> bool:
        return bool(self.hidden_actors or self.hidden_ties)

    @property
    def exclude(self) -> frozenset[str]:
        """Ids a list or search must leave out: every hidden actor and tie."""
        return self.hidden_actors | self.hidden_ties

    @property
    def exclude_from_walks(self) -> frozenset[str]:
        """Ids a path or ego network must not walk: hidden ties, and hidden actors unless they
        are to be shown as placeholders."""
        return self.hidden_ties if self.policy == "placeholder" else self.exclude

    def sees(self, entity_id: str) -> bool:
        return entity_id not in self.hidden_actors and entity_id not in self.hidden_ties

    def sees_tie(self, tie: Mapping) -> bool:
        """A tie is seen when it and both its ends are."""
        return self.sees(tie["id"]) and self.sees(tie["source_id"]) and self.sees(tie["target_id"])

    # what is shown ----------------------------------------------------------------------
    def label(self, record: dict) -> dict:
        """The record with ``sensitive`` (bool) and, when protected, ``visible_to`` (the user names).
        A placeholder (``protected``) is returned as it is."""
        if record.get("protected"):
            return record
        entry = self.entries.get(record.get("id"))
        if entry is None:
            return {**record, "sensitive": False}
        return {**record, "sensitive": True, "visible_to": list(entry["visible_to"])}

    def alias(self, entity_id: str) -> str:
        """An opaque, stable stand-in id for a hidden record (HMAC-SHA-256 of the id, RFC 2104)."""
        return "protected-" + hmac.new(self._key, entity_id.encode(), hashlib.sha256).hexdigest()[:12]

    def placeholder(self, actor: Mapping) -> dict:
        """A hidden actor as others see it: its kind only, under an opaque id."""
        return {"id": self.alias(actor["id"]), "name": PROTECTED_NAME, "kind": actor["kind"], "aliases": [],
                "description": "", "tags": [], "country": "", "city": "", "contact_details": [], "attributes": {},
                "source": "", "protected": True}

    def _end(self, actor_id: str) -> str:
        return self.alias(actor_id) if actor_id in self.hidden_actors else actor_id

    def mask_tie(self, tie: dict) -> dict:
        """A tie to a placeholder: its ends' ids replaced, its free text dropped."""
        if tie["source_id"] not in self.hidden_actors and tie["target_id"] not in self.hidden_actors:
            return tie
        # structure only: who entered it and when would say who knows the protected contact
        keep = ("type", "directed", "strength", "since", "until", "last_contact")
        return {**{k: tie.get(k) for k in keep if k in tie}, "id": self.alias(tie["id"]),
                "source_id": self._end(tie["source_id"]), "target_id": self._end(tie["target_id"]), "label": "",
                "protected": True}

    def actors(self, actors: Iterable[dict]) -> list[dict]:
        """Actors of a network-shaped answer: hidden ones masked (placeholder) or left out (hide)."""
        if self.policy == "placeholder":
            return [self.placeholder(a) if a["id"] in self.hidden_actors else a for a in actors]
        return [a for a in actors if a["id"] not in self.hidden_actors]

    def ties(self, ties: Iterable[dict]) -> list[dict]:
        """Ties of a network-shaped answer: hidden ones left out, ties to placeholders masked."""
        if self.policy == "placeholder":
            return [self.mask_tie(t) for t in ties if t["id"] not in self.hidden_ties]
        return [t for t in ties if self.sees_tie(t)]

    def projection(self, proj):
        """The analytics projection as this viewer may see it (kept with ``proj`` while it lives)."""
        if not self.hides_anything:
            return proj
        from ..analytics.projection import Projection

        def build():
            return Projection(self.actors(proj.actors), self.ties(proj.ties), today=proj.today,
                              revision=(proj.revision, self.policy, self.hidden_actors, self.hidden_ties))

        return proj.memo(("access", self.policy, self.hidden_actors, self.hidden_ties), build)


def check_names(store, names) -> list[str]:
    """``visible_to`` as given (a list of user names): each must name a user. ValidationError otherwise."""
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValidationError([{"field": "visible_to", "message": "must be a list of user names"}])
    out: list[str] = []
    for i, name in enumerate(names):
        name = name.strip()
        if not name or len(name) > 100:
            raise ValidationError([{"field": f"visible_to[{i}]", "message": "must be a user name"}])
        user = store.get_user_by_name(name)
        if user is None:
            raise ValidationError([{"field": f"visible_to[{i}]", "message": f"no user named {name!r}"}])
        if user["username"].casefold() not in {n.casefold() for n in out}:
            out.append(user["username"])
    if len(out) > MAX_NAMES:
        raise ValidationError([{"field": "visible_to", "message": f"at most {MAX_NAMES} user names"}])
    return out


def parse_access(body: Mapping) -> tuple[bool, list | None]:
    """``(sensitive, visible_to)`` from a request body with ``sensitive`` (bool) and optional
    ``visible_to`` (list of user names). ValidationError when ``sensitive`` is not a boolean."""
    sensitive = body.get("sensitive", False)
    if not isinstance(sensitive, bool):
        raise ValidationError([{"field": "sensitive", "message": "must be true or false"}])
    visible_to = body.get("visible_to")
    if visible_to is not None and not sensitive:
        raise ValidationError([{"field": "visible_to", "message": "only applies to a sensitive record (sensitive: true)"}])
    return sensitive, visible_to


def decide(store, viewer: Viewer, current: Mapping | None, sensitive: bool, visible_to) -> list[str] | None:
    """The ``visible_to`` to store (``None``: unprotected) when ``viewer`` asks for this change.

    Admins may do anything. Anyone else (editors) may protect a record and name users, and is
    always kept on the list themselves (nobody hides a record from the person hiding it); only an
    admin may lift a protection or take a name off the list. Raises Forbidden / ValidationError.
    """
    names = check_names(store, visible_to if visible_to is not None else list(current["visible_to"]) if current else [])
    if viewer.is_admin:
        return names if sensitive else None
    if not sensitive:
        if current is None:
            return None
        raise Forbidden("only an admin can lift the protection of a sensitive record")
    if viewer.username and viewer.username.casefold() not in {n.casefold() for n in names}:
        names.append(viewer.username)
    if current is not None:
        dropped = {n.casefold() for n in current["visible_to"]} - {n.casefold() for n in names}
        if dropped:
            raise Forbidden("only an admin can take a user off the list of a sensitive record")
    return names


def mask_plan(report: dict, view: AccessView, store) -> dict:
    """An import plan as its uploader may see it.

    Rows that match a sensitive record the uploader may not see are still synced (the values come
    from their own file), but the plan shows nothing of the record: no id, no name, no old or
    merged values, not even whether the row changed it (that would confirm a guess). Such rows,
    ties touching such records and such records gone from the source are left out of every list
    and counted in one note; a sensitive record is never offered as a duplicate candidate.
    """
    if not view.hides_anything:
        return report
    touching = set(view.hidden_ties)
    for actor_id in view.hidden_actors:
        ties, _ = store.list_ties(actor_id=actor_id, limit=10**6, include_deleted=True)
        touching.update(t["id"] for t in ties)
    hidden = {"actors": view.hidden_actors, "ties": touching}
    out = dict(report)
    masked = 0
    for group in ("actors", "ties"):
        kept = {}
        for state, entries in report.get(group, {}).items():
            kept[state] = [e for e in entries if e.get("id") not in hidden[group]]
            masked += len(entries) - len(kept[state])
        out[group] = kept
    out["missing"] = out["actors"].get("missing", []) + out["ties"].get("missing", [])
    out["duplicates"] = [d for d in report.get("duplicates", [])
                         if (d.get("candidate") or {}).get("id") not in view.hidden_actors]
    counts = {k: {state: len(v) for state, v in out[k].items()} for k in ("actors", "ties")}
    out["counts"] = {**report.get("counts", {}), **counts, "duplicates": len(out["duplicates"]),
                     "duplicates_listed": len(out["duplicates"])}
    notes = list(report.get("notes", []))
    listed = report.get("duplicates", [])
    if report.get("counts", {}).get("duplicates", len(listed)) > len(listed):
        # pairs beyond the listed ones may name sensitive records: their number could confirm a guess
        notes.append("more pairs with similar names were found than are listed here (the most alike are listed);"
                     " their number is not shown, as some may concern records you may not see.")
    if masked:
        out["counts"]["protected"] = masked
        notes.append(f"{masked} of these rows or ties concern sensitive records you may not see: they are synced from"
                     " your file but not listed here.")
    out["notes"] = notes
    return out


_GONE = object()


def scrub(data, view: AccessView, store):
    """A stored report (an analytics snapshot, a diff of two) as this viewer may see it: records
    protected since it was taken are cut out of its lists (an object whose ``id`` is hidden, a
    hidden id), their ids and names in sentences become "a protected contact"."""
    if not view.hides_anything:
        return data
    ids = set(view.hidden_actors) | set(view.hidden_ties)
    names = set()
    for actor_id in view.hidden_actors:
        actor = store.get_actor(actor_id, include_deleted=True)
        if actor:
            names.update(n for n in [actor["name"], *actor.get("aliases", [])] if len(n) >= 3)
    words = sorted(ids | names, key=len, reverse=True)

    def walk(x):
        if isinstance(x, dict):
            if x.get("id") in ids:
                return _GONE
            out = {}
            for k, val in x.items():
                if k in ids:  # a map keyed by actor id
                    continue
                v = walk(val)
                out[k] = None if v is _GONE else v
            return out
        if isinstance(x, list):
            return [v for v in (walk(i) for i in x) if v is not _GONE]
        if isinstance(x, str):
            if x in ids:
                return _GONE
            for w in words:
                if w in x:
                    x = x.replace(w, PROTECTED_NAME)
            return x
        return x

    out = walk(data)
    return None if out is _GONE else out


def visible_stats(store, view: AccessView) -> dict:
    """``store.stats()`` without the live actors and ties this viewer may not see (a count of
    people must not give away that a protected one exists)."""
    stats = store.stats()
    if not view.hides_anything:
        return stats
    actors, ties = dict(stats["actors"]), dict(stats["ties"])
    gone_ties: dict[str, dict] = {}
    for actor_id in view.hidden_actors:
        actor = store.get_actor(actor_id)
        if actor is None:
            continue
        actors[actor["kind"]] = actors.get(actor["kind"], 0) - 1
        for t in store.list_ties(actor_id=actor_id, limit=10**6)[0]:
            gone_ties[t["id"]] = t
    for tie_id in view.hidden_ties:
        tie = store.get_tie(tie_id)
        if tie is not None:
            gone_ties[tie_id] = tie
    for t in gone_ties.values():
        ties[t["type"]] = ties.get(t["type"], 0) - 1
    actors = {k: n for k, n in actors.items() if n > 0}
    ties = {k: n for k, n in ties.items() if n > 0}
    return {"actors": actors, "ties": ties, "actors_total": sum(actors.values()), "ties_total": sum(ties.values())}
