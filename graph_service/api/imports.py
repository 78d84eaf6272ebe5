"""``/api/v1/imports``: upload files, get the sync plan (``dry_run``) or apply it; sync sources and provenance.

``POST /api/v1/imports`` (editor; tokens need the ``import`` scope) takes ``multipart/form-data``:
one or more ``file`` parts, an optional ``mapping`` part (TOML/JSON mapping file) and the
fields ``dry_run`` (``true``/``false``, default ``false``), ``format``, ``sheet``,
``header_row``, ``encoding``, ``delimiter``, ``region``, ``date_order``, ``kind``,
``org_kind``, ``source`` and ``skip_rejected``. It answers the plan as JSON (see
:mod:`graph_service.services.sync`): 200 for a dry run, 201 when applied. Rejected rows on
apply, unreadable files and bad options are 422 problems whose ``errors`` name file, sheet,
row, column; malformed fields are 400.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from flask import Blueprint, jsonify, request

from ..auth import require_role
from ..errors import NotFound
from ..services.access import mask_plan
from .helpers import BadParameter, access_view, get_store, who

if TYPE_CHECKING:
    from importers.records import ImportOptions

bp = Blueprint("imports", __name__, url_prefix="/api/v1/imports")

ALLOWED_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".vcf", ".vcard", ".graphml", ".gexf", ".json"}
_TEXT_FIELDS = ("format", "sheet", "encoding", "delimiter", "region", "date_order", "kind", "org_kind", "source")


def _flag(name: str, default: bool, form=None) -> bool:
    raw = (request.form if form is None else form).get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise BadParameter(f"{name} must be true or false", [{"field": name, "message": "must be true or false"}])


def _display_name(filename: str) -> str:
    """The uploaded file's own name without any folders (shown in every message)."""
    return PurePath(filename.replace("\\", "/")).name.strip() or "upload"


def options_from_form(form) -> "ImportOptions":
    """ImportOptions from form fields (:data:`_TEXT_FIELDS`, ``header_row``, ``skip_rejected``);
    empty fields are "not given". Raises BadParameter naming the field (not checked further
    here: :func:`graph_service.services.sync.prepare_options` does that)."""
    from importers.records import ImportOptions

    options = ImportOptions(skip_rejected=_flag("skip_rejected", False, form))
    for name in _TEXT_FIELDS:
        value = form.get(name)
        if value is not None and value.strip():
            if len(value) > 200:
                raise BadParameter(f"{name} is too long", [{"field": name, "message": "at most 200 characters"}])
            setattr(options, name, value.strip())
    if form.get("header_row", "").strip():
        try:
            options.header_row = int(form["header_row"])
        except ValueError:
            raise BadParameter("header_row must be a row number", [{"field": "header_row", "message": "must be a whole number"}]) from None
    return options


@bp.post("")
@require_role("editor")
def create_import():
    from importers.mapping import load_mapping
    from importers.records import InputFile

    from ..services.sync import prepare_options, run_import

    uploads = [f for f in request.files.getlist("file") + request.files.getlist("files") if f and f.filename]
    if not uploads:
        raise BadParameter("send the file(s) as multipart/form-data parts named 'file'",
                           [{"field": "file", "message": "at least one file is required"}])
    dry_run = _flag("dry_run", False)
    options = options_from_form(request.form)
    folder = Path(tempfile.mkdtemp(prefix="graph-service-import-"))
    try:
        inputs = []
        for i, f in enumerate(uploads):
            name = _display_name(f.filename)
            suffix = Path(name).suffix.lower()
            if suffix not in ALLOWED_SUFFIXES:
                raise BadParameter(f"cannot import {name}", [{"field": "file", "file": name, "message":
                                   f"unsupported file type {suffix or '(none)'}; give {', '.join(sorted(ALLOWED_SUFFIXES))}"}])
            path = folder / f"{i}{suffix}"
            f.save(path)
            inputs.append(InputFile(path, name))
        mapping = request.files.get("mapping")
        if mapping and mapping.filename:
            mname = _display_name(mapping.filename)
            options.mapping = load_mapping(folder / mname, name=mname, data=mapping.read())
        options = prepare_options(options)
        result = mask_plan(run_import(get_store(), inputs, options, dry_run=dry_run, by=who()), access_view(), get_store())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    resp = jsonify(result)
    resp.status_code = 201 if result["applied"] else 200
    return resp


@bp.get("/sources")
@require_role("editor")
def list_sources():
    """Every sync source with its last sync (empty on a store that keeps no sync records)."""
    store = get_store()
    return jsonify(items=store.sync_sources() if hasattr(store, "sync_sources") else [])


@bp.get("/provenance/<entity_id>")
@require_role("editor")
def provenance(entity_id):
    """Which source, file, sheet and row an actor or tie came from, when, and by whom."""
    store = get_store()
    tie = store.get_tie(entity_id, include_deleted=True)
    seen = access_view().sees_tie(tie) if tie else access_view().sees(entity_id)
    if not seen or (tie is None and store.get_actor(entity_id, include_deleted=True) is None):
        raise NotFound(f"no actor or tie with id {entity_id!r}")
    items = store.provenance(entity_id) if hasattr(store, "provenance") else []
    return jsonify(items=[{k: v for k, v in r.items() if k != "data"} for r in items])
