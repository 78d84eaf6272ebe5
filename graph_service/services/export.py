"""Export the graph, or a filtered part of it, to the files people use: CSV, XLSX (Kumu layout),
GraphML and vCard.

Spreadsheet cells that begin with ``=``, ``+``, ``-``, ``@``, tab or carriage return are made
inert (OWASP "CSV injection"): in CSV with a leading apostrophe, in XLSX as text cells with
Excel's quote prefix (the value stays exact). Our importers drop that apostrophe again, so an
export imports back unchanged. GraphML is written by NetworkX, vCard 3.0 by ``vobject``.

Contact details (personal data) are included only when ``contacts=True``.
"""
from __future__ import annotations

import csv
import io
import json

import networkx as nx
import vobject

from ..errors import ValidationError
from .directory import resolve_actor

FORMATS = ("csv", "xlsx", "graphml", "vcard")
CSV_TABLES = ("elements", "connections", "contacts")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "graphml": "application/graphml+xml",
    "vcard": "text/vcard; charset=utf-8",
}
SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx", "graphml": ".graphml", "vcard": ".vcf"}
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
ELEMENT_COLUMNS = ["Label", "Type", "Description", "Tags", "Country", "City", "ID", "Aliases", "Email", "Phone", "Website", "Address"]
CONNECTION_COLUMNS = ["From", "To", "Type", "Direction", "Strength", "Since", "Until", "Last Contact", "Description", "ID"]
CONTACT_COLUMNS = ["Name", "Organisation", "Role", "Department", "E-mail", "Phone", "Website", "Address", "City", "Country",
                   "Tags", "Notes", "ID"]


def inert(value) -> str:
    """A cell value a spreadsheet will not run: ``"=1+2"`` -> ``"'=1+2"``; others unchanged (as text)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_DANGEROUS) else text


def is_dangerous(text: str) -> bool:
    return text.startswith(_DANGEROUS)


# --- choosing what to export ------------------------------------------------------------------
def select(store, *, kind: str | None = None, tag: str | None = None, around: str | None = None, depth: int = 1,
           source: str | None = None, active_only: bool = False,
           exclude: frozenset[str] = frozenset()) -> tuple[list[dict], list[dict]]:
    """``(actors, ties)``: live actors passing every filter and the live ties among them.

    ``around``: an actor (id or name) and its ego network of ``depth`` hops; ``source``: only
    records a sync of that source saw; ``active_only``: leave out records missing from every
    source that had them; ``exclude``: ids of sensitive actors and ties the caller may not see
    (left out, with every tie touching them). Raises NotFound, ValidationError.
    """
    if around:
        centre = resolve_actor(store, around, exclude=exclude)
        net = store.ego_network(centre["id"], depth, exclude=exclude)
        actors, ties = net["actors"], net["ties"]
    else:
        actors, _ = store.list_actors(limit=10**9, exclude=exclude)
        ties, _ = store.list_ties(limit=10**9, exclude=exclude)
    if kind:
        actors = [a for a in actors if a["kind"] == kind]
    if tag:
        actors = [a for a in actors if tag in a["tags"]]
    if source:
        if not hasattr(store, "sync_records"):
            raise ValidationError([{"field": "source", "message": "this store keeps no sync records"}])
        recs = store.sync_records(source)
        if not recs:
            raise ValidationError([{"field": "source", "message": f"no source named {source!r} was synced"}])
        ids = {r["entity_id"] for r in recs}
        actors = [a for a in actors if a["id"] in ids]
        ties = [t for t in ties if t["id"] in ids]
    if active_only and hasattr(store, "inactive_ids"):
        gone = store.inactive_ids()
        actors = [a for a in actors if a["id"] not in gone["actors"]]
        ties = [t for t in ties if t["id"] not in gone["ties"]]
    keep = {a["id"] for a in actors}
    ties = [t for t in ties if t["source_id"] in keep and t["target_id"] in keep]
    return actors, ties


# --- shaping rows -----------------------------------------------------------------------------
def _values(actor: dict, ctype: str) -> str:
    return "|".join(c["value"] for c in actor.get("contact_details") or [] if c["type"] == ctype)


def _labels(actors: list[dict]) -> dict[str, str]:
    """The text that names each actor in From/To: its name, or its id where two share a name."""
    counts: dict[str, int] = {}
    for a in actors:
        counts[a["name"].casefold()] = counts.get(a["name"].casefold(), 0) + 1
    return {a["id"]: a["name"] if counts[a["name"].casefold()] == 1 else a["id"] for a in actors}


def _attr_columns(records: list[dict], taken: list[str]) -> list[str]:
    keys = sorted({k for r in records for k in (r.get("attributes") or {})})
    return [k for k in keys if k not in taken]


def _scalar(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def element_rows(actors: list[dict], contacts: bool) -> tuple[list[str], list[list[str]]]:
    """The Kumu Elements table: ``(header, rows)``."""
    base = ELEMENT_COLUMNS if contacts else [c for c in ELEMENT_COLUMNS if c not in ("Email", "Phone", "Address")]
    extra = _attr_columns(actors, base)
    rows = []
    for a in sorted(actors, key=lambda a: (a["name"].casefold(), a["id"])):
        row = {"Label": a["name"], "Type": a["kind"], "Description": a.get("description", ""),
               "Tags": "|".join(a.get("tags") or []), "Country": a.get("country", ""), "City": a.get("city", ""),
               "ID": a["id"], "Aliases": "|".join(a.get("aliases") or []), "Email": _values(a, "email"),
               "Phone": _values(a, "phone"), "Website": _values(a, "url"), "Address": _values(a, "address")}
        rows.append([row.get(c, "") for c in base] + [_scalar((a.get("attributes") or {}).get(k)) for k in extra])
    return base + extra, rows


def connection_rows(actors: list[dict], ties: list[dict]) -> tuple[list[str], list[list[str]]]:
    """The Kumu Connections table: ``(header, rows)``; ends named by label (id where ambiguous)."""
    labels = _labels(actors)
    extra = _attr_columns(ties, CONNECTION_COLUMNS)
    rows = []
    for t in sorted(ties, key=lambda t: t["id"]):
        row = {"From": labels.get(t["source_id"], t["source_id"]), "To": labels.get(t["target_id"], t["target_id"]),
               "Type": t.get("label") or t["type"], "Direction": "directed" if t.get("directed", True) else "mutual",
               "Strength": _scalar(t.get("strength")), "Since": _scalar(t.get("since")), "Until": _scalar(t.get("until")),
               "Last Contact": _scalar(t.get("last_contact")), "Description": t.get("description", ""), "ID": t["id"]}
        rows.append([row[c] for c in CONNECTION_COLUMNS] + [_scalar((t.get("attributes") or {}).get(k)) for k in extra])
    return CONNECTION_COLUMNS + extra, rows


def contact_rows(actors: list[dict], ties: list[dict], contacts: bool) -> tuple[list[str], list[list[str]]]:
    """People as a contact list: name, organisation and role (from ``works_for``), e-mail, phone..."""
    by_id = {a["id"]: a for a in actors}
    jobs: dict[str, dict] = {}
    for t in sorted(ties, key=lambda t: t["id"]):
        if t["type"] == "works_for" and t["source_id"] not in jobs and t["target_id"] in by_id:
            jobs[t["source_id"]] = t
    header = CONTACT_COLUMNS if contacts else [c for c in CONTACT_COLUMNS if c not in ("E-mail", "Phone", "Address")]
    rows = []
    for a in sorted((a for a in actors if a["kind"] == "person"), key=lambda a: (a["name"].casefold(), a["id"])):
        job = jobs.get(a["id"])
        attrs = (job or {}).get("attributes") or {}
        row = {"Name": a["name"], "Organisation": by_id[job["target_id"]]["name"] if job else "",
               "Role": _scalar(attrs.get("role")), "Department": _scalar(attrs.get("department")),
               "E-mail": _values(a, "email"), "Phone": _values(a, "phone"), "Website": _values(a, "url"),
               "Address": _values(a, "address"), "City": a.get("city", ""), "Country": a.get("country", ""),
               "Tags": "|".join(a.get("tags") or []), "Notes": a.get("description", ""), "ID": a["id"]}
        rows.append([row[c] for c in header])
    return header, rows


# --- writers ----------------------------------------------------------------------------------
def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads umlauts right), every cell made inert."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([inert(h) for h in header])
    for r in rows:
        w.writerow([inert(v) for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(sheets: list[tuple[str, list[str], list[list[str]]]]) -> bytes:
    """An XLSX workbook (xlsxwriter): every cell a text cell; risky ones with Excel's quote prefix."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    bold = wb.add_format({"bold": True})
    quoted = wb.add_format({"quote_prefix": True})
    for name, header, rows in sheets:
        ws = wb.add_worksheet(name)
        for c, h in enumerate(header):
            ws.write_string(0, c, h, bold)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                if v:
                    ws.write_string(r, c, v, quoted if is_dangerous(v) else None)
        ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()


def to_graphml(actors: list[dict], ties: list[dict], contacts: bool) -> bytes:
    """GraphML (NetworkX): node ids are actor ids; lists joined with ``|``; ``directed`` per edge."""
    g = nx.MultiDiGraph()
    reserved = {"name", "kind", "description", "tags", "aliases", "country", "city", "email", "phone", "url"}
    for a in actors:
        data = {"name": a["name"], "kind": a["kind"], "description": a.get("description", ""),
                "tags": "|".join(a.get("tags") or []), "aliases": "|".join(a.get("aliases") or []),
                "country": a.get("country", ""), "city": a.get("city", "")}
        if contacts:
            for ctype, key in (("email", "email"), ("phone", "phone"), ("url", "url")):
                if _values(a, ctype):
                    data[key] = _values(a, ctype)
        for k, v in (a.get("attributes") or {}).items():
            data[k if k not in reserved else f"attribute {k}"] = _scalar(v)
        g.add_node(a["id"], **{k: v for k, v in data.items() if v != ""})
    treserved = {"type", "label", "directed", "strength", "since", "until", "last contact", "description", "id"}
    for t in ties:
        data = {"type": t.get("label") or t["type"], "directed": "true" if t.get("directed", True) else "false",
                "strength": t.get("strength"), "since": t.get("since"), "until": t.get("until"),
                "last contact": t.get("last_contact"), "description": t.get("description", "")}
        for k, v in (t.get("attributes") or {}).items():
            data[k if k not in treserved else f"attribute {k}"] = _scalar(v)
        g.add_edge(t["source_id"], t["target_id"], key=t["id"], **{k: v for k, v in data.items() if v not in (None, "")})
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buf.getvalue()


def to_vcard(actors: list[dict], ties: list[dict]) -> bytes:
    """vCard 3.0 for every person and organisation (orgs marked ``X-ABSHOWAS:COMPANY``)."""
    by_id = {a["id"]: a for a in actors}
    jobs: dict[str, dict] = {}
    for t in sorted(ties, key=lambda t: t["id"]):
        if t["type"] == "works_for" and t["source_id"] not in jobs and t["target_id"] in by_id:
            jobs[t["source_id"]] = t
    out = []
    for a in sorted(actors, key=lambda a: (a["name"].casefold(), a["id"])):
        card = vobject.vCard()
        card.add("fn").value = a["name"]
        person = a["kind"] == "person"
        if person:
            parts = a["name"].split()
            card.add("n").value = vobject.vcard.Name(family=parts[-1] if len(parts) > 1 else a["name"],
                                                     given=" ".join(parts[:-1]) if len(parts) > 1 else "")
        else:
            card.add("n").value = vobject.vcard.Name(family=a["name"])
            card.add("org").value = [a["name"]]
            card.add("x-abshowas").value = "COMPANY"
        job = jobs.get(a["id"])
        if person and job:
            attrs = job.get("attributes") or {}
            card.add("org").value = [by_id[job["target_id"]]["name"]] + ([str(attrs["department"])] if attrs.get("department") else [])
            if attrs.get("role"):
                card.add("title").value = str(attrs["role"])
        for c in a.get("contact_details") or []:
            if c["type"] == "email":
                p = card.add("email")
                p.value = c["value"]
                p.type_param = "INTERNET"
            elif c["type"] == "phone":
                p = card.add("tel")
                p.value = c["value"]
                if c.get("label"):
                    p.type_param = {"mobile": "CELL"}.get(c["label"].lower(), c["label"].upper())
            elif c["type"] == "url":
                card.add("url").value = c["value"]
            elif c["type"] == "address":
                card.add("adr").value = vobject.vcard.Address(street=c["value"])
        if a.get("aliases"):
            card.add("nickname").value = a["aliases"][0]
        if a.get("description"):
            card.add("note").value = a["description"]
        if a.get("tags"):
            card.add("categories").value = list(a["tags"])
        card.add("uid").value = a["id"]
        out.append(card.serialize())
    return "".join(out).encode("utf-8")


def export(store, fmt: str, *, table: str = "elements", contacts: bool = True, **filters) -> tuple[bytes, dict]:
    """``(file bytes, {"actors": n, "ties": n, "rows": n})`` for ``fmt`` in :data:`FORMATS`.

    ``table`` (CSV only): ``elements``, ``connections`` or ``contacts``. Raises ValidationError
    for an unknown format or table, NotFound for an unknown ``around`` actor.
    """
    if fmt not in FORMATS:
        raise ValidationError([{"field": "format", "message": f"use one of {', '.join(FORMATS)}"}])
    if table not in CSV_TABLES:
        raise ValidationError([{"field": "table", "message": f"use one of {', '.join(CSV_TABLES)}"}])
    actors, ties = select(store, **filters)
    if not contacts:
        from .directory import visible_actor

        actors = [visible_actor(a, False) for a in actors]
    counts = {"actors": len(actors), "ties": len(ties)}
    if fmt == "csv":
        if table == "elements":
            header, rows = element_rows(actors, contacts)
        elif table == "connections":
            header, rows = connection_rows(actors, ties)
        else:
            header, rows = contact_rows(actors, ties, contacts)
        counts["rows"] = len(rows)
        return to_csv(header, rows), counts
    if fmt == "xlsx":
        eh, er = element_rows(actors, contacts)
        ch, cr = connection_rows(actors, ties)
        counts["rows"] = len(er) + len(cr)
        return to_xlsx([("Elements", eh, er), ("Connections", ch, cr)]), counts
    if fmt == "graphml":
        counts["rows"] = len(actors) + len(ties)
        return to_graphml(actors, ties, contacts), counts
    if not contacts:
        raise ValidationError([{"field": "format", "message": "vCards are contact details: they need the editor role"}])
    counts["rows"] = len(actors)
    return to_vcard(actors, ties), counts
