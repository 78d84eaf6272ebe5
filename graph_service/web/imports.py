"""The import page: upload spreadsheet files, see the dry-run plan, confirm (editors and admins).

Calls only ``graph_service.services.sync.import_files(store, paths, dry_run=..., by=...)``; the
importers decide which formats they read and explain refusals (shown with file, sheet, row and
column). A plan with rejected rows is shown but cannot be confirmed.
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

from ..api.helpers import access_view, get_store, who
from ..auth import require_role
from ..errors import ImportRefused, ValidationError
from ..services.access import mask_plan
from ..services.sync import import_files
from .blueprint import bp

UPLOAD_TTL_S = 3600
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


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
    return render_template("import.html", plan=None, errors=None)


@bp.post("/import")
@require_role("editor")
def import_upload():
    """Save the uploaded files and show the dry-run plan (nothing is written to the graph)."""
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        return render_template("import.html", plan=None, errors=[{"message": "Choose one or more files to import."}]), 400
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
    try:
        plan = mask_plan(import_files(get_store(), paths, dry_run=True, by=who()), access_view(), get_store())
    except ValidationError as exc:  # ImportRefused included: nothing was written
        shutil.rmtree(folder, ignore_errors=True)
        return render_template("import.html", plan=None, errors=_error_rows(exc)), 422
    session["import_token"] = token
    session["import_files"] = [p.name for p in paths]
    return render_template("import.html", plan=plan, token=token, errors=None)


@bp.post("/import/confirm")
@require_role("editor")
def import_confirm():
    """Apply the plan the user saw (re-planned against the store as it is now, in one transaction)."""
    folder = _folder(request.form.get("token"))
    if folder is None:
        flash("That upload has expired or was already imported; upload the file again.")
        return redirect(url_for("web.import_view"))
    paths = [folder / name for name in session.get("import_files", []) if (folder / name).is_file()]
    try:
        result = mask_plan(import_files(get_store(), paths, dry_run=False, by=who()), access_view(), get_store())
    except ImportRefused as exc:
        return render_template("import.html", plan=None, errors=_error_rows(exc)), 422
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        session.pop("import_token", None)
        session.pop("import_files", None)
    return render_template("import.html", plan=result, token=None, errors=None, applied=True)
