"""Server-rendered pages for coordinators: login/logout and the home page (Jinja, autoescaped)."""
from __future__ import annotations

from flask import Flask

from . import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
