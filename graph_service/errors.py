"""Errors the service raises; the API turns each into an RFC 9457 problem document."""
from __future__ import annotations


class GraphServiceError(Exception):
    """Base class. ``status`` is the HTTP status the API answers with."""

    status = 500
    title = "Internal error"
    type_slug = "internal"

    def __init__(self, detail: str = "", errors: list[dict] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or []


class ValidationError(GraphServiceError):
    """Input that is well-formed but invalid. ``errors`` is ``[{field|row..., message}]``."""

    status = 422
    title = "Invalid input"
    type_slug = "validation"

    def __init__(self, errors: list[dict], detail: str = ""):
        if not detail:
            detail = "; ".join(describe_error(e) for e in errors[:5])
            if len(errors) > 5:
                detail += f"; and {len(errors) - 5} more"
        super().__init__(detail, errors)


def describe_error(error: dict) -> str:
    """One error entry as a line: ``"file a.csv, row 4: the row has no name"``, ``"region: ..."``."""
    where = [f"{k} {error[k]}" for k in ("file", "sheet", "row", "column") if error.get(k) not in (None, "")]
    if error.get("field"):
        where.append(str(error["field"]))
    prefix = ", ".join(where)
    return f"{prefix}: {error.get('message', '')}" if prefix else str(error.get("message", ""))


class NotFound(GraphServiceError):
    status = 404
    title = "Not found"
    type_slug = "not-found"


class Forbidden(GraphServiceError):
    """The caller's role or the record's protection does not allow this change."""

    status = 403
    title = "Forbidden"
    type_slug = "forbidden"


class Conflict(GraphServiceError):
    status = 409
    title = "Conflict"
    type_slug = "conflict"


class StoreUnavailable(GraphServiceError):
    """The graph store cannot be reached (Neo4j down, SQLite file unreadable)."""

    status = 503
    title = "Store unavailable"
    type_slug = "store-unavailable"


class ImportRefused(ValidationError):
    """An import with bad rows: nothing was written. ``errors`` name file, sheet, row, column."""

    title = "Import refused"
    type_slug = "import-refused"
