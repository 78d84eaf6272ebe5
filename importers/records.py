"""What every reader returns: actor and tie records with their origin, plus the options of an import.

A reader turns one format into a :class:`Batch`: :class:`ActorRecord` and :class:`TieRecord` objects
(normalised text, not yet matched to the store), the rows it had to reject and the warnings it has
for the user, each with ``{file, sheet, row, column, message}``. The sync service
(:mod:`graph_service.services.sync`) matches the records to actors in the store, plans and applies.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from graph_service.model import fold

FORMATS = (
    "auto",       # decided from the file names and headers
    "contacts",   # a table of people and organisations (any CSV/XLSX, Google, Outlook, Thunderbird ...)
    "google",     # Google Contacts CSV (current and legacy headers): contacts with ' ::: ' multi-values
    "outlook",    # Outlook CSV: contacts
    "vcard",      # .vcf, vCard 2.1 / 3.0 / 4.0
    "kumu",       # Kumu Elements + Connections (xlsx or CSV pair)
    "kumu-json",  # Kumu JSON blueprint
    "gephi",      # Gephi node and edge tables (Id/Label, Source/Target)
    "edgelist",   # one table of ties naming both ends (e.g. Entity A, Entity B, Connection)
    "graphml",
    "gexf",
)
DATE_ORDERS = ("iso", "day-first", "month-first")


@dataclass
class InputFile:
    """A file to import: where it is, and the name the user knows it by (shown in every message)."""

    path: Path
    name: str = ""

    def __post_init__(self):
        self.path = Path(self.path)
        if not self.name:
            self.name = self.path.name


@dataclass
class ImportOptions:
    """Everything the user may state about an import; ``None`` means "detect" or "not given".

    - ``format``: one of :data:`FORMATS`.
    - ``sheet``: workbook sheet name (or 1-based number as text) holding the data.
    - ``header_row``: 1-based row of the column names, when not found automatically.
    - ``encoding`` / ``delimiter``: CSV text encoding and separator overrides.
    - ``region``: ISO 3166 code (``DE``) for phone numbers written without ``+country``.
    - ``date_order``: ``iso`` (default: only ``YYYY-MM-DD``), ``day-first`` or ``month-first``.
    - ``kind``: actor kind for rows whose type is missing or not an actor kind.
    - ``org_kind``: kind of organisations named in contact lists (default ``ngo``).
    - ``mapping``: an explicit column mapping (see :mod:`importers.mapping`).
    - ``source``: the name this source is synced under (default: the file names).
    - ``skip_rejected``: apply the good rows even when some rows are rejected.
    - ``workers``: processes normalising phone numbers of big imports (only from single-threaded callers).
    """

    format: str = "auto"
    sheet: str | None = None
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    region: str | None = None
    date_order: str = "iso"
    kind: str | None = None
    org_kind: str | None = None
    mapping: Any = None  # importers.mapping.Mapping
    source: str | None = None
    skip_rejected: bool = False
    progress: Callable[[str, int, int], None] | None = None
    workers: int = 1  # processes for phone numbers on big imports (the CLI uses the cores it has)


@dataclass(slots=True)  # 100,000-row imports hold one per row: no __dict__ each
class ActorRecord:
    """One actor as a file states it.

    ``ref`` is the key other records of the same import use for it (a Kumu label, a Gephi Id, a
    GraphML node id); ``match`` says how to find it among existing actors:
    ``"name"`` (folded name or alias), ``"person"`` (e-mail, else folded name plus organisation),
    ``"org"`` (e-mail, else folded name). ``fields`` holds only the actor fields the file has
    columns for (``description``, ``tags``, ``aliases``, ``country``, ``city``), so an import
    never blanks a field it knows nothing about.
    """

    where: dict
    name: str
    kind: str | None
    ref: str
    match: str = "name"
    id: str | None = None
    lookup_id: str | None = None  # an id that matches an existing actor, never used for a new one (vCard UID)
    fields: dict = field(default_factory=dict)
    contacts: list[dict] = field(default_factory=list)
    attributes: dict = field(default_factory=dict)
    organization: str = ""       # for "person": identity is name plus organisation
    implicit: bool = False       # an organisation named in a contact row, not a row of its own
    name_columns: bool = True    # False when the name was made up (no name column filled)
    _folded_name: str | None = field(default=None, init=False, repr=False, compare=False)
    _folded_organization: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def source_text(self) -> str:
        w = self.where
        return f"{w.get('file', '')}#{w.get('sheet', '')}!row {w.get('row', '')}"

    # Matching looks a record up by its folded name (and organisation) several times: folded once,
    # when planning starts (functools.cached_property takes a lock per read on Python 3.11).
    @property
    def folded_name(self) -> str:
        folded = self._folded_name
        if folded is None:
            folded = self._folded_name = fold(self.name)
        return folded

    @property
    def folded_organization(self) -> str:
        folded = self._folded_organization
        if folded is None:
            folded = self._folded_organization = fold(self.organization)
        return folded

    def remember_folds(self, name: str | None, organization: str | None) -> None:
        """Keep folds of the name and organisation a reader made already (``None``: not made)."""
        if name is not None:
            self._folded_name = name
        if organization is not None:
            self._folded_organization = organization


@dataclass(slots=True)
class TieRecord:
    """One tie as a file states it; ``source_ref``/``target_ref`` are refs of actor records of the
    same import or, failing that, ids or names of actors already in the store."""

    where: dict
    source_ref: str
    target_ref: str
    type: str
    label: str
    id: str | None = None
    fields: dict = field(default_factory=dict)   # directed, strength, since, until, last_contact, description
    attributes: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)  # end -> column name, for messages
    source_text_override: str | None = None

    @property
    def source_text(self) -> str:
        if self.source_text_override:
            return self.source_text_override
        w = self.where
        return f"{w.get('file', '')}#{w.get('sheet', '')}!row {w.get('row', '')}"


@dataclass
class Batch:
    """A reader's result. ``columns`` describes how each column was understood, per table:
    ``[{file, sheet, column, field}]`` (``field`` ``"attribute"`` when kept as an attribute)."""

    format: str
    files: list[str]
    actors: list[ActorRecord] = field(default_factory=list)
    ties: list[TieRecord] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    columns: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0
    # True when a row whose text is repeated elsewhere (same identity) is one actor (contact lists),
    # False when it is an error (Kumu elements: a label must be unique).
    merge_repeated_rows: bool = True

    def reject(self, where: dict, message: str, column: str | None = None) -> None:
        entry = dict(where)
        if column is not None:
            entry["column"] = column
        entry["message"] = message
        self.rejected.append(entry)

    def warn(self, where: dict, message: str, column: str | None = None) -> None:
        entry = dict(where)
        if column is not None:
            entry["column"] = column
        entry["message"] = message
        self.warnings.append(entry)
