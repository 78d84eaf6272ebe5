"""The embedded store: one SQLite file (WAL, foreign keys, numbered migrations).

Each thread gets its own connection; writes go through one lock and ``BEGIN IMMEDIATE`` so a
failed write rolls back whole. See :mod:`graph_service.store.base` for shapes and errors.
"""
from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import orjson

from ..errors import Conflict, NotFound, StoreUnavailable, ValidationError
from ..forked import ForkedCall, ForkedStep
from ..model import fold, new_actor_id, now_iso
from .common import (
    ACTOR_DATA_FIELDS,
    TIE_DATA_FIELDS,
    best_tie,
    bidirectional_shortest_path,
    changed_fields,
    check_dump,
    access_state,
    audit_hash,
    check_tie_dates,
    merge_changes,
    refuse_taken,
    unique_id,
)

_JSON_ACTOR = ("aliases", "tags", "contact_details", "attributes")
_JSON_TIE = ("attributes",)
# What a new record holds where nothing is given. The history entry of a record created by a bulk
# insert keeps only what differs from these (a third of the bytes of a 100,000-row import); the
# id, times and author are those of the history row itself. :func:`_history_row` puts them back.
_NEW_ACTOR = {"aliases": [], "tags": [], "contact_details": [], "attributes": {}, "description": "", "country": "",
              "city": "", "source": ""}
_NEW_TIE = {"label": "", "directed": True, "strength": None, "since": None, "until": None, "last_contact": None,
            "source": "", "description": "", "attributes": {}}


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
_ORJSON = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def _dumps(value: Any) -> str:
    """Compact JSON with sorted keys. orjson (about 7x faster than the json module: a 100,000-row
    import writes 600,000 JSON values); the json module for what orjson refuses (huge integers)."""
    if not value and value.__class__ in (list, dict):  # most lists and objects of an import row are empty
        return "[]" if value.__class__ is list else "{}"
    try:
        return orjson.dumps(value, option=_ORJSON).decode()
    except TypeError:
        return _ENCODER.encode(value)


def _loads(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # e.g. integers beyond 64 bits written by the json module
        return json.loads(text)


def _actor_values(a: dict) -> tuple:
    """The data columns of the ``actors`` row of an actor ``a`` with every data field (:data:`_ACTOR_COLUMNS`)."""
    aliases = a["aliases"]
    return (a["id"], a["name"], fold(a["name"]), _dumps([fold(x) for x in aliases]) if aliases else "[]", a["kind"],
            _dumps(aliases), a["description"], _dumps(a["tags"]), a["country"], a["city"], _dumps(a["contact_details"]),
            _dumps(a["attributes"]), a["source"])


def _tie_values(t: dict) -> tuple:
    """The data columns of the ``ties`` row of a tie ``t`` with every data field (:data:`_TIE_COLUMNS`)."""
    return (t["id"], t["source_id"], t["target_id"], t["type"], t["label"] or "", int(bool(t["directed"])), t["strength"],
            t["since"], t["until"], t["last_contact"], t["source"] or "", t["description"] or "",
            _dumps(t["attributes"] or {}))


_ACTOR_COLUMNS = ("id", "name", "name_folded", "aliases_folded", "kind", "aliases", "description", "tags", "country",
                  "city", "contact_details", "attributes", "source")
_TIE_COLUMNS = ("id", "source_id", "target_id", "type", "label", "directed", "strength", "since", "until", "last_contact",
                "source", "description", "attributes")


def _created_after_sql(fields: dict[str, tuple[str, str | None]]) -> str:
    """SQL giving the ``after`` of a row's ``create`` history entry, from the row's own data columns
    (no per-row Python: a third of the time of a bulk insert).

    ``fields``: data field -> (SQL giving its JSON text, SQL condition under which it holds the
    default and is left out). The entry's ``after`` is the JSON object of the fields in sorted
    order, as :func:`_dumps` writes it, minus the defaults (:func:`_history_row` puts them back);
    it is joined as text (the JSON columns hold JSON already, ``json_quote`` writes the strings):
    three times faster than building it with ``json_object`` and ``json_remove``.
    """
    members = " || ".join(
        f"',\"{f}\":' || {value}" if cond is None else f"CASE WHEN {cond} THEN '' ELSE ',\"{f}\":' || {value} END"
        for f, (value, cond) in sorted(fields.items()))
    # every entry has a field without a default, so the text after '{' starts with a comma to drop
    return f"'{{' || substr({members}, 2) || '}}'"


def _created_history_sql(entity_type: str, after: str) -> str:
    """SQL writing the ``create`` history entries of the rows of a table with ``rowid > ?``
    (``after``: :func:`_created_after_sql`)."""
    table = "actors" if entity_type == "actor" else "ties"
    return (f"INSERT INTO history (entity_type, entity_id, action, at, by, before, after)"
            f" SELECT '{entity_type}', id, 'create', created_at, created_by, NULL, {after}"
            f" FROM {table} WHERE rowid > ? ORDER BY rowid")


# The defaults left out match _NEW_ACTOR and _NEW_TIE.
_ACTOR_AFTER_SQL = _created_after_sql({
    "name": ("json_quote(name)", None), "kind": ("json_quote(kind)", None), "aliases": ("aliases", "aliases = '[]'"),
    "tags": ("tags", "tags = '[]'"), "contact_details": ("contact_details", "contact_details = '[]'"),
    "attributes": ("attributes", "attributes = '{}'"), "description": ("json_quote(description)", "description = ''"),
    "country": ("json_quote(country)", "country = ''"), "city": ("json_quote(city)", "city = ''"),
    "source": ("json_quote(source)", "source = ''"),
})
_TIE_AFTER_SQL = _created_after_sql({
    "source_id": ("json_quote(source_id)", None), "target_id": ("json_quote(target_id)", None),
    "type": ("json_quote(type)", None), "label": ("json_quote(label)", "label = ''"),
    "directed": ("'false'", "directed = 1"), "strength": ("strength", "strength IS NULL"),
    "since": ("json_quote(since)", "since IS NULL"), "until": ("json_quote(until)", "until IS NULL"),
    "last_contact": ("json_quote(last_contact)", "last_contact IS NULL"), "source": ("json_quote(source)", "source = ''"),
    "description": ("json_quote(description)", "description = ''"), "attributes": ("attributes", "attributes = '{}'"),
})


@dataclass(frozen=True)
class _Table:
    """How a new record of ``actors`` or ``ties`` is written: its data columns, the function giving
    them from a record with every data field, the SQL giving its ``create`` history entry's
    ``after`` from those columns (:func:`_created_after_sql`)."""

    name: str
    entity_type: str
    columns: tuple[str, ...]
    fields: tuple[str, ...]
    values: Callable[[dict], tuple]
    after: str
    defaults: dict  # what a new record holds where nothing is given

    @property
    def history(self) -> str:
        """SQL writing the ``create`` history entries of the rows after rowid ``?``."""
        return _created_history_sql(self.entity_type, self.after)

    def new_values(self, record: dict) -> tuple:
        """The data columns of a new record (its missing data fields at their defaults)."""
        return self.values({**self.defaults, **record})

    @property
    def insert(self) -> str:
        """``INSERT`` of one row: the data columns, then created/updated at and by."""
        names = ", ".join((*self.columns, "created_at", "created_by", "updated_at", "updated_by"))
        return f"INSERT INTO {self.name} ({names}) VALUES ({', '.join('?' * (len(self.columns) + 4))})"


_ACTORS = _Table("actors", "actor", _ACTOR_COLUMNS, ACTOR_DATA_FIELDS, _actor_values, _ACTOR_AFTER_SQL, _NEW_ACTOR)
_TIES = _Table("ties", "tie", _TIE_COLUMNS, TIE_DATA_FIELDS, _tie_values, _TIE_AFTER_SQL, _NEW_TIE)
_TABLES = {t.name: t for t in (_ACTORS, _TIES)}


def _history_row(r: sqlite3.Row) -> dict:
    """A history row as the store returns it: a compact creation entry (no ``id`` in ``after``,
    see :func:`_created_history_sql`) is completed with the defaults and the row's entity id, time and author,
    so every reader sees the whole record as it was created."""
    after = json.loads(r["after"]) if r["after"] else None
    if r["action"] == "create" and isinstance(after, dict) and "id" not in after:
        defaults = (_ACTORS if r["entity_type"] == "actor" else _TIES).defaults
        after = {**defaults, **after, "id": r["entity_id"], "created_at": r["at"], "created_by": r["by"],
                 "updated_at": r["at"], "updated_by": r["by"], "deleted_at": None}
    return {"id": r["seq"], "entity_type": r["entity_type"], "entity_id": r["entity_id"], "action": r["action"],
            "at": r["at"], "by": r["by"], "before": json.loads(r["before"]) if r["before"] else None, "after": after}


# below this many sync records, forking a process to stage them costs more than it saves
_FORKED_STAGING = 20_000


def _seen_rows(seen: list[dict]) -> list[tuple]:
    """The ``seen_records`` staging rows of a sync's seen records, in key order."""
    return sorted(((s["entity_type"], s["entity_id"], s.get("file"), s.get("sheet"), s.get("row"), _dumps(s.get("data") or {}))
                   for s in seen), key=itemgetter(0, 1))


def _stage_seen(conn: sqlite3.Connection, schema: str, rows: list[tuple]) -> None:
    """Write the staging rows into ``schema.seen_records`` (no constraints, no index: cheap to fill)."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.seen_records (entity_type, entity_id, file, sheet, row, data)")
    conn.executemany(f"INSERT INTO {schema}.seen_records VALUES (?,?,?,?,?,?)", rows)


def _stage_rows(conn: sqlite3.Connection, schema: str, table: str, rows: list[tuple]) -> None:
    """Write new ``actors`` or ``ties`` rows (their data columns) into ``schema.new_<table>``."""
    columns = _TABLES[table].columns
    conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.new_{table} ({', '.join(columns)})")
    conn.executemany(f"INSERT INTO {schema}.new_{table} VALUES ({', '.join('?' * len(columns))})", rows)


@dataclass
class StagedRows:
    """Rows a forked child is staging: one step's result, a serialized in-memory database, loaded
    into the attached schema ``schema`` when first needed."""

    call: ForkedStep
    schema: str
    loaded: bool = False

    def load(self, conn: sqlite3.Connection) -> str:
        """The schema holding the staged rows (waits for the child the first time)."""
        if not self.loaded:
            conn.deserialize(self.call.result(), name=self.schema)
            self.loaded = True
        return self.schema


@dataclass
class Staged:
    """What one forked child stages for a sync, in two steps: the rows of its new records
    (``rows``: ``new_actors`` or ``new_ties``), then its seen records (``seen``), so that the
    writer copies the first while the child stages the second. ``ids``: the new actors staged
    ahead (:meth:`SQLiteStore.stage_ahead`), which the batch given to the writer leaves out;
    ``seen_count``: how many of the sync's seen records (the first ones) are staged;
    ``then``: a later step of the same child the caller gave it."""

    rows: StagedRows
    seen: StagedRows
    ids: set = field(default_factory=set)
    seen_count: int = 0
    then: ForkedStep | None = None

    @classmethod
    def fork(cls, table: str, new: Callable[[], list[dict]], seen: Callable[[], list[dict]], name: str,
             then: Callable[[], Any] | None = None, **kw) -> "Staged":
        """Fork the child: it stages ``new()`` (new records of ``table``) into schema ``name``, then
        ``seen()`` into ``name``_seen, then (at a lower priority) runs ``then``."""
        call = ForkedCall(lambda: _serialized_rows(table, new()), lambda: _serialized_seen(seen()),
                          *([then] if then else []), nice=(0, 0, 10))
        return cls(StagedRows(call.step(0), name), StagedRows(call.step(1), name + "_seen"),
                   then=call.step(2) if then else None, **kw)

    @property
    def schemas(self) -> tuple[str, str]:
        return self.rows.schema, self.seen.schema

    def cancel(self) -> None:
        """Stop the child (the batch is not applied, or no longer needs it)."""
        self.rows.call.cancel()

    def release(self) -> None:
        """The rows are no longer needed; the child goes on only for a step someone else waits for."""
        if self.then is None:
            self.cancel()


class _Once:
    """``fn()`` computed on the first call only (in each process: a forked child computes its own)."""

    def __init__(self, fn: Callable[[], Any]):
        self._fn, self._done, self._value = fn, False, None

    def __call__(self) -> Any:
        if not self._done:
            self._value, self._done = self._fn(), True
        return self._value


def _serialized_rows(table: str, records: list[dict]) -> bytes:
    """An in-memory database holding the rows of new ``actors`` or ``ties`` in id order (every data
    field of each record) and their ``create`` history entries' ``after`` (``created_<table>``),
    serialized (run in a forked child: building and binding 100,000 rows takes about 0.8 s of
    Python, building the entries a third of the time the writer would take copying the rows)."""
    spec = _TABLES[table]
    conn = sqlite3.connect(":memory:")
    try:
        _stage_rows(conn, "main", table, sorted(map(spec.new_values, records), key=itemgetter(0)))
        # and their history entries' ``after`` (the writer copies them instead of building them)
        conn.execute(f"CREATE TABLE main.created_{table} AS SELECT id, {spec.after} AS after FROM main.new_{table} ORDER BY rowid")
        return conn.serialize()
    finally:
        conn.close()


def _serialized_seen(seen: list[dict]) -> bytes:
    """An in-memory database holding the staging rows of a sync's seen records in key order, serialized."""
    conn = sqlite3.connect(":memory:")
    try:
        _stage_seen(conn, "main", _seen_rows(seen))
        return conn.serialize()
    finally:
        conn.close()


def _alongside(background: Callable[[], None], foreground: Callable[[], None]) -> None:
    """Run ``background`` (SQLite statements, which release the GIL while SQLite works) in a thread
    while ``foreground`` (Python work that uses no connection) runs in this one: on two cores the
    pair takes the time of the longer. Re-raises an error of either, after both have ended."""
    error: list[BaseException] = []

    def run() -> None:
        try:
            background()
        except BaseException as exc:  # handed to the caller below
            error.append(exc)

    thread = threading.Thread(target=run, name="sqlite-bulk-copy")
    thread.start()
    try:
        foreground()
    finally:
        thread.join()
    if error:
        raise error[0]


class SQLiteStore:
    """GraphStore on a SQLite file. ``path`` may be ``":memory:"`` only for throwaway use."""

    name = "sqlite"

    def __init__(self, path: str | Path, *, create: bool = True):
        """Open (``create``: make if missing, mode 600 as it holds personal data) the file at ``path``.

        Raises StoreUnavailable when the file is missing and ``create`` is false, or cannot be made.
        """
        self.path = str(path)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._connections: list[sqlite3.Connection] = []
        self._conn_lock = threading.Lock()
        if self.path != ":memory:":
            file = Path(self.path).expanduser()
            if not file.exists():
                if not create:
                    raise StoreUnavailable(
                        f"no database at {self.path}: load data first (graph-service demo or import), or set GRAPH_SERVICE_DB"
                    )
                try:
                    file.parent.mkdir(parents=True, exist_ok=True)
                    os.close(os.open(file, os.O_WRONLY | os.O_CREAT, 0o600))
                except OSError as exc:
                    raise StoreUnavailable(f"cannot create the database {self.path}: {exc.strerror}") from None
            elif file.is_dir():
                raise StoreUnavailable(f"{self.path} is a folder; GRAPH_SERVICE_DB must name a file")

    # lifecycle ---------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(
                    self.path, isolation_level=None, timeout=10, check_same_thread=False
                )
                conn.row_factory = sqlite3.Row
                # SQLite's lower() folds ASCII only; Python's folds every script, as Neo4j's toLower does
                conn.create_function("py_lower", 1, lambda v: v.lower() if isinstance(v, str) else v, deterministic=True)
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA busy_timeout = 10000")
                # overwrite deleted and replaced content with zeros, so an erased person's details
                # do not linger in free space of the file (https://sqlite.org/pragma.html#pragma_secure_delete)
                conn.execute("PRAGMA secure_delete = ON")
                # the rows a big batch stages (see _flush) hold personal data: never in a temp file
                conn.execute("PRAGMA temp_store = MEMORY")
                if self.path != ":memory:":
                    self._wal(conn)
                    conn.execute("PRAGMA synchronous = NORMAL")
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"cannot open SQLite database {self.path}: {exc}") from exc
            self._local.conn = conn
            with self._conn_lock:
                self._connections.append(conn)
        return conn

    @staticmethod
    def _unless_busy(conn: sqlite3.Connection, pragma: str) -> str | None:
        """Run ``pragma`` if no other connection stands in its way (no waiting); its answer, or
        None when another connection holds the file."""
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            row = conn.execute(pragma).fetchone()
            return str(row[0]) if row else ""
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            return None
        finally:
            conn.execute("PRAGMA busy_timeout = 10000")

    @classmethod
    def _wal(cls, conn: sqlite3.Connection) -> None:
        """WAL mode (readers never wait for a writer). Not possible while a big batch is written
        with the rollback journal (:meth:`_straight_to_file`), which sets it back when done: the
        connection reads meanwhile as the file is."""
        cls._unless_busy(conn, "PRAGMA journal_mode = WAL")

    def describe(self) -> str:
        return f"SQLite file {self.path}"

    def close(self) -> None:
        with self._conn_lock:
            for conn in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._connections.clear()
        self._local = threading.local()

    def ping(self) -> None:
        try:
            self._conn().execute("SELECT count(*) FROM schema_migrations").fetchone()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"SQLite database {self.path} is not usable: {exc}") from exc

    def init_schema(self) -> None:
        """Apply numbered migrations (``migrations/NNNN_*.sql``) not yet applied, each in a transaction.

        Raises StoreUnavailable when the file is not a usable SQLite database.
        """
        try:
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailable(f"{self.path} is not a usable SQLite database: {exc}") from None

    def _migrate(self) -> None:
        conn = self._conn()
        with self._write_lock:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
            files = sorted(
                (f for f in resources.files(__package__).joinpath("migrations").iterdir() if f.name.endswith(".sql")),
                key=lambda f: f.name,
            )
            for f in files:
                version = int(f.name.split("_", 1)[0])
                if version in done:
                    continue
                script = f.read_text(encoding="utf-8")
                # executescript commits on its own, so the migration is wrapped by hand.
                conn.executescript(
                    "BEGIN IMMEDIATE;\n" + script + f"\nINSERT INTO schema_migrations VALUES ({version}, '{f.name}', '{now_iso()}');\nCOMMIT;"
                )

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with self._write_lock:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(f"SQLite database is busy or read-only: {exc}") from exc
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                try:
                    conn.execute("COMMIT")
                except sqlite3.Error:
                    conn.execute("ROLLBACK")
                    raise

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._conn().execute(sql, tuple(params)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailable(f"SQLite read failed: {exc}") from exc

    # row mapping --------------------------------------------------------------------------
    @staticmethod
    def _actor(row: sqlite3.Row) -> dict:
        d = {k: row[k] for k in row.keys() if k not in ("name_folded", "aliases_folded")}
        for k in _JSON_ACTOR:
            d[k] = _loads(d[k])
        return d

    @staticmethod
    def _tie(row: sqlite3.Row) -> dict:
        d = {k: row[k] for k in row.keys()}
        d["directed"] = bool(d["directed"])
        d["attributes"] = _loads(d["attributes"])
        return d

    def _history(self, conn, entity_type, entity_id, action, by, before, after) -> None:
        conn.execute(
            "INSERT INTO history (entity_type, entity_id, action, at, by, before, after) VALUES (?,?,?,?,?,?,?)",
            (
                entity_type,
                entity_id,
                action,
                now_iso(),
                by,
                None if before is None else _dumps(before),
                None if after is None else _dumps(after),
            ),
        )

    # actors -------------------------------------------------------------------------------
    def get_actor(self, actor_id: str, *, include_deleted: bool = False) -> dict | None:
        rows = self._read("SELECT * FROM actors WHERE id = ?", (actor_id,))
        if not rows or (rows[0]["deleted_at"] and not include_deleted):
            return None
        return self._actor(rows[0])

    def list_actors(self, *, kind=None, tag=None, city=None, q=None, limit=50, offset=0, include_deleted=False, exclude=()):
        where, params = [], []
        if not include_deleted:
            where.append("deleted_at IS NULL")
        if exclude:
            where.append("id NOT IN (SELECT value FROM json_each(?))")
            params.append(_dumps(sorted(exclude)))
        if kind:
            where.append("kind = ?")
            params.append(kind)
        if tag:
            where.append("EXISTS (SELECT 1 FROM json_each(actors.tags) WHERE json_each.value = ?)")
            params.append(tag)
        if city:
            where.append("py_lower(city) = ?")
            params.append(city.strip().lower())
        if q:
            needle = fold(q)
            like = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append(
                "(name_folded LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM json_each(actors.aliases_folded)"
                " WHERE json_each.value LIKE ? ESCAPE '\\'))"
            )
            params += [like, like]
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = self._read(f"SELECT count(*) FROM actors{clause}", params)[0][0]
        order = "name_folded, id"
        if q:
            # exact names first, then prefixes, then the rest
            order = "(name_folded = ?) DESC, (name_folded LIKE ? ESCAPE '\\') DESC, name_folded, id"
            esc = fold(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params += [fold(q), esc + "%"]
        rows = self._read(f"SELECT * FROM actors{clause} ORDER BY {order} LIMIT ? OFFSET ?", params + [limit, offset])
        return [self._actor(r) for r in rows], total

    def find_actors_by_name(self, name: str, *, exclude=()) -> list[dict]:
        key = fold(name)
        rows = self._read(
            "SELECT * FROM actors WHERE deleted_at IS NULL AND (name_folded = ? OR EXISTS "
            "(SELECT 1 FROM json_each(actors.aliases_folded) WHERE json_each.value = ?))"
            " AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY id",
            (key, key, _dumps(sorted(exclude))),
        )
        return [self._actor(r) for r in rows]

    def _insert(self, conn, table: _Table, record: dict, by: str, deferred: list | None = None, now: str | None = None) -> dict:
        """Insert an actor or tie and its history entry; with ``deferred``, queue its row for
        :meth:`_flush`, which writes the history entries (``now``: the time of the batch, one for
        all its rows; ``record`` then has every data field)."""
        now = now or now_iso()
        if deferred is not None:
            deferred.append(table.values(record))
            return record
        record = {**{f: record.get(f) for f in table.fields}, "id": record["id"], "created_at": now, "created_by": by,
                  "updated_at": now, "updated_by": by, "deleted_at": None}
        conn.execute(table.insert, (*table.values(record), now, by, now, by))
        self._history(conn, table.entity_type, record["id"], "create", by, None, record)
        return record

    def _update_actor_row(self, conn, before: dict, changes: dict, by: str, action="update") -> dict:
        now = now_iso()
        after = {**before, **changes, "updated_at": now, "updated_by": by}
        conn.execute(
            "UPDATE actors SET name=?, name_folded=?, aliases_folded=?, kind=?, aliases=?, description=?, tags=?,"
            " country=?, city=?, contact_details=?, attributes=?, source=?, updated_at=?, updated_by=?, deleted_at=?"
            " WHERE id=?",
            (
                after["name"], fold(after["name"]), _dumps([fold(a) for a in after["aliases"]]), after["kind"],
                _dumps(after["aliases"]), after["description"], _dumps(after["tags"]), after["country"], after["city"],
                _dumps(after["contact_details"]), _dumps(after["attributes"]), after["source"], now, by,
                after.get("deleted_at"), after["id"],
            ),
        )
        self._history(conn, "actor", after["id"], action, by, before, after)
        return after

    def _actor_in(self, conn, actor_id: str) -> dict | None:
        row = conn.execute("SELECT * FROM actors WHERE id = ?", (actor_id,)).fetchone()
        return self._actor(row) if row else None

    def create_actor(self, actor: dict, *, by: str, visible_to: list[str] | None = None) -> dict:
        with self._write() as conn:
            record = self._create_actor_in(conn, actor, by)
            if visible_to is not None:
                self._set_access_in(conn, "actor", record["id"], visible_to, by)
            return record

    def _create_actor_in(self, conn, actor: dict, by: str) -> dict:
        if actor.get("id"):
            existing = self._actor_in(conn, actor["id"])
            if existing is not None:
                if existing["deleted_at"]:
                    raise Conflict(f"the id {actor['id']!r} belongs to a deleted actor; restore it"
                                   f" (POST /api/v1/actors/{actor['id']}/restore) or choose another id")
                raise Conflict(f"an actor with id {actor['id']!r} already exists")
            actor_id = actor["id"]
        else:
            actor_id = unique_id(new_actor_id(actor["name"], actor["kind"]), lambda i: self._actor_in(conn, i) is not None)
        return self._insert(conn, _ACTORS, {**actor, "id": actor_id}, by)

    def update_actor(self, actor_id: str, changes: dict, *, by: str) -> dict:
        with self._write() as conn:
            before = self._actor_in(conn, actor_id)
            if before is None or before["deleted_at"]:
                raise NotFound(f"no actor with id {actor_id!r}")
            diff = changed_fields(before, changes, ACTOR_DATA_FIELDS)
            if not diff:
                return before
            return self._update_actor_row(conn, before, diff, by)

    def delete_actor(self, actor_id: str, *, by: str) -> None:
        with self._write() as conn:
            before = self._actor_in(conn, actor_id)
            if before is None or before["deleted_at"]:
                raise NotFound(f"no actor with id {actor_id!r}")
            now = now_iso()
            for row in conn.execute(
                "SELECT * FROM ties WHERE deleted_at IS NULL AND (source_id = ? OR target_id = ?)", (actor_id, actor_id)
            ).fetchall():
                self._soft_delete_tie(conn, self._tie(row), by, now)
            conn.execute(
                "UPDATE actors SET deleted_at = ?, updated_at = ?, updated_by = ? WHERE id = ?", (now, now, by, actor_id)
            )
            self._history(conn, "actor", actor_id, "delete", by, before, {**before, "deleted_at": now})

    def restore_actor(self, actor_id: str, *, by: str) -> dict:
        """Undo a soft deletion: the actor and the ties deleted with it (whose other end is live).

        NotFound if there is no such actor; Conflict if it is not deleted.
        """
        with self._write() as conn:
            before = self._actor_in(conn, actor_id)
            if before is None:
                raise NotFound(f"no actor with id {actor_id!r}")
            if not before["deleted_at"]:
                raise Conflict(f"actor {actor_id!r} is not deleted")
            after = self._update_actor_row(conn, before, {"deleted_at": None}, by, "restore")
            rows = conn.execute(
                "SELECT t.* FROM ties t JOIN actors s ON s.id = t.source_id JOIN actors d ON d.id = t.target_id"
                " WHERE t.deleted_at = ? AND (t.source_id = ? OR t.target_id = ?)"
                " AND s.deleted_at IS NULL AND d.deleted_at IS NULL",
                (before["deleted_at"], actor_id, actor_id),
            ).fetchall()
            for row in rows:
                tie = self._tie(row)
                after_tie = self._update_tie_row(conn, tie, {"deleted_at": None}, by)
                conn.execute("UPDATE history SET action = 'restore' WHERE seq = (SELECT max(seq) FROM history WHERE entity_id = ?)", (after_tie["id"],))
            return after

    def erase_personal_data(self, actor_id: str, *, by: str) -> dict:
        """Remove a person's personal details everywhere, history included (GDPR Art. 17).

        The actor keeps its id, kind and ties (the structure others rely on); its name becomes
        ``"Erased person"``, and aliases, description, contact details, attributes, place and
        source are emptied. Every history entry of the actor loses its before/after values and
        sync records lose what the source provided. Returns ``{actor, history_entries_erased}``.
        NotFound if there is no such actor.
        """
        with self._write() as conn:
            before = self._actor_in(conn, actor_id)
            if before is None:
                raise NotFound(f"no actor with id {actor_id!r}")
            now = now_iso()
            conn.execute(
                "UPDATE actors SET name = 'Erased person', name_folded = 'erased person', aliases = '[]', aliases_folded = '[]',"
                " description = '', tags = '[]', country = '', city = '', contact_details = '[]', attributes = '{}',"
                " source = '', updated_at = ?, updated_by = ? WHERE id = ?",
                (now, by, actor_id),
            )
            erased = conn.execute("UPDATE history SET before = NULL, after = NULL WHERE entity_id = ?", (actor_id,)).rowcount
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_records'").fetchone():
                conn.execute("UPDATE sync_records SET data = '{}', file = NULL, sheet = NULL, row = NULL WHERE entity_id = ?", (actor_id,))
            self._history(conn, "actor", actor_id, "erase", by, None, None)
            result = {"actor": self._actor_in(conn, actor_id), "history_entries_erased": erased}
        self._checkpoint()
        return result

    def _checkpoint(self) -> None:
        """Copy the WAL into the database file and empty it: older page images in the WAL would
        still hold erased values. Best effort while other readers hold old snapshots."""
        if self.path == ":memory:":
            return
        with self._write_lock:
            self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # ties ---------------------------------------------------------------------------------
    def _tie_in(self, conn, tie_id: str) -> dict | None:
        row = conn.execute("SELECT * FROM ties WHERE id = ?", (tie_id,)).fetchone()
        return self._tie(row) if row else None

    def get_tie(self, tie_id: str, *, include_deleted: bool = False) -> dict | None:
        rows = self._read("SELECT * FROM ties WHERE id = ?", (tie_id,))
        if not rows or (rows[0]["deleted_at"] and not include_deleted):
            return None
        return self._tie(rows[0])

    def list_ties(self, *, actor_id=None, type=None, limit=100, offset=0, include_deleted=False, exclude=()):
        where, params = [], []
        if not include_deleted:
            where.append("deleted_at IS NULL")
        if exclude:
            hidden = _dumps(sorted(exclude))
            where.append("id NOT IN (SELECT value FROM json_each(?)) AND source_id NOT IN (SELECT value FROM json_each(?))"
                         " AND target_id NOT IN (SELECT value FROM json_each(?))")
            params += [hidden, hidden, hidden]
        if actor_id:
            where.append("(source_id = ? OR target_id = ?)")
            params += [actor_id, actor_id]
        if type:
            where.append("type = ?")
            params.append(type)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = self._read(f"SELECT count(*) FROM ties{clause}", params)[0][0]
        rows = self._read(f"SELECT * FROM ties{clause} ORDER BY id LIMIT ? OFFSET ?", params + [limit, offset])
        return [self._tie(r) for r in rows], total

    def _check_ends(self, conn, tie: dict) -> None:
        missing = []
        for end in ("source_id", "target_id"):
            row = conn.execute("SELECT deleted_at FROM actors WHERE id = ?", (tie[end],)).fetchone()
            if row is None or row[0]:
                missing.append({"field": end, "message": f"no actor with id {tie[end]!r}"})
        if missing:
            raise ValidationError(missing)

    def _update_tie_row(self, conn, before: dict, changes: dict, by: str) -> dict:
        now = now_iso()
        after = {**before, **changes, "updated_at": now, "updated_by": by}
        conn.execute(
            "UPDATE ties SET type=?, label=?, directed=?, strength=?, since=?, until=?, last_contact=?, source=?,"
            " description=?, attributes=?, updated_at=?, updated_by=?, deleted_at=? WHERE id=?",
            (
                after["type"], after["label"] or "", int(bool(after["directed"])), after["strength"], after["since"],
                after["until"], after["last_contact"], after["source"] or "", after["description"] or "",
                _dumps(after["attributes"] or {}), now, by, after.get("deleted_at"), after["id"],
            ),
        )
        self._history(conn, "tie", after["id"], "update", by, before, after)
        return after

    def _soft_delete_tie(self, conn, before: dict, by: str, now: str) -> None:
        conn.execute("UPDATE ties SET deleted_at = ?, updated_at = ?, updated_by = ? WHERE id = ?", (now, now, by, before["id"]))
        self._history(conn, "tie", before["id"], "delete", by, before, {**before, "deleted_at": now})

    def create_tie(self, tie: dict, *, by: str, visible_to: list[str] | None = None) -> dict:
        with self._write() as conn:
            record = self._create_tie_in(conn, tie, by)
            if visible_to is not None:
                self._set_access_in(conn, "tie", record["id"], visible_to, by)
            return record

    def _create_tie_in(self, conn, tie: dict, by: str) -> dict:
        self._check_ends(conn, tie)
        if tie.get("id"):
            if self._tie_in(conn, tie["id"]) is not None:
                raise Conflict(f"a tie with id {tie['id']!r} already exists")
            tie_id = tie["id"]
        else:
            tie_id = "t-" + uuid.uuid4().hex[:20]
        return self._insert(conn, _TIES, {**tie, "id": tie_id}, by)

    def update_tie(self, tie_id: str, changes: dict, *, by: str) -> dict:
        with self._write() as conn:
            before = self._tie_in(conn, tie_id)
            if before is None or before["deleted_at"]:
                raise NotFound(f"no tie with id {tie_id!r}")
            check_tie_dates(before, changes)
            diff = changed_fields(before, changes, TIE_DATA_FIELDS)
            if not diff:
                return before
            return self._update_tie_row(conn, before, diff, by)

    def delete_tie(self, tie_id: str, *, by: str) -> None:
        with self._write() as conn:
            before = self._tie_in(conn, tie_id)
            if before is None or before["deleted_at"]:
                raise NotFound(f"no tie with id {tie_id!r}")
            self._soft_delete_tie(conn, before, by, now_iso())

    # batches ------------------------------------------------------------------------------
    def apply_batch(self, actors: Iterable[dict], ties: Iterable[dict], *, by: str) -> dict:
        actors, ties = list(actors), list(ties)
        with self._straight_to_file(len(actors) + len(ties)), self._ends_checked_once(len(actors) + len(ties)), \
                self._write() as conn:
            with self._indexes_after(conn, ("actors", "ties", "history"), len(actors) + len(ties)):
                return self._apply_rows(conn, actors, ties, by)

    def _apply_rows(self, conn, actors: Iterable[dict], ties: Iterable[dict], by: str,
                    meanwhile: Callable[[], None] | None = None, staged: Staged | None = None,
                    ahead: Staged | None = None, before_ties: Callable[[], None] | None = None,
                    new_ids: Iterable[str] = ()) -> dict:
        """The body of :meth:`apply_batch` inside an open write transaction (``meanwhile``: see
        :meth:`_flush`; ``staged``: the rows of every tie of ``ties``, staged by a child,
        whose new ones are copied from there; ``ahead``: new actors staged by :meth:`stage_ahead`
        (not in ``actors``), copied from there likewise; ``new_ids``: see :meth:`apply_sync`;
        ``before_ties``: SQL work for once the actors are written and the ties checked, done before
        the ties are written, whose staged rows may still be on their way).

        Bulk path: existing records are read with one query each for actors and ties, new ones
        staged and copied with their history entries (:meth:`_flush`; 100,000 rows about 10x
        faster than row by row). A batch naming one id twice takes the row-by-row path, where the
        second row updates the first.
        """
        actors, ties = list(actors), list(ties)
        if len(actors) + len(ties) > 10_000:
            # index pages of a big batch do not fit SQLite's default 2 MB page cache
            conn.execute("PRAGMA cache_size = -262144")
        summary = {
            "actors": {"created": 0, "updated": 0, "unchanged": 0},
            "ties": {"created": 0, "updated": 0, "unchanged": 0},
        }
        now = now_iso()
        if ahead is not None:
            # new when planned: one created since (by hand, or by an import of another person of the
            # same name) may be another actor; the plan no longer fits, nothing is written
            refuse_taken(ahead.ids, self._rows_by_id(conn, "actors", sorted(ahead.ids)))
        actor_ids = [a["id"] for a in actors]
        bulk = len(set(actor_ids)) == len(actor_ids)
        existing = self._rows_by_id(conn, "actors", actor_ids) if bulk else {}
        if new_ids:
            refuse_taken(new_ids, existing if bulk else self._rows_by_id(conn, "actors", list(new_ids)), actors)
        tie_ids = [t["id"] for t in ties]
        tie_bulk = len(set(tie_ids)) == len(tie_ids)
        if tie_bulk:
            # checked before the actors are written (staged rows may still be on their way): each
            # actor of the batch is live once written, the other ends must be live already
            will_live = set(actor_ids) | (ahead.ids if ahead is not None else set())
            ends = sorted({t[f] for t in ties for f in ("source_id", "target_id")} - will_live)
            live = will_live | {r[0] for r in conn.execute(
                "SELECT id FROM actors WHERE deleted_at IS NULL AND id IN (SELECT value FROM json_each(?))", (json.dumps(ends),))}
            for tie in ties:
                if tie["source_id"] not in live or tie["target_id"] not in live:
                    raise ValidationError([{"field": f, "message": f"no actor with id {tie[f]!r}"}
                                           for f in ("source_id", "target_id") if tie[f] not in live])
            tie_existing = self._rows_by_id(conn, "ties", tie_ids)
        deferred: list = []
        for actor in actors:
            before = existing.get(actor["id"]) if bulk else self._actor_in(conn, actor["id"])
            if before is None:
                self._insert(conn, _ACTORS, {**_ACTORS.defaults, **actor}, by, deferred if bulk else None, now)
                summary["actors"]["created"] += 1
                continue
            diff = changed_fields(before, actor, ACTOR_DATA_FIELDS)
            if before["deleted_at"]:
                diff["deleted_at"] = None
            if diff:
                self._update_actor_row(conn, before, diff, by, "restore" if before["deleted_at"] else "update")
                summary["actors"]["updated"] += 1
            else:
                summary["actors"]["unchanged"] += 1
        if ahead is not None:
            summary["actors"]["created"] += len(ahead.ids)
            if meanwhile is not None:
                meanwhile()
            self._copy_staged(conn, _ACTORS, ahead.rows.load(conn), by, now)
            meanwhile = None
        self._flush(conn, _ACTORS, deferred, by, now, meanwhile)
        bulk = tie_bulk
        for tie in ties:
            if bulk:
                before = tie_existing.get(tie["id"])
            else:
                self._check_ends(conn, tie)
                before = self._tie_in(conn, tie["id"])
            if before is None:
                if not (bulk and staged is not None):  # else its row is staged already
                    self._insert(conn, _TIES, {**_TIES.defaults, **tie}, by, deferred if bulk else None, now)
                summary["ties"]["created"] += 1
                continue
            diff = changed_fields(before, tie, TIE_DATA_FIELDS)
            if before["deleted_at"]:
                diff["deleted_at"] = None
            if diff:
                self._update_tie_row(conn, before, diff, by)
                summary["ties"]["updated"] += 1
            else:
                summary["ties"]["unchanged"] += 1
        if before_ties is not None:
            before_ties()
        if bulk and staged is not None and summary["ties"]["created"]:
            self._copy_staged(conn, _TIES, staged.rows.load(conn), by, now, only_new=bool(tie_existing))  # every tie is staged
        else:
            self._flush(conn, _TIES, deferred, by, now)
        return summary

    @contextlib.contextmanager
    def _straight_to_file(self, rows: int):
        """Write a batch of at least 50,000 rows through the rollback journal instead of the WAL,
        when no other connection has the file open.

        Through the WAL every page of a big batch is written twice, into the WAL and then by its
        checkpoint into the file (200 MB for 100,000 contacts, and a WAL file of that size left
        behind); the rollback journal keeps only the old content of pages the batch changes (few,
        for new rows) and the new pages go straight into the file. Leaving WAL mode takes every
        other connection closed: with a server using the file the batch goes through the WAL,
        which is truncated afterwards when no reader holds it (so is it after any batch of 1,000
        rows or more).
        ``synchronous = FULL`` meanwhile, as a rollback journal needs for a power loss never to
        corrupt the file. WAL mode is back when the batch ends, written or not.
        """
        if self.path == ":memory:":
            yield
            return
        conn = self._conn()
        # leaving WAL mode fails (None) while another connection has the file open
        mode = self._unless_busy(conn, "PRAGMA journal_mode = DELETE") if rows >= 50_000 else None
        if mode != "delete":
            yield
            if rows >= 1_000:
                # the WAL grew by the whole batch: give the space back now rather than keep a file
                # that size for as long as the server runs (not when a reader holds it: no waiting)
                self._unless_busy(conn, "PRAGMA wal_checkpoint(TRUNCATE)")
            return
        conn.execute("PRAGMA synchronous = FULL")
        try:
            yield
        finally:
            conn.execute("PRAGMA synchronous = NORMAL")
            # a reader that opened the file meanwhile may hold it: then the next connection sets WAL mode
            with contextlib.suppress(sqlite3.OperationalError):
                conn.execute("PRAGMA journal_mode = WAL")

    @contextlib.contextmanager
    def _ends_checked_once(self, rows: int):
        """Switch SQLite's foreign-key checks off for a batch of at least 50,000 rows.

        :meth:`_apply_rows` checks that the ends of every tie are live actors itself (one query
        for the whole batch, or :meth:`_check_ends` row by row), so the per-row lookups of the
        foreign keys only repeat that check: a third of the time of inserting 100,000 ties. The
        pragma takes effect only outside a transaction, on this thread's connection; it is set
        back when the batch ends.
        """
        if rows < 50_000:
            yield
            return
        conn = self._conn()
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            conn.execute("PRAGMA foreign_keys = ON")

    @contextlib.contextmanager
    def _indexes_after(self, conn, tables: tuple[str, ...], rows: int) -> Iterator[Callable[[str], None]]:
        """Build the secondary indexes of ``tables`` after a big bulk insert instead of during it.

        Only when ``rows`` is at least 50,000 and more than the tables hold already; SQLite's DDL
        is transactional, so readers and a rollback never see the tables without their indexes.
        Yields ``build(table)``, which builds one table's indexes at once (when its rows are all
        written and the writer would otherwise wait); the others are built at the end.
        """
        existing = conn.execute(f"SELECT count(*) FROM {tables[0]}").fetchone()[0]
        if rows < 50_000 or rows <= existing:
            yield lambda table: None
            return
        marks = ",".join("?" * len(tables))
        dropped: dict[str, list[str]] = {}
        for name, table, sql in conn.execute(
            f"SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
            tables).fetchall():
            conn.execute(f'DROP INDEX "{name}"')
            dropped.setdefault(table, []).append(sql)

        def build(table: str) -> None:
            for sql in dropped.pop(table, []):
                conn.execute(sql)

        yield build
        for table in list(dropped):
            build(table)

    def _flush(self, conn, table: _Table, deferred: list, by: str, now: str, meanwhile: Callable[[], None] | None = None) -> None:
        """Insert the queued new ``actors`` or ``ties`` rows (their data columns), then their history entries.

        The rows go first into a table of the connection's in-memory temp schema, then into
        ``table`` with one ``INSERT ... SELECT`` in id order: SQLite copies them in C, three to six
        times faster than binding each row into the indexed table (100,000 rows: about 0.1 s
        instead of 0.8 s; the binding into the bare temp table costs less too). ``meanwhile``:
        Python work (touching no connection) run here while that copy runs (:func:`_alongside`).
        """
        if not deferred:
            if meanwhile is not None:
                meanwhile()
            return
        # in id order: appending to the primary key's B-tree instead of splitting pages all over it
        # (sorted here: cheaper than SQLite's sorter on the wide rows)
        deferred.sort(key=itemgetter(0))
        _stage_rows(conn, "temp", table.name, deferred)
        deferred.clear()
        copy = functools.partial(self._copy_staged, conn, table, "temp", by, now)
        if meanwhile is None:
            copy()
        else:
            _alongside(copy, meanwhile)

    @staticmethod
    def _copy_staged(conn, table: _Table, schema: str, by: str, now: str, only_new: bool = False) -> None:
        """Copy the rows staged in ``schema.new_<table>`` into ``table`` in their order, with their
        history entries (``only_new``: the rows whose id ``table`` does not have yet)."""
        names, main = ", ".join(table.columns), table.name
        last = conn.execute(f"SELECT coalesce(max(rowid), 0) FROM main.{main}").fetchone()[0]
        where = f" WHERE NOT EXISTS (SELECT 1 FROM main.{main} m WHERE m.id = s.id)" if only_new else ""
        conn.execute(f"INSERT INTO main.{main} ({names}, created_at, created_by, updated_at, updated_by)"
                     f" SELECT {', '.join('s.' + c for c in table.columns)}, ?1, ?2, ?1, ?2 FROM {schema}.new_{main} s{where}"
                     " ORDER BY s.rowid", (now, by))
        conn.execute(f"DROP TABLE {schema}.new_{main}")
        created = conn.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE name = ?", (f"created_{main}",)).fetchone()
        if created and not only_new:  # the entries were built with the rows (_serialized_rows), in their order
            conn.execute("INSERT INTO history (entity_type, entity_id, action, at, by, before, after)"
                         f" SELECT ?1, id, 'create', ?2, ?3, NULL, after FROM {schema}.created_{main} ORDER BY rowid",
                         (table.entity_type, now, by))
        else:
            conn.execute(table.history, (last,))  # the new rows are those after the last rowid before them
        if created:
            conn.execute(f"DROP TABLE {schema}.created_{main}")

    def _rows_by_id(self, conn, table: str, ids: list[str]) -> dict[str, dict]:
        """``{id: record}`` for the ``ids`` found in ``actors`` or ``ties`` (deleted included)."""
        if not ids or conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None:
            return {}  # the first import into an empty store looks up nothing
        to_dict = self._actor if table == "actors" else self._tie
        rows = conn.execute(f"SELECT * FROM {table} WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))
        return {r["id"]: to_dict(r) for r in rows}

    # sync (SyncStore) ----------------------------------------------------------------------
    def get_actors(self, ids: list[str]) -> dict[str, dict]:
        """``{id: actor}`` for the ids that exist (deleted included), in one query."""
        try:
            return self._rows_by_id(self._conn(), "actors", list(ids))
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailable(f"SQLite read failed: {exc}") from exc

    def get_ties(self, ids: list[str]) -> dict[str, dict]:
        """``{id: tie}`` for the ids that exist (deleted included), in one query."""
        try:
            return self._rows_by_id(self._conn(), "ties", list(ids))
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailable(f"SQLite read failed: {exc}") from exc

    def actor_index(self) -> list[dict]:
        """Every actor (deleted too) as import matching needs it: ``{id, name, kind, aliases,
        name_folded, aliases_folded, emails, orgs (folded names of works_for/member_of targets),
        deleted_at, merged_into, sources (names of the sync sources that had it)}``."""
        emails: dict[str, list[str]] = defaultdict(list)
        for r in self._read(
            "SELECT a.id, lower(j.value ->> 'value') FROM actors a, json_each(a.contact_details) j"
            " WHERE j.value ->> 'type' = 'email'"
        ):
            emails[r[0]].append(r[1])
        orgs: dict[str, list[str]] = defaultdict(list)
        for r in self._read(
            "SELECT t.source_id, o.name_folded FROM ties t JOIN actors o ON o.id = t.target_id"
            " WHERE t.deleted_at IS NULL AND t.type IN ('works_for', 'member_of')"
        ):
            orgs[r[0]].append(r[1])
        merged = {r[0]: r[1] for r in self._read("SELECT merged_id, into_id FROM actor_merges")}
        sources: dict[str, list[str]] = defaultdict(list)
        for r in self._read("SELECT entity_id, source FROM sync_records WHERE entity_type = 'actor'"):
            sources[r[0]].append(r[1])
        return [
            {"id": r[0], "name": r[1], "kind": r[2], "aliases": _loads(r[3]) if r[3] != "[]" else [],
             "name_folded": r[4], "aliases_folded": _loads(r[5]) if r[5] != "[]" else [],
             "emails": emails.get(r[0], []), "orgs": orgs.get(r[0], []), "deleted_at": r[6],
             "merged_into": merged.get(r[0]), "sources": sources.get(r[0], [])}
            for r in self._read("SELECT id, name, kind, aliases, name_folded, aliases_folded, deleted_at FROM actors")
        ]

    def find_ties(self, triples: list[tuple[str, str, str]]) -> list[dict]:
        """Live ties joining ``(source_id, target_id, type)`` (mutual ties also the other way round)."""
        if not triples:
            return []
        payload = json.dumps([list(t) for t in triples])
        rows = self._read(
            "SELECT DISTINCT t.* FROM json_each(?) j JOIN ties t ON t.source_id = j.value ->> 0"
            " AND t.target_id = j.value ->> 1 AND t.type = j.value ->> 2 WHERE t.deleted_at IS NULL"
            " UNION SELECT DISTINCT t.* FROM json_each(?) j JOIN ties t ON t.source_id = j.value ->> 1"
            " AND t.target_id = j.value ->> 0 AND t.type = j.value ->> 2 WHERE t.deleted_at IS NULL AND t.directed = 0",
            (payload, payload),
        )
        return [self._tie(r) for r in rows]

    @staticmethod
    def _sync_record(r) -> dict:
        return {"source": r["source"], "entity_type": r["entity_type"], "entity_id": r["entity_id"], "file": r["file"],
                "sheet": r["sheet"], "row": r["row"], "first_seen_at": r["first_seen_at"],
                "last_seen_at": r["last_seen_at"], "last_seen_by": r["last_seen_by"],
                "missing_since": r["missing_since"], "data": _loads(r["data"])}

    def sync_records(self, source: str) -> list[dict]:
        """What the last sync of ``source`` saw: ``[{source, entity_type, entity_id, file, sheet, row,
        first_seen_at, last_seen_at, last_seen_by, missing_since, data}]``."""
        return [self._sync_record(r) for r in self._read("SELECT * FROM sync_records WHERE source = ?", (source,))]

    def sync_sources(self) -> list[dict]:
        """Every source synced so far: ``[{name, format, files, first_sync_at, last_sync_at, last_sync_by, syncs}]``."""
        return [{**dict(r), "files": json.loads(r["files"])} for r in self._read("SELECT * FROM sync_sources ORDER BY name")]

    def provenance(self, entity_id: str) -> list[dict]:
        """Where an actor or tie came from: its sync records in every source, oldest first."""
        return [self._sync_record(r) for r in self._read(
            "SELECT * FROM sync_records WHERE entity_id = ? ORDER BY first_seen_at, source", (entity_id,))]

    def inactive_ids(self) -> dict[str, set[str]]:
        """``{"actors": ids, "ties": ids}`` missing from every source that had them."""
        out = {"actors": set(), "ties": set()}
        for r in self._read(
            "SELECT entity_type, entity_id FROM sync_records GROUP BY entity_type, entity_id"
            " HAVING count(*) = count(missing_since)"
        ):
            out["actors" if r[0] == "actor" else "ties"].add(r[1])
        return out

    def stage_ahead(self, new_actors: Callable[[], tuple[list[dict], list[dict]]], ids: set[str], *,
                    workers: int = 1, then: Callable[[], Any] | None = None) -> Staged | None:
        """Start staging a sync's new actors in a forked child process while the caller goes on
        planning; pass the result to :meth:`apply_sync` as ``ahead``, with a batch that leaves
        these actors out and seen records that begin with theirs.

        ``new_actors()``: ``(records with every data field, their seen records)`` of the actors
        ``ids``; computed by the child (and here only if the child fails), so the caller never
        builds them. A batch in which one of them exists after all (created meanwhile) is refused
        (ValidationError) by :meth:`apply_sync`. ``then``: more work for the same child once they
        are staged, at a lower priority (its result: ``.then.result()``; one fork instead of two).
        None when not worth a process (``workers`` < 2 or a small batch). Single-threaded callers only."""
        if workers < 2 or len(ids) < _FORKED_STAGING:
            return None
        once = _Once(new_actors)
        return Staged.fork("actors", lambda: once()[0], lambda: once()[1], "ahead", then,
                           ids=set(ids), seen_count=len(ids))

    def apply_sync(self, actors: Iterable[dict], ties: Iterable[dict], *, sync: dict, by: str, workers: int = 1,
                   ahead: Staged | None = None, new_ids: Iterable[str] = ()) -> dict:
        """:meth:`apply_batch` plus the sync bookkeeping of one source, in ONE transaction.

        ``sync``: ``{source, format, files, at, seen: [{entity_type, entity_id, file, sheet, row, data}],
        missing: [{entity_type, entity_id}]}``. Seen records are (re)activated; missing ones get
        ``missing_since`` and an ``inactive`` history entry (a reappearing one a ``reactivate``).
        ``workers`` > 1 (single-threaded callers only) lets a big sync stage its ties' rows and its
        sync records in a forked child process while this one writes the actors;
        ``ahead``: its new actors' rows (``actors`` leaves them out) and its first ``ahead.seen_count``
        seen records, staged while it was planned (:meth:`stage_ahead`); stays the caller's to
        cancel (released here).
        ``new_ids``: actors the batch creates (new when planned); one the store has after all
        refuses the batch (ValidationError) unless it is plainly the one meant
        (:func:`~.common.refuse_taken`; one of the new actors staged ahead: always).
        """
        source, at = sync["source"], sync["at"]
        actors, ties = list(actors), list(ties)
        seen, seen_rows = sync.get("seen", []), []
        here = seen[ahead.seen_count:] if ahead is not None else seen  # the sync records not staged ahead
        staging = Staged.fork("ties", lambda: ties, lambda: here, "staged") \
            if workers > 1 and len(seen) >= _FORKED_STAGING else None
        children = [c for c in (staging, ahead) if c is not None]
        conn = self._conn()
        try:
            for schema in (name for child in children for name in child.schemas):
                conn.execute(f"ATTACH ':memory:' AS {schema}")  # not possible inside the transaction
            rows = len(actors) + len(ties) + (len(ahead.ids) if ahead is not None else 0)
            with self._straight_to_file(rows), self._ends_checked_once(rows), self._write() as conn, \
                    self._indexes_after(conn, ("actors", "ties", "history", "sync_records"), rows) as build:
                conn.execute(
                    "INSERT INTO sync_sources (name, format, files, first_sync_at, last_sync_at, last_sync_by, syncs)"
                    " VALUES (?,?,?,?,?,?,1) ON CONFLICT (name) DO UPDATE SET format = excluded.format, files = excluded.files,"
                    " last_sync_at = excluded.last_sync_at, last_sync_by = excluded.last_sync_by, syncs = syncs + 1",
                    (source, sync.get("format", ""), _dumps(sync.get("files", [])), at, at, by),
                )
                was_missing = {(r[0], r[1]) for r in conn.execute(
                    "SELECT entity_type, entity_id FROM sync_records WHERE source = ? AND missing_since IS NOT NULL", (source,))}

                def copy_seen(schema: str) -> None:  # staged in key order, copied in key order (as in _flush)
                    conn.execute(
                        "INSERT INTO sync_records (source, entity_type, entity_id, file, sheet, row, first_seen_at, last_seen_at,"
                        " last_seen_by, missing_since, data) SELECT ?1, entity_type, entity_id, file, sheet, row, ?2, ?2, ?3, NULL, data"
                        f" FROM {schema}.seen_records ORDER BY rowid"
                        " ON CONFLICT (source, entity_type, entity_id) DO UPDATE SET file = excluded.file, sheet = excluded.sheet,"
                        " row = excluded.row, last_seen_at = excluded.last_seen_at, last_seen_by = excluded.last_seen_by,"
                        " missing_since = NULL, data = excluded.data",
                        (source, at, by),
                    )
                    conn.execute(f"DROP TABLE {schema}.seen_records")

                def before_ties() -> None:  # while the ties' rows may still be staged by the child
                    build("actors")
                    if ahead is not None and ahead.seen_count:
                        copy_seen(ahead.seen.load(conn))

                def stage_seen() -> None:  # while the new actors are copied (no connection used here)
                    seen_rows.extend(_seen_rows(here))

                summary = self._apply_rows(conn, actors, ties, by, meanwhile=None if staging else stage_seen,
                                           staged=staging, ahead=ahead, before_ties=before_ties, new_ids=new_ids)
                build("ties")  # while the child may still be staging the ties' sync records
                if staging is not None:
                    copy_seen(staging.seen.load(conn))
                else:
                    _stage_seen(conn, "temp", seen_rows)
                    copy_seen("temp")
                for s in seen if was_missing else ():
                    if (s["entity_type"], s["entity_id"]) in was_missing:
                        self._history(conn, s["entity_type"], s["entity_id"], "reactivate", by,
                                      {"sync_source": source, "active": False}, {"sync_source": source, "active": True})
                for m in sync.get("missing", []):
                    cur = conn.execute(
                        "UPDATE sync_records SET missing_since = ? WHERE source = ? AND entity_type = ? AND entity_id = ?"
                        " AND missing_since IS NULL", (at, source, m["entity_type"], m["entity_id"]))
                    if cur.rowcount:
                        self._history(conn, m["entity_type"], m["entity_id"], "inactive", by,
                                      {"sync_source": source, "active": True},
                                      {"sync_source": source, "active": False, "missing_since": at})
        finally:
            for child in children:
                if child is staging:
                    child.cancel()
                else:  # the caller's: its child may go on with a step the caller waits for
                    child.release()
                for schema in child.schemas:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute(f"DETACH DATABASE {schema}")
        return summary

    def merge_actors(self, keep_id: str, gone_id: str, *, by: str) -> dict:
        """Merge actor ``gone_id`` into ``keep_id`` in ONE transaction (see services.merge).

        ``keep`` keeps its id and values and takes ``gone``'s missing ones (aliases, tags, contact
        details and attributes are united; ``gone``'s name becomes an alias); ``gone``'s live ties
        move to ``keep`` (a tie that would join ``keep`` to itself, or repeat one ``keep`` already
        has, is deleted with history); its sync records follow; ``gone`` is soft-deleted with a
        ``merged`` history entry. Returns ``{kept, merged, ties_moved, ties_folded}``.
        """
        with self._write() as conn:
            keep, gone = self._actor_in(conn, keep_id), self._actor_in(conn, gone_id)
            diff = merge_changes(keep_id, keep, gone_id, gone)
            now = now_iso()
            kept = self._update_actor_row(conn, keep, diff, by, "merge") if diff else keep
            moved = folded = 0
            for row in conn.execute(
                "SELECT * FROM ties WHERE deleted_at IS NULL AND (source_id = ? OR target_id = ?) ORDER BY id", (gone_id, gone_id)
            ).fetchall():
                t = self._tie(row)
                s = keep_id if t["source_id"] == gone_id else t["source_id"]
                d = keep_id if t["target_id"] == gone_id else t["target_id"]
                twin = conn.execute(
                    "SELECT id FROM ties WHERE deleted_at IS NULL AND type = ? AND id != ? AND"
                    " ((source_id = ? AND target_id = ?) OR (directed = 0 AND source_id = ? AND target_id = ?))",
                    (t["type"], t["id"], s, d, d, s)).fetchone()
                if s == d or twin is not None:
                    self._soft_delete_tie(conn, t, by, now)
                    folded += 1
                    continue
                conn.execute("UPDATE ties SET source_id = ?, target_id = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                             (s, d, now, by, t["id"]))
                self._history(conn, "tie", t["id"], "update", by, t,
                              {**t, "source_id": s, "target_id": d, "updated_at": now, "updated_by": by})
                moved += 1
            for r in conn.execute("SELECT * FROM sync_records WHERE entity_type = 'actor' AND entity_id = ?", (gone_id,)).fetchall():
                mine = conn.execute("SELECT data FROM sync_records WHERE source = ? AND entity_type = 'actor' AND entity_id = ?",
                                    (r["source"], keep_id)).fetchone()
                if mine is None:
                    conn.execute("UPDATE sync_records SET entity_id = ? WHERE source = ? AND entity_type = 'actor' AND entity_id = ?",
                                 (keep_id, r["source"], gone_id))
                    continue
                a, b = json.loads(mine[0]), json.loads(r["data"])
                united = {**b, **a}  # single values: what the source said about the kept actor
                for k in set(a) | set(b):
                    if isinstance(a.get(k, []), list) and isinstance(b.get(k, []), list):
                        united[k] = a.get(k, []) + [x for x in b.get(k, []) if x not in a.get(k, [])]
                conn.execute("UPDATE sync_records SET data = ? WHERE source = ? AND entity_type = 'actor' AND entity_id = ?",
                             (_dumps(united), r["source"], keep_id))
                conn.execute("DELETE FROM sync_records WHERE source = ? AND entity_type = 'actor' AND entity_id = ?",
                             (r["source"], gone_id))
            conn.execute("UPDATE actors SET deleted_at = ?, updated_at = ?, updated_by = ? WHERE id = ?", (now, now, by, gone_id))
            self._history(conn, "actor", gone_id, "merged", by, gone, {**gone, "deleted_at": now, "merged_into": keep_id})
            conn.execute("UPDATE actor_merges SET into_id = ? WHERE into_id = ?", (keep_id, gone_id))
            conn.execute("INSERT OR REPLACE INTO actor_merges (merged_id, into_id, at, by) VALUES (?,?,?,?)", (gone_id, keep_id, now, by))
        return {"kept": kept, "merged": gone_id, "ties_moved": moved, "ties_folded": folded}

    # graph queries ------------------------------------------------------------------------
    def _neighbours(self, ids: list[str], exclude: Iterable[str] = ()) -> list[tuple[str, str]]:
        """(from, to) pairs for live ties touching ``ids``, both directions; ties or far ends in ``exclude`` skipped."""
        payload = json.dumps(ids)
        hidden = _dumps(sorted(exclude))
        rows = self._read(
            "SELECT source_id, target_id FROM ties WHERE deleted_at IS NULL AND source_id IN (SELECT value FROM json_each(?))"
            " AND id NOT IN (SELECT value FROM json_each(?)) AND target_id NOT IN (SELECT value FROM json_each(?))"
            " UNION ALL "
            "SELECT target_id, source_id FROM ties WHERE deleted_at IS NULL AND target_id IN (SELECT value FROM json_each(?))"
            " AND id NOT IN (SELECT value FROM json_each(?)) AND source_id NOT IN (SELECT value FROM json_each(?))",
            (payload, hidden, hidden, payload, hidden, hidden),
        )
        return [(r[0], r[1]) for r in rows]

    def ego_network(self, actor_id: str, depth: int = 1, *, exclude: Iterable[str] = ()) -> dict:
        exclude = set(exclude)
        centre = self.get_actor(actor_id)
        if centre is None or actor_id in exclude:
            raise NotFound(f"no actor with id {actor_id!r}")
        seen = {actor_id}
        frontier = [actor_id]
        for _ in range(depth):
            nxt = []
            for _, other in self._neighbours(frontier, exclude):
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
            if not nxt:
                break
            frontier = nxt
        payload = json.dumps(sorted(seen))
        actors = [
            self._actor(r)
            for r in self._read("SELECT * FROM actors WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", (payload,))
        ]
        ties = [
            self._tie(r)
            for r in self._read(
                "SELECT * FROM ties WHERE deleted_at IS NULL AND source_id IN (SELECT value FROM json_each(?))"
                " AND target_id IN (SELECT value FROM json_each(?)) AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY id",
                (payload, payload, _dumps(sorted(exclude))),
            )
        ]
        return {"centre": actor_id, "depth": depth, "actors": actors, "ties": ties}

    def shortest_path(self, from_id: str, to_id: str, *, max_depth: int = 6, exclude: Iterable[str] = ()) -> list[dict] | None:
        exclude = set(exclude)
        for end in (from_id, to_id):
            if self.get_actor(end) is None or end in exclude:
                raise NotFound(f"no actor with id {end!r}")
        if from_id == to_id:
            return [{"actor": self.get_actor(from_id), "tie": None}]
        ids = bidirectional_shortest_path(lambda frontier: self._neighbours(frontier, exclude), from_id, to_id, max_depth)
        if ids is None:
            return None
        steps = []
        for i, node in enumerate(ids):
            tie = None
            if i:
                prev = ids[i - 1]
                rows = self._read(
                    "SELECT * FROM ties WHERE deleted_at IS NULL AND ((source_id = ? AND target_id = ?) OR (source_id = ? AND target_id = ?))",
                    (prev, node, node, prev),
                )
                tie = best_tie([self._tie(r) for r in rows if r["id"] not in exclude])
            steps.append({"actor": self.get_actor(node), "tie": tie})
        return steps

    def projection(self) -> tuple[list[dict], list[dict]]:
        actors = [
            {"id": r["id"], "name": r["name"], "kind": r["kind"], "tags": json.loads(r["tags"]), "city": r["city"], "country": r["country"]}
            for r in self._read("SELECT id, name, kind, tags, city, country FROM actors WHERE deleted_at IS NULL ORDER BY id")
        ]
        ties = [
            {
                "id": r["id"], "source_id": r["source_id"], "target_id": r["target_id"], "type": r["type"],
                "label": r["label"], "directed": bool(r["directed"]), "strength": r["strength"],
                "last_contact": r["last_contact"], "since": r["since"], "until": r["until"],
            }
            for r in self._read(
                "SELECT id, source_id, target_id, type, label, directed, strength, last_contact, since, until"
                " FROM ties WHERE deleted_at IS NULL ORDER BY id"
            )
        ]
        return actors, ties

    def stats(self) -> dict:
        kinds = {r[0]: r[1] for r in self._read("SELECT kind, count(*) FROM actors WHERE deleted_at IS NULL GROUP BY kind ORDER BY kind")}
        types = {r[0]: r[1] for r in self._read("SELECT type, count(*) FROM ties WHERE deleted_at IS NULL GROUP BY type ORDER BY type")}
        return {"actors": kinds, "ties": types, "actors_total": sum(kinds.values()), "ties_total": sum(types.values())}

    def history(self, entity_id: str) -> list[dict]:
        rows = self._read("SELECT * FROM history WHERE entity_id = ? ORDER BY seq", (entity_id,))
        return [_history_row(r) for r in rows]

    # analytics ----------------------------------------------------------------------------
    def revision(self) -> int:
        """The last history sequence number: every actor or tie write appends one (0 when empty)."""
        return self._read("SELECT coalesce(max(seq), 0) FROM history")[0][0]

    def save_snapshot(self, snapshot: dict, *, by: str) -> dict:
        record = {"name": snapshot.get("name") or "", "coordinator_id": snapshot.get("coordinator_id"),
                  "taken_at": now_iso(), "created_by": by, "metrics": snapshot["metrics"]}
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO analytics_snapshots (name, coordinator_id, taken_at, created_by, metrics) VALUES (?,?,?,?,?)",
                (record["name"], record["coordinator_id"], record["taken_at"], by, _dumps(record["metrics"])),
            )
            record["id"] = cur.lastrowid
        return record

    def list_snapshots(self, *, limit: int = 100) -> list[dict]:
        rows = self._read(
            "SELECT id, name, coordinator_id, taken_at, created_by FROM analytics_snapshots ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [dict(r) for r in rows]

    def get_snapshot(self, snapshot_id: int) -> dict | None:
        rows = self._read("SELECT * FROM analytics_snapshots WHERE id = ?", (snapshot_id,))
        if not rows:
            return None
        record = dict(rows[0])
        record["metrics"] = json.loads(record["metrics"])
        return record

    # users and tokens ---------------------------------------------------------------------
    def create_user(self, username: str, password_hash: str | None, role: str, *, by: str) -> dict:
        user = {"id": uuid.uuid4().hex, "username": username, "password_hash": password_hash, "role": role,
                "created_at": now_iso(), "created_by": by, "disabled_at": None, "session_epoch": 0}
        with self._write() as conn:
            try:
                conn.execute(
                    "INSERT INTO users (id, username, password_hash, role, created_at, created_by) VALUES (?,?,?,?,?,?)",
                    (user["id"], username, password_hash, role, user["created_at"], by),
                )
            except sqlite3.IntegrityError:
                raise Conflict(f"a user named {username!r} already exists") from None
        return user

    def get_user(self, user_id: str) -> dict | None:
        rows = self._read("SELECT * FROM users WHERE id = ?", (user_id,))
        return dict(rows[0]) if rows else None

    def get_user_by_name(self, username: str) -> dict | None:
        rows = self._read("SELECT * FROM users WHERE username = ?", (username,))
        return dict(rows[0]) if rows else None

    def list_users(self) -> list[dict]:
        return [dict(r) for r in self._read("SELECT * FROM users ORDER BY username")]

    def set_user(self, user_id: str, changes: dict) -> dict:
        allowed = {"password_hash", "role", "disabled_at", "session_epoch"}
        bad = set(changes) - allowed
        if bad:
            raise ValueError(f"cannot change {sorted(bad)}")
        with self._write() as conn:
            for key, value in changes.items():
                conn.execute(f"UPDATE users SET {key} = ? WHERE id = ?", (value, user_id))
        user = self.get_user(user_id)
        if user is None:
            raise NotFound(f"no user with id {user_id!r}")
        return user

    def create_token(self, user_id: str, name: str, token_hash: str, *, expires_at: str | None,
                     scopes: list[str] | None = None) -> dict:
        token = {"id": uuid.uuid4().hex, "user_id": user_id, "name": name, "token_hash": token_hash,
                 "created_at": now_iso(), "expires_at": expires_at, "revoked_at": None,
                 "scopes": list(scopes or ["read", "write", "import"])}
        with self._write() as conn:
            conn.execute(
                "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at, scopes) VALUES (?,?,?,?,?,?,?)",
                (token["id"], user_id, name, token_hash, token["created_at"], expires_at, _dumps(token["scopes"])),
            )
        return token

    @staticmethod
    def _token(row) -> dict:
        d = dict(row)
        d["scopes"] = json.loads(d["scopes"])
        return d

    def get_token_by_hash(self, token_hash: str) -> dict | None:
        rows = self._read("SELECT * FROM api_tokens WHERE token_hash = ?", (token_hash,))
        return self._token(rows[0]) if rows else None

    def list_tokens(self, user_id: str | None = None) -> list[dict]:
        """Tokens (without their hashes), newest first; only ``user_id``'s when given."""
        sql = "SELECT * FROM api_tokens" + (" WHERE user_id = ?" if user_id else "") + " ORDER BY created_at DESC, id"
        return [{k: v for k, v in self._token(r).items() if k != "token_hash"} for r in self._read(sql, (user_id,) if user_id else ())]

    # audit log ----------------------------------------------------------------------------
    def audit(self, actor: str, action: str, target: str | None = None, detail: dict | None = None, ip: str | None = None) -> None:
        """Append one audit entry, chained to the one before by :func:`common.audit_hash` (the table
        refuses updates and deletes)."""
        with self._write() as conn:
            last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            entry = {"seq": (last["seq"] if last else 0) + 1, "at": now_iso(), "actor": actor, "action": action,
                     "target": target, "detail": detail or {}, "ip": ip}
            conn.execute(
                "INSERT INTO audit_log (seq, at, actor, action, target, detail, ip, hash) VALUES (?,?,?,?,?,?,?,?)",
                (entry["seq"], entry["at"], actor, action, target, _dumps(entry["detail"]), ip,
                 audit_hash(last["hash"] if last else None, entry)),
            )

    def audit_chain_start(self) -> int:
        """The last audit sequence number written before entries were hash-chained (0: all are)."""
        rows = self._read("SELECT starts_after FROM audit_chain")
        return rows[0][0] if rows else 0

    def list_audit(self, *, since: str | None = None, action: str | None = None, limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
        """Audit entries newest first, optionally from ``since`` (ISO time) and of one ``action``."""
        where, params = [], []
        if since:
            where.append("at >= ?")
            params.append(since)
        if action:
            where.append("action = ?")
            params.append(action)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = self._read(f"SELECT count(*) FROM audit_log{clause}", params)[0][0]
        rows = self._read(f"SELECT * FROM audit_log{clause} ORDER BY seq DESC LIMIT ? OFFSET ?", params + [limit, offset])
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows], total

    def revoke_token(self, token_id: str) -> None:
        with self._write() as conn:
            conn.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (now_iso(), token_id))

    # access: sensitive actors and ties --------------------------------------------------
    @staticmethod
    def _access(row) -> dict:
        return {"entity_id": row["entity_id"], "entity_type": row["entity_type"], "visible_to": _loads(row["visible_to"]),
                "set_at": row["set_at"], "set_by": row["set_by"]}

    def access_entries(self) -> dict[str, dict]:
        """Every protected record: ``{entity_id: {"entity_type", "visible_to", "set_at", "set_by"}}``."""
        return {r["entity_id"]: self._access(r) for r in self._read("SELECT * FROM access ORDER BY entity_id")}

    def set_access(self, entity_type: str, entity_id: str, visible_to: list[str] | None, *, by: str) -> dict | None:
        """Protect a record (only admins and ``visible_to`` user names see it) or, with ``None``, unprotect it.

        Returns the access entry (``None`` once unprotected). Raises NotFound for an unknown record.
        The change is kept in the record's history, so ``revision()`` moves.
        """
        with self._write() as conn:
            return self._set_access_in(conn, entity_type, entity_id, visible_to, by)

    def _set_access_in(self, conn, entity_type: str, entity_id: str, visible_to: list[str] | None, by: str) -> dict | None:
        table = {"actor": "actors", "tie": "ties"}[entity_type]
        if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (entity_id,)).fetchone() is None:
            raise NotFound(f"no {entity_type} with id {entity_id!r}")
        row = conn.execute("SELECT * FROM access WHERE entity_id = ?", (entity_id,)).fetchone()
        before = self._access(row) if row else None
        after = None
        if visible_to is None:
            conn.execute("DELETE FROM access WHERE entity_id = ?", (entity_id,))
        else:
            after = {"entity_id": entity_id, "entity_type": entity_type, "visible_to": list(visible_to),
                     "set_at": now_iso(), "set_by": by}
            conn.execute(
                "INSERT INTO access (entity_id, entity_type, visible_to, set_at, set_by) VALUES (?,?,?,?,?)"
                " ON CONFLICT (entity_id) DO UPDATE SET visible_to = excluded.visible_to, set_at = excluded.set_at,"
                " set_by = excluded.set_by",
                (entity_id, entity_type, _dumps(after["visible_to"]), after["set_at"], by),
            )
        self._history(conn, entity_type, entity_id, "access", by, access_state(before), access_state(after))
        return after

    # whole-store dump (backup / restore / copy between stores) ----------------------------
    def export_records(self) -> dict:
        """Every record, deleted ones and history included, in a fixed order (see ``GraphStore``);
        also, where there are any, ``sync_sources``, ``sync_records`` (by source, type, id),
        ``actor_merges`` (by merged id) and ``analytics_snapshots`` (by id)."""
        with self._snapshot() as conn:
            extra = {
                "sync_sources": [{**dict(r), "files": _loads(r["files"])}
                                 for r in conn.execute("SELECT * FROM sync_sources ORDER BY name")],
                "sync_records": [self._sync_record(r) for r in conn.execute(
                    "SELECT * FROM sync_records ORDER BY source, entity_type, entity_id")],
                "actor_merges": [dict(r) for r in conn.execute("SELECT * FROM actor_merges ORDER BY merged_id")],
                "analytics_snapshots": [{**dict(r), "metrics": _loads(r["metrics"])}
                                        for r in conn.execute("SELECT * FROM analytics_snapshots ORDER BY id")],
            }
            return {**{k: v for k, v in extra.items() if v}, **self._core_records(conn)}

    def _core_records(self, conn) -> dict:
        return {
            "actors": [self._actor(r) for r in conn.execute("SELECT * FROM actors ORDER BY id")],
            "ties": [self._tie(r) for r in conn.execute("SELECT * FROM ties ORDER BY id")],
            "history": [_history_row(r) for r in conn.execute("SELECT * FROM history ORDER BY seq")],
            "users": [dict(r) for r in conn.execute("SELECT * FROM users ORDER BY id")],
            "tokens": [self._token(r) for r in conn.execute("SELECT * FROM api_tokens ORDER BY id")],
            "audit": [{**dict(r), "detail": json.loads(r["detail"])} for r in conn.execute("SELECT * FROM audit_log ORDER BY seq")],
            "access": [self._access(r) for r in conn.execute("SELECT * FROM access ORDER BY entity_id")],
        }

    @contextlib.contextmanager
    def _snapshot(self):
        conn = self._conn()
        conn.execute("BEGIN")  # one read transaction: a consistent picture while writers go on
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def import_records(self, records: dict) -> None:
        """Load an :meth:`export_records` dump into this EMPTY store, exactly, in one transaction.

        Raises Conflict when the store already holds actors or users.
        """
        check_dump(records)
        try:
            self._import_records(records)
        except (sqlite3.IntegrityError, KeyError, TypeError) as exc:
            raise ValidationError([{"field": "dump", "message": f"the dump is inconsistent ({type(exc).__name__}: {exc});"
                                    " nothing was restored"}]) from None

    def _import_records(self, records: dict) -> None:
        with self._write() as conn:
            if conn.execute("SELECT (SELECT count(*) FROM actors) + (SELECT count(*) FROM users)").fetchone()[0]:
                raise Conflict("the store is not empty; restore into a new, empty store")
            for a in records.get("actors", []):
                conn.execute(
                    "INSERT INTO actors (id, name, name_folded, aliases_folded, kind, aliases, description, tags, country, city,"
                    " contact_details, attributes, source, created_at, created_by, updated_at, updated_by, deleted_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (a["id"], a["name"], fold(a["name"]), _dumps([fold(x) for x in a["aliases"]]), a["kind"],
                     _dumps(a["aliases"]), a["description"], _dumps(a["tags"]), a["country"], a["city"],
                     _dumps(a["contact_details"]), _dumps(a["attributes"]), a["source"], a["created_at"],
                     a["created_by"], a["updated_at"], a["updated_by"], a["deleted_at"]),
                )
            for t in records.get("ties", []):
                conn.execute(
                    "INSERT INTO ties (id, source_id, target_id, type, label, directed, strength, since, until, last_contact,"
                    " source, description, attributes, created_at, created_by, updated_at, updated_by, deleted_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (t["id"], t["source_id"], t["target_id"], t["type"], t["label"], int(bool(t["directed"])), t["strength"],
                     t["since"], t["until"], t["last_contact"], t["source"], t["description"], _dumps(t["attributes"]),
                     t["created_at"], t["created_by"], t["updated_at"], t["updated_by"], t["deleted_at"]),
                )
            for h in records.get("history", []):
                conn.execute(
                    "INSERT INTO history (seq, entity_type, entity_id, action, at, by, before, after) VALUES (?,?,?,?,?,?,?,?)",
                    (h["id"], h["entity_type"], h["entity_id"], h["action"], h["at"], h["by"],
                     None if h["before"] is None else _dumps(h["before"]), None if h["after"] is None else _dumps(h["after"])),
                )
            for u in records.get("users", []):
                conn.execute(
                    "INSERT INTO users (id, username, password_hash, role, created_at, created_by, disabled_at, session_epoch)"
                    " VALUES (?,?,?,?,?,?,?,?)",
                    (u["id"], u["username"], u["password_hash"], u["role"], u["created_at"], u["created_by"], u["disabled_at"],
                     u.get("session_epoch") or 0),
                )
            for t in records.get("tokens", []):
                conn.execute(
                    "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at, revoked_at, scopes)"
                    " VALUES (?,?,?,?,?,?,?,?)",
                    (t["id"], t["user_id"], t["name"], t["token_hash"], t["created_at"], t["expires_at"], t["revoked_at"],
                     _dumps(t["scopes"])),
                )
            for e in records.get("audit", []):
                conn.execute(
                    "INSERT INTO audit_log (seq, at, actor, action, target, detail, ip, hash) VALUES (?,?,?,?,?,?,?,?)",
                    (e["seq"], e["at"], e["actor"], e["action"], e["target"], _dumps(e["detail"]), e["ip"], e.get("hash")),
                )
            unchained = [e["seq"] for e in records.get("audit", []) if not e.get("hash")]
            conn.execute("UPDATE audit_chain SET starts_after = ?", (max(unchained, default=0),))
            for e in records.get("access", []):
                conn.execute(
                    "INSERT INTO access (entity_id, entity_type, visible_to, set_at, set_by) VALUES (?,?,?,?,?)",
                    (e["entity_id"], e["entity_type"], _dumps(e["visible_to"]), e["set_at"], e["set_by"]),
                )
            for r in records.get("sync_sources", []):
                conn.execute(
                    "INSERT INTO sync_sources (name, format, files, first_sync_at, last_sync_at, last_sync_by, syncs)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (r["name"], r["format"], _dumps(r["files"]), r["first_sync_at"], r["last_sync_at"], r["last_sync_by"], r["syncs"]),
                )
            conn.executemany(
                "INSERT INTO sync_records (source, entity_type, entity_id, file, sheet, row, first_seen_at, last_seen_at,"
                " last_seen_by, missing_since, data) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(r["source"], r["entity_type"], r["entity_id"], r["file"], r["sheet"], r["row"], r["first_seen_at"],
                  r["last_seen_at"], r["last_seen_by"], r["missing_since"], _dumps(r["data"]))
                 for r in records.get("sync_records", [])],
            )
            for m in records.get("actor_merges", []):
                conn.execute("INSERT INTO actor_merges (merged_id, into_id, at, by) VALUES (?,?,?,?)",
                             (m["merged_id"], m["into_id"], m["at"], m["by"]))
            for n in records.get("analytics_snapshots", []):
                conn.execute(
                    "INSERT INTO analytics_snapshots (id, name, coordinator_id, taken_at, created_by, metrics) VALUES (?,?,?,?,?,?)",
                    (n["id"], n["name"], n["coordinator_id"], n["taken_at"], n["created_by"], _dumps(n["metrics"])),
                )
