"""The ``GraphStore`` protocol: what every store (SQLite, Neo4j) provides.

Shapes
------
An *actor* is a dict with keys ``id, name, kind, aliases (list[str]), description,
tags (list[str]), country, city, contact_details (list[{type, value, label?}]),
attributes (dict), source, created_at, created_by, updated_at, updated_by, deleted_at``.
A *tie* is a dict with ``id, source_id, target_id, type, label, directed (bool),
strength (int 1-5 | None), since, until, last_contact (ISO dates | None), source,
description, attributes, created_at, created_by, updated_at, updated_by, deleted_at``.
Timestamps are ISO 8601 UTC strings. Deletion is soft: ``deleted_at`` is set and the record is
hidden from reads unless ``include_deleted``. Every change appends a history entry
``{id, entity_type, entity_id, action, at, by, before, after}``.

Errors: :class:`~graph_service.errors.NotFound`, :class:`~graph_service.errors.Conflict`
(duplicate id), :class:`~graph_service.errors.ValidationError` and
:class:`~graph_service.errors.StoreUnavailable`. A failed write changes nothing.
"""
from __future__ import annotations

from typing import Any, Collection, Iterable, Protocol, runtime_checkable


@runtime_checkable
class GraphStore(Protocol):
    """Store contract shared by :mod:`.sqlite` and :mod:`.neo4j`; one contract test suite checks both."""

    name: str  # "sqlite" or "neo4j"

    # lifecycle ---------------------------------------------------------------------------
    def init_schema(self) -> None:
        """Create tables/constraints idempotently (migrations on SQLite, constraints on Neo4j)."""

    def ping(self) -> None:
        """Raise :class:`StoreUnavailable` if the store cannot answer a trivial query."""

    def close(self) -> None: ...

    def describe(self) -> str:
        """One line naming the store and where it lives (path or URI), for the CLI and logs."""

    # actors -------------------------------------------------------------------------------
    def get_actor(self, actor_id: str, *, include_deleted: bool = False) -> dict | None: ...

    def list_actors(
        self,
        *,
        kind: str | None = None,
        tag: str | None = None,
        city: str | None = None,
        q: str | None = None,
        limit: int = 50,
        offset: int = 0,
        include_deleted: bool = False,
        exclude: Collection[str] = (),
    ) -> tuple[list[dict], int]:
        """Actors matching all filters, ordered by name then id, and the total before paging.

        ``q`` matches the folded name or an alias as a substring (case and accents ignored);
        ids in ``exclude`` (protected actors the caller may not see) are left out of both.
        """

    def find_actors_by_name(self, name: str, *, exclude: Collection[str] = ()) -> list[dict]:
        """Live actors whose folded name or alias equals the folded ``name`` (ids in ``exclude`` left out)."""

    def create_actor(self, actor: dict, *, by: str, visible_to: list[str] | None = None) -> dict:
        """Insert a validated actor (id generated from the name if absent). Conflict on a used id.
        With ``visible_to`` it is protected in the same transaction (see :meth:`set_access`)."""

    def update_actor(self, actor_id: str, changes: dict, *, by: str) -> dict:
        """Apply changed fields; ``updated_at`` does not move when nothing changed."""

    def delete_actor(self, actor_id: str, *, by: str) -> None:
        """Soft-delete an actor and its live ties."""

    def restore_actor(self, actor_id: str, *, by: str) -> dict:
        """Undo a soft deletion of the actor and of the ties deleted with it whose other end is live.
        NotFound if unknown, Conflict if not deleted; history records ``restore``."""

    def erase_personal_data(self, actor_id: str, *, by: str) -> dict:
        """Empty a person's personal fields (name -> "Erased person"), keep id, kind and ties, and drop
        the values from every history entry of the actor. ``{actor, history_entries_erased}``."""

    # ties ---------------------------------------------------------------------------------
    def get_tie(self, tie_id: str, *, include_deleted: bool = False) -> dict | None: ...

    def list_ties(
        self,
        *,
        actor_id: str | None = None,
        type: str | None = None,
        limit: int = 100,
        offset: int = 0,
        include_deleted: bool = False,
        exclude: Collection[str] = (),
    ) -> tuple[list[dict], int]:
        """Ties by id and their total; a tie whose id or either end is in ``exclude`` is left out."""

    def create_tie(self, tie: dict, *, by: str, visible_to: list[str] | None = None) -> dict:
        """Insert a validated tie; NotFound if either end is missing or deleted. ``visible_to``: as
        for :meth:`create_actor`."""

    def update_tie(self, tie_id: str, changes: dict, *, by: str) -> dict: ...

    def delete_tie(self, tie_id: str, *, by: str) -> None: ...

    # batches ------------------------------------------------------------------------------
    def apply_batch(self, actors: Iterable[dict], ties: Iterable[dict], *, by: str) -> dict:
        """Upsert actors then ties (by id) in ONE transaction: all or nothing.

        Returns ``{"actors": {"created": n, "updated": n, "unchanged": n}, "ties": {...}}``.
        """

    # graph queries ------------------------------------------------------------------------
    def ego_network(self, actor_id: str, depth: int = 1, *, exclude: Collection[str] = ()) -> dict:
        """``{"actors": [...], "ties": [...]}``: actors within ``depth`` hops (ties usable in either
        direction) and the live ties among them. NotFound for an unknown centre. Actor and tie ids
        in ``exclude`` are neither walked through nor returned (a hidden centre is NotFound)."""

    def shortest_path(self, from_id: str, to_id: str, *, max_depth: int = 6,
                      exclude: Collection[str] = ()) -> list[dict] | None:
        """The who-knows-whom path as ``[{"actor": a, "tie": t_or_None}, ...]`` (the tie is the one
        joining the previous step), ties usable either way. Among equally short paths, the one
        whose actor-id sequence sorts first; between a pair, the strongest tie (then lowest id).
        ``None`` when no path within ``max_depth`` hops. ``exclude``: as for :meth:`ego_network`."""

    def projection(self) -> tuple[list[dict], list[dict]]:
        """All live actors and ties (no contact details), for analytics and views."""

    def stats(self) -> dict:
        """``{"actors": {kind: n}, "ties": {type: n}, "actors_total": n, "ties_total": n}``."""

    def history(self, entity_id: str) -> list[dict]:
        """History entries for an actor or tie, oldest first."""

    # analytics ----------------------------------------------------------------------------
    def revision(self) -> int:
        """A number that changes whenever an actor or tie changes (SQLite: the last history seq).

        Cheap to call on every request: the analytics keep their in-memory projection until it
        moves (see :mod:`graph_service.analytics.projection`)."""

    def save_snapshot(self, snapshot: dict, *, by: str) -> dict:
        """Keep an analytics snapshot ``{"name", "coordinator_id", "metrics": {...}}``; returns it
        with ``id`` (int, increasing), ``taken_at`` (ISO UTC) and ``created_by`` added."""

    def list_snapshots(self, *, limit: int = 100) -> list[dict]:
        """Snapshots newest first, without their ``metrics``."""

    def get_snapshot(self, snapshot_id: int) -> dict | None:
        """One snapshot with its ``metrics``, or ``None``."""

    # access: sensitive actors and ties ------------------------------------------------------
    def access_entries(self) -> dict[str, dict]:
        """Every protected record: ``{entity_id: {"entity_id", "entity_type": "actor"|"tie",
        "visible_to": [user names], "set_at", "set_by"}}``. Who may see what is decided in
        :mod:`graph_service.services.access`, not in the store."""

    def set_access(self, entity_type: str, entity_id: str, visible_to: list[str] | None, *, by: str) -> dict | None:
        """Protect a record (visible to admins and the ``visible_to`` user names only) or, with
        ``None``, unprotect it. Kept in the record's history (action ``access``). NotFound if unknown."""

    # whole-store dump ---------------------------------------------------------------------
    def export_records(self) -> dict:
        """``{"actors", "ties", "history", "users", "tokens", "audit", "access"}``: every record,
        deleted ones included, each list in a fixed order (ids; history and audit by sequence)."""

    def import_records(self, records: dict) -> None:
        """Load an :meth:`export_records` dump into an empty store exactly (ids, timestamps, history).
        One transaction; Conflict if the store is not empty."""

    # users and tokens ---------------------------------------------------------------------
    def create_user(self, username: str, password_hash: str | None, role: str, *, by: str) -> dict: ...

    def get_user(self, user_id: str) -> dict | None: ...

    def get_user_by_name(self, username: str) -> dict | None: ...

    def list_users(self) -> list[dict]: ...

    def set_user(self, user_id: str, changes: dict[str, Any]) -> dict: ...

    def create_token(
        self, user_id: str, name: str, token_hash: str, *, expires_at: str | None, scopes: list[str] | None = None
    ) -> dict:
        """A token record ``{id, user_id, name, token_hash, created_at, expires_at, revoked_at, scopes}``;
        ``scopes`` default to ``["read", "write", "import"]``."""

    def list_tokens(self, user_id: str | None = None) -> list[dict]:
        """Token records without ``token_hash``, newest first."""

    def get_token_by_hash(self, token_hash: str) -> dict | None: ...

    def revoke_token(self, token_id: str) -> None: ...

    # audit log (append-only) ----------------------------------------------------------------
    def audit(self, actor: str, action: str, target: str | None = None, detail: dict | None = None, ip: str | None = None) -> None:
        """Append ``{seq, at, actor, action, target, detail, ip}``; entries are never changed or removed."""

    def audit_chain_start(self) -> int:
        """The last audit sequence number written before entries were hash-chained (0: all are)."""

    def list_audit(
        self, *, since: str | None = None, action: str | None = None, limit: int = 100, offset: int = 0
    ) -> tuple[list[dict], int]:
        """Audit entries newest first and their total."""


@runtime_checkable
class SyncStore(GraphStore, Protocol):
    """What spreadsheet sync, merging and fast imports need beyond :class:`GraphStore`.

    Both the SQLite and the Neo4j store implement it; a store without it still imports (through ``apply_batch``
    and one-by-one reads) but cannot report rows missing since a source's last sync, mark them
    inactive, or merge actors. Sync records: ``{source, entity_type ("actor"|"tie"), entity_id,
    file, sheet, row, first_seen_at, last_seen_at, last_seen_by, missing_since, data}`` where
    ``data`` is what the source provided for multi-valued fields
    (``{aliases, tags, contact_details, attributes: [keys]}``).
    """

    def get_actors(self, ids: list[str]) -> dict[str, dict]:
        """``{id: actor}`` for the ids that exist, deleted ones included (one round trip)."""

    def get_ties(self, ids: list[str]) -> dict[str, dict]:
        """``{id: tie}`` for the ids that exist, deleted ones included (one round trip)."""

    def actor_index(self) -> list[dict]:
        """Every actor, deleted too: ``{id, name, kind, aliases, name_folded, aliases_folded,
        emails (lower-case), orgs (folded names of live works_for/member_of targets), deleted_at,
        merged_into (id or None), sources (names of sync sources that had it)}``."""

    def find_ties(self, triples: list[tuple[str, str, str]]) -> list[dict]:
        """Live ties joining ``(source_id, target_id, type)``; a mutual tie matches either way round."""

    def sync_records(self, source: str) -> list[dict]:
        """The sync records of one source."""

    def sync_sources(self) -> list[dict]:
        """``[{name, format, files, first_sync_at, last_sync_at, last_sync_by, syncs}]``."""

    def provenance(self, entity_id: str) -> list[dict]:
        """The sync records of one actor or tie in every source, oldest first."""

    def inactive_ids(self) -> dict[str, set[str]]:
        """``{"actors": ids, "ties": ids}``: records missing from every source that had them."""

    def apply_sync(self, actors: Iterable[dict], ties: Iterable[dict], *, sync: dict, by: str, workers: int = 1,
                   new_ids: Iterable[str] = ()) -> dict:
        """``apply_batch`` plus the sync bookkeeping, in ONE transaction. ``new_ids``: the actors
        the batch creates (new when planned): one the store has after all refuses the batch
        (ValidationError) unless it is plainly the one meant (:func:`~.common.refuse_taken`), as
        updating it could merge two actors. ``sync``:
        ``{source, format, files, at, seen: [{entity_type, entity_id, file, sheet, row, data}],
        missing: [{entity_type, entity_id}]}``. Missing records get ``missing_since`` and an
        ``inactive`` history entry; seen ones that were missing a ``reactivate`` entry.
        ``workers``: processes the store may fork to prepare a big batch (single-threaded callers only)."""

    def merge_actors(self, keep_id: str, gone_id: str, *, by: str) -> dict:
        """Merge ``gone_id`` into ``keep_id`` in ONE transaction: values united, ties moved (loops
        and repeats deleted with history), sync records re-pointed, ``gone`` soft-deleted with a
        ``merged`` history entry and remembered so imports naming it find ``keep``.
        Returns ``{kept, merged, ties_moved, ties_folded}``."""
