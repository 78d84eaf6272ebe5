"""The Kumu layout: an Elements sheet (actors) and a Connections sheet (ties).

Accepted as one ``.xlsx`` with sheets ``Elements`` and ``Connections``, or as a pair of CSV files
told apart by their headers (``Label`` vs ``From``/``To``). Columns (Kumu's own names):

- Elements: ``Label`` (required), ``Type`` (actor kind), ``Description``, ``Tags`` (``|``-separated),
  ``Country``, ``City``, optional ``ID``, ``Aliases``, ``Email``, ``Phone``; any other column is
  kept in ``attributes``.
- Connections: ``From``, ``To`` (labels or ids), ``Type``, ``Direction`` (``directed``/``mutual``),
  ``Strength`` (1-5), ``Last Contact``, ``Since``, ``Until`` (ISO dates), ``Description``; others
  are kept in ``attributes``.

:func:`parse` returns validated actor and tie dicts ready for the sync plan, or raises
:class:`~graph_service.errors.ImportRefused` listing every bad cell with file, sheet, row, column.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph_service.errors import ImportRefused, ValidationError
from graph_service.model import (
    ACTOR_KINDS,
    clean_text,
    fold,
    kind_of,
    parse_date,
    parse_direction,
    parse_strength,
    slug_id,
    split_multi,
    tie_natural_key,
    tie_type_of,
)

from .tabular import EXCEL_SUFFIXES, Table, read_csv, read_excel_sheets

_ELEMENT_COLUMNS = {"label", "type", "description", "tags", "country", "city", "id", "aliases", "alias", "email", "phone"}
_CONNECTION_COLUMNS = {"from", "to", "type", "direction", "strength", "lastcontact", "since", "until", "description", "id"}


@dataclass
class KumuSource:
    elements: Table
    connections: Table | None


def _norm(header: str) -> str:
    return header.lower().replace(" ", "").replace("_", "")


def looks_like_kumu(paths: list[Path]) -> bool:
    """True if the files are a Kumu workbook or an Elements/Connections CSV pair."""
    try:
        read(paths)
    except ImportRefused:
        return False
    return True


def read(paths: list[Path]) -> KumuSource:
    """Find the Elements and Connections tables among ``paths``. Raises ImportRefused."""
    tables: list[Table] = []
    for path in paths:
        if path.suffix.lower() in EXCEL_SUFFIXES:
            tables.extend(read_excel_sheets(path).values())
        elif path.suffix.lower() in (".csv", ".tsv", ".txt"):
            tables.append(read_csv(path))
        else:
            raise ImportRefused([{"file": path.name, "message": "unsupported file type; give .xlsx or .csv files"}])
    elements = [t for t in tables if t.column("Label") and not (t.column("From") and t.column("To"))]
    connections = [t for t in tables if t.column("From") and t.column("To")]
    names = ", ".join(p.name for p in paths)
    if len(elements) != 1:
        where = "no" if not elements else "more than one"
        raise ImportRefused(
            [{"file": names, "message": f"found {where} Elements table (a sheet or CSV whose header has a 'Label' column)"}]
        )
    if len(connections) > 1:
        raise ImportRefused([{"file": names, "message": "found more than one Connections table (header with 'From' and 'To')"}])
    return KumuSource(elements=elements[0], connections=connections[0] if connections else None)


def _extra_attributes(table: Table, values: dict, known: set[str]) -> dict:
    return {h: clean_text(values[h]) for h in table.header if _norm(h) not in known and clean_text(values[h])}


def parse(source: KumuSource, store) -> tuple[list[dict], list[dict]]:
    """Validated ``(actors, ties)`` from a Kumu source; ids resolve against ``store`` by name.

    An element whose label names a live actor keeps that actor's id, so re-imports update in place.
    Raises ImportRefused with every bad cell (nothing is written by this function).
    """
    errors: list[dict] = []
    el = source.elements
    col = {k: el.column(*v) for k, v in {
        "label": ("Label",), "type": ("Type",), "description": ("Description",), "tags": ("Tags",),
        "country": ("Country",), "city": ("City",), "id": ("ID",), "aliases": ("Aliases", "Alias"),
        "email": ("Email",), "phone": ("Phone",),
    }.items()}
    actors: list[dict] = []
    by_label: dict[str, dict] = {}
    by_id: dict[str, dict] = {}
    for row, values in el.rows:
        def cell(key):
            return clean_text(values[col[key]]) if col[key] else ""

        label = cell("label")
        if not label:
            errors.append({**el.where(row, col["label"]), "message": "Label is empty; every element needs a name"})
            continue
        kind = kind_of(cell("type")) if cell("type") else None
        if kind is None:
            shown = cell("type") or "(empty)"
            errors.append({**el.where(row, col["type"] or "Type"),
                           "message": f"Type {shown!r} is not an actor kind; use one of {', '.join(ACTOR_KINDS)}"})
            # still known by name, so its connections are not reported a second time
            by_label.setdefault(fold(label), {"id": slug_id(label), "_row": row})
            continue
        key = fold(label)
        if key in by_label:
            errors.append({**el.where(row, col["label"]), "message": f"Label {label!r} appears twice (also row {by_label[key]['_row']})"})
            continue
        actor_id = cell("id")
        if not actor_id:
            existing = store.find_actors_by_name(label)
            actor_id = existing[0]["id"] if len(existing) == 1 else slug_id(label)
        if actor_id in by_id:
            actor_id = f"{actor_id}-{row}"
        contacts = [{"type": "email", "value": v} for v in split_multi(cell("email"))]
        contacts += [{"type": "phone", "value": v} for v in split_multi(cell("phone"))]
        actor = {
            "id": actor_id,
            "name": label,
            "kind": kind,
            "description": cell("description"),
            "tags": split_multi(cell("tags")),
            "aliases": split_multi(cell("aliases")),
            "country": cell("country"),
            "city": cell("city"),
            "attributes": _extra_attributes(el, values, _ELEMENT_COLUMNS),
            "source": f"{el.file}#{el.sheet}!row {row}",
            "_row": row,
        }
        if contacts:
            actor["contact_details"] = contacts
        by_label[key] = actor
        by_id[actor_id] = actor
        for alias in actor["aliases"]:
            by_label.setdefault(fold(alias), actor)
        actors.append(actor)

    ties: list[dict] = []
    cn = source.connections
    if cn is not None:
        ccol = {k: cn.column(*v) for k, v in {
            "from": ("From",), "to": ("To",), "type": ("Type",), "direction": ("Direction",),
            "strength": ("Strength",), "last_contact": ("Last Contact", "LastContact"), "since": ("Since",),
            "until": ("Until",), "description": ("Description",), "id": ("ID",),
        }.items()}
        seen_ids: dict[str, int] = {}
        for row, values in cn.rows:
            def cell(key):
                return clean_text(values[ccol[key]]) if ccol[key] else ""

            errors_before = len(errors)
            ends = {}
            for end in ("from", "to"):
                ref = cell(end)
                target = by_label.get(fold(ref)) or by_id.get(ref)
                if target is not None:
                    ends[end] = target["id"]
                    continue
                found = store.get_actor(ref) if ref else None
                if found is None and ref:
                    matches = store.find_actors_by_name(ref)
                    found = matches[0] if len(matches) == 1 else None
                if found is None:
                    message = f"{end.title()} is empty" if not ref else f"{ref!r} is not an element of this import nor a known actor"
                    errors.append({**cn.where(row, ccol[end]), "message": message})
                else:
                    ends[end] = found["id"]
            tie = {"description": cell("description"), "source": f"{cn.file}#{cn.sheet}!row {row}",
                   "attributes": _extra_attributes(cn, values, _CONNECTION_COLUMNS)}
            label = cell("type") or "related to"
            tie["type"] = tie_type_of(label)
            tie["label"] = label
            for field, parser, key in (
                ("directed", parse_direction, "direction"),
                ("strength", parse_strength, "strength"),
            ):
                try:
                    tie[field] = parser(cell(key), ccol[key] or key)
                except ValidationError as exc:
                    errors.append({**cn.where(row, ccol[key]), "message": exc.errors[0]["message"]})
            for field in ("last_contact", "since", "until"):
                try:
                    tie[field] = parse_date(cell(field), ccol[field] or field)
                except ValidationError as exc:
                    errors.append({**cn.where(row, ccol[field]), "message": exc.errors[0]["message"]})
            if len(errors) > errors_before:
                continue
            tie["source_id"], tie["target_id"] = ends["from"], ends["to"]
            tie["id"] = cell("id") or tie_natural_key(tie)
            if tie["id"] in seen_ids:
                errors.append({**cn.where(row), "message": f"the same tie ({cell('from')} {label} {cell('to')}) is also on row {seen_ids[tie['id']]}"})
                continue
            seen_ids[tie["id"]] = row
            ties.append(tie)
    if errors:
        raise ImportRefused(errors)
    for actor in actors:
        actor.pop("_row", None)
    return actors, ties
