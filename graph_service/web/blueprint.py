"""The one Blueprint of the coordinators' pages (endpoint names ``web.*``); page modules add routes to it."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("web", __name__)


@bp.app_template_global()
def selected(value, current) -> str:
    """``"selected"`` when an option's value is the current one."""
    return "selected" if str(value) == str(current) else ""


@bp.app_template_test("placeholder")
def is_placeholder(actor_id) -> bool:
    """``{% if a.id is placeholder %}``: a protected contact shown in place of a sensitive actor (no page)."""
    from ..services.access import is_alias

    return is_alias(actor_id)


@bp.app_template_global()
def actor_link(actor) -> str:
    """An actor's name linking to its page, or just its name (in italics) for a placeholder; escaped."""
    from markupsafe import Markup, escape
    from flask import url_for

    if is_placeholder(actor.get("id")):
        return Markup("<em>{}</em>").format(actor.get("name", ""))
    return Markup('<a href="{}">{}</a>').format(url_for("web.actor_page", actor_id=actor["id"]), escape(actor.get("name", "")))
