"""Graph files: Gephi node and edge tables, one-table edge lists, GraphML and GEXF.

- Gephi tables (also any node table with ``id`` and ``name``/``Label`` plus an edge table with
  ``Source``/``Target``): nodes keep their ``Id`` as the reference the edges use. Gephi's edge
  ``Type`` column holds the direction (``Directed``/``Undirected``); any other wording there is
  the tie type. ``Weight`` is kept as an attribute (it is not our 1-5 strength).
- Edge lists (one table naming both ends, e.g. ``Entity A Type, Entity A, Entity B Type,
  Entity B, Connection, Source(s)``): actors are created by name; a type column per end gives
  their kinds.
- GraphML (read by NetworkX after a lenient repair: ``<key>`` declarations written inside
  ``<graph>``, which the standard rejects and NetworkX refuses, are moved to the top) and GEXF
  (NetworkX). XML is parsed with ``defusedxml`` first, so entity tricks are refused.
  Node attributes ``name``/``label`` -> name, ``type``/``kind`` -> kind, ``description``,
  ``acronym``/``alias`` -> aliases, ``website``/``url`` -> contact url, ``email`` -> e-mail; the rest
  are kept as attributes. Edge ``type``/``label``/``relationship`` -> tie type.

Nodes without any kind information need ``--kind`` (the message says so).
"""
from __future__ import annotations

import io
import re

import networkx as nx
from defusedxml import ElementTree as SafeET

from graph_service.errors import ImportRefused, ValidationError
from graph_service.model import ACTOR_KINDS, fold, parse_strength, tie_type_of

from . import normalise as norm
from .headers import field_for, key, tie_field_for
from .kumu import actor_kind, kind_message
from .records import ActorRecord, Batch, ImportOptions, InputFile, TieRecord
from .tabular import Table

_DIRECTIONS = {"directed": True, "undirected": False, "mutual": False, "bidirectional": False}
_END_TYPE = re.compile(r"^(entity|actor|node|source|target|from|to) ?(a|b)? type$")


def kind_for(raw: str, options: ImportOptions) -> tuple[str | None, bool]:
    """Like :func:`importers.kumu.actor_kind`, also reading the last word (``Federal Agency``)."""
    kind, keep = actor_kind(raw, options)
    if kind is None and raw.strip():
        last = raw.strip().split()[-1]
        kind, keep2 = actor_kind(last, options)
        keep = keep or (kind is not None and fold(last) != fold(raw))
    return kind, keep


# --- node and edge tables ---------------------------------------------------------------------
def is_node_table(table: Table) -> bool:
    keys = {key(h) for h in table.header}
    return "id" in keys and any(field_for(h) == ("name", None) for h in table.header) and not is_edge_table(table)


def is_edge_table(table: Table) -> bool:
    fields = {tie_field_for(h) for h in table.header}
    return "from" in fields and "to" in fields


def _node(batch: Batch, options: ImportOptions, where: dict, ref: str, values: dict, columns: dict, attributes: dict,
          refs: dict) -> None:
    name = norm.text(values.get("name", "")) or ref
    if not name:
        batch.reject(where, "the node has neither a name nor an id", columns.get("name"))
        return
    raw_kind = norm.text(values.get("kind", ""))
    kind, keep = kind_for(raw_kind, options)
    if kind is None:
        if raw_kind:
            batch.reject(where, kind_message(raw_kind), columns.get("kind"))
        else:
            batch.reject(where, "nothing says what kind of actor this node is; give --kind (one of "
                         f"{', '.join(ACTOR_KINDS)}), e.g. --kind ngo")
        refs[ref] = None
        return
    if keep:
        attributes[columns.get("kind", "type")] = raw_kind
    if ref in refs:
        batch.reject(where, f"the node id {ref!r} appears twice", columns.get("id"))
        return
    fields: dict = {}
    if "description" in values:
        fields["description"] = norm.multiline(values["description"])
    if "aliases" in values:
        fields["aliases"] = [a for a in norm.split_values(values["aliases"]) if a != name]
    for f in ("city", "country"):
        if f in values:
            fields[f] = norm.text(values[f])
    if "tags" in values:
        fields["tags"] = norm.split_values(values["tags"])
    contacts = norm.contact_details(values, columns, options.region, batch, where, attributes)
    record = ActorRecord(where=where, name=name, kind=kind, ref="node:" + ref, match="name", fields=fields,
                         contacts=contacts, attributes=attributes)
    refs[ref] = record
    batch.actors.append(record)


def _edge(batch: Batch, options: ImportOptions, where: dict, values: dict, columns: dict, attributes: dict,
          refs: dict | None, directed_default: bool = True) -> None:
    ends = {}
    for end in ("from", "to"):
        ref = norm.text(values.get(end, ""))
        if not ref:
            batch.reject(where, f"{'Source' if end == 'from' else 'Target'} is empty", columns.get(end))
            return
        if refs is not None:
            if ref not in refs:
                batch.reject(where, f"{ref!r} is not a node id of the node table", columns.get(end))
                return
            if refs[ref] is None:
                batch.warn(where, f"not imported: its end {ref!r} is a rejected node")
                return
            ends[end] = refs[ref].ref
        else:
            ends[end] = ref
    fields: dict = {"directed": directed_default}
    label = ""
    raw_type = norm.text(values.get("tie_type", ""))
    if raw_type and fold(raw_type) in _DIRECTIONS:
        fields["directed"] = _DIRECTIONS[fold(raw_type)]
    elif raw_type:
        label = raw_type
    if values.get("label"):
        label = norm.text(values["label"]) or label
    raw_dir = norm.text(values.get("direction", ""))
    if raw_dir:
        low = fold(raw_dir)
        if low in ("true", "yes", "1", "false", "no", "0"):
            truthy = low in ("true", "yes", "1")
            bidirectional = columns.get("direction", "").lower().startswith("bidirectional")
            fields["directed"] = (not truthy) if bidirectional else truthy
        elif low in _DIRECTIONS:
            fields["directed"] = _DIRECTIONS[low]
        else:
            batch.reject(where, f"{raw_dir!r} is not a direction; use directed or mutual", columns.get("direction"))
            return
    if values.get("strength", "").strip():
        try:
            fields["strength"] = parse_strength(values["strength"], columns.get("strength", "strength"))
        except ValidationError as exc:
            batch.reject(where, exc.errors[0]["message"], columns.get("strength"))
            return
    for f in ("since", "until", "last_contact"):
        if values.get(f, "").strip():
            try:
                fields[f] = norm.date(values[f], options.date_order)
            except norm.Unusable as exc:
                batch.reject(where, str(exc), columns.get(f))
                return
    if "description" in values:
        fields["description"] = norm.multiline(values["description"])
    label = label or "related to"
    batch.ties.append(TieRecord(where=where, source_ref=ends["from"], target_ref=ends["to"], type=tie_type_of(label),
                                label=label, id=norm.text(values.get("id", "")) or None, fields=fields,
                                attributes=attributes, columns={"from": columns.get("from"), "to": columns.get("to")}))


def _node_columns(table: Table) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, h in enumerate(table.header):
        k = key(h)
        found = field_for(h)
        f = "id" if k == "id" else (found[0] if found else None)
        if k in ("label", "name"):
            f = "name"
        if f in ("id", "name", "kind", "description", "aliases", "email", "phone", "url", "city", "country", "tags") and f not in cols:
            cols[f] = i
    return cols


def _edge_columns(table: Table) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, h in enumerate(table.header):
        k = key(h)
        f = tie_field_for(h)
        if k == "label":
            f = "label"
        elif k == "type":
            f = "tie_type"
        elif k.startswith("bidirectional"):
            f = "direction"
        elif k == "weight":
            f = None
        if f and f not in cols:
            cols[f] = i
    return cols


def read_gephi(nodes: Table, edges: Table | None, options: ImportOptions) -> Batch:
    """A :class:`Batch` from a node table and an edge table whose ends are node ids."""
    batch = Batch(format="gephi", files=sorted({nodes.file} | ({edges.file} if edges else set())), merge_repeated_rows=False)
    refs: dict = {}
    ncols = _node_columns(nodes)
    names = {f: nodes.header[i] for f, i in ncols.items()}
    known = set(ncols.values())
    for i, h in enumerate(nodes.header):
        batch.columns.append({"file": nodes.file, "sheet": nodes.sheet, "column": h,
                              "field": next((f for f, j in ncols.items() if j == i), "attribute")})
    for row, values in nodes.rows:
        vals = {f: values[i] for f, i in ncols.items() if f != "id"}
        attrs = {h: norm.multiline(values[i]) for i, h in enumerate(nodes.header) if i not in known and values[i].strip()}
        ref = norm.text(values[ncols["id"]])
        if not ref:
            batch.reject(nodes.where(row), "Id is empty", names.get("id"))
            continue
        _node(batch, options, nodes.where(row), ref, vals, names, attrs, refs)
    batch.rows_read += len(nodes.rows)
    if edges is not None:
        ecols = _edge_columns(edges)
        enames = {f: edges.header[i] for f, i in ecols.items()}
        eknown = set(ecols.values())
        for i, h in enumerate(edges.header):
            batch.columns.append({"file": edges.file, "sheet": edges.sheet, "column": h,
                                  "field": next((f for f, j in ecols.items() if j == i), "attribute")})
        for row, values in edges.rows:
            vals = {f: values[i] for f, i in ecols.items()}
            attrs = {h: norm.multiline(values[i]) for i, h in enumerate(edges.header) if i not in eknown and values[i].strip()}
            _edge(batch, options, edges.where(row), vals, enames, attrs, refs)
        batch.rows_read += len(edges.rows)
    return batch


def read_edgelist(table: Table, options: ImportOptions) -> Batch:
    """A :class:`Batch` from one table of ties naming both ends; actors are created by name."""
    batch = Batch(format="edgelist", files=[table.file])
    ecols = _edge_columns(table)
    end_types: dict[str, int] = {}
    for i, h in enumerate(table.header):
        m = _END_TYPE.match(key(h))
        if m:
            end = "from" if (m.group(2) == "a" or m.group(1) in ("source", "from")) else "to"
            end_types[end] = i
            ecols.pop("tie_type", None) if ecols.get("tie_type") == i else None
    enames = {f: table.header[i] for f, i in ecols.items()}
    used = set(ecols.values()) | set(end_types.values())
    for i, h in enumerate(table.header):
        f = next((f for f, j in ecols.items() if j == i), None) or next((f"{e} kind" for e, j in end_types.items() if j == i), "attribute")
        batch.columns.append({"file": table.file, "sheet": table.sheet, "column": h, "field": f})
    if not end_types and not options.kind:
        raise ImportRefused([{**table.where(), "message": "nothing says what kind of actors the ends are (no type column "
                              f"for them); give --kind (one of {', '.join(ACTOR_KINDS)}), e.g. --kind ngo"}])
    refs: dict = {}
    for row, values in table.rows:
        where = table.where(row)
        for end in ("from", "to"):
            name = norm.text(values[ecols[end]]) if end in ecols else ""
            k = fold(name)
            if not name or k in refs:
                continue
            raw_kind = norm.text(values[end_types[end]]) if end in end_types else ""
            kind, keep = kind_for(raw_kind, options)
            if kind is None:
                batch.reject(where, kind_message(raw_kind), table.header[end_types[end]] if end in end_types else None)
                refs[k] = None
                continue
            attrs = {table.header[end_types[end]]: raw_kind} if keep else {}
            rec = ActorRecord(where={**where, "column": enames.get(end)}, name=name, kind=kind, ref="label:" + k,
                              match="name", attributes=attrs)
            refs[k] = rec
            batch.actors.append(rec)
        vals = {f: values[i] for f, i in ecols.items()}
        attrs = {h: norm.multiline(values[i]) for i, h in enumerate(table.header) if i not in used and values[i].strip()}
        byname = {fold(norm.text(vals.get(e, ""))): r for e in ("from", "to") for r in [refs.get(fold(norm.text(vals.get(e, ""))))]}
        if any(r is None for r in byname.values()):
            batch.warn(where, "not imported: one of its ends was rejected")
            continue
        _edge(batch, options, where, vals, enames, attrs, {norm.text(vals.get(e, "")): refs[fold(norm.text(vals.get(e, "")))]
                                                          for e in ("from", "to") if norm.text(vals.get(e, ""))})
    batch.rows_read += len(table.rows)
    return batch


# --- GraphML and GEXF -------------------------------------------------------------------------
_GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def _safe_tree(inp: InputFile):
    try:
        data = inp.path.read_bytes()
    except FileNotFoundError:
        raise ImportRefused([{"file": inp.name, "message": "file not found"}]) from None
    try:
        return data, SafeET.fromstring(data)
    except Exception as exc:  # defusedxml's DTDForbidden/EntitiesForbidden, ParseError
        raise ImportRefused([{"file": inp.name, "message": f"not a readable XML file: {exc}"}]) from None


def _repair_graphml(inp: InputFile) -> tuple[bytes, list[str]]:
    """GraphML bytes NetworkX accepts: ``<key>`` elements found inside ``<graph>`` moved to the root."""
    from xml.etree import ElementTree as ET  # only serialises a tree defusedxml already parsed

    data, root = _safe_tree(inp)
    notes = []
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    q = (lambda t: f"{{{ns}}}{t}") if ns else (lambda t: t)
    if root.tag != q("graphml"):
        raise ImportRefused([{"file": inp.name, "message": "not a GraphML file (the root element is not <graphml>)"}])
    moved = flagged = 0
    for graph in root.findall(q("graph")):
        for k in list(graph.findall(q("key"))):
            graph.remove(k)
            root.insert(0, k)
            moved += 1
        # per-edge direction (standard "directed", yEd's "isdirected"): NetworkX refuses mixed graphs,
        # so it travels as edge data instead
        for edge in graph.iter(q("edge")):
            flag = edge.attrib.pop("directed", None) or edge.attrib.pop("isdirected", None)
            if flag is not None:
                d = ET.SubElement(edge, q("data"), {"key": "__gs_directed"})
                d.text = "true" if flag.strip().lower() == "true" else "false"
                flagged += 1
    if flagged:
        root.insert(0, ET.Element(q("key"), {"id": "__gs_directed", "for": "edge", "attr.name": "directed", "attr.type": "string"}))
    if moved:
        notes.append(f"{inp.name}: {moved} <key> declarations were inside <graph> (not standard GraphML); read anyway")
    if moved or flagged:
        if ns:
            ET.register_namespace("", ns)
        data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data, notes


_NODE_ATTRS = {"name": "name", "label": "name", "type": "kind", "kind": "kind", "description": "description",
               "acronym": "aliases", "alias": "aliases", "aliases": "aliases", "website": "url", "url": "url",
               "email": "email", "e mail": "email", "phone": "phone", "city": "city", "country": "country", "tags": "tags"}
_EDGE_ATTRS = {"type": "tie_type", "label": "label", "relationship": "tie_type", "relation": "tie_type",
               "strength": "strength", "since": "since", "until": "until", "last contact": "last_contact",
               "description": "description", "directed": "direction", "direction": "direction", "id": "id"}


def read_networkx(graph, inp: InputFile, options: ImportOptions, fmt: str) -> Batch:
    """A :class:`Batch` from a NetworkX graph read from ``inp`` (GraphML or GEXF)."""
    batch = Batch(format=fmt, files=[inp.name], merge_repeated_rows=False)
    refs: dict = {}
    for i, (node, data) in enumerate(graph.nodes(data=True), start=1):
        where = {"file": inp.name, "sheet": "nodes", "row": i, "node": str(node)}
        values, columns, attrs = {}, {}, {}
        for k, v in data.items():
            f = _NODE_ATTRS.get(key(str(k)))
            text = "" if v is None else str(v)
            if f and f not in values:
                values[f], columns[f] = text, str(k)
            elif text.strip():
                attrs[str(k)] = norm.multiline(text)
        _node(batch, options, where, str(node), values, columns, attrs, refs)
    directed_default = graph.is_directed()
    edges = graph.edges(data=True, keys=True) if graph.is_multigraph() else ((u, v, None, d) for u, v, d in graph.edges(data=True))
    for i, (u, v, _, data) in enumerate(edges, start=1):
        where = {"file": inp.name, "sheet": "edges", "row": i}
        values = {"from": str(u), "to": str(v)}
        columns = {"from": "source", "to": "target"}
        attrs = {}
        for k, val in data.items():
            f = _EDGE_ATTRS.get(key(str(k)))
            text = "" if val is None else str(val)
            if f == "direction" and isinstance(val, bool):
                text = "directed" if val else "mutual"
            if f and f not in values:
                values[f], columns[f] = text, str(k)
            elif text.strip():
                attrs[str(k)] = norm.multiline(text)
        _edge(batch, options, where, values, columns, attrs, refs, directed_default)
    batch.rows_read = graph.number_of_nodes() + graph.number_of_edges()
    return batch


def read_graphml(inp: InputFile, options: ImportOptions) -> Batch:
    """A :class:`Batch` from a GraphML file (repaired first when its keys are misplaced)."""
    data, notes = _repair_graphml(inp)
    try:
        graph = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    except Exception as exc:  # NetworkXError, KeyError on broken documents
        raise ImportRefused([{"file": inp.name, "message": f"not a GraphML file NetworkX can read: {exc}"}]) from None
    batch = read_networkx(graph, inp, options, "graphml")
    batch.notes.extend(notes)
    return batch


def read_gexf(inp: InputFile, options: ImportOptions) -> Batch:
    """A :class:`Batch` from a GEXF file (Gephi's XML format)."""
    data, _ = _safe_tree(inp)
    try:
        graph = nx.read_gexf(io.BytesIO(data))
    except Exception as exc:
        raise ImportRefused([{"file": inp.name, "message": f"not a GEXF file NetworkX can read: {exc}"}]) from None
    if not graph.is_multigraph():
        graph = nx.MultiDiGraph(graph) if graph.is_directed() else nx.MultiGraph(graph)
    return read_networkx(graph, inp, options, "gexf")
