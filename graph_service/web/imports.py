"""The import page: upload spreadsheet files, see the dry-run plan, confirm (editors and admins).

Calls only ``graph_service.services.sync.import_files(store, paths, dry_run=..., by=...)``; the
importers decide which formats they read and explain refusals (shown with file, sheet, row and
column). A plan with rejected rows is shown but cannot be confirmed.
The form offers the options of ``graph-service import`` (format, sheet, header row, encoding,
separator, mapping file, phone region, date order, kinds, source name); messages that name a
command-line flag (``give --kind person``) name the form field instead on this page.
Uploaded files wait in a private folder under the system's temporary directory, named by a
random token that is also kept in the uploader's session: only the person who saw the plan can
confirm it, and the folder is removed once applied or after an hour.
"""
from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from flask import flash, redirect, render_template, request, session, url_for
from werkzeug.utils import secure_filename

from importers.mapping import load_mapping
from importers.records import DATE_ORDERS, FORMATS

from ..api.helpers import BadParameter, access_view, get_store, who
from ..api.imports import _TEXT_FIELDS, options_from_form
from ..auth import require_role
from ..errors import ImportRefused, ValidationError
from ..model import ACTOR_KINDS
from ..services.access import mask_plan
from ..services.sync import import_files
from .blueprint import bp

UPLOAD_TTL_S = 3600
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# form field -> (its label on the page, the command-line flag messages name)
OPTION_LABELS = {
    "format": ("Format", "--format"),
    "sheet": ("Sheet", "--sheet"),
    "header_row": ("Header row", "--header-row"),
    "encoding": ("Encoding", "--encoding"),
    "delimiter": ("Separator", "--delimiter"),
    "mapping": ("Mapping file", "--mapping"),
    "region": ("Phone region", "--region"),
    "date_order": ("Date order", "--date-order"),
    "kind": ("Kind of rows", "--kind"),
    "org_kind": ("Kind of organisations", "--org-kind"),
    "source": ("Source name", "--source"),
}
_BY_FLAG = {flag: label for label, flag in OPTION_LABELS.values()}
_VALUES = "|".join(re.escape(v) for v in sorted({*ACTOR_KINDS, *FORMATS, *DATE_ORDERS, "N"}, key=len, reverse=True))
_FLAG_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(f) for f in sorted(_BY_FLAG, key=len, reverse=True))
                      + r")(?![\w-])(?: (" + _VALUES + r"|[A-Z]{2})\b)?")


def for_the_page(message: str) -> str:
    """A message as the page says it: ``give --kind person`` -> ``give “Kind of rows: person”``."""
    def label(m: re.Match) -> str:
        name = _BY_FLAG[m.group(1)]
        return f"“{name}: {m.group(2)}”" if m.group(2) else f"“{name}”"
    return _FLAG_RE.sub(label, message)


def _page_entries(entries: list) -> list:
    out = []
    for e in entries:
        if not isinstance(e, dict):
            out.append(for_the_page(str(e)))
            continue
        e = {**e, "message": for_the_page(str(e.get("message", "")))}
        if e.get("field") in OPTION_LABELS:
            e["field"] = OPTION_LABELS[e["field"]][0]
        out.append(e)
    return out


def _page_plan(plan: dict) -> dict:
    return {**plan, "rejected": _page_entries(plan.get("rejected", [])), "warnings": _page_entries(plan.get("warnings", [])),
            "notes": _page_entries(plan.get("notes", []))}


def _form_values(form) -> dict:
    """The option fields as typed (shown again with the plan, and kept for the confirmation)."""
    return {k: form.get(k, "").strip() for k in (*_TEXT_FIELDS, "header_row") if form.get(k, "").strip()}


def _render(plan=None, errors=None, status=200, **kw):
    return render_template("import.html", plan=_page_plan(plan) if plan else None, errors=_page_entries(errors) if errors else None,
                           options=kw.pop("options", {}), labels=OPTION_LABELS, formats=FORMATS, kinds=ACTOR_KINDS,
                           date_orders=DATE_ORDERS, **kw), status


def upload_root() -> Path:
    root = Path(tempfile.gettempdir()) / "graph-service-uploads"
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def _sweep(root: Path) -> None:
    """Remove upload folders older than :data:`UPLOAD_TTL_S`."""
    cutoff = time.time() - UPLOAD_TTL_S
    for d in root.iterdir():
        try:
            if d.is_dir() and d.stat().st_mtime < cutoff:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass


def _folder(token: str | None) -> Path | None:
    if not token or not _TOKEN_RE.match(token) or token != session.get("import_token"):
        return None
    folder = upload_root() / token
    return folder if folder.is_dir() else None


def _error_rows(exc: ValidationError) -> list[dict]:
    return [dict(e) for e in exc.errors] or [{"message": exc.detail}]


@bp.get("/import")
@require_role("editor")
def import_view():
    return _render()


def _options(form, folder: Path, mapping_name: str | None):
    options = options_from_form(form)
    if mapping_name:
        options.mapping = load_mapping(folder / mapping_name, name=mapping_name.split("-", 1)[-1])
    return options


@bp.post("/import")
@require_role("editor")
def import_upload():
    """Save the uploaded files and show the dry-run plan (nothing is written to the graph)."""
    files = [f for f in request.files.getlist("files") if f and f.filename]
    values = _form_values(request.form)
    if not files:
        return _render(errors=[{"message": "Choose one or more files to import."}], status=400, options=values)
    root = upload_root()
    _sweep(root)
    token = secrets.token_urlsafe(24)
    folder = root / token
    folder.mkdir(mode=0o700)
    paths = []
    for i, f in enumerate(files):
        name = secure_filename(f.filename) or f"upload-{i}"  # the importer decides what it can read
        path = folder / name
        f.save(path)
        paths.append(path)
    mapping = request.files.get("mapping")
    mapping_name = None
    if mapping and mapping.filename:
        mapping_name = "mapping-" + (secure_filename(mapping.filename) or "mapping.toml")  # never one of the data files
        mapping.save(folder / mapping_name)
    try:
        options = _options(request.form, folder, mapping_name)
        plan = mask_plan(import_files(get_store(), paths, dry_run=True, by=who(), options=options), access_view(), get_store())
    except (ValidationError, BadParameter) as exc:  # ImportRefused included: nothing was written
        shutil.rmtree(folder, ignore_errors=True)
        errors = _error_rows(exc) if isinstance(exc, ValidationError) else [dict(e) for e in exc.errors]
        return _render(errors=errors, status=422 if isinstance(exc, ValidationError) else 400, options=values)
    session["import_token"] = token
    session["import_files"] = [p.name for p in paths]
    session["import_options"] = {**values, **({"mapping": mapping_name} if mapping_name else {})}
    return _render(plan=plan, token=token, options=values)


@bp.post("/import/confirm")
@require_role("editor")
def import_confirm():
    """Apply the plan the user saw (re-planned against the store as it is now, with the same options, in one transaction)."""
    folder = _folder(request.form.get("token"))
    if folder is None:
        flash("That upload has expired or was already imported; upload the file again.")
        return redirect(url_for("web.import_view"))
    paths = [folder / name for name in session.get("import_files", []) if (folder / name).is_file()]
    saved = dict(session.get("import_options") or {})
    try:
        options = _options(saved, folder, saved.pop("mapping", None))
        result = mask_plan(import_files(get_store(), paths, dry_run=False, by=who(), options=options), access_view(), get_store())
    except ImportRefused as exc:
        return _render(errors=_error_rows(exc), status=422)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for k in ("import_token", "import_files", "import_options"):
            session.pop(k, None)
    return _render(plan=result, token=None, applied=True)
