"""The one Blueprint of the coordinators' pages (endpoint names ``web.*``); page modules add routes to it."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("web", __name__)


@bp.app_template_global()
def selected(value, current) -> str:
    """``"selected"`` when an option's value is the current one."""
    return "selected" if str(value) == str(current) else ""
