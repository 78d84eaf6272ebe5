"""The network views' scripts and styles, served by the app from the installed packages.

vis-network comes from the copy pyvis ships (the same build the standalone HTML inlines); our
drawing script from :mod:`visualisations`. Nothing is fetched from a CDN.
"""
from __future__ import annotations

from flask import abort, send_file

from visualisations.network import vis_assets_dir, view_script_path

from .blueprint import bp

ASSETS = {
    "vis-network.min.js": (lambda: vis_assets_dir() / "vis-network.min.js", "text/javascript"),
    "vis-network.css": (lambda: vis_assets_dir() / "vis-network.css", "text/css"),
    "graph-view.js": (view_script_path, "text/javascript"),
}


@bp.get("/assets/<name>")
def asset(name: str):
    """One of :data:`ASSETS`, cached by the browser for a day; 404 for any other name."""
    if name not in ASSETS:
        abort(404)
    path, mimetype = ASSETS[name]
    return send_file(path(), mimetype=mimetype, max_age=86400)
