"""Search actors: a plain page (works without JavaScript); the header box suggests as you type
through ``/api/v1/search`` (case and accents ignored: "munchen" finds "München ist Bunt")."""
from __future__ import annotations

from flask import render_template

from ..api.helpers import access_view, get_store, int_param, str_param
from .blueprint import bp


@bp.get("/search")
def search_page():
    q = str_param("q")
    items, total = (get_store().list_actors(q=q, limit=int_param("limit", 50, 1, 200), exclude=access_view().exclude)
                    if q else ([], 0))
    return render_template("search.html", q=q or "", items=items, total=total)
