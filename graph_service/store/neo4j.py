"""The Neo4j store: the same :class:`~graph_service.store.base.GraphStore` contract on a Neo4j server.

Graph model
-----------
- ``(:Actor {id, name, name_folded, aliases, aliases_folded, kind, description, tags, country,
  city, contact_details, attributes, source, created_at, created_by, updated_at, updated_by,
  deleted_at})``. ``aliases``, ``tags`` and ``aliases_folded`` are native string lists;
  ``contact_details`` and ``attributes`` are JSON strings. ``name_folded``/``aliases_folded``
  hold :func:`graph_service.model.fold` of the name and aliases, for accent-insensitive search.
- ``(:Actor)-[:TIE {id, type, label, directed, strength, since, until, last_contact, source,
  description, attributes, created_at, ...}]->(:Actor)``: one relationship type; the tie's own
  type is the ``type`` property, so no statement needs a dynamic relationship type. ``source_id``
  and ``target_id`` are the ends' ids and are not stored on the relationship.
- Rows of a large batch being loaded carry ``staged: <import id>`` and an
  ``(:Import {id, state, by, started_at, touched_at})`` node tracks it; every read query shows such
  a row only when its Import is ``published`` (see :meth:`Neo4jStore._apply_staged`).
- ``(:HistoryEntry {seq, entity_type, entity_id, action, at, by, before, after})`` with ``seq``
  from a ``(:Sequence {name: 'history'})`` counter; ``before``/``after`` are JSON strings.
- Sync bookkeeping (:class:`~graph_service.store.base.SyncStore`): ``(:SyncSource {name, format,
  files, first_sync_at, last_sync_at, last_sync_by, syncs})``, ``(:SyncRecord {source, entity_type,
  entity_id, file, sheet, row, first_seen_at, last_seen_at, last_seen_by, missing_since, data})``
  (``data`` a JSON string; one per source and actor or tie, found by ``entity_id``, no
  relationship to it) and ``(:ActorMerge {merged_id, into_id, at, by})``. A staged batch's sync
  records are written by the transaction that publishes it.
- ``(:User {id, username, username_key, ...})`` and ``(:ApiToken {id, user_id, token_hash,
  scopes, ...})``. ``username_key`` is the name with ASCII letters lower-cased, which is what
  SQLite's ``COLLATE NOCASE`` compares, so both stores accept and refuse the same names.
- ``(:AuditEntry {seq, at, actor, action, target, detail, ip})`` (no method changes or removes
  one) and ``(:AnalyticsSnapshot {id, name, coordinator_id, taken_at, created_by, metrics})``;
  ``seq``/``id`` come from ``(:Sequence {name: 'audit'|'snapshot'})`` counters.

Driver practice (as in the project's design notes): one lazily created :class:`neo4j.Driver` per store
(``verify_connectivity()`` on creation), ``database`` always given, ``Driver.execute_query`` for
single statements and ``Session.execute_read``/``execute_write`` with idempotent transaction
functions for the rest. Every statement comes from the :mod:`queries` catalogue and gets values
only as parameters. Short connection timeouts make an unreachable server raise
:class:`~graph_service.errors.StoreUnavailable` within seconds.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as _dt
import json
import logging
import random
import threading
import time
import uuid
from collections import defaultdict
from typing import Any, Callable, Iterable, Iterator

import queries
from neo4j import GraphDatabase, RoutingControl
from neo4j import exceptions as neo4j_errors

from ..errors import Conflict, NotFound, StoreUnavailable, ValidationError
from ..model import fold, new_actor_id, now_iso
from .common import (
    ACTOR_DATA_FIELDS,
    TIE_DATA_FIELDS,
    best_tie,
    changed_fields,
    bidirectional_shortest_path,
    access_state,
    audit_hash,
    check_dump,
    check_tie_dates,
    merge_changes,
    refuse_taken,
    unique_id,
)

log = logging.getLogger(__name__)

#: Rows per ``UNWIND $rows`` statement inside one batch transaction.
BATCH_SIZE = 1000

#: A batch of more rows (actors + ties) is staged in committed chunks and published at the end
#: (:meth:`Neo4jStore._apply_staged`); smaller ones are one transaction.
STAGE_THRESHOLD = 5000

#: Records (actors, ties, history entries) per committed staging transaction.
STAGE_CHUNK = 5000

#: Seconds after its last chunk when a staging import counts as abandoned (its process died).
IMPORT_LEASE_S = 600.0

#: Driver settings: fail fast (about a second) when the server cannot be reached. The driver's
#: own retries are off (they would wait 1 s, then 2 s... on a server that is down);
#: :meth:`Neo4jStore._retrying` retries instead.
DRIVER_CONFIG: dict[str, Any] = {
    "connection_timeout": 1.0,
    "connection_acquisition_timeout": 2.0,
    "max_transaction_retry_time": 0.0,
    "initial_retry_delay": 0.0,
    "max_connection_lifetime": 3600,
    # Server notifications go to the driver's logger; never turn them into Python warnings
    # (the test suite treats warnings as errors, and ``python -X dev`` would enable them).
    "warn_notification_severity": "OFF",
    # "property key does not exist" (e.g. no record was ever soft-deleted) is expected here.
    "notifications_disabled_classifications": ["UNRECOGNIZED"],
    "user_agent": "graph-service",
}

#: Seconds to keep retrying a transaction that failed transiently (deadlock, leader switch).
TRANSIENT_RETRY_S = 5.0

#: Quick retries (0.1 s apart) when no connection could be had: one after a server restart
#: finds the pool's dead connections, a second that the server is really down.
CONNECT_RETRIES = 2

ACTOR_KEYS = (
    "id", "name", "kind", "aliases", "description", "tags", "country", "city", "contact_details",
    "attributes", "source", "created_at", "created_by", "updated_at", "updated_by", "deleted_at",
)
TIE_KEYS = (
    "id", "source_id", "target_id", "type", "label", "directed", "strength", "since", "until",
    "last_contact", "source", "description", "attributes", "created_at", "created_by", "updated_at",
    "updated_by", "deleted_at",
)
USER_KEYS = ("id", "username", "password_hash", "role", "created_at", "created_by", "disabled_at", "session_epoch")
TOKEN_KEYS = ("id", "user_id", "name", "token_hash", "created_at", "expires_at", "revoked_at", "scopes")
DEFAULT_SCOPES = ("read", "write", "import")
AUDIT_KEYS = ("seq", "at", "actor", "action", "target", "detail", "ip", "hash")
SYNC_RECORD_KEYS = ("source", "entity_type", "entity_id", "file", "sheet", "row", "first_seen_at", "last_seen_at",
                    "last_seen_by", "missing_since", "data")
SNAPSHOT_KEYS = ("id", "name", "coordinator_id", "taken_at", "created_by", "metrics")
USER_ROLES = ("viewer", "editor", "admin")

_ACTOR_DEFAULTS = {"aliases": [], "tags": [], "contact_details": [], "attributes": {}, "description": "",
                   "country": "", "city": "", "source": ""}
_TIE_DEFAULTS = {"label": "", "directed": True, "strength": None, "since": None, "until": None,
                 "last_contact": None, "source": "", "description": "", "attributes": {}}

# Driver errors meaning "the server cannot serve us now" (down, unreachable, bad credentials,
# database missing or unavailable): the API answers 503 for these.
_UNAVAILABLE = (
    neo4j_errors.ServiceUnavailable,  # includes SessionExpired's siblings and IncompleteCommit
    neo4j_errors.SessionExpired,
    neo4j_errors.ConnectionPoolError,  # includes ConnectionAcquisitionTimeoutError
    neo4j_errors.AuthError,
    neo4j_errors.Forbidden,
    neo4j_errors.TransientError,  # includes DatabaseUnavailable; raised after retries ran out
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _loads(value: Any, default: Any) -> Any:
    if value is None:
        return default
    return json.loads(value)


def _nocase(text: str) -> str:
    """ASCII letters lower-cased, others kept: SQLite's ``NOCASE`` collation, used for usernames."""
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def _chunks(items: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# row <-> record mapping ------------------------------------------------------------------
def _actor(props: dict) -> dict:
    """Actor record (base.py shape) from the node's properties."""
    d = {k: props.get(k) for k in ACTOR_KEYS}
    d["aliases"] = list(d["aliases"] or [])
    d["tags"] = list(d["tags"] or [])
    d["contact_details"] = _loads(d["contact_details"], [])
    d["attributes"] = _loads(d["attributes"], {})
    return d


def _actor_props(record: dict) -> dict:
    """Node properties for an actor record (every key present; ``None`` removes a property)."""
    aliases = list(record.get("aliases") or [])
    return {
        "id": record["id"],
        "name": record.get("name"),
        "name_folded": fold(record.get("name")),
        "aliases": aliases,
        "aliases_folded": [fold(a) for a in aliases],
        "kind": record.get("kind"),
        "description": record.get("description"),
        "tags": list(record.get("tags") or []),
        "country": record.get("country"),
        "city": record.get("city"),
        "contact_details": _dumps(record.get("contact_details") or []),
        "attributes": _dumps(record.get("attributes") or {}),
        "source": record.get("source"),
        "created_at": record.get("created_at"),
        "created_by": record.get("created_by"),
        "updated_at": record.get("updated_at"),
        "updated_by": record.get("updated_by"),
        "deleted_at": record.get("deleted_at"),
    }


def _tie(props: dict) -> dict:
    """Tie record (base.py shape) from relationship properties plus ``source_id``/``target_id``."""
    d = {k: props.get(k) for k in TIE_KEYS}
    d["directed"] = bool(d["directed"])
    d["attributes"] = _loads(d["attributes"], {})
    return d


def _tie_props(record: dict) -> dict:
    """Relationship properties for a tie record (the ends are the relationship's nodes)."""
    return {
        "id": record["id"],
        "type": record.get("type"),
        "label": record.get("label") or "",
        "directed": bool(record.get("directed")),
        "strength": record.get("strength"),
        "since": record.get("since"),
        "until": record.get("until"),
        "last_contact": record.get("last_contact"),
        "source": record.get("source") or "",
        "description": record.get("description") or "",
        "attributes": _dumps(record.get("attributes") or {}),
        "created_at": record.get("created_at"),
        "created_by": record.get("created_by"),
        "updated_at": record.get("updated_at"),
        "updated_by": record.get("updated_by"),
        "deleted_at": record.get("deleted_at"),
    }


def _tie_as_stored(record: dict) -> dict:
    """What reading ``record`` back would give (the same coalescing as the SQLite store)."""
    return _tie({**_tie_props(record), "source_id": record["source_id"], "target_id": record["target_id"]})


def _user(props: dict) -> dict:
    user = {k: props.get(k) for k in USER_KEYS}
    user["session_epoch"] = user["session_epoch"] or 0
    return user


def _token(props: dict) -> dict:
    d = {k: props.get(k) for k in TOKEN_KEYS}
    d["scopes"] = list(DEFAULT_SCOPES if d["scopes"] is None else d["scopes"])
    return d


def _history(props: dict) -> dict:
    return {
        "id": props["seq"], "entity_type": props["entity_type"], "entity_id": props["entity_id"],
        "action": props["action"], "at": props["at"], "by": props["by"],
        "before": json.loads(props["before"]) if props.get("before") else None,
        "after": json.loads(props["after"]) if props.get("after") else None,
    }


ACCESS_KEYS = ("entity_id", "entity_type", "visible_to", "set_at", "set_by")


def _access(props: dict) -> dict:
    return {k: list(props.get(k) or []) if k == "visible_to" else props.get(k) for k in ACCESS_KEYS}


def _audit(props: dict) -> dict:
    d = {k: props.get(k) for k in AUDIT_KEYS}
    d["detail"] = _loads(d["detail"], {})
    return d


class _Work:
    """A transaction plus the history entries it will append (written by :meth:`flush_history`)."""

    def __init__(self, tx):
        self.tx = tx
        self.entries: list[dict] = []

    def run(self, query_name: str, /, **params) -> list:
        """Run catalogue statement ``query_name`` in this transaction; returns its records."""
        return list(self.tx.run(queries.load(query_name), params))

    def value(self, query_name: str, key: str, /, **params) -> Any:
        """``key`` of the first record of ``query_name`` (``None`` without records)."""
        rows = self.run(query_name, **params)
        return rows[0][key] if rows else None

    def history(self, entity_type: str, entity_id: str, action: str, by: str, before, after) -> None:
        self.entries.append({
            "entity_type": entity_type,
            "entity_id": entity_id,
            "action": action,
            "at": now_iso(),
            "by": by,
            "before": None if before is None else _dumps(before),
            "after": None if after is None else _dumps(after),
        })

    def flush_history(self) -> None:
        if not self.entries:
            return
        n = len(self.entries)
        last = self.value("history_reserve", "last", n=n)
        for i, entry in enumerate(self.entries):
            entry["seq"] = last - n + 1 + i
        for rows in _chunks(self.entries):
            self.run("history_append", rows=rows)
        self.entries = []

    # reads used by write transactions
    # Rows of an unfinished staged import (``staged`` set) count as absent unless
    # ``include_staged``; then the record carries ``staged`` (the import id).
    def actor(self, actor_id: str, *, include_staged: bool = False) -> dict | None:
        rows = self.run("actor_get", id=actor_id)
        return _visible(_actor, rows[0], "actor", include_staged) if rows else None

    def actors(self, ids: Iterable[str], *, include_staged: bool = False) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for chunk in _chunks(sorted(set(ids))):
            for row in self.run("actors_by_ids", ids=chunk):
                record = _visible(_actor, row, "actor", include_staged)
                if record is not None:
                    out[record["id"]] = record
        return out

    def tie(self, tie_id: str, *, include_staged: bool = False) -> dict | None:
        rows = self.run("tie_get", id=tie_id)
        return _visible(_tie, rows[0], "tie", include_staged) if rows else None

    def ties(self, ids: Iterable[str], *, include_staged: bool = False) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for chunk in _chunks(sorted(set(ids))):
            for row in self.run("ties_by_ids", ids=chunk):
                record = _visible(_tie, row, "tie", include_staged)
                if record is not None:
                    out[record["id"]] = record
        return out


def _visible(convert: Callable[[dict], dict], row, key: str, include_staged: bool) -> dict | None:
    """``convert(row[key])``; ``None`` for a row of an unpublished import (``row["visible"]`` false)
    unless ``include_staged``, which then keeps ``staged`` (the import id) in the record."""
    if row["visible"]:
        return convert(row[key])
    return {**convert(row[key]), "staged": row[key]["staged"]} if include_staged else None


# Column order of the list-shaped rows of the staging statements (``queries/*_staged.cypher``
# name the same properties at the same positions): lists pack several times faster than maps
# in the driver, which is what bounds a big load.
STAGED_ACTOR_COLUMNS = (
    "id", "name", "name_folded", "aliases", "aliases_folded", "kind", "description", "tags", "country", "city",
    "contact_details", "attributes", "source", "created_at", "created_by", "updated_at", "updated_by", "deleted_at",
)
STAGED_TIE_COLUMNS = (
    "source_id", "target_id", "id", "type", "label", "directed", "strength", "since", "until", "last_contact",
    "source", "description", "attributes", "created_at", "created_by", "updated_at", "updated_by", "deleted_at",
)
STAGED_HISTORY_COLUMNS = ("seq", "entity_type", "entity_id", "action", "at", "by", "before", "after")


def _staged_row(kind: str, record: dict, at: str, seq: int = 0) -> list:
    """The list row of ``*_staged`` statement ``kind`` ("actor", "tie", or "history" for a
    ``(entity_type, entity_id, action, by, before, after)`` entry with sequence ``seq``)."""
    if kind == "actor":
        props = _actor_props(record)
        return [props[k] for k in STAGED_ACTOR_COLUMNS]
    if kind == "tie":
        props = {**_tie_props(record), "source_id": record["source_id"], "target_id": record["target_id"]}
        return [props[k] for k in STAGED_TIE_COLUMNS]
    entity_type, entity_id, action, by, before, after = record
    return [seq, entity_type, entity_id, action, at, by, None if before is None else _dumps(before),
            None if after is None else _dumps(after)]


class _BatchPlan:
    """What :meth:`Neo4jStore.apply_batch` writes, computed from the batch and the stored records.

    ``known``/``known_ties`` map ids to stored records (deleted ones too). Raises
    :class:`ValidationError` for a tie whose end is missing or deleted (after the batch's own
    actors). Attributes: ``summary`` (the counts), ``actor_creates``/``tie_creates`` (id ->
    record), ``actor_updates``/``tie_updates`` (id -> (stored before, after)) and ``history``
    ``[(entity_type, entity_id, action, by, before, after)]`` in order.
    """

    def __init__(self, actors: list[dict], ties: list[dict], known: dict[str, dict], known_ties: dict[str, dict], by: str):
        self.summary = {
            "actors": {"created": 0, "updated": 0, "unchanged": 0},
            "ties": {"created": 0, "updated": 0, "unchanged": 0},
        }
        self.actor_creates: dict[str, dict] = {}
        self.actor_updates: dict[str, tuple[dict, dict]] = {}
        self.tie_creates: dict[str, dict] = {}
        self.tie_updates: dict[str, tuple[dict, dict]] = {}
        self.history: list[tuple] = []
        known = dict(known)
        known_ties = dict(known_ties)
        now = now_iso()  # one batch, one moment (and a clock read per row is a measurable cost)
        for actor in actors:
            before = known.get(actor["id"])
            if before is None:
                record = _new_actor({**_ACTOR_DEFAULTS, **actor}, by, now)
                self.history.append(("actor", record["id"], "create", by, None, record))
                known[record["id"]] = self.actor_creates[record["id"]] = record
                self.summary["actors"]["created"] += 1
                continue
            diff = changed_fields(before, actor, ACTOR_DATA_FIELDS)
            if before["deleted_at"]:
                diff["deleted_at"] = None
            if diff:
                after = {**before, **diff, "updated_at": now, "updated_by": by}
                self.history.append(("actor", after["id"], "restore" if before["deleted_at"] else "update", by, before, after))
                known[after["id"]] = after
                if after["id"] in self.actor_creates:
                    self.actor_creates[after["id"]] = after
                else:
                    self.actor_updates[after["id"]] = (self.actor_updates.get(after["id"], (before,))[0], after)
                self.summary["actors"]["updated"] += 1
            else:
                self.summary["actors"]["unchanged"] += 1

        for tie in ties:
            _check_ends(tie, known)
            before = known_ties.get(tie["id"])
            if before is None:
                record = _new_tie({**_TIE_DEFAULTS, **tie}, by, now)
                self.history.append(("tie", record["id"], "create", by, None, record))
                self.tie_creates[record["id"]] = record
                known_ties[record["id"]] = _tie_as_stored(record)
                self.summary["ties"]["created"] += 1
                continue
            diff = changed_fields(before, tie, TIE_DATA_FIELDS)
            if before["deleted_at"]:
                diff["deleted_at"] = None
            if diff:
                after = {**before, **diff, "updated_at": now, "updated_by": by}
                self.history.append(("tie", after["id"], "update", by, before, after))
                # a tie's ends never change (as in SQLite, where the UPDATE leaves them)
                stored = {**after, "source_id": before["source_id"], "target_id": before["target_id"]}
                if after["id"] in self.tie_creates:
                    self.tie_creates[after["id"]] = stored
                else:
                    self.tie_updates[after["id"]] = (self.tie_updates.get(after["id"], (before,))[0], stored)
                known_ties[after["id"]] = _tie_as_stored(stored)
                self.summary["ties"]["updated"] += 1
            else:
                self.summary["ties"]["unchanged"] += 1


def _check_ends(tie: dict, actors: dict[str, dict | None]) -> None:
    """ValidationError naming each end that is missing or deleted (as the SQLite store does)."""
    missing = []
    for field in ("source_id", "target_id"):
        end = actors.get(tie[field])
        if end is None or end.get("deleted_at"):
            missing.append({"field": field, "message": f"no actor with id {tie[field]!r}"})
    if missing:
        raise ValidationError(missing)


def _new_actor(actor: dict, by: str, now: str | None = None) -> dict:
    now = now or now_iso()
    record = {f: actor.get(f) for f in ACTOR_DATA_FIELDS}
    record.update(id=actor["id"], created_at=now, created_by=by, updated_at=now, updated_by=by, deleted_at=None)
    return record


def _new_tie(tie: dict, by: str, now: str | None = None) -> dict:
    now = now or now_iso()
    record = {f: tie.get(f) for f in TIE_DATA_FIELDS}
    record.update(id=tie["id"], created_at=now, created_by=by, updated_at=now, updated_by=by, deleted_at=None)
    return record


class Neo4jStore:
    """GraphStore on a Neo4j 5 server (Community, Enterprise or Aura; no APOC).

    Parameters
    ----------
    uri : str
        ``bolt://host:7687``, ``neo4j://...`` or ``neo4j+s://...``.
    username, password : str
        Credentials (``NEO4J_USERNAME``/``NEO4J_PASSWORD``).
    database : str
        Database name, passed with every statement (default ``"neo4j"``).

    Nothing connects until the first call; then one driver is created and checked with
    ``verify_connectivity()``. Every method raises :class:`StoreUnavailable` when the server cannot
    be reached (within a few seconds, see :data:`DRIVER_CONFIG`) or refuses the credentials.
    """

    name = "neo4j"

    def __init__(self, uri: str, username: str, password: str | None, database: str = "neo4j"):
        self.uri = uri
        self.username = username
        self._password = password
        self.database = database or "neo4j"
        self._driver = None
        self._driver_lock = threading.Lock()

    # lifecycle ---------------------------------------------------------------------------
    def describe(self) -> str:
        return f"Neo4j {self.uri} (database {self.database})"

    def _get_driver(self):
        """The store's driver, created and verified on first use (call inside :meth:`_errors`)."""
        driver = self._driver
        if driver is not None:
            return driver
        with self._driver_lock:
            if self._driver is None:
                try:
                    driver = GraphDatabase.driver(
                        self.uri, auth=(self.username, self._password or ""), **DRIVER_CONFIG
                    )
                except (ValueError, neo4j_errors.ConfigurationError) as exc:
                    raise StoreUnavailable(f"invalid Neo4j URI {self.uri!r}: {exc}") from exc
                try:
                    driver.verify_connectivity()
                except BaseException:
                    driver.close()
                    raise
                self._driver = driver
            return self._driver

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Translate driver errors: unreachable/unauthorised -> StoreUnavailable."""
        try:
            yield
        except neo4j_errors.AuthError as exc:
            raise StoreUnavailable(self._refused(exc)) from exc
        except _UNAVAILABLE as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not available: {exc}") from exc
        except neo4j_errors.ClientError as exc:
            code = exc.code or ""
            if code.startswith("Neo.ClientError.Security."):  # e.g. AuthenticationRateLimit after wrong passwords
                raise StoreUnavailable(self._refused(exc)) from exc
            if code.startswith("Neo.ClientError.Database."):
                raise StoreUnavailable(f"Neo4j database {self.database!r} at {self.uri}: {exc}") from exc
            raise
        except OSError as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable: {exc}") from exc

    @staticmethod
    def _retrying(call: Callable[[], Any]) -> Any:
        """``call()``, repeated on retryable driver errors: transient ones (deadlocks) with growing
        pauses for up to :data:`TRANSIENT_RETRY_S`, connectivity ones :data:`CONNECT_RETRIES`
        times 0.1 s apart, so a server that is down fails in well under a second."""
        began = time.monotonic()
        delay = 0.05
        connect_failures = 0
        while True:
            try:
                return call()
            except (neo4j_errors.DriverError, neo4j_errors.Neo4jError) as exc:
                if not exc.is_retryable():
                    raise
                if isinstance(exc, (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired)):
                    connect_failures += 1
                    if connect_failures > CONNECT_RETRIES:
                        raise
                    time.sleep(0.1)
                    continue
                if time.monotonic() - began > TRANSIENT_RETRY_S:
                    raise
                time.sleep(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, 1.0)

    def _refused(self, exc: neo4j_errors.Neo4jError) -> str:
        return (f"Neo4j at {self.uri} refused the user name or password (user {self.username!r}; check "
                f"NEO4J_USERNAME and NEO4J_PASSWORD): {exc.message or exc.code}")

    def _query(self, query_name: str, /, *, write: bool = False, **params) -> list:
        """Run one catalogue statement with ``Driver.execute_query``; returns its records."""

        def call() -> list:
            return self._get_driver().execute_query(
                queries.load(query_name),
                parameters_=params,
                routing_=RoutingControl.WRITE if write else RoutingControl.READ,
                database_=self.database,
            ).records

        with self._errors():
            return self._retrying(call)

    def _session(self):
        driver = self._get_driver()
        # share the execute_query bookmarks so sessions read their own (and execute_query's) writes
        return driver.session(database=self.database, bookmark_manager=driver.execute_query_bookmark_manager)

    def _read(self, work: Callable[[_Work], Any]) -> Any:
        """Run ``work`` in a managed read transaction (retried on transient errors)."""
        def call() -> Any:
            with self._session() as session:
                return session.execute_read(lambda tx: work(_Work(tx)))

        with self._errors():
            return self._retrying(call)

    def _write(self, work: Callable[[_Work], Any]) -> Any:
        """Run ``work`` in a managed write transaction; its history entries are appended last.

        ``work`` reads what it needs and computes its writes inside the transaction, so a retry
        (deadlock, leader switch) repeats it whole. Errors it raises roll everything back.
        """

        def run(tx):
            w = _Work(tx)
            result = work(w)
            w.flush_history()
            return result

        def call() -> Any:
            with self._session() as session:
                return session.execute_write(run)

        with self._errors():
            return self._retrying(call)

    def close(self) -> None:
        """Close the driver (a later call opens a new one)."""
        with self._driver_lock:
            if self._driver is not None:
                self._driver.close()
                self._driver = None

    def ping(self) -> None:
        """Raise :class:`StoreUnavailable` unless the server answers ``RETURN 1`` on the database."""
        self._query("ping")

    def init_schema(self) -> None:
        """Create the named uniqueness constraints and indexes (``queries/schema.cypher``).

        Idempotent (``IF NOT EXISTS``); actor id, tie id (a relationship uniqueness constraint),
        user id and username, token id and hash, history seq are unique; ``Actor.name_folded``
        has a range and a text index; sync records are indexed by entity id and by source. Then discards what abandoned staged imports left
        (:meth:`discard_abandoned_imports`).
        """
        with self._errors():
            driver = self._get_driver()
            for statement in queries.statements("schema"):
                driver.execute_query(statement, routing_=RoutingControl.WRITE, database_=self.database)
        self.discard_abandoned_imports()

    # actors -------------------------------------------------------------------------------
    def get_actor(self, actor_id: str, *, include_deleted: bool = False) -> dict | None:
        """The actor with ``actor_id`` or ``None`` (also when deleted, unless ``include_deleted``)."""
        rows = self._query("actor_get", id=actor_id)
        actor = _visible(_actor, rows[0], "actor", False) if rows else None
        if actor is None or actor["deleted_at"] and not include_deleted:
            return None
        return actor

    def list_actors(self, *, kind=None, tag=None, city=None, q=None, limit=50, offset=0, include_deleted=False, exclude=()):
        """``(actors, total)``: see :meth:`GraphStore.list_actors` (``queries/search_actors.cypher``)."""
        rows = self._query(
            "search_actors",
            exclude=sorted(exclude),
            kind=kind or None,
            tag=tag or None,
            city=city.strip() if city else None,
            q=fold(q) if q else None,
            include_deleted=bool(include_deleted),
            offset=max(int(offset), 0),
            limit=max(int(limit), 0),
        )
        row = rows[0]
        return [_actor(a) for a in row["actors"]], row["total"]

    def find_actors_by_name(self, name: str, *, exclude=()) -> list[dict]:
        """Live actors whose folded name or an alias equals ``fold(name)``, by id (``exclude``: ids left out)."""
        return [_actor(r["actor"]) for r in self._query("actors_by_name", key=fold(name), exclude=sorted(exclude))]

    def create_actor(self, actor: dict, *, by: str, visible_to: list[str] | None = None) -> dict:
        """Insert an actor; its id is ``actor["id"]`` or a free slug of the name (``x``, ``x-2``...).

        Returns the stored record. Raises :class:`Conflict` if the given id is used (also by a
        deleted actor).
        """

        def work(w: _Work) -> dict:
            if actor.get("id"):
                if w.actor(actor["id"], include_staged=True) is not None:
                    raise Conflict(f"an actor with id {actor['id']!r} already exists")
                actor_id = actor["id"]
            else:
                base = new_actor_id(actor["name"], actor["kind"])
                w.run("actor_ids_lock")
                taken = {r["id"] for r in w.run("actor_ids_taken", base=base, prefix=base + "-")}
                actor_id = unique_id(base, taken.__contains__)
            record = _new_actor({**actor, "id": actor_id}, by)
            w.run("actor_upsert", rows=[_actor_props(record)])
            w.history("actor", actor_id, "create", by, None, record)
            if visible_to is not None:
                self._set_access_in(w, "actor", actor_id, visible_to, by)
            return record

        for attempt in range(3):
            try:
                return self._write(work)
            except neo4j_errors.ConstraintError:
                # another writer took the same id between our read and our write
                if actor.get("id") or attempt == 2:
                    raise Conflict(f"an actor with id {actor.get('id') or actor['name']!r} already exists") from None
        raise AssertionError("unreachable")

    def update_actor(self, actor_id: str, changes: dict, *, by: str) -> dict:
        """Apply the fields of ``changes`` that differ; returns the record. NotFound if missing/deleted.

        When nothing differs, nothing is written and ``updated_at`` stays.
        """

        def work(w: _Work) -> dict:
            before = w.actor(actor_id)
            if before is None or before["deleted_at"]:
                raise NotFound(f"no actor with id {actor_id!r}")
            diff = changed_fields(before, changes, ACTOR_DATA_FIELDS)
            if not diff:
                return before
            after = {**before, **diff, "updated_at": now_iso(), "updated_by": by}
            w.run("actor_upsert", rows=[_actor_props(after)])
            w.history("actor", actor_id, "update", by, before, after)
            return after

        return self._write(work)

    def delete_actor(self, actor_id: str, *, by: str) -> None:
        """Soft-delete an actor and its live ties (one history entry each). NotFound if missing/deleted."""

        def work(w: _Work) -> None:
            before = w.actor(actor_id)
            if before is None or before["deleted_at"]:
                raise NotFound(f"no actor with id {actor_id!r}")
            now = now_iso()
            rows = []
            for r in w.run("live_ties_of_actor", actor_id=actor_id):
                tie = _tie(r["tie"])
                after = {**tie, "deleted_at": now, "updated_at": now, "updated_by": by}
                rows.append({"id": tie["id"], "props": _tie_props(after)})
                w.history("tie", tie["id"], "delete", by, tie, {**tie, "deleted_at": now})
            for chunk in _chunks(rows):
                w.run("tie_update", rows=chunk)
            after = {**before, "deleted_at": now, "updated_at": now, "updated_by": by}
            w.run("actor_upsert", rows=[_actor_props(after)])
            w.history("actor", actor_id, "delete", by, before, {**before, "deleted_at": now})

        self._write(work)

    def restore_actor(self, actor_id: str, *, by: str) -> dict:
        """Undo a soft deletion: the actor and the ties deleted with it (whose other end is live).

        NotFound if there is no such actor; Conflict if it is not deleted.
        """

        def work(w: _Work) -> dict:
            before = w.actor(actor_id)
            if before is None:
                raise NotFound(f"no actor with id {actor_id!r}")
            if not before["deleted_at"]:
                raise Conflict(f"actor {actor_id!r} is not deleted")
            now = now_iso()
            after = {**before, "deleted_at": None, "updated_at": now, "updated_by": by}
            w.run("actor_upsert", rows=[_actor_props(after)])
            w.history("actor", actor_id, "restore", by, before, after)
            page = w.run("list_ties_of_actor", actor_id=actor_id, type=None, include_deleted=True, exclude=[], offset=0, limit=10**9)
            rows = []
            for raw in (page[0]["ties"] if page else []):
                tie = _tie(raw)
                if tie["deleted_at"] != before["deleted_at"]:
                    continue  # deleted on its own earlier: stays deleted
                other = tie["target_id"] if tie["source_id"] == actor_id else tie["source_id"]
                other_actor = w.actor(other)
                if other != actor_id and (other_actor is None or other_actor["deleted_at"]):
                    continue
                tie_after = {**tie, "deleted_at": None, "updated_at": now, "updated_by": by}
                rows.append({"id": tie["id"], "props": _tie_props(tie_after)})
                w.history("tie", tie["id"], "restore", by, tie, tie_after)
            for chunk in _chunks(rows):
                w.run("tie_update", rows=chunk)
            return after

        return self._write(work)

    def erase_personal_data(self, actor_id: str, *, by: str) -> dict:
        """Remove a person's personal details everywhere, history included (see SQLiteStore)."""

        def work(w: _Work) -> dict:
            before = w.actor(actor_id)
            if before is None:
                raise NotFound(f"no actor with id {actor_id!r}")
            now = now_iso()
            after = {**before, "name": "Erased person", "aliases": [], "description": "", "tags": [], "country": "",
                     "city": "", "contact_details": [], "attributes": {}, "source": "", "updated_at": now, "updated_by": by}
            w.run("actor_upsert", rows=[_actor_props(after)])
            erased = w.value("erase_history", "erased", entity_id=actor_id)
            w.run("sync_records_erase", entity_id=actor_id)
            w.history("actor", actor_id, "erase", by, None, None)
            return {"actor": after, "history_entries_erased": erased}

        return self._write(work)

    # ties ---------------------------------------------------------------------------------
    def get_tie(self, tie_id: str, *, include_deleted: bool = False) -> dict | None:
        """The tie with ``tie_id`` or ``None`` (also when deleted, unless ``include_deleted``)."""
        rows = self._query("tie_get", id=tie_id)
        tie = _visible(_tie, rows[0], "tie", False) if rows else None
        if tie is None or tie["deleted_at"] and not include_deleted:
            return None
        return tie

    def list_ties(self, *, actor_id=None, type=None, limit=100, offset=0, include_deleted=False, exclude=()):
        """``(ties, total)`` ordered by id; ``actor_id`` matches either end, ``type`` the tie type;
        ties whose id or either end is in ``exclude`` are left out."""
        params = dict(type=type or None, include_deleted=bool(include_deleted), exclude=sorted(exclude),
                      offset=max(int(offset), 0), limit=max(int(limit), 0))
        if actor_id:
            rows = self._query("list_ties_of_actor", actor_id=actor_id, **params)
        else:
            rows = self._query("list_ties", **params)
        row = rows[0]
        return [_tie(t) for t in row["ties"]], row["total"]

    def create_tie(self, tie: dict, *, by: str, visible_to: list[str] | None = None) -> dict:
        """Insert a tie between live actors; id given or ``t-<random>``.

        Raises :class:`ValidationError` naming each missing or deleted end, :class:`Conflict` if the
        id is used.
        """

        def work(w: _Work) -> dict:
            _check_ends(tie, w.actors([tie["source_id"], tie["target_id"]]))
            if tie.get("id"):
                if w.tie(tie["id"], include_staged=True) is not None:
                    raise Conflict(f"a tie with id {tie['id']!r} already exists")
                tie_id = tie["id"]
            else:
                tie_id = "t-" + uuid.uuid4().hex[:20]
            record = _new_tie({**tie, "id": tie_id}, by)
            w.run("tie_create", rows=[{"source_id": record["source_id"], "target_id": record["target_id"],
                                       "props": _tie_props(record)}])
            w.history("tie", tie_id, "create", by, None, record)
            if visible_to is not None:
                self._set_access_in(w, "tie", tie_id, visible_to, by)
            return record

        try:
            return self._write(work)
        except neo4j_errors.ConstraintError:
            raise Conflict(f"a tie with id {tie.get('id')!r} already exists") from None

    def update_tie(self, tie_id: str, changes: dict, *, by: str) -> dict:
        """Apply the fields of ``changes`` that differ (the ends never change); returns the record.

        NotFound if missing/deleted; ValidationError if ``until`` would be before ``since``.
        """

        def work(w: _Work) -> dict:
            before = w.tie(tie_id)
            if before is None or before["deleted_at"]:
                raise NotFound(f"no tie with id {tie_id!r}")
            check_tie_dates(before, changes)
            diff = changed_fields(before, changes, TIE_DATA_FIELDS)
            if not diff:
                return before
            after = {**before, **diff, "updated_at": now_iso(), "updated_by": by}
            w.run("tie_update", rows=[{"id": tie_id, "props": _tie_props(after)}])
            w.history("tie", tie_id, "update", by, before, after)
            return after

        return self._write(work)

    def delete_tie(self, tie_id: str, *, by: str) -> None:
        """Soft-delete a tie (history ``delete``). NotFound if missing/deleted."""

        def work(w: _Work) -> None:
            before = w.tie(tie_id)
            if before is None or before["deleted_at"]:
                raise NotFound(f"no tie with id {tie_id!r}")
            now = now_iso()
            after = {**before, "deleted_at": now, "updated_at": now, "updated_by": by}
            w.run("tie_update", rows=[{"id": tie_id, "props": _tie_props(after)}])
            w.history("tie", tie_id, "delete", by, before, {**before, "deleted_at": now})

        self._write(work)

    # batches ------------------------------------------------------------------------------
    def apply_batch(self, actors: Iterable[dict], ties: Iterable[dict], *, by: str) -> dict:
        """Upsert actors then ties by id, all or nothing as every reader sees it.

        Existing records are read in bulk and diffs computed with :func:`common.changed_fields`
        (a deleted record in the batch is restored). A tie whose end is missing or deleted raises
        :class:`ValidationError` before anything is written. Up to :data:`STAGE_THRESHOLD` rows
        go in ONE write transaction; larger batches are staged (see :meth:`_apply_staged`), since
        one Neo4j transaction holding 100,000s of new records and their history runs out of
        transaction memory. :class:`Conflict` when a concurrent write takes an id or changes a
        record the batch updates.

        Returns ``{"actors": {"created", "updated", "unchanged"}, "ties": {...}}`` counts.
        """
        return self._apply(list(actors), list(ties), by)

    def _apply(self, actors: list[dict], ties: list[dict], by: str, also: Callable[[_Work], None] | None = None,
               new_ids: Iterable[str] = ()) -> dict:
        """:meth:`apply_batch`; ``also(w)`` runs in the transaction that makes the batch visible
        (the batch's own, or a staged batch's publishing one) after the batch's writes."""
        if len(actors) + len(ties) > STAGE_THRESHOLD:
            return self._apply_staged(actors, ties, by, also, new_ids)

        def work(w: _Work) -> dict:
            known = w.actors([a["id"] for a in actors] + [t[e] for t in ties for e in ("source_id", "target_id")])
            refuse_taken(new_ids, known, actors)
            plan = _BatchPlan(actors, ties, known, w.ties([t["id"] for t in ties]), by)
            for entry in plan.history:
                w.history(*entry)
            actor_writes = {**plan.actor_creates, **{i: after for i, (_, after) in plan.actor_updates.items()}}
            for chunk in _chunks([_actor_props(a) for a in actor_writes.values()]):
                w.run("actor_upsert", rows=chunk)
            self._create_ties(w, plan.tie_creates.values())
            updates = [{"id": t["id"], "props": _tie_props(t)} for _, t in plan.tie_updates.values()]
            for chunk in _chunks(updates):
                w.run("tie_update", rows=chunk)
            if also is not None:
                also(w)
            return plan.summary

        try:
            return self._write(work)
        except neo4j_errors.ConstraintError as exc:
            raise Conflict(f"the batch conflicts with a concurrent write: {exc.message}") from None

    @staticmethod
    def _create_ties(w: _Work, records: Iterable[dict]) -> None:
        rows = [{"source_id": t["source_id"], "target_id": t["target_id"], "props": _tie_props(t)} for t in records]
        for chunk in _chunks(rows):
            written = w.value("tie_create", "written", rows=chunk)
            if written != len(chunk):  # an end vanished (a concurrent hard delete): never commit half
                raise Conflict(f"created {written} of {len(chunk)} ties: an end disappeared meanwhile")

    def _apply_staged(self, actors: list[dict], ties: list[dict], by: str,
                      also: Callable[[_Work], None] | None = None, new_ids: Iterable[str] = ()) -> dict:
        """A large batch: new records staged in committed chunks, published in one short transaction.

        1. Existing records are read in read transactions and the batch planned
           (:class:`_BatchPlan`); invalid ties fail here, before any write.
        2. An ``(:Import {id, state: 'staging'})`` node is created and :data:`STAGE_CHUNK` new
           actors, ties or history entries per transaction are written with ``staged: <import id>``.
           Every read query shows a row with that marker only once its Import is ``published``.
        3. One transaction checks that the records to update did not change since step 1 (else
           :class:`Conflict`) and that every tie end is still live, writes the updates and their
           history (and whatever ``also`` writes: a sync's records) and sets the Import
           ``published``: all new rows appear at once.
        4. The markers are dropped in chunks and the Import node deleted (visibility unchanged).

        A failure in 2 or 3 discards the staged rows (:meth:`discard_abandoned_imports` does it
        later when the process or the server died meanwhile); readers never see any of them.
        History sequence numbers of staged entries are reserved in step 2, and step 3 takes at
        least one more, so :meth:`revision` moves when the rows become visible (a failed import
        leaves a gap in the numbers).
        """
        began = time.monotonic()
        known: dict[str, dict] = {}
        known_ties: dict[str, dict] = {}
        actor_ids = sorted({a["id"] for a in actors} | {t[e] for t in ties for e in ("source_id", "target_id")})
        tie_ids = sorted({t["id"] for t in ties})
        for chunk in _chunks(actor_ids, STAGE_CHUNK):
            known.update(self._read(lambda w, c=chunk: w.actors(c, include_staged=True)))
        for chunk in _chunks(tie_ids, STAGE_CHUNK):
            known_ties.update(self._read(lambda w, c=chunk: w.ties(c, include_staged=True)))
        busy = sorted(i for i, r in (*known.items(), *known_ties.items()) if r.get("staged"))
        if busy:
            raise Conflict(f"another import is writing {busy[0]!r} (and {len(busy) - 1} more); try again when it is done")
        refuse_taken(new_ids, known, actors)  # one created later collides with its staged row: Conflict
        plan = _BatchPlan(actors, ties, known, known_ties, by)

        import_id: str | None = uuid.uuid4().hex
        staged_history = [e for e in plan.history if e[1] in plan.actor_creates or e[1] in plan.tie_creates]
        publish_history = [e for e in plan.history if not (e[1] in plan.actor_creates or e[1] in plan.tie_creates)]

        def begin(w: _Work) -> int:
            w.run("import_begin", id=import_id, by=by, now=now_iso())
            return w.value("history_reserve", "last", n=len(staged_history))

        if staged_history:
            self.discard_abandoned_imports()
            last_seq = self._write(begin)
        else:  # only updates (or nothing): no rows to stage, one transaction
            last_seq = 0
            import_id = None
        first_seq = last_seq - len(staged_history) + 1
        planned = time.monotonic()
        try:
            if import_id:
                self._stage(import_id, plan, staged_history, first_seq)
            staged = time.monotonic()

            def publish(w: _Work) -> None:
                if import_id and not w.value("import_touch", "alive", id=import_id, state="staging", now=now_iso()):
                    raise Conflict("the import was discarded while it was loading (lease ran out); run it again")
                current = w.actors(plan.actor_updates)
                for actor_id, (before, _) in plan.actor_updates.items():
                    if current.get(actor_id) != before:
                        raise Conflict(f"actor {actor_id!r} changed while the batch was loading; run it again")
                current_ties = w.ties(plan.tie_updates)
                for tie_id, (before, _) in plan.tie_updates.items():
                    if current_ties.get(tie_id) != before:
                        raise Conflict(f"tie {tie_id!r} changed while the batch was loading; run it again")
                for chunk in _chunks([_actor_props(after) for _, after in plan.actor_updates.values()]):
                    w.run("actor_upsert", rows=chunk)
                ends = {t[e] for t in (*plan.tie_creates.values(), *(a for _, a in plan.tie_updates.values()))
                        for e in ("source_id", "target_id")} - set(plan.actor_creates)
                gone = {r["id"] for chunk in _chunks(sorted(ends)) for r in w.run("actors_not_live", ids=chunk)}
                if gone:
                    tie = next(t for t in (*plan.tie_creates.values(), *(a for _, a in plan.tie_updates.values()))
                               if t["source_id"] in gone or t["target_id"] in gone)
                    _check_ends(tie, {i: ({"deleted_at": "gone"} if i in gone else {}) for i in (tie["source_id"], tie["target_id"])})
                updates = [{"id": t["id"], "props": _tie_props(t)} for _, t in plan.tie_updates.values()]
                for chunk in _chunks(updates):
                    w.run("tie_update", rows=chunk)
                for entry in publish_history:
                    w.history(*entry)
                if also is not None:
                    also(w)
                if import_id and not publish_history:
                    w.run("history_reserve", n=1)  # move the revision now that the rows show
                if import_id:
                    w.run("import_publish", id=import_id, now=now_iso())

            self._write(publish)
            published = time.monotonic()
        except BaseException as exc:
            if import_id is not None:
                # Only a still-staging import is ours to discard: after an unclear commit it may be
                # published, or a cleaner may have claimed it. When the server is gone this fails
                # too and discard_abandoned_imports cleans up once the lease has run out.
                with contextlib.suppress(Exception):
                    if self._write(lambda w: w.value("import_fail", "failed", id=import_id, now=now_iso())):
                        self._discard_import(import_id)
            if isinstance(exc, neo4j_errors.ConstraintError):
                raise Conflict(f"the batch conflicts with a concurrent write: {exc.message}") from None
            raise
        if import_id:
            # visible already; dropping the markers only spares later reads a lookup (a crash
            # here leaves that to discard_abandoned_imports)
            with contextlib.suppress(StoreUnavailable):
                self._normalise_import(import_id)
        log.info("batch of %d actors and %d ties by %s: planned in %.1f s, staged %d records in %.1f s, "
                 "published in %.1f s, unmarked in %.1f s", len(actors), len(ties), by, planned - began,
                 len(plan.actor_creates) + len(plan.tie_creates) + len(staged_history), staged - planned,
                 published - staged, time.monotonic() - published)
        return plan.summary

    def _stage(self, import_id: str, plan: "_BatchPlan", history: list[tuple], first_seq: int) -> None:
        """Write the plan's new actors, ties and their history in committed, invisible chunks.

        Two lanes run at once, actors then ties in one and history entries in the other: they
        lock nothing in common, and while one waits for the server the other packs its rows
        (packing is what the Python side spends its time on). The first error stops both.
        """
        at = now_iso()
        stop = threading.Event()

        def lane(parts: list[tuple[str, list, int]], keeps_lease: bool) -> None:
            for kind, records, seq0 in parts:
                for start in range(0, len(records), STAGE_CHUNK):
                    if stop.is_set():
                        return
                    rows = [_staged_row(kind, r, at, seq0 + start + j)
                            for j, r in enumerate(records[start:start + STAGE_CHUNK])]
                    self._write(lambda w, kind=kind, rows=rows: self._stage_chunk(w, import_id, kind, rows, keeps_lease))

        lanes = [
            ([("actor", list(plan.actor_creates.values()), 0), ("tie", list(plan.tie_creates.values()), 0)], True),
            ([("history", history, first_seq)], False),
        ]
        errors: list[BaseException] = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(lanes), thread_name_prefix="neo4j-stage") as pool:
            for done in concurrent.futures.as_completed([pool.submit(lane, *spec) for spec in lanes]):
                if done.exception() is not None:
                    stop.set()
                    errors.append(done.exception())
        if errors:
            raise errors[0]

    @staticmethod
    def _stage_chunk(w: _Work, import_id: str, kind: str, rows: list[list], keeps_lease: bool) -> None:
        """One staging transaction: check the import is still staging, then write ``rows``.

        Only one lane renews the lease (a write on the Import node): two would queue on its lock.
        """
        if keeps_lease:
            alive = w.value("import_touch", "alive", id=import_id, state="staging", now=now_iso())
        else:
            alive = w.value("import_alive", "alive", id=import_id)
        if not alive:
            raise Conflict("the import was discarded while it was loading (lease ran out); run it again")
        if kind == "actor":
            w.run("actor_create_staged", rows=rows, staged=import_id)
        elif kind == "tie":
            written = w.value("tie_create_staged", "written", rows=rows, staged=import_id)
            if written != len(rows):  # an end vanished (a concurrent hard delete): never publish half
                raise Conflict(f"created {written} of {len(rows)} ties: an end disappeared meanwhile")
        else:
            w.run("history_append_staged", rows=rows, staged=import_id)

    def _discard_import(self, import_id: str) -> None:
        """Delete the staged rows of one import (chunked auto-commit statements), then its node."""
        self._run_each(import_id, ("import_discard_ties", "import_discard_history", "import_discard_actors"),
                       ["failed", "discarding"])

    def _normalise_import(self, import_id: str) -> None:
        """Drop a published import's markers (chunked auto-commit statements), then its node."""
        self._run_each(import_id, ("import_normalise_ties", "import_normalise_history", "import_normalise_actors"),
                       ["published"])

    def _run_each(self, import_id: str, names: tuple[str, ...], states: list[str]) -> None:
        with self._errors(), self._session() as session:
            for name in names:
                session.run(queries.load(name), {"id": import_id}).consume()
        self._query("import_end", write=True, id=import_id, states=states)

    def discard_abandoned_imports(self, lease_s: float | None = None) -> int:
        """Finish what failed or dead staged imports left; returns how many imports it took over.

        An import is abandoned when it failed, or when it was last touched more than ``lease_s``
        seconds ago (default :data:`IMPORT_LEASE_S`; its process or the server died mid-way).
        Unpublished ones lose their (invisible) rows; published ones their markers. Runs before
        every staged batch and in :meth:`init_schema`.
        """
        lease = IMPORT_LEASE_S if lease_s is None else lease_s
        cutoff = (_dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(seconds=lease)).isoformat(
            timespec="milliseconds").replace("+00:00", "Z")
        claimed = [r["id"] for r in self._query("imports_claim_abandoned", write=True, cutoff=cutoff, now=now_iso())]
        for import_id in claimed:
            self._discard_import(import_id)
        published = [r["id"] for r in self._query("imports_claim_published", write=True, cutoff=cutoff, now=now_iso())]
        for import_id in published:
            self._normalise_import(import_id)
        return len(claimed) + len(published)

    # sync (SyncStore) ----------------------------------------------------------------------
    def get_actors(self, ids: list[str]) -> dict[str, dict]:
        """``{id: actor}`` for the ids that exist (deleted included; rows of an unpublished import not)."""
        out: dict[str, dict] = {}
        for chunk in _chunks(sorted(set(ids)), STAGE_CHUNK):
            out.update(self._read(lambda w, c=chunk: w.actors(c)))
        return out

    def get_ties(self, ids: list[str]) -> dict[str, dict]:
        """``{id: tie}`` for the ids that exist (deleted included; rows of an unpublished import not)."""
        out: dict[str, dict] = {}
        for chunk in _chunks(sorted(set(ids)), STAGE_CHUNK):
            out.update(self._read(lambda w, c=chunk: w.ties(c)))
        return out

    def actor_index(self) -> list[dict]:
        """Every actor (deleted too) as import matching needs it, by id: ``{id, name, kind, aliases,
        name_folded, aliases_folded, emails, orgs (folded names of live works_for/member_of
        targets), deleted_at, merged_into, sources (names of the sync sources that had it)}``."""
        out = []
        for r in self._query("actor_index"):
            # lower-cased as SQLite's lower() does it (ASCII letters only), so both stores match alike
            emails = [None if c.get("value") is None else _nocase(str(c["value"]))
                      for c in _loads(r["contact_details"], []) if c.get("type") == "email"]
            out.append({"id": r["id"], "name": r["name"], "kind": r["kind"], "aliases": list(r["aliases"] or []),
                        "name_folded": r["name_folded"], "aliases_folded": list(r["aliases_folded"] or []),
                        "emails": emails, "orgs": list(r["orgs"]), "deleted_at": r["deleted_at"],
                        "merged_into": r["merged_into"][0] if r["merged_into"] else None, "sources": list(r["sources"])})
        return out

    def find_ties(self, triples: list[tuple[str, str, str]]) -> list[dict]:
        """Live ties joining ``(source_id, target_id, type)`` (mutual ties also the other way round), by id."""
        found: dict[str, dict] = {}
        for chunk in _chunks([list(t) for t in triples]):
            for r in self._query("ties_joining", triples=chunk):
                found[r["tie"]["id"]] = _tie(r["tie"])
        return [found[i] for i in sorted(found)]

    @staticmethod
    def _sync_record(props: dict) -> dict:
        return {**{k: props.get(k) for k in SYNC_RECORD_KEYS}, "data": _loads(props.get("data"), {})}

    def sync_records(self, source: str) -> list[dict]:
        """What the last sync of ``source`` saw: ``[{source, entity_type, entity_id, file, sheet, row,
        first_seen_at, last_seen_at, last_seen_by, missing_since, data}]``."""
        return [self._sync_record(r["record"]) for r in self._query("sync_records_of_source", source=source)]

    def sync_sources(self) -> list[dict]:
        """Every source synced so far, by name: ``[{name, format, files, first_sync_at, last_sync_at,
        last_sync_by, syncs}]``."""
        keys = ("name", "format", "files", "first_sync_at", "last_sync_at", "last_sync_by", "syncs")
        return [{**{k: r["source"].get(k) for k in keys}, "files": list(r["source"].get("files") or [])}
                for r in self._query("export_sync_sources")]

    def provenance(self, entity_id: str) -> list[dict]:
        """Where an actor or tie came from: its sync records in every source, oldest first."""
        return [self._sync_record(r["record"]) for r in self._query("sync_provenance", entity_id=entity_id)]

    def inactive_ids(self) -> dict[str, set[str]]:
        """``{"actors": ids, "ties": ids}`` missing from every source that had them."""
        out: dict[str, set[str]] = {"actors": set(), "ties": set()}
        for r in self._query("sync_inactive"):
            out["actors" if r["entity_type"] == "actor" else "ties"].add(r["entity_id"])
        return out

    def apply_sync(self, actors: Iterable[dict], ties: Iterable[dict], *, sync: dict, by: str, workers: int = 1,
                   new_ids: Iterable[str] = ()) -> dict:
        """:meth:`apply_batch` plus the sync bookkeeping of one source, all or nothing (``workers``
        is not used: the staged batches below already write in parallel lanes). ``new_ids``: as
        in :meth:`GraphStore.apply_sync`.

        ``sync``: ``{source, format, files, at, seen: [{entity_type, entity_id, file, sheet, row, data}],
        missing: [{entity_type, entity_id}]}``. Seen records are (re)activated; missing ones get
        ``missing_since`` and an ``inactive`` history entry (a reappearing one a ``reactivate``).
        The bookkeeping is written in the transaction that makes the batch visible (a staged
        batch's publishing one), so no reader sees rows without their records or the reverse.
        Raises what :meth:`apply_batch` raises.
        """
        return self._apply(list(actors), list(ties), by, lambda w: self._sync_in(w, sync, by), new_ids)

    @staticmethod
    def _sync_in(w: _Work, sync: dict, by: str) -> None:
        source, at = sync["source"], sync["at"]
        # first: the SyncSource's lock makes two syncs of one source take turns
        w.run("sync_source_touch", name=source, format=sync.get("format", ""), files=list(sync.get("files", [])),
              at=at, by=by)
        was_missing = {(r["entity_type"], r["entity_id"]) for r in w.run("sync_records_missing", source=source)}
        seen = sync.get("seen", [])
        # one row per record, the last one winning (as SQLite's upserts one after another)
        last = {(x["entity_type"], x["entity_id"]): x for x in seen}
        rows = [{"entity_type": t, "entity_id": i, "file": x.get("file"), "sheet": x.get("sheet"), "row": x.get("row"),
                 "data": _dumps(x.get("data") or {})} for (t, i), x in sorted(last.items())]
        for chunk in _chunks(rows):
            w.run("sync_records_seen", rows=chunk, source=source, at=at, by=by)
        for x in seen:
            if (x["entity_type"], x["entity_id"]) in was_missing:
                w.history(x["entity_type"], x["entity_id"], "reactivate", by,
                          {"sync_source": source, "active": False}, {"sync_source": source, "active": True})
        missing = sync.get("missing", [])
        newly: set[tuple[str, str]] = set()
        for chunk in _chunks([{"entity_type": m["entity_type"], "entity_id": m["entity_id"]} for m in missing]):
            newly.update((r["entity_type"], r["entity_id"])
                         for r in w.run("sync_records_mark_missing", rows=chunk, source=source, at=at))
        for m in missing:
            key = (m["entity_type"], m["entity_id"])
            if key in newly:
                newly.discard(key)  # a repeat in the list finds it missing already
                w.history(m["entity_type"], m["entity_id"], "inactive", by, {"sync_source": source, "active": True},
                          {"sync_source": source, "active": False, "missing_since": at})

    def merge_actors(self, keep_id: str, gone_id: str, *, by: str) -> dict:
        """Merge actor ``gone_id`` into ``keep_id`` in ONE transaction (see services.merge).

        ``keep`` keeps its id and values and takes ``gone``'s missing ones (aliases, tags, contact
        details and attributes are united; ``gone``'s name becomes an alias); ``gone``'s live ties
        move to ``keep`` (a tie that would join ``keep`` to itself, or repeat one ``keep`` already
        has, is deleted with history); its sync records follow; ``gone`` is soft-deleted with a
        ``merged`` history entry. Returns ``{kept, merged, ties_moved, ties_folded}``. Raises
        NotFound (either actor missing or deleted), ValidationError (the same actor twice).
        """

        def work(w: _Work) -> dict:
            keep, gone = w.actor(keep_id), w.actor(gone_id)
            diff = merge_changes(keep_id, keep, gone_id, gone)
            now = now_iso()
            kept = keep
            if diff:
                kept = {**keep, **diff, "updated_at": now_iso(), "updated_by": by}
                w.run("actor_upsert", rows=[_actor_props(kept)])
                w.history("actor", keep_id, "merge", by, keep, kept)
            moved = folded = 0
            for row in w.run("live_ties_of_actor", actor_id=gone_id):
                t = _tie(row["tie"])
                s = keep_id if t["source_id"] == gone_id else t["source_id"]
                d = keep_id if t["target_id"] == gone_id else t["target_id"]
                twin = w.value("tie_twin", "id", id=t["id"], type=t["type"], source_id=s, target_id=d)
                if s == d or twin is not None:
                    w.run("tie_update", rows=[{"id": t["id"], "props": _tie_props(
                        {**t, "deleted_at": now, "updated_at": now, "updated_by": by})}])
                    w.history("tie", t["id"], "delete", by, t, {**t, "deleted_at": now})
                    folded += 1
                    continue
                after = {**t, "source_id": s, "target_id": d, "updated_at": now, "updated_by": by}
                if w.value("tie_move", "written", id=t["id"], source_id=s, target_id=d, props=_tie_props(after)) != 1:
                    raise Conflict(f"tie {t['id']!r} could not be moved: an end disappeared meanwhile")
                w.history("tie", t["id"], "update", by, t, after)
                moved += 1
            mine = {r["record"]["source"]: r["record"] for r in w.run("sync_records_of_actor", id=keep_id)}
            for r in w.run("sync_records_of_actor", id=gone_id):
                source = r["record"]["source"]
                if source not in mine:
                    w.run("sync_record_repoint", source=source, from_id=gone_id, to_id=keep_id)
                    continue
                a, b = _loads(mine[source].get("data"), {}), _loads(r["record"].get("data"), {})
                united = {**b, **a}  # single values: what the source said about the kept actor
                for k in set(a) | set(b):
                    if isinstance(a.get(k, []), list) and isinstance(b.get(k, []), list):
                        united[k] = a.get(k, []) + [x for x in b.get(k, []) if x not in a.get(k, [])]
                w.run("sync_record_fold", source=source, keep_id=keep_id, gone_id=gone_id, data=_dumps(united))
            w.run("actor_upsert", rows=[_actor_props({**gone, "deleted_at": now, "updated_at": now, "updated_by": by})])
            w.history("actor", gone_id, "merged", by, gone, {**gone, "deleted_at": now, "merged_into": keep_id})
            w.run("actor_merge_record", gone_id=gone_id, keep_id=keep_id, at=now, by=by)
            return {"kept": kept, "merged": gone_id, "ties_moved": moved, "ties_folded": folded}

        try:
            return self._write(work)
        except neo4j_errors.ConstraintError as exc:
            raise Conflict(f"the merge conflicts with a concurrent write: {exc.message}") from None

    # graph queries ------------------------------------------------------------------------
    @staticmethod
    def _neighbours(w: _Work, ids: list[str], exclude: list[str]) -> list[tuple[str, str]]:
        """(from, to) pairs over live ties touching ``ids``, both directions; ties or far ends in ``exclude`` skipped."""
        pairs: list[tuple[str, str]] = []
        for chunk in _chunks(ids):
            pairs.extend((r["from_id"], r["to_id"]) for r in w.run("neighbours", ids=chunk, exclude=exclude))
        return pairs

    def ego_network(self, actor_id: str, depth: int = 1, *, exclude: Iterable[str] = ()) -> dict:
        """``{"centre", "depth", "actors", "ties"}``: live actors within ``depth`` hops of the centre
        (ties usable either way; one ``neighbours`` query per level) and the live ties among them,
        both ordered by id. NotFound for an unknown or deleted centre. Actors and ties whose ids are
        in ``exclude`` are neither walked through nor returned."""
        hidden = sorted(set(exclude))

        def work(w: _Work) -> dict:
            centre = w.actor(actor_id)
            if centre is None or centre["deleted_at"] or actor_id in hidden:
                raise NotFound(f"no actor with id {actor_id!r}")
            seen = {actor_id}
            frontier = [actor_id]
            for _ in range(depth):
                nxt = []
                for _, other in self._neighbours(w, frontier, hidden):
                    if other not in seen:
                        seen.add(other)
                        nxt.append(other)
                if not nxt:
                    break
                frontier = nxt
            ids = sorted(seen)
            found = w.actors(ids)
            actors = [found[i] for i in ids if i in found]
            ties = [_tie(r["tie"]) for r in w.run("ego_network_ties", ids=ids, exclude=hidden)]
            return {"centre": actor_id, "depth": depth, "actors": actors, "ties": ties}

        return self._read(work)

    def shortest_path(self, from_id: str, to_id: str, *, max_depth: int = 6, exclude: Iterable[str] = ()) -> list[dict] | None:
        """The who-knows-whom path ``[{"actor", "tie"}, ...]`` or ``None`` beyond ``max_depth`` hops.

        Bidirectional breadth-first search with one ``neighbours`` query per level (ties usable
        either way, :func:`common.bidirectional_shortest_path`) picks the path whose id sequence
        sorts first and :func:`common.best_tie` the tie per step, so the answer is the SQLite
        store's. NotFound for an unknown or deleted end. Actors and ties in ``exclude`` are not walked.
        """
        hidden = sorted(set(exclude))

        def work(w: _Work):
            ends = w.actors([from_id, to_id])
            for end in (from_id, to_id):
                if end not in ends or ends[end]["deleted_at"] or end in hidden:
                    raise NotFound(f"no actor with id {end!r}")
            if from_id == to_id:
                return [{"actor": ends[from_id], "tie": None}]
            ids = bidirectional_shortest_path(lambda frontier: self._neighbours(w, frontier, hidden), from_id, to_id, max_depth)
            if ids is None:
                return None
            actors = w.actors(ids)
            between: dict[tuple[str, str], list[dict]] = defaultdict(list)
            pairs = [[ids[i - 1], ids[i]] for i in range(1, len(ids))]
            for r in w.run("shortest_path_ties", pairs=pairs, exclude=hidden):
                between[(r["a_id"], r["b_id"])].append(_tie(r["tie"]))
            steps = []
            for i, node in enumerate(ids):
                tie = best_tie(between[(ids[i - 1], node)]) if i else None
                steps.append({"actor": actors.get(node), "tie": tie})
            return steps

        return self._read(work)

    def projection(self) -> tuple[list[dict], list[dict]]:
        """``(actors, ties)``: all live actors ``{id, name, kind, tags, city, country}`` and live ties
        ``{id, source_id, target_id, type, label, directed, strength, last_contact, since, until}``,
        each ordered by id (no contact details)."""

        def work(w: _Work):
            actors = [
                {"id": r["id"], "name": r["name"], "kind": r["kind"], "tags": list(r["tags"] or []),
                 "city": r["city"], "country": r["country"]}
                for r in w.run("projection_actors")
            ]
            ties = []
            for r in w.run("projection_ties"):
                t = dict(r.items())
                t["directed"] = bool(t["directed"])
                ties.append(t)
            return actors, ties

        return self._read(work)

    def stats(self) -> dict:
        """``{"actors": {kind: n}, "ties": {type: n}, "actors_total", "ties_total"}`` over live records."""

        def work(w: _Work):
            kinds = {r["key"]: r["n"] for r in w.run("stats_actors")}
            types = {r["key"]: r["n"] for r in w.run("stats_ties")}
            return kinds, types

        kinds, types = self._read(work)
        return {"actors": kinds, "ties": types, "actors_total": sum(kinds.values()), "ties_total": sum(types.values())}

    def history(self, entity_id: str) -> list[dict]:
        """History entries ``{id, entity_type, entity_id, action, at, by, before, after}`` oldest first."""
        return [_history(r["entry"]) for r in self._query("history_of", entity_id=entity_id)]

    # analytics ----------------------------------------------------------------------------
    def revision(self) -> int:
        """The last history sequence number (0 when empty): moves with every actor or tie write."""
        rows = self._query("revision")
        return rows[0]["revision"] if rows else 0

    def save_snapshot(self, snapshot: dict, *, by: str) -> dict:
        """Keep ``{"name", "coordinator_id", "metrics"}``; returns it with ``id`` (int, increasing),
        ``taken_at`` and ``created_by``. ``metrics`` is stored as a JSON string."""
        record = {"name": snapshot.get("name") or "", "coordinator_id": snapshot.get("coordinator_id"),
                  "taken_at": now_iso(), "created_by": by, "metrics": snapshot["metrics"]}
        rows = self._query("snapshot_save", write=True, props={**record, "metrics": _dumps(record["metrics"])})
        record["id"] = rows[0]["id"]
        return record

    def list_snapshots(self, *, limit: int = 100) -> list[dict]:
        """Snapshots ``{id, name, coordinator_id, taken_at, created_by}`` newest first."""
        return [dict(r.items()) for r in self._query("snapshots_list", limit=max(int(limit), 0))]

    def get_snapshot(self, snapshot_id: int) -> dict | None:
        """One snapshot with its ``metrics``, or ``None``."""
        try:
            snapshot_id = int(snapshot_id)
        except (TypeError, ValueError):
            return None
        rows = self._query("snapshot_get", id=snapshot_id)
        if not rows:
            return None
        props = rows[0]["snapshot"]
        record = {k: props.get(k) for k in SNAPSHOT_KEYS}
        record["metrics"] = _loads(record["metrics"], {})
        return record

    # access: sensitive actors and ties --------------------------------------------------
    def access_entries(self) -> dict[str, dict]:
        """Every protected record: ``{entity_id: {"entity_type", "visible_to", "set_at", "set_by"}}``."""
        return {r["entry"]["entity_id"]: _access(r["entry"]) for r in self._query("access_entries")}

    def set_access(self, entity_type: str, entity_id: str, visible_to: list[str] | None, *, by: str) -> dict | None:
        """Protect a record (only admins and ``visible_to`` user names see it) or, with ``None``, unprotect it.

        Returns the access entry (``None`` once unprotected). Raises NotFound for an unknown record.
        The change is kept in the record's history, so ``revision()`` moves.
        """
        return self._write(lambda w: self._set_access_in(w, entity_type, entity_id, visible_to, by))

    @staticmethod
    def _set_access_in(w: "_Work", entity_type: str, entity_id: str, visible_to: list[str] | None, by: str) -> dict | None:
        found = w.actor(entity_id) if entity_type == "actor" else w.tie(entity_id)
        if found is None:
            raise NotFound(f"no {entity_type} with id {entity_id!r}")
        rows = w.run("access_get", id=entity_id)
        before = _access(rows[0]["entry"]) if rows else None
        after = None
        if visible_to is None:
            w.run("access_remove", id=entity_id)
        else:
            after = {"entity_id": entity_id, "entity_type": entity_type, "visible_to": list(visible_to),
                     "set_at": now_iso(), "set_by": by}
            w.run("access_put", rows=[after])
        w.history(entity_type, entity_id, "access", by, access_state(before), access_state(after))
        return after

    # whole-store dump (backup / restore / copy between stores) ----------------------------
    def export_records(self) -> dict:
        """``{"actors", "ties", "history", "users", "tokens", "audit", "access"}``: every record,
        deleted ones included (actors, ties, users, tokens by id; history and audit by sequence),
        read in one transaction; also, where there are any, ``sync_sources``, ``sync_records``,
        ``actor_merges`` and ``analytics_snapshots``. The same shapes as the SQLite store's, so a
        dump moves between stores both ways unchanged."""

        def work(w: _Work) -> dict:
            extra = {
                "sync_sources": [{**r["source"], "files": list(r["source"].get("files") or [])}
                                 for r in w.run("export_sync_sources")],
                "sync_records": [{**{k: r["record"].get(k) for k in SYNC_RECORD_KEYS},
                                  "data": _loads(r["record"].get("data"), {})} for r in w.run("export_sync_records")],
                "actor_merges": [{k: r["merge"].get(k) for k in ("merged_id", "into_id", "at", "by")}
                                 for r in w.run("export_actor_merges")],
                "analytics_snapshots": [{**{k: r["snapshot"].get(k) for k in SNAPSHOT_KEYS},
                                         "metrics": _loads(r["snapshot"].get("metrics"), {})}
                                        for r in w.run("export_snapshots")],
            }
            return {**{k: v for k, v in extra.items() if v}, **self._core_records(w)}

        return self._read(work)

    @staticmethod
    def _core_records(w: "_Work") -> dict:
        return {
            "actors": [_actor(r["actor"]) for r in w.run("export_actors")],
            "ties": [_tie(r["tie"]) for r in w.run("export_ties")],
            "history": [_history(r["entry"]) for r in w.run("export_history")],
            "users": [_user(r["user"]) for r in w.run("export_users")],
            "tokens": [_token(r["token"]) for r in w.run("export_tokens")],
            "audit": [_audit(r["entry"]) for r in w.run("export_audit")],
            "access": [_access(r["entry"]) for r in w.run("access_entries")],
        }

    def import_records(self, records: dict) -> None:
        """Load an :meth:`export_records` dump (from either store) into this EMPTY store exactly:
        ids, timestamps, history and audit sequence numbers, in one transaction.

        Raises :class:`Conflict` when the store already holds actors or users, and
        :class:`ValidationError` when a tie names an actor missing from the dump.
        """
        check_dump(records)

        def work(w: _Work) -> None:
            if not w.value("store_is_empty", "empty"):
                raise Conflict("the store is not empty; restore into a new, empty store")
            for chunk in _chunks([_actor_props(a) for a in records.get("actors", [])]):
                w.run("actor_upsert", rows=chunk)
            ties = [{"source_id": t["source_id"], "target_id": t["target_id"], "props": _tie_props(t)}
                    for t in records.get("ties", [])]
            for chunk in _chunks(ties):
                if w.value("tie_create", "written", rows=chunk) != len(chunk):
                    raise ValidationError([{"field": "ties", "message": "a tie names an actor that is not in the dump"}])
            history = [
                {"seq": h["id"], "entity_type": h["entity_type"], "entity_id": h["entity_id"], "action": h["action"],
                 "at": h["at"], "by": h["by"],
                 "before": None if h["before"] is None else _dumps(h["before"]),
                 "after": None if h["after"] is None else _dumps(h["after"])}
                for h in records.get("history", [])
            ]
            for chunk in _chunks(history):
                w.run("history_append", rows=chunk)
            users = [{**{k: u.get(k) for k in USER_KEYS}, "username_key": _nocase(u["username"])}
                     for u in records.get("users", [])]
            for chunk in _chunks(users):
                w.run("users_import", rows=chunk)
            tokens = [{**{k: t.get(k) for k in TOKEN_KEYS}, "scopes": list(t.get("scopes") or DEFAULT_SCOPES)}
                      for t in records.get("tokens", [])]
            for chunk in _chunks(tokens):
                w.run("tokens_import", rows=chunk)
            audit = [{**{k: e.get(k) for k in AUDIT_KEYS}, "detail": _dumps(e.get("detail") or {})}
                     for e in records.get("audit", [])]
            for chunk in _chunks(audit):
                w.run("audit_import", rows=chunk)
            access = [{k: e[k] for k in ACCESS_KEYS} for e in records.get("access", [])]
            for chunk in _chunks(access):
                w.run("access_put", rows=chunk)
            w.run("sequence_raise", name="history", value=max((h["seq"] for h in history), default=0))
            w.run("sequence_raise", name="audit", value=max((e["seq"] for e in audit), default=0))
            self._import_sync_records(w, records)

        try:
            self._write(work)
        except neo4j_errors.ConstraintError as exc:
            raise Conflict(f"the dump repeats an id: {exc.message}") from None

    @staticmethod
    def _import_sync_records(w: "_Work", records: dict) -> None:
        """Sync sources and records, merges and snapshots of a dump (as the SQLite store keeps them)."""
        sections = (
            ("sync_sources_import", [{**s, "files": list(s.get("files") or [])} for s in records.get("sync_sources", [])]),
            ("sync_records_import", [{**{k: r.get(k) for k in SYNC_RECORD_KEYS}, "data": _dumps(r.get("data") or {})}
                                     for r in records.get("sync_records", [])]),
            ("actor_merges_import", [{k: m.get(k) for k in ("merged_id", "into_id", "at", "by")}
                                     for m in records.get("actor_merges", [])]),
            ("snapshots_import", [{**{k: n.get(k) for k in SNAPSHOT_KEYS}, "metrics": _dumps(n.get("metrics") or {})}
                                  for n in records.get("analytics_snapshots", [])]),
        )
        for query, rows in sections:
            for chunk in _chunks(rows):
                w.run(query, rows=chunk)
        snapshots = records.get("analytics_snapshots", [])
        w.run("sequence_raise", name="snapshot", value=max((n["id"] for n in snapshots), default=0))

    # users and tokens ---------------------------------------------------------------------
    def create_user(self, username: str, password_hash: str | None, role: str, *, by: str) -> dict:
        """A new user ``{id, username, password_hash, role, created_at, created_by, disabled_at}``.

        Raises :class:`Conflict` if the name is taken (ASCII case ignored, like SQLite NOCASE),
        :class:`ValidationError` for a role other than viewer/editor/admin.
        """
        if role not in USER_ROLES:
            raise ValidationError([{"field": "role", "message": f"must be one of {', '.join(USER_ROLES)}"}])
        user = {"id": uuid.uuid4().hex, "username": username, "password_hash": password_hash, "role": role,
                "created_at": now_iso(), "created_by": by, "disabled_at": None, "session_epoch": 0}
        try:
            self._query("user_create", write=True, props={**user, "username_key": _nocase(username)})
        except neo4j_errors.ConstraintError:
            raise Conflict(f"a user named {username!r} already exists") from None
        return user

    def get_user(self, user_id: str) -> dict | None:
        rows = self._query("user_get", id=user_id)
        return _user(rows[0]["user"]) if rows else None

    def get_user_by_name(self, username: str) -> dict | None:
        """The user with this name, ASCII case ignored; ``None`` if none."""
        rows = self._query("user_by_name", key=_nocase(username))
        return _user(rows[0]["user"]) if rows else None

    def list_users(self) -> list[dict]:
        """All users ordered by name (ASCII case ignored)."""
        return [_user(r["user"]) for r in self._query("users_list")]

    def set_user(self, user_id: str, changes: dict) -> dict:
        """Change ``password_hash``, ``role`` or ``disabled_at``; returns the user.

        ValueError for other keys, NotFound for an unknown user.
        """
        allowed = {"password_hash", "role", "disabled_at", "session_epoch"}
        bad = set(changes) - allowed
        if bad:
            raise ValueError(f"cannot change {sorted(bad)}")
        if "role" in changes and changes["role"] not in USER_ROLES:
            raise ValidationError([{"field": "role", "message": f"must be one of {', '.join(USER_ROLES)}"}])
        rows = self._query("user_set", write=True, id=user_id, changes=dict(changes))
        if not rows:
            raise NotFound(f"no user with id {user_id!r}")
        return _user(rows[0]["user"])

    def create_token(self, user_id: str, name: str, token_hash: str, *, expires_at: str | None,
                     scopes: list[str] | None = None) -> dict:
        """A new API token ``{id, user_id, name, token_hash, created_at, expires_at, revoked_at, scopes}``.

        ``scopes`` default to ``["read", "write", "import"]``. NotFound for an unknown user;
        Conflict if the hash is already stored.
        """
        token = {"id": uuid.uuid4().hex, "user_id": user_id, "name": name, "token_hash": token_hash,
                 "created_at": now_iso(), "expires_at": expires_at, "revoked_at": None,
                 "scopes": list(scopes or DEFAULT_SCOPES)}
        try:
            rows = self._query("token_create", write=True, user_id=user_id, props=token)
        except neo4j_errors.ConstraintError:
            raise Conflict("a token with this hash already exists") from None
        if not rows:
            raise NotFound(f"no user with id {user_id!r}")
        return token

    def list_tokens(self, user_id: str | None = None) -> list[dict]:
        """Token records without ``token_hash``, newest first; only ``user_id``'s when given."""
        return [
            {k: v for k, v in _token(r["token"]).items() if k != "token_hash"}
            for r in self._query("tokens_list", user_id=user_id or None)
        ]

    def get_token_by_hash(self, token_hash: str) -> dict | None:
        """The token with this hash (revoked or expired ones too; the caller checks), or ``None``."""
        rows = self._query("token_by_hash", token_hash=token_hash)
        return _token(rows[0]["token"]) if rows else None

    def revoke_token(self, token_id: str) -> None:
        """Set ``revoked_at`` once; an unknown or already revoked token is left as it is."""
        self._query("token_revoke", write=True, id=token_id, now=now_iso())

    # audit log ----------------------------------------------------------------------------
    def audit(self, actor: str, action: str, target: str | None = None, detail: dict | None = None,
              ip: str | None = None) -> None:
        """Append ``{seq, at, actor, action, target, detail, ip}`` (``queries/audit_append.cypher``).

        No method of the store changes or removes an entry; ``seq`` comes from a counter node
        (locked while the entry is written) and ``hash`` chains the entry to the one before
        (:func:`common.audit_hash`), so a change made around the store shows in ``audit --verify``.
        """

        def work(w: _Work) -> None:
            row = w.run("audit_next")[0]
            entry = {"seq": row["seq"], "at": now_iso(), "actor": actor, "action": action, "target": target,
                     "detail": detail or {}, "ip": ip}
            w.run("audit_append", props={**entry, "detail": _dumps(entry["detail"]), "hash": audit_hash(row["prev"], entry)})

        self._write(work)

    def audit_chain_start(self) -> int:
        """0: every audit entry of a Neo4j store is hash-chained (it was, from the first)."""
        return 0

    def list_audit(self, *, since: str | None = None, action: str | None = None, limit: int = 100,
                   offset: int = 0) -> tuple[list[dict], int]:
        """``(entries, total)``: audit entries newest first, from ``since`` (ISO time) and of ``action``."""
        rows = self._query("audit_list", since=since or None, action=action or None,
                           offset=max(int(offset), 0), limit=max(int(limit), 0))
        row = rows[0]
        entries = [_audit(e) for e in row["entries"]]
        return entries, row["total"]
