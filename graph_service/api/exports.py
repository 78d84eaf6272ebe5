"""``/api/v1/exports/<format>``: the graph, or a filtered part, as CSV, XLSX (Kumu layout), GraphML or vCard.

Query parameters: ``table`` (CSV: ``elements``, ``connections`` or ``contacts``), ``kind``,
``tag``, ``around`` (an actor id or name) with ``depth`` (1-4), ``source`` (a sync source) and
``active_only`` (``true`` leaves out records gone from every source). Contact details are
included for editors and admins only (and the export is written to the audit log); viewers get
the graph without them and no vCards (403). Sensitive actors and ties are left out for everyone
who may not see them. Spreadsheet cells are made inert against formula
injection.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, request

from ..model import ACTOR_KINDS
from ..services import export as exporter
from .helpers import BadParameter, access_view, can_see_contacts, get_store, int_param, str_param, who

bp = Blueprint("exports", __name__, url_prefix="/api/v1/exports")


@bp.get("/<fmt>")
def export(fmt):
    if fmt not in exporter.FORMATS:
        raise BadParameter(f"format must be one of {', '.join(exporter.FORMATS)}", [{"field": "format", "message": "unknown format"}])
    table = str_param("table") or "elements"
    if table not in exporter.CSV_TABLES:
        raise BadParameter(f"table must be one of {', '.join(exporter.CSV_TABLES)}", [{"field": "table", "message": "unknown table"}])
    kind = str_param("kind")
    if kind and kind not in ACTOR_KINDS:
        raise BadParameter(f"kind must be one of {', '.join(ACTOR_KINDS)}", [{"field": "kind", "message": "unknown kind"}])
    active = (str_param("active_only") or "false").lower()
    if active not in ("true", "false", "1", "0"):
        raise BadParameter("active_only must be true or false", [{"field": "active_only", "message": "must be true or false"}])
    contacts = can_see_contacts()
    if fmt == "vcard" and not contacts:
        abort(403, description="vCards are contact details: they need the editor role.")
    store = get_store()
    data, counts = exporter.export(store, fmt, table=table, contacts=contacts, kind=kind, tag=str_param("tag"),
                                   around=str_param("around"), depth=int_param("depth", 1, 1, 4),
                                   source=str_param("source"), active_only=active in ("true", "1"),
                                   exclude=access_view().exclude)
    if contacts and hasattr(store, "audit"):
        store.audit(who(), "export", target=fmt, detail={"format": fmt, "rows": counts["rows"]}, ip=request.remote_addr)
    name = f"graph-service-{table if fmt == 'csv' else 'graph'}{exporter.SUFFIXES[fmt]}"
    return Response(data, mimetype=exporter.MEDIA_TYPES[fmt].split(";")[0],
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Content-Type": exporter.MEDIA_TYPES[fmt], "X-Content-Type-Options": "nosniff"})
