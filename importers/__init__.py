"""Readers for the files people keep (spreadsheets, contact exports, graph files) -> actor and tie records.

Readers never write: :func:`read_batch` returns a :class:`~importers.records.Batch` for
:mod:`graph_service.services.sync`, which matches it to the store, plans the change and applies
it in one transaction.

Formats (``--format``, detected when ``auto``): ``contacts`` (any contact table; Google and
Outlook layouts included), ``vcard``, ``kumu``, ``kumu-json``, ``gephi``, ``edgelist``,
``graphml``, ``gexf``.
"""
from __future__ import annotations

from pathlib import Path

from graph_service.errors import ImportRefused

from . import contacts, graphs, kumu, vcard
from .headers import field_for, key, tie_field_for
from .records import FORMATS, Batch, ImportOptions, InputFile
from .tabular import CSV_SUFFIXES, EXCEL_SUFFIXES, Table, read_csv, read_workbook

__all__ = ["FORMATS", "Batch", "ImportOptions", "InputFile", "read_batch"]

_BY_SUFFIX = {".vcf": "vcard", ".vcard": "vcard", ".graphml": "graphml", ".gexf": "gexf", ".json": "kumu-json"}
_CONTACT_SIGNS = {"name", "first_name", "last_name", "organization", "email", "phone", "role"}


def _tables(inputs: list[InputFile], options: ImportOptions) -> tuple[list[Table], list[dict]]:
    tables: list[Table] = []
    skipped: list[dict] = []
    for inp in inputs:
        suffix = inp.path.suffix.lower() if inp.path.suffix else Path(inp.name).suffix.lower()
        if suffix in EXCEL_SUFFIXES:
            found, skip = read_workbook(inp, header_row=options.header_row, sheet=options.sheet)
            tables.extend(found)
            skipped.extend(skip)
            if not found:
                raise ImportRefused(skip or [{"file": inp.name, "message": "the workbook has no sheet with a table"}])
        elif suffix in CSV_SUFFIXES or not suffix:
            tables.append(read_csv(inp, encoding=options.encoding, delimiter=options.delimiter, header_row=options.header_row))
        else:
            raise ImportRefused([{"file": inp.name, "message": (
                f"cannot import {suffix} files; give .csv, .xlsx, .vcf, .graphml, .gexf or a Kumu .json blueprint")}])
    return tables, skipped


def _contact_score(table: Table) -> int:
    fields = set()
    for h in table.header:
        f = field_for(h)
        if f:
            fields.add(f[0])
    return len(fields & _CONTACT_SIGNS) * 100 + min(len(table.rows), 99)


def _is_edge_table(table: Table) -> bool:
    fields = {tie_field_for(h) for h in table.header}
    return "from" in fields and "to" in fields


def _gephi_style(table: Table) -> bool:
    keys = {key(h) for h in table.header}
    return "source" in keys and "target" in keys


def _end_types(table: Table) -> bool:
    return any(graphs._END_TYPE.match(key(h)) for h in table.header)


def _detect_tables(tables: list[Table]) -> str:
    edges = [t for t in tables if _is_edge_table(t)]
    nodes = [t for t in tables if not _is_edge_table(t)]
    if edges and not nodes:
        if len(edges) == 1 and (_end_types(edges[0]) or _gephi_style(edges[0])):
            return "edgelist"
        return "kumu"  # a Connections table alone: refused for want of Elements
    if edges:
        return "gephi" if all(_gephi_style(e) for e in edges) else "kumu"
    if len(nodes) == 1 and any(key(h) == "label" for h in nodes[0].header) and _contact_score(nodes[0]) < 200:
        return "kumu"
    return "contacts"


def choose_contact_tables(tables: list[Table], inputs: list[InputFile], batch_notes: list[str]) -> list[Table]:
    """One table per file: a workbook's best-scoring sheet (by how many contact columns it has)."""
    chosen: list[Table] = []
    for inp in inputs:
        mine = [t for t in tables if t.file == inp.name]
        if len(mine) <= 1:
            chosen.extend(mine)
            continue
        ranked = sorted(mine, key=lambda t: -_contact_score(t))
        best = ranked[0]
        others = ", ".join(repr(t.sheet) for t in ranked[1:])
        batch_notes.append(f"{inp.name}: read sheet {best.sheet!r} (it has the most contact columns); "
                           f"other sheets {others} were not read: give --sheet to choose one")
        chosen.append(best)
    return chosen


def read_batch(inputs: list[InputFile], options: ImportOptions) -> Batch:
    """Read ``inputs`` in ``options.format`` (detected when ``auto``). Raises ImportRefused."""
    if not inputs:
        raise ImportRefused([{"message": "no files given"}])
    for inp in inputs:
        if not inp.path.exists():
            raise ImportRefused([{"file": inp.name, "message": "file not found"}])
    fmt = options.format or "auto"
    if fmt not in FORMATS:
        raise ImportRefused([{"message": f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}"}])
    names = ", ".join(i.name for i in inputs)
    if fmt == "auto":
        kinds = {_BY_SUFFIX.get(Path(i.name).suffix.lower()) for i in inputs}
        if len(kinds) == 1 and None not in kinds:
            fmt = kinds.pop()
        elif kinds - {None}:
            raise ImportRefused([{"file": names, "message": "import files of one kind at a time (tables, vCards, GraphML, GEXF or JSON)"}])
    if fmt == "vcard":
        return vcard.read(inputs, options)
    if fmt in ("graphml", "gexf", "kumu-json"):
        if len(inputs) != 1:
            raise ImportRefused([{"file": names, "message": f"give one {fmt} file at a time"}])
        reader = {"graphml": graphs.read_graphml, "gexf": graphs.read_gexf, "kumu-json": kumu.read_json}[fmt]
        return reader(inputs[0], options)
    tables, skipped = _tables(inputs, options)
    notes = [f"{s['file']} ({s.get('sheet', '')}): not read: {s['message']}" for s in skipped]
    detected = fmt == "auto"
    if detected:
        fmt = _detect_tables(tables)
    if fmt == "kumu":
        elements, connections = kumu.pick_tables(tables, names)
        batch = kumu.read_tables(elements, connections, options)
    elif fmt == "gephi":
        node_tables = [t for t in tables if not _is_edge_table(t)]
        edge_tables = [t for t in tables if _is_edge_table(t)]
        if len(node_tables) != 1 or len(edge_tables) > 1:
            raise ImportRefused([{"file": names, "message": "give one node table (Id, Label) and at most one edge table (Source, Target)"}])
        if not any(key(h) == "id" for h in node_tables[0].header):
            raise ImportRefused([{**node_tables[0].where(), "message": "the node table needs an Id column (the edges refer to it)"}])
        batch = graphs.read_gephi(node_tables[0], edge_tables[0] if edge_tables else None, options)
    elif fmt == "edgelist":
        if len(tables) != 1 or not _is_edge_table(tables[0]):
            raise ImportRefused([{"file": names, "message": "an edge list is one table with a column for each end (Source and Target, or From and To)"}])
        batch = graphs.read_edgelist(tables[0], options)
    else:
        chosen = choose_contact_tables(tables, inputs, notes)
        batch = contacts.read_tables(chosen, options, fmt)
    batch.notes[:0] = notes
    if detected:
        batch.notes.insert(0, f"read as {batch.format} (detected; give --format to choose)")
    for t in tables:
        if t.encoding:
            batch.notes.append(f"{t.file}: encoding {t.encoding}, separator {t.delimiter}")
    return batch
