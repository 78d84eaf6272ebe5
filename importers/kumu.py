"""The Kumu layout: an Elements table (actors) and a Connections table (ties), and Kumu JSON blueprints.

Tables come as one workbook with sheets ``Elements`` and ``Connections`` or as CSV files told
apart by their headers (``Label`` vs ``From``/``To``). Columns (Kumu's own names, plus the
synonyms of :mod:`importers.headers`):

- Elements: ``Label`` (required), ``Type`` (actor kind; ``--kind`` or a mapping's ``[kinds]``
  for other words), ``Description``, ``Tags`` (``|``-separated), ``Country``, ``City``, ``ID``,
  ``Aliases``, ``Email``, ``Phone``, ``Website``; any other column is kept in ``attributes``.
- Connections: ``From``, ``To`` (labels or ids), ``Type`` (any wording; ``related to`` when the
  column is missing or empty), ``Direction`` (``directed``/``mutual``), ``Strength`` (1-5),
  ``Last Contact``, ``Since``, ``Until`` (dates), ``Description``/``Note``; others kept.

A Kumu JSON blueprint is ``{"elements": [{"label", "type", ...}], "connections": [{"from", "to",
"type", "direction", ...}]}``; Kumu's project backups nest the fields in ``attributes`` and
refer to elements by ``_id``. Both are read.
"""
from __future__ import annotations

import json

from graph_service.errors import ImportRefused, ValidationError
from graph_service.model import ACTOR_KINDS, fold, kind_of, parse_direction, parse_strength, tie_type_of

from . import normalise as norm
from .headers import field_for, tie_field_for
from .records import ActorRecord, Batch, ImportOptions, InputFile, TieRecord
from .tabular import Table

_ELEMENT_FIELDS = {"id", "name", "kind", "description", "tags", "country", "city", "aliases", "email", "phone", "url", "address"}
_TIE_FIELDS = {"from", "to", "tie_type", "direction", "strength", "since", "until", "last_contact", "description", "id"}


def is_connections(table: Table) -> bool:
    fields = {tie_field_for(h) for h in table.header}
    return "from" in fields and "to" in fields


def is_elements(table: Table) -> bool:
    return not is_connections(table) and any(field_for(h) == ("name", None) for h in table.header)


def pick_tables(tables: list[Table], names: str) -> tuple[Table, Table | None]:
    """The one Elements table and the Connections table (if any). Raises ImportRefused."""
    elements = [t for t in tables if is_elements(t)]
    connections = [t for t in tables if is_connections(t)]
    if len(elements) != 1:
        where = "no" if not elements else "more than one"
        raise ImportRefused([{"file": names, "message": f"found {where} Elements table (a sheet or CSV whose header has a 'Label' column)"}])
    if len(connections) > 1:
        raise ImportRefused([{"file": names, "message": "found more than one Connections table (header with 'From' and 'To')"}])
    return elements[0], (connections[0] if connections else None)


def _element_columns(table: Table, options: ImportOptions) -> dict[str, int]:
    cols: dict[str, int] = {}
    explicit = options.mapping.columns if options.mapping else {}
    from .headers import key

    for i, h in enumerate(table.header):
        f = explicit.get(key(h))
        if f is None:
            found = field_for(h)
            f = found[0] if found else None
        if f in _ELEMENT_FIELDS and f not in cols:
            cols[f] = i
    return cols


def _tie_columns(table: Table, options: ImportOptions) -> dict[str, int]:
    cols: dict[str, int] = {}
    explicit = options.mapping.columns if options.mapping else {}
    from .headers import key

    for i, h in enumerate(table.header):
        f = explicit.get(key(h))
        f = {"tie_type": "tie_type"}.get(f, f) if f else tie_field_for(h)
        if f in _TIE_FIELDS and f not in cols:
            cols[f] = i
    return cols


def actor_kind(raw: str, options: ImportOptions) -> tuple[str | None, bool]:
    """``(kind, kept_as_attribute)``: a type word as an actor kind via the mapping, the kind
    names and their aliases, else ``--kind`` (the word then kept as an attribute)."""
    mapping = options.mapping
    kind = (mapping.kind_for(raw) if mapping and raw else None) or kind_of(raw)
    if kind is None and options.kind:
        return kind_of(options.kind), bool(raw)
    return kind, False


def kind_message(raw: str) -> str:
    shown = raw or "(empty)"
    return (f"Type {shown!r} is not an actor kind; use one of {', '.join(ACTOR_KINDS)}, or give --kind to import "
            "such rows as one kind (their type is kept as an attribute)")


def add_element(batch: Batch, options: ImportOptions, where: dict, values: dict, columns: dict, attributes: dict,
                refs: dict, present: set) -> None:
    """One element (Kumu row or blueprint object) as an :class:`ActorRecord` in ``batch``.

    ``values``: field -> raw text; ``columns``: field -> header for messages; ``refs``: folded
    label -> record (filled here; a repeated label is rejected).
    """
    label = norm.text(values.get("name", ""))
    if not label:
        batch.reject(where, "Label is empty; every element needs a name", columns.get("name", "Label"))
        return
    raw_kind = norm.text(values.get("kind", ""))
    kind, keep = actor_kind(raw_kind, options)
    if kind is None:
        if raw_kind or "kind" in columns:
            batch.reject(where, kind_message(raw_kind), columns.get("kind", "Type"))
        else:
            batch.reject(where, "the elements do not say what kind of actor each is; give --kind (one of "
                         f"{', '.join(ACTOR_KINDS)}) or add a Type column", None)
        refs.setdefault(fold(label), None)  # known by name, so its connections are not reported again
        return
    if keep:
        attributes[columns.get("kind", "Type")] = raw_kind
    key = fold(label)
    if key in refs:
        other = refs[key]
        first = f" (also row {other.where.get('row')})" if other is not None else ""
        batch.reject(where, f"Label {label!r} appears twice{first}", columns.get("name", "Label"))
        return
    contacts = norm.contact_details(values, columns, options.region, batch, where, attributes)
    fields: dict = {}
    for f in ("description", "country", "city"):
        if f in present:
            fields[f] = norm.multiline(values.get(f, "")) if f == "description" else norm.text(values.get(f, ""))
    for f in ("tags", "aliases"):
        if f in present:
            fields[f] = norm.split_values(values.get(f, "")) if isinstance(values.get(f, ""), str) else \
                [norm.text(x) for x in values.get(f) if norm.text(x)]
    record = ActorRecord(where=where, name=label, kind=kind, ref="label:" + key, match="name",
                         id=norm.text(values.get("id", "")) or None, fields=fields, contacts=contacts,
                         attributes=attributes)
    refs[key] = record
    for alias in fields.get("aliases", []):
        refs.setdefault(fold(alias), record)
    batch.actors.append(record)


def add_connection(batch: Batch, options: ImportOptions, where: dict, values: dict, columns: dict,
                   attributes: dict, refs: dict, present: set) -> None:
    """One connection as a :class:`TieRecord`; bad cells are rejected with their column."""
    errors_before = len(batch.rejected)
    ends = {}
    for end in ("from", "to"):
        ref = norm.text(values.get(end, ""))
        if not ref:
            batch.reject(where, f"{end.title()} is empty", columns.get(end, end.title()))
            continue
        key = fold(ref)
        if key in refs and refs[key] is None:
            batch.warn(where, f"not imported: its {end} end {ref!r} is a rejected element")
            return
        ends[end] = refs[key].ref if key in refs else ref
    label = norm.text(values.get("tie_type", "")) or "related to"
    fields: dict = {}
    try:
        fields["directed"] = parse_direction(values.get("direction", ""), columns.get("direction", "Direction"))
    except ValidationError as exc:
        batch.reject(where, exc.errors[0]["message"], columns.get("direction"))
    try:
        fields["strength"] = parse_strength(values.get("strength", ""), columns.get("strength", "Strength"))
    except ValidationError as exc:
        batch.reject(where, exc.errors[0]["message"], columns.get("strength"))
    for f in ("last_contact", "since", "until"):
        try:
            fields[f] = norm.date(values.get(f, ""), options.date_order)
        except norm.Unusable as exc:
            batch.reject(where, str(exc), columns.get(f))
    if fields.get("since") and fields.get("until") and fields["until"] < fields["since"]:
        batch.reject(where, f"Until {fields['until']} is before Since {fields['since']}", columns.get("until"))
    if "description" in present:
        fields["description"] = norm.multiline(values.get("description", ""))
    if len(batch.rejected) > errors_before:
        return
    batch.ties.append(TieRecord(where=where, source_ref=ends["from"], target_ref=ends["to"], type=tie_type_of(label),
                                label=label, id=norm.text(values.get("id", "")) or None, fields=fields,
                                attributes=attributes, columns={"from": columns.get("from"), "to": columns.get("to")}))


def read_tables(elements: Table, connections: Table | None, options: ImportOptions) -> Batch:
    """A :class:`Batch` from Kumu Elements and Connections tables."""
    files = sorted({elements.file} | ({connections.file} if connections else set()))
    batch = Batch(format="kumu", files=files, merge_repeated_rows=False)
    refs: dict = {}
    cols = _element_columns(elements, options)
    names = {f: elements.header[i] for f, i in cols.items()}
    for i, h in enumerate(elements.header):
        batch.columns.append({"file": elements.file, "sheet": elements.sheet, "column": h,
                              "field": next((f for f, j in cols.items() if j == i), "attribute")})
    known_idx = set(cols.values())
    for row, values in elements.rows:
        vals = {f: values[i] for f, i in cols.items()}
        attrs = {h: norm.multiline(values[i]) for i, h in enumerate(elements.header) if i not in known_idx and values[i].strip()}
        add_element(batch, options, elements.where(row), vals, names, attrs, refs, set(cols))
    batch.rows_read += len(elements.rows)
    if connections is not None:
        ccols = _tie_columns(connections, options)
        cnames = {f: connections.header[i] for f, i in ccols.items()}
        for i, h in enumerate(connections.header):
            batch.columns.append({"file": connections.file, "sheet": connections.sheet, "column": h,
                                  "field": next((f for f, j in ccols.items() if j == i), "attribute")})
        if "tie_type" not in ccols:
            batch.notes.append(f"{connections.file} ({connections.sheet}): no Type column; the connections are imported as 'related to'")
        cknown = set(ccols.values())
        for row, values in connections.rows:
            vals = {f: values[i] for f, i in ccols.items()}
            attrs = {h: norm.multiline(values[i]) for i, h in enumerate(connections.header) if i not in cknown and values[i].strip()}
            add_connection(batch, options, connections.where(row), vals, cnames, attrs, refs, set(ccols))
        batch.rows_read += len(connections.rows)
    for t in (elements, connections):
        if t is not None:
            batch.notes.extend(f"{t.file} ({t.sheet}): {n}" for n in t.notes)
    return batch


# --- JSON blueprints ----------------------------------------------------------------------------
_JSON_ELEMENT = {"label": "name", "name": "name", "type": "kind", "element type": "kind", "description": "description",
                 "tags": "tags", "country": "country", "city": "city", "id": "id", "aliases": "aliases",
                 "email": "email", "phone": "phone", "website": "url", "url": "url"}
_JSON_CONNECTION = {"from": "from", "to": "to", "type": "tie_type", "connection type": "tie_type",
                    "direction": "direction", "strength": "strength", "last contact": "last_contact",
                    "since": "since", "until": "until", "description": "description", "id": "id"}


def _flat(obj: dict) -> dict:
    out = {k: v for k, v in obj.items() if k != "attributes"}
    if isinstance(obj.get("attributes"), dict):
        out.update(obj["attributes"])
    return out


def _scalar(v):
    if isinstance(v, list):
        return "|".join(str(x) for x in v)
    if isinstance(v, (dict,)):
        return json.dumps(v, ensure_ascii=False)
    return "" if v is None else str(v)


def read_json(inp: InputFile, options: ImportOptions) -> Batch:
    """A :class:`Batch` from a Kumu JSON blueprint. Raises ImportRefused for a file that is not one."""
    try:
        doc = json.loads(inp.path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise ImportRefused([{"file": inp.name, "message": "file not found"}]) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportRefused([{"file": inp.name, "message": f"not a readable JSON file: {exc}"}]) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("elements"), list):
        raise ImportRefused([{"file": inp.name, "message": "not a Kumu blueprint: expected {\"elements\": [...], \"connections\": [...]}"}])
    batch = Batch(format="kumu-json", files=[inp.name], merge_repeated_rows=False)
    refs: dict = {}
    by_internal: dict[str, str] = {}
    for i, raw in enumerate(doc["elements"], start=1):
        where = {"file": inp.name, "sheet": "elements", "row": i}
        if not isinstance(raw, dict):
            batch.reject(where, "an element must be an object with a label")
            continue
        obj = _flat(raw)
        values, attrs = {}, {}
        for k, v in obj.items():
            f = _JSON_ELEMENT.get(str(k).lower())
            if k == "_id":
                continue
            if f and f not in values:
                values[f] = v if f in ("tags", "aliases") and isinstance(v, list) else _scalar(v)
            elif _scalar(v).strip():
                attrs[str(k)] = _scalar(v)
        add_element(batch, options, where, values, {f: f for f in values} | {"name": "label", "kind": "type"}, attrs, refs,
                    set(values))
        if raw.get("_id") and values.get("name"):
            by_internal[str(raw["_id"])] = norm.text(values["name"])
    conns = doc.get("connections") or []
    if not isinstance(conns, list):
        raise ImportRefused([{"file": inp.name, "message": "\"connections\" must be a list"}])
    for i, raw in enumerate(conns, start=1):
        where = {"file": inp.name, "sheet": "connections", "row": i}
        if not isinstance(raw, dict):
            batch.reject(where, "a connection must be an object with from and to")
            continue
        obj = _flat(raw)
        values, attrs = {}, {}
        for k, v in obj.items():
            f = _JSON_CONNECTION.get(str(k).lower())
            if k == "_id":
                continue
            if f and f not in values:
                values[f] = _scalar(v)
            elif _scalar(v).strip():
                attrs[str(k)] = _scalar(v)
        for end in ("from", "to"):
            if values.get(end) in by_internal:
                values[end] = by_internal[values[end]]
        add_connection(batch, options, where, values, {f: f for f in values}, attrs, refs, set(values))
    batch.rows_read = len(doc["elements"]) + len(conns)
    return batch
