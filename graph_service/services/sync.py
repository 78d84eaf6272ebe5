"""Import as plan-then-apply: match the records a reader returns to the store, diff, apply in one transaction.

The plan (also what the API and ``graph-service import --json`` return)::

    {"source": "contacts.csv", "format": "contacts", "files": [...], "applied": false,
     "actors": {"created": [...], "updated": [...], "unchanged": [...], "missing": [...], "reactivated": [...]},
     "ties":   {... the same ...},
     "rejected": [{file, sheet, row, column, message}], "warnings": [...],
     "duplicates": [{id, name, candidate: {id, name}, score, explanation}],  # the most alike, at most 1000
     "missing": [...actors and ties gone since the last sync of this source...],
     "columns": [{file, sheet, column, field}], "notes": [...], "counts": {...}}

``counts`` holds the length of each list, except ``counts.duplicates``: every pair of likely
duplicates found, of which ``counts.duplicates_listed`` (the most alike) are in ``duplicates``.
Each updated entry lists ``changes: {field: [old, new]}`` (attributes field by field, as
``attributes.<column>``). Identity: an id column, then the actors this source synced before (by
what it said about them), then all actors; in each, a vCard UID naming an actor, e-mail, then the
folded name plus organisation (people) or the folded name (everything else).
Rows of one import naming the same person are one actor. Likely duplicates are only listed
(:func:`graph_service.services.merge.duplicate_candidates`), never merged.

Multi-valued fields (aliases, tags, contact details, attributes) are merged per source: values
this source gave last time and no longer gives are removed, values from other sources or typed
in by hand stay. Records of this source that were in its previous sync but are not in this one
are *missing*: marked inactive (not deleted) when applied. With a store that does not keep
sync records (see :class:`graph_service.store.base.SyncStore`), nothing is reported missing.

Applying calls ``SyncStore.apply_sync`` (``GraphStore.apply_batch`` otherwise): all or nothing.
A plan with rejected rows is not applied unless ``skip_rejected`` is set; then only the good rows
are.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from text_unidecode import unidecode

from importers import ImportOptions, InputFile, read_batch
from importers import normalise as norm
from importers.mapping import load_mapping
from importers.records import DATE_ORDERS, ActorRecord, Batch

from ..errors import ImportRefused, ValidationError
from ..model import ACTOR_KINDS, fold, kind_of, now_iso, slug_id, tie_natural_key
from ..store.common import ACTOR_DATA_FIELDS, TIE_DATA_FIELDS, changed_fields, unique_id
from ..text import counted
from ..forked import ForkedCall

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
_SLUG_SEP = re.compile(r"[^a-z0-9]+")
# below this many new actors, finding duplicates takes less time than forking a process for it
_BACKGROUND_DUPLICATES = 20_000



def fast_slug(name: str) -> str:
    """:func:`graph_service.model.slug_id` without python-slugify's cost for ordinary names (same
    result: text-unidecode transliteration, lower case, runs of other characters as ``-``)."""
    s = _SLUG_SEP.sub("-", unidecode(name).lower()).strip("-")
    return s if s and len(s) <= 80 else slug_id(name)
_LIST_FIELDS = ("aliases", "tags")
ACTOR_DEFAULTS = {"aliases": [], "tags": [], "contact_details": [], "attributes": {}, "description": "",
                  "country": "", "city": "", "source": ""}
TIE_DEFAULTS = {"label": "", "directed": True, "strength": None, "since": None, "until": None,
                "last_contact": None, "description": "", "attributes": {}, "source": ""}


# --- the store, whatever it offers ----------------------------------------------------------------
def has_sync(store) -> bool:
    """True when the store keeps sync records, merges and bulk reads (SQLite; see SyncStore)."""
    return all(hasattr(store, m) for m in ("apply_sync", "actor_index", "get_actors", "get_ties", "sync_records"))


def _actor_index(store) -> list[dict]:
    if hasattr(store, "actor_index"):
        return store.actor_index()
    actors, _ = store.list_actors(limit=10**9, include_deleted=True)
    names = {a["id"]: a["name"] for a in actors}
    orgs: dict[str, list[str]] = {}
    ties, _ = store.list_ties(limit=10**9)
    for t in ties:
        if t["type"] in ("works_for", "member_of") and t["target_id"] in names:
            orgs.setdefault(t["source_id"], []).append(fold(names[t["target_id"]]))
    return [{"id": a["id"], "name": a["name"], "kind": a["kind"], "aliases": a["aliases"],
             "emails": [c["value"].lower() for c in a["contact_details"] if c["type"] == "email"],
             "orgs": orgs.get(a["id"], []), "deleted_at": a["deleted_at"], "merged_into": None} for a in actors]


def _get_many(store, kind: str, ids: list[str]) -> dict[str, dict]:
    bulk = getattr(store, "get_actors" if kind == "actor" else "get_ties", None)
    if bulk is not None:
        return bulk(ids)
    get = store.get_actor if kind == "actor" else store.get_tie
    out = {}
    for i in ids:
        rec = get(i, include_deleted=True)
        if rec is not None:
            out[i] = rec
    return out


@dataclass
class Index:
    """Existing actors keyed every way an import can name them."""

    by_id: dict = field(default_factory=dict)
    by_email: dict = field(default_factory=dict)
    by_name: dict = field(default_factory=dict)
    by_name_org: dict = field(default_factory=dict)

    @classmethod
    def load(cls, store) -> "Index":
        idx = cls()
        for a in _actor_index(store):
            idx.by_id[a["id"]] = a
            if a["deleted_at"]:
                continue
            person = a["kind"] == "person"
            for e in a["emails"]:
                idx.by_email.setdefault((person, e), []).append(a["id"])
            name = a.get("name_folded") or fold(a["name"])
            aliases = a["aliases_folded"] if "aliases_folded" in a else [fold(x) for x in a["aliases"]]
            for n in {name, *aliases}:
                idx.by_name.setdefault(n, []).append(a["id"])
            if person:
                for o in set(a["orgs"]) or {""}:
                    idx.by_name_org.setdefault((name, o), []).append(a["id"])
        return idx

    def follow(self, actor_id: str) -> str:
        """The actor an id now means (a merged actor's id leads to the one it was merged into)."""
        seen = set()
        while actor_id in self.by_id and self.by_id[actor_id].get("merged_into") and actor_id not in seen:
            seen.add(actor_id)
            actor_id = self.by_id[actor_id]["merged_into"]
        return actor_id

    def live(self, actor_id: str) -> bool:
        a = self.by_id.get(actor_id)
        return a is not None and not a["deleted_at"]


def _unique(ids: list[str] | None) -> str | None:
    if ids and len(set(ids)) == 1:
        return ids[0]
    return None


# --- options ------------------------------------------------------------------------------------
def prepare_options(options: ImportOptions | None, mapping_path: Path | str | None = None) -> ImportOptions:
    """Validated options: the mapping file's settings fill what the user did not give. Raises ImportRefused."""
    options = options or ImportOptions()
    if mapping_path is not None and options.mapping is None:
        options.mapping = load_mapping(mapping_path)
    m = options.mapping
    if m is not None:
        defaults = ImportOptions()
        for k, v in m.options.items():
            if getattr(options, k) == getattr(defaults, k):
                setattr(options, k, v)
    errors = []
    if options.date_order not in DATE_ORDERS:
        errors.append({"field": "date_order", "message": f"use one of {', '.join(DATE_ORDERS)}"})
    for f in ("kind", "org_kind"):
        v = getattr(options, f)
        if v and kind_of(v) is None:
            errors.append({"field": f, "message": f"{v!r} is not an actor kind; use one of {', '.join(ACTOR_KINDS)}"})
    try:
        options.region = norm.region_code(options.region)
    except norm.Unusable as exc:
        errors.append({"field": "region", "message": str(exc)})
    if options.header_row is not None:
        try:
            options.header_row = int(options.header_row)
        except (TypeError, ValueError):
            errors.append({"field": "header_row", "message": "must be a row number"})
    if options.sheet is not None:
        options.sheet = str(options.sheet)
    if errors:
        raise ImportRefused(errors)
    return options


def default_source(names: list[str]) -> str:
    """The name a set of files is synced under: the file name, or the names joined with ``+``."""
    return " + ".join(sorted(names))


# --- planning -----------------------------------------------------------------------------------
def _merge_contacts(current: list[dict], previous: list[dict], now: list[dict]) -> list[dict]:
    """Keep what others gave; drop what this source gave before and no longer gives; add the new."""
    key = lambda c: (c["type"], c["value"])  # noqa: E731
    now_keys = {key(c): c for c in now}
    prev_keys = {key(c) for c in previous}
    out = []
    for c in current:
        k = key(c)
        if k in now_keys:
            out.append(now_keys[k] if k in prev_keys or not c.get("label") else c)
        elif k not in prev_keys:
            out.append(c)
    have = {key(c) for c in out}
    out.extend(c for c in now if key(c) not in have)
    return out


def _merge_list(current: list, previous: list, now: list) -> list:
    prev, cur = set(previous), list(current)
    out = [x for x in cur if x in now or x not in prev]
    out.extend(x for x in now if x not in out)
    return out


def _merge_attrs(current: dict, previous_keys: list, now: dict) -> dict:
    prev = set(previous_keys)
    out = {k: v for k, v in current.items() if k in now or k not in prev}
    out.update(now)
    return out


@dataclass(slots=True)
class Planned:
    """One actor of the plan: the records (rows) that name it and what it should become."""

    id: str
    records: list[ActorRecord]
    existing: bool
    how: str

    @property
    def first(self) -> ActorRecord:
        if len(self.records) == 1:  # nearly every actor of a contact list
            return self.records[0]
        explicit = [r for r in self.records if not r.implicit]
        return explicit[0] if explicit else self.records[0]


class Planner:
    """Builds the plan for one batch against one store (reads only)."""

    def __init__(self, store, batch: Batch, options: ImportOptions, source: str):
        self.store, self.batch, self.options, self.source = store, batch, options, source
        self.index = Index.load(store)
        self.planned: dict[str, Planned] = {}
        self.ref_to_id: dict[str, str] = {}
        self.batch_keys: dict[tuple, str] = {}
        self.rejected: list[dict] = list(batch.rejected)
        self.warnings: list[dict] = list(batch.warnings)
        self.previous: dict[tuple, dict] = {}
        if has_sync(store):
            for r in store.sync_records(source):
                self.previous[(r["entity_type"], r["entity_id"])] = r
        self.own = self._own_index()

    def _own_index(self) -> Index:
        """The live actors this source synced before, keyed by what it said about them (its
        e-mail addresses and name) and the organisations they belong to now."""
        idx, own = self.index, Index()
        for (etype, eid), r in self.previous.items():
            actor_id = idx.follow(eid) if etype == "actor" else None
            if actor_id is None or not idx.live(actor_id):
                continue
            a = idx.by_id[actor_id]
            data = r.get("data") or {}
            own.by_id[actor_id] = a
            person = a["kind"] == "person"
            for c in data.get("contact_details", []):
                if c.get("type") == "email":
                    own.by_email.setdefault((person, c["value"].lower()), []).append(actor_id)
            name = fold(data.get("name") or a["name"])
            own.by_name.setdefault(name, []).append(actor_id)
            if person:
                for o in set(a["orgs"]) or {""}:
                    own.by_name_org.setdefault((name, o), []).append(actor_id)
        return own

    # identity -----------------------------------------------------------------------------
    def _keys(self, rec: ActorRecord) -> list[tuple]:
        person = rec.kind == "person"
        keys = []
        for c in rec.contacts:  # a loop, not a comprehension: no frame per call (once per row)
            if c["type"] == "email":
                keys.append(("email", person, c["value"]))
        if rec.match == "person":
            keys.append(("name_org", rec.folded_name, rec.folded_organization))
        elif rec.match == "org" or rec.implicit:
            keys.append(("org", rec.folded_name))
        else:
            keys.append(("name", rec.folded_name))
        return keys

    def _match_store(self, rec: ActorRecord) -> tuple[str | None, str]:
        """``(actor id, how)`` of the existing actor ``rec`` names, or ``(None, "")``: first among
        the actors this source synced before (so a look-alike made by hand never takes a synced
        row's place), then among all actors; each by id, e-mail, then name (and organisation)."""
        if not self.index.by_id:  # an empty store (a first import): nothing to match
            return None, ""
        if self.own.by_id:
            found, how = self._match_in(self.own, rec)
            if found:
                return found, how
        return self._match_in(self.index, rec)

    def _match_in(self, idx: Index, rec: ActorRecord) -> tuple[str | None, str]:
        if rec.lookup_id:
            found = self.index.follow(rec.lookup_id)
            if found in idx.by_id:
                return found, "id"
        person = rec.kind == "person"
        if rec.match in ("person", "org"):
            for c in rec.contacts:
                if c["type"] == "email":
                    found = _unique(idx.by_email.get((person, c["value"])))
                    if found:
                        return found, "e-mail"
            if rec.match == "person":
                found = _unique(idx.by_name_org.get((rec.folded_name, rec.folded_organization)))
                if found:
                    return found, "name and organisation"
                return None, ""
            ids = [i for i in idx.by_name.get(rec.folded_name, []) if (idx.by_id[i]["kind"] == "person") == person]
            found = _unique(ids)
            return (found, "name") if found else (None, "")
        found = _unique(idx.by_name.get(rec.folded_name))
        return (found, "name") if found else (None, "")

    def _new_id(self, rec: ActorRecord) -> str:
        if rec.kind == "person":
            # Opaque, so a person's name never shows in an id (URLs, logs, audit log, exports), yet
            # deterministic, so one file imported into two stores gives the same ids. Unlike the
            # random ids of people created by hand, someone who already knows the name can confirm
            # it from the id (blake2b of the folded name).
            base = "person-" + hashlib.blake2b(rec.folded_name.encode("utf-8"), digest_size=6).hexdigest()
        else:
            base = fast_slug(rec.name)
        old = self.index.by_id.get(base)
        if old is not None and old["deleted_at"] and fold(old["name"]) == rec.folded_name and base not in self.planned:
            return base  # restores the deleted actor of the same name
        if base not in self.index.by_id and base not in self.planned:
            return base
        return unique_id(base, lambda i: i in self.index.by_id or i in self.planned)

    def resolve_actors(self) -> None:
        for rec in self.batch.actors:
            actor_id, how, existing = None, "", False
            if rec.id:
                if not _ID_RE.match(rec.id):
                    self.rejected.append({**rec.where, "message": f"ID {rec.id!r} is not usable: use 1-128 letters, digits, '-', '_', '.' or ':'"})
                    self.ref_to_id[rec.ref] = None
                    continue
                actor_id = self.index.follow(rec.id)
                existing, how = actor_id in self.index.by_id, "id"
            keys = self._keys(rec)
            if actor_id is None:
                actor_id, how = self._match_store(rec)
                existing = actor_id is not None
                if actor_id is None:
                    hit = None
                    for k in keys:
                        if k in self.batch_keys:
                            hit = k
                            break
                    actor_id = self.batch_keys[hit] if hit else None
                    how = {"email": "e-mail", "name_org": "name and organisation"}.get(hit[0], "name") if hit else ""
            if actor_id in self.planned:
                p = self.planned[actor_id]
                if not (self.batch.merge_repeated_rows or rec.implicit or all(r.implicit for r in p.records)):
                    first = p.first.where.get("row")
                    self.rejected.append({**rec.where, "message": f"{rec.name!r} is the same actor as row {first} ({actor_id})"})
                    self.ref_to_id[rec.ref] = None
                    continue
                if not rec.implicit and not all(r.implicit for r in p.records):
                    self.warnings.append({**rec.where, "message": f"{rec.name!r} is the same {'person' if rec.kind == 'person' else 'actor'} "
                                          f"as row {p.first.where.get('row')} (same {how or 'name'}): the rows are merged into one"})
                p.records.append(rec)
            else:
                if actor_id is None:
                    actor_id = self._new_id(rec)
                self.planned[actor_id] = Planned(actor_id, [rec], existing, how)
            self.ref_to_id[rec.ref] = actor_id
            if rec.lookup_id and self.index.follow(rec.lookup_id) == actor_id and rec.attributes.get("UID") == rec.lookup_id:
                del rec.attributes["UID"]  # a vCard UID naming the actor (our own export) is its id, not an attribute
            for k in keys:
                self.batch_keys.setdefault(k, actor_id)

    # desired values -------------------------------------------------------------------------
    def new_actors(self, ids: list[str]) -> tuple[list[dict], list[dict]]:
        """``(values, seen records)`` of planned actors ``ids`` that the store does not have
        (:meth:`desired_actor`; seen records as :func:`plan` lists them)."""
        values, seen = [], []
        for actor_id in ids:
            p = self.planned[actor_id]
            v, data = self.desired_actor(p, None)
            values.append(v)
            seen.append(_seen("actor", actor_id, p.first.where, data))
        return values, seen

    def desired_actor(self, p: Planned, before: dict | None) -> tuple[dict, dict]:
        """``(values to write, what this source provides)`` for a planned actor.

        Single values (name, kind, description, country, city) of an existing actor follow a
        three-way rule: when this source gave the field before, it is written only if the file's
        value changed since (an edit made in graph-service meanwhile stays otherwise), and a field
        it never gave before (a column added since) only when the file has a value for it; when the
        actor comes from other sources only, only empty fields are filled (another name becomes
        an alias); an actor no source ever synced takes the file's values.
        """
        if before is None and len(p.records) == 1:
            r = p.records[0]
            values = {"id": p.id, "name": r.name, "kind": r.kind, "aliases": [], "tags": [], "description": "",
                      "country": "", "city": "", **r.fields, "contact_details": r.contacts, "attributes": r.attributes,
                      "source": r.source_text}
            # what the file provides, as the general path below records it: a sync record never
            # says the source gave a field it has no column for
            data = {"aliases": r.fields.get("aliases", []), "tags": r.fields.get("tags", []),
                    "contact_details": r.contacts, "attributes": sorted(r.attributes)}
            if not r.implicit:
                if r.name_columns:
                    data["name"] = r.name
                if r.kind:
                    data["kind"] = r.kind
            for f in ("description", "country", "city"):
                if f in r.fields:
                    data[f] = r.fields[f]
            return values, data
        explicit = [r for r in p.records if not r.implicit]
        main = explicit[0] if explicit else p.records[0]
        provided: dict = {"aliases": [], "tags": [], "contact_details": [], "attributes": {}}
        scalars: dict = {}
        if explicit:
            if main.name_columns:
                scalars["name"] = main.name
            if main.kind:
                scalars["kind"] = main.kind
        for r in explicit or p.records[:1]:
            for c in r.contacts:
                if not any(c["type"] == x["type"] and c["value"] == x["value"] for x in provided["contact_details"]):
                    provided["contact_details"].append(c)
            for f in _LIST_FIELDS:
                for v in r.fields.get(f, []):
                    if v not in provided[f]:
                        provided[f].append(v)
            for k, v in r.attributes.items():
                provided["attributes"].setdefault(k, v)
            for f in ("description", "country", "city"):
                if f in r.fields and f not in scalars:
                    scalars[f] = r.fields[f]
        for n in [r.name for r in explicit if r.name_columns and r.folded_name != main.folded_name]:
            if n not in provided["aliases"]:
                provided["aliases"].append(n)
        list_fields = {f for r in explicit for f in _LIST_FIELDS if f in r.fields} | ({"aliases"} if provided["aliases"] else set())
        record = self.previous.get(("actor", p.id))
        prev = (record or {}).get("data") or {}
        if before is None:
            values = {"id": p.id, "name": main.name, "kind": main.kind, **ACTOR_DEFAULTS}
            values.update(scalars)
            for f in _LIST_FIELDS:
                values[f] = provided[f]
            values["contact_details"] = provided["contact_details"]
            values["attributes"] = provided["attributes"]
        else:
            values = {"id": p.id}
            never_synced = not self.index.by_id.get(p.id, {}).get("sources")
            for f, new in scalars.items():
                # a column this source never gave before writes only a value (an empty cell in a
                # column added since says nothing, and keeps what was typed in by hand)
                changed = (prev[f] != new) if f in prev else bool(new)
                if never_synced or (record is not None and changed) or not before.get(f):
                    values[f] = new
                elif f == "name" and fold(new) != fold(before["name"]) and new not in provided["aliases"]:
                    provided["aliases"].append(new)  # another source's name for it: findable, not a rename
                    list_fields.add("aliases")
            for f in list_fields:
                values[f] = _merge_list(before.get(f) or [], prev.get(f, []), provided[f])
            values["contact_details"] = _merge_contacts(before.get("contact_details") or [], prev.get("contact_details", []),
                                                        provided["contact_details"])
            values["attributes"] = _merge_attrs(before.get("attributes") or {}, prev.get("attributes", []), provided["attributes"])
        values["source"] = main.source_text
        data = {"aliases": provided["aliases"] if "aliases" in list_fields else [],
                "tags": provided["tags"] if "tags" in list_fields else [],
                "contact_details": provided["contact_details"], "attributes": sorted(provided["attributes"]), **scalars}
        return values, data

    # ties -----------------------------------------------------------------------------------
    def resolve_end(self, ref: str) -> tuple[str | None, str | None]:
        """``(actor id, None)`` or ``(None, reason)`` for a tie end."""
        if ref in self.ref_to_id:
            return self.ref_to_id[ref], None if self.ref_to_id[ref] else "rejected"
        idx = self.index
        found = idx.follow(ref)
        if idx.live(found):
            return found, None
        ids = [i for i in idx.by_name.get(fold(ref), [])]
        if len(set(ids)) == 1:
            return ids[0], None
        if len(set(ids)) > 1:
            return None, f"{ref!r} names several actors ({', '.join(sorted(set(ids))[:5])}); use an id"
        return None, f"{ref!r} is not an element of this import nor a known actor"


def _seen(entity_type: str, entity_id: str, where: dict, data: dict | None = None) -> dict:
    """A seen record of the sync: the entity, the row naming it, what the source gave (``data``;
    left out for new actors whose records the store's child builds: a smaller dict)."""
    seen = {"entity_type": entity_type, "entity_id": entity_id, "file": where.get("file"), "sheet": where.get("sheet"),
            "row": where.get("row")}
    if data is not None:
        seen["data"] = data
    return seen


def row_of(where: dict) -> dict:
    """``{file, sheet, row}`` of a record's ``where`` (the keys it has), as plan entries give it.
    Nearly every row of a table has exactly these: that ``where`` itself (shared by the row's
    records and entries, a 100,000-row plan holds 200,000 fewer dicts; never changed)."""
    if len(where) == 3 and "file" in where and "sheet" in where and "row" in where:
        return where
    return {k: where[k] for k in ("file", "sheet", "row") if k in where}


def _tie_entry(tie: dict, names: dict) -> str:
    arrow = "->" if tie.get("directed", True) else "<->"
    return f"{names.get(tie['source_id'], tie['source_id'])} -[{tie.get('label') or tie['type']}]{arrow} {names.get(tie['target_id'], tie['target_id'])}"


def _file_existing(part: dict, writes: list, entry: dict, before: dict, values: dict, fields) -> None:
    """List a record that exists already as updated (with its field changes; a deleted one comes
    back) and queue its write, or as unchanged."""
    changes = _changes(before, values, fields)
    if before.get("deleted_at"):
        changes["deleted_at"] = [before["deleted_at"], None]
    if changes:
        entry["changes"] = changes
        part["updated"].append(entry)
        writes.append(values)
    else:
        part["unchanged"].append(entry)


def _changes(before: dict, after: dict, fields) -> dict:
    diff = changed_fields(before, after, fields)
    diff.pop("source", None)
    out = {}
    for f, new in diff.items():
        old = before.get(f)
        if f == "attributes" and isinstance(old, dict) and isinstance(new, dict):
            for k in sorted(set(old) | set(new)):
                if old.get(k) != new.get(k):
                    out[f"attributes.{k}"] = [old.get(k), new.get(k)]
        else:
            out[f] = [old, new]
    return out


def plan(store, batch: Batch, options: ImportOptions, source: str, *, background: bool = False) -> tuple[dict, dict]:
    """``(report, work)``: the plan report (see module doc) and what applying it writes.

    ``background`` (single-threaded callers only): a big import's duplicate candidates are found
    in a forked child process (:class:`~graph_service.forked.ForkedCall`) while :func:`apply`
    writes, and the store may fork ``options.workers`` processes to prepare the writing; the
    report has the duplicates once :func:`apply` returns. Without it (and for dry runs) they are
    in the report at once.
    """
    timings = {}
    t0 = time.perf_counter()
    planner = Planner(store, batch, options, source)
    timings["index"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    planner.resolve_actors()
    ids = list(planner.planned)
    befores = _get_many(store, "actor", [i for i in ids if planner.planned[i].existing or i in planner.index.by_id])
    report = {
        "source": source, "format": batch.format, "files": batch.files, "rows_read": batch.rows_read,
        "actors": {"created": [], "updated": [], "unchanged": [], "missing": [], "reactivated": []},
        "ties": {"created": [], "updated": [], "unchanged": [], "missing": [], "reactivated": []},
    }
    from .merge import duplicate_candidates

    # the new actors, as the duplicate check needs them (each one's first row gives its name and kind)
    new_ids = [i for i in ids if i not in befores]
    created = [({"id": i, "name": first.name, "kind": first.kind}, first)
               for i, first in zip(new_ids, (planner.planned[i].first for i in new_ids))]
    find = functools.partial(duplicate_candidates, created, planner.index)
    pending, ahead = None, None
    if background and len(created) >= _BACKGROUND_DUPLICATES:
        # a store that can computes and stages the new actors' rows and sync records in a child
        # process while the rest is planned (this process never builds them); the same child
        # then lists the duplicates while apply writes
        if hasattr(store, "stage_ahead"):
            ahead = store.stage_ahead(functools.partial(planner.new_actors, new_ids), set(new_ids),
                                      workers=options.workers, then=find)
        pending = ahead.then if ahead is not None else ForkedCall(find, nice=(10,)).step(0)
    staged = ahead.ids if ahead is not None else ()
    write_actors, seen, seen_staged = [], [], []
    names = {}
    progress = options.progress
    for n, actor_id in enumerate(ids):
        if progress and n % 5000 == 0:
            progress("matching actors", n, len(ids))
        p = planner.planned[actor_id]
        main = p.first
        if actor_id in staged:  # new: its values and sync record are computed by the store's child
            names[actor_id] = main.name
            report["actors"]["created"].append({"id": actor_id, "name": main.name, "kind": main.kind, "row": row_of(main.where)})
            seen_staged.append(_seen("actor", actor_id, main.where))
            continue
        before = befores.get(actor_id)
        values, data = planner.desired_actor(p, before)
        names[actor_id] = values.get("name") or (before or {}).get("name", "")
        entry = {"id": actor_id, "name": names[actor_id], "kind": values.get("kind") or before["kind"],
                 "row": row_of(main.where)}
        if p.how and before is not None:
            entry["matched_by"] = p.how
        if before is None:
            report["actors"]["created"].append(entry)
            write_actors.append(values)
        else:
            _file_existing(report["actors"], write_actors, entry, before, values, ACTOR_DATA_FIELDS)
        seen.append(_seen("actor", actor_id, main.where, data))
    if seen_staged:
        seen = seen_staged + seen  # the store stages the first ones itself (stage_ahead)
    if progress:
        progress("matching actors", len(ids), len(ids))
    timings["actors"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    # ties
    tie_values: dict[str, tuple[dict, object]] = {}
    for rec in batch.ties:
        ends, bad = {}, False
        for end, ref in (("source_id", rec.source_ref), ("target_id", rec.target_ref)):
            actor_id, reason = planner.resolve_end(ref)
            if actor_id is None:
                bad = True
                if reason == "rejected":
                    planner.warnings.append({**rec.where, "message": f"not imported: its end {ref.split(':', 1)[-1]!r} was rejected"})
                else:
                    col = rec.columns.get("from" if end == "source_id" else "to")
                    planner.rejected.append({**rec.where, **({"column": col} if col else {}), "message": reason})
            ends[end] = actor_id
        if bad:
            continue
        if ends["source_id"] == ends["target_id"]:
            planner.warnings.append({**rec.where, "message": "not imported: a tie from an actor to itself"})
            continue
        tie = {**ends, "type": rec.type, "label": rec.label, **rec.fields}
        tie.setdefault("directed", True)
        tie["id"] = rec.id or tie_natural_key(tie)
        if tie["id"] in tie_values:
            old, first = tie_values[tie["id"]]
            old["attributes"] = {**rec.attributes, **old["attributes"]}
            if batch.merge_repeated_rows is False and first.where.get("row") != rec.where.get("row"):
                planner.warnings.append({**rec.where, "message": f"the same tie as row {first.where.get('row')}; imported once"})
            continue
        tie["attributes"] = dict(rec.attributes)
        tie_values[tie["id"]] = (tie, rec)
    # a tie of the same ends and type that exists under another id (made by hand, or by a merge) is that tie
    tie_befores = _get_many(store, "tie", list(tie_values))
    # only ties between actors that existed before this import can exist under another id
    unmatched = [t for t, _ in tie_values.values() if t["id"] not in tie_befores
                 and t["source_id"] in planner.index.by_id and t["target_id"] in planner.index.by_id]
    if unmatched and hasattr(store, "find_ties"):
        found = store.find_ties([(t["source_id"], t["target_id"], t["type"]) for t in unmatched])
        by_triple = {}
        for t in found:
            by_triple.setdefault((t["source_id"], t["target_id"], t["type"]), t)
            if not t["directed"]:
                by_triple.setdefault((t["target_id"], t["source_id"], t["type"]), t)
        for t in unmatched:
            hit = by_triple.get((t["source_id"], t["target_id"], t["type"]))
            if hit is not None and hit["id"] not in tie_values:
                rec = tie_values.pop(t["id"])[1]
                t["id"] = hit["id"]
                tie_values[hit["id"]] = (t, rec)
                tie_befores[hit["id"]] = hit
    for n_id in {t[e] for t, _ in tie_values.values() for e in ("source_id", "target_id")} - set(names):
        a = planner.index.by_id.get(n_id)
        names[n_id] = a["name"] if a else n_id
    write_ties = []
    for tie_id, (tie, rec) in tie_values.items():
        before = tie_befores.get(tie_id)
        provided_attrs = tie["attributes"]
        tie["source"] = rec.source_text
        entry = {"id": tie_id, "tie": _tie_entry(tie, names), "row": row_of(rec.where)}
        if before is None:
            full = {**TIE_DEFAULTS, **tie}
            report["ties"]["created"].append(entry)
            write_ties.append(full)
        else:
            prev = planner.previous.get(("tie", tie_id), {}).get("data") or {}
            tie["attributes"] = _merge_attrs(before.get("attributes") or {}, prev.get("attributes", []), provided_attrs)
            _file_existing(report["ties"], write_ties, entry, before, tie, TIE_DATA_FIELDS)
        seen.append(_seen("tie", tie_id, rec.where, {"attributes": sorted(provided_attrs)}))
    timings["ties"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    # missing since the last sync of this source, and back again
    seen_keys = {(s["entity_type"], s["entity_id"]) for s in seen} if planner.previous else set()
    missing, reactivated = [], []
    gone_ids = {"actor": [], "tie": []}
    for (etype, eid), r in planner.previous.items():
        if (etype, eid) not in seen_keys and not r.get("missing_since"):
            gone_ids[etype].append(eid)
        elif (etype, eid) in seen_keys and r.get("missing_since"):
            reactivated.append((etype, eid))
    gone_actors = _get_many(store, "actor", gone_ids["actor"]) if gone_ids["actor"] else {}
    gone_ties = _get_many(store, "tie", gone_ids["tie"]) if gone_ids["tie"] else {}
    for etype, eid in [("actor", i) for i in gone_ids["actor"]] + [("tie", i) for i in gone_ids["tie"]]:
        r = planner.previous[(etype, eid)]
        rec = (gone_actors if etype == "actor" else gone_ties).get(eid)
        if rec is None or rec.get("deleted_at"):
            continue
        entry = {"id": eid, "last_seen_at": r["last_seen_at"], "row": {"file": r["file"], "sheet": r["sheet"], "row": r["row"]}}
        if etype == "actor":
            entry["name"] = rec["name"]
        else:
            names.setdefault(rec["source_id"], planner.index.by_id.get(rec["source_id"], {}).get("name", rec["source_id"]))
            names.setdefault(rec["target_id"], planner.index.by_id.get(rec["target_id"], {}).get("name", rec["target_id"]))
            entry["tie"] = _tie_entry(rec, names)
            entry["name"] = entry["tie"]
        report["actors" if etype == "actor" else "ties"]["missing"].append(entry)
        missing.append({"entity_type": etype, "entity_id": eid})
    for etype, eid in reactivated:
        report["actors" if etype == "actor" else "ties"]["reactivated"].append(
            {"id": eid, "name": names.get(eid, eid) if etype == "actor" else eid,
             "missing_since": planner.previous[(etype, eid)]["missing_since"]})
    timings["missing"] = time.perf_counter() - t0
    found = None
    if pending is None:
        t0 = time.perf_counter()
        found = find()
        timings["duplicates"] = time.perf_counter() - t0
    report["rejected"] = sorted(planner.rejected, key=lambda e: (str(e.get("file", "")), str(e.get("sheet", "")), e.get("row") or 0))
    report["warnings"] = planner.warnings
    report["missing"] = report["actors"]["missing"] + report["ties"]["missing"]
    report["columns"] = batch.columns
    report["notes"] = batch.notes + ([] if has_sync(store) else ["this store keeps no sync records: rows gone since the last sync are not reported"])
    report["counts"] = {k: {s: len(v) for s, v in report[k].items()} for k in ("actors", "ties")}
    report["counts"].update(rejected=len(report["rejected"]), warnings=len(report["warnings"]))
    if found is not None:
        _file_duplicates(report, *found)
    report["timings_s"] = {k: round(v, 3) for k, v in timings.items()}
    work = {"actors": write_actors, "ties": write_ties, "progress": options.progress, "duplicates": pending,
            "workers": options.workers if background else 1, "ahead": ahead, "sync": {
        "source": source, "format": batch.format, "files": batch.files, "seen": seen, "missing": missing}}
    return report, work


def _file_duplicates(report: dict, listed: list[dict], found: int) -> None:
    """The listed duplicate candidates into the report: ``counts.duplicates`` is every pair found,
    ``counts.duplicates_listed`` those in ``duplicates`` (at most ``merge.MAX_REPORTED``, the most alike)."""
    report["duplicates"] = listed
    report["counts"]["duplicates"] = found
    report["counts"]["duplicates_listed"] = len(listed)


def _collect_duplicates(report: dict, work: dict) -> None:
    """Put the duplicate candidates found in the background (``plan(background=True)``) into the report."""
    pending = work.pop("duplicates", None)
    if pending is None:
        return
    try:
        _file_duplicates(report, *pending.result())
    except KeyboardInterrupt:  # Ctrl-C after the commit: the import is written, say so rather than "aborted"
        pending.cancel()
        _file_duplicates(report, [], 0)
        report["notes"].append("interrupted after the import was written: duplicate candidates were not listed")
    report["timings_s"]["duplicates"] = round(pending.seconds, 3)


def apply(store, report: dict, work: dict, *, by: str, skip_rejected: bool = False) -> dict:
    """Write a plan in one transaction. Refuses (ImportRefused, nothing written) when rows were
    rejected unless ``skip_rejected``, or when the store changed since the plan so that it no
    longer fits (an actor it needs was deleted meanwhile)."""
    at = now_iso()
    try:
        if report["rejected"] and not skip_rejected:
            raise ImportRefused(report["rejected"])
        t0 = time.perf_counter()
        progress = work.get("progress")
        if progress:
            progress("writing in one transaction", 0, 1)
        if has_sync(store):
            ahead = {"ahead": work["ahead"]} if work.get("ahead") is not None else {}
            summary = store.apply_sync(work["actors"], work["ties"], sync={**work["sync"], "at": at}, by=by,
                                       workers=work.get("workers", 1),
                                       new_ids=[e["id"] for e in report["actors"]["created"]], **ahead)
        else:
            summary = store.apply_batch(work["actors"], work["ties"], by=by)
        report["applied"] = True
        planned, made = report["counts"]["actors"]["created"], summary["actors"]["created"]
        if made < planned:  # created meanwhile, plainly the same actors (store.common.refuse_taken)
            report["notes"].append(f"{counted(planned - made, 'actor')} planned as new had been created meanwhile, by "
                                   "another import or by hand: updated instead")
        if progress:
            progress("writing in one transaction", 1, 1)
        report.setdefault("timings_s", {})["apply"] = round(time.perf_counter() - t0, 3)
    except KeyboardInterrupt:
        if not _written(store, work, at):
            _cancel(work)
            raise
        # Ctrl-C as the transaction committed: the import is written, which the report says
        report["applied"] = True
        report["notes"].append("interrupted as the import was written: it is written")
    except ImportRefused:
        _cancel(work)
        raise
    except ValidationError as exc:  # from the store: the plan no longer fits it
        _cancel(work)
        raise ImportRefused([{"message": f"the store changed while the import ran ({e['message']}); "
                                         "nothing was written, run the import again"} for e in exc.errors]) from None
    except BaseException:
        _cancel(work)
        raise
    _collect_duplicates(report, work)
    return report


def _cancel(work: dict) -> None:
    for pending in (work.pop("duplicates", None), work.pop("ahead", None)):
        if pending is not None:
            pending.cancel()


def _written(store, work: dict, at: str) -> bool:
    """Whether the sync of ``work`` at time ``at`` is in the store (committed before an interruption)."""
    if not has_sync(store):
        return False
    try:
        return any(s["name"] == work["sync"]["source"] and s["last_sync_at"] == at for s in store.sync_sources())
    except Exception:  # the store is unusable: the import counts as not written
        return False


def run_import(store, inputs: list[InputFile], options: ImportOptions | None = None, *, dry_run: bool = False,
               by: str = "import") -> dict:
    """Read, plan and (unless ``dry_run``) apply. Returns the plan report with ``applied``.

    Raises ImportRefused (unreadable files, bad options, or rejected rows when applying without
    ``skip_rejected``: nothing is written), StoreUnavailable.
    """
    options = prepare_options(options)
    with _fewer_collections():
        return _run_import(store, inputs, options, dry_run=dry_run, by=by)


_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple = ()


@contextlib.contextmanager
def _fewer_collections():
    """Collect garbage less often while imports run (the collector stays on for every thread).

    A big import allocates millions of small objects and frees few until it ends; at the default
    threshold the collector rescans them again and again (a third of the CPU time of a 100,000-row
    import). Collections of the youngest objects every 50,000 allocations instead of 700 keep that
    to a few percent. The thresholds are the process's, so they are restored when the last of
    concurrent imports ends.
    """
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(200_000, 1000, 1000)
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)


def _run_import(store, inputs: list[InputFile], options: ImportOptions, *, dry_run: bool, by: str) -> dict:
    t0 = time.perf_counter()
    batch = read_batch(inputs, options)
    read_s = time.perf_counter() - t0
    source = options.source or default_source([i.name for i in inputs])
    # with worker processes allowed (the command line), duplicates are listed while apply writes
    report, work = plan(store, batch, options, source, background=not dry_run and options.workers > 1)
    report["timings_s"] = {"read": round(read_s, 3), **report["timings_s"]}
    report["dry_run"] = dry_run
    report["applied"] = False
    report["options"] = {k: getattr(options, k) for k in ("format", "sheet", "header_row", "encoding", "delimiter",
                                                          "region", "date_order", "kind", "org_kind")
                         if getattr(options, k) not in (None, "auto")}
    if options.mapping is not None:
        report["options"]["mapping"] = options.mapping.file
    # the records are planned: apply needs only the plan (its work)
    _empty_in_background(batch.actors, batch.ties)
    if not dry_run:
        apply(store, report, work, by=by, skip_rejected=options.skip_rejected)
    _empty_in_background(work["actors"], work["ties"], work["sync"]["seen"])
    return report


def _empty_in_background(*lists: list) -> None:
    """Empty big lists no one needs any more (a batch's records, a plan's rows) in a thread, a
    thousand items at a time: freeing the millions of small objects of a 100,000-row import takes
    about 0.4 s of Python, done while SQLite writes (it releases the GIL) and while the caller
    shows the report instead of before it; the pieces let the other threads run between them."""
    def run() -> None:
        for items in lists:
            while items:
                del items[-1000:]

    threading.Thread(target=run, name="graph-service-free", daemon=True).start()


def import_files(store, paths: list[Path], *, dry_run: bool = False, by: str = "import",
                 options: ImportOptions | None = None) -> dict:
    """Import files by path (their names as the user knows them); see :func:`run_import`."""
    return run_import(store, [InputFile(Path(p)) for p in paths], options, dry_run=dry_run, by=by)


def demo_files() -> list[Path]:
    """The bundled demo data: the transatlantic mayoral roundtable as a Kumu workbook."""
    return [Path(__file__).resolve().parent.parent / "demo_data" / "roundtable.xlsx"]
