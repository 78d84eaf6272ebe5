"""JSON API under ``/api/v1``: one blueprint per resource, one module each.

Every module of this package that defines a Flask ``bp`` (Blueprint) is registered, so a new
resource is a new module and nothing else changes.
"""
from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint, Flask


def init_app(app: Flask) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        bp = getattr(module, "bp", None)
        if isinstance(bp, Blueprint):
            app.register_blueprint(bp)
